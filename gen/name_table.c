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

/* Appends a number in decimal (the tables hold thousands: no printf per number). */
static void add_number(struct strbuf *sb, long long v)
{
    char buf[24], *p = buf + sizeof buf;
    unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    sb_addn(sb, p, (size_t)(buf + sizeof buf - p));
}

void name_table_emit(const struct name_table *t, struct tctx *ctx)
{
    size_t slots = 16;
    while (slots < 2 * t->count)
        slots *= 2;
    uint32_t *slot = xcalloc(slots, sizeof *slot);
    struct strbuf text;
    sb_init(&text);
    for (size_t i = 0; i < t->count; i++) {
        const struct name_entry *e = &t->entries[i];
        uint32_t h = name_table_hash(e->name);
        size_t j = h & (slots - 1);
        while (slot[j])
            j = (j + 1) & (slots - 1);
        slot[j] = (uint32_t)i + 1;
        sb_adds(&text, "    {\"");
        sb_adds(&text, e->name);
        sb_adds(&text, "\", ");
        add_number(&text, h);
        sb_adds(&text, "u, ");
        add_number(&text, e->index);
        sb_adds(&text, "},\n");
    }
    tctx_set(ctx, "names", text.data ? text.data : "");
    sb_free(&text);
    for (size_t j = 0; j < slots; j++) {
        sb_adds(&text, j % 16 ? " " : j ? "\n    " : "    ");
        add_number(&text, slot[j]);
        sb_addc(&text, ',');
    }
    tctx_set(ctx, "name_slots", text.data);
    tctx_setf(ctx, "name_slot_count", "%zu", slots);
    sb_free(&text);
    free(slot);
}
