/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util.h - what every part of the cvz tool uses: one-line errors, allocation
 * that cannot fail, growable strings and string vectors.  The rest of the
 * helpers have a file each: goconv.h (Go's parsing and wording), paths.h,
 * clock.h, log.h.
 */
#ifndef CVZ_TOOL_UTIL_H
#define CVZ_TOOL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* Aborts with a message when memory runs out: the tool has nothing to save. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- growable string ---------------------------------------------------- */
struct strbuf {
    char *data; /* always NUL-terminated once anything was added */
    size_t len;
    size_t cap;
};
void sb_add(struct strbuf *sb, const char *s);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_addc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the string (never NULL) and leaves the buffer empty. */
char *sb_take(struct strbuf *sb);
void sb_free(struct strbuf *sb);

/* ---- string vector -------------------------------------------------------- */
struct strv {
    char **items;
    size_t count;
    size_t cap;
};
void strv_push(struct strv *v, const char *s);      /* copies s */
void strv_push_owned(struct strv *v, char *s);      /* takes s */
void strv_free(struct strv *v);

#endif
