// Sorted before VZWidget.h ('+' < '.'), yet merged after the class's own members.
#import "VZWidget.h"

API_AVAILABLE(macos(13.0))
@interface VZWidget (VZWidgetExtras)
- (void)polish;                                          // 13.0, from the category
- (void)shine API_AVAILABLE(macos(14.0));                // 14.0, its own
- (void)dust API_AVAILABLE(macos(12.0));                 // 13.0: never before its category
@end
