// A class, its superclass, adopted protocols and generic type parameters.
#import <Foundation/Foundation.h>

NS_ASSUME_NONNULL_BEGIN

@class VZGadget;

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject <NSCopying, NSSecureCoding>

@property (readonly) NSInteger size;

@end

VZ_EXPORT API_AVAILABLE(macos(12.0))
@interface VZBox<ObjectType> : NSObject

- (nullable ObjectType)contents;

@end

VZ_EXPORT API_AVAILABLE(macos(13.0))
@interface VZCrate<__covariant ObjectType> : VZWidget <NSCopying>
@end

API_AVAILABLE(macos(11.0))
@interface VZBareWidget : VZWidget
@end

NS_ASSUME_NONNULL_END
