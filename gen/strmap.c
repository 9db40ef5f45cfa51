/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strmap.c - see strmap.h.
 */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static size_t hash(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)h;
}

void strmap_init(struct strmap *m)
{
    memset(m, 0, sizeof *m);
}

void strmap_free(struct strmap *m)
{
    free(m->keys);
    free(m->values);
    strmap_init(m);
}

/* The slot of key, or the empty slot where it would go (cap is a power of two, never full). */
static size_t slot(const struct strmap *m, const char *key)
{
    size_t i = hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

void *strmap_get(const struct strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = slot(m, key);
    return m->keys[i] ? m->values[i] : NULL;
}

static void rehash(struct strmap *m, size_t cap)
{
    struct strmap old = *m;
    m->keys = xcalloc(cap, sizeof *m->keys);
    m->values = xcalloc(cap, sizeof *m->values);
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i]) {
            size_t j = slot(m, old.keys[i]);
            m->keys[j] = old.keys[i];
            m->values[j] = old.values[i];
        }
    free(old.keys);
    free(old.values);
}

void *strmap_add(struct strmap *m, const char *key, void *value)
{
    if ((m->count + 1) * 2 > m->cap)
        rehash(m, m->cap ? m->cap * 2 : 64);
    size_t i = slot(m, key);
    if (m->keys[i])
        return m->values[i];
    m->keys[i] = key;
    m->values[i] = value;
    m->count++;
    return value;
}
