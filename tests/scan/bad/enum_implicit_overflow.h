// The value after INT64_MAX, left implicit.
typedef NS_ENUM(NSInteger, VZWidgetState) {
    VZWidgetStateHighest = 0x7fffffffffffffff,
    VZWidgetStateNext,
} API_AVAILABLE(macos(11.0));
