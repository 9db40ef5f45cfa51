// NS_ENUM values: implicit, explicit, negative, hexadecimal, expressions.
#import <Foundation/Foundation.h>

typedef NS_ENUM(NSInteger, VZWidgetState) {
    VZWidgetStateStopped,
    VZWidgetStateRunning,
    VZWidgetStatePaused = 5,
    VZWidgetStateResuming,
    VZWidgetStateBroken = -2,
    VZWidgetStateLost,
    VZWidgetStateHex = 0x10,
    VZWidgetStateSum = VZWidgetStatePaused + 10,
    VZWidgetStateNewer API_AVAILABLE(macos(13.0)) = 42,
    VZWidgetStateNamed NS_SWIFT_NAME(named) = 43,
    VZWidgetStateGone API_UNAVAILABLE(macos) = 44,
    VZWidgetStateAfterGone,
    VZWidgetStateLast API_AVAILABLE(macos(14.0), ios(17.0))
} NS_SWIFT_NAME(VZWidget.State) API_AVAILABLE(macos(12.0));

typedef NS_ENUM(NSInteger, VZWidgetForward);

typedef NS_CLOSED_ENUM(uint8_t, VZWidgetSize) {
    VZWidgetSizeSmall = 1,
    VZWidgetSizeLarge = 2,
} API_AVAILABLE(macos(11.0));
