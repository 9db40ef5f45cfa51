// Enumerations and constants in the style of a framework header (fuzz seed).
#import <Foundation/Foundation.h>

VZ_EXPORT NSErrorDomain const VZWidgetErrorDomain API_AVAILABLE(macos(11.0));

typedef NS_ERROR_ENUM(VZWidgetErrorDomain, VZWidgetErrorCode) {
    VZWidgetErrorInternal = 1,
    VZWidgetErrorInvalid = 2,
    VZWidgetErrorOther API_AVAILABLE(macos(12.0)) = 10001,
} API_AVAILABLE(macos(11.0));

typedef NS_ENUM(NSInteger, VZWidgetState) {
    VZWidgetStateStopped,
    VZWidgetStateRunning,
    VZWidgetStatePaused = 0x10,
} API_AVAILABLE(macos(11.0));

typedef NS_OPTIONS(NSUInteger, VZWidgetOptions) {
    VZWidgetOptionNone = 0,
    VZWidgetOptionA = 1 << 0,
    VZWidgetOptionB = 1 << 1,
    VZWidgetOptionAB = VZWidgetOptionA | VZWidgetOptionB,
} API_AVAILABLE(macos(13.0));
