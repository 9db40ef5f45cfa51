// The class; its categories live here and in VZWidget+Extras.h.
#import <Foundation/Foundation.h>

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
- (void)spin;
@end

// A category without its own availability: its members take the class's.
@interface VZWidget (VZWidgetValidation)
- (BOOL)validateWithError:(NSError **)error;
@property (class, readonly) NSUInteger maximumSize;
@end

// A class extension is merged too.
@interface VZWidget ()
@property (readwrite) NSInteger hiddenCount API_AVAILABLE(macos(12.0));
@end
