/* SPDX-License-Identifier: Apache-2.0 */
/*
 * name_table.h - the table cvz_api_available looks names up in: every class
 * and callable item by its API name and its C function name, laid out by the
 * generator as an open-addressing hash table (FNV-1a, linear probing) so the
 * library finds a name in O(1) without building anything at run time.
 *
 * The layout depends on the set of names only, not on the order they were
 * added (they are placed in order of their home slot, then name): adding an
 * item moves no other entry but the few of its own probe run, so a
 * regeneration's diff shows the new names and little else.
 */
#ifndef CVZGEN_NAME_TABLE_H
#define CVZGEN_NAME_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "strmap.h"
#include "template.h"

struct name_table {
    struct name_entry {
        char *name;
        const char *id; /* the item's or class's constant (borrowed) */
        bool is_class;
    } *entries;
    size_t count, cap;
    struct strmap seen;
};

void name_table_init(struct name_table *t);
void name_table_free(struct name_table *t);
/* Binds name to an item's (or class's) constant unless it is bound already (the first binding wins). */
void name_table_add(struct name_table *t, const char *name, const char *id, bool is_class);
/* FNV-1a over the name's bytes: the hash src/query.c computes. */
uint32_t name_table_hash(const char *name);
/*
 * Binds in ctx: "names", the occupied slots in slot order, each with "slot",
 * "name", "hash" and "item_id" or "class_id" (the other empty); and
 * "name_slot_count" (a power of two, at least twice the names).
 */
void name_table_emit(const struct name_table *t, struct tctx *ctx);

#endif
