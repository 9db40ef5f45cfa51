/* SPDX-License-Identifier: Apache-2.0 */
/*
 * name_table.c - see name_table.h.
 */
#include "name_table.h"

#include <stdlib.h>
#include <string.h>

void name_table_init(struct name_table *t)
{
    memset(t, 0, sizeof *t);
    strmap_init(&t->seen);
}

void name_table_free(struct name_table *t)
{
    strmap_free(&t->seen);
    for (size_t i = 0; i < t->count; i++)
        free(t->entries[i].name);
    free(t->entries);
}

void name_table_add(struct name_table *t, const char *name, const char *id, bool is_class)
{
    if (strmap_get(&t->seen, name))
        return;
    if (t->count == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 256;
        t->entries = xrealloc(t->entries, t->cap * sizeof *t->entries);
    }
    struct name_entry *e = &t->entries[t->count++];
    e->name = xstrdup(name);
    e->id = id;
    e->is_class = is_class;
    strmap_add(&t->seen, e->name, e);
}

uint32_t name_table_hash(const char *name)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

/* n in decimal, written into buf (24 bytes): the table has thousands of numbers, no printf each. */
static const char *decimal(size_t n, char *buf)
{
    char *p = buf + 23;
    *p = '\0';
    do
        *--p = (char)('0' + n % 10);
    while (n /= 10);
    return p;
}

/* A name placed in the table: its entry, hash and home slot. */
struct placed {
    const struct name_entry *entry;
    uint32_t hash;
    size_t home;
};

static int by_home_then_name(const void *a, const void *b)
{
    const struct placed *x = a, *y = b;
    if (x->home != y->home)
        return x->home < y->home ? -1 : 1;
    return strcmp(x->entry->name, y->entry->name);
}

void name_table_emit(const struct name_table *t, struct tctx *ctx)
{
    size_t slots = 16;
    while (slots < 2 * t->count)
        slots *= 2;
    struct placed *placed = xcalloc(t->count + 1, sizeof *placed);
    for (size_t i = 0; i < t->count; i++) {
        uint32_t h = name_table_hash(t->entries[i].name);
        placed[i] = (struct placed){&t->entries[i], h, h & (slots - 1)};
    }
    /* Inserted in a canonical order, the layout is a function of the names alone. */
    qsort(placed, t->count, sizeof *placed, by_home_then_name);
    const struct placed **slot = xcalloc(slots, sizeof *slot);
    for (size_t i = 0; i < t->count; i++) {
        size_t j = placed[i].home;
        while (slot[j])
            j = (j + 1) & (slots - 1);
        slot[j] = &placed[i];
    }
    tctx_list(ctx, "names");
    for (size_t j = 0; j < slots; j++) {
        if (!slot[j])
            continue;
        const struct name_entry *e = slot[j]->entry;
        struct tctx *n = tctx_add(ctx, "names");
        char number[24];
        tctx_set(n, "slot", decimal(j, number));
        tctx_set(n, "name", e->name);
        tctx_set(n, "hash", decimal(slot[j]->hash, number));
        tctx_set(n, "item_id", e->is_class ? "" : e->id);
        tctx_set(n, "class_id", e->is_class ? e->id : "");
    }
    tctx_setf(ctx, "name_slot_count", "%zu", slots);
    free(slot);
    free(placed);
}
