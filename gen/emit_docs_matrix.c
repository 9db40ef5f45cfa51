/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit_docs_matrix.c - the availability page's context: one table per area,
 * a row per class and protocol and per member (each wrapper, each delegate
 * callback, each member not wrapped, with the reason), a column per macOS
 * level the API mentions (emit_api_levels) and architecture.  A member is
 * available from the later of its own level and its class's; an arm64-only
 * item (or one of an arm64-only class) never is on x86_64.
 */
#include "emit_docs.h"

#include <stdlib.h>

#include "html.h"

struct matrix {
    const struct capi *capi;
    version_t levels[EMIT_MAX_LEVELS];
    size_t level_count;
    struct tctx *table; /* the current area's */
    char *page;         /* the current area's page */
    const char *owner_anchor; /* the current class's or protocol's anchor: its members' rows without one link there */
};

/* A row naming `label` and C `code`, linked to the area page's `anchor` (and carrying it as its id when own_id). */
static struct tctx *add_row(struct matrix *m, const char *label, const char *code, const char *anchor, bool own_id)
{
    struct tctx *row = tctx_add(m->table, "rows");
    char *href = xasprintf("%s#%s", m->page, anchor);
    tctx_set_html(row, "label", label);
    tctx_set_html(row, "code", code);
    tctx_set_html(row, "href", href);
    tctx_set_html(row, "anchor", own_id ? anchor : "");
    tctx_flag(row, "heading", false);
    free(href);
    return row;
}

/* The cells of a wrapped row: available at each level and architecture, or not. */
static void set_cells(struct matrix *m, struct tctx *row, version_t introduced, bool arm64_only)
{
    char buf[16];
    tctx_flag(row, "wrapped", true);
    tctx_set(row, "reason", "");
    tctx_set(row, "since", format_version(introduced, buf));
    tctx_list(row, "cells");
    for (size_t i = 0; i < m->level_count; i++) {
        bool here = m->levels[i] >= introduced;
        tctx_flag(tctx_add(row, "cells"), "available", here);
        tctx_flag(tctx_add(row, "cells"), "available", here && !arm64_only);
    }
}

static void set_not_wrapped(struct tctx *row, const char *reason)
{
    tctx_flag(row, "wrapped", false);
    tctx_set_html(row, "reason", reason);
    tctx_set(row, "since", "");
    tctx_list(row, "cells");
}

static void add_skipped_row(const char *api_name, const char *reason, void *data)
{
    struct matrix *m = data;
    set_not_wrapped(add_row(m, api_name, "", m->owner_anchor, false), reason);
}

static version_t later(version_t a, version_t b)
{
    return a > b ? a : b;
}

static void add_functions(struct matrix *m, struct capi_span span, version_t owner_level)
{
    for (size_t i = 0; i < span.count; i++) {
        const struct capi_function *f = &m->capi->functions[span.first + i];
        set_cells(m, add_row(m, f->api_name, f->cname, f->cname, true), later(f->introduced, owner_level),
                  f->arm64_only);
    }
}

static void add_protocol(struct matrix *m, const struct capi_protocol *cp)
{
    const struct protocol_decl *p = cp->decl;
    char *anchor = xasprintf("struct-%s", cp->cname);
    char *code = xasprintf("struct %s", cp->cname);
    struct tctx *row = add_row(m, p->name, code, anchor, true);
    tctx_flag(row, "heading", true);
    set_cells(m, row, p->avail.introduced, p->avail.arm64_only);
    m->owner_anchor = anchor;
    for (size_t i = 0; i < cp->method_count; i++) {
        const struct capi_delegate_method *dm = &cp->methods[i];
        char *api_name = method_api_name(p->name, dm->decl);
        char *field = xasprintf("%s_callbacks.%s", cp->cname, dm->field);
        set_cells(m, add_row(m, api_name, field, anchor, false), later(dm->decl->avail.introduced, p->avail.introduced),
                  dm->decl->avail.arm64_only || p->avail.arm64_only);
        free(field);
        free(api_name);
    }
    add_functions(m, cp->functions, p->avail.introduced);
    docs_each_skipped(p->name, p->methods, p->method_count, p->properties, p->property_count, add_skipped_row, m);
    free(code);
    free(anchor);
}

static void add_class(struct matrix *m, const struct capi_class *cc)
{
    const struct class_decl *c = cc->decl;
    struct tctx *row = add_row(m, c->name, cc->cname, cc->cname, true);
    tctx_flag(row, "heading", true);
    if (c->skip_reason) {
        set_not_wrapped(row, c->skip_reason);
        return;
    }
    set_cells(m, row, c->avail.introduced, c->avail.arm64_only);
    m->owner_anchor = cc->cname;
    add_functions(m, cc->functions, c->avail.introduced);
    docs_each_skipped(c->name, c->methods, c->method_count, c->properties, c->property_count, add_skipped_row, m);
}

void emit_docs_matrix(const struct capi *capi, struct tctx *root)
{
    struct matrix m = {.capi = capi};
    char buf[16];
    struct tctx *mc = tctx_add(root, "matrix");
    m.level_count = emit_api_levels(capi, m.levels);
    tctx_set(mc, "page_title", "Availability");
    tctx_list(mc, "levels");
    for (size_t i = 0; i < m.level_count; i++)
        tctx_set(tctx_add(mc, "levels"), "version", format_version(m.levels[i], buf));
    tctx_setf(mc, "skip_columns", "%zu", 1 + 2 * m.level_count);
    tctx_list(mc, "tables");
    for (size_t i = 0; i < capi->area_count; i++) {
        const struct capi_area *a = &capi->areas[i];
        m.table = tctx_add(mc, "tables");
        m.page = docs_page(capi, a->name);
        tctx_set_html(m.table, "area_name", a->name);
        tctx_set_html(m.table, "area_title", a->title);
        tctx_set_html(m.table, "page", m.page);
        tctx_list(m.table, "rows");
        for (size_t j = 0; j < a->protocol_count; j++)
            add_protocol(&m, &capi->protocols[a->protocols[j]]);
        for (size_t j = 0; j < a->class_count; j++)
            add_class(&m, &capi->classes[a->classes[j]]);
        free(m.page);
    }
}
