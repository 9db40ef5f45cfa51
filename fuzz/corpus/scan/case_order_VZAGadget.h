// Declared first (file order), but its superclass lives in VZBWidget.h.
#import "VZBWidget.h"

VZ_EXPORT API_AVAILABLE(macos(12.0))
@interface VZGadget : VZWidget
@end

VZ_EXPORT API_AVAILABLE(macos(13.0))
@interface VZGizmo : VZGadget
@end

VZ_EXPORT API_AVAILABLE(macos(11.0))
@protocol VZGadgetDelegate
@end

typedef NS_ENUM(NSInteger, VZGadgetKind) {
    VZGadgetKindSmall,
} API_AVAILABLE(macos(12.0));
