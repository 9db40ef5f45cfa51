// An #endif without its #if.
VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
@end
#endif
