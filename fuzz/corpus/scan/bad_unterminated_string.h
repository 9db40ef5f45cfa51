// A string literal that never closes.
VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
- (void)old API_DEPRECATED("no closing quote, macos(11.0, 12.0));
@end
