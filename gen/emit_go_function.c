/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit_go_function.c - the Go functions of one function of the C API model
 * (see emit_go_internal.h): one calling it, or, for a function taking a
 * completion handler, an Async one and a Wait one calling its blocking
 * variant (templates/go/function.tmpl follows the Wait one with a
 * context.Context variant).  It computes their tokens: the Go name, each
 * parameter's Go type, how each argument converts (go_conv), the result's
 * kind and Go type.  A function with a type the Go package does not convert
 * is listed, with the reason, in not_wrapped_gen_test.go so the coverage
 * test can tell "skipped on purpose" from "forgotten".
 */
#include "emit_go_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const go_conv_names[] = {
    [GO_CONV_VALUE] = "value",   [GO_CONV_TEXT] = "text",     [GO_CONV_BYTES] = "bytes",
    [GO_CONV_FILE] = "file",     [GO_CONV_HANDLE] = "handle", [GO_CONV_HANDLES] = "handles",
    [GO_CONV_ANSWER] = "answer", [GO_CONV_DONE] = "done",
};

const char *go_conv_name(enum go_conv conv)
{
    return go_conv_names[conv];
}

static enum go_conv go_conv_of(enum capi_arg_kind kind)
{
    switch (kind) {
    case CAPI_ARG_VALUE:
    case CAPI_ARG_BOOL:
    case CAPI_ARG_ASSIGN:
        return GO_CONV_VALUE;
    case CAPI_ARG_STRING:
    case CAPI_ARG_URL:
    case CAPI_ARG_REMOTE_URL:
    case CAPI_ARG_UUID:
        return GO_CONV_TEXT;
    case CAPI_ARG_DATA:
        return GO_CONV_BYTES;
    case CAPI_ARG_FILE_HANDLE:
    case CAPI_ARG_SOCKET:
        return GO_CONV_FILE;
    case CAPI_ARG_OBJECT:
    case CAPI_ARG_PROTOCOL:
        return GO_CONV_HANDLE;
    case CAPI_ARG_ARRAY:
    case CAPI_ARG_PROTOCOL_ARRAY:
    case CAPI_ARG_DICTIONARY:
        return GO_CONV_HANDLES;
    case CAPI_ARG_BOOL_OUT:
        return GO_CONV_ANSWER;
    case CAPI_ARG_BLOCK:
        return GO_CONV_DONE;
    default: /* CAPI_ARG_ERROR_OUT, CAPI_ARG_NEW_QUEUE */
        return GO_CONV_NONE;
    }
}

/* Why f has no Go function, or NULL. */
static const char *unwrapped_reason(const struct capi_function *f)
{
    const struct capi_result *r = &f->result;
    if (r->kind == CAPI_RESULT_VALUE && !go_value_type(r->apple_type, r->type))
        return "a scalar type without a Go twin";
    if (r->kind == CAPI_RESULT_ASSIGN && !go_struct(r->type))
        return "a struct without a Go twin";
    for (size_t i = 0; i < f->arg_count; i++) {
        const struct capi_arg *a = &f->args[i];
        if (a->kind == CAPI_ARG_VALUE && !go_value_type(a->apple_type, a->type))
            return "a scalar type without a Go twin";
        if (a->kind == CAPI_ARG_ASSIGN && !go_struct(a->type))
            return "a struct without a Go twin";
        if (a->kind == CAPI_ARG_BLOCK && f->wait.kind == CAPI_WAIT_NONE)
            return "a completion handler of a signature without a Go trampoline";
    }
    return NULL;
}

/*
 * Go's name for a function: methods by their C stem, package functions
 * prefixed with their class; initializers NewXxx when the class has one,
 * else NewXxxWith… after the C stem.
 */
static char *go_name(const struct capi_function *f, size_t constructors)
{
    char *camel = go_camel(f->stem);
    const char *cls = f->cls ? go_type_name(f->cls->name) : NULL;
    char *name;
    if (f->alloc_init) /* "new_with_name" → "NewWidgetWithName" */
        name = strcmp(f->stem, "new") == 0 || constructors == 1 ? xasprintf("New%s", cls)
                                                                : xasprintf("New%s%s", cls, camel + 3);
    else if (f->class_receiver)
        name = xasprintf("%s%s", cls, camel);
    else
        name = xstrdup(camel);
    free(camel);
    return name;
}

/* An argument's tokens; returns its Go parameter's type (the caller frees), NULL when it has none. */
static char *arg_tokens(struct tctx *ac, const struct capi_function *f, const struct capi_arg *a, enum go_conv conv)
{
    tctx_set(ac, "go_conv", go_conv_name(conv));
    tctx_set(ac, "var", a->field);
    switch (conv) {
    case GO_CONV_VALUE: {
        if (a->kind == CAPI_ARG_ASSIGN) {
            const struct go_struct *st = go_struct(a->type);
            tctx_set(ac, "to_c", st->to_c);
            return xstrdup(st->go);
        }
        const char *go = go_value_type(a->apple_type, a->type);
        char *to_c = strcmp(go, "unsafe.Pointer") == 0 ? xstrdup("") : cgo_type(a->type); /* void * is one */
        tctx_set(ac, "to_c", to_c);
        free(to_c);
        return xstrdup(go);
    }
    case GO_CONV_TEXT:
        tctx_flag(ac, "nullable", a->nullable);
        return xstrdup("string");
    case GO_CONV_BYTES:
        return xstrdup("[]byte");
    case GO_CONV_FILE:
        return xstrdup("*os.File");
    case GO_CONV_HANDLE:
    case GO_CONV_HANDLES: {
        char *cgo = cgo_type(a->type);
        tctx_set(ac, "cgo", cgo);
        free(cgo);
        const char *iface = go_type_name(a->apple_type);
        if (conv == GO_CONV_HANDLE)
            return xasprintf("%sObject", iface);
        tctx_flag(ac, "keyed", a->kind == CAPI_ARG_DICTIONARY);
        return xasprintf(a->kind == CAPI_ARG_DICTIONARY ? "map[string]%sObject" : "[]%sObject", iface);
    }
    case GO_CONV_DONE: {
        char *tramp = go_trampoline(a->callback_type);
        tctx_set(ac, "callback", a->callback_type);
        tctx_set(ac, "tramp", tramp);
        free(tramp);
        return go_handler_type(f->wait.apple_type);
    }
    default: /* GO_CONV_ANSWER: the Go function's result */
        return NULL;
    }
}

/* Appends a Go parameter after prev (NULL for the first); input: not the handler nor the timeout. */
static struct tctx *add_param(struct tctx *fn, struct tctx *prev, const char *name, const char *go_type, bool input)
{
    if (prev)
        tctx_flag(prev, "more", true);
    struct tctx *p = tctx_add(fn, "params");
    tctx_set(p, "name", name);
    tctx_set(p, "go_type", go_type);
    tctx_flag(p, "more", false);
    tctx_flag(p, "input", input);
    return p;
}

/* The values a failing return puts before the error, for a result of Go type go (not a struct). */
static const char *zero_values(enum capi_result_kind kind, const char *go)
{
    if (!*go)
        return "";
    if (strcmp(go, "bool") == 0)
        return "false, ";
    if (strcmp(go, "string") == 0)
        return "\"\", ";
    if (kind == CAPI_RESULT_VALUE && strcmp(go, "unsafe.Pointer") != 0)
        return "0, ";
    return "nil, ";
}

/*
 * The result's tokens: its kind, its Go type (go_result: "" when only an
 * error), the class it builds and the zero values a failing return puts
 * before the error.  A Wait function returns what the handler delivers; a
 * BOOL * out-parameter's answer is the result of a function returning a status.
 */
static void result_tokens(struct tctx *c, const struct capi_function *f, enum capi_wait_kind wait, bool answers)
{
    const struct capi_result *r = &f->result;
    enum capi_result_kind kind = wait == CAPI_WAIT_STATUS   ? CAPI_RESULT_VOID
                                 : wait == CAPI_WAIT_OBJECT ? CAPI_RESULT_OBJECT
                                                            : r->kind;
    const char *apple = wait == CAPI_WAIT_OBJECT ? f->wait.apple_type : r->apple_type;
    const char *cls = apple ? go_type_name(apple) : "";
    const struct go_struct *st = kind == CAPI_RESULT_ASSIGN ? go_struct(r->type) : NULL;
    char *go;
    switch (kind) {
    case CAPI_RESULT_VOID:
    case CAPI_RESULT_STATUS: go = xstrdup(answers ? "bool" : ""); break;
    case CAPI_RESULT_BOOL: go = xstrdup("bool"); break;
    case CAPI_RESULT_VALUE: go = xstrdup(go_value_type(apple, r->type)); break;
    case CAPI_RESULT_ASSIGN: go = xstrdup(st->go); break;
    case CAPI_RESULT_OBJECT: go = xasprintf("*%s", cls); break;
    case CAPI_RESULT_DATA: go = xstrdup("[]byte"); break;
    case CAPI_RESULT_FILE_HANDLE: go = xstrdup("*os.File"); break;
    case CAPI_RESULT_DATA_ARRAY: go = xstrdup("[][]byte"); break;
    case CAPI_RESULT_DICTIONARY: go = xasprintf("map[string]*%s", cls); break;
    case CAPI_RESULT_ARRAY: go = xasprintf("[]*%s", cls); break;
    default: go = xstrdup("string"); break; /* STRING, URL, UUID */
    }
    tctx_set(c, "result", capi_result_kind_name(kind));
    tctx_set(c, "go_result", go);
    tctx_set(c, "go_class", cls);
    if (st) {
        tctx_set(c, "from_c", st->from_c);
        tctx_setf(c, "zero", "%s{}, ", st->go);
    } else
        tctx_set(c, "zero", zero_values(kind, go));
    free(go);
}

/*
 * One Go function named name calling f (async: f's Async function, taking
 * the handler) or its blocking variant (wait, not CAPI_WAIT_NONE: with a
 * timeout instead).
 */
static struct tctx *go_function(struct tctx *owner, const struct capi_function *f, const char *name, bool async,
                                enum capi_wait_kind wait)
{
    struct tctx *c = tctx_add(owner, "functions");
    bool instance = !f->class_receiver && !f->alloc_init;
    char v[16];
    tctx_set(c, "name", name);
    tctx_set(c, "recv_type", go_type_name(f->proto ? f->proto->name : f->cls->name));
    tctx_flag(c, "instance", instance);
    if (instance) {
        char *self = cgo_type(f->params[0].type);
        tctx_set(c, "self_cgo", self);
        free(self);
    }
    tctx_set(c, "cfunc", wait != CAPI_WAIT_NONE ? f->wait.cname : f->cname);
    tctx_set(c, "api_name", f->api_name);
    tctx_set(c, "role", capi_role_name(f->role));
    tctx_flag(c, "async", async);
    tctx_set(c, "wait", capi_wait_kind_name(wait));
    tctx_set(c, "introduced", format_version(f->introduced, v));
    tctx_flag(c, "arm64_only", f->avail->arm64_only);
    tctx_flag(c, "deprecated", f->avail->deprecated != 0);
    tctx_set(c, "raises", f->raises ? f->raises : "");
    tctx_set(c, "entitlement", f->alloc_init && f->cls->entitlement ? f->cls->entitlement : "");
    tctx_list(c, "params");
    tctx_list(c, "args");
    struct tctx *last = NULL;
    const char *answer = "";
    for (size_t i = 0; i < f->arg_count; i++) {
        const struct capi_arg *a = &f->args[i];
        enum go_conv conv = go_conv_of(a->kind);
        if (conv == GO_CONV_NONE || (conv == GO_CONV_DONE && wait != CAPI_WAIT_NONE))
            continue;
        struct tctx *ac = tctx_add(c, "args");
        char *pname = conv == GO_CONV_DONE ? xstrdup("done") : go_param(a->objc_name);
        tctx_set(ac, "name", pname);
        char *go_type = arg_tokens(ac, f, a, conv);
        if (go_type)
            last = add_param(c, last, pname, go_type, conv != GO_CONV_DONE);
        else
            answer = a->field;
        free(go_type);
        free(pname);
    }
    if (wait != CAPI_WAIT_NONE)
        add_param(c, last, "timeout", "time.Duration", false);
    tctx_set(c, "bool_answer", answer);
    result_tokens(c, f, wait, *answer != '\0');
    return c;
}

void go_wrap(struct go_emitter *g, struct tctx *owner, const struct capi_function *f, size_t constructors)
{
    const char *why = unwrapped_reason(f);
    if (why) {
        skip_item(g, f->cname, why);
        if (f->wait.kind != CAPI_WAIT_NONE)
            skip_item(g, f->wait.cname, why);
        return;
    }
    char *name = go_name(f, constructors);
    struct strmap *scope = f->alloc_init || f->class_receiver ? &g->package_names : g->method_names;
    if (f->wait.kind == CAPI_WAIT_NONE) {
        if (claim(g, scope, name, f->cname, f->at)) {
            go_function(owner, f, name, false, CAPI_WAIT_NONE);
            g->wrapped++;
        }
        free(name);
        return;
    }
    /* A completion handler: Async (a Go func, called once), Wait (a timeout), and a context.Context variant. */
    char *async = xasprintf("%sAsync", name), *wait = xasprintf("%sWait", name);
    if (claim(g, scope, async, f->cname, f->at) && claim(g, scope, wait, f->wait.cname, f->at) &&
        claim(g, scope, name, f->wait.cname, f->at)) {
        go_function(owner, f, async, true, CAPI_WAIT_NONE);
        tctx_set(go_function(owner, f, wait, false, f->wait.kind), "ctx_name", name);
        g->wrapped += 2;
    }
    free(async);
    free(wait);
    free(name);
}
