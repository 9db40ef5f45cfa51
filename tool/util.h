/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util.h - what every part of the cvz tool uses: one-line errors, and (from
 * support/) allocation that cannot fail, growable strings and string vectors.
 * The rest of the helpers have a file each: goconv.h (Go's parsing and
 * wording), paths.h, clock.h, log.h.
 */
#ifndef CVZ_TOOL_UTIL_H
#define CVZ_TOOL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "strbuf.h"
#include "strv.h"

/* ---- errors ------------------------------------------------------------
 * Every parser returns 0 on success or -1 after storing a malloc'ed one-line
 * message in *err (which must be NULL on entry).  The message is what cvz
 * prints after "cvz: ".  Where it keeps vfkit's exact wording, a second line
 * may say what to do (show_error prefixes both).
 */
int fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints an error message from fail() on stderr, "cvz: " before each line: a
 * message that keeps vfkit's wording may add a second line saying what to do. */
void show_error(const char *msg);

#endif
