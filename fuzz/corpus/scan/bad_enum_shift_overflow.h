// A left shift that pushes set bits out of 64 bits.
typedef NS_OPTIONS(NSUInteger, VZWidgetOptions) {
    VZWidgetOptionNone = 0,
    VZWidgetOptionLost = 0x30 << 60,
} API_AVAILABLE(macos(11.0));
