/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clock.h - the monotonic clock every timeout of the tool is measured on.
 */
#ifndef CVZ_TOOL_CLOCK_H
#define CVZ_TOOL_CLOCK_H

#include <stdint.h>

/* Monotonic milliseconds. */
int64_t now_ms(void);

#endif
