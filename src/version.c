/*
 * version.c - the library's own version, for run-time checks against the
 * CVZ_VERSION_* macros of the headers a program was compiled with.
 */
#include "cvz/cvz.h"

#define CVZ__STR2(x) #x
#define CVZ__STR(x) CVZ__STR2(x)

const char *cvz_version(void)
{
    return CVZ__STR(CVZ_VERSION_MAJOR) "." CVZ__STR(CVZ_VERSION_MINOR) "." CVZ__STR(CVZ_VERSION_MICRO);
}
