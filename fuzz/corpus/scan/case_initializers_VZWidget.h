// NS_UNAVAILABLE and NS_DESIGNATED_INITIALIZER.
#import <Foundation/Foundation.h>

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
+ (instancetype)new NS_UNAVAILABLE;
- (instancetype)init NS_UNAVAILABLE;
- (instancetype)initWithName:(NSString *)name NS_DESIGNATED_INITIALIZER;
- (instancetype)initWithName:(NSString *)name size:(NSInteger)size NS_DESIGNATED_INITIALIZER API_AVAILABLE(macos(12.0));
- (nullable instancetype)initWithURL:(NSURL *)url error:(NSError **)error API_AVAILABLE(macos(13.0)) NS_DESIGNATED_INITIALIZER;
@end

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZSimpleWidget : VZWidget
- (instancetype)init NS_DESIGNATED_INITIALIZER;
@end
