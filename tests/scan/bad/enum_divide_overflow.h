// INT64_MIN / -1: the one signed division that overflows (it was SIGFPE).
typedef NS_ENUM(NSInteger, VZWidgetState) {
    VZWidgetStateStopped = 0,
    VZWidgetStateLowest = 0x8000000000000000 / -1,
} API_AVAILABLE(macos(11.0));
