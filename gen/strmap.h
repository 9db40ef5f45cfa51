/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strmap.h - a map from strings to pointers (open addressing, FNV-1a), for
 * the generator's name lookups: each is O(1) instead of a scan of the model.
 * Keys are borrowed: they must outlive the map.
 */
#ifndef CVZGEN_STRMAP_H
#define CVZGEN_STRMAP_H

#include <stddef.h>

struct strmap {
    const char **keys;
    void **values;
    size_t count, cap;
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
/* The value of key, or NULL. */
void *strmap_get(const struct strmap *m, const char *key);
/* Binds key to value unless key is bound already; returns the value key has now. */
void *strmap_add(struct strmap *m, const char *key, void *value);

#endif
