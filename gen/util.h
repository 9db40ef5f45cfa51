/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util.h - what every part of the generator and the scanner uses: file:line
 * diagnostics, reading a file, and (from support/) allocation that cannot fail
 * and the growable string buffer.  output.h writes files.
 */
#ifndef CVZGEN_UTIL_H
#define CVZGEN_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "alloc.h"
#include "strbuf.h"

/* Where a thing came from: every model node and template node keeps one. */
struct loc {
    const char *file; /* borrowed; lives as long as the run */
    int line;
};

/*
 * Diagnostics: "file:line: error: message" on stderr.  Errors are counted so a
 * pass can report every problem before the run fails; nothing is written
 * while the count is non-zero.
 */
void diag_error(struct loc at, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void diag_verror(struct loc at, const char *fmt, va_list ap);
int diag_error_count(void);
void diag_reset(void);

/* Reads a whole file; NULL (and an error naming the file) when it can't. */
char *read_file(const char *path, size_t *len_out);

#endif
