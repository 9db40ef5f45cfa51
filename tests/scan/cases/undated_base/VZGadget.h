// A base class declared with a bare VZ_EXPORT (no API_AVAILABLE) takes the
// version of its earliest subclass, also through an undated middle class;
// an undated class with no dated subclass still takes the framework's first
// version (the earliest one stated anywhere).
#import <Foundation/Foundation.h>

NS_ASSUME_NONNULL_BEGIN

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZGadgetHost : NSObject
@property (readonly) NSInteger count;
@end

VZ_EXPORT
@interface VZGadgetBase : NSObject <NSCopying>
+ (instancetype)new NS_UNAVAILABLE;
- (instancetype)init NS_UNAVAILABLE;
@end

VZ_EXPORT
@interface VZGadgetMiddle : VZGadgetBase
@property (readonly) BOOL ready;
@end

VZ_EXPORT API_AVAILABLE(macos(14.0))
@interface VZLateGadget : VZGadgetMiddle
- (instancetype)init;
@end

VZ_EXPORT API_AVAILABLE(macos(12.0))
@interface VZEarlyGadget : VZGadgetBase
- (instancetype)init;
@property (readonly) NSInteger size API_AVAILABLE(macos(13.0));
@end

VZ_EXPORT
@interface VZLoneGadget : NSObject
- (void)work;
@end

NS_ASSUME_NONNULL_END
