// A version that isn't one.
VZ_EXPORT API_AVAILABLE(macos(eleven))
@interface VZWidget : NSObject
@end
