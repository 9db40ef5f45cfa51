// Nullability on returns, parameters and properties, in every spelling.
#import <Foundation/Foundation.h>

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
- (nullable NSString *)keyword;
- (NSString * _Nullable)qualifier;
- (NSString * __nullable)oldQualifier;
- (nonnull NSString *)notNull;
- (NSString * _Nonnull)notNullQualifier;
- (null_unspecified NSString *)unspecified;
- (void)takeKeyword:(nullable NSString *)a qualifier:(NSString * _Nullable)b plain:(NSString *)c;
- (void)takeBlock:(void (^ _Nullable)(NSString * _Nullable value))block;
@property (nullable, copy) NSString *attribute;
@property (copy) NSString * _Nullable qualified;
@property (copy, nonnull) NSString *notNullProperty;
@end
