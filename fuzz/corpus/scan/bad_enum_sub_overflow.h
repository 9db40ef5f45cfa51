// INT64_MIN - 1 through an earlier enumerator.
typedef NS_ENUM(NSInteger, VZWidgetState) {
    VZWidgetStateLowest = -0x7fffffffffffffff - 1,
    VZWidgetStateBelow = VZWidgetStateLowest - 1,
} API_AVAILABLE(macos(11.0));
