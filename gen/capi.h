/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capi.h - the C API model: every C function cvz generates, computed once
 * from the resolved, checked model.  Each function knows its name, its C
 * parameters, the arguments of its message send and how each converts, its
 * result and the function that releases it, its blocking variant and its
 * documentation lines; every identifier comes from naming.c.  check_capi()
 * checks the C names; emit.c only places these tokens in templates, and
 * emit_go.c them and Go's names and types.
 */
#ifndef CVZGEN_CAPI_H
#define CVZGEN_CAPI_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* How an argument of the message send is made from the C parameters (templates/source_argument.tmpl). */
enum capi_arg_kind {
    CAPI_ARG_VALUE,          /* a scalar or enum, cast to the send's type */
    CAPI_ARG_BOOL,           /* bool → BOOL */
    CAPI_ARG_ASSIGN,         /* a struct, copied as it is */
    CAPI_ARG_OBJECT,         /* a handle, class checked */
    CAPI_ARG_PROTOCOL,       /* a handle conforming to a protocol */
    CAPI_ARG_PROTOCOL_ARRAY, /* handles conforming to a protocol + count */
    CAPI_ARG_STRING,         /* UTF-8 → NSString */
    CAPI_ARG_URL,            /* a path → file NSURL */
    CAPI_ARG_REMOTE_URL,     /* a URL with a scheme → NSURL */
    CAPI_ARG_UUID,           /* text → NSUUID */
    CAPI_ARG_DATA,           /* bytes + length → NSData */
    CAPI_ARG_FILE_HANDLE,    /* an fd, duplicated → NSFileHandle */
    CAPI_ARG_SOCKET,         /* a socket fd of a given type, duplicated → NSFileHandle */
    CAPI_ARG_ARRAY,          /* handles + count → NSArray */
    CAPI_ARG_DICTIONARY,     /* names + handles + count → NSDictionary */
    CAPI_ARG_BOOL_OUT,       /* bool * ← BOOL * */
    CAPI_ARG_ERROR_OUT,      /* the NSError ** the scope reads (no C parameter of its own) */
    CAPI_ARG_NEW_QUEUE,      /* the serial queue libcvz makes (no C parameter) */
    CAPI_ARG_BLOCK,          /* callback + context → a block */
};

/* How the send's result becomes the C result (templates/source_result.tmpl). */
enum capi_result_kind {
    CAPI_RESULT_VOID,       /* int status */
    CAPI_RESULT_STATUS,     /* BOOL + NSError ** → int status */
    CAPI_RESULT_BOOL,
    CAPI_RESULT_VALUE,      /* a scalar, enum or pointer, cast */
    CAPI_RESULT_OBJECT,     /* a new reference */
    CAPI_RESULT_STRING,
    CAPI_RESULT_URL,
    CAPI_RESULT_FILE_HANDLE,
    CAPI_RESULT_ARRAY,
    CAPI_RESULT_UUID,
    CAPI_RESULT_DATA,
    CAPI_RESULT_ASSIGN,     /* a struct, copied */
    CAPI_RESULT_DATA_ARRAY,
    CAPI_RESULT_DICTIONARY,
};

/* What a wrapper is made from (capi_summary.c and templates/go word its doc by it). */
enum capi_role { CAPI_ROLE_GETTER, CAPI_ROLE_SETTER, CAPI_ROLE_NEW, CAPI_ROLE_INIT, CAPI_ROLE_METHOD };

/* The kinds' names, as the templates test them ({{#conv=object}}, {{#result=void}}). */
const char *capi_arg_kind_name(enum capi_arg_kind kind);
const char *capi_result_kind_name(enum capi_result_kind kind);
const char *capi_role_name(enum capi_role role);

/* One parameter of a C prototype. */
struct capi_param {
    char *type;       /* the C type as written before the name: "int ", "const cvz_foo *" */
    char *name;
    const char *zero; /* a value the bad-call test passes ("NULL", "0", "&n"); NULL for self and error */
    bool blocking;    /* also a parameter of the blocking variant (all but callback, context and error) */
};

/* One argument of the message send, and how the C parameters make it. */
struct capi_arg {
    enum capi_arg_kind kind;
    char *param;          /* the C parameter (its first one: "x" of x, x_count) */
    char *field;          /* its slot in the call frame: "a0" */
    const char *objc_name;
    const char *send_c;   /* its type in the exact message-send cast */
    bool nullable;
    char *class_id;       /* OBJECT, ARRAY, DICTIONARY: its class's constant ("CVZ__CLASS_ID_FOO") */
    char *protocol;       /* PROTOCOL, PROTOCOL_ARRAY: the protocol's C name "cvz_foo" (its descriptor: cvz_foo_protocol) */
    char *socket_kind;    /* SOCKET: "CVZ__SOCKET_DATAGRAM" */
    char *callback_type;  /* BLOCK: "cvz_error_callback" */
    /* The value's type, for bindings in other languages (templates/go): */
    const char *apple_type; /* OBJECT, ARRAY, DICTIONARY: the (elements') class; PROTOCOL, PROTOCOL_ARRAY: the
                               protocol; VALUE of an enum: the enum ("VZFoo"); else NULL */
    char *type;             /* VALUE, BOOL, ASSIGN: the public C type ("uint64_t", "enum cvz_foo", "void *",
                               "cvz_size"); OBJECT, PROTOCOL and the arrays and dictionaries: that of one handle
                               ("cvz_foo *", "struct cvz_foo *"); else NULL */
};

struct capi_result {
    enum capi_result_kind kind;
    char *type;            /* the public C type: "int", "cvz_foo *" */
    char *decl;            /* the same as written before a name: "int ", "cvz_foo *" */
    const char *send_c;    /* its type in the exact message-send cast */
    const char *fail;      /* what a failed call returns: "0", "NULL", "{0}" */
    const char *release;   /* the function that frees it ("cvz_release", "cvz_free", "close", …), NULL for values */
    bool release_takes_count; /* release(result, count) */
    bool release_cast;     /* release takes void *: handles of any class are cast to it */
    bool owned;            /* the send returns +1 */
    bool nullable;         /* nil is a valid answer (error untouched) */
    bool returns_status;   /* the C function returns 0 or a negative cvz_status */
    const char *apple_type; /* OBJECT (instancetype: the receiver's class; "NSProgress"), ARRAY, DICTIONARY: the
                               (elements') class; VALUE of an enum: the enum; else NULL */
};

/* The blocking variant of a function taking a completion handler. */
enum capi_wait_kind {
    CAPI_WAIT_NONE,
    CAPI_WAIT_STATUS, /* the handler reports only an error: returns a status */
    CAPI_WAIT_OBJECT, /* the handler delivers (object, error): returns the object */
};

const char *capi_wait_kind_name(enum capi_wait_kind kind);

/* The blocking variant a function taking a completion handler of signature b gets. */
enum capi_wait_kind capi_block_wait_kind(const struct block_sig *b);

struct capi_wait {
    enum capi_wait_kind kind;
    char *cname;   /* "cvz_foo_start_and_wait" */
    char *type;    /* CAPI_WAIT_OBJECT: the object's public type "cvz_foo *" */
    const char *apple_type; /* CAPI_WAIT_OBJECT: the object's class ("VZFoo") */
    char *callback; /* CAPI_WAIT_OBJECT: the completion's callback type (its waiter adapter: cvz_foo_callback_to_waiter) */
};

/* One generated wrapper: a method, a property's getter or setter, or +new. */
struct capi_function {
    struct loc at; /* the XML element it comes from */
    const struct class_decl *cls;        /* NULL for a protocol's property */
    const struct protocol_decl *proto;   /* a protocol's property: the receiver conforms to it */
    char *cname;
    const char *stem;     /* cname after its class's or protocol's C name and "_": "start", "set_cpu_count", "new" */
    enum capi_role role;
    char *api_name;       /* "-[VZFoo bar:]", "VZFoo.baz" */
    char *api_macro;      /* "CVZ_API_FOO_BAR" */
    const char *selector;
    version_t introduced;
    const struct availability *avail; /* the item's own, as its doc lines state it */
    const char *raises;   /* when the framework raises an NSException (overrides), or NULL */
    bool arm64_only;      /* the item or its class */
    bool class_receiver;  /* sent to the class */
    bool alloc_init;      /* [[cls alloc] init…] */
    bool pool;            /* needs an autorelease pool */
    bool fast;            /* gets the fast path (cvz__fast_self) */
    bool error_out;       /* takes an NSError ** */
    size_t item;          /* its index in the item table */
    char *item_id;        /* the constant naming its entry ("CVZ__ITEM_ID_FOO_START") */
    struct capi_param *params;
    size_t param_count;
    struct capi_arg *args;
    size_t arg_count;
    struct capi_result result;
    struct capi_wait wait;
    char **doc; /* the lines of its doc comment */
    size_t doc_count;
};

/* A run of functions: a class's or a protocol's. */
struct capi_span {
    size_t first, count;
};

struct capi_upcast {
    char *name;        /* "cvz_foo_as_bar" */
    char *target_type; /* "cvz_bar" */
    const char *target_name;
};

struct capi_class {
    const struct class_decl *decl;
    char *cname;
    char *class_macro; /* "CVZ_CLASS_FOO" */
    char *id;          /* the constant naming its entry in the class table ("CVZ__CLASS_ID_FOO") */
    struct capi_upcast *upcasts; /* superclasses, nearest first */
    size_t upcast_count;
    struct capi_span functions;
};

/* How a delegate method's argument reaches the C callback (templates/source_protocol.tmpl). */
enum capi_delegate_arg_kind {
    CAPI_DELEGATE_ARG_OBJECT, /* a handle lent for the call */
    CAPI_DELEGATE_ARG_ERROR,  /* a cvz_error lent for the call */
    CAPI_DELEGATE_ARG_STRING, /* UTF-8 lent for the call */
    CAPI_DELEGATE_ARG_DATA,   /* bytes + length lent for the call */
    CAPI_DELEGATE_ARG_BOOL,   /* BOOL → bool */
    CAPI_DELEGATE_ARG_VALUE,  /* a scalar or enum, cast */
};

/* What a delegate method answers the framework. */
enum capi_answer_kind {
    CAPI_ANSWER_NONE, /* void */
    CAPI_ANSWER_BOOL, /* the callback returns bool; without a callback the answer is NO */
    CAPI_ANSWER_DATA, /* the callback returns malloc'ed bytes (or NULL for nil) and sets *length */
};

const char *capi_delegate_arg_kind_name(enum capi_delegate_arg_kind kind);
const char *capi_answer_kind_name(enum capi_answer_kind kind);

struct capi_delegate_arg {
    enum capi_delegate_arg_kind kind;
    const char *send_c; /* its type in the method's implementation */
    char *type;         /* its type in the C callback: "cvz_foo *", "const char *", "int64_t" */
    char *decl_type;    /* the same as written before a name */
    char *param;        /* its name in the C callback */
    const char *objc_name;
    char *src;          /* the implementation's parameter: "a0" */
    char *var;          /* the converted value: "v0" */
    const char *apple_type; /* OBJECT: its class; VALUE of an enum: the enum ("VZFoo"); else NULL */
};

/* A delegate protocol's method: a member of its callbacks struct and the method implementing it. */
struct capi_delegate_method {
    const struct method *decl;
    char *field; /* the callbacks struct's member: "did_stop_with_error" */
    char *imp;   /* "cvz_foo_delegate_did_stop_with_error_imp" */
    char *types; /* the method's type encoding as a C string literal */
    enum capi_answer_kind answer;
    struct capi_delegate_arg *args;
    size_t arg_count;
};

struct capi_protocol {
    const struct protocol_decl *decl;
    char *cname;     /* "cvz_foo_delegate" */
    char *new_name;  /* "cvz_foo_delegate_new" */
    char *impl_class; /* the Objective-C class libcvz registers to implement it ("CVZFooDelegate") */
    bool delegate;   /* implemented by the caller in C (it has wrapped methods) */
    struct capi_delegate_method *methods; /* a delegate's wrapped methods */
    size_t method_count;
    struct capi_span functions;
};

/* How a completion handler's parameter reaches the C callback (templates/source_callback.tmpl). */
enum capi_callback_param_kind {
    CAPI_CALLBACK_PARAM_ERROR,  /* NSError → the box's cvz_error */
    CAPI_CALLBACK_PARAM_OBJECT, /* a handle lent for the call */
    CAPI_CALLBACK_PARAM_VALUE,  /* a scalar, BOOL or enum, cast */
};

const char *capi_callback_param_kind_name(enum capi_callback_param_kind kind);

struct capi_callback_param {
    enum capi_callback_param_kind kind;
    const char *send_c; /* its type in the block's invoke function */
    char *type;         /* its public C type */
    char *src;          /* the invoke function's parameter: "p0" */
    char *var;          /* OBJECT: the borrowed handle "h0" */
    const char *apple_type; /* OBJECT: its class ("VZFoo") */
};

/* One C callback type and block trampoline per completion-handler signature. */
struct capi_callback {
    const struct block_sig *block;
    char *cname;     /* "cvz_error_callback" */
    char *signature; /* the block's type encoding with frame offsets, as a C string literal */
    struct capi_callback_param *params;
    size_t param_count;
    int error_param; /* the index of the NSError parameter, or -1 */
    enum capi_wait_kind wait; /* the blocking variant of a function taking it */
    bool delivers_object; /* (object, error): a blocking variant returns the object */
    char *object_type;    /* delivers_object: the object's public type */
};

/* A C function name and the macOS level whose symbol-map node exports it. */
struct capi_symbol {
    char *name;
    version_t level;
    struct loc at;
};

/* An enum of the API and the C names of its values. */
struct capi_enum {
    const struct enum_decl *decl;
    char *cname;        /* "cvz_virtual_machine_state" */
    char **value_names; /* "CVZ_VIRTUAL_MACHINE_STATE_RUNNING", one per decl->values */
};

/* A selector the simulated framework's skeleton registers (capi_sim.c). */
struct capi_sim_member {
    const struct class_decl *cls;
    const char *selector;
    bool is_class;
    version_t level;  /* the later of the member's and its class's */
    bool arm64_only;
    const char *stub; /* the skeleton's stub for it: "VZSIM_STUB_INIT", "VZSIM_STUB_ZERO"… */
    char *types;      /* its Objective-C type encoding ("v@:Q") */
};

/* An area: one header (<cvz/NAME.h>) and one reference page. */
struct capi_area {
    const char *name;  /* "storage" (the model's) */
    const char *title; /* "Storage: disk images, …" */
    char *guard;       /* "CVZ_STORAGE_H" */
    size_t *classes;   /* indexes into capi->classes, base-first */
    size_t class_count;
    size_t *protocols; /* indexes into capi->protocols */
    size_t protocol_count;
};

struct capi {
    const struct api *api;
    struct capi_function *functions; /* in item-table order: protocols' first, then classes' */
    size_t function_count;
    struct capi_class *classes;      /* api->classes' order */
    struct capi_protocol *protocols; /* api->protocols' order */
    struct capi_symbol *symbols;     /* every exported function, in declaration order */
    size_t symbol_count;
    struct capi_callback *callbacks; /* one per block signature, in the order methods first use them */
    size_t callback_count;
    struct capi_area *areas; /* the overrides' order; one ("api") when they give none */
    size_t area_count;
    char **constant_names;   /* the C function of each of api->constants ("cvz_error_domain") */
    struct capi_enum *enums; /* api->enums' order */
    struct capi_sim_member *sim_members; /* the simulator's skeleton: classes' order, then declaration order */
    size_t sim_member_count;
};

/* The public C type of a value of type t ("cvz_foo *", "enum cvz_bar", "char *"); self_cls types instancetype. */
char *capi_public_type(const struct api *api, const struct type *t, const struct class_decl *self_cls);

/* Computes the C API of a resolved, checked model. */
struct capi *capi_build(const struct api *api);
void capi_free(struct capi *capi);
/*
 * Checks the C names: a function taking a handle type's name, two items with
 * one name, two classes with one handle type.  Returns the errors.
 */
int check_capi(const struct capi *capi);

#endif
