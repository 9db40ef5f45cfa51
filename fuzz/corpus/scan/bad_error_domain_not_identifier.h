// The error domain of an NS_ERROR_ENUM must be one name.
typedef NS_ERROR_ENUM(VZ Widget, VZWidgetError) {
    VZWidgetErrorBroken = 1,
} API_AVAILABLE(macos(11.0));
