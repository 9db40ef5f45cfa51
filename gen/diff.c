/* SPDX-License-Identifier: Apache-2.0 */
/*
 * diff.c - compares two API models item by item (classes, protocols, their
 * members, enum values, constants), keyed by Apple's names.
 */
#include "diff.h"

#include <stdlib.h>
#include <string.h>

struct entry {
    char *name; /* "VZFoo", "-[VZFoo bar:]", "VZFoo.baz", "VZEnumValue" */
    const char *kind;
    const struct availability *avail;
};

struct entries {
    struct entry *items;
    size_t count;
};

static void add(struct entries *list, char *name, const char *kind, const struct availability *avail)
{
    list->items = xrealloc(list->items, (list->count + 1) * sizeof *list->items);
    list->items[list->count++] = (struct entry){name, kind, avail};
}

static void add_members(struct entries *list, const char *container, const struct method *methods, size_t nm,
                        const struct property *properties, size_t np)
{
    for (size_t i = 0; i < nm; i++)
        if (!methods[i].unavailable)
            add(list, method_api_name(container, &methods[i]),
                "method", &methods[i].avail);
    for (size_t i = 0; i < np; i++)
        add(list, property_api_name(container, &properties[i]), "property", &properties[i].avail);
}

static struct entries flatten(const struct api *api)
{
    struct entries list = {NULL, 0};
    for (size_t i = 0; i < api->constant_count; i++)
        add(&list, xstrdup(api->constants[i].name), "constant", &api->constants[i].avail);
    for (size_t i = 0; i < api->enum_count; i++) {
        const struct enum_decl *e = &api->enums[i];
        add(&list, xstrdup(e->name), "enum", &e->avail);
        for (size_t j = 0; j < e->value_count; j++)
            add(&list, xstrdup(e->values[j].name), "enum value", &e->values[j].avail);
    }
    for (size_t i = 0; i < api->protocol_count; i++) {
        const struct protocol_decl *p = &api->protocols[i];
        add(&list, xstrdup(p->name), "protocol", &p->avail);
        add_members(&list, p->name, p->methods, p->method_count, p->properties, p->property_count);
    }
    for (size_t i = 0; i < api->class_count; i++) {
        const struct class_decl *c = &api->classes[i];
        add(&list, xstrdup(c->name), c->avail.arm64_only ? "class (arm64)" : "class", &c->avail);
        add_members(&list, c->name, c->methods, c->method_count, c->properties, c->property_count);
    }
    return list;
}

static const struct entry *find(const struct entries *list, const char *name)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i].name, name) == 0)
            return &list->items[i];
    return NULL;
}

static void free_entries(struct entries *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i].name);
    free(list->items);
}

/* The versions to report under, ascending: every introduced and deprecated version in `after`. */
static size_t versions_of(const struct entries *list, version_t *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++) {
        version_t vs[2] = {list->items[i].avail->introduced, list->items[i].avail->deprecated};
        for (int k = 0; k < 2; k++) {
            bool seen = vs[k] == 0;
            for (size_t j = 0; j < n && !seen; j++)
                seen = out[j] == vs[k];
            if (!seen && n < max)
                out[n++] = vs[k];
        }
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && out[j - 1] > out[j]; j--) {
            version_t t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}

void diff_apis(const struct api *before, const struct api *after, struct strbuf *out)
{
    struct entries old = flatten(before), new = flatten(after);
    char b1[16], b2[16];
    sb_addf(out, "API changes from %s (SDK %s) to %s (SDK %s)\n", before->file, format_version(before->sdk, b1),
            after->file, format_version(after->sdk, b2));
    size_t changes = 0;
    version_t versions[64];
    size_t nv = versions_of(&new, versions, 64);
    for (size_t v = 0; v < nv; v++) {
        bool header = false;
        for (size_t i = 0; i < new.count; i++) {
            const struct entry *e = &new.items[i];
            const struct entry *was = find(&old, e->name);
            const char *what = NULL;
            if (!was && e->avail->introduced == versions[v])
                what = "added";
            else if (e->avail->deprecated == versions[v] && (!was || was->avail->deprecated != versions[v]))
                what = "deprecated";
            if (!what)
                continue;
            if (!header) {
                sb_addf(out, "\nmacOS %s\n", format_version(versions[v], b1));
                header = true;
            }
            sb_addf(out, "  %-10s %-13s %s%s%s\n", what, e->kind, e->name,
                    e->avail->replacement && strcmp(what, "deprecated") == 0 ? " -> use " : "",
                    e->avail->replacement && strcmp(what, "deprecated") == 0 ? e->avail->replacement : "");
            changes++;
        }
    }
    bool header = false;
    for (size_t i = 0; i < old.count; i++) {
        const struct entry *was = &old.items[i];
        const struct entry *now = find(&new, was->name);
        if (now && now->avail->introduced == was->avail->introduced &&
            now->avail->arm64_only == was->avail->arm64_only)
            continue;
        if (!header) {
            sb_adds(out, "\nRemoved or changed\n");
            header = true;
        }
        if (!now)
            sb_addf(out, "  %-10s %-13s %s\n", "removed", was->kind, was->name);
        else
            sb_addf(out, "  %-10s %-13s %s: introduced %s%s -> %s%s\n", "changed", was->kind, was->name,
                    format_version(was->avail->introduced, b1), was->avail->arm64_only ? " arm64" : "",
                    format_version(now->avail->introduced, b2), now->avail->arm64_only ? " arm64" : "");
        changes++;
    }
    sb_addf(out, "\n%zu change(s)\n", changes);
    free_entries(&old);
    free_entries(&new);
}
