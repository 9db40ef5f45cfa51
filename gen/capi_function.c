/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capi_function.c - one wrapper of the C API model: from a method, a
 * property accessor or +new, its C parameters (each with its value for the
 * bad-call test and whether the blocking variant takes it), the conversion of
 * each argument, the result and its release function, the fast path, the
 * blocking variant and the doc lines.
 */
#include <stdlib.h>
#include <string.h>

#include "capi_build.h"
#include "naming.h"

static char *class_type(const struct api *api, const char *class_name)
{
    return class_cname(find_class(api, class_name));
}

char *capi_decl_type(const char *type)
{
    size_t n = strlen(type);
    return xconcat(type, n && type[n - 1] == '*' ? "" : " ", (const char *)NULL);
}

/* The public C type of a value of type t (results and plain arguments); self_cls types instancetype. */
char *capi_public_type(const struct api *api, const struct type *t, const struct class_decl *self_cls)
{
    switch (t->kind) {
    case TY_OBJECT: {
        char *c = class_type(api, t->class_name);
        char *s = xconcat(c, " *", (const char *)NULL);
        free(c);
        return s;
    }
    case TY_PROTOCOL: {
        char *c = protocol_cname(t->class_name);
        char *s = xconcat("struct ", c, " *", (const char *)NULL); /* no typedef: a getter may share the name */
        free(c);
        return s;
    }
    case TY_INSTANCETYPE: {
        char *c = class_cname(self_cls);
        char *s = xconcat(c, " *", (const char *)NULL);
        free(c);
        return s;
    }
    case TY_ENUM: {
        /* Enums are used as `enum cvz_x`: no typedef, so a getter may share the name. */
        char *c = enum_cname(find_enum(api, t->enum_name));
        char *s = xconcat("enum ", c, (const char *)NULL);
        free(c);
        return s;
    }
    case TY_STRING:
    case TY_URL:
        return xstrdup("char *");
    case TY_ARRAY:
    case TY_DICTIONARY: {
        char *c = t->of_protocol ? protocol_cname(t->class_name) : class_type(api, t->class_name);
        char *s = xconcat(t->of_protocol ? "struct " : "", c, " **", (const char *)NULL);
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

/* The public C type of one handle of t, an object, a protocol's object or an element of an array or dictionary. */
static char *handle_type(const struct api *api, const struct type *t)
{
    struct type one = {.kind = t->kind == TY_PROTOCOL || t->of_protocol ? TY_PROTOCOL : TY_OBJECT,
                       .class_name = t->class_name};
    return capi_public_type(api, &one, NULL);
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
    add_param(fb, capi_decl_type(type), xconcat(name, suffix, (const char *)NULL), zero, blocking);
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
static const struct block_sig *build_args(const struct api *api, const struct capi_wrapper *wr, struct fbuild *fb)
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
        if (t->kind == TY_OBJECT || t->kind == TY_PROTOCOL || t->kind == TY_ARRAY || t->kind == TY_DICTIONARY) {
            ca->apple_type = t->class_name;
            ca->type = handle_type(api, t);
        }
        switch (t->kind) {
        case TY_BOOL:
        case TY_SCALAR:
        case TY_POINTER:
        case TY_STRUCT:
        case TY_ENUM: {
            char *pt = capi_public_type(api, t, wr->cls);
            ca->kind = t->kind == TY_BOOL ? CAPI_ARG_BOOL : t->kind == TY_STRUCT ? CAPI_ARG_ASSIGN : CAPI_ARG_VALUE;
            ca->apple_type = t->enum_name;
            ca->type = pt;
            add_doc(fb, xconcat("@", pname, ": the value.", (const char *)NULL));
            add_param(fb, capi_decl_type(pt), xstrdup(pname), zero, true);
            break;
        }
        case TY_OBJECT: {
            char *ct = class_type(api, t->class_name);
            ca->kind = CAPI_ARG_OBJECT;
            ca->class_id = class_id(ct);
            add_param(fb, xconcat("const ", ct, " *", (const char *)NULL), xstrdup(pname), zero, true);
            free(ct);
            break;
        }
        case TY_PROTOCOL: {
            char *pc = protocol_cname(t->class_name);
            ca->kind = CAPI_ARG_PROTOCOL;
            ca->protocol = pc;
            add_param(fb, xconcat("const struct ", pc, " *", (const char *)NULL), xstrdup(pname), zero, true);
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
            add_doc(fb, xconcat("@", pname, ": @", pname, "_length bytes, copied.", (const char *)NULL));
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
                ca->protocol = pc;
                add_param(fb, xconcat("struct ", pc, " *const *", (const char *)NULL), xstrdup(pname), "NULL", true);
            } else {
                char *ct = class_type(api, t->class_name);
                ca->kind = CAPI_ARG_ARRAY;
                ca->class_id = class_id(ct);
                add_param(fb, xconcat(ct, " *const *", (const char *)NULL), xstrdup(pname), "NULL", true);
                free(ct);
            }
            add_param_named(fb, "size_t", pname, "_count", "0", true);
            break;
        case TY_DICTIONARY: {
            char *ct = class_type(api, t->class_name);
            ca->kind = CAPI_ARG_DICTIONARY;
            ca->class_id = class_id(ct);
            add_param_named(fb, "const char *const *", pname, "_keys", "NULL", true);
            add_param(fb, xconcat(ct, " *const *", (const char *)NULL), xstrdup(pname), "NULL", true);
            add_param_named(fb, "size_t", pname, "_count", "0", true);
            free(ct);
            break;
        }
        case TY_BOOL_OUT:
            ca->kind = CAPI_ARG_BOOL_OUT;
            add_doc(fb, xconcat("@", pname, ": (out): receives the answer when the call succeeds.",
                                (const char *)NULL));
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
            add_param(fb, capi_decl_type(ca->callback_type), xstrdup("callback"), "NULL", false);
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
            add_doc(fb, xconcat("@", pname, ": an array of @", pname, "_count handles, borrowed.",
                                (const char *)NULL));
        else if (t->kind == TY_DICTIONARY)
            add_doc(fb, xconcat("@", pname, ": @", pname,
                                "_count handles, borrowed, each named by the same element of @", pname,
                                "_keys (UTF-8 names, distinct): the NSDictionary's entries.", (const char *)NULL));
        else if (!plain_value(t->kind) && t->kind != TY_DATA && t->kind != TY_BOOL_OUT && t->kind != TY_BLOCK &&
                 t->kind != TY_ERROR_OUT && t->kind != TY_QUEUE)
            add_doc(fb, xconcat("@", pname, ": ", arg_doc(a),
                                !a->nullable                ? ""
                                : t->kind == TY_FILE_HANDLE ? " (-1 for none)"
                                                            : " (may be NULL)",
                                a->knowledge ? "; " : "", a->knowledge ? a->knowledge : "", ".", (const char *)NULL));
    }
    return block;
}

/*
 * The result: its kind, public type, failure value, release function and
 * out-parameters.  Returns the doc's "Returns:" text as a format whose %s is
 * the release function, so which function frees a result is said in one place.
 */
static const char *build_result(const struct api *api, const struct capi_wrapper *wr, struct fbuild *fb, bool has_block)
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
        r->apple_type = t->enum_name;
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
        returns = "the UUID as text, freed with %s(); NULL on failure or when nil.";
        break;
    case TY_DATA:
        r->kind = CAPI_RESULT_DATA;
        r->type = xstrdup("void *");
        r->fail = "NULL";
        r->release = "cvz_free";
        add_param(fb, xstrdup("size_t *"), xstrdup("length"), "&n", false);
        add_doc(fb, xstrdup("@length: (out): receives the number of bytes."));
        returns = "a copy of the bytes, freed with %s(); NULL on failure or when nil.";
        break;
    case TY_OBJECT:
    case TY_PROTOCOL:
    case TY_INSTANCETYPE:
    case TY_PROGRESS:
        r->kind = CAPI_RESULT_OBJECT;
        r->apple_type = t->kind == TY_INSTANCETYPE ? wr->cls->name : t->class_name;
        r->type = capi_public_type(api, t, wr->cls);
        r->fail = "NULL";
        r->release = "cvz_release";
        r->release_cast = true;
        returns = r->nullable ? "a new reference the caller releases with %s(); NULL when the value is nil "
                                "(error untouched) or on failure (error set)."
                              : "a new reference the caller releases with %s(); NULL on failure (error set).";
        break;
    case TY_STRING:
    case TY_URL:
        r->kind = t->kind == TY_STRING ? CAPI_RESULT_STRING : CAPI_RESULT_URL;
        r->type = xstrdup("char *");
        r->fail = "NULL";
        r->release = "cvz_free";
        returns = t->kind == TY_STRING ? "a new UTF-8 string the caller frees with %s(); NULL on failure "
                                         "or when nil."
                                       : "the URL's file system path (or the whole URL when it is not a file "
                                         "URL), freed with %s(); NULL on failure or when nil.";
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
        returns = "a new array of copies of the buffers; free it with %s(array, *count). "
                  "NULL on failure (error set).";
        break;
    case TY_DICTIONARY:
        r->kind = CAPI_RESULT_DICTIONARY;
        r->apple_type = t->class_name;
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
                  "%s(array, *count).  NULL on failure (error set).";
        break;
    case TY_ARRAY:
        r->kind = CAPI_RESULT_ARRAY;
        r->apple_type = t->class_name;
        r->type = capi_public_type(api, t, wr->cls);
        r->fail = "NULL";
        r->release = "cvz_handle_array_free";
        r->release_takes_count = true;
        r->release_cast = true;
        add_param(fb, xstrdup("size_t *"), xstrdup("count"), "&n", false);
        add_doc(fb, xstrdup("@count: (out): receives the number of handles."));
        returns = "a new array of new handles; free it with %s(array, *count). "
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
    r->decl = capi_decl_type(r->type);
    r->returns_status = r->kind == CAPI_RESULT_VOID || r->kind == CAPI_RESULT_STATUS;
    return returns;
}

/*
 * Whether a wrapper gets the fast path (cvz__fast_self): an instance method of
 * a class whose arguments and result are plain values, so nothing but the
 * receiver can fail before the send and nothing needs a pool after it.
 */
static bool takes_fast_path(const struct capi_wrapper *wr, const struct capi_function *f, bool has_block)
{
    if (wr->proto || wr->class_receiver || wr->alloc_init || f->pool || f->error_out || has_block)
        return false;
    for (size_t i = 0; i < wr->arg_count; i++)
        if (!plain_value(wr->args[i].type.kind))
            return false;
    return wr->ret->type.kind == TY_VOID || plain_value(wr->ret->type.kind);
}

/* A handler reporting only an error waits for a status; one delivering (object, error) for the object. */
enum capi_wait_kind capi_block_wait_kind(const struct block_sig *b)
{
    if (b && b->param_count == 1 && b->params[0].type.kind == TY_ERROR)
        return CAPI_WAIT_STATUS;
    if (b && b->param_count == 2 && b->params[0].type.kind == TY_OBJECT && b->params[1].type.kind == TY_ERROR)
        return CAPI_WAIT_OBJECT;
    return CAPI_WAIT_NONE;
}

static void build_wait(const struct api *api, struct capi_function *f, const struct block_sig *block)
{
    f->wait.kind = capi_block_wait_kind(block);
    if (f->wait.kind == CAPI_WAIT_NONE)
        return;
    if (f->wait.kind == CAPI_WAIT_OBJECT) {
        f->wait.type = capi_public_type(api, &block->params[0].type, NULL);
        f->wait.apple_type = block->params[0].type.class_name;
        f->wait.callback = callback_cname(block);
    }
    f->wait.cname = wait_cname(f->cname);
}

/* The doc's "Fails with:" line: the statuses this wrapper can answer beyond the ones every call can (libcvz(3)). */
static char *failures(const struct capi_wrapper *wr, const struct capi_function *f)
{
    bool handles = !wr->class_receiver && !wr->alloc_init, values = false;
    for (size_t i = 0; i < wr->arg_count; i++) {
        enum type_kind k = wr->args[i].type.kind;
        handles = handles || k == TY_OBJECT || k == TY_PROTOCOL || k == TY_ARRAY;
        values = values || k == TY_STRING || k == TY_URL || k == TY_FILE_HANDLE || k == TY_DATA || k == TY_UUID ||
                 k == TY_BLOCK || k == TY_BOOL_OUT;
    }
    struct strbuf sb;
    char buf[16];
    sb_init(&sb);
    sb_adds(&sb, "Fails with:");
    if (handles || values)
        sb_adds(&sb, " CVZ_E_INVALID_ARGUMENT (a NULL where a value is needed),");
    if (handles)
        sb_adds(&sb, " CVZ_E_WRONG_HANDLE (a dead handle, or one of another class),");
    sb_addf(&sb, " CVZ_E_OS_TOO_OLD (before macOS %s),", format_version(f->introduced, buf));
    if (f->arm64_only)
        sb_adds(&sb, " CVZ_E_WRONG_ARCH (on x86_64),");
    if (f->error_out)
        sb_adds(&sb, " CVZ_E_FRAMEWORK (the framework's NSError),");
    if (wr->raises)
        sb_adds(&sb, " CVZ_E_EXCEPTION (see above),");
    sb_adds(&sb, " and the errors every call can answer (libcvz(3)).");
    return sb_detach(&sb);
}

void capi_build_function(const struct api *api, const struct capi_wrapper *wr, struct capi_function *f)
{
    struct fbuild fb = {f, 0, 0};
    char buf[16];
    f->at = wr->at;
    f->cls = wr->cls;
    f->proto = wr->proto;
    f->cname = xstrdup(wr->cfunc);
    f->stem = f->cname + strlen(wr->owner_cname) + 1;
    f->role = wr->role;
    f->item_id = item_id(wr->cfunc);
    f->api_name = xstrdup(wr->api_name);
    f->api_macro = api_macro(wr->cfunc);
    f->selector = wr->selector;
    f->introduced = wr->avail->introduced;
    f->avail = wr->avail;
    f->raises = wr->raises;
    f->arm64_only = wr->avail->arm64_only || (wr->cls && wr->cls->avail.arm64_only);
    f->class_receiver = wr->class_receiver;
    f->alloc_init = wr->alloc_init;
    char *summary = capi_summary(wr);
    add_doc(&fb, xconcat(wr->cfunc, ": ", summary, (const char *)NULL));
    free(summary);
    add_doc(&fb, xconcat("Wraps ", wr->api_name, "; macOS ", format_version(f->introduced, buf),
                         wr->avail->arm64_only ? ", arm64 only" : "", wr->avail->deprecated ? " (deprecated)" : "",
                         ".", (const char *)NULL));
    if (wr->proto) {
        add_param(&fb, xconcat("struct ", wr->owner_cname, " *", (const char *)NULL), xstrdup("self"), NULL, true);
        add_doc(&fb, xconcat("@self: an object conforming to ", wr->proto->name,
                             " (borrowed): a handle of a conforming class, cast.", (const char *)NULL));
    } else if (!wr->class_receiver && !wr->alloc_init) {
        add_param(&fb, xconcat(wr->owner_cname, " *", (const char *)NULL), xstrdup("self"), NULL, true);
        add_doc(&fb, xconcat("@self: the ", wr->cls->name, " (borrowed).", (const char *)NULL));
    }
    const struct block_sig *block = build_args(api, wr, &fb);
    const char *returns = build_result(api, wr, &fb, block != NULL);
    if (wr->weak)
        add_doc(&fb, xstrdup("The framework holds this reference weakly: keep your handle alive while it is set."));
    if (wr->raises)
        add_doc(&fb, xconcat("The framework raises an NSException when ", wr->raises,
                             ": libcvz reports it as CVZ_E_EXCEPTION.", (const char *)NULL));
    if (wr->alloc_init && wr->cls->entitlement)
        add_doc(&fb, xconcat("On macOS the process must be signed with the ", wr->cls->entitlement,
                             " entitlement to use ", wr->cls->name, ".", (const char *)NULL));
    add_param(&fb, xstrdup("cvz_error **"), xstrdup("error"), NULL, false);
    add_doc(&fb, xstrdup("@error: (out, optional): receives a new error on failure; free it with cvz_error_free()."));
    char *text = xasprintf(returns, f->result.release ? f->result.release : "");
    add_doc(&fb, xconcat("Returns: ", text, (const char *)NULL));
    free(text);
    add_doc(&fb, failures(wr, f));
    f->fast = takes_fast_path(wr, f, block != NULL);
    build_wait(api, f, block);
}
