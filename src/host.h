/* SPDX-License-Identifier: Apache-2.0 */
/*
 * host.h - what the library runs on: the macOS version and architecture
 * (simulated on Linux), and the loaded Virtualization.framework.
 */
#ifndef CVZ_HOST_H
#define CVZ_HOST_H

#include <stdbool.h>

/* major*100+minor; 0 when unknown (see cvz__host_version_text). */
int cvz__host_version(void);
/* "12.6", or a description of why the version is unknown. */
const char *cvz__host_version_text(void);
bool cvz__host_is_arm64(void);
/* Loads the framework once; NULL on success or the reason it failed (static storage). */
const char *cvz__framework_load_error(void);
/* The path the framework was (or would be) loaded from. */
const char *cvz__framework_path(void);

#endif
