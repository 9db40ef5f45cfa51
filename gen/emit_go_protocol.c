/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit_go_protocol.c - the Go side of the API's protocols: a Go type for
 * their objects, with their properties, and for a delegate a Go interface per
 * method, an exported trampoline per method and NewXxx filling the C
 * callback table (see emit_go_internal.h).
 */
#include "emit_go_internal.h"

#include <stdlib.h>
#include <string.h>

#include "naming.h"
#include "template.h"

/*
 * A delegate method's argument, on its way from the C callback to the Go
 * method: the trampoline's C parameter(s), the C prototype's, the Go
 * method's parameter and the conversion.
 */
static void go_delegate_arg(struct go_emitter *g, const struct arg *a, size_t i, struct strbuf *cparams,
                            struct strbuf *proto, struct strbuf *goparams, struct strbuf *conv)
{
    const struct type *t = &a->type;
    char *name = go_param(a->name);
    const char *sep = goparams->len ? ", " : "";
    switch (t->kind) {
    case TY_OBJECT:
    case TY_PROTOCOL: {
        char *ct = handle_ctype(g, t);
        const char *go = go_type_name(t->class_name);
        sb_addf(cparams, "a%zu *C.%s, ", i, ct);
        sb_addf(proto, "%s%s *, ", strncmp(ct, "struct_", 7) == 0 ? "struct " : "", ct + (strncmp(ct, "struct_", 7) == 0 ? 7 : 0));
        sb_addf(goparams, "%s%s *%s", sep, name, go);
        sb_addf(conv, "%snew%s(retainPointer(unsafe.Pointer(a%zu)))", conv->len ? ", " : "", go, i);
        free(ct);
        break;
    }
    case TY_ERROR:
        sb_addf(cparams, "a%zu *C.cvz_error, ", i);
        sb_adds(proto, "cvz_error *, ");
        sb_addf(goparams, "%s%s error", sep, name);
        sb_addf(conv, "%scopyError(a%zu)", conv->len ? ", " : "", i);
        break;
    case TY_STRING:
        sb_addf(cparams, "a%zu *C.char, ", i);
        sb_adds(proto, "char *, ");
        sb_addf(goparams, "%s%s string", sep, name);
        sb_addf(conv, "%sC.GoString(a%zu)", conv->len ? ", " : "", i);
        break;
    case TY_DATA:
        sb_addf(cparams, "a%zu unsafe.Pointer, a%zuLen C.size_t, ", i, i);
        sb_adds(proto, "void *, size_t, ");
        sb_addf(goparams, "%s%s []byte", sep, name);
        sb_addf(conv, "%sC.GoBytes(a%zu, C.int(a%zuLen))", conv->len ? ", " : "", i, i);
        break;
    case TY_BOOL:
        sb_addf(cparams, "a%zu C.bool, ", i);
        sb_adds(proto, "bool, ");
        sb_addf(goparams, "%s%s bool", sep, name);
        sb_addf(conv, "%sbool(a%zu)", conv->len ? ", " : "", i);
        break;
    case TY_ENUM: {
        char *cn = enum_cname(find_enum(g->api, t->enum_name));
        sb_addf(cparams, "a%zu C.enum_%s, ", i, cn);
        sb_addf(proto, "enum %s, ", cn);
        sb_addf(goparams, "%s%s %s", sep, name, go_type_name(t->enum_name));
        sb_addf(conv, "%s%s(a%zu)", conv->len ? ", " : "", go_type_name(t->enum_name), i);
        free(cn);
        break;
    }
    default: { /* scalars: go_delegate_unsupported() let only those of go_scalars through */
        const struct go_scalar *k = go_scalar(t->public_c);
        sb_addf(cparams, "a%zu %s, ", i, k->cgo);
        sb_addf(proto, "%s, ", t->public_c);
        sb_addf(goparams, "%s%s %s", sep, name, k->go);
        sb_addf(conv, "%s%s(a%zu)", conv->len ? ", " : "", k->go, i);
        break;
    }
    }
    free(name);
}

/* Why a delegate method has no Go trampoline, or NULL. */
static const char *go_delegate_unsupported(const struct method *m)
{
    if (m->ret.type.kind != TY_VOID && m->ret.type.kind != TY_BOOL && m->ret.type.kind != TY_DATA)
        return "a delegate method answering a type the Go package does not convert";
    for (size_t i = 0; i < m->arg_count; i++) {
        const struct type *t = &m->args[i].type;
        if (t->kind == TY_SCALAR && !go_scalar(t->public_c))
            return "a delegate method with a scalar type without a Go twin";
        if (t->kind != TY_OBJECT && t->kind != TY_PROTOCOL && t->kind != TY_ERROR && t->kind != TY_STRING &&
            t->kind != TY_DATA && t->kind != TY_BOOL && t->kind != TY_ENUM && t->kind != TY_SCALAR)
            return "a delegate method with an argument the Go package does not convert";
    }
    return NULL;
}

/* A delegate's methods: one Go interface and one exported trampoline each, and NewXxx filling the C table. */
static void go_delegate(struct go_emitter *g, struct tctx *pc, const struct protocol_decl *p, const char *name)
{
    char *stem = class_stem(p->name);
    char *cfunc = xasprintf("cvz_%s_new", stem);
    tctx_set(pc, "new_cfunc", cfunc);
    tctx_setf(pc, "callbacks_ctype", "struct_cvz_%s_callbacks", stem);
    tctx_list(pc, "methods");
    const char *why = NULL;
    for (size_t i = 0; !why && i < p->method_count; i++)
        if (!p->methods[i].skip_reason)
            why = go_delegate_unsupported(&p->methods[i]);
    char *new_name = xasprintf("New%s", name);
    if (why || !claim(g, &g->package_names, new_name, cfunc, p->at)) {
        tctx_flag(pc, "delegate", false);
        if (why)
            skip_item(g, keep(g, xstrdup(cfunc)), why);
        free(new_name);
        free(cfunc);
        free(stem);
        return;
    }
    g->wrapped++;
    for (size_t i = 0; i < p->method_count; i++) {
        const struct method *m = &p->methods[i];
        if (m->skip_reason)
            continue;
        char *field = method_stem(m);
        char *go_method = go_camel(field);
        struct tctx *mc = tctx_add(pc, "methods");
        struct tctx *dm = tctx_add(g->root, "delegate_methods");
        char v[16];
        char *iface = xasprintf("%s%s", name, go_method);
        char *tramp = xasprintf("cvzgo%s%s", name, go_method);
        claim(g, &g->package_names, iface, cfunc, m->at);
        struct strbuf cparams, proto, goparams, conv;
        sb_init(&cparams);
        sb_init(&proto);
        sb_init(&goparams);
        sb_init(&conv);
        for (size_t j = 0; j < m->arg_count; j++)
            go_delegate_arg(g, &m->args[j], j, &cparams, &proto, &goparams, &conv);
        bool answers = m->ret.type.kind == TY_BOOL, answers_data = m->ret.type.kind == TY_DATA;
        if (answers_data) {
            sb_adds(&cparams, "length *C.size_t, ");
            sb_adds(&proto, "size_t *, ");
        }
        sb_adds(&cparams, "context unsafe.Pointer");
        sb_adds(&proto, "void *");
        for (int k = 0; k < 2; k++) {
            struct tctx *x = k ? dm : mc;
            tctx_set(x, "field", field);
            tctx_set(x, "iface", iface);
            tctx_set(x, "tramp", tramp);
            tctx_set(x, "go_method", go_method);
            tctx_set(x, "selector", m->selector);
            tctx_set(x, "introduced", format_version(m->avail.introduced, v));
            tctx_set(x, "protocol", p->name);
            tctx_set(x, "go_params", goparams.data ? goparams.data : "");
            tctx_set(x, "go_ret", answers ? " bool" : answers_data ? " []byte" : "");
            tctx_set(x, "cparams", cparams.data);
            tctx_set(x, "cproto", proto.data);
            tctx_set(x, "c_ret", answers ? "bool" : answers_data ? "void *" : "void");
            tctx_set(x, "tramp_ret", answers ? " C.bool" : answers_data ? " unsafe.Pointer" : "");
            tctx_set(x, "conv", conv.data ? conv.data : "");
            tctx_flag(x, "answers", answers);
            tctx_flag(x, "answers_data", answers_data);
            tctx_flag(x, "answers_nothing", !answers && !answers_data);
        }
        sb_free(&cparams);
        sb_free(&proto);
        sb_free(&goparams);
        sb_free(&conv);
        free(iface);
        free(tramp);
        free(go_method);
        free(field);
    }
    tctx_flag(pc, "delegate", true);
    free(new_name);
    free(cfunc);
    free(stem);
}

/*
 * A protocol: a Go type for its objects (the framework's, id<VZUSBDevice>, or
 * delegates made by NewXxx), with the properties the C API wraps; for a
 * delegate, a Go interface per method.
 */
void go_protocol(struct go_emitter *g, const struct protocol_decl *p)
{
    struct tctx *pc = tctx_add(g->root, "protocols");
    const char *name = go_type_name(p->name);
    char *stem = class_stem(p->name);
    char v[16];
    tctx_set(pc, "name", name);
    tctx_set(pc, "apple_name", p->name);
    tctx_set(pc, "introduced", format_version(p->avail.introduced, v));
    tctx_setf(pc, "cname", "struct cvz_%s", stem);
    tctx_list(pc, "functions");
    claim(g, &g->package_names, name, p->name, p->at);
    char *iface = xasprintf("%sObject", name);
    claim(g, &g->package_names, iface, p->name, p->at);
    free(iface);
    size_t methods = 0;
    for (size_t j = 0; j < p->method_count; j++)
        methods += !p->methods[j].skip_reason;
    if (methods)
        go_delegate(g, pc, p, name);
    else {
        tctx_flag(pc, "delegate", false);
        tctx_list(pc, "methods");
    }
    struct strmap scope;
    strmap_init(&scope);
    g->method_names = &scope;
    char *cn = xasprintf("cvz_%s", stem);
    for (size_t j = 0; j < p->property_count; j++) {
        const struct property *pr = &p->properties[j];
        if (pr->skip_reason)
            continue;
        char *ps = pr->cname ? xstrdup(pr->cname) : snake_case(pr->name);
        char *api_name = xasprintf("%s.%s", p->name, pr->name);
        struct arg value = {.at = pr->at, .name = pr->name, .type_text = pr->type_text, .nullable = pr->nullable,
                            .type = pr->type};
        char *getter = xasprintf("%s_%s", cn, ps);
        struct go_item get = {NULL, p, getter, api_name, "reads", false, false, &pr->avail, NULL, 0, &value, NULL};
        go_wrap(g, pc, &get, ps, pr->at, 0);
        if (pr->setter) {
            static const struct arg void_ret = {.type = {TY_VOID, "void", "void", "v", NULL, NULL, NULL, false}};
            char *setter = xasprintf("%s_set_%s", cn, ps), *set_stem = xasprintf("set_%s", ps);
            struct go_item set = {NULL, p, setter, api_name, "sets", false, false, &pr->avail, &value, 1, &void_ret, NULL};
            go_wrap(g, pc, &set, set_stem, pr->at, 0);
            free(setter);
            free(set_stem);
        }
        free(getter);
        free(api_name);
        free(ps);
    }
    g->method_names = NULL;
    strmap_free(&scope);
    free(cn);
    free(stem);
}
