// An enumerator whose value can't be computed.
typedef NS_ENUM(NSInteger, VZWidgetState) {
    VZWidgetStateStopped = 0,
    VZWidgetStateHuge = NSIntegerMax,
} API_AVAILABLE(macos(11.0));
