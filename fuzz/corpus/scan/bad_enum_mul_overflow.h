// INT64_MAX * 3 (was written wrapped, exit status 0).
typedef NS_ENUM(NSInteger, VZWidgetState) {
    VZWidgetStateStopped = 0,
    VZWidgetStateTriple = 0x7fffffffffffffff * 3,
} API_AVAILABLE(macos(11.0));
