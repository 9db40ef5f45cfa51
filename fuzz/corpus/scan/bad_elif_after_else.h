// An #elif after the #else.
#if TARGET_CPU_ARM64
typedef int VZWidgetArm;
#else
typedef int VZWidgetIntel;
#elif TARGET_CPU_X86_64
typedef int VZWidgetOther;
#endif
