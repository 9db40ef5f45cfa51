// INT64_MAX + 1 (was written as INT64_MIN, exit status 0).
typedef NS_ENUM(NSInteger, VZWidgetState) {
    VZWidgetStateStopped = 0,
    VZWidgetStateTooFar = 0x7fffffffffffffff + 1,
} API_AVAILABLE(macos(11.0));
