// Availability macros: other platforms ignored, versions inherited and raised to the container's.
#import <Foundation/Foundation.h>

VZ_EXPORT API_AVAILABLE(macos(12), ios(15.0), macCatalyst(15.0))
@interface VZWidget : NSObject
- (void)inherits;                                                   // 12.0
- (void)raised API_AVAILABLE(macos(11.0));                          // 12.0: not before its class
- (void)newer API_AVAILABLE(ios(17.0), macos(14.0));                // 14.0
- (void)iosOnly API_AVAILABLE(ios(17.0));                           // 12.0: no macOS version of its own
- (void)old API_DEPRECATED("Use -newer instead.", macos(12.0, 13.0), ios(15.0, 16.0));
- (void)older API_DEPRECATED_WITH_REPLACEMENT("-newer", macos(12.0, 14.0));
- (void)someday API_DEPRECATED_WITH_REPLACEMENT("-newer", macos(12.0, API_TO_BE_DEPRECATED));
- (void)patched API_AVAILABLE(macos(13.2.1));                       // 13.2
- (void)notOnMac API_UNAVAILABLE(macos);                            // skipped
- (void)notOnPhone API_AVAILABLE(macos(13.0)) API_UNAVAILABLE(ios); // kept
@property (readonly) BOOL ready API_AVAILABLE(macos(15.0));
@end

VZ_EXPORT API_DEPRECATED("Use VZWidget.", macos(11.0, 13.0))
@interface VZOldWidget : NSObject
- (void)work;                                                       // deprecated with its class
@end

VZ_EXPORT API_UNAVAILABLE(macos)
@interface VZPhoneWidget : NSObject
- (void)tap;
@end
