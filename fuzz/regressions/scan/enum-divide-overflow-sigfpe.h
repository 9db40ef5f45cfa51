// gen/scan/enums.c: INT64_MIN / -1 (SIGFPE).
typedef NS_ENUM(NSInteger, VZK) {
    VZKA = 0x8000000000000000 / -1,
} API_AVAILABLE(macos(11.0));
