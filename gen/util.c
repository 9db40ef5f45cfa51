/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util.c - diagnostics and reading files for cvzgen and cvzscan.
 */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int error_count;

void diag_verror(struct loc at, const char *fmt, va_list ap)
{
    if (at.file && at.line > 0)
        fprintf(stderr, "%s:%d: error: ", at.file, at.line);
    else if (at.file)
        fprintf(stderr, "%s: error: ", at.file);
    else
        fputs("cvzgen: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    error_count++;
}

void diag_error(struct loc at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(at, fmt, ap);
    va_end(ap);
}

int diag_error_count(void)
{
    return error_count;
}

void diag_reset(void)
{
    error_count = 0;
}

char *read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_error((struct loc){path, 0}, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct strbuf sb;
    sb_init(&sb);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_addn(&sb, chunk, n);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        diag_error((struct loc){path, 0}, "cannot read");
        sb_free(&sb);
        return NULL;
    }
    if (len_out)
        *len_out = sb.len;
    return sb_detach(&sb);
}
