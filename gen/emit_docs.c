/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit_docs.c - the reference pages' contexts (see emit_docs.h): the index
 * (areas, items not wrapped) and one page per area, each class and delegate
 * with its functions.  Every text value is HTML-escaped here (tctx_set_html);
 * anchors are C names, stable across runs: a function's, a class's, and
 * "struct-" + a protocol's (a getter may share a protocol's C name).
 */
#include "emit_docs.h"

#include <stdlib.h>
#include <string.h>

#include "html.h"

static void set_version(struct tctx *ctx, const char *name, version_t v)
{
    char buf[16];
    tctx_set(ctx, name, format_version(v, buf));
}

char *docs_page(const struct capi *capi, const char *area)
{
    return xasprintf("%s.html", area ? area : capi->areas[0].name);
}

void docs_each_skipped(const char *container, const struct method *methods, size_t method_count,
                       const struct property *properties, size_t property_count, docs_skipped_fn fn, void *data)
{
    for (size_t i = 0; i < method_count; i++)
        if (methods[i].skip_reason) {
            char *name = method_api_name(container, &methods[i]);
            fn(name, methods[i].skip_reason, data);
            free(name);
        }
    for (size_t i = 0; i < property_count; i++)
        if (properties[i].skip_reason) {
            char *name = property_api_name(container, &properties[i]);
            fn(name, properties[i].skip_reason, data);
            free(name);
        }
}

static void add_skipped(const char *api_name, const char *reason, void *data)
{
    struct tctx *sc = tctx_add(data, "skipped");
    tctx_set_html(sc, "api_name", api_name);
    tctx_set_html(sc, "reason", reason);
}

static void emit_params(struct tctx *ctx, const char *list, const struct capi_function *f, bool blocking_only)
{
    tctx_list(ctx, list);
    for (size_t i = 0; i < f->param_count; i++) {
        if (blocking_only && !f->params[i].blocking)
            continue;
        struct tctx *pc = tctx_add(ctx, list);
        tctx_set_html(pc, "type", f->params[i].type);
        tctx_set_html(pc, "name", f->params[i].name);
        if (!blocking_only) /* the blocking variant's own parameters follow every one of these */
            tctx_flag(pc, "more", i + 1 < f->param_count);
    }
}

/*
 * The doc comment's lines sorted by what they say: the summary (without the
 * function's name), "@param: …", "Returns: …", "Fails with: …" and the notes.  The line naming
 * the wrapped API and its level is left out: the page gives both fields of
 * their own.
 */
static void emit_doc(struct tctx *w, const struct capi_function *f)
{
    size_t cname_len = strlen(f->cname);
    tctx_list(w, "param_docs");
    tctx_list(w, "notes");
    tctx_set(w, "returns", "");
    tctx_set(w, "fails", "");
    for (size_t i = 0; i < f->doc_count; i++) {
        const char *line = f->doc[i];
        const char *colon = strchr(line, ':');
        if (i == 0) {
            bool named = strncmp(line, f->cname, cname_len) == 0 && strncmp(line + cname_len, ": ", 2) == 0;
            tctx_set_html(w, "summary", named ? line + cname_len + 2 : line);
        } else if (line[0] == '@' && colon) {
            struct tctx *pc = tctx_add(w, "param_docs");
            char *name = xasprintf("%.*s", (int)(colon - line - 1), line + 1);
            tctx_set_html(pc, "name", name);
            tctx_set_html(pc, "text", colon[1] == ' ' ? colon + 2 : colon + 1);
            free(name);
        } else if (strncmp(line, "Returns: ", 9) == 0) {
            tctx_set_html(w, "returns", line + 9);
        } else if (strncmp(line, "Fails with: ", 12) == 0) {
            tctx_set_html(w, "fails", line + 12);
        } else if (strncmp(line, "Wraps ", 6) != 0) {
            tctx_set_html(tctx_add(w, "notes"), "text", line);
        }
    }
}

static void emit_function(const struct capi_function *f, struct tctx *owner)
{
    struct tctx *w = tctx_add(owner, "functions");
    tctx_set_html(w, "cname", f->cname);
    tctx_set_html(w, "api_name", f->api_name);
    set_version(w, "introduced", f->introduced);
    tctx_flag(w, "arm64_only", f->arm64_only);
    tctx_set_html(w, "ret_decl", f->result.decl);
    emit_params(w, "params", f, false);
    emit_doc(w, f);
    tctx_flag(w, "wait", f->wait.kind != CAPI_WAIT_NONE);
    tctx_flag(w, "wait_object", f->wait.kind == CAPI_WAIT_OBJECT);
    if (f->wait.kind != CAPI_WAIT_NONE) {
        tctx_set_html(w, "wait_cname", f->wait.cname);
        tctx_set_html(w, "wait_ret_decl", f->wait.kind == CAPI_WAIT_OBJECT ? f->wait.type : "int ");
        emit_params(w, "wait_params", f, true);
    }
}

static void emit_functions(const struct capi *capi, struct capi_span span, struct tctx *owner)
{
    tctx_list(owner, "functions");
    for (size_t i = 0; i < span.count; i++)
        emit_function(&capi->functions[span.first + i], owner);
}

/* A class or protocol of an area: its names and where it is available. */
static struct tctx *add_type(struct tctx *area, const char *list, const char *name, const char *cname,
                             const struct availability *avail)
{
    struct tctx *ctx = tctx_add(area, list);
    tctx_set_html(ctx, "name", name);
    tctx_set_html(ctx, "cname", cname);
    set_version(ctx, "introduced", avail->introduced);
    tctx_flag(ctx, "arm64_only", avail->arm64_only);
    return ctx;
}

static void emit_protocol(const struct capi *capi, const struct capi_protocol *cp, struct tctx *area)
{
    const struct protocol_decl *p = cp->decl;
    struct tctx *pc = add_type(area, "protocols", p->name, cp->cname, &p->avail);
    tctx_flag(pc, "delegate", cp->delegate);
    tctx_set_html(pc, "new_name", cp->new_name);
    tctx_list(pc, "methods");
    for (size_t i = 0; i < cp->method_count; i++) {
        const struct capi_delegate_method *m = &cp->methods[i];
        struct tctx *mc = tctx_add(pc, "methods");
        char *api_name = method_api_name(p->name, m->decl);
        tctx_set_html(mc, "field", m->field);
        tctx_set_html(mc, "api_name", api_name);
        tctx_flag(mc, "optional", m->decl->optional);
        set_version(mc, "introduced", m->decl->avail.introduced);
        free(api_name);
    }
    emit_functions(capi, cp->functions, pc);
    tctx_list(pc, "skipped");
    docs_each_skipped(p->name, p->methods, p->method_count, p->properties, p->property_count, add_skipped, pc);
}

static void emit_class(const struct capi *capi, const struct capi_class *cc, struct tctx *area)
{
    const struct class_decl *c = cc->decl;
    struct tctx *ctx = add_type(area, "classes", c->name, cc->cname, &c->avail);
    tctx_flag(ctx, "wrapped", !c->skip_reason);
    tctx_set_html(ctx, "reason", c->skip_reason ? c->skip_reason : "");
    tctx_set_html(ctx, "entitlement", c->entitlement ? c->entitlement : "");
    tctx_list(ctx, "upcasts");
    for (size_t i = 0; i < cc->upcast_count; i++) {
        struct tctx *u = tctx_add(ctx, "upcasts");
        char *page = docs_page(capi, find_class(capi->api, cc->upcasts[i].target_name)->area);
        tctx_set_html(u, "upcast_name", cc->upcasts[i].name);
        tctx_set_html(u, "target_name", cc->upcasts[i].target_name);
        tctx_set_html(u, "target_cname", cc->upcasts[i].target_type);
        tctx_set_html(u, "target_page", page);
        free(page);
    }
    emit_functions(capi, cc->functions, ctx);
    tctx_list(ctx, "skipped");
    docs_each_skipped(c->name, c->methods, c->method_count, c->properties, c->property_count, add_skipped, ctx);
}

static void emit_area(const struct capi *capi, const struct capi_area *a, struct tctx *root)
{
    struct tctx *ac = tctx_add(root, "areas");
    char *page = docs_page(capi, a->name);
    size_t function_count = 0;
    tctx_set_html(ac, "area_name", a->name);
    tctx_set_html(ac, "area_title", a->title);
    tctx_set_html(ac, "page_title", a->title);
    tctx_set_html(ac, "page", page);
    tctx_list(ac, "protocols");
    for (size_t j = 0; j < a->protocol_count; j++) {
        const struct capi_protocol *cp = &capi->protocols[a->protocols[j]];
        emit_protocol(capi, cp, ac);
        function_count += cp->functions.count;
    }
    tctx_list(ac, "classes");
    for (size_t j = 0; j < a->class_count; j++) {
        const struct capi_class *cc = &capi->classes[a->classes[j]];
        emit_class(capi, cc, ac);
        function_count += cc->functions.count;
    }
    tctx_setf(ac, "class_count", "%zu", a->class_count);
    tctx_setf(ac, "function_count", "%zu", function_count);
    free(page);
}

struct tctx *emit_docs_context(const struct capi *capi)
{
    const struct api *api = capi->api;
    struct tctx *root = tctx_new();
    tctx_set_html(root, "framework", api->framework);
    tctx_set_html(root, "page_title", "Reference");
    set_version(root, "sdk", api->sdk);
    tctx_list(root, "areas");
    for (size_t i = 0; i < capi->area_count; i++)
        emit_area(capi, &capi->areas[i], root);
    tctx_list(root, "skips");
    for (size_t i = 0; i < api->skip_count; i++) {
        struct tctx *sc = tctx_add(root, "skips");
        tctx_set_html(sc, "name", api->skips[i].name);
        tctx_set_html(sc, "reason", api->skips[i].reason);
    }
    emit_docs_matrix(capi, root);
    return root;
}

/* The pages rendered once, from the root. */
static const struct {
    const char *template_name;
    const char *path;
} fixed_pages[] = {
    {"index", "index.html"},
    {"availability", "availability.html"},
    {"style", "style.css"},
};
enum { FIXED_PAGE_COUNT = sizeof fixed_pages / sizeof *fixed_pages };

size_t emit_docs_files(const struct capi *capi, const struct tctx *root, const char *out_dir, struct emit_file **out)
{
    size_t n = 0;
    struct emit_file *files = xcalloc(FIXED_PAGE_COUNT + capi->area_count, sizeof *files);
    for (size_t i = 0; i < FIXED_PAGE_COUNT; i++)
        files[n++] = (struct emit_file){fixed_pages[i].template_name, root,
                                        xasprintf("%s/%s", out_dir, fixed_pages[i].path)};
    for (size_t i = 0; i < capi->area_count; i++) {
        char *page = docs_page(capi, capi->areas[i].name);
        files[n++] = (struct emit_file){"area", tctx_item(root, "areas", i), xasprintf("%s/%s", out_dir, page)};
        free(page);
    }
    *out = files;
    return n;
}

int emit_docs(const struct capi *capi, const char *template_dir, const char *out_dir)
{
    return emit_outputs(capi, emit_docs_context, emit_docs_files, template_dir, out_dir);
}
