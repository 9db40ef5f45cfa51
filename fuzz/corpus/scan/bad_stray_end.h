// @end with nothing to end.
typedef int VZWidgetID;

@end
