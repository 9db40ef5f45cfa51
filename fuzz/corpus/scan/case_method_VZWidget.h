// Instance and class methods, on one line or spread over several.
#import <Foundation/Foundation.h>

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject

- (void)spin;
+ (instancetype)sharedWidget;
- (BOOL)moveToX:(double)x y:(double)y;
- (nullable NSString *)nameForIndex:(NSUInteger)index
                            options:(NSUInteger)options
                              error:(NSError **)error;
+ (void)resetAllWidgetsWithReason:(NSString *)reason
    completionHandler:(void (^)(BOOL success))completionHandler;
- legacyObject;
- (id)objectForKey:(NSString *)key;

@end
