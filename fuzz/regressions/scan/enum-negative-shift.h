// gen/scan/enums.c: "1 <<~ 1" shifted by -2 (UBSan: shift exponent is negative).
typedef NS_OPTIONS(NSUInteger, VZK) {
    VZKA = 1 <<~ 1,
} API_AVAILABLE(macos(11.0));
