// Constructs the scanner skips, each with a warning; the rest is written.
#import <Foundation/Foundation.h>

VZ_EXPORT void VZWidgetReset(int level);
static inline int VZWidgetDouble(int x) { return 2 * x; }
typedef struct { int x; int y; } VZWidgetPoint;
int VZWidgetCounter;

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : NSObject {
    int _secret;
}
- (void)spin NS_FANCY_NEW_MACRO;
@property (copy, fancy) NSString *name;
- (void)log:(NSString *)format, ...;
- (void)pair:(int)a :(int)b;
@property (readonly) NSInteger hidden NS_UNAVAILABLE;
- (void)spin;
@end

@interface VZMissing (VZMissingExtras)
- (void)nothing;
@end

VZ_EXPORT
@interface VZUndated : NSObject
- (void)work;
@end
