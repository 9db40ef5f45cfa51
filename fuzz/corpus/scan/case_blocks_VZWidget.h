// Block parameters: Swift concurrency macros inside the block type are dropped,
// the rest of the block's text (nullability included) is kept.
#import <Foundation/Foundation.h>

@class VZGadget;

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject

- (void)startWithCompletionHandler:(void (^ NS_SWIFT_SENDABLE)(NSError * _Nullable errorOrNil))completionHandler;
- (void)stopWithCompletionHandler:(void (^ NS_SWIFT_NONSENDABLE)(NSError * _Nullable errorOrNil))completionHandler;
- (void)loadWithCompletionHandler:(void (^)(VZGadget * _Nullable gadget, NSError * _Nullable error))completionHandler;
- (void)enumerate:(NS_NOESCAPE void (^)(NSString *name, BOOL *stop))block;
- (void)observe:(nullable void (^)(void))observer;
- (void)transform:(NSInteger (^)(NSInteger value))transform;
- (void)collect:(void (^)(NSDictionary<NSString *, NSArray<VZGadget *> *> *results))collector;

@end
