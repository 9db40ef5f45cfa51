// The @interface never ends.
#import <Foundation/Foundation.h>

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
- (void)spin;
