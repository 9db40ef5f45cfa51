/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit_go.c - the rendering contexts of the Go package (see emit_go.h),
 * from the C API model: the enums and constants, the completion handlers'
 * trampolines, the classes with their functions (emit_go_function.c), then
 * the protocols (emit_go_protocol.c); then the files, rendered from
 * templates/go and written all or none.  Go's names and types come from
 * emit_go_names.c; every line of Go from the templates.
 */
#include "emit_go.h"
#include "emit_go_internal.h"

#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "strmap.h"
#include "template.h"

const char *keep(struct go_emitter *g, char *s)
{
    g->owned = xrealloc(g->owned, (g->owned_count + 1) * sizeof *g->owned);
    g->owned[g->owned_count++] = s;
    return s;
}

void skip_item(struct go_emitter *g, const char *cfunc, const char *reason)
{
    struct tctx *s = tctx_add(g->root, "not_wrapped");
    tctx_set(s, "cfunc", cfunc);
    tctx_set(s, "reason", reason);
    g->skipped++;
}

/* Claims a Go name in a scope; a clash is an error naming both C functions. */
bool claim(struct go_emitter *g, struct strmap *scope, const char *name, const char *cfunc, struct loc at)
{
    const char *other = strmap_get(scope, name);
    if (other) {
        diag_error(at, "the Go name %s of %s() is already the Go name of %s()", name, cfunc, other);
        return false;
    }
    strmap_add(scope, keep(g, xstrdup(name)), (void *)keep(g, xstrdup(cfunc)));
    return true;
}

/*
 * The literal building a class's Go value around a handle h:
 * "LinuxBootLoader{BootLoader{object{h}}}".  A token, not template text: a
 * template cannot write a "{" right before a tag.
 */
static char *class_literal(const struct class_decl *c)
{
    if (!c->superclass)
        return xasprintf("%s{object{h}}", go_type_name(c->name));
    char *inner = class_literal(c->superclass);
    char *s = xasprintf("%s{%s}", go_type_name(c->name), inner);
    free(inner);
    return s;
}

/* A class: its Go type, and the Go functions of its C functions (+new, methods, properties). */
static void go_class(struct go_emitter *g, const struct capi_class *cc)
{
    const struct class_decl *c = cc->decl;
    if (c->skip_reason)
        return;
    struct tctx *ctx = tctx_add(g->root, "classes");
    const char *name = go_type_name(c->name);
    char v[16];
    tctx_set(ctx, "name", name);
    tctx_set(ctx, "apple_name", c->name);
    tctx_set(ctx, "introduced", format_version(c->avail.introduced, v));
    tctx_set(ctx, "embeds", c->superclass ? go_type_name(c->superclass->name) : "object");
    char *literal = class_literal(c);
    tctx_set(ctx, "literal", literal);
    free(literal);
    tctx_list(ctx, "functions");
    tctx_set(ctx, "cname", cc->cname);
    claim(g, &g->package_names, name, cc->cname, c->at);
    struct strmap methods;
    strmap_init(&methods);
    g->method_names = &methods;
    const struct capi_function *fs = &g->capi->functions[cc->functions.first];
    size_t constructors = 0;
    for (size_t i = 0; i < cc->functions.count; i++)
        constructors += fs[i].alloc_init;
    for (size_t i = 0; i < cc->functions.count; i++)
        go_wrap(g, ctx, &fs[i], constructors);
    g->method_names = NULL;
    strmap_free(&methods);
}

static void go_enum(struct go_emitter *g, const struct enum_decl *en)
{
    struct tctx *ec = tctx_add(g->root, "enums");
    const char *name = go_type_name(en->name);
    char v[16];
    tctx_set(ec, "apple_name", en->name);
    tctx_set(ec, "introduced", format_version(en->avail.introduced, v));
    bool is_unsigned = strcmp(en->type, "NSUInteger") == 0 || strncmp(en->type, "uint", 4) == 0;
    tctx_set(ec, "type_name", name);
    tctx_set(ec, "base", is_unsigned ? "uint64" : "int64");
    tctx_flag(ec, "stringer", !en->options);
    tctx_list(ec, "values");
    tctx_list(ec, "cases");
    claim(g, &g->package_names, name, en->name, en->at);
    for (size_t i = 0; i < en->value_count; i++) {
        struct tctx *vc = tctx_add(ec, "values");
        const char *vn = go_type_name(en->values[i].name);
        tctx_set(vc, "name", vn);
        tctx_set(vc, "apple_name", en->values[i].name);
        tctx_setf(vc, "value", "%lld", en->values[i].value);
        tctx_set(vc, "introduced", format_version(en->values[i].avail.introduced, v));
        claim(g, &g->package_names, vn, en->values[i].name, en->values[i].at);
        bool dup = false;
        for (size_t j = 0; j < i; j++)
            dup = dup || en->values[j].value == en->values[i].value;
        if (!dup) {
            struct tctx *cs = tctx_add(ec, "cases");
            tctx_set(cs, "name", vn);
            /* "VZVirtualMachineStateRunning" → "Running": the value's own word(s). */
            const char *word = strncmp(en->values[i].name, en->name, strlen(en->name)) == 0
                                   ? en->values[i].name + strlen(en->name) : vn;
            tctx_set(cs, "text", *word ? word : vn);
        }
    }
}

static void go_constants(struct go_emitter *g)
{
    tctx_list(g->root, "constants");
    for (size_t i = 0; i < g->capi->api->constant_count; i++) {
        const struct constant *k = &g->capi->api->constants[i];
        struct tctx *kc = tctx_add(g->root, "constants");
        char v[16];
        tctx_set(kc, "name", go_type_name(k->name));
        tctx_set(kc, "apple_name", k->name);
        tctx_set(kc, "cfunc", g->capi->constant_names[i]);
        tctx_set(kc, "introduced", format_version(k->avail.introduced, v));
        claim(g, &g->package_names, go_type_name(k->name), k->name, k->at);
        g->wrapped++;
    }
}

/* The completion handlers' trampolines: one exported Go function per C callback type with a blocking variant. */
static void go_callbacks(struct go_emitter *g)
{
    tctx_list(g->root, "callbacks");
    for (size_t i = 0; i < g->capi->callback_count; i++) {
        const struct capi_callback *cb = &g->capi->callbacks[i];
        if (cb->wait == CAPI_WAIT_NONE)
            continue;
        struct tctx *ctx = tctx_add(g->root, "callbacks");
        const char *object = cb->delivers_object ? cb->params[0].apple_type : NULL;
        char *tramp = go_trampoline(cb->cname), *go_type = go_handler_type(object);
        tctx_set(ctx, "name", tramp);
        tctx_set(ctx, "go_type", go_type);
        tctx_set(ctx, "cname", cb->cname);
        tctx_flag(ctx, "object", object != NULL);
        if (object) {
            char *cgo = cgo_type(cb->object_type);
            tctx_set(ctx, "object_type", go_type_name(object));
            tctx_set(ctx, "object_c", cb->object_type);
            tctx_set(ctx, "object_cgo", cgo);
            free(cgo);
        }
        free(tramp);
        free(go_type);
    }
}

const struct emit_go_output emit_go_outputs[] = {
    {"classes", "classes_gen.go"},
    {"enums", "enums_gen.go"},
    {"callbacks", "callbacks_gen.go"},
    {"not_wrapped", "not_wrapped_gen_test.go"},
};
const size_t emit_go_output_count = sizeof emit_go_outputs / sizeof *emit_go_outputs;

struct tctx *emit_go_context(const struct capi *capi)
{
    const struct api *api = capi->api;
    struct go_emitter g = {0};
    g.capi = capi;
    g.root = tctx_new();
    strmap_init(&g.package_names);
    const char *base = strrchr(api->file, '/');
    tctx_set(g.root, "source", base ? base + 1 : api->file);
    tctx_list(g.root, "classes");
    tctx_list(g.root, "enums");
    tctx_list(g.root, "not_wrapped");
    tctx_list(g.root, "protocols");
    tctx_list(g.root, "delegate_methods");
    for (size_t i = 0; i < api->enum_count; i++)
        go_enum(&g, &api->enums[i]);
    go_constants(&g);
    go_callbacks(&g);
    for (size_t i = 0; i < api->class_count; i++)
        go_class(&g, &capi->classes[i]);
    for (size_t i = 0; i < api->protocol_count; i++)
        go_protocol(&g, &capi->protocols[i]);
    tctx_setf(g.root, "wrapped_count", "%zu", g.wrapped);
    tctx_setf(g.root, "skipped_count", "%zu", g.skipped);
    tctx_flag(g.root, "any_not_wrapped", g.skipped > 0);
    strmap_free(&g.package_names);
    for (size_t i = 0; i < g.owned_count; i++)
        free(g.owned[i]);
    free(g.owned);
    return g.root;
}

int emit_go(const struct capi *capi, const char *template_dir, const char *out_dir)
{
    struct tctx *root = emit_go_context(capi);
    struct template_set *set = template_set_new(template_dir);
    struct strbuf rendered[sizeof emit_go_outputs / sizeof *emit_go_outputs];
    int rc = 0;
    for (size_t i = 0; i < emit_go_output_count; i++) {
        sb_init(&rendered[i]);
        if (template_render(set, emit_go_outputs[i].template_name, root, &rendered[i]) != 0)
            rc = -1;
    }
    if (diag_error_count())
        rc = -1;
    struct output files[sizeof emit_go_outputs / sizeof *emit_go_outputs];
    for (size_t i = 0; i < emit_go_output_count; i++)
        files[i] = (struct output){xasprintf("%s/%s", out_dir, emit_go_outputs[i].file),
                                   rendered[i].data ? rendered[i].data : "", rendered[i].len};
    if (rc == 0)
        rc = write_outputs(files, emit_go_output_count);
    for (size_t i = 0; i < emit_go_output_count; i++) {
        free((char *)files[i].path);
        sb_free(&rendered[i]);
    }
    template_set_free(set);
    tctx_free(root);
    return rc;
}
