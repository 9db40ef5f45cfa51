// A stray character outside comments and strings.
VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
- (void)spin $;
@end
