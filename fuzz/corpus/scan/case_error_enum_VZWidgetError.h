// NS_ERROR_ENUM and the exported constants it names.
#import <Foundation/Foundation.h>

VZ_EXPORT NSErrorDomain const VZWidgetErrorDomain API_AVAILABLE(macos(11.0));
extern NSString * const VZWidgetNameKey API_AVAILABLE(macos(12.0));
FOUNDATION_EXPORT NSString *const VZWidgetModelKey API_AVAILABLE(macos(13.0)) NS_SWIFT_NAME(modelKey);
extern const double VZWidgetMaximumRatio API_AVAILABLE(macos(12.0));

typedef NS_ERROR_ENUM(VZWidgetErrorDomain, VZWidgetErrorCode) {
    VZWidgetErrorInternal NS_SWIFT_NAME(internalError) = 1,
    VZWidgetErrorBusy = 2,
    VZWidgetErrorJammed API_AVAILABLE(macos(13.0)) = 3,
    VZWidgetErrorOverheated API_AVAILABLE(macos(14.0)) = 10001,
} API_AVAILABLE(macos(11.0));
