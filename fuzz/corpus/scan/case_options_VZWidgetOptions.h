// NS_OPTIONS: shifts stay shifts, hexadecimal stays hexadecimal, combinations are evaluated.
#import <Foundation/Foundation.h>

typedef NS_OPTIONS(NSUInteger, VZWidgetOptions) {
    VZWidgetOptionNone = 0,
    VZWidgetOptionShiny = 1 << 0,
    VZWidgetOptionLoud  = 1<<1,
    VZWidgetOptionFast = 1ULL << 2,
    VZWidgetOptionMask = 0xF0,
    VZWidgetOptionAll = VZWidgetOptionShiny | VZWidgetOptionLoud | VZWidgetOptionFast,
    VZWidgetOptionLater API_AVAILABLE(macos(15.0)) = 1 << 8,
} NS_SWIFT_NAME(VZWidget.Options) API_AVAILABLE(macos(13.0));
