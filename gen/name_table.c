/*
 * name_table.c - see name_table.h.
 */
#include "name_table.h"

#include <inttypes.h>
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

void name_table_add(struct name_table *t, const char *name, int index)
{
    if (strmap_get(&t->seen, name))
        return;
    if (t->count == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 256;
        t->entries = xrealloc(t->entries, t->cap * sizeof *t->entries);
    }
    struct name_entry *e = &t->entries[t->count++];
    e->name = xstrdup(name);
    e->index = index;
    strmap_add(&t->seen, e->name, e);
}

uint32_t name_table_hash(const char *name)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

void name_table_emit(const struct name_table *t, struct tctx *ctx)
{
    size_t slots = 16;
    while (slots < 2 * t->count)
        slots *= 2;
    uint32_t *slot = xcalloc(slots, sizeof *slot);
    tctx_list(ctx, "names");
    for (size_t i = 0; i < t->count; i++) {
        uint32_t h = name_table_hash(t->entries[i].name);
        size_t j = h & (slots - 1);
        while (slot[j])
            j = (j + 1) & (slots - 1);
        slot[j] = (uint32_t)i + 1;
        struct tctx *nc = tctx_add(ctx, "names");
        tctx_set(nc, "name", t->entries[i].name);
        tctx_setf(nc, "hash", "%" PRIu32, h);
        tctx_setf(nc, "index", "%d", t->entries[i].index);
    }
    struct strbuf text;
    sb_init(&text);
    for (size_t j = 0; j < slots; j++)
        sb_addf(&text, "%s%" PRIu32 ",", j % 16 ? " " : j ? "\n    " : "    ", slot[j]);
    tctx_set(ctx, "name_slots", text.data);
    tctx_setf(ctx, "name_slot_count", "%zu", slots);
    sb_free(&text);
    free(slot);
}
