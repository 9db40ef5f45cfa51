// ~1 is -2: a negative shift count (found by the scanner fuzzer).
typedef NS_OPTIONS(NSUInteger, VZWidgetOptions) {
    VZWidgetOptionNone = 0,
    VZWidgetOptionOdd = 1 <<~ 1,
} API_AVAILABLE(macos(11.0));
