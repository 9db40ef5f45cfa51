/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alloc.h - allocation that cannot fail, for the build-time tools (cvzgen,
 * cvzscan, cvz): when memory runs out, "PROGRAM: out of memory" on stderr and
 * exit status 1.  A tool has nothing to save at that point.
 */
#ifndef CVZ_SUPPORT_ALLOC_H
#define CVZ_SUPPORT_ALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* xstrdup(NULL) is "". */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The strings up to a NULL, joined: xasprintf("%s%s", …) without the formatting's cost. */
char *xconcat(const char *first, ...) __attribute__((sentinel));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
