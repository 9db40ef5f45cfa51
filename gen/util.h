/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util.h - small helpers shared by the cvz generator: checked allocation,
 * a growable string buffer and file:line diagnostics (output.h writes files).
 */
#ifndef CVZGEN_UTIL_H
#define CVZGEN_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Where a thing came from: every model node and template node keeps one. */
struct loc {
    const char *file; /* borrowed; lives as long as the run */
    int line;
};

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable NUL-terminated buffer. */
struct strbuf {
    char *data;
    size_t len;
    size_t cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the buffer's string to the caller and leaves the buffer empty. */
char *sb_detach(struct strbuf *sb);

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
