// Protocols: @optional / @required sections, properties and class methods.
#import <Foundation/Foundation.h>

@protocol VZWidgetDelegate;
@class VZWidget;

VZ_EXPORT API_AVAILABLE(macos(12.0))
@protocol VZWidgetDelegate <NSObject>
- (void)widgetDidStart:(VZWidget *)widget;
@optional
- (void)widgetDidStop:(VZWidget *)widget;
- (void)widget:(VZWidget *)widget didFailWithError:(NSError *)error API_AVAILABLE(macos(13.0));
@property (readonly, nullable) NSString *delegateName;
@required
+ (BOOL)supportsWidgets;
@property (readonly) NSUInteger widgetLimit;
@end

API_AVAILABLE(macos(14.0))
@protocol VZWidgetMarker
@end
