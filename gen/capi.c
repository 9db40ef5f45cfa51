/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capi.c - computes the C API model (capi.h) from the resolved, checked
 * model: which wrappers exist, and for each its C parameters, conversions,
 * result, blocking variant and doc lines.  Names come from naming.c.
 */
#include "capi.h"

#include <stdlib.h>
#include <string.h>

#include "naming.h"
#include "strmap.h"

static const char *const arg_kind_names[] = {
    [CAPI_ARG_VALUE] = "value",           [CAPI_ARG_BOOL] = "bool",
    [CAPI_ARG_ASSIGN] = "assign",         [CAPI_ARG_OBJECT] = "object",
    [CAPI_ARG_PROTOCOL] = "protocol",     [CAPI_ARG_PROTOCOL_ARRAY] = "protocol_array",
    [CAPI_ARG_STRING] = "string",         [CAPI_ARG_URL] = "url",
    [CAPI_ARG_REMOTE_URL] = "remote_url", [CAPI_ARG_UUID] = "uuid",
    [CAPI_ARG_DATA] = "data",             [CAPI_ARG_FILE_HANDLE] = "file_handle",
    [CAPI_ARG_SOCKET] = "socket",         [CAPI_ARG_ARRAY] = "array",
    [CAPI_ARG_DICTIONARY] = "dictionary", [CAPI_ARG_BOOL_OUT] = "bool_out",
    [CAPI_ARG_ERROR_OUT] = "error_out",   [CAPI_ARG_NEW_QUEUE] = "new_queue",
    [CAPI_ARG_BLOCK] = "block",
};

static const char *const result_kind_names[] = {
    [CAPI_RESULT_VOID] = "void",           [CAPI_RESULT_STATUS] = "status",
    [CAPI_RESULT_BOOL] = "bool",           [CAPI_RESULT_VALUE] = "value",
    [CAPI_RESULT_OBJECT] = "object",       [CAPI_RESULT_STRING] = "string",
    [CAPI_RESULT_URL] = "url",             [CAPI_RESULT_FILE_HANDLE] = "file_handle",
    [CAPI_RESULT_ARRAY] = "array",         [CAPI_RESULT_UUID] = "uuid",
    [CAPI_RESULT_DATA] = "data",           [CAPI_RESULT_ASSIGN] = "assign",
    [CAPI_RESULT_DATA_ARRAY] = "data_array", [CAPI_RESULT_DICTIONARY] = "dictionary",
};

static const char *const delegate_arg_kind_names[] = {
    [CAPI_DELEGATE_ARG_OBJECT] = "object", [CAPI_DELEGATE_ARG_ERROR] = "error", [CAPI_DELEGATE_ARG_STRING] = "string",
    [CAPI_DELEGATE_ARG_DATA] = "data",     [CAPI_DELEGATE_ARG_BOOL] = "bool",   [CAPI_DELEGATE_ARG_VALUE] = "value",
};

static const char *const answer_kind_names[] = {
    [CAPI_ANSWER_NONE] = "none", [CAPI_ANSWER_BOOL] = "bool", [CAPI_ANSWER_DATA] = "data",
};

static const char *const callback_param_kind_names[] = {
    [CAPI_CALLBACK_PARAM_ERROR] = "error", [CAPI_CALLBACK_PARAM_OBJECT] = "object", [CAPI_CALLBACK_PARAM_VALUE] = "value",
};

static const char *const wait_kind_names[] = {
    [CAPI_WAIT_NONE] = "none", [CAPI_WAIT_STATUS] = "status", [CAPI_WAIT_OBJECT] = "object",
};

const char *capi_wait_kind_name(enum capi_wait_kind kind)
{
    return wait_kind_names[kind];
}

const char *capi_delegate_arg_kind_name(enum capi_delegate_arg_kind kind)
{
    return delegate_arg_kind_names[kind];
}

const char *capi_answer_kind_name(enum capi_answer_kind kind)
{
    return answer_kind_names[kind];
}

const char *capi_callback_param_kind_name(enum capi_callback_param_kind kind)
{
    return callback_param_kind_names[kind];
}

const char *capi_arg_kind_name(enum capi_arg_kind kind)
{
    return arg_kind_names[kind];
}

const char *capi_result_kind_name(enum capi_result_kind kind)
{
    return result_kind_names[kind];
}

/* What a wrapper is made from: a method, a property accessor, or +new. */
struct wrapper {
    const struct class_decl *cls;
    const struct protocol_decl *proto; /* a protocol's property: cls is NULL, the receiver conforms to proto */
    char *cfunc;
    char *api_name;
    const char *selector;
    bool class_receiver;
    bool alloc_init; /* [[cls alloc] init…] */
    bool ret_owned;  /* the result is +1 */
    const struct availability *avail;
    const struct arg *args;
    size_t arg_count;
    const struct arg *ret;
    const char *summary;
    struct loc at;
    bool weak;          /* a weak property's setter */
    const char *raises; /* when the method raises (overrides), or NULL */
};

struct builder {
    const struct api *api;
    struct capi *capi;
    size_t function_cap, symbol_cap;
};

static void add_symbol(struct builder *b, const char *name, version_t level, struct loc at)
{
    struct capi *capi = b->capi;
    if (capi->symbol_count == b->symbol_cap) {
        b->symbol_cap = b->symbol_cap ? 2 * b->symbol_cap : 256;
        capi->symbols = xrealloc(capi->symbols, b->symbol_cap * sizeof *capi->symbols);
    }
    capi->symbols[capi->symbol_count++] = (struct capi_symbol){xstrdup(name), level, at};
}

static char *class_type(const struct api *api, const char *class_name)
{
    return class_cname(find_class(api, class_name));
}

/* "int " but "cvz_x *": a type as written before a name. */
static char *decl_type(const char *type)
{
    size_t n = strlen(type);
    return xasprintf("%s%s", type, n && type[n - 1] == '*' ? "" : " ");
}

/* The public C type of a value of type t (results and plain arguments); self_cls types instancetype. */
char *capi_public_type(const struct api *api, const struct type *t, const struct class_decl *self_cls)
{
    switch (t->kind) {
    case TY_OBJECT: {
        char *c = class_type(api, t->class_name);
        char *s = xasprintf("%s *", c);
        free(c);
        return s;
    }
    case TY_PROTOCOL: {
        char *c = protocol_cname(t->class_name);
        char *s = xasprintf("struct %s *", c); /* no typedef: a getter may share the name */
        free(c);
        return s;
    }
    case TY_INSTANCETYPE: {
        char *c = class_cname(self_cls);
        char *s = xasprintf("%s *", c);
        free(c);
        return s;
    }
    case TY_ENUM: {
        /* Enums are used as `enum cvz_x`: no typedef, so a getter may share the name. */
        char *c = enum_cname(find_enum(api, t->enum_name));
        char *s = xasprintf("enum %s", c);
        free(c);
        return s;
    }
    case TY_STRING:
    case TY_URL:
        return xstrdup("char *");
    case TY_ARRAY:
    case TY_DICTIONARY: {
        char *c = t->of_protocol ? protocol_cname(t->class_name) : class_type(api, t->class_name);
        char *s = xasprintf("%s%s **", t->of_protocol ? "struct " : "", c);
        free(c);
        return s;
    }
    default:
        return xstrdup(t->public_c ? t->public_c : "void");
    }
}

static const char *arg_doc(const struct arg *a)
{
    switch (a->type.kind) {
    case TY_STRING:
        return "UTF-8 text, borrowed";
    case TY_URL:
        return a->remote_url ? "a URL with its scheme (UTF-8 text), borrowed" : "a file system path (UTF-8), borrowed";
    case TY_FILE_HANDLE:
        if (a->socket_kind && strcmp(a->socket_kind, "datagram") == 0)
            return "a connected datagram socket (SOCK_DGRAM), duplicated (the caller keeps its own)";
        return "a file descriptor, duplicated (the caller keeps its own)";
    case TY_PROTOCOL:
        return "a delegate handle, borrowed (the framework keeps what it needs)";
    case TY_OBJECT:
        return "a handle, borrowed (the framework retains what it keeps)";
    case TY_UUID:
        return "a UUID as text (\"E621E1F8-C36C-495A-93FC-0C247A3E6E5F\"), borrowed";
    default:
        return "the value";
    }
}

/* ---- one function ---------------------------------------------------------- */

/* The function being built, with room to grow its lists. */
struct fbuild {
    struct capi_function *f;
    size_t param_cap, doc_cap;
};

/* Adds a C parameter; `type` is the C type as written before the name (owned from now on). */
static void add_param(struct fbuild *fb, char *type, char *name, const char *zero, bool blocking)
{
    struct capi_function *f = fb->f;
    if (f->param_count == fb->param_cap) {
        fb->param_cap = fb->param_cap ? 2 * fb->param_cap : 8;
        f->params = xrealloc(f->params, fb->param_cap * sizeof *f->params);
    }
    f->params[f->param_count++] = (struct capi_param){type, name, zero, blocking};
}

/* Adds a parameter whose type is text to copy ("size_t *"); the name is formatted from `name` and `suffix`. */
static void add_param_named(struct fbuild *fb, const char *type, const char *name, const char *suffix,
                            const char *zero, bool blocking)
{
    add_param(fb, decl_type(type), xasprintf("%s%s", name, suffix), zero, blocking);
}

static void add_doc(struct fbuild *fb, char *line)
{
    struct capi_function *f = fb->f;
    if (f->doc_count == fb->doc_cap) {
        fb->doc_cap = fb->doc_cap ? 2 * fb->doc_cap : 8;
        f->doc = xrealloc(f->doc, fb->doc_cap * sizeof *f->doc);
    }
    f->doc[f->doc_count++] = line;
}

static bool plain_value(enum type_kind kind)
{
    return kind == TY_BOOL || kind == TY_SCALAR || kind == TY_POINTER || kind == TY_STRUCT || kind == TY_ENUM;
}

/* A value of each kind that a wrapper must cope with: NULL, 0, -1, empty (one per C parameter). */
static const char *zero_of(const struct type *t)
{
    switch (t->kind) {
    case TY_BOOL: return "false";
    case TY_SCALAR:
    case TY_ENUM: return "0";
    case TY_STRUCT: return struct_info_for(t->public_c)->zero;
    case TY_FILE_HANDLE: return "-1";
    default: return "NULL";
    }
}

/* The arguments: their conversions, C parameters and doc lines.  Returns the completion block, if any. */
static const struct block_sig *build_args(const struct api *api, const struct wrapper *wr, struct fbuild *fb)
{
    struct capi_function *f = fb->f;
    const struct block_sig *block = NULL;
    f->args = xcalloc(wr->arg_count, sizeof *f->args);
    f->arg_count = wr->arg_count;
    for (size_t i = 0; i < wr->arg_count; i++) {
        const struct arg *a = &wr->args[i];
        const struct type *t = &a->type;
        struct capi_arg *ca = &f->args[i];
        char *pname = param_name(a->name);
        *ca = (struct capi_arg){.param = pname, .field = xasprintf("a%zu", i), .objc_name = a->name,
                                .send_c = t->send_c, .nullable = a->nullable};
        const char *zero = zero_of(t);
        switch (t->kind) {
        case TY_BOOL:
        case TY_SCALAR:
        case TY_POINTER:
        case TY_STRUCT:
        case TY_ENUM: {
            char *pt = capi_public_type(api, t, wr->cls);
            ca->kind = t->kind == TY_BOOL ? CAPI_ARG_BOOL : t->kind == TY_STRUCT ? CAPI_ARG_ASSIGN : CAPI_ARG_VALUE;
            add_doc(fb, xasprintf("@%s: the value.", pname));
            add_param(fb, decl_type(pt), xstrdup(pname), zero, true);
            free(pt);
            break;
        }
        case TY_OBJECT: {
            char *ct = class_type(api, t->class_name);
            ca->kind = CAPI_ARG_OBJECT;
            ca->class_id = class_id(ct);
            add_param(fb, xasprintf("const %s *", ct), xstrdup(pname), zero, true);
            free(ct);
            break;
        }
        case TY_PROTOCOL: {
            char *pc = protocol_cname(t->class_name);
            ca->kind = CAPI_ARG_PROTOCOL;
            ca->protocol = xasprintf("%s_protocol", pc);
            add_param(fb, xasprintf("const struct %s *", pc), xstrdup(pname), zero, true);
            free(pc);
            break;
        }
        case TY_STRING:
        case TY_URL:
        case TY_UUID:
            ca->kind = t->kind == TY_STRING                  ? CAPI_ARG_STRING
                       : t->kind == TY_URL && a->remote_url ? CAPI_ARG_REMOTE_URL
                       : t->kind == TY_URL                  ? CAPI_ARG_URL
                                                            : CAPI_ARG_UUID;
            add_param(fb, xstrdup("const char *"), xstrdup(pname), zero, true);
            break;
        case TY_DATA:
            ca->kind = CAPI_ARG_DATA;
            add_doc(fb, xasprintf("@%s: @%s_length bytes, copied.", pname, pname));
            add_param(fb, xstrdup("const void *"), xstrdup(pname), "NULL", true);
            add_param_named(fb, "size_t", pname, "_length", "0", true);
            break;
        case TY_FILE_HANDLE:
            ca->kind = a->socket_kind ? CAPI_ARG_SOCKET : CAPI_ARG_FILE_HANDLE;
            if (a->socket_kind)
                ca->socket_kind = socket_kind_macro(a->socket_kind);
            add_param(fb, xstrdup("int "), xstrdup(pname), zero, true);
            break;
        case TY_ARRAY:
            if (t->of_protocol) {
                char *pc = protocol_cname(t->class_name);
                ca->kind = CAPI_ARG_PROTOCOL_ARRAY;
                ca->protocol = xasprintf("%s_protocol", pc);
                add_param(fb, xasprintf("struct %s *const *", pc), xstrdup(pname), "NULL", true);
                free(pc);
            } else {
                char *ct = class_type(api, t->class_name);
                ca->kind = CAPI_ARG_ARRAY;
                ca->class_id = class_id(ct);
                add_param(fb, xasprintf("%s *const *", ct), xstrdup(pname), "NULL", true);
                free(ct);
            }
            add_param_named(fb, "size_t", pname, "_count", "0", true);
            break;
        case TY_DICTIONARY: {
            char *ct = class_type(api, t->class_name);
            ca->kind = CAPI_ARG_DICTIONARY;
            ca->class_id = class_id(ct);
            add_param_named(fb, "const char *const *", pname, "_keys", "NULL", true);
            add_param(fb, xasprintf("%s *const *", ct), xstrdup(pname), "NULL", true);
            add_param_named(fb, "size_t", pname, "_count", "0", true);
            free(ct);
            break;
        }
        case TY_BOOL_OUT:
            ca->kind = CAPI_ARG_BOOL_OUT;
            add_doc(fb, xasprintf("@%s: (out): receives the answer when the call succeeds.", pname));
            add_param(fb, xstrdup("bool *"), xstrdup(pname), zero, true);
            break;
        case TY_ERROR_OUT:
            ca->kind = CAPI_ARG_ERROR_OUT;
            f->error_out = true;
            break;
        case TY_QUEUE:
            ca->kind = CAPI_ARG_NEW_QUEUE;
            add_doc(fb, xstrdup("The new object works on a serial dispatch queue of its own, which libcvz makes and "
                                "keeps: every call on it, and on the objects obtained from it, is routed onto that "
                                "queue (directly when made from a callback already running there), and its "
                                "completion handlers and delegate methods run there."));
            break;
        case TY_BLOCK: {
            ca->kind = CAPI_ARG_BLOCK;
            ca->callback_type = callback_cname(t->block);
            add_param(fb, decl_type(ca->callback_type), xstrdup("callback"), "NULL", false);
            add_param(fb, xstrdup("void *"), xstrdup("context"), "NULL", false);
            add_doc(fb, xstrdup("@callback: called once when the operation completes (may be NULL)."));
            add_doc(fb, xstrdup("@context: passed to @callback unchanged."));
            block = t->block;
            break;
        }
        default:
            break;
        }
        if (!plain_value(t->kind))
            f->pool = true;
        if (t->kind == TY_ARRAY)
            add_doc(fb, xasprintf("@%s: an array of @%s_count handles, borrowed.", pname, pname));
        else if (t->kind == TY_DICTIONARY)
            add_doc(fb, xasprintf("@%s: @%s_count handles, borrowed, each named by the same element of @%s_keys "
                                  "(UTF-8 names, distinct): the NSDictionary's entries.",
                                  pname, pname, pname));
        else if (!plain_value(t->kind) && t->kind != TY_DATA && t->kind != TY_BOOL_OUT && t->kind != TY_BLOCK &&
                 t->kind != TY_ERROR_OUT && t->kind != TY_QUEUE)
            add_doc(fb, xasprintf("@%s: %s%s%s%s.", pname, arg_doc(a),
                                  !a->nullable                   ? ""
                                  : t->kind == TY_FILE_HANDLE    ? " (-1 for none)"
                                                                 : " (may be NULL)",
                                  a->knowledge ? "; " : "", a->knowledge ? a->knowledge : ""));
    }
    return block;
}

/* The result: its kind, public type, failure value, release function and out-parameters.  Returns the doc's "Returns:" text. */
static const char *build_result(const struct api *api, const struct wrapper *wr, struct fbuild *fb, bool has_block)
{
    struct capi_function *f = fb->f;
    struct capi_result *r = &f->result;
    const struct type *t = &wr->ret->type;
    r->send_c = t->send_c;
    r->owned = wr->ret_owned;
    r->nullable = wr->ret->nullable && !wr->alloc_init;
    r->fail = "0";
    const char *returns = "";
    switch (t->kind) {
    case TY_VOID:
        r->kind = CAPI_RESULT_VOID;
        r->type = xstrdup("int");
        returns = has_block ? "0 when the operation was started (its outcome goes to @callback), or a negative "
                              "cvz_status (error set; @callback is then never called)."
                            : "0 on success, or a negative cvz_status (error set).";
        break;
    case TY_BOOL:
        if (f->error_out) {
            r->kind = CAPI_RESULT_STATUS;
            r->type = xstrdup("int");
            returns = "0 on success, or a negative cvz_status (error set; CVZ_E_FRAMEWORK carries the NSError).";
        } else {
            r->kind = CAPI_RESULT_BOOL;
            r->type = xstrdup("bool");
            r->fail = "false";
            returns = "the value; false on failure (error set).";
        }
        break;
    case TY_SCALAR:
    case TY_ENUM:
        r->kind = CAPI_RESULT_VALUE;
        r->type = capi_public_type(api, t, wr->cls);
        returns = "the value; 0 on failure (error set).";
        break;
    case TY_STRUCT:
        r->kind = CAPI_RESULT_ASSIGN;
        r->type = xstrdup(t->public_c);
        r->fail = "{0}";
        returns = "the value; all zero on failure (error set).";
        break;
    case TY_POINTER:
        r->kind = CAPI_RESULT_VALUE;
        r->type = xstrdup("void *");
        r->fail = "NULL";
        returns = "the pointer or reference, borrowed from the object; NULL on failure (error set).";
        break;
    case TY_UUID:
        r->kind = CAPI_RESULT_UUID;
        r->type = xstrdup("char *");
        r->fail = "NULL";
        r->release = "cvz_free";
        returns = "the UUID as text, freed with cvz_free(); NULL on failure or when nil.";
        break;
    case TY_DATA:
        r->kind = CAPI_RESULT_DATA;
        r->type = xstrdup("void *");
        r->fail = "NULL";
        r->release = "cvz_free";
        add_param(fb, xstrdup("size_t *"), xstrdup("length"), "&n", false);
        add_doc(fb, xstrdup("@length: (out): receives the number of bytes."));
        returns = "a copy of the bytes, freed with cvz_free(); NULL on failure or when nil.";
        break;
    case TY_OBJECT:
    case TY_PROTOCOL:
    case TY_INSTANCETYPE:
    case TY_PROGRESS:
        r->kind = CAPI_RESULT_OBJECT;
        r->type = capi_public_type(api, t, wr->cls);
        r->fail = "NULL";
        r->release = "cvz_release";
        r->release_cast = true;
        returns = r->nullable ? "a new reference the caller releases with cvz_release(); NULL when the value is nil "
                                "(error untouched) or on failure (error set)."
                              : "a new reference the caller releases with cvz_release(); NULL on failure (error set).";
        break;
    case TY_STRING:
    case TY_URL:
        r->kind = t->kind == TY_STRING ? CAPI_RESULT_STRING : CAPI_RESULT_URL;
        r->type = xstrdup("char *");
        r->fail = "NULL";
        r->release = "cvz_free";
        returns = t->kind == TY_STRING ? "a new UTF-8 string the caller frees with cvz_free(); NULL on failure "
                                         "or when nil."
                                       : "the URL's file system path (or the whole URL when it is not a file "
                                         "URL), freed with cvz_free(); NULL on failure or when nil.";
        break;
    case TY_FILE_HANDLE:
        r->kind = CAPI_RESULT_FILE_HANDLE;
        r->type = xstrdup("int");
        r->fail = "-1";
        r->release = "close";
        returns = "a new file descriptor (a dup) the caller closes; -1 when nil or on failure.";
        break;
    case TY_DATA_ARRAY:
        r->kind = CAPI_RESULT_DATA_ARRAY;
        r->type = xstrdup("cvz_bytes *");
        r->fail = "NULL";
        r->release = "cvz_bytes_array_free";
        r->release_takes_count = true;
        add_param(fb, xstrdup("size_t *"), xstrdup("count"), "&n", false);
        add_doc(fb, xstrdup("@count: (out): receives the number of buffers."));
        returns = "a new array of copies of the buffers; free it with cvz_bytes_array_free(array, *count). "
                  "NULL on failure (error set).";
        break;
    case TY_DICTIONARY:
        r->kind = CAPI_RESULT_DICTIONARY;
        r->type = capi_public_type(api, t, wr->cls);
        r->fail = "NULL";
        r->release = "cvz_handle_array_free";
        r->release_takes_count = true;
        r->release_cast = true;
        add_param(fb, xstrdup("char ***"), xstrdup("keys"), "&keys", false);
        add_param(fb, xstrdup("size_t *"), xstrdup("count"), "&n", false);
        add_doc(fb, xstrdup("@keys: (out): receives the entries' names, sorted, freed with "
                            "cvz_string_array_free(*keys, *count)."));
        add_doc(fb, xstrdup("@count: (out): receives the number of entries."));
        returns = "a new array of new handles, the values of @keys in the same order; free it with "
                  "cvz_handle_array_free(array, *count).  NULL on failure (error set).";
        break;
    case TY_ARRAY:
        r->kind = CAPI_RESULT_ARRAY;
        r->type = capi_public_type(api, t, wr->cls);
        r->fail = "NULL";
        r->release = "cvz_handle_array_free";
        r->release_takes_count = true;
        r->release_cast = true;
        add_param(fb, xstrdup("size_t *"), xstrdup("count"), "&n", false);
        add_doc(fb, xstrdup("@count: (out): receives the number of handles."));
        returns = "a new array of new handles; free it with cvz_handle_array_free(array, *count). "
                  "NULL on failure (error set).";
        break;
    default:
        /* check.c refuses every other kind of result before this phase. */
        r->kind = CAPI_RESULT_VOID;
        r->type = xstrdup("int");
        break;
    }
    if (!plain_value(t->kind) && t->kind != TY_VOID)
        f->pool = true;
    r->decl = decl_type(r->type);
    r->returns_status = r->kind == CAPI_RESULT_VOID || r->kind == CAPI_RESULT_STATUS;
    return returns;
}

/*
 * Whether a wrapper gets the fast path (cvz__fast_self): an instance method of
 * a class whose arguments and result are plain values, so nothing but the
 * receiver can fail before the send and nothing needs a pool after it.
 */
static bool takes_fast_path(const struct wrapper *wr, const struct capi_function *f, bool has_block)
{
    if (wr->proto || wr->class_receiver || wr->alloc_init || f->pool || f->error_out || has_block)
        return false;
    for (size_t i = 0; i < wr->arg_count; i++)
        if (!plain_value(wr->args[i].type.kind))
            return false;
    return wr->ret->type.kind == TY_VOID || plain_value(wr->ret->type.kind);
}

/* A completion handler delivering (object, error): its blocking variant returns the object. */
bool capi_block_delivers_object(const struct block_sig *b)
{
    return b && b->param_count == 2 && b->params[0].type.kind == TY_OBJECT && b->params[1].type.kind == TY_ERROR;
}

static void build_wait(const struct api *api, struct capi_function *f, const struct block_sig *block)
{
    if (!block)
        return;
    if (block->param_count == 1 && block->params[0].type.kind == TY_ERROR)
        f->wait.kind = CAPI_WAIT_STATUS;
    else if (capi_block_delivers_object(block)) {
        f->wait.kind = CAPI_WAIT_OBJECT;
        f->wait.type = capi_public_type(api, &block->params[0].type, NULL);
        char *cb = callback_cname(block);
        f->wait.adapter = xasprintf("%s_to_waiter", cb);
        free(cb);
    } else
        return;
    f->wait.cname = wait_cname(f->cname);
}

static struct capi_function *new_function(struct builder *b)
{
    struct capi *capi = b->capi;
    if (capi->function_count == b->function_cap) {
        b->function_cap = b->function_cap ? 2 * b->function_cap : 256;
        capi->functions = xrealloc(capi->functions, b->function_cap * sizeof *capi->functions);
    }
    struct capi_function *f = &capi->functions[capi->function_count];
    memset(f, 0, sizeof *f);
    f->item = capi->function_count++;
    return f;
}

static void build_function(struct builder *b, const struct wrapper *wr)
{
    struct capi_function *f = new_function(b);
    struct fbuild fb = {f, 0, 0};
    char buf[16];
    f->at = wr->at;
    f->cls = wr->cls;
    f->proto = wr->proto;
    f->cname = xstrdup(wr->cfunc);
    f->item_id = item_id(wr->cfunc);
    f->api_name = xstrdup(wr->api_name);
    f->api_macro = api_macro(wr->cfunc);
    f->selector = wr->selector;
    f->introduced = wr->avail->introduced;
    f->arm64_only = wr->avail->arm64_only || (wr->cls && wr->cls->avail.arm64_only);
    f->class_receiver = wr->class_receiver;
    f->alloc_init = wr->alloc_init;
    add_doc(&fb, xasprintf("%s: %s", wr->cfunc, wr->summary));
    add_doc(&fb, xasprintf("Wraps %s; macOS %s%s%s.", wr->api_name, format_version(f->introduced, buf),
                           wr->avail->arm64_only ? ", arm64 only" : "", wr->avail->deprecated ? " (deprecated)" : ""));
    if (wr->proto) {
        char *pc = protocol_cname(wr->proto->name);
        add_param(&fb, xasprintf("struct %s *", pc), xstrdup("self"), NULL, true);
        add_doc(&fb, xasprintf("@self: an object conforming to %s (borrowed): a handle of a conforming class, cast.",
                               wr->proto->name));
        free(pc);
    } else if (!wr->class_receiver && !wr->alloc_init) {
        char *ct = class_cname(wr->cls);
        add_param(&fb, xasprintf("%s *", ct), xstrdup("self"), NULL, true);
        add_doc(&fb, xasprintf("@self: the %s (borrowed).", wr->cls->name));
        free(ct);
    }
    const struct block_sig *block = build_args(b->api, wr, &fb);
    const char *returns = build_result(b->api, wr, &fb, block != NULL);
    if (wr->weak)
        add_doc(&fb, xstrdup("The framework holds this reference weakly: keep your handle alive while it is set."));
    if (wr->raises)
        add_doc(&fb, xasprintf("The framework raises an NSException when %s: libcvz reports it as CVZ_E_EXCEPTION.",
                               wr->raises));
    if (wr->alloc_init && wr->cls->entitlement)
        add_doc(&fb, xasprintf("On macOS the process must be signed with the %s entitlement to use %s.",
                               wr->cls->entitlement, wr->cls->name));
    add_param(&fb, xstrdup("cvz_error **"), xstrdup("error"), NULL, false);
    add_doc(&fb, xstrdup("@error: (out, optional): receives a new error on failure; free it with cvz_error_free()."));
    add_doc(&fb, xasprintf("Returns: %s", returns));
    f->fast = takes_fast_path(wr, f, block != NULL);
    build_wait(b->api, f, block);
    add_symbol(b, f->cname, f->introduced, f->at);
    if (f->wait.kind != CAPI_WAIT_NONE)
        add_symbol(b, f->wait.cname, f->introduced, f->at);
}

/* ---- classes and protocols ------------------------------------------------- */

static bool is_owned_selector(const char *sel)
{
    return strncmp(sel, "new", 3) == 0 || strncmp(sel, "copy", 4) == 0 || strncmp(sel, "mutableCopy", 11) == 0;
}

/* Is -init usable on this class?  The nearest declaration up the chain decides; NSObject's is. */
static const struct method *nearest_init(const struct class_decl *c)
{
    for (; c; c = c->superclass)
        for (size_t i = 0; i < c->method_count; i++)
            if (!c->methods[i].is_class && strcmp(c->methods[i].selector, "init") == 0)
                return &c->methods[i];
    return NULL;
}

/* A property's getter and setter; `cn` is the C name of its class c, or of its protocol proto. */
static void build_property(struct builder *b, const struct class_decl *c, const struct protocol_decl *proto,
                           const char *cn, const struct property *p)
{
    const char *container = c ? c->name : proto->name;
    struct arg value = {.at = p->at, .name = p->name, .type_text = p->type_text, .nullable = p->nullable, .type = p->type};
    struct wrapper get = {.cls = c, .proto = proto, .cfunc = property_getter_cname(cn, p),
                          .api_name = property_api_name(container, p), .selector = p->getter,
                          .class_receiver = p->is_class, .avail = &p->avail, .ret = &value,
                          .summary = p->is_class ? "reads the class property." : "reads the property.", .at = p->at};
    build_function(b, &get);
    if (p->setter) {
        static const struct arg void_ret = {.type = {TY_VOID, "void", "void", "v", NULL, NULL, NULL, false, NULL}};
        struct wrapper set = {.cls = c, .proto = proto, .cfunc = property_setter_cname(cn, p),
                              .api_name = get.api_name, .selector = p->setter, .class_receiver = p->is_class,
                              .avail = &p->avail, .args = &value, .arg_count = 1, .ret = &void_ret,
                              .summary = "sets the property.", .at = p->at,
                              .weak = p->memory && strcmp(p->memory, "weak") == 0};
        build_function(b, &set);
        free(set.cfunc);
    }
    free(get.cfunc);
    free(get.api_name);
}

static void build_class(struct builder *b, const struct class_decl *c, struct capi_class *cc)
{
    cc->decl = c;
    cc->cname = class_cname(c);
    cc->class_macro = class_macro(cc->cname);
    cc->id = class_id(cc->cname);
    cc->functions.first = b->capi->function_count;
    if (c->skip_reason)
        return; /* in the class table (availability queries know it), but no C API */
    for (const struct class_decl *s = c->superclass; s; s = s->superclass)
        cc->upcast_count++;
    cc->upcasts = xcalloc(cc->upcast_count, sizeof *cc->upcasts);
    size_t n = 0;
    for (const struct class_decl *s = c->superclass; s; s = s->superclass, n++)
        cc->upcasts[n] = (struct capi_upcast){upcast_cname(cc->cname, s), class_cname(s), s->name};

    /* +new when the class can be created with a plain -init. */
    const struct method *init = nearest_init(c);
    if (!init || (!init->unavailable && init->owner != c)) {
        static const struct arg implicit_ret = {.type = {TY_INSTANCETYPE, "id", NULL, "@", NULL, NULL, NULL, false, NULL}};
        struct wrapper wr = {.cls = c, .cfunc = xasprintf("%s_new", cc->cname),
                             .api_name = xasprintf("-[%s init]", c->name), .selector = "init", .alloc_init = true,
                             .ret_owned = true, .avail = &c->avail, .ret = &implicit_ret,
                             .summary = "creates an instance with -init.", .at = c->at};
        build_function(b, &wr);
        free(wr.cfunc);
        free(wr.api_name);
    }
    for (size_t i = 0; i < c->method_count; i++) {
        const struct method *m = &c->methods[i];
        if (m->unavailable || m->skip_reason)
            continue;
        char *stem = method_stem(m);
        bool init_method = !m->is_class && strncmp(m->selector, "init", 4) == 0;
        struct wrapper wr = {.cls = c, .cfunc = xasprintf("%s_%s", cc->cname, stem),
                             .api_name = method_api_name(c->name, m), .selector = m->selector,
                             .class_receiver = m->is_class, .alloc_init = init_method,
                             .ret_owned = init_method || is_owned_selector(m->selector), .avail = &m->avail,
                             .args = m->args, .arg_count = m->arg_count, .ret = &m->ret,
                             .summary = init_method ? "allocates and initializes an instance." : "calls the method.",
                             .at = m->at, .raises = m->raises};
        build_function(b, &wr);
        free(wr.cfunc);
        free(wr.api_name);
        free(stem);
    }
    for (size_t i = 0; i < c->property_count; i++)
        if (!c->properties[i].skip_reason)
            build_property(b, c, NULL, cc->cname, &c->properties[i]);
    cc->functions.count = b->capi->function_count - cc->functions.first;
}

/* ---- type encodings ---------------------------------------------------------- */

/*
 * A type's Objective-C encoding, appended to the text of a C string literal
 * being built in sb.  BOOL's depends on the target (@encode(BOOL) is "B" on
 * arm64 Apple, "c" on x86_64 Apple, "C" with the GNU runtime), so for it the
 * literal is split around the core's CVZ__ENCODE_BOOL (src/runtime.h).
 */
static void add_encoding(struct strbuf *sb, const struct type *t)
{
    if (t->kind == TY_BOOL)
        sb_adds(sb, "\" CVZ__ENCODE_BOOL \"");
    else if (t->kind == TY_BOOL_OUT)
        sb_adds(sb, "^\" CVZ__ENCODE_BOOL \"");
    else
        sb_adds(sb, t->encoding);
}

/* The C expression for a literal whose text add_encoding() built: quoted, empty pieces dropped. */
static char *encoding_literal(const struct strbuf *sb)
{
    char *lit = xasprintf("\"%s\"", sb->data ? sb->data : "");
    size_t len = strlen(lit);
    if (len > 3 && strcmp(lit + len - 3, " \"\"") == 0)
        lit[len - 3] = '\0';
    if (strncmp(lit, "\"\" ", 3) == 0)
        memmove(lit, lit + 3, strlen(lit + 3) + 1);
    return lit;
}

/* ---- delegates and completion callbacks -------------------------------------- */

static void build_delegate_arg(const struct api *api, const struct arg *a, size_t i, struct capi_delegate_arg *da)
{
    const struct type *t = &a->type;
    da->kind = t->kind == TY_OBJECT   ? CAPI_DELEGATE_ARG_OBJECT
               : t->kind == TY_ERROR  ? CAPI_DELEGATE_ARG_ERROR
               : t->kind == TY_STRING ? CAPI_DELEGATE_ARG_STRING
               : t->kind == TY_DATA   ? CAPI_DELEGATE_ARG_DATA
               : t->kind == TY_BOOL   ? CAPI_DELEGATE_ARG_BOOL
                                      : CAPI_DELEGATE_ARG_VALUE;
    da->send_c = t->send_c;
    da->type = t->kind == TY_STRING ? xstrdup("const char *")
               : t->kind == TY_DATA ? xstrdup("const void *")
                                    : capi_public_type(api, t, NULL);
    da->decl_type = decl_type(da->type);
    da->param = param_name(a->name);
    da->src = xasprintf("a%zu", i);
    da->var = xasprintf("v%zu", i);
}

static void build_delegate_method(const struct api *api, const struct capi_protocol *pc, const struct method *m,
                                  struct capi_delegate_method *dm)
{
    dm->decl = m;
    dm->field = method_stem(m);
    dm->imp = xasprintf("%s_%s_imp", pc->cname, dm->field);
    dm->answer = m->ret.type.kind == TY_BOOL ? CAPI_ANSWER_BOOL
                 : m->ret.type.kind == TY_DATA ? CAPI_ANSWER_DATA
                                               : CAPI_ANSWER_NONE;
    struct strbuf types;
    sb_init(&types);
    add_encoding(&types, &m->ret.type);
    sb_adds(&types, "@:");
    dm->args = xcalloc(m->arg_count, sizeof *dm->args);
    dm->arg_count = m->arg_count;
    for (size_t j = 0; j < m->arg_count; j++) {
        add_encoding(&types, &m->args[j].type);
        build_delegate_arg(api, &m->args[j], j, &dm->args[j]);
    }
    dm->types = encoding_literal(&types);
    sb_free(&types);
}

static void build_callback(const struct api *api, const struct block_sig *b, struct capi_callback *cb)
{
    cb->block = b;
    cb->cname = callback_cname(b);
    cb->params = xcalloc(b->param_count, sizeof *cb->params);
    cb->param_count = b->param_count;
    cb->error_param = -1;
    /* Encoding with frame offsets, as clang writes it: v16@?0@8 for void (^)(id);
     * a BOOL takes the 4 bytes of the int it is promoted to, the rest 8. */
    size_t frame = 8;
    for (size_t p = 0; p < b->param_count; p++)
        frame += b->params[p].type.kind == TY_BOOL ? 4 : 8;
    struct strbuf sig;
    sb_init(&sig);
    sb_addf(&sig, "v%zu@?0", frame);
    size_t offset = 8;
    for (size_t p = 0; p < b->param_count; p++) {
        const struct type *t = &b->params[p].type;
        struct capi_callback_param *cp = &cb->params[p];
        cp->kind = t->kind == TY_ERROR    ? CAPI_CALLBACK_PARAM_ERROR
                   : t->kind == TY_OBJECT ? CAPI_CALLBACK_PARAM_OBJECT
                                          : CAPI_CALLBACK_PARAM_VALUE;
        cp->send_c = t->send_c;
        cp->type = capi_public_type(api, t, NULL);
        cp->src = xasprintf("p%zu", p);
        if (cp->kind == CAPI_CALLBACK_PARAM_OBJECT)
            cp->var = xasprintf("h%zu", p);
        if (cp->kind == CAPI_CALLBACK_PARAM_ERROR)
            cb->error_param = (int)p;
        add_encoding(&sig, t);
        sb_addf(&sig, "%zu", offset);
        offset += t->kind == TY_BOOL ? 4 : 8;
    }
    cb->signature = encoding_literal(&sig);
    sb_free(&sig);
    cb->delivers_object = capi_block_delivers_object(b);
    if (cb->delivers_object)
        cb->object_type = capi_public_type(api, &b->params[0].type, NULL);
}

/* One callback per block signature, in the order the classes' methods first take them. */
static void build_callbacks(const struct api *api, struct capi *capi)
{
    struct strmap seen;
    strmap_init(&seen);
    for (size_t i = 0; i < api->class_count; i++) {
        const struct class_decl *c = &api->classes[i];
        for (size_t j = 0; j < c->method_count; j++) {
            const struct method *m = &c->methods[j];
            for (size_t k = 0; k < m->arg_count; k++) {
                const struct block_sig *b = m->args[k].type.block;
                if (!b || m->unavailable || strmap_get(&seen, b->key))
                    continue;
                strmap_add(&seen, b->key, (void *)b);
                capi->callbacks = xrealloc(capi->callbacks, (capi->callback_count + 1) * sizeof *capi->callbacks);
                memset(&capi->callbacks[capi->callback_count], 0, sizeof *capi->callbacks);
                build_callback(api, b, &capi->callbacks[capi->callback_count++]);
            }
        }
    }
    strmap_free(&seen);
}

static void build_protocol(struct builder *b, const struct protocol_decl *p, struct capi_protocol *pc)
{
    pc->decl = p;
    pc->cname = protocol_cname(p->name);
    pc->new_name = xasprintf("%s_new", pc->cname);
    /* With methods, a protocol is a delegate the caller implements; without, the
     * framework implements it (id<VZUSBDevice>) and C only passes its objects on. */
    for (size_t i = 0; i < p->method_count; i++)
        pc->delegate = pc->delegate || !p->methods[i].skip_reason;
    if (pc->delegate)
        add_symbol(b, pc->new_name, p->avail.introduced, p->at);
    pc->functions.first = b->capi->function_count;
    for (size_t i = 0; i < p->property_count; i++)
        if (!p->properties[i].skip_reason)
            build_property(b, NULL, p, pc->cname, &p->properties[i]);
    pc->functions.count = b->capi->function_count - pc->functions.first;
    if (!pc->delegate)
        return;
    pc->methods = xcalloc(p->method_count, sizeof *pc->methods);
    for (size_t i = 0; i < p->method_count; i++)
        if (!p->methods[i].skip_reason)
            build_delegate_method(b->api, pc, &p->methods[i], &pc->methods[pc->method_count++]);
}

struct capi *capi_build(const struct api *api)
{
    struct capi *capi = xcalloc(1, sizeof *capi);
    struct builder b = {api, capi, 0, 0};
    capi->api = api;
    for (size_t i = 0; i < api->constant_count; i++) {
        char *cname = constant_cname(api->constants[i].name);
        add_symbol(&b, cname, api->constants[i].avail.introduced, api->constants[i].at);
        free(cname);
    }
    capi->protocols = xcalloc(api->protocol_count, sizeof *capi->protocols);
    for (size_t i = 0; i < api->protocol_count; i++)
        build_protocol(&b, &api->protocols[i], &capi->protocols[i]);
    capi->classes = xcalloc(api->class_count, sizeof *capi->classes);
    for (size_t i = 0; i < api->class_count; i++)
        build_class(&b, &api->classes[i], &capi->classes[i]);
    build_callbacks(api, capi);
    return capi;
}

/* ---- the check of the C names ---------------------------------------------- */

int check_capi(const struct capi *capi)
{
    int before = diag_error_count();
    struct strmap types, taken; /* a class's handle type -> its class + 1; a function -> its symbol + 1 */
    strmap_init(&types);
    strmap_init(&taken);
    for (size_t i = 0; i < capi->api->class_count; i++) {
        size_t first = (size_t)strmap_add(&types, capi->classes[i].cname, (void *)(i + 1));
        if (first != i + 1)
            diag_error(capi->api->classes[i].at, "class '%s' would have the C handle type %s of the class at line %d; "
                       "give one a cname", capi->api->classes[i].name, capi->classes[i].cname,
                       capi->api->classes[first - 1].at.line);
    }
    for (size_t i = 0; i < capi->symbol_count; i++) {
        const struct capi_symbol *s = &capi->symbols[i];
        size_t cls = (size_t)strmap_get(&types, s->name);
        if (cls)
            diag_error(s->at,
                       "this item's C function %s() would have the name of the handle type of %s; give it another "
                       "one with <rename name=\"...\" cname=\"...\"/> in the overrides",
                       s->name, capi->api->classes[cls - 1].name);
        size_t first = (size_t)strmap_add(&taken, s->name, (void *)(i + 1));
        if (first != i + 1)
            diag_error(s->at, "this item's C function %s() is already taken by the item at line %d; give one a cname",
                       s->name, capi->symbols[first - 1].at.line);
    }
    strmap_free(&types);
    strmap_free(&taken);
    return diag_error_count() - before;
}

/* ---- freeing ----------------------------------------------------------------- */

static void function_free(struct capi_function *f)
{
    free(f->cname);
    free(f->item_id);
    free(f->api_name);
    free(f->api_macro);
    for (size_t i = 0; i < f->param_count; i++) {
        free(f->params[i].type);
        free(f->params[i].name);
    }
    free(f->params);
    for (size_t i = 0; i < f->arg_count; i++) {
        free(f->args[i].param);
        free(f->args[i].field);
        free(f->args[i].protocol);
        free(f->args[i].class_id);
        free(f->args[i].socket_kind);
        free(f->args[i].callback_type);
    }
    free(f->args);
    free(f->result.type);
    free(f->result.decl);
    free(f->wait.cname);
    free(f->wait.type);
    free(f->wait.adapter);
    for (size_t i = 0; i < f->doc_count; i++)
        free(f->doc[i]);
    free(f->doc);
}

void capi_free(struct capi *capi)
{
    if (!capi)
        return;
    for (size_t i = 0; i < capi->function_count; i++)
        function_free(&capi->functions[i]);
    free(capi->functions);
    for (size_t i = 0; i < capi->api->class_count; i++) {
        struct capi_class *c = &capi->classes[i];
        for (size_t j = 0; j < c->upcast_count; j++) {
            free(c->upcasts[j].name);
            free(c->upcasts[j].target_type);
        }
        free(c->upcasts);
        free(c->cname);
        free(c->class_macro);
        free(c->id);
    }
    free(capi->classes);
    for (size_t i = 0; i < capi->api->protocol_count; i++) {
        struct capi_protocol *p = &capi->protocols[i];
        for (size_t j = 0; j < p->method_count; j++) {
            struct capi_delegate_method *m = &p->methods[j];
            for (size_t k = 0; k < m->arg_count; k++) {
                free(m->args[k].type);
                free(m->args[k].decl_type);
                free(m->args[k].param);
                free(m->args[k].src);
                free(m->args[k].var);
            }
            free(m->args);
            free(m->field);
            free(m->imp);
            free(m->types);
        }
        free(p->methods);
        free(p->cname);
        free(p->new_name);
    }
    for (size_t i = 0; i < capi->callback_count; i++) {
        struct capi_callback *cb = &capi->callbacks[i];
        for (size_t j = 0; j < cb->param_count; j++) {
            free(cb->params[j].type);
            free(cb->params[j].src);
            free(cb->params[j].var);
        }
        free(cb->params);
        free(cb->cname);
        free(cb->signature);
        free(cb->object_type);
    }
    free(capi->callbacks);
    free(capi->protocols);
    for (size_t i = 0; i < capi->symbol_count; i++)
        free(capi->symbols[i].name);
    free(capi->symbols);
    free(capi);
}
