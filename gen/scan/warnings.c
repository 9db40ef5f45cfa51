/* SPDX-License-Identifier: Apache-2.0 */
/*
 * warnings.c - "file:line: warning: message" for the constructs cvzscan
 * skips.  Warnings never stop the output; errors (diag_error in gen/util.h)
 * do.
 */
#include <stdarg.h>
#include <stdio.h>

#include "scan.h"

static int warning_count;

void scan_warning(struct loc at, const char *fmt, ...)
{
    va_list ap;
    if (at.file && at.line > 0)
        fprintf(stderr, "%s:%d: warning: ", at.file, at.line);
    else if (at.file)
        fprintf(stderr, "%s: warning: ", at.file);
    else
        fputs("cvzscan: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    warning_count++;
}

int scan_warning_count(void)
{
    return warning_count;
}
