// A type longer than the schema's 200 characters.
VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
- (NSDictionary<NSString *, NSDictionary<NSString *, NSDictionary<NSString *, NSDictionary<NSString *, NSDictionary<NSString *, NSDictionary<NSString *, NSDictionary<NSString *, NSDictionary<NSString *, NSDictionary<NSString *, NSDictionary<NSString *, NSDictionary<NSString *, NSDictionary<NSString *, id> *> *> *> *> *> *> *> *> *> *> *> *)everything;
@end
