// The @protocol never ends.
VZ_EXPORT API_AVAILABLE(macos(11.0))
@protocol VZWidgetDelegate <NSObject>
@optional
- (void)widgetDidStop:(id)widget;
