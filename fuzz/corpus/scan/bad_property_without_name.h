// A property with a type but no name.
VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
@property (readonly) BOOL;
@end
