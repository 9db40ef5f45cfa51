/* SPDX-License-Identifier: Apache-2.0 */
/*
 * name_table.h - the table cvz_api_available looks names up in: every class
 * and callable item by its API name and its C function name, laid out by the
 * generator as an open-addressing hash table (FNV-1a, linear probing) so the
 * library finds a name in O(1) without building anything at run time.
 */
#ifndef CVZGEN_NAME_TABLE_H
#define CVZGEN_NAME_TABLE_H

#include <stdint.h>

#include "strmap.h"
#include "template.h"

struct name_table {
    struct name_entry {
        char *name;
        int index; /* >= 0: an item's index; < 0: -1 - a class's index */
    } *entries;
    size_t count, cap;
    struct strmap seen;
};

void name_table_init(struct name_table *t);
void name_table_free(struct name_table *t);
/* Binds name to index unless it is bound already (the first binding wins, as a scan would find it). */
void name_table_add(struct name_table *t, const char *name, int index);
/* FNV-1a over the name's bytes: the hash src/query.c computes. */
uint32_t name_table_hash(const char *name);
/*
 * Binds in ctx: "names" (the names array's initialiser: one {name, hash,
 * index} line each), "name_slots" (the slot array's initialiser: 0 for an
 * empty slot, else a names index + 1) and "name_slot_count" (a power of
 * two, at least twice the names).
 */
void name_table_emit(const struct name_table *t, struct tctx *ctx);

#endif
