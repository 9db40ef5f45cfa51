// Superclasses come before subclasses; otherwise header order.
#import <Foundation/Foundation.h>

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : VZBase
@end

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZBase : NSObject
@end

VZ_EXPORT NSErrorDomain const VZWidgetErrorDomain API_AVAILABLE(macos(11.0));

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZUnrelated : NSObject
@end
