// -INT64_MIN does not fit.
typedef NS_ENUM(NSInteger, VZWidgetState) {
    VZWidgetStateLowest = -0x7fffffffffffffff - 1,
    VZWidgetStateOpposite = -VZWidgetStateLowest,
} API_AVAILABLE(macos(11.0));
