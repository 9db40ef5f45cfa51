// Types as written, whitespace normalised.
#import <Foundation/Foundation.h>

@class VZGadget;
@protocol VZWidgetDelegate;

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
- (instancetype)initWithGadgets:(NSArray<VZGadget *> *)gadgets;
- (NSDictionary<NSString *, NSArray<VZGadget *> *> *)gadgetsByName;
- (NSArray<id <VZWidgetDelegate>> *)delegates;
- (void)setDelegate:(id<VZWidgetDelegate>)delegate;
- (void)copyBytes:(void*)bytes length:(size_t)length;
- (const char *)cName;
- (unsigned long long)bigNumber;
- (__kindof VZGadget *)anyGadget;
- (CGSize)size;
- (void)spread:(NSArray<
                    NSString *
                > *)names;
- (BOOL *)flags;
@end
