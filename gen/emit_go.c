/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit_go.c - the rendering contexts of the Go package (see emit_go.h).
 *
 * It walks the model as emit.c does (per class: +new, methods, properties;
 * then constants, enums and the completion handlers' trampolines; the
 * protocols in emit_go_protocol.c), names each item's C wrapper with
 * naming.h, and computes the Go side of the call: Go names and types
 * (emit_go_names.c), the argument conversions (one-line calls of the
 * hand-written helpers in go/cvz/), the C call and the result's conversion.
 * An item whose types have no Go conversion is listed, with the reason, in
 * not_wrapped_gen_test.go so the coverage test can tell "skipped on purpose"
 * from "forgotten".
 */
#include "emit_go.h"
#include "emit_go_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "naming.h"
#include "output.h"
#include "strmap.h"
#include "template.h"

const char *keep(struct go_emitter *g, char *s)
{
    g->owned = xrealloc(g->owned, (g->owned_count + 1) * sizeof *g->owned);
    g->owned[g->owned_count++] = s;
    return s;
}

/* The block signatures the Go package has trampolines for (templates/go/callbacks.tmpl). */
static bool go_block(const struct block_sig *b)
{
    if (!b || b->ret.kind != TY_VOID)
        return false;
    if (b->param_count == 1)
        return b->params[0].type.kind == TY_ERROR;
    return b->param_count == 2 && b->params[0].type.kind == TY_OBJECT && b->params[1].type.kind == TY_ERROR;
}

/* "cvz_error_callback" → "cvzgoErrorCallback": the exported Go trampoline of a C callback type. */
static char *trampoline_name(const struct block_sig *b)
{
    char *cb = callback_cname(b);
    char *camel = go_camel(cb + 4);
    char *name = xasprintf("cvzgo%s", camel);
    free(camel);
    free(cb);
    return name;
}

/* The Go type of a completion handler: "func(error)" or "func(*MacOSRestoreImage, error)". */
static char *block_go_type(const struct block_sig *b)
{
    if (b->param_count == 1)
        return xstrdup("func(error)");
    return xasprintf("func(*%s, error)", go_type_name(b->params[0].type.class_name));
}

/* Why an argument has no Go conversion, or NULL when it has one. */
static const char *arg_unsupported(const struct type *t)
{
    switch (t->kind) {
    case TY_BOOL:
    case TY_ENUM:
    case TY_OBJECT:
    case TY_STRING:
    case TY_URL:
    case TY_UUID:
    case TY_DATA:
    case TY_FILE_HANDLE:
    case TY_POINTER:
    case TY_ERROR_OUT:
    case TY_QUEUE:
        return NULL;
    case TY_SCALAR:
        return go_scalar(t->public_c) ? NULL : "a scalar type without a Go twin";
    case TY_STRUCT:
        return go_struct(t->public_c) ? NULL : "a struct without a Go twin";
    case TY_ARRAY:
    case TY_PROTOCOL:
        return NULL;
    case TY_BLOCK:
        return go_block(t->block) ? NULL : "a completion handler of a signature without a Go trampoline";
    case TY_DICTIONARY:
    case TY_BOOL_OUT:
        return NULL;
    default:
        return "an argument kind the Go package does not convert";
    }
}

static const char *result_unsupported(const struct type *t)
{
    switch (t->kind) {
    case TY_SCALAR:
        return go_scalar(t->public_c) ? NULL : "a scalar type without a Go twin";
    case TY_STRUCT:
        return go_struct(t->public_c) ? NULL : "a struct without a Go twin";
    default:
        return NULL;
    }
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

/* The pieces of one Go function being built. */
struct go_fn {
    struct tctx *ctx;
    struct strbuf params;    /* Go parameter list */
    struct strbuf call_args; /* C call arguments */
    const char *zero;        /* the result values before the error in a failing return: "", "0, ", "nil, " */
};

static void add_line(struct tctx *fn, const char *list, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add_line(struct tctx *fn, const char *list, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    tctx_set(tctx_add(fn, list), "line", buf);
}

static void add_param(struct go_fn *f, const char *name, const char *type)
{
    sb_addf(&f->params, "%s%s %s", f->params.len ? ", " : "", name, type);
}

/* One argument: its Go parameter, its conversion lines and its C call arguments. */
static void go_arg(struct go_emitter *g, struct go_fn *f, const struct arg *a, size_t i, bool wait)
{
    const struct type *t = &a->type;
    char *name = go_param(a->name);
    char var[32];
    snprintf(var, sizeof var, "a%zu", i);
    struct tctx *c = f->ctx;
    switch (t->kind) {
    case TY_BOOL:
        add_param(f, name, "bool");
        sb_addf(&f->call_args, ", C.bool(%s)", name);
        break;
    case TY_SCALAR: {
        const struct go_scalar *k = go_scalar(t->public_c);
        add_param(f, name, k->go);
        sb_addf(&f->call_args, ", %s(%s)", k->cgo, name);
        break;
    }
    case TY_ENUM: {
        char *cn = enum_cname(find_enum(g->api, t->enum_name));
        add_param(f, name, go_type_name(t->enum_name));
        sb_addf(&f->call_args, ", C.enum_%s(%s)", cn, name);
        free(cn);
        break;
    }
    case TY_STRUCT: {
        const struct go_struct *k = go_struct(t->public_c);
        add_param(f, name, k->go);
        sb_addf(&f->call_args, ", %s(%s)", k->to_c, name);
        break;
    }
    case TY_POINTER:
        add_param(f, name, "unsafe.Pointer");
        sb_addf(&f->call_args, ", %s", name);
        break;
    case TY_STRING:
    case TY_URL:
    case TY_UUID:
        add_param(f, name, "string");
        add_line(c, "pre", "%s := %s(%s)", var, a->nullable ? "cStringOrNil" : "cString", name);
        add_line(c, "pre", "defer C.free(unsafe.Pointer(%s))", var);
        sb_addf(&f->call_args, ", %s", var);
        break;
    case TY_DATA:
        add_param(f, name, "[]byte");
        add_line(c, "pre", "%s, %sLen := bytesArg(%s)", var, var, name);
        sb_addf(&f->call_args, ", %s, %sLen", var, var);
        break;
    case TY_FILE_HANDLE:
        add_param(f, name, "*os.File");
        add_line(c, "pre", "%s := fdArg(%s)", var, name);
        add_line(c, "pre", "defer runtime.KeepAlive(%s)", name);
        sb_addf(&f->call_args, ", %s", var);
        break;
    case TY_OBJECT:
    case TY_PROTOCOL: {
        char *ct = handle_ctype(g, t);
        char *iface = xasprintf("%sObject", go_type_name(t->class_name));
        add_param(f, name, iface);
        add_line(c, "pre", "%sh, %s, err := lockArg(%s, \"%s\")", var, var, name, name);
        add_line(c, "pre", "if err != nil {");
        add_line(c, "pre", "\treturn %serr", f->zero);
        add_line(c, "pre", "}");
        add_line(c, "pre", "defer %sh.unlock()", var);
        sb_addf(&f->call_args, ", (*C.%s)(%s)", ct, var);
        free(iface);
        free(ct);
        break;
    }
    case TY_ARRAY: {
        char *ct = handle_ctype(g, t);
        char *slice = xasprintf("[]%sObject", go_type_name(t->class_name));
        add_param(f, name, slice);
        add_line(c, "pre", "%s, err := lockArgs(%s, \"%s\")", var, name, name);
        add_line(c, "pre", "if err != nil {");
        add_line(c, "pre", "\treturn %serr", f->zero);
        add_line(c, "pre", "}");
        add_line(c, "pre", "defer %s.unlock()", var);
        sb_addf(&f->call_args, ", (**C.%s)(%s.ptr), %s.count", ct, var, var);
        free(slice);
        free(ct);
        break;
    }
    case TY_DICTIONARY: {
        char *ct = handle_ctype(g, t);
        char *map = xasprintf("map[string]%sObject", go_type_name(t->class_name));
        add_param(f, name, map);
        add_line(c, "pre", "%s, err := lockArgMap(%s, \"%s\")", var, name, name);
        add_line(c, "pre", "if err != nil {");
        add_line(c, "pre", "\treturn %serr", f->zero);
        add_line(c, "pre", "}");
        add_line(c, "pre", "defer %s.unlock()", var);
        sb_addf(&f->call_args, ", (**C.char)(%s.keys), (**C.%s)(%s.ptr), %s.count", var, ct, var, var);
        free(map);
        free(ct);
        break;
    }
    case TY_BOOL_OUT: /* the answer is the Go function's result (go_result) */
        add_line(c, "decl", "var %s C.bool", var);
        sb_addf(&f->call_args, ", &%s", var);
        break;
    case TY_BLOCK: {
        if (wait)
            break; /* the blocking variant takes a timeout instead */
        char *go_type = block_go_type(t->block);
        char *tramp = trampoline_name(t->block);
        char *cb = callback_cname(t->block);
        add_param(f, "done", go_type);
        add_line(c, "pre", "cb := newCallback(done)");
        add_line(c, "on_fail", "dropCallback(cb)");
        sb_addf(&f->call_args, ", C.%s(C.%s), C.cvzgo_context(cb)", cb, tramp);
        free(cb);
        free(tramp);
        free(go_type);
        break;
    }
    default: /* TY_ERROR_OUT, TY_QUEUE: not in the C API's parameters */
        break;
    }
    free(name);
}

/* The result: the Go result list, the C call's extra out-arguments and the conversion. */
static void go_result(struct go_emitter *g, struct go_fn *f, const struct go_item *it, bool has_error_out)
{
    const struct type *t = &it->ret->type;
    struct tctx *c = f->ctx;
    const char *results = "error", *conv = "nil";
    char *owned_results = NULL, *owned_conv = NULL;
    bool assigns = true;
    switch (t->kind) {
    case TY_VOID:
        assigns = false;
        break;
    case TY_BOOL:
        if (has_error_out)
            assigns = false;
        else {
            results = "(bool, error)";
            conv = "bool(cRes), nil";
        }
        break;
    case TY_SCALAR: {
        const struct go_scalar *k = go_scalar(t->public_c);
        results = owned_results = xasprintf("(%s, error)", k->go);
        conv = owned_conv = xasprintf("%s(cRes), nil", k->go);
        break;
    }
    case TY_ENUM:
        results = owned_results = xasprintf("(%s, error)", go_type_name(t->enum_name));
        conv = owned_conv = xasprintf("%s(cRes), nil", go_type_name(t->enum_name));
        break;
    case TY_STRUCT: {
        const struct go_struct *k = go_struct(t->public_c);
        results = owned_results = xasprintf("(%s, error)", k->go);
        conv = owned_conv = xasprintf("%s(cRes), nil", k->from_c);
        break;
    }
    case TY_POINTER:
        results = "(unsafe.Pointer, error)";
        conv = "unsafe.Pointer(cRes), nil";
        break;
    case TY_STRING:
    case TY_URL:
    case TY_UUID:
        results = "(string, error)";
        conv = "takeString(cRes), nil";
        break;
    case TY_DATA:
        results = "([]byte, error)";
        add_line(c, "decl", "var cLen C.size_t");
        sb_adds(&f->call_args, ", &cLen");
        conv = "takeBytes(cRes, cLen), nil";
        break;
    case TY_FILE_HANDLE:
        results = "(*os.File, error)";
        conv = owned_conv = xasprintf("takeFile(cRes, \"%s\"), nil", it->api_name);
        break;
    case TY_PROGRESS:
        results = "(*Progress, error)";
        conv = "newProgress(unsafe.Pointer(cRes)), nil";
        break;
    case TY_OBJECT:
    case TY_PROTOCOL:
    case TY_INSTANCETYPE: {
        const char *cls = go_type_name(t->kind != TY_INSTANCETYPE ? t->class_name : it->cls->name);
        results = owned_results = xasprintf("(*%s, error)", cls);
        conv = owned_conv = xasprintf("new%s(unsafe.Pointer(cRes)), nil", cls);
        break;
    }
    case TY_DATA_ARRAY:
        results = "([][]byte, error)";
        add_line(c, "decl", "var cCount C.size_t");
        sb_adds(&f->call_args, ", &cCount");
        conv = "takeBytesArray(cRes, cCount), nil";
        break;
    case TY_DICTIONARY: {
        const char *cls = go_type_name(t->class_name);
        results = owned_results = xasprintf("(map[string]*%s, error)", cls);
        add_line(c, "decl", "var cKeys **C.char");
        add_line(c, "decl", "var cCount C.size_t");
        sb_adds(&f->call_args, ", &cKeys, &cCount");
        conv = owned_conv = xasprintf("takeMap(unsafe.Pointer(cRes), cKeys, cCount, new%s), nil", cls);
        break;
    }
    case TY_ARRAY: {
        const char *cls = go_type_name(t->class_name);
        results = owned_results = xasprintf("([]*%s, error)", cls);
        add_line(c, "decl", "var cCount C.size_t");
        sb_adds(&f->call_args, ", &cCount");
        conv = owned_conv = xasprintf("takeArray(unsafe.Pointer(cRes), cCount, new%s), nil", cls);
        break;
    }
    default:
        break;
    }
    for (size_t i = 0; i < it->arg_count; i++)
        if (it->args[i].type.kind == TY_BOOL_OUT) { /* a status and an answer: the answer is the result */
            results = "(bool, error)";
            free(owned_conv);
            conv = owned_conv = xasprintf("bool(a%zu), nil", i);
        }
    tctx_set(c, "results", results);
    tctx_set(c, "ret_conv", conv);
    tctx_set(c, "assign", assigns ? "cRes := " : "");
    f->zero = strcmp(results, "error") == 0                       ? ""
              : strncmp(results, "(bool", 5) == 0                 ? "false, "
              : strncmp(results, "(string", 7) == 0               ? "\"\", "
              : t->kind == TY_STRUCT                              ? NULL
              : t->kind == TY_SCALAR || t->kind == TY_ENUM        ? "0, "
                                                                  : "nil, ";
    if (!f->zero) {
        char *z = xasprintf("%s{}, ", go_struct(t->public_c)->go);
        f->zero = keep(g, z);
    }
    free(owned_results);
    free(owned_conv);
}

static void add_doc(struct tctx *fn, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_doc(struct tctx *fn, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    tctx_set(tctx_add(fn, "doc"), "line", buf);
}

static void add_availability_doc(struct tctx *fn, const struct go_item *it)
{
    char v[16];
    format_version(it->avail->introduced, v);
    add_doc(fn, "Wraps %s: macOS %s%s%s; C: %s().", it->api_name, v, it->avail->arm64_only ? ", arm64 only" : "",
            it->avail->deprecated ? " (deprecated)" : "", it->cfunc);
    if (it->raises)
        add_doc(fn, "The framework raises an NSException when %s: it comes back as an *Error with Status ErrException.",
                it->raises);
    if (it->alloc_init && it->cls->entitlement)
        add_doc(fn, "On macOS the process must be signed with the %s entitlement.", it->cls->entitlement);
}

static char *self_ctype(const struct go_item *it);

/*
 * One Go function for a C function.  wait: the C function is the blocking
 * variant (name_suffix "Wait", a timeout instead of the completion handler).
 */
static struct tctx *go_function(struct go_emitter *g, struct tctx *list_owner, const struct go_item *it,
                                const char *go_name, const char *cfunc, bool wait, const struct block_sig *wait_block)
{
    struct tctx *c = tctx_add(list_owner, "functions");
    struct go_fn f = {c, {0}, {0}, ""};
    sb_init(&f.params);
    sb_init(&f.call_args);
    tctx_list(c, "doc");
    tctx_list(c, "pre");
    tctx_list(c, "decl");
    tctx_list(c, "on_fail");
    bool instance = !it->class_receiver && !it->alloc_init;
    const char *cls = go_type_name(it->proto ? it->proto->name : it->cls->name);
    tctx_flag(c, "instance", instance);
    tctx_set(c, "recv_type", cls);
    tctx_set(c, "name", go_name);
    tctx_set(c, "cfunc", cfunc);
    tctx_flag(c, "ctx_variant", false);
    tctx_set(c, "api_name", it->api_name);
    bool has_error_out = false;
    for (size_t i = 0; i < it->arg_count; i++)
        has_error_out = has_error_out || it->args[i].type.kind == TY_ERROR_OUT;
    if (wait) {
        struct arg obj = {0};
        if (wait_block->param_count == 2) {
            obj.type = wait_block->params[0].type;
            struct go_item wi = *it;
            wi.ret = &obj;
            go_result(g, &f, &wi, false);
        } else {
            static const struct arg void_ret = {.type = {TY_VOID, "void", "void", "v", NULL, NULL, NULL, false}};
            struct go_item wi = *it;
            wi.ret = &void_ret;
            go_result(g, &f, &wi, false);
        }
    } else
        go_result(g, &f, it, has_error_out);
    /* The result's out-arguments come after the inputs: keep them aside while the inputs are added. */
    char *result_args = sb_detach(&f.call_args);
    sb_init(&f.call_args);
    if (instance) {
        char *ct = self_ctype(it);
        sb_addf(&f.call_args, ", (*C.%s)(self)", ct);
        free(ct);
    }
    for (size_t i = 0; i < it->arg_count; i++)
        go_arg(g, &f, &it->args[i], i, wait);
    tctx_set(c, "input_params", f.params.data ? f.params.data : "");
    if (wait) {
        add_param(&f, "timeout", "time.Duration");
        sb_adds(&f.call_args, ", timeoutMilliseconds(timeout)");
    }
    if (result_args)
        sb_adds(&f.call_args, result_args);
    free(result_args);
    sb_adds(&f.call_args, ", &cErr");
    tctx_set(c, "params", f.params.data ? f.params.data : "");
    tctx_set(c, "call_args", f.call_args.data + 2); /* every argument was added after ", " */
    tctx_set(c, "zero", f.zero);
    sb_free(&f.params);
    sb_free(&f.call_args);
    return c;
}

/* The cgo type of an item's receiver: "cvz_linux_boot_loader", or "struct_cvz_usb_device" for a protocol's. */
static char *self_ctype(const struct go_item *it)
{
    if (!it->proto)
        return class_cname(it->cls);
    char *stem = class_stem(it->proto->name);
    char *t = xasprintf("struct_cvz_%s", stem);
    free(stem);
    return t;
}

/*
 * Go's name for an item: methods by their C stem, package functions prefixed
 * with their class; initializers NewXxx when the class has one, else
 * NewXxxWith… after the C stem.
 */
static char *item_go_name(const struct go_item *it, const char *stem, size_t constructors)
{
    char *camel = go_camel(stem);
    char *name;
    if (it->alloc_init)
        name = strcmp(stem, "new") == 0 || constructors == 1 ? xasprintf("New%s", go_type_name(it->cls->name))
                                         : xasprintf("New%s%s", go_type_name(it->cls->name), camel + 3);
    else if (it->class_receiver)
        name = xasprintf("%s%s", go_type_name(it->cls->name), camel);
    else
        name = xstrdup(camel);
    free(camel);
    return name;
}

static const struct block_sig *item_block(const struct go_item *it)
{
    for (size_t i = 0; i < it->arg_count; i++)
        if (it->args[i].type.kind == TY_BLOCK)
            return it->args[i].type.block;
    return NULL;
}

void go_wrap(struct go_emitter *g, struct tctx *cc, const struct go_item *it, const char *stem, struct loc at,
                    size_t constructors)
{
    const char *why = result_unsupported(&it->ret->type);
    for (size_t i = 0; !why && i < it->arg_count; i++)
        why = arg_unsupported(&it->args[i].type);
    const struct block_sig *block = item_block(it);
    bool waits = block && (block->param_count == 1 || block->param_count == 2);
    char *wait_cfunc = xasprintf("%s_and_wait", it->cfunc);
    if (why) {
        skip_item(g, it->cfunc, why);
        if (waits)
            skip_item(g, wait_cfunc, why);
        free(wait_cfunc);
        return;
    }
    char *name = item_go_name(it, stem, constructors);
    bool package_level = it->alloc_init || it->class_receiver;
    struct strmap *scope = package_level ? &g->package_names : g->method_names;
    if (!block) {
        if (claim(g, scope, name, it->cfunc, at)) {
            struct tctx *c = go_function(g, cc, it, name, it->cfunc, false, NULL);
            add_doc(c, "%s %s %s.", name, it->verb, it->api_name);
            add_availability_doc(c, it);
            g->wrapped++;
        }
        free(name);
        free(wait_cfunc);
        return;
    }
    /* A completion handler: Async (a Go func, called once), Wait (a timeout), and a context.Context variant. */
    char *async = xasprintf("%sAsync", name), *wait = xasprintf("%sWait", name);
    if (claim(g, scope, async, it->cfunc, at) && claim(g, scope, wait, wait_cfunc, at) &&
        claim(g, scope, name, wait_cfunc, at)) {
        struct tctx *c = go_function(g, cc, it, async, it->cfunc, false, NULL);
        add_doc(c, "%s starts %s; done is called exactly once, on a thread of the framework, with its outcome.",
                async, it->api_name);
        add_doc(c, "When %s returns an error, done is never called.", async);
        add_availability_doc(c, it);
        struct go_item wi = *it;
        wi.cfunc = wait_cfunc;
        c = go_function(g, cc, &wi, wait, wait_cfunc, true, block);
        add_doc(c, "%s runs %s and waits for its completion at most timeout (a negative timeout waits for as long "
                   "as it takes).", wait, it->api_name);
        add_doc(c, "A completion that does not arrive in time gives ErrTimeout.");
        add_availability_doc(c, &wi);
        /* The context variant: the same parameters as Wait, a context in place of the timeout. */
        tctx_set(c, "ctx_name", name);
        tctx_flag(c, "ctx_variant", true);
        tctx_flag(c, "ctx_object", block->param_count == 2);
        struct strbuf fwd;
        sb_init(&fwd);
        for (size_t i = 0; i < it->arg_count; i++)
            if (it->args[i].type.kind != TY_BLOCK && it->args[i].type.kind != TY_ERROR_OUT &&
                it->args[i].type.kind != TY_QUEUE) {
                char *p = go_param(it->args[i].name);
                sb_addf(&fwd, "%s, ", p);
                free(p);
            }
        tctx_set(c, "forward", fwd.data ? fwd.data : "");
        tctx_set(c, "wait_name", wait);
        sb_free(&fwd);
        g->wrapped += 2;
    }
    free(async);
    free(wait);
    free(name);
    free(wait_cfunc);
}

static const struct method *nearest_init(const struct class_decl *c)
{
    for (; c; c = c->superclass)
        for (size_t i = 0; i < c->method_count; i++)
            if (!c->methods[i].is_class && strcmp(c->methods[i].selector, "init") == 0)
                return &c->methods[i];
    return NULL;
}

/* The literal building a class's Go value around a handle h: "LinuxBootLoader{BootLoader{object{h}}}". */
static char *class_literal(const struct class_decl *c)
{
    if (!c->superclass)
        return xasprintf("%s{object{h}}", go_type_name(c->name));
    char *inner = class_literal(c->superclass);
    char *s = xasprintf("%s{%s}", go_type_name(c->name), inner);
    free(inner);
    return s;
}

static void go_property(struct go_emitter *g, struct tctx *cc, const struct class_decl *c, const char *cn,
                        const struct property *p)
{
    char *stem = p->cname ? xstrdup(p->cname) : snake_case(p->name);
    char *api_name = xasprintf("%s.%s", c->name, p->name);
    struct arg value = {.at = p->at, .name = p->name, .type_text = p->type_text, .nullable = p->nullable, .type = p->type};
    char *getter = xasprintf("%s_%s", cn, stem);
    struct go_item get = {c, NULL, getter, api_name, "reads", p->is_class, false, &p->avail, NULL, 0, &value, NULL};
    go_wrap(g, cc, &get, stem, p->at, 0);
    if (p->setter) {
        static const struct arg void_ret = {.type = {TY_VOID, "void", "void", "v", NULL, NULL, NULL, false}};
        char *setter = xasprintf("%s_set_%s", cn, stem);
        char *set_stem = xasprintf("set_%s", stem);
        struct go_item set = {c, NULL, setter, api_name, "sets", p->is_class, false, &p->avail, &value, 1, &void_ret, NULL};
        go_wrap(g, cc, &set, set_stem, p->at, 0);
        free(set_stem);
        free(setter);
    }
    free(getter);
    free(api_name);
    free(stem);
}

static void go_class(struct go_emitter *g, const struct class_decl *c)
{
    if (c->skip_reason)
        return;
    struct tctx *cc = tctx_add(g->root, "classes");
    const char *name = go_type_name(c->name);
    char v[16];
    tctx_set(cc, "name", name);
    tctx_set(cc, "apple_name", c->name);
    tctx_set(cc, "introduced", format_version(c->avail.introduced, v));
    tctx_set(cc, "embeds", c->superclass ? go_type_name(c->superclass->name) : "object");
    char *literal = class_literal(c);
    tctx_set(cc, "literal", literal);
    free(literal);
    tctx_list(cc, "functions");
    char *cn = class_cname(c);
    tctx_set(cc, "cname", cn);
    claim(g, &g->package_names, name, cn, c->at);
    struct strmap methods;
    strmap_init(&methods);
    g->method_names = &methods;

    const struct method *init = nearest_init(c);
    bool plain_new = !init || (!init->unavailable && init->owner != c);
    size_t constructors = plain_new;
    for (size_t i = 0; i < c->method_count; i++)
        constructors += !c->methods[i].unavailable && !c->methods[i].skip_reason && !c->methods[i].is_class &&
                        strncmp(c->methods[i].selector, "init", 4) == 0;
    if (plain_new) {
        static const struct arg implicit_ret = {.type = {TY_INSTANCETYPE, "id", NULL, "@", NULL, NULL, NULL, false}};
        char *cfunc = xasprintf("%s_new", cn), *api_name = xasprintf("-[%s init]", c->name);
        struct go_item it = {c, NULL, cfunc, api_name, "creates an instance with", false, true, &c->avail, NULL, 0,
                             &implicit_ret, NULL};
        go_wrap(g, cc, &it, "new", c->at, constructors);
        free(cfunc);
        free(api_name);
    }
    for (size_t i = 0; i < c->method_count; i++) {
        const struct method *m = &c->methods[i];
        if (m->unavailable || m->skip_reason)
            continue;
        char *stem = method_stem(m);
        bool init_method = !m->is_class && strncmp(m->selector, "init", 4) == 0;
        char *cfunc = xasprintf("%s_%s", cn, stem);
        char *api_name = xasprintf("%c[%s %s]", m->is_class ? '+' : '-', c->name, m->selector);
        struct go_item it = {c, NULL, cfunc, api_name, init_method ? "creates an instance with" : "calls", m->is_class,
                             init_method, &m->avail, m->args, m->arg_count, &m->ret, m->raises};
        go_wrap(g, cc, &it, stem, m->at, constructors);
        free(cfunc);
        free(api_name);
        free(stem);
    }
    for (size_t i = 0; i < c->property_count; i++)
        if (!c->properties[i].skip_reason)
            go_property(g, cc, c, cn, &c->properties[i]);
    g->method_names = NULL;
    strmap_free(&methods);
    free(cn);
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
    for (size_t i = 0; i < g->api->constant_count; i++) {
        const struct constant *k = &g->api->constants[i];
        struct tctx *kc = tctx_add(g->root, "constants");
        char *stem = class_stem(k->name);
        char v[16];
        tctx_set(kc, "name", go_type_name(k->name));
        tctx_set(kc, "apple_name", k->name);
        tctx_setf(kc, "cfunc", "cvz_%s", stem);
        tctx_set(kc, "introduced", format_version(k->avail.introduced, v));
        claim(g, &g->package_names, go_type_name(k->name), k->name, k->at);
        g->wrapped++;
        free(stem);
    }
}

/* The completion handlers' trampolines: one exported Go function per C callback type in use. */
static void go_callbacks(struct go_emitter *g)
{
    tctx_list(g->root, "callbacks");
    struct strmap seen;
    strmap_init(&seen);
    for (size_t i = 0; i < g->api->class_count; i++) {
        const struct class_decl *c = &g->api->classes[i];
        for (size_t j = 0; j < c->method_count; j++)
            for (size_t k = 0; k < c->methods[j].arg_count; k++) {
                const struct block_sig *b = c->methods[j].args[k].type.block;
                if (!go_block(b) || c->methods[j].unavailable || strmap_get(&seen, b->key))
                    continue;
                strmap_add(&seen, b->key, (void *)b);
                struct tctx *cb = tctx_add(g->root, "callbacks");
                char *tramp = trampoline_name(b), *go_type = block_go_type(b), *cn = callback_cname(b);
                tctx_set(cb, "name", tramp);
                tctx_set(cb, "go_type", go_type);
                tctx_set(cb, "cname", cn);
                tctx_flag(cb, "object", b->param_count == 2);
                if (b->param_count == 2) {
                    char *ct = class_cname(find_class(g->api, b->params[0].type.class_name));
                    tctx_set(cb, "object_ctype", ct);
                    tctx_set(cb, "object_type", go_type_name(b->params[0].type.class_name));
                    free(ct);
                }
                free(tramp);
                free(go_type);
                free(cn);
            }
    }
    strmap_free(&seen);
}

static const struct {
    const char *template_name;
    const char *output;
} go_outputs[] = {
    {"classes", "classes_gen.go"},
    {"enums", "enums_gen.go"},
    {"callbacks", "callbacks_gen.go"},
    {"not_wrapped", "not_wrapped_gen_test.go"},
};

int emit_go(const struct api *api, const char *template_dir, const char *out_dir)
{
    struct go_emitter g = {0};
    g.api = api;
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
        go_class(&g, &api->classes[i]);
    for (size_t i = 0; i < api->protocol_count; i++)
        go_protocol(&g, &api->protocols[i]);
    tctx_setf(g.root, "wrapped_count", "%zu", g.wrapped);
    tctx_setf(g.root, "skipped_count", "%zu", g.skipped);
    tctx_flag(g.root, "any_not_wrapped", g.skipped > 0);

    struct template_set *set = template_set_new(template_dir);
    size_t n = sizeof go_outputs / sizeof *go_outputs;
    struct strbuf rendered[sizeof go_outputs / sizeof *go_outputs];
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        sb_init(&rendered[i]);
        if (template_render(set, go_outputs[i].template_name, g.root, &rendered[i]) != 0)
            rc = -1;
    }
    if (diag_error_count())
        rc = -1;
    struct output files[sizeof go_outputs / sizeof *go_outputs];
    for (size_t i = 0; i < n; i++)
        files[i] = (struct output){xasprintf("%s/%s", out_dir, go_outputs[i].output),
                                   rendered[i].data ? rendered[i].data : "", rendered[i].len};
    if (rc == 0)
        rc = write_outputs(files, n);
    for (size_t i = 0; i < n; i++) {
        free((char *)files[i].path);
        sb_free(&rendered[i]);
    }
    template_set_free(set);
    tctx_free(g.root);
    strmap_free(&g.package_names);
    for (size_t i = 0; i < g.owned_count; i++)
        free(g.owned[i]);
    free(g.owned);
    return rc;
}
