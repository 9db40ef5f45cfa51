// A shift by the width of the type or more.
typedef NS_OPTIONS(NSUInteger, VZWidgetOptions) {
    VZWidgetOptionNone = 0,
    VZWidgetOptionGone = 1 << 64,
} API_AVAILABLE(macos(11.0));
