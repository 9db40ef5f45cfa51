/* A protocol, a category and an arm64-only class (fuzz seed). */
@protocol VZWidgetDelegate;

API_AVAILABLE(macos(11.0))
@protocol VZWidgetDelegate <NSObject>
@optional
- (void)widgetDidStop:(VZWidget *)widget;
- (void)widget:(VZWidget *)widget didStopWithError:(NSError *)error;
@required
@property (readonly) NSInteger identifier;
@end

@interface VZWidget (VZExtras)
@property (weak, nullable) id<VZWidgetDelegate> delegate API_AVAILABLE(macos(12.0));
@end

#if defined(__arm64__)
VZ_EXPORT API_AVAILABLE(macos(12.0))
@interface VZArmWidget : VZWidget
+ (BOOL)isSupported;
@end
#else
#define X 1
#endif
