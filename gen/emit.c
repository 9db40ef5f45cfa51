/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit.c - builds the template contexts from the model.  Every name, C type,
 * cast and flag a template places is computed here, once.
 */
#include "emit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "name_table.h"
#include "naming.h"
#include "output.h"
#include "strmap.h"
#include "template.h"

/* A callable item about to be wrapped: a method, a property accessor, or +new. */
struct wrapper {
    const struct class_decl *cls;
    char *cfunc;
    char *api_name;
    const char *selector;
    bool class_receiver;
    bool alloc_init;  /* [[cls alloc] init…] */
    bool ret_owned;   /* the result is +1 */
    const struct availability *avail;
    const struct arg *args;
    size_t arg_count;
    const struct arg *ret;
    const char *summary;
    struct loc at; /* the XML element it comes from */
    bool weak;     /* a weak property's setter */
    const char *raises; /* when the method raises (overrides), or NULL */
    const struct protocol_decl *proto; /* a protocol's property: cls is NULL, the receiver conforms to proto */
};

/* A generated function and the macOS level whose symbol-map node exports it. */
struct symbol {
    char *name;
    version_t level;
    struct loc at;
};

struct emitter {
    const struct api *api;
    struct tctx *root;
    size_t item_count;
    struct tctx *last_param; /* so the previous parameter learns a comma follows */
    struct strbuf wait_params;
    struct strbuf zero_args;      /* a harmless value per parameter, for the generated bad-call test */
    struct strbuf wait_zero_args; /* the same for the blocking variant */
    struct symbol *symbols;
    size_t symbol_count, symbol_cap;
    struct strmap symbol_index; /* name -> its struct symbol's index + 1 */
    char **class_types;         /* class_cname() of every class, computed once */
    struct strmap class_type_index; /* class_cname() -> its class's index + 1 */
    struct name_table names;        /* classes and items by name, for cvz_api_available */
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
static void add_symbol(struct emitter *e, const char *name, version_t level, struct loc at)
{
    /* A function may not take the name of a class's handle type. */
    size_t cls = (size_t)strmap_get(&e->class_type_index, name);
    if (cls)
        diag_error(at,
                   "this item's C function %s() would have the name of the handle type of %s; give it another "
                   "one with <rename name=\"...\" cname=\"...\"/> in the overrides",
                   name, e->api->classes[cls - 1].name);
    size_t taken = (size_t)strmap_get(&e->symbol_index, name);
    if (taken) {
        diag_error(at, "this item's C function %s() is already taken by the item at line %d; give one a cname", name,
                   e->symbols[taken - 1].at.line);
        return;
    }
    if (e->symbol_count == e->symbol_cap) {
        e->symbol_cap = e->symbol_cap ? 2 * e->symbol_cap : 256;
        e->symbols = xrealloc(e->symbols, e->symbol_cap * sizeof *e->symbols);
    }
    e->symbols[e->symbol_count++] = (struct symbol){xstrdup(name), level, at};
    strmap_add(&e->symbol_index, e->symbols[e->symbol_count - 1].name, (void *)e->symbol_count);
}

static int class_index(const struct api *api, const char *name)
{
    const struct class_decl *c = find_class(api, name);
    return c ? (int)(c - api->classes) : -1;
}

/* "virtual_machine_stop" → "VIRTUAL_MACHINE_STOP"; the caller frees. */
static char *upper_case(const char *s)
{
    char *u = xstrdup(s);
    for (char *p = u; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    return u;
}

/* Binds `name` to a version as text ("12.3"). */
static void set_version(struct tctx *ctx, const char *name, version_t v)
{
    char buf[16];
    tctx_set(ctx, name, format_version(v, buf));
}

/* C identifier for a parameter, kept clear of the wrapper's own locals. */
static char *param_name(const char *objc_name)
{
    static const char *const reserved[] = {"self", "error", "c", "scope", "result", "block", "count", "length",
                                           "callback", "context", "timeout_ms", "w", "rc"};
    char *name = snake_case(objc_name);
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (strcmp(name, reserved[i]) == 0) {
            char *renamed = xasprintf("%s_arg", name);
            free(name);
            return renamed;
        }
    return name;
}

static char *class_type(const struct api *api, const char *class_name)
{
    return class_cname(find_class(api, class_name));
}

/* The public C type of a value of type t (results and plain arguments). */
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

static char *public_type(const struct emitter *e, const struct type *t, const struct class_decl *self_cls)
{
    switch (t->kind) {
    case TY_OBJECT: {
        char *c = class_type(e->api, t->class_name);
        char *s = xasprintf("%s *", c);
        free(c);
        return s;
    }
    case TY_PROTOCOL: {
        char *stem = class_stem(t->class_name);
        char *s = xasprintf("struct cvz_%s *", stem); /* no typedef: a getter may share the name */
        free(stem);
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
        char *c = enum_cname(find_enum(e->api, t->enum_name));
        char *s = xasprintf("enum %s", c);
        free(c);
        return s;
    }
    case TY_STRING:
    case TY_URL:
        return xstrdup("char *");
    case TY_ARRAY:
    case TY_DICTIONARY: {
        if (t->of_protocol) {
            char *stem = class_stem(t->class_name);
            char *s = xasprintf("struct cvz_%s **", stem);
            free(stem);
            return s;
        }
        char *c = class_type(e->api, t->class_name);
        char *s = xasprintf("%s **", c);
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

static void add_param(struct emitter *e, struct tctx *w, const char *decl)
{
    /* The blocking variant takes the same parameters, minus callback, context and error. */
    if (!strstr(decl, "void *context") && strcmp(decl, "cvz_error **error") != 0)
        sb_addf(&e->wait_params, "%s, ", decl);
    struct tctx *p = tctx_add(w, "params");
    tctx_set(p, "decl", decl);
    tctx_flag(p, "more", false);
    if (e->last_param)
        tctx_flag(e->last_param, "more", true);
    e->last_param = p;
}

/* A value of each parameter kind that a wrapper must cope with: NULL, 0, -1, empty. */
static void add_zero(struct emitter *e, const struct type *t)
{
    const char *zero;
    enum type_kind kind = t->kind;
    switch (kind) {
    case TY_BOOL: zero = "false"; break;
    case TY_SCALAR:
    case TY_ENUM: zero = "0"; break;
    case TY_STRUCT: zero = struct_info_for(t->public_c)->zero; break;
    case TY_FILE_HANDLE: zero = "-1"; break;
    case TY_ARRAY:
    case TY_DATA: zero = "NULL, 0"; break;
    case TY_DICTIONARY: zero = "NULL, NULL, 0"; break;
    case TY_BLOCK: zero = "NULL, NULL"; break;
    default: zero = "NULL"; break;
    }
    sb_addf(&e->zero_args, "%s, ", zero);
    if (kind != TY_BLOCK)
        sb_addf(&e->wait_zero_args, "%s, ", zero);
}

static void add_doc(struct tctx *w, const char *fmt, const char *a, const char *b)
{
    struct tctx *d = tctx_add(w, "doc");
    char *line = xasprintf(fmt, a, b ? b : "");
    tctx_set(d, "line", line);
    free(line);
}

static void add_field(struct tctx *w, const char *type, const char *name)
{
    struct tctx *f = tctx_add(w, "fields");
    tctx_setf(f, "decl", "%s %s", type, name);
}

/* Clears every conversion flag on an argument context so templates can test them. */
static void arg_flags(struct tctx *a, const char *which)
{
    static const char *const kinds[] = {"conv_value", "conv_bool", "conv_object", "conv_string", "conv_url",
                                        "conv_file_handle", "conv_array", "conv_error_out", "conv_block",
                                        "conv_protocol", "conv_uuid", "conv_data", "conv_assign", "conv_new_queue",
                                        "conv_remote_url", "conv_socket", "conv_protocol_array", "conv_bool_out",
                                        "conv_dictionary"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        tctx_flag(a, kinds[i], strcmp(kinds[i], which) == 0);
}

static void ret_flags(struct tctx *w, const char *which)
{
    static const char *const kinds[] = {"ret_void", "ret_status", "ret_bool", "ret_value", "ret_object",
                                        "ret_string", "ret_url", "ret_file_handle", "ret_array", "ret_uuid",
                                        "ret_data", "ret_assign", "ret_data_array", "ret_dictionary"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        tctx_flag(w, kinds[i], strcmp(kinds[i], which) == 0);
}

/* Adds the arguments: public parameters, frame fields, conversions.  Returns the send-argument list. */
static char *emit_args(struct emitter *e, const struct wrapper *wr, struct tctx *w, struct strbuf *cast,
                       bool *has_error_out, bool *needs_pool, const struct block_sig **block)
{
    struct strbuf send_args;
    sb_init(&send_args);
    tctx_list(w, "args");
    for (size_t i = 0; i < wr->arg_count; i++) {
        const struct arg *a = &wr->args[i];
        const struct type *t = &a->type;
        char *pname = param_name(a->name);
        char *field = xasprintf("a%zu", i);
        struct tctx *ac = tctx_add(w, "args");
        tctx_set(ac, "param", pname);
        tctx_set(ac, "field", field);
        tctx_set(ac, "objc_name", a->name);
        tctx_set(ac, "nullable", a->nullable ? "true" : "false");
        sb_addf(cast, ", %s", t->send_c);
        sb_addf(&send_args, ", c->%s", field);
        add_field(w, t->send_c, field);
        char *decl = NULL;
        switch (t->kind) {
        case TY_BOOL:
        case TY_SCALAR:
        case TY_POINTER:
        case TY_STRUCT:
        case TY_ENUM: {
            char *pt = public_type(e, t, wr->cls);
            decl = xasprintf("%s%s%s", pt, pt[strlen(pt) - 1] == '*' ? "" : " ", pname);
            free(pt);
            arg_flags(ac, t->kind == TY_BOOL ? "conv_bool" : t->kind == TY_STRUCT ? "conv_assign" : "conv_value");
            tctx_set(ac, "send_c", t->send_c);
            add_doc(w, "@%s: %s.", pname, "the value");
            break;
        }
        case TY_OBJECT: {
            char *ct = class_type(e->api, t->class_name);
            decl = xasprintf("const %s *%s", ct, pname);
            free(ct);
            arg_flags(ac, "conv_object");
            tctx_setf(ac, "class_index", "%d", class_index(e->api, t->class_name));
            break;
        }
        case TY_PROTOCOL: {
            char *stem = class_stem(t->class_name);
            decl = xasprintf("const struct cvz_%s *%s", stem, pname);
            arg_flags(ac, "conv_protocol");
            tctx_setf(ac, "protocol", "cvz_%s_protocol", stem);
            free(stem);
            break;
        }
        case TY_STRING:
        case TY_URL:
        case TY_UUID:
            decl = xasprintf("const char *%s", pname);
            arg_flags(ac, t->kind == TY_STRING                  ? "conv_string"
                          : t->kind == TY_URL && a->remote_url ? "conv_remote_url"
                          : t->kind == TY_URL                  ? "conv_url"
                                                               : "conv_uuid");
            break;
        case TY_DATA:
            decl = xasprintf("const void *%s, size_t %s_length", pname, pname);
            arg_flags(ac, "conv_data");
            add_doc(w, "@%s: @%s_length bytes, copied.", pname, pname);
            break;
        case TY_FILE_HANDLE:
            decl = xasprintf("int %s", pname);
            arg_flags(ac, a->socket_kind ? "conv_socket" : "conv_file_handle");
            if (a->socket_kind) {
                char *kind = upper_case(a->socket_kind);
                tctx_setf(ac, "socket_kind", "CVZ__SOCKET_%s", kind);
                free(kind);
            }
            break;
        case TY_ARRAY:
            if (t->of_protocol) {
                char *stem = class_stem(t->class_name);
                decl = xasprintf("struct cvz_%s *const *%s, size_t %s_count", stem, pname, pname);
                arg_flags(ac, "conv_protocol_array");
                tctx_setf(ac, "protocol", "cvz_%s_protocol", stem);
                free(stem);
            } else {
                char *ct = class_type(e->api, t->class_name);
                decl = xasprintf("%s *const *%s, size_t %s_count", ct, pname, pname);
                free(ct);
                arg_flags(ac, "conv_array");
                tctx_setf(ac, "class_index", "%d", class_index(e->api, t->class_name));
            }
            break;
        case TY_DICTIONARY: {
            char *ct = class_type(e->api, t->class_name);
            decl = xasprintf("const char *const *%s_keys, %s *const *%s, size_t %s_count", pname, ct, pname, pname);
            free(ct);
            arg_flags(ac, "conv_dictionary");
            tctx_setf(ac, "class_index", "%d", class_index(e->api, t->class_name));
            break;
        }
        case TY_BOOL_OUT:
            decl = xasprintf("bool *%s", pname);
            arg_flags(ac, "conv_bool_out");
            add_doc(w, "@%s: (out): receives the answer when the call succeeds.%s", pname, NULL);
            break;
        case TY_ERROR_OUT:
            arg_flags(ac, "conv_error_out");
            *has_error_out = true;
            break;
        case TY_QUEUE:
            arg_flags(ac, "conv_new_queue");
            add_doc(w, "%s%s",
                    "The new object works on a serial dispatch queue of its own, which libcvz makes and keeps: every "
                    "call on it, and on the objects obtained from it, is routed onto that queue (directly when "
                    "made from a callback already running there), and its completion handlers and delegate "
                    "methods run there.",
                    NULL);
            break;
        case TY_BLOCK: {
            char *cb = callback_cname(t->block);
            decl = xasprintf("%s callback, void *context", cb);
            arg_flags(ac, "conv_block");
            tctx_set(ac, "callback_type", cb);
            tctx_setf(ac, "trampoline", "%s_invoke", cb);
            tctx_setf(ac, "descriptor", "%s_descriptor", cb);
            *block = t->block;
            free(cb);
            break;
        }
        default:
            break;
        }
        bool plain = t->kind == TY_BOOL || t->kind == TY_SCALAR || t->kind == TY_ENUM || t->kind == TY_POINTER ||
                     t->kind == TY_STRUCT;
        if (!plain)
            *needs_pool = true;
        if (decl) {
            add_param(e, w, decl);
            add_zero(e, t);
            if (t->kind == TY_BLOCK) {
                add_doc(w, "@callback: called once when the operation completes (may be NULL).%s%s", "", NULL);
                add_doc(w, "@context: passed to @callback unchanged.%s%s", "", NULL);
            } else if (!plain && t->kind != TY_DATA && t->kind != TY_BOOL_OUT) {
                char *what = xasprintf("%s%s%s%s", arg_doc(a),
                                       !a->nullable ? "" : t->kind == TY_FILE_HANDLE ? " (-1 for none)" : " (may be NULL)",
                                       a->knowledge ? "; " : "", a->knowledge ? a->knowledge : "");
                if (t->kind == TY_ARRAY)
                    add_doc(w, "@%s: an array of @%s_count handles, borrowed.", pname, pname);
                else if (t->kind == TY_DICTIONARY) {
                    char *line = xasprintf("@%s: @%s_count handles, borrowed, each named by the same element of "
                                           "@%s_keys (UTF-8 names, distinct): the NSDictionary's entries.",
                                           pname, pname, pname);
                    add_doc(w, "%s%s", line, NULL);
                    free(line);
                }
                else
                    add_doc(w, "@%s: %s.", pname, what);
                free(what);
            }
        }
        free(decl);
        free(pname);
        free(field);
    }
    return sb_detach(&send_args);
}

/* Fills the result's flags and public type; returns the "Returns:" text of the docs. */
static const char *emit_result(struct emitter *e, const struct wrapper *wr, struct tctx *w, bool has_error_out,
                               bool has_block, bool *needs_pool, char **public_ret)
{
    const struct type *t = &wr->ret->type;
    tctx_set(w, "result_send_c", t->send_c);
    tctx_set(w, "owned", wr->ret_owned ? "true" : "false");
    tctx_set(w, "ret_nullable", wr->ret->nullable && !wr->alloc_init ? "true" : "false");
    tctx_flag(w, "error_out", has_error_out);
    const char *fail = "0";
    const char *returns = NULL;
    switch (t->kind) {
    case TY_VOID:
        ret_flags(w, "ret_void");
        *public_ret = xstrdup("int");
        returns = has_block ? "0 when the operation was started (its outcome goes to @callback), or a negative "
                              "cvz_status (error set; @callback is then never called)."
                            : "0 on success, or a negative cvz_status (error set).";
        break;
    case TY_BOOL:
        if (has_error_out) {
            ret_flags(w, "ret_status");
            *public_ret = xstrdup("int");
            returns = "0 on success, or a negative cvz_status (error set; CVZ_E_FRAMEWORK carries the NSError).";
        } else {
            ret_flags(w, "ret_bool");
            *public_ret = xstrdup("bool");
            fail = "false";
            returns = "the value; false on failure (error set).";
        }
        break;
    case TY_SCALAR:
    case TY_ENUM:
        ret_flags(w, "ret_value");
        *public_ret = public_type(e, t, wr->cls);
        returns = "the value; 0 on failure (error set).";
        break;
    case TY_STRUCT:
        ret_flags(w, "ret_assign");
        *public_ret = xstrdup(t->public_c);
        fail = "{0}";
        returns = "the value; all zero on failure (error set).";
        break;
    case TY_POINTER:
        ret_flags(w, "ret_value");
        *public_ret = xstrdup("void *");
        fail = "NULL";
        returns = "the pointer or reference, borrowed from the object; NULL on failure (error set).";
        break;
    case TY_UUID:
        ret_flags(w, "ret_uuid");
        *public_ret = xstrdup("char *");
        fail = "NULL";
        returns = "the UUID as text, freed with cvz_free(); NULL on failure or when nil.";
        *needs_pool = true;
        break;
    case TY_DATA:
        ret_flags(w, "ret_data");
        *public_ret = xstrdup("void *");
        fail = "NULL";
        add_param(e, w, "size_t *length");
        sb_adds(&e->zero_args, "&n, ");
        add_doc(w, "@length: (out): receives the number of bytes.%s%s", "", NULL);
        returns = "a copy of the bytes, freed with cvz_free(); NULL on failure or when nil.";
        *needs_pool = true;
        break;
    case TY_OBJECT:
    case TY_PROTOCOL:
    case TY_INSTANCETYPE:
    case TY_PROGRESS:
        ret_flags(w, "ret_object");
        *public_ret = public_type(e, t, wr->cls);
        fail = "NULL";
        returns = wr->ret->nullable && !wr->alloc_init
                      ? "a new reference the caller releases with cvz_release(); NULL when the value is nil "
                        "(error untouched) or on failure (error set)."
                      : "a new reference the caller releases with cvz_release(); NULL on failure (error set).";
        *needs_pool = true;
        break;
    case TY_STRING:
    case TY_URL:
        ret_flags(w, t->kind == TY_STRING ? "ret_string" : "ret_url");
        *public_ret = xstrdup("char *");
        fail = "NULL";
        returns = t->kind == TY_STRING ? "a new UTF-8 string the caller frees with cvz_free(); NULL on failure "
                                         "or when nil."
                                       : "the URL's file system path (or the whole URL when it is not a file "
                                         "URL), freed with cvz_free(); NULL on failure or when nil.";
        *needs_pool = true;
        break;
    case TY_FILE_HANDLE:
        ret_flags(w, "ret_file_handle");
        *public_ret = xstrdup("int");
        fail = "-1";
        returns = "a new file descriptor (a dup) the caller closes; -1 when nil or on failure.";
        *needs_pool = true;
        break;
    case TY_DATA_ARRAY:
        ret_flags(w, "ret_data_array");
        *public_ret = xstrdup("cvz_bytes *");
        fail = "NULL";
        add_param(e, w, "size_t *count");
        sb_adds(&e->zero_args, "&n, ");
        add_doc(w, "@count: (out): receives the number of buffers.%s%s", "", NULL);
        returns = "a new array of copies of the buffers; free it with cvz_bytes_array_free(array, *count). "
                  "NULL on failure (error set).";
        *needs_pool = true;
        break;
    case TY_DICTIONARY:
        ret_flags(w, "ret_dictionary");
        *public_ret = public_type(e, t, wr->cls);
        fail = "NULL";
        add_param(e, w, "char ***keys");
        add_param(e, w, "size_t *count");
        sb_adds(&e->zero_args, "&keys, &n, ");
        add_doc(w, "@keys: (out): receives the entries' names, sorted, freed with cvz_string_array_free(*keys, *count).%s%s",
                "", NULL);
        add_doc(w, "@count: (out): receives the number of entries.%s%s", "", NULL);
        returns = "a new array of new handles, the values of @keys in the same order; free it with "
                  "cvz_handle_array_free(array, *count).  NULL on failure (error set).";
        *needs_pool = true;
        break;
    case TY_ARRAY: {
        ret_flags(w, "ret_array");
        *public_ret = public_type(e, t, wr->cls);
        fail = "NULL";
        add_param(e, w, "size_t *count");
        sb_adds(&e->zero_args, "&n, ");
        add_doc(w, "@count: (out): receives the number of handles.%s%s", "", NULL);
        returns = "a new array of new handles; free it with cvz_handle_array_free(array, *count). "
                  "NULL on failure (error set).";
        *needs_pool = true;
        break;
    }
    default:
        diag_error(wr->ret->at, "%s: cannot return a %s", wr->api_name, type_kind_name(t->kind));
        *public_ret = xstrdup("int");
        break;
    }
    tctx_set(w, "public_ret", *public_ret);
    /* "int " but "cvz_x *": the declaration reads `cvz_x *cvz_f(...)`. */
    size_t n = strlen(*public_ret);
    tctx_setf(w, "ret_decl", "%s%s", *public_ret, n && (*public_ret)[n - 1] == '*' ? "" : " ");
    tctx_set(w, "fail_value", fail);
    tctx_flag(w, "returns_status", t->kind == TY_VOID || (t->kind == TY_BOOL && has_error_out));
    if (t->kind != TY_VOID)
        add_field(w, t->send_c, "result");
    return returns ? returns : "";
}

static bool plain_value(enum type_kind kind)
{
    return kind == TY_BOOL || kind == TY_SCALAR || kind == TY_POINTER || kind == TY_STRUCT || kind == TY_ENUM;
}

/*
 * Whether a wrapper gets the fast path (cvz__fast_self): an instance method of
 * a class whose arguments and result are plain values, so nothing but the
 * receiver can fail before the send and nothing needs a pool after it.
 */
static bool takes_fast_path(const struct wrapper *wr, bool needs_pool, bool has_error_out, bool has_block)
{
    if (wr->proto || wr->class_receiver || wr->alloc_init || needs_pool || has_error_out || has_block)
        return false;
    for (size_t i = 0; i < wr->arg_count; i++)
        if (!plain_value(wr->args[i].type.kind))
            return false;
    return wr->ret->type.kind == TY_VOID || plain_value(wr->ret->type.kind);
}

/* A completion handler delivering (object, error): its blocking variant returns the object. */
static bool block_delivers_object(const struct block_sig *b)
{
    return b && b->param_count == 2 && b->params[0].type.kind == TY_OBJECT && b->params[1].type.kind == TY_ERROR;
}

static void register_item(struct emitter *e, const struct wrapper *wr, struct tctx *w)
{
    struct tctx *it = tctx_add(e->root, "items");
    tctx_set(it, "c_function", wr->cfunc);
    tctx_set(it, "api_name", wr->api_name);
    tctx_setf(it, "class_index", "%d", wr->proto ? -1 : class_index(e->api, wr->cls->name));
    if (wr->proto)
        tctx_setf(it, "protocol", "\"%s\"", wr->proto->name);
    else
        tctx_set(it, "protocol", "NULL");
    tctx_set(it, "selector", wr->selector);
    tctx_set(it, "kind", wr->proto ? "CVZ__PROTOCOL_METHOD" : wr->class_receiver ? "CVZ__CLASS_METHOD" : "CVZ__INSTANCE_METHOD");
    tctx_setf(it, "introduced", "%d", wr->avail->introduced);
    tctx_set(it, "arm64_only", wr->avail->arm64_only || (wr->cls && wr->cls->avail.arm64_only) ? "true" : "false");
    name_table_add(&e->names, wr->api_name, (int)e->item_count);
    name_table_add(&e->names, wr->cfunc, (int)e->item_count);
    tctx_setf(w, "item_index", "%zu", e->item_count++);
}

static struct tctx *emit_wrapper(struct emitter *e, const struct wrapper *wr, struct tctx *cls_ctx)
{
    struct tctx *w = tctx_add(cls_ctx, "functions");
    tctx_set(w, "cname", wr->cfunc);
    tctx_set(w, "api_name", wr->api_name);
    char buf[16];
    const char *v = format_version(wr->avail->introduced, buf);
    set_version(w, "introduced", wr->avail->introduced);
    tctx_setf(w, "availability", "CVZ_AVAILABLE_IN_%d_%d", wr->avail->introduced / 100, wr->avail->introduced % 100);
    char *macro = upper_case(wr->cfunc + 4);
    tctx_setf(w, "api_macro", "CVZ_API_%s", macro);
    free(macro);
    tctx_list(w, "doc");
    tctx_list(w, "params");
    tctx_list(w, "fields");
    struct tctx *d = tctx_add(w, "doc");
    tctx_setf(d, "line", "%s: %s", wr->cfunc, wr->summary);
    d = tctx_add(w, "doc");
    tctx_setf(d, "line", "Wraps %s; macOS %s%s%s.", wr->api_name, v, wr->avail->arm64_only ? ", arm64 only" : "",
              wr->avail->deprecated ? " (deprecated)" : "");
    tctx_flag(w, "receiver_self", !wr->class_receiver && !wr->alloc_init);
    tctx_flag(w, "receiver_class", wr->class_receiver || wr->alloc_init);
    tctx_flag(w, "alloc", wr->alloc_init);
    e->last_param = NULL;
    sb_free(&e->wait_params);
    sb_free(&e->zero_args);
    sb_free(&e->wait_zero_args);
    if (wr->proto) {
        char *stem = class_stem(wr->proto->name);
        char *decl = xasprintf("struct cvz_%s *self", stem);
        add_param(e, w, decl);
        add_doc(w, "@self: an object conforming to %s (borrowed): a handle of a conforming class, cast.",
                wr->proto->name, NULL);
        free(decl);
        free(stem);
    } else if (!wr->class_receiver && !wr->alloc_init) {
        char *ct = class_cname(wr->cls);
        char *decl = xasprintf("%s *self", ct);
        add_param(e, w, decl);
        add_doc(w, "@self: the %s (borrowed).", wr->cls->name, NULL);
        free(decl);
        free(ct);
    }
    bool has_error_out = false, needs_pool = false;
    const struct block_sig *block = NULL;
    struct strbuf cast;
    sb_init(&cast);
    char *send_args = emit_args(e, wr, w, &cast, &has_error_out, &needs_pool, &block);
    char *public_ret = NULL;
    const char *returns = emit_result(e, wr, w, has_error_out, block != NULL, &needs_pool, &public_ret);
    if (wr->weak)
        add_doc(w, "The framework holds this reference weakly: keep your handle alive while it is set.%s%s", "",
                NULL);
    if (wr->raises)
        add_doc(w, "The framework raises an NSException when %s: libcvz reports it as CVZ_E_EXCEPTION.%s", wr->raises,
                NULL);
    if (wr->alloc_init && wr->cls->entitlement)
        add_doc(w, "On macOS the process must be signed with the %s entitlement to use %s.", wr->cls->entitlement,
                wr->cls->name);
    add_param(e, w, "cvz_error **error");
    add_doc(w, "@error: (out, optional): receives a new error on failure; free it with cvz_error_free().%s%s", "",
            NULL);
    tctx_set(w, "zero_args", e->zero_args.data ? e->zero_args.data : "");
    tctx_set(w, "wait_zero_args", e->wait_zero_args.data ? e->wait_zero_args.data : "");
    d = tctx_add(w, "doc");
    tctx_setf(d, "line", "Returns: %s", returns);
    tctx_flag(w, "pool", needs_pool);
    tctx_flag(w, "fast", takes_fast_path(wr, needs_pool, has_error_out, block != NULL));
    tctx_setf(w, "fn_cast", "%s (*)(id, SEL%s)", wr->ret->type.send_c, cast.data ? cast.data : "");
    tctx_set(w, "send_args", send_args);
    tctx_set(w, "result_assign", wr->ret->type.kind == TY_VOID ? "" : "c->result = ");
    register_item(e, wr, w);
    add_symbol(e, wr->cfunc, wr->avail->introduced, wr->at);

    /* A blocking variant for completion handlers that report only an error. */
    bool waitable = block && block->param_count == 1 && block->params[0].type.kind == TY_ERROR;
    /* And for those that deliver one object or an error: the variant returns the object. */
    bool waitable_object = block_delivers_object(block);
    tctx_flag(w, "wait_variant", waitable || waitable_object);
    tctx_flag(w, "wait_status", waitable);
    tctx_flag(w, "wait_object", waitable_object);
    if (waitable || waitable_object) {
        tctx_setf(w, "wait_cname", "%s_and_wait", wr->cfunc);
        if (waitable_object) {
            char *pt = public_type(e, &block->params[0].type, NULL);
            tctx_set(w, "wait_ret", pt);
            char *cb = callback_cname(block);
            tctx_setf(w, "wait_adapter", "%s_to_waiter", cb);
            free(cb);
            free(pt);
        }
        tctx_setf(w, "wait_params", "%sint64_t timeout_ms, cvz_error **error", e->wait_params.data ? e->wait_params.data : "");
        struct strbuf fwd;
        sb_init(&fwd);
        if (!wr->class_receiver && !wr->alloc_init)
            sb_adds(&fwd, "self, ");
        for (size_t i = 0; i + 1 < wr->arg_count; i++) {
            if (wr->args[i].type.kind == TY_ERROR_OUT)
                continue;
            char *pname = param_name(wr->args[i].name);
            if (wr->args[i].type.kind == TY_DICTIONARY)
                sb_addf(&fwd, "%s_keys, ", pname);
            sb_addf(&fwd, "%s, ", pname);
            if (wr->args[i].type.kind == TY_ARRAY || wr->args[i].type.kind == TY_DICTIONARY)
                sb_addf(&fwd, "%s_count, ", pname);
            free(pname);
        }
        tctx_set(w, "forward_args", fwd.data ? fwd.data : "");
        char *wait_name = xasprintf("%s_and_wait", wr->cfunc);
        add_symbol(e, wait_name, wr->avail->introduced, wr->at);
        free(wait_name);
        sb_free(&fwd);
    }
    free(send_args);
    free(public_ret);
    sb_free(&cast);
    return w;
}

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
static void emit_property(struct emitter *e, const struct class_decl *c, const struct protocol_decl *proto,
                          const char *cn, const struct property *p, struct tctx *ctx)
{
    const char *container = c ? c->name : proto->name;
    char *stem = p->cname ? xstrdup(p->cname) : snake_case(p->name);
    struct arg value = {.at = p->at, .name = p->name, .type_text = p->type_text, .nullable = p->nullable, .type = p->type};
    struct wrapper get = {c, xasprintf("%s_%s", cn, stem), property_api_name(container, p), p->getter,
                          p->is_class, false, false, &p->avail, NULL, 0, &value, "reads the property.", p->at, false,
                          NULL, proto};
    if (p->is_class)
        get.summary = "reads the class property.";
    emit_wrapper(e, &get, ctx);
    if (p->setter) {
        static struct arg void_ret = {.type = {TY_VOID, "void", "void", "v", NULL, NULL, NULL, false, NULL}};
        struct wrapper set = {c, xasprintf("%s_set_%s", cn, stem), property_api_name(container, p), p->setter,
                              p->is_class, false, false, &p->avail, &value, 1, &void_ret, "sets the property.", p->at,
                              p->memory && strcmp(p->memory, "weak") == 0, NULL, proto};
        emit_wrapper(e, &set, ctx);
        free(set.cfunc);
        free(set.api_name);
    }
    free(get.cfunc);
    free(get.api_name);
    free(stem);
}

static void emit_class(struct emitter *e, const struct class_decl *c)
{
    struct tctx *cc = tctx_add(e->root, "classes");
    name_table_add(&e->names, c->name, -1 - class_index(e->api, c->name));
    char *cn = class_cname(c);
    tctx_set(cc, "name", c->name);
    tctx_set(cc, "cname", cn);
    set_version(cc, "introduced", c->avail.introduced);
    tctx_setf(cc, "class_index", "%d", class_index(e->api, c->name));
    tctx_set(cc, "arm64_only", c->avail.arm64_only ? "true" : "false");
    tctx_setf(cc, "level", "%d", c->avail.introduced);
    char *macro = upper_case(cn + 4);
    tctx_setf(cc, "class_macro", "CVZ_CLASS_%s", macro);
    free(macro);
    tctx_list(cc, "upcasts");
    tctx_list(cc, "functions");
    /* A skipped class stays in the class table (availability queries know it) but gets no C API. */
    tctx_flag(cc, "wrapped", !c->skip_reason);
    if (c->skip_reason) {
        free(cn);
        return;
    }
    for (const struct class_decl *s = c->superclass; s; s = s->superclass) {
        struct tctx *u = tctx_add(cc, "upcasts");
        char *sc = class_cname(s);
        char *stem = class_stem(s->name);
        tctx_set(u, "target_cname", sc);
        tctx_set(u, "target_name", s->name);
        tctx_setf(u, "upcast_name", "%s_as_%s", cn, stem);
        free(sc);
        free(stem);
    }

    /* +new when the class can be created with a plain -init. */
    const struct method *init = nearest_init(c);
    if (!init || (!init->unavailable && init->owner != c)) {
        static struct arg implicit_ret = {.type = {TY_INSTANCETYPE, "id", NULL, "@", NULL, NULL, NULL, false, NULL}};
        struct wrapper wr = {c, xasprintf("%s_new", cn), xasprintf("-[%s init]", c->name), "init", false, true, true,
                             &c->avail, NULL, 0, &implicit_ret, "creates an instance with -init.", c->at, false, NULL, NULL};
        emit_wrapper(e, &wr, cc);
        free(wr.cfunc);
        free(wr.api_name);
    }
    for (size_t i = 0; i < c->method_count; i++) {
        const struct method *m = &c->methods[i];
        if (m->unavailable || m->skip_reason)
            continue;
        char *stem = method_stem(m);
        bool init_method = !m->is_class && strncmp(m->selector, "init", 4) == 0;
        struct wrapper wr = {c, xasprintf("%s_%s", cn, stem), method_api_name(c->name, m),
                             m->selector, m->is_class, init_method, init_method || is_owned_selector(m->selector),
                             &m->avail, m->args, m->arg_count, &m->ret,
                             init_method ? "allocates and initializes an instance." : "calls the method.", m->at, false,
                             m->raises, NULL};
        emit_wrapper(e, &wr, cc);
        free(wr.cfunc);
        free(wr.api_name);
        free(stem);
    }
    for (size_t i = 0; i < c->property_count; i++)
        if (!c->properties[i].skip_reason)
            emit_property(e, c, NULL, cn, &c->properties[i], cc);
    free(cn);
}

static void emit_enum(struct emitter *e, const struct enum_decl *en)
{
    struct tctx *ec = tctx_add(e->root, "enums");
    char *cn = enum_cname(en);
    tctx_set(ec, "name", en->name);
    tctx_set(ec, "cname", cn);
    set_version(ec, "introduced", en->avail.introduced);
    tctx_list(ec, "values");
    for (size_t i = 0; i < en->value_count; i++) {
        struct tctx *vc = tctx_add(ec, "values");
        char *vn = enum_value_cname(en->values[i].name);
        tctx_set(vc, "name", en->values[i].name);
        tctx_set(vc, "cname", vn);
        tctx_setf(vc, "value", "%lld", en->values[i].value);
        set_version(vc, "introduced", en->values[i].avail.introduced);
        tctx_flag(vc, "last", i + 1 == en->value_count);
        free(vn);
    }
    free(cn);
}

static void emit_callbacks(struct emitter *e)
{
    tctx_list(e->root, "callbacks");
    char **seen = NULL;
    size_t seen_count = 0;
    for (size_t i = 0; i < e->api->class_count; i++) {
        const struct class_decl *c = &e->api->classes[i];
        for (size_t j = 0; j < c->method_count; j++) {
            const struct method *m = &c->methods[j];
            for (size_t k = 0; k < m->arg_count; k++) {
                const struct block_sig *b = m->args[k].type.block;
                if (!b || m->unavailable)
                    continue;
                bool dup = false;
                for (size_t s = 0; s < seen_count; s++)
                    dup = dup || strcmp(seen[s], b->key) == 0;
                if (dup)
                    continue;
                seen = xrealloc(seen, (seen_count + 1) * sizeof *seen);
                seen[seen_count++] = b->key;
                struct tctx *cb = tctx_add(e->root, "callbacks");
                tctx_list(cb, "object_params");
                char *name = callback_cname(b);
                tctx_set(cb, "cname", name);
                tctx_set(cb, "key", b->key);
                struct strbuf sig, params, cparams, args, zeros;
                sb_init(&sig);
                sb_init(&params);
                sb_init(&cparams);
                sb_init(&args);
                sb_init(&zeros);
                /* Encoding with frame offsets, as clang writes it: v16@?0@8 for void (^)(id);
                 * a BOOL takes the 4 bytes of the int it is promoted to, the rest 8. */
                size_t frame = 8;
                for (size_t p = 0; p < b->param_count; p++)
                    frame += b->params[p].type.kind == TY_BOOL ? 4 : 8;
                for (size_t p = 0; p < b->param_count; p++) {
                    const struct type *t = &b->params[p].type;
                    sb_addf(&params, ", %s p%zu", t->send_c, p);
                    char *pt = public_type(e, t, NULL);
                    sb_addf(&cparams, "%s, ", pt);
                    if (t->kind == TY_ERROR) {
                        sb_adds(&args, "err, ");
                        sb_adds(&zeros, "err, ");
                    } else if (t->kind == TY_OBJECT) {
                        /* Borrowed for the call, like every handle a callback receives. */
                        struct tctx *oc = tctx_add(cb, "object_params");
                        tctx_setf(oc, "var", "h%zu", p);
                        tctx_setf(oc, "src", "p%zu", p);
                        sb_addf(&args, "(%s)h%zu, ", pt, p);
                        sb_adds(&zeros, "NULL, ");
                    } else {
                        sb_addf(&args, "(%s)p%zu, ", pt, p);
                        sb_adds(&zeros, "0, ");
                    }
                    free(pt);
                }
                sb_addf(&sig, "v%zu@?0", frame);
                size_t offset = 8;
                for (size_t p = 0; p < b->param_count; p++) {
                    add_encoding(&sig, &b->params[p].type);
                    sb_addf(&sig, "%zu", offset);
                    offset += b->params[p].type.kind == TY_BOOL ? 4 : 8;
                }
                char *signature = encoding_literal(&sig);
                tctx_set(cb, "signature", signature);
                free(signature);
                tctx_set(cb, "invoke_params", params.data ? params.data : "");
                tctx_set(cb, "callback_params", cparams.data ? cparams.data : "");
                tctx_set(cb, "call_args", args.data ? args.data : "");
                tctx_set(cb, "drop_args", zeros.data ? zeros.data : "");
                int err_index = -1;
                for (size_t p = 0; p < b->param_count; p++)
                    if (b->params[p].type.kind == TY_ERROR)
                        err_index = (int)p;
                tctx_flag(cb, "has_error", err_index >= 0);
                tctx_flag(cb, "waitable_object", block_delivers_object(b));
                if (block_delivers_object(b)) {
                    char *pt = public_type(e, &b->params[0].type, NULL);
                    tctx_set(cb, "object_type", pt);
                    free(pt);
                }
                tctx_setf(cb, "error_param", "p%d", err_index < 0 ? 0 : err_index);
                free(name);
                sb_free(&sig);
                sb_free(&params);
                sb_free(&cparams);
                sb_free(&args);
                sb_free(&zeros);
            }
        }
    }
    free(seen);
}

/* Version nodes of the symbol map: one per macOS level, chained, each listing its wrappers. */
static int by_level_then_name(const void *a, const void *b)
{
    const struct symbol *x = *(const struct symbol *const *)a, *y = *(const struct symbol *const *)b;
    if (x->level != y->level)
        return x->level < y->level ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void emit_versions(struct emitter *e)
{
    tctx_list(e->root, "versions");
    /* By level, and by name within one, so the map reads like a table. */
    const struct symbol **sorted = xcalloc(e->symbol_count + 1, sizeof *sorted);
    size_t n = 0;
    for (size_t i = 0; i < e->symbol_count; i++)
        if (e->symbols[i].level > 0) /* no version node exports a symbol without one */
            sorted[n++] = &e->symbols[i];
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

static void add_level(version_t levels[128], size_t *n, version_t v)
{
    for (size_t k = 0; k < *n; k++)
        if (levels[k] == v)
            return;
    if (*n < 128)
        levels[(*n)++] = v;
}

/* A delegate method's argument: how the C callback receives it. */
static void emit_delegate_arg(struct emitter *e, struct tctx *mc, const struct arg *a, size_t i, struct strbuf *imp_params,
                              struct strbuf *field_params, struct strbuf *call_args)
{
    const struct type *t = &a->type;
    struct tctx *ac = tctx_add(mc, "args");
    char *pname = param_name(a->name);
    tctx_setf(ac, "src", "a%zu", i);
    tctx_setf(ac, "var", "v%zu", i);
    sb_addf(imp_params, ", %s a%zu", t->send_c, i);
    static const char *const kinds[] = {"dconv_object", "dconv_error", "dconv_string", "dconv_data", "dconv_value"};
    const char *kind = t->kind == TY_OBJECT ? "dconv_object"
                       : t->kind == TY_ERROR ? "dconv_error"
                       : t->kind == TY_STRING ? "dconv_string"
                       : t->kind == TY_DATA ? "dconv_data"
                                              : "dconv_value";
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        tctx_flag(ac, kinds[k], strcmp(kinds[k], kind) == 0);
    char *pt = t->kind == TY_STRING ? xstrdup("const char *") : t->kind == TY_DATA ? xstrdup("const void *")
                                                                                 : public_type(e, t, NULL);
    tctx_set(ac, "ctype", pt);
    size_t n = strlen(pt);
    sb_addf(field_params, "%s%s%s, ", pt, n && pt[n - 1] == '*' ? "" : " ", pname);
    if (t->kind == TY_DATA)
        sb_addf(field_params, "size_t %s_length, ", pname);
    if (t->kind == TY_BOOL)
        sb_addf(call_args, "a%zu != 0, ", i);
    else if (strcmp(kind, "dconv_value") == 0)
        sb_addf(call_args, "(%s)a%zu, ", pt, i);
    else if (t->kind == TY_DATA)
        sb_addf(call_args, "v%zu, v%zu_length, ", i, i);
    else
        sb_addf(call_args, "v%zu, ", i);
    free(pt);
    free(pname);
}

static void emit_protocol(struct emitter *e, const struct protocol_decl *p)
{
    struct tctx *pc = tctx_add(e->root, "protocols");
    char *stem = class_stem(p->name);
    tctx_set(pc, "name", p->name);
    tctx_setf(pc, "cname", "cvz_%s", stem);
    tctx_setf(pc, "impl_class", "CVZ%s", p->name + 2);
    set_version(pc, "introduced", p->avail.introduced);
    tctx_setf(pc, "level", "%d", p->avail.introduced);
    tctx_setf(pc, "availability", "CVZ_AVAILABLE_IN_%d_%d", p->avail.introduced / 100, p->avail.introduced % 100);
    char *macro = upper_case(stem);
    tctx_setf(pc, "api_macro", "CVZ_API_%s_NEW", macro);
    free(macro);
    /* With methods, a protocol is a delegate the caller implements; without, the
     * framework implements it (id<VZUSBDevice>) and C only passes its objects on. */
    size_t wrapped_methods = 0;
    for (size_t i = 0; i < p->method_count; i++)
        wrapped_methods += !p->methods[i].skip_reason;
    tctx_flag(pc, "delegate", wrapped_methods > 0);
    char *new_name = xasprintf("cvz_%s_new", stem);
    tctx_set(pc, "new_name", new_name);
    if (wrapped_methods > 0)
        add_symbol(e, new_name, p->avail.introduced, p->at);
    free(new_name);
    tctx_list(pc, "functions");
    char *cn = xasprintf("cvz_%s", stem);
    for (size_t i = 0; i < p->property_count; i++)
        if (!p->properties[i].skip_reason)
            emit_property(e, NULL, p, cn, &p->properties[i], pc);
    free(cn);
    tctx_list(pc, "methods");
    for (size_t i = 0; i < p->method_count; i++) {
        const struct method *m = &p->methods[i];
        if (m->skip_reason)
            continue;
        struct tctx *mc = tctx_add(pc, "methods");
        char *field = method_stem(m);
        tctx_set(mc, "field", field);
        tctx_set(mc, "selector", m->selector);
        set_version(mc, "introduced", m->avail.introduced);
        tctx_setf(mc, "imp", "cvz_%s_%s_imp", stem, field);
        tctx_set(mc, "optional", m->optional ? "optional" : "required");
        /* A BOOL answer: the callback returns bool; without a callback the answer is NO. */
        bool answers = m->ret.type.kind == TY_BOOL;
        /* An NSData answer: the callback returns malloc'ed bytes (or NULL for nil) and their length. */
        bool answers_data = m->ret.type.kind == TY_DATA;
        tctx_flag(mc, "answers", answers);
        tctx_flag(mc, "answers_data", answers_data);
        tctx_set(mc, "imp_ret", answers ? "BOOL" : answers_data ? "id" : "void");
        tctx_set(mc, "field_ret", answers ? "bool" : answers_data ? "void *" : "void");
        tctx_set(mc, "no_answer", answers ? "return 0;" : answers_data ? "return nil;" : "return;");
        struct strbuf types, imp_params, field_params, call_args;
        sb_init(&types);
        sb_init(&imp_params);
        sb_init(&field_params);
        sb_init(&call_args);
        add_encoding(&types, &m->ret.type);
        sb_adds(&types, "@:");
        tctx_list(mc, "args");
        for (size_t j = 0; j < m->arg_count; j++) {
            add_encoding(&types, &m->args[j].type);
            emit_delegate_arg(e, mc, &m->args[j], j, &imp_params, &field_params, &call_args);
        }
        if (answers_data) {
            sb_adds(&field_params, "size_t *length, ");
            sb_adds(&call_args, "&length, ");
        }
        char *types_literal = encoding_literal(&types);
        tctx_set(mc, "types", types_literal);
        free(types_literal);
        tctx_set(mc, "imp_params", imp_params.data ? imp_params.data : "");
        tctx_set(mc, "field_params", field_params.data ? field_params.data : "");
        tctx_set(mc, "call_args", call_args.data ? call_args.data : "");
        sb_free(&types);
        sb_free(&imp_params);
        sb_free(&field_params);
        sb_free(&call_args);
        free(field);
    }
    free(stem);
}

/* Every macOS level the API mentions, and the SDK's: one compile-time macro each. */
static void emit_levels(struct emitter *e)
{
    version_t levels[128];
    size_t n = 0;
    const struct api *api = e->api;
    add_level(levels, &n, api->sdk);
    for (size_t i = 0; i < e->symbol_count; i++)
        add_level(levels, &n, e->symbols[i].level);
    for (size_t i = 0; i < api->enum_count; i++)
        for (size_t j = 0; j < api->enums[i].value_count; j++)
            add_level(levels, &n, api->enums[i].values[j].avail.introduced);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && levels[j - 1] > levels[j]; j--) {
            version_t t = levels[j];
            levels[j] = levels[j - 1];
            levels[j - 1] = t;
        }
    tctx_list(e->root, "levels");
    for (size_t i = 0; i < n; i++) {
        struct tctx *lc = tctx_add(e->root, "levels");
        set_version(lc, "version", levels[i]);
        tctx_setf(lc, "suffix", "%d_%d", levels[i] / 100, levels[i] % 100);
        tctx_setf(lc, "level", "%d", levels[i]);
    }
    tctx_setf(e->root, "oldest_suffix", "%d_%d", levels[0] / 100, levels[0] % 100);
    tctx_setf(e->root, "sdk_suffix", "%d_%d", api->sdk / 100, api->sdk % 100);
}

/* How the simulated framework's skeleton stubs a selector: by the kind of value it returns. */
static const char *stub_kind(const struct method *m, const struct type *ret)
{
    if (m && !m->is_class && strncmp(m->selector, "init", 4) == 0)
        return "VZSIM_STUB_INIT";
    if (ret->kind == TY_VOID)
        return "VZSIM_STUB_VOID";
    if (ret->kind == TY_STRUCT)
        return struct_info_for(ret->public_c)->sim_stub;
    if (ret->kind == TY_SCALAR && (strcmp(ret->send_c, "double") == 0 || strcmp(ret->send_c, "float") == 0))
        return "VZSIM_STUB_DOUBLE";
    return "VZSIM_STUB_ZERO";
}

static void add_sim_member(struct emitter *e, const struct class_decl *c, const char *selector, bool is_class,
                           const struct availability *a, const char *kind, const char *types)
{
    struct tctx *mc = tctx_add(e->root, "sim_members");
    tctx_set(mc, "class_name", c->name);
    tctx_set(mc, "selector", selector);
    tctx_set(mc, "is_class", is_class ? "1" : "0");
    tctx_setf(mc, "level", "%d", a->introduced > c->avail.introduced ? a->introduced : c->avail.introduced);
    tctx_set(mc, "arm64", a->arm64_only || c->avail.arm64_only ? "1" : "0");
    tctx_set(mc, "kind", kind);
    tctx_set(mc, "types", types);
}

/*
 * The table the simulated framework registers at run time so that every class
 * and selector of the API exists at its version (behaviour is hand-written in
 * sim/ where the docs define it; the rest answers zeros).  Skipped items and
 * NS_UNAVAILABLE methods are left out.
 */
static void emit_sim_skeleton(struct emitter *e)
{
    tctx_list(e->root, "sim_classes");
    tctx_list(e->root, "sim_members");
    for (size_t i = 0; i < e->api->class_count; i++) {
        const struct class_decl *c = &e->api->classes[i];
        if (c->skip_reason)
            continue;
        struct tctx *cc = tctx_add(e->root, "sim_classes");
        tctx_set(cc, "name", c->name);
        tctx_set(cc, "superclass", c->superclass_name);
        tctx_setf(cc, "level", "%d", c->avail.introduced);
        tctx_set(cc, "arm64", c->avail.arm64_only ? "1" : "0");
        for (size_t j = 0; j < c->method_count; j++) {
            const struct method *m = &c->methods[j];
            if (m->unavailable || m->skip_reason)
                continue;
            struct strbuf types;
            sb_init(&types);
            sb_addf(&types, "%s@:", m->ret.type.encoding);
            for (size_t k = 0; k < m->arg_count; k++)
                sb_adds(&types, m->args[k].type.encoding);
            add_sim_member(e, c, m->selector, m->is_class, &m->avail, stub_kind(m, &m->ret.type), types.data);
            sb_free(&types);
        }
        for (size_t j = 0; j < c->property_count; j++) {
            const struct property *p = &c->properties[j];
            if (p->skip_reason)
                continue;
            char *types = xasprintf("%s@:", p->type.encoding);
            add_sim_member(e, c, p->getter, p->is_class, &p->avail, stub_kind(NULL, &p->type), types);
            free(types);
            if (p->setter) {
                types = xasprintf("v@:%s", p->type.encoding);
                add_sim_member(e, c, p->setter, p->is_class, &p->avail, "VZSIM_STUB_VOID", types);
                free(types);
            }
        }
    }
}

static const struct {
    const char *template_name;
    const char *output;
} outputs[] = {
    {"api_header", "include/cvz/cvz-api.h"},
    {"api_source", "cvz-api.c"},
    {"symbol_map", "cvz.map"},
    {"exports", "cvz.exports"},
    {"sim_skeleton", "sim/skeleton-table.c"},
    {"bad_calls", "tests/bad-calls.c"},
};

int emit_all(const struct api *api, const char *template_dir, const char *out_dir)
{
    struct emitter e = {0};
    e.api = api;
    e.class_types = xcalloc(api->class_count, sizeof *e.class_types);
    for (size_t i = 0; i < api->class_count; i++) {
        e.class_types[i] = class_cname(&api->classes[i]);
        strmap_add(&e.class_type_index, e.class_types[i], (void *)(i + 1));
    }
    name_table_init(&e.names);
    e.root = tctx_new();
    set_version(e.root, "sdk", api->sdk);
    tctx_set(e.root, "framework", api->framework);
    const char *base = strrchr(api->file, '/');
    tctx_set(e.root, "source", base ? base + 1 : api->file);
    tctx_list(e.root, "classes");
    tctx_list(e.root, "enums");
    tctx_list(e.root, "items");
    tctx_list(e.root, "constants");
    for (size_t i = 0; i < api->constant_count; i++) {
        const struct constant *k = &api->constants[i];
        struct tctx *kc = tctx_add(e.root, "constants");
        tctx_set(kc, "name", k->name);
        char *stem = class_stem(k->name);
        tctx_setf(kc, "cname", "cvz_%s", stem);
        set_version(kc, "introduced", k->avail.introduced);
        tctx_setf(kc, "level", "%d", k->avail.introduced);
        char *cname = xasprintf("cvz_%s", stem);
        add_symbol(&e, cname, k->avail.introduced, k->at);
        free(cname);
        free(stem);
    }
    for (size_t i = 0; i < api->enum_count; i++)
        emit_enum(&e, &api->enums[i]);
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
    tctx_list(e.root, "protocols");
    for (size_t i = 0; i < api->protocol_count; i++)
        emit_protocol(&e, &api->protocols[i]);
    for (size_t i = 0; i < api->class_count; i++)
        emit_class(&e, &api->classes[i]);
    emit_versions(&e);
    emit_levels(&e);
    emit_sim_skeleton(&e);
    tctx_setf(e.root, "item_count", "%zu", e.item_count);
    name_table_emit(&e.names, e.root);
    tctx_setf(e.root, "class_count", "%zu", api->class_count);

    struct template_set *set = template_set_new(template_dir);
    struct strbuf rendered[sizeof outputs / sizeof *outputs];
    int rc = 0;
    for (size_t i = 0; i < sizeof outputs / sizeof *outputs; i++) {
        sb_init(&rendered[i]);
        if (template_render(set, outputs[i].template_name, e.root, &rendered[i]) != 0)
            rc = -1;
    }
    if (diag_error_count())
        rc = -1;
    /* All outputs or none: a mixed tree would not build. */
    struct output files[sizeof outputs / sizeof *outputs];
    for (size_t i = 0; i < sizeof outputs / sizeof *outputs; i++)
        files[i] = (struct output){xasprintf("%s/%s", out_dir, outputs[i].output),
                                   rendered[i].data ? rendered[i].data : "", rendered[i].len};
    if (rc == 0)
        rc = write_outputs(files, sizeof files / sizeof *files);
    for (size_t i = 0; i < sizeof outputs / sizeof *outputs; i++) {
        free((char *)files[i].path);
        sb_free(&rendered[i]);
    }
    template_set_free(set);
    tctx_free(e.root);
    for (size_t i = 0; i < e.symbol_count; i++)
        free(e.symbols[i].name);
    free(e.symbols);
    strmap_free(&e.symbol_index);
    name_table_free(&e.names);
    strmap_free(&e.class_type_index);
    for (size_t i = 0; i < api->class_count; i++)
        free(e.class_types[i]);
    free(e.class_types);
    sb_free(&e.wait_params);
    sb_free(&e.zero_args);
    sb_free(&e.wait_zero_args);
    return rc;
}
