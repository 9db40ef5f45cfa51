/* SPDX-License-Identifier: Apache-2.0 */
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

int cvz_version_number(void)
{
    return CVZ_VERSION_NUMBER;
}

const char *cvz_check_version(int major, int minor, int micro)
{
    if (major != CVZ_VERSION_MAJOR)
        return major > CVZ_VERSION_MAJOR ? "libcvz is too old (different major version)"
                                         : "libcvz is too new (different major version)";
    if (major * 10000 + minor * 100 + micro > CVZ_VERSION_NUMBER)
        return "libcvz is older than the headers the program was compiled with";
    return NULL;
}
