// Forward declarations, imports and the typedefs a header uses: skipped without a warning.
#import <Foundation/Foundation.h>
#include <stdint.h>
#import "VZWidgetDefines.h"

@class VZGadget, VZGizmo;
@class VZSprocket;
@protocol VZWidgetDelegate, VZWidgetObserver;
@protocol VZWidgetSource;

typedef NSString *VZWidgetName NS_TYPED_ENUM API_AVAILABLE(macos(12.0));
typedef void (^VZWidgetHandler)(NSError * _Nullable error);
typedef uint32_t VZWidgetID;
typedef struct VZWidgetPoint VZWidgetPoint;

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
- (VZWidgetID)identifier;
@end
