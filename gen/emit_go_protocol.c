/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit_go_protocol.c - the Go side of the API's protocols: a Go type for
 * their objects, with their properties' functions, and for a delegate a Go
 * interface and an exported trampoline per method and NewXxx filling the C
 * callbacks struct (see emit_go_internal.h).
 */
#include "emit_go_internal.h"

#include <stdlib.h>
#include <string.h>

/* Why a delegate has no Go trampolines, or NULL: check.c lets only these kinds through, scalars of any type. */
static const char *delegate_unwrapped_reason(const struct capi_protocol *p)
{
    for (size_t i = 0; i < p->method_count; i++)
        for (size_t j = 0; j < p->methods[i].arg_count; j++) {
            const struct capi_delegate_arg *a = &p->methods[i].args[j];
            if (a->kind == CAPI_DELEGATE_ARG_VALUE && !go_value_type(a->apple_type, a->type))
                return "a delegate method with a scalar type without a Go twin";
        }
    return NULL;
}

/* A delegate method's argument, on its way from the C callback to the Go method. */
static void delegate_arg(struct tctx *mc, const struct capi_delegate_arg *a, bool more)
{
    struct tctx *ac = tctx_add(mc, "args");
    const char *cls = a->apple_type ? go_type_name(a->apple_type) : "";
    char *name = go_param(a->objc_name);
    char *cgo = cgo_type(a->type);
    const char *c_type = strncmp(a->type, "const ", 6) == 0 ? a->type + 6 : a->type; /* as cgo exports it */
    tctx_set(ac, "kind", capi_delegate_arg_kind_name(a->kind));
    tctx_set(ac, "src", a->src);
    tctx_set(ac, "name", name);
    tctx_set(ac, "cgo", cgo);
    tctx_set(ac, "c_type", c_type);
    tctx_set(ac, "go_class", cls);
    switch (a->kind) {
    case CAPI_DELEGATE_ARG_OBJECT: tctx_setf(ac, "go_type", "*%s", cls); break;
    case CAPI_DELEGATE_ARG_ERROR: tctx_set(ac, "go_type", "error"); break;
    case CAPI_DELEGATE_ARG_STRING: tctx_set(ac, "go_type", "string"); break;
    case CAPI_DELEGATE_ARG_DATA: tctx_set(ac, "go_type", "[]byte"); break;
    case CAPI_DELEGATE_ARG_BOOL: tctx_set(ac, "go_type", "bool"); break;
    default: tctx_set(ac, "go_type", go_value_type(a->apple_type, a->type)); break;
    }
    tctx_flag(ac, "more", more);
    free(cgo);
    free(name);
}

/* A delegate method's tokens, in the context x (of the protocol's "methods" or of the root's "delegate_methods"). */
static void delegate_method(struct tctx *x, const struct capi_protocol *p, const struct capi_delegate_method *m,
                            const char *iface, const char *tramp, const char *go_method)
{
    char v[16];
    tctx_set(x, "field", m->field);
    tctx_set(x, "iface", iface);
    tctx_set(x, "tramp", tramp);
    tctx_set(x, "go_method", go_method);
    tctx_set(x, "selector", m->decl->selector);
    tctx_set(x, "introduced", format_version(m->decl->avail.introduced, v));
    tctx_set(x, "protocol", p->decl->name);
    tctx_set(x, "answer", capi_answer_kind_name(m->answer));
    tctx_list(x, "args");
    for (size_t i = 0; i < m->arg_count; i++)
        delegate_arg(x, &m->args[i], i + 1 < m->arg_count);
}

/* A delegate's methods: one Go interface and one exported trampoline each, and NewXxx filling the C struct. */
static void go_delegate(struct go_emitter *g, struct tctx *pc, const struct capi_protocol *p, const char *name)
{
    tctx_set(pc, "new_cfunc", p->new_name);
    tctx_list(pc, "methods");
    const char *why = delegate_unwrapped_reason(p);
    char *new_name = xasprintf("New%s", name);
    bool wrapped = !why && claim(g, &g->package_names, new_name, p->new_name, p->decl->at);
    free(new_name);
    tctx_flag(pc, "delegate", wrapped);
    if (why)
        skip_item(g, p->new_name, why);
    if (!wrapped)
        return;
    g->wrapped++;
    for (size_t i = 0; i < p->method_count; i++) {
        const struct capi_delegate_method *m = &p->methods[i];
        char *go_method = go_camel(m->field);
        char *iface = xasprintf("%s%s", name, go_method);
        char *tramp = xasprintf("cvzgo%s%s", name, go_method);
        claim(g, &g->package_names, iface, p->new_name, m->decl->at);
        delegate_method(tctx_add(pc, "methods"), p, m, iface, tramp, go_method);
        delegate_method(tctx_add(g->root, "delegate_methods"), p, m, iface, tramp, go_method);
        free(iface);
        free(tramp);
        free(go_method);
    }
}

/*
 * A protocol: a Go type for its objects (the framework's, id<VZUSBDevice>, or
 * delegates made by NewXxx), with the properties the C API wraps; for a
 * delegate, a Go interface per method.
 */
void go_protocol(struct go_emitter *g, const struct capi_protocol *p)
{
    struct tctx *pc = tctx_add(g->root, "protocols");
    const struct protocol_decl *d = p->decl;
    const char *name = go_type_name(d->name);
    char v[16];
    tctx_set(pc, "name", name);
    tctx_set(pc, "apple_name", d->name);
    tctx_set(pc, "introduced", format_version(d->avail.introduced, v));
    tctx_set(pc, "cname", p->cname);
    tctx_list(pc, "functions");
    claim(g, &g->package_names, name, d->name, d->at);
    char *iface = xasprintf("%sObject", name);
    claim(g, &g->package_names, iface, d->name, d->at);
    free(iface);
    if (p->delegate)
        go_delegate(g, pc, p, name);
    else {
        tctx_flag(pc, "delegate", false);
        tctx_list(pc, "methods");
    }
    struct strmap scope;
    strmap_init(&scope);
    g->method_names = &scope;
    for (size_t i = 0; i < p->functions.count; i++)
        go_wrap(g, pc, &g->capi->functions[p->functions.first + i], 0);
    g->method_names = NULL;
    strmap_free(&scope);
}
