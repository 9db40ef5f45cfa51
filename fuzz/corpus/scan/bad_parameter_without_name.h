// A method parameter with a type but no name.
VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
- (void)moveTo:(double) API_AVAILABLE(macos(12.0));
@end
