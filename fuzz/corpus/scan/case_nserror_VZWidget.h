// NSError out-parameters in every spelling become NSError **.
#import <Foundation/Foundation.h>

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject

- (BOOL)checkWithError:(NSError **)error;
- (BOOL)verifyWithError:(NSError * _Nullable *)error;
- (BOOL)inspectWithError:(NSError *_Nullable*)error;
- (BOOL)probeWithError:(NSError * _Nullable * _Nullable)error;
- (nullable instancetype)initWithPath:(NSString *)path error:(NSError * __autoreleasing *)error;

@end
