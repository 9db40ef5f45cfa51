// Swift-only and export macros say nothing to C and vanish.
#import <Foundation/Foundation.h>

NS_HEADER_AUDIT_BEGIN(nullability, sendability)

VZ_EXPORT API_AVAILABLE(macos(11.0)) NS_SWIFT_SENDABLE
NS_SWIFT_UI_ACTOR
@interface VZWidget : NSObject
- (void)startWithCompletionHandler:(void (^)(NSError * _Nullable))completionHandler NS_REFINED_FOR_SWIFT NS_SWIFT_ASYNC_NAME(start());
- (void)moveTo:(double)x NS_SWIFT_NAME(move(to:));
@property (readonly) NSInteger count NS_SWIFT_NONISOLATED;
- (void)sync NS_SWIFT_DISABLE_ASYNC NS_REQUIRES_SUPER;
@end

NS_SWIFT_NAME(VZWidget.Observer)
VZ_EXPORT API_AVAILABLE(macos(12.0))
@protocol VZWidgetObserver <NSObject>
- (void)widgetDidChange:(VZWidget *)widget NS_SWIFT_NAME(didChange(_:));
@end

NS_HEADER_AUDIT_END(nullability, sendability)
