// A division by zero in an enumerator.
typedef NS_ENUM(NSInteger, VZWidgetState) {
    VZWidgetStateStopped = 0,
    VZWidgetStateNone = VZWidgetStateStopped + 1 / (VZWidgetStateStopped),
} API_AVAILABLE(macos(11.0));
