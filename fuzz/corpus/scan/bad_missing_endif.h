// An #if without its #endif.
VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
#if defined(__arm64__)
- (void)armOnly;
@end
