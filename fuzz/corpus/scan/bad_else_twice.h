// Two #else in one conditional.
#ifdef __arm64__
typedef int VZWidgetArm;
#else
typedef int VZWidgetIntel;
#else
typedef int VZWidgetOther;
#endif
