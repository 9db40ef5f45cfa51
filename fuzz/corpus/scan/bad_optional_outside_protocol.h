// @optional belongs to protocols.
VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
@optional
- (void)spin;
@end
