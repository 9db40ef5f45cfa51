/* SPDX-License-Identifier: Apache-2.0 */
/*
 * macos_version.h - the true macOS version from what sysctl answers
 * (macos_version.c), a pure function so that every compatibility shim can be
 * tested on any host.
 */
#ifndef CVZ_MACOS_VERSION_H
#define CVZ_MACOS_VERSION_H

#include <stddef.h>

/*
 * osrelease: kern.osrelease ("25.0.0"), osproductversion:
 * kern.osproductversion ("26.0.1"); either may be NULL when unreadable.
 * Returns: the macOS version as major*100+minor, 0 when neither tells it;
 * writes the version as text ("26.0.1", or "26.0" when derived) to text.
 */
int cvz__macos_version(const char *osrelease, const char *osproductversion, char *text, size_t size);

#endif
