// Two classes that are each other's superclass.
VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZWidget : VZGadget
@end

VZ_EXPORT API_AVAILABLE(macos(11.0))
@interface VZGadget : VZWidget
@end
