// An NS_ENUM whose brace never closes.
typedef NS_ENUM(NSInteger, VZWidgetState) {
    VZWidgetStateStopped,
    VZWidgetStateRunning
