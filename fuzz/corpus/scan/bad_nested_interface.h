// The first @interface is missing its @end.
VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
- (void)spin;

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZGadget : NSObject
@end
