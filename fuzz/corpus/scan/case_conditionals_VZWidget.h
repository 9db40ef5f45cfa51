// arm64 conditionals mark what they hold; every other conditional keeps its contents.
#import <Foundation/Foundation.h>
#import <TargetConditionals.h>

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject
- (void)everywhere;
#if defined(__arm64__)
- (void)armOnly API_AVAILABLE(macos(14.0));
@property (readonly) BOOL armReady;
#else
- (void)intelOnly;
#endif
#ifdef __arm64__
- (void)armToo;
#endif
#if TARGET_CPU_ARM64
- (void)armThree;
#elif TARGET_CPU_X86_64
- (void)intelThree;
#endif
#ifndef __arm64__
- (void)notArm;
#endif
#if __has_include(<Cocoa/Cocoa.h>)
- (void)withCocoa;
#endif
#if 0
- (void)disabledButKept;
#endif
@end

#if defined(__arm64__) && defined(__APPLE__)
typedef NS_ENUM(NSInteger, VZArmFlavor) {
    VZArmFlavorPlain,
} API_AVAILABLE(macos(12.0));

VZ_EXPORT API_AVAILABLE(macos(12.0))
@interface VZArmWidget : VZWidget
#if !defined(NDEBUG)
- (void)debugDump;
#endif
@end
#endif
