/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resolve.c - from what the headers say to what the XML states.
 *
 *   - Effective availability: an item's introduced version is the newest of
 *     its own and its container's (enum for values; class, category or
 *     protocol for members; class for a category); deprecation and arm64
 *     are inherited when the item doesn't state them.
 *   - Categories are merged into their class, after the class's own members,
 *     in header order.
 *   - Classes are ordered so that every superclass in the scanned set comes
 *     before its subclasses, otherwise in header order.
 *   - A class without any macOS availability that has subclasses stating
 *     one gets the earliest of theirs (it can't be of use before them, and
 *     can't have appeared after them), with a warning.  Any other top-level
 *     item without macOS availability is, as for the compiler, available
 *     wherever the framework is: it gets the earliest version stated
 *     anywhere in the scan, with a warning.
 *   - Items that can't be written are dropped with a warning: duplicates,
 *     categories of unknown classes, classes without a superclass.
 */
#include <stdlib.h>
#include <string.h>

#include "scan.h"

static void inherit(struct avail *item, const struct avail *container)
{
    if (item->introduced < container->introduced)
        item->introduced = container->introduced;
    if (!item->deprecated && container->deprecated)
        item->deprecated = container->deprecated;
    if (container->arm64)
        item->arm64 = true;
}

static void note_version(struct resolved *r, const struct avail *a)
{
    if (a->introduced > r->max_version)
        r->max_version = a->introduced;
    if (a->deprecated > r->max_version)
        r->max_version = a->deprecated;
}

static const char *kind_word(const struct container *c)
{
    return c->kind == C_PROTOCOL ? "@protocol" : "@interface";
}

static struct container *find(struct scan *scan, enum container_kind kind, const char *name)
{
    for (size_t i = 0; i < scan->container_count; i++) {
        struct container *c = &scan->containers[i];
        if (c->kind == kind && !c->skip && strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

static bool same_member(const struct member *a, const struct member *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind == M_METHOD)
        return a->is_class == b->is_class && strcmp(a->selector, b->selector) == 0;
    return a->class_property == b->class_property && strcmp(a->ret.name, b->ret.name) == 0;
}

static void append_member(struct out_container *oc, struct member *m)
{
    if (m->skip)
        return;
    for (size_t i = 0; i < oc->member_count; i++) {
        if (same_member(oc->members[i], m)) {
            scan_warning(m->at, "%s '%s' of %s is declared again (first at line %d); the repeat is skipped",
                         m->kind == M_METHOD ? "method" : "property", m->kind == M_METHOD ? m->selector : m->ret.name,
                         oc->c->name, oc->members[i]->at.line);
            m->skip = true;
            return;
        }
    }
    oc->members = xrealloc(oc->members, (oc->member_count + 1) * sizeof *oc->members);
    oc->members[oc->member_count++] = m;
}

static void add_out(struct out_container **list, size_t *count, struct container *c)
{
    *list = xrealloc(*list, (*count + 1) * sizeof **list);
    (*list)[*count] = (struct out_container){c, NULL, 0};
    struct out_container *oc = &(*list)[(*count)++];
    for (size_t i = 0; i < c->member_count; i++)
        append_member(oc, &c->members[i]);
}

/* Depth first: the superclass (when scanned) goes out before the class. */
static void place_class(struct scan *scan, struct resolved *r, struct container *c)
{
    if (c->done)
        return;
    if (c->visiting) {
        diag_error(c->at, "the superclass chain of '%s' loops back on itself", c->name);
        c->done = true;
        return;
    }
    c->visiting = true;
    struct container *super = c->superclass ? find(scan, C_CLASS, c->superclass) : NULL;
    if (super)
        place_class(scan, r, super);
    c->visiting = false;
    if (c->done) /* placed while reporting a loop */
        return;
    c->done = true;
    add_out(&r->classes, &r->class_count, c);
}

static void note_min(version_t *min, const struct avail *a)
{
    if (a->introduced && (!*min || a->introduced < *min))
        *min = a->introduced;
}

/* The earliest version any item states: the framework's first release. */
static version_t first_version(const struct scan *scan)
{
    version_t min = 0;
    for (size_t i = 0; i < scan->constant_count; i++)
        note_min(&min, &scan->constants[i].an.av);
    for (size_t i = 0; i < scan->enum_count; i++) {
        note_min(&min, &scan->enums[i].an.av);
        for (size_t j = 0; j < scan->enums[i].value_count; j++)
            note_min(&min, &scan->enums[i].values[j].an.av);
    }
    for (size_t i = 0; i < scan->container_count; i++) {
        note_min(&min, &scan->containers[i].an.av);
        for (size_t j = 0; j < scan->containers[i].member_count; j++)
            note_min(&min, &scan->containers[i].members[j].an.av);
    }
    return min;
}

/*
 * A class that states no macOS version but has subclasses that do: it can't
 * be of use before its first subclass (a subclass needs its superclass at run
 * time, so that is also the latest the class can have appeared).  Apple's
 * abstract base classes are sometimes declared with a bare VZ_EXPORT; the
 * framework's first version would be wrong for them.  Returns the earliest
 * version stated by a class below 'base' (0 for none) and names that class.
 */
static version_t earliest_subclass(struct scan *scan, const struct container *base, const char **who)
{
    version_t min = 0;
    for (size_t i = 0; i < scan->container_count; i++) {
        const struct container *c = &scan->containers[i];
        if (c->kind != C_CLASS || c->skip || !c->an.av.introduced || c == base)
            continue;
        /* Up the superclass chain; a chain can't be longer than the scan (loops are reported later). */
        const struct container *up = c;
        for (size_t steps = 0; up && up->superclass && steps < scan->container_count; steps++) {
            up = find(scan, C_CLASS, up->superclass);
            if (up == base) {
                if (!min || c->an.av.introduced < min) {
                    min = c->an.av.introduced;
                    *who = c->name;
                }
                break;
            }
        }
    }
    return min;
}

static void version_from_subclasses(struct scan *scan)
{
    for (size_t i = 0; i < scan->container_count; i++) {
        struct container *c = &scan->containers[i];
        if (c->kind != C_CLASS || c->skip || c->an.av.introduced || c->an.av.unavailable_macos)
            continue;
        const char *who = NULL;
        version_t v = earliest_subclass(scan, c, &who);
        if (!v)
            continue;
        char buf[16];
        scan_warning(c->at,
                     "@interface %s has no API_AVAILABLE(macos(…)); taken as available since its earliest subclass, "
                     "%s (%s)",
                     c->name, who, format_version(v, buf));
        c->inferred_introduced = v;
    }
    /* Set after the pass, so that one inferred version never feeds another's. */
    for (size_t i = 0; i < scan->container_count; i++) {
        struct container *c = &scan->containers[i];
        if (c->inferred_introduced) {
            c->an.av.introduced = c->inferred_introduced;
            c->inferred_introduced = 0;
        }
    }
}

/* A top-level item that states no macOS version. */
static bool default_version(struct avail *a, version_t first, struct loc at, const char *what, const char *name)
{
    if (a->introduced)
        return true;
    char buf[16];
    if (!first) {
        scan_warning(at, "%s %s has no API_AVAILABLE(macos(…)) and no other item states a version; skipped", what,
                     name);
        return false;
    }
    scan_warning(at, "%s %s has no API_AVAILABLE(macos(…)); taken as available since the framework's first version (%s)",
                 what, name, format_version(first, buf));
    a->introduced = first;
    return true;
}

int resolve(struct scan *scan, struct resolved *out)
{
    *out = (struct resolved){0};
    int errors_before = diag_error_count();
    version_t first = first_version(scan);

    for (size_t i = 0; i < scan->constant_count; i++) {
        struct constant *k = &scan->constants[i];
        if (!default_version(&k->an.av, first, k->at, "constant", k->name))
            k->skip = true;
        note_version(out, &k->an.av);
    }

    for (size_t i = 0; i < scan->enum_count; i++) {
        struct enum_decl *e = &scan->enums[i];
        if (e->an.av.unavailable_macos || !default_version(&e->an.av, first, e->at, "enum", e->name)) {
            e->skip = true;
            continue;
        }
        size_t kept = 0;
        for (size_t j = 0; j < e->value_count; j++) {
            inherit(&e->values[j].an.av, &e->an.av);
            note_version(out, &e->values[j].an.av);
            kept += !e->values[j].an.av.unavailable_macos;
        }
        if (kept == 0) {
            scan_warning(e->at, "enum '%s' has no values; skipped", e->name);
            e->skip = true;
        }
        note_version(out, &e->an.av);
    }

    /* Classes and protocols: a version of their own, no duplicates. */
    version_from_subclasses(scan);
    for (size_t i = 0; i < scan->container_count; i++) {
        struct container *c = &scan->containers[i];
        if (c->kind == C_CATEGORY)
            continue;
        if (!default_version(&c->an.av, first, c->at, kind_word(c), c->name)) {
            c->skip = true;
            continue;
        }
        if (c->kind == C_CLASS && !c->superclass) {
            scan_warning(c->at, "@interface %s has no superclass; skipped", c->name);
            c->skip = true;
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            struct container *d = &scan->containers[j];
            if (d->kind == c->kind && !d->skip && strcmp(d->name, c->name) == 0) {
                if (strcmp(c->at.file, d->at.file) == 0)
                    diag_error(c->at, "%s %s is declared twice (first at line %d)", kind_word(c), c->name,
                               d->at.line);
                else
                    diag_error(c->at, "%s %s is declared twice (first at %s:%d)", kind_word(c), c->name,
                               d->at.file, d->at.line);
                c->skip = true;
                break;
            }
        }
    }
    for (size_t i = 0; i < scan->container_count; i++) {
        struct container *c = &scan->containers[i];
        if (c->skip)
            continue;
        const struct avail *base = &c->an.av;
        if (c->kind == C_CATEGORY) {
            struct container *cls = find(scan, C_CLASS, c->name);
            if (!cls) {
                scan_warning(c->at, "category %s(%s): class '%s' is not in the scanned headers; skipped", c->name,
                             c->category, c->name);
                c->skip = true;
                continue;
            }
            inherit(&c->an.av, &cls->an.av);
        }
        note_version(out, base);
        for (size_t j = 0; j < c->member_count; j++) {
            struct member *m = &c->members[j];
            inherit(&m->an.av, base);
            if (c->kind == C_CATEGORY)
                m->category = c->category;
            note_version(out, &m->an.av);
        }
    }

    for (size_t i = 0; i < scan->container_count; i++) {
        struct container *c = &scan->containers[i];
        if (c->kind == C_PROTOCOL && !c->skip)
            add_out(&out->protocols, &out->protocol_count, c);
    }
    for (size_t i = 0; i < scan->container_count; i++) {
        struct container *c = &scan->containers[i];
        if (c->kind == C_CLASS && !c->skip)
            place_class(scan, out, c);
    }
    /* Categories after the class's own members, in header order. */
    for (size_t i = 0; i < scan->container_count; i++) {
        struct container *cat = &scan->containers[i];
        if (cat->kind != C_CATEGORY || cat->skip)
            continue;
        for (size_t j = 0; j < out->class_count; j++) {
            struct out_container *oc = &out->classes[j];
            if (strcmp(oc->c->name, cat->name) == 0) {
                for (size_t k = 0; k < cat->member_count; k++)
                    append_member(oc, &cat->members[k]);
                break;
            }
        }
    }
    return diag_error_count() > errors_before ? -1 : 0;
}

void resolved_free(struct resolved *r)
{
    for (size_t i = 0; i < r->protocol_count; i++)
        free(r->protocols[i].members);
    free(r->protocols);
    for (size_t i = 0; i < r->class_count; i++)
        free(r->classes[i].members);
    free(r->classes);
    *r = (struct resolved){0};
}
