// The same class declared twice.
VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
@end

VZ_EXPORT API_AVAILABLE(macos(12.0))
@interface VZWidget : NSObject
@end
