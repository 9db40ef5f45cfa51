/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit.c - the render phase: places the C API model (capi.h) and the model's
 * enums, constants, callbacks, delegates and simulator skeleton in template
 * contexts, renders every output and writes them all or none.
 */
#include "emit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "name_table.h"
#include "output.h"
#include "template.h"

struct emitter {
    const struct api *api;
    const struct capi *capi;
    struct tctx *root;
    struct name_table names; /* classes and items by name, for cvz_api_available */
};

/* `text` as a C string literal (quotes, backslashes and control characters escaped). */
static char *c_string_literal(const char *text)
{
    size_t len = strlen(text);
    char *out = xmalloc(len * 4 + 3), *p = out;
    *p++ = '"';
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\')
            p += sprintf(p, "\\%c", *c);
        else if (*c < 0x20 || *c == 0x7f)
            p += sprintf(p, "\\%03o", *c);
        else
            *p++ = (char)*c;
    }
    *p++ = '"';
    *p = '\0';
    return out;
}

/* Binds `name` to a version as text ("12.3"). */
static void set_version(struct tctx *ctx, const char *name, version_t v)
{
    char buf[16];
    tctx_set(ctx, name, format_version(v, buf));
}

static void emit_arg(struct tctx *w, const struct capi_arg *a)
{
    struct tctx *ac = tctx_add(w, "args");
    tctx_set(ac, "conv", capi_arg_kind_name(a->kind));
    tctx_set(ac, "param", a->param);
    tctx_set(ac, "field", a->field);
    tctx_set(ac, "send_c", a->send_c);
    tctx_set(ac, "nullable", a->nullable ? "true" : "false");
    if (a->class_id)
        tctx_set(ac, "class_id", a->class_id);
    if (a->protocol)
        tctx_set(ac, "protocol", a->protocol);
    if (a->socket_kind)
        tctx_set(ac, "socket_kind", a->socket_kind);
    if (a->callback_type)
        tctx_set(ac, "callback_type", a->callback_type);
}

/* Doc lines are written " * TEXT": TEXT gets the rest of 100 columns. */
enum { DOC_WIDTH = 100 - 3 };

/*
 * Where the prototypes of templates/header_function.tmpl break: the wrapper's
 * `RET NAME({{open}}P,{{sep}}…);` and the blocking variant's
 * `RET NAME_and_wait({{wait_open}}P,{{wait_sep}}…int64_t timeout_ms,{{timeout_sep}}cvz_error **error);`.
 */
static void emit_prototype_breaks(struct tctx *w, struct tctx **pcs, const struct capi_function *f)
{
    size_t *lens = xcalloc(f->param_count + 2, sizeof *lens), *wait_lens = xcalloc(f->param_count + 2, sizeof *lens);
    const char **seps = xcalloc(f->param_count + 2, sizeof *seps);
    for (size_t i = 0; i < f->param_count; i++)
        lens[i] = strlen(f->params[i].type) + strlen(f->params[i].name);
    tctx_set(w, "open", layout_params(strlen(f->result.decl) + strlen(f->cname), lens, f->param_count, seps));
    for (size_t i = 0; i + 1 < f->param_count; i++)
        tctx_set(pcs[i], "sep", seps[i]);
    if (f->wait.kind != CAPI_WAIT_NONE) {
        size_t n = 0;
        for (size_t i = 0; i < f->param_count; i++)
            if (f->params[i].blocking)
                wait_lens[n++] = lens[i];
        wait_lens[n++] = strlen("int64_t timeout_ms");
        wait_lens[n++] = strlen("cvz_error **error");
        const char *ret = f->wait.kind == CAPI_WAIT_OBJECT ? f->wait.type : "int ";
        tctx_set(w, "wait_open", layout_params(strlen(ret) + strlen(f->wait.cname), wait_lens, n, seps));
        for (size_t i = 0, k = 0; i < f->param_count; i++)
            if (f->params[i].blocking)
                tctx_set(pcs[i], "wait_sep", seps[k++]);
        tctx_set(w, "timeout_sep", seps[n - 2]);
    }
    free(lens);
    free(wait_lens);
    free(seps);
}

static void register_item(struct emitter *e, const struct capi_function *f)
{
    struct tctx *it = tctx_add(e->root, "items");
    tctx_set(it, "c_function", f->cname);
    tctx_set(it, "api_name", f->api_name);
    tctx_set(it, "item_id", f->item_id);
    tctx_set(it, "class_id", f->proto ? "" : e->capi->classes[f->cls - e->api->classes].id);
    tctx_set(it, "protocol", f->proto ? f->proto->name : "");
    tctx_set(it, "selector", f->selector);
    tctx_set(it, "kind", f->proto ? "CVZ__PROTOCOL_METHOD" : f->class_receiver ? "CVZ__CLASS_METHOD" : "CVZ__INSTANCE_METHOD");
    tctx_setf(it, "introduced", "%d", f->introduced);
    tctx_set(it, "arm64_only", f->arm64_only ? "true" : "false");
    name_table_add(&e->names, f->api_name, f->item_id, false);
    name_table_add(&e->names, f->cname, f->item_id, false);
}

static void emit_function(struct emitter *e, const struct capi_function *f, struct tctx *owner)
{
    struct tctx *w = tctx_add(owner, "functions");
    const struct capi_result *r = &f->result;
    char buf[16];
    tctx_set(w, "cname", f->cname);
    tctx_set(w, "api_name", f->api_name);
    set_version(w, "introduced", f->introduced);
    tctx_set(w, "level_suffix", format_version_suffix(f->introduced, buf));
    tctx_set(w, "api_macro", f->api_macro);
    /* "#define MACRO "NAME"", its value on a line of its own when the two pass 100 columns. */
    bool long_macro = strlen("#define ") + strlen(f->api_macro) + strlen(f->api_name) + 3 > 100;
    tctx_set(w, "macro_sep", long_macro ? " \\\n    " : " ");
    tctx_list(w, "doc");
    for (size_t i = 0; i < f->doc_count; i++) {
        if (strlen(f->doc[i]) <= DOC_WIDTH) { /* most lines */
            tctx_set(tctx_add(w, "doc"), "line", f->doc[i]);
            continue;
        }
        char **lines;
        size_t n = layout_wrap(f->doc[i], DOC_WIDTH, &lines);
        for (size_t j = 0; j < n; j++) {
            tctx_set(tctx_add(w, "doc"), "line", lines[j]);
            free(lines[j]);
        }
        free(lines);
    }
    tctx_flag(w, "receiver_self", !f->class_receiver && !f->alloc_init);
    tctx_flag(w, "alloc", f->alloc_init);
    tctx_list(w, "params");
    struct tctx **pcs = xcalloc(f->param_count + 1, sizeof *pcs);
    for (size_t i = 0; i < f->param_count; i++) {
        const struct capi_param *p = &f->params[i];
        struct tctx *pc = pcs[i] = tctx_add(w, "params");
        tctx_set(pc, "type", p->type);
        tctx_set(pc, "name", p->name);
        tctx_set(pc, "zero", p->zero ? p->zero : "");
        tctx_flag(pc, "blocking", p->blocking);
        tctx_flag(pc, "more", i + 1 < f->param_count);
    }
    emit_prototype_breaks(w, pcs, f);
    free(pcs);
    tctx_list(w, "args");
    for (size_t i = 0; i < f->arg_count; i++)
        emit_arg(w, &f->args[i]);
    tctx_set(w, "result", capi_result_kind_name(r->kind));
    tctx_set(w, "result_send_c", r->send_c);
    tctx_set(w, "owned", r->owned ? "true" : "false");
    tctx_set(w, "ret_nullable", r->nullable ? "true" : "false");
    tctx_flag(w, "error_out", f->error_out);
    tctx_set(w, "public_ret", r->type);
    tctx_set(w, "ret_decl", r->decl);
    tctx_set(w, "fail_value", r->fail);
    tctx_flag(w, "returns_status", r->returns_status);
    tctx_set(w, "release", r->release ? r->release : "");
    tctx_flag(w, "release_count", r->release_takes_count);
    tctx_flag(w, "release_cast", r->release_cast);
    tctx_flag(w, "pool", f->pool);
    tctx_flag(w, "fast", f->fast);
    register_item(e, f);
    tctx_set(w, "item_id", f->item_id);
    tctx_set(w, "wait", capi_wait_kind_name(f->wait.kind));
    if (f->wait.kind != CAPI_WAIT_NONE)
        tctx_set(w, "wait_cname", f->wait.cname);
    if (f->wait.kind == CAPI_WAIT_OBJECT) {
        tctx_set(w, "wait_ret", f->wait.type);
        tctx_set(w, "wait_callback", f->wait.callback);
    }
}

static void emit_functions(struct emitter *e, struct capi_span span, struct tctx *owner)
{
    tctx_list(owner, "functions");
    for (size_t i = 0; i < span.count; i++)
        emit_function(e, &e->capi->functions[span.first + i], owner);
}

static void emit_class(struct emitter *e, const struct capi_class *cc, struct tctx *area)
{
    const struct class_decl *c = cc->decl;
    struct tctx *ctx = tctx_add(area, "classes");
    name_table_add(&e->names, c->name, cc->id, true);
    tctx_set(ctx, "name", c->name);
    tctx_set(ctx, "cname", cc->cname);
    set_version(ctx, "introduced", c->avail.introduced);
    tctx_set(ctx, "class_id", cc->id);
    tctx_set(ctx, "arm64_only", c->avail.arm64_only ? "true" : "false");
    tctx_setf(ctx, "level", "%d", c->avail.introduced);
    tctx_set(ctx, "class_macro", cc->class_macro);
    tctx_list(ctx, "upcasts");
    /* A skipped class stays in the class table (availability queries know it) but gets no C API. */
    tctx_flag(ctx, "wrapped", !c->skip_reason);
    for (size_t i = 0; i < cc->upcast_count; i++) {
        struct tctx *u = tctx_add(ctx, "upcasts");
        tctx_set(u, "target_cname", cc->upcasts[i].target_type);
        tctx_set(u, "target_name", cc->upcasts[i].target_name);
        tctx_set(u, "upcast_name", cc->upcasts[i].name);
    }
    emit_functions(e, cc->functions, ctx);
}

static void emit_enum(struct emitter *e, const struct capi_enum *ce)
{
    const struct enum_decl *en = ce->decl;
    struct tctx *ec = tctx_add(e->root, "enums");
    tctx_set(ec, "name", en->name);
    tctx_set(ec, "cname", ce->cname);
    set_version(ec, "introduced", en->avail.introduced);
    tctx_list(ec, "values");
    for (size_t i = 0; i < en->value_count; i++) {
        struct tctx *vc = tctx_add(ec, "values");
        tctx_set(vc, "name", en->values[i].name);
        tctx_set(vc, "cname", ce->value_names[i]);
        tctx_setf(vc, "value", "%lld", en->values[i].value);
        set_version(vc, "introduced", en->values[i].avail.introduced);
        tctx_flag(vc, "last", i + 1 == en->value_count);
    }
}

static void emit_callbacks(struct emitter *e)
{
    tctx_list(e->root, "callbacks");
    for (size_t i = 0; i < e->capi->callback_count; i++) {
        const struct capi_callback *cb = &e->capi->callbacks[i];
        struct tctx *cc = tctx_add(e->root, "callbacks");
        tctx_set(cc, "cname", cb->cname);
        tctx_set(cc, "key", cb->block->key);
        tctx_set(cc, "signature", cb->signature);
        tctx_list(cc, "params");
        for (size_t j = 0; j < cb->param_count; j++) {
            const struct capi_callback_param *p = &cb->params[j];
            struct tctx *pc = tctx_add(cc, "params");
            tctx_set(pc, "kind", capi_callback_param_kind_name(p->kind));
            tctx_set(pc, "send_c", p->send_c);
            tctx_set(pc, "type", p->type);
            tctx_set(pc, "src", p->src);
            if (p->var)
                tctx_set(pc, "var", p->var);
        }
        tctx_flag(cc, "has_error", cb->error_param >= 0);
        if (cb->error_param >= 0)
            tctx_set(cc, "error_src", cb->params[cb->error_param].src);
        tctx_flag(cc, "delivers_object", cb->delivers_object);
        if (cb->delivers_object)
            tctx_set(cc, "object_type", cb->object_type);
    }
}

/* Version nodes of the symbol map: one per macOS level, chained, each listing its wrappers. */
static int by_level_then_name(const void *a, const void *b)
{
    const struct capi_symbol *x = *(const struct capi_symbol *const *)a, *y = *(const struct capi_symbol *const *)b;
    if (x->level != y->level)
        return x->level < y->level ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void emit_versions(struct emitter *e)
{
    const struct capi *capi = e->capi;
    tctx_list(e->root, "versions");
    /* By level, and by name within one, so the map reads like a table. */
    const struct capi_symbol **sorted = xcalloc(capi->symbol_count + 1, sizeof *sorted);
    size_t n = 0;
    for (size_t i = 0; i < capi->symbol_count; i++)
        if (capi->symbols[i].level > 0) /* no version node exports a symbol without one */
            sorted[n++] = &capi->symbols[i];
    qsort(sorted, n, sizeof *sorted, by_level_then_name);
    version_t previous = 0;
    for (size_t i = 0; i < n;) {
        version_t level = sorted[i]->level;
        struct tctx *vc = tctx_add(e->root, "versions");
        set_version(vc, "version", level);
        tctx_flag(vc, "chained", previous != 0);
        set_version(vc, "previous", previous);
        tctx_list(vc, "symbols");
        for (; i < n && sorted[i]->level == level; i++)
            tctx_set(tctx_add(vc, "symbols"), "name", sorted[i]->name);
        previous = level;
    }
    free(sorted);
}

static void emit_protocol(struct emitter *e, const struct capi_protocol *cp, struct tctx *area)
{
    const struct protocol_decl *p = cp->decl;
    struct tctx *pc = tctx_add(area, "protocols");
    char buf[16];
    tctx_set(pc, "name", p->name);
    tctx_set(pc, "cname", cp->cname);
    tctx_set(pc, "impl_class", cp->impl_class);
    set_version(pc, "introduced", p->avail.introduced);
    tctx_setf(pc, "level", "%d", p->avail.introduced);
    tctx_set(pc, "level_suffix", format_version_suffix(p->avail.introduced, buf));
    tctx_flag(pc, "delegate", cp->delegate);
    tctx_set(pc, "new_name", cp->new_name);
    emit_functions(e, cp->functions, pc);
    tctx_list(pc, "methods");
    for (size_t i = 0; i < cp->method_count; i++) {
        const struct capi_delegate_method *m = &cp->methods[i];
        struct tctx *mc = tctx_add(pc, "methods");
        tctx_set(mc, "field", m->field);
        tctx_set(mc, "selector", m->decl->selector);
        set_version(mc, "introduced", m->decl->avail.introduced);
        tctx_set(mc, "imp", m->imp);
        tctx_set(mc, "optional", m->decl->optional ? "optional" : "required");
        tctx_set(mc, "answer", capi_answer_kind_name(m->answer));
        tctx_set(mc, "types", m->types);
        tctx_list(mc, "args");
        for (size_t j = 0; j < m->arg_count; j++) {
            const struct capi_delegate_arg *a = &m->args[j];
            struct tctx *ac = tctx_add(mc, "args");
            tctx_set(ac, "kind", capi_delegate_arg_kind_name(a->kind));
            tctx_set(ac, "send_c", a->send_c);
            tctx_set(ac, "type", a->type);
            tctx_set(ac, "decl_type", a->decl_type);
            tctx_set(ac, "param", a->param);
            tctx_set(ac, "src", a->src);
            tctx_set(ac, "var", a->var);
        }
    }
}

/* The areas, each with its protocols and its classes (base-first): every output lists them area by area. */
static void emit_areas(struct emitter *e)
{
    tctx_list(e->root, "areas");
    for (size_t i = 0; i < e->capi->area_count; i++) {
        const struct capi_area *a = &e->capi->areas[i];
        struct tctx *ac = tctx_add(e->root, "areas");
        tctx_set(ac, "area_name", a->name);
        tctx_set(ac, "area_title", a->title);
        tctx_set(ac, "area_guard", a->guard);
        tctx_list(ac, "protocols");
        for (size_t j = 0; j < a->protocol_count; j++)
            emit_protocol(e, &e->capi->protocols[a->protocols[j]], ac);
        tctx_list(ac, "classes");
        for (size_t j = 0; j < a->class_count; j++)
            emit_class(e, &e->capi->classes[a->classes[j]], ac);
    }
}

static void add_level(version_t levels[EMIT_MAX_LEVELS], size_t *n, version_t v)
{
    for (size_t k = 0; k < *n; k++)
        if (levels[k] == v)
            return;
    if (*n < EMIT_MAX_LEVELS)
        levels[(*n)++] = v;
}

size_t emit_api_levels(const struct capi *capi, version_t levels[EMIT_MAX_LEVELS])
{
    size_t n = 0;
    const struct api *api = capi->api;
    add_level(levels, &n, api->sdk);
    for (size_t i = 0; i < capi->symbol_count; i++)
        add_level(levels, &n, capi->symbols[i].level);
    for (size_t i = 0; i < api->enum_count; i++)
        for (size_t j = 0; j < api->enums[i].value_count; j++)
            add_level(levels, &n, api->enums[i].values[j].avail.introduced);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && levels[j - 1] > levels[j]; j--) {
            version_t t = levels[j];
            levels[j] = levels[j - 1];
            levels[j - 1] = t;
        }
    return n;
}

/* Every macOS level the API mentions, and the SDK's: one compile-time macro each. */
static void emit_levels(struct emitter *e)
{
    version_t levels[EMIT_MAX_LEVELS];
    char buf[16];
    size_t n = emit_api_levels(e->capi, levels);
    const struct api *api = e->api;
    tctx_list(e->root, "levels");
    for (size_t i = 0; i < n; i++) {
        struct tctx *lc = tctx_add(e->root, "levels");
        set_version(lc, "version", levels[i]);
        tctx_set(lc, "suffix", format_version_suffix(levels[i], buf));
        tctx_setf(lc, "level", "%d", levels[i]);
    }
    tctx_set(e->root, "oldest_suffix", format_version_suffix(levels[0], buf));
    tctx_set(e->root, "sdk_suffix", format_version_suffix(api->sdk, buf));
}

/* The simulated framework's skeleton (capi_sim.c): its classes and their selectors. */
static void emit_sim_skeleton(struct emitter *e)
{
    tctx_list(e->root, "sim_classes");
    for (size_t i = 0; i < e->api->class_count; i++) {
        const struct class_decl *c = &e->api->classes[i];
        if (c->skip_reason)
            continue;
        struct tctx *cc = tctx_add(e->root, "sim_classes");
        tctx_set(cc, "name", c->name);
        tctx_set(cc, "superclass", c->superclass_name);
        tctx_setf(cc, "level", "%d", c->avail.introduced);
        tctx_set(cc, "arm64", c->avail.arm64_only ? "1" : "0");
    }
    tctx_list(e->root, "sim_members");
    for (size_t i = 0; i < e->capi->sim_member_count; i++) {
        const struct capi_sim_member *m = &e->capi->sim_members[i];
        struct tctx *mc = tctx_add(e->root, "sim_members");
        tctx_set(mc, "class_name", m->cls->name);
        tctx_set(mc, "selector", m->selector);
        tctx_set(mc, "is_class", m->is_class ? "1" : "0");
        tctx_setf(mc, "level", "%d", m->level);
        tctx_set(mc, "arm64", m->arm64_only ? "1" : "0");
        tctx_set(mc, "kind", m->stub);
        tctx_set(mc, "types", m->types);
    }
}

/* The outputs rendered once, from the root. */
static const struct {
    const char *template_name;
    const char *path;
} fixed_outputs[] = {
    {"api_header", "include/cvz/cvz-api.h"},
    {"api_types", "include/cvz/cvz-types.h"},
    {"api_names", "include/cvz/cvz-names.h"},
    {"api_source", "cvz-api.c"},
    {"symbol_map", "cvz.map"},
    {"exports", "cvz.exports"},
    {"sim_skeleton", "sim/skeleton-table.c"},
    {"bad_calls", "tests/bad-calls.c"}, /* last: tests/test_gen.c interrupts cvzgen before it */
};
enum { FIXED_OUTPUT_COUNT = sizeof fixed_outputs / sizeof *fixed_outputs, HEADER_OUTPUT_COUNT = 3 };

size_t emit_files(const struct capi *capi, const struct tctx *root, const char *out_dir, struct emit_file **out)
{
    size_t n = 0;
    struct emit_file *files = xcalloc(FIXED_OUTPUT_COUNT + capi->area_count, sizeof *files);
    for (size_t i = 0; i < FIXED_OUTPUT_COUNT; i++) {
        if (i == HEADER_OUTPUT_COUNT) /* the area headers after the other headers */
            for (size_t j = 0; j < capi->area_count; j++)
                files[n++] = (struct emit_file){"area_header", tctx_item(root, "areas", j),
                                                xasprintf("%s/include/cvz/%s.h", out_dir, capi->areas[j].name)};
        files[n++] = (struct emit_file){fixed_outputs[i].template_name, root,
                                        xasprintf("%s/%s", out_dir, fixed_outputs[i].path)};
    }
    *out = files;
    return n;
}

void emit_files_free(struct emit_file *files, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(files[i].path);
    free(files);
}

struct tctx *emit_context(const struct capi *capi)
{
    const struct api *api = capi->api;
    struct emitter e = {api, capi, tctx_new(), {0}};
    name_table_init(&e.names);
    set_version(e.root, "sdk", api->sdk);
    tctx_set(e.root, "framework", api->framework);
    const char *base = strrchr(api->file, '/');
    tctx_set(e.root, "source", base ? base + 1 : api->file);
    tctx_list(e.root, "enums");
    tctx_list(e.root, "items");
    tctx_list(e.root, "constants");
    for (size_t i = 0; i < api->constant_count; i++) {
        const struct constant *k = &api->constants[i];
        struct tctx *kc = tctx_add(e.root, "constants");
        tctx_set(kc, "name", k->name);
        tctx_set(kc, "cname", capi->constant_names[i]);
        set_version(kc, "introduced", k->avail.introduced);
        tctx_setf(kc, "level", "%d", k->avail.introduced);
    }
    for (size_t i = 0; i < api->enum_count; i++)
        emit_enum(&e, &capi->enums[i]);
    emit_callbacks(&e);
    tctx_list(e.root, "skips");
    for (size_t i = 0; i < api->skip_count; i++) {
        struct tctx *sc = tctx_add(e.root, "skips");
        tctx_set(sc, "name", api->skips[i].name);
        tctx_set(sc, "reason", api->skips[i].reason);
        char *quoted = c_string_literal(api->skips[i].reason);
        tctx_set(sc, "reason_literal", quoted);
        free(quoted);
        quoted = c_string_literal(api->skips[i].name);
        tctx_set(sc, "name_literal", quoted);
        free(quoted);
    }
    emit_areas(&e);
    emit_versions(&e);
    emit_levels(&e);
    emit_sim_skeleton(&e);
    name_table_emit(&e.names, e.root);
    name_table_free(&e.names);
    return e.root;
}

static int render_files(const char *template_dir, const struct emit_file *files, size_t count)
{
    struct template_set *set = template_set_new(template_dir);
    struct strbuf *rendered = xcalloc(count, sizeof *rendered);
    struct output *outputs = xcalloc(count, sizeof *outputs);
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
        sb_init(&rendered[i]);
        if (template_render(set, files[i].template_name, files[i].ctx, &rendered[i]) != 0)
            rc = -1;
        outputs[i] = (struct output){files[i].path, rendered[i].data ? rendered[i].data : "", rendered[i].len};
    }
    if (diag_error_count())
        rc = -1;
    /* All outputs or none: a mixed tree would not build. */
    if (rc == 0)
        rc = write_outputs(outputs, count);
    for (size_t i = 0; i < count; i++)
        sb_free(&rendered[i]);
    free(rendered);
    free(outputs);
    template_set_free(set);
    return rc;
}

int emit_outputs(const struct capi *capi, emit_context_fn *context, emit_files_fn *files_of,
                 const char *template_dir, const char *out_dir)
{
    struct tctx *root = context(capi);
    struct emit_file *files;
    size_t count = files_of(capi, root, out_dir, &files);
    int rc = render_files(template_dir, files, count);
    emit_files_free(files, count);
    tctx_free(root);
    return rc;
}

/* An area renamed or removed leaves its old header behind: it would be installed, and included by no one. */
static int remove_stale_headers(const struct capi *capi, const char *out_dir)
{
    size_t count = FIXED_OUTPUT_COUNT + capi->area_count;
    struct output *keep = xcalloc(count, sizeof *keep);
    for (size_t i = 0; i < FIXED_OUTPUT_COUNT; i++)
        keep[i].path = xasprintf("%s/%s", out_dir, fixed_outputs[i].path);
    for (size_t i = 0; i < capi->area_count; i++)
        keep[FIXED_OUTPUT_COUNT + i].path = xasprintf("%s/include/cvz/%s.h", out_dir, capi->areas[i].name);
    char *headers = xasprintf("%s/include/cvz", out_dir);
    int rc = remove_stale_outputs(headers, ".h", "GENERATED by cvzgen", keep, count);
    free(headers);
    for (size_t i = 0; i < count; i++)
        free((char *)keep[i].path);
    free(keep);
    return rc;
}

int emit_all(const struct capi *capi, const char *template_dir, const char *out_dir)
{
    int rc = emit_outputs(capi, emit_context, emit_files, template_dir, out_dir);
    return rc == 0 ? remove_stale_headers(capi, out_dir) : rc;
}
