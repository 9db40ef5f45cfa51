// Only preprocessor lines: defines, pragmas and imports are dropped.
#ifndef VZWIDGET_DEFINES
#define VZWIDGET_DEFINES 1
#pragma once
#ifdef __cplusplus
#define VZ_WIDGET_EXPORT extern "C" __attribute__((visibility ("default")))
#else
#define VZ_WIDGET_EXPORT extern __attribute__((visibility ("default")))
#endif
#endif
