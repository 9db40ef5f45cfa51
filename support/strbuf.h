/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strbuf.h - a growable NUL-terminated string for the build-time tools.
 * A zeroed struct strbuf ({0}) is an empty buffer, as sb_init leaves it.
 */
#ifndef CVZ_SUPPORT_STRBUF_H
#define CVZ_SUPPORT_STRBUF_H

#include <stddef.h>
#include <string.h>

struct strbuf {
    char *data; /* NULL until something is added, then always NUL-terminated */
    size_t len;
    size_t cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
/* Room for `extra` more bytes and the NUL (sb_addn's slow path). */
void sb_grow(struct strbuf *sb, size_t extra);

/* Inline: a template renders its output from hundreds of thousands of small pieces. */
static inline void sb_addn(struct strbuf *sb, const char *s, size_t n)
{
    if (sb->len + n + 1 > sb->cap)
        sb_grow(sb, n);
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the buffer's string (never NULL) to the caller and leaves the buffer empty. */
char *sb_detach(struct strbuf *sb);

#endif
