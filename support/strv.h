/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strv.h - a growable vector of malloc'ed strings; a zeroed struct strv is empty.
 */
#ifndef CVZ_SUPPORT_STRV_H
#define CVZ_SUPPORT_STRV_H

#include <stddef.h>

struct strv {
    char **items;
    size_t count;
    size_t cap;
};

void strv_push(struct strv *v, const char *s); /* copies s */
void strv_push_owned(struct strv *v, char *s); /* takes s */
/* Frees every string and the vector, and leaves it empty. */
void strv_free(struct strv *v);

#endif
