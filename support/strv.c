/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strv.c - see strv.h.
 */
#include "strv.h"

#include <stdlib.h>

#include "alloc.h"

void strv_push_owned(struct strv *v, char *s)
{
    if (v->count == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->items = xrealloc(v->items, v->cap * sizeof *v->items);
    }
    v->items[v->count++] = s;
}

void strv_push(struct strv *v, const char *s)
{
    strv_push_owned(v, xstrdup(s));
}

void strv_free(struct strv *v)
{
    for (size_t i = 0; i < v->count; i++)
        free(v->items[i]);
    free(v->items);
    v->items = NULL;
    v->count = v->cap = 0;
}
