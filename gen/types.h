/* SPDX-License-Identifier: Apache-2.0 */
/*
 * types.h - Objective-C types as written in the API XML, parsed into what the
 * generator needs: the kind of conversion, the C type of the exact
 * message-send prototype, the public C type and the type encoding.
 */
#ifndef CVZGEN_TYPES_H
#define CVZGEN_TYPES_H

#include <stdbool.h>
#include <stddef.h>

enum type_kind {
    TY_VOID,
    TY_BOOL,
    TY_SCALAR,       /* integers and floating point passed as they are */
    TY_ENUM,         /* an enum of the API */
    TY_OBJECT,       /* an instance of a class of the API */
    TY_INSTANCETYPE, /* the receiver's class (initializers) */
    TY_STRING,       /* NSString *  <-> UTF-8 char * */
    TY_URL,          /* NSURL *     <-> file system path */
    TY_FILE_HANDLE,  /* NSFileHandle * <-> file descriptor */
    TY_ARRAY,        /* NSArray<Class *> * or NSArray<id<Protocol>> * <-> handle array + count */
    TY_ERROR_OUT,    /* NSError ** out-parameter */
    TY_ERROR,        /* NSError * (block parameters) <-> cvz_error * */
    TY_ERROR_DOMAIN, /* NSErrorDomain constants */
    TY_BLOCK,        /* a block, passed to C as callback + context */
    TY_PROTOCOL,     /* id<Protocol>: an object implementing a protocol of the API (a delegate) */
    TY_DATA,         /* NSData *    <-> bytes + length */
    TY_UUID,         /* NSUUID *    <-> "XXXXXXXX-XXXX-…" text */
    TY_POINTER,      /* void * and opaque C references (SecCertificateRef…), passed through */
    TY_STRUCT,       /* small structs passed by value with a public C twin (CGSize → cvz_size) */
    TY_PROGRESS,     /* NSProgress * (results only) <-> cvz_progress handle (include/cvz/cvz.h) */
    TY_QUEUE,        /* dispatch_queue_t: an initializer's queue, which libcvz makes (never crosses the C API) */
    TY_BOOL_OUT,     /* BOOL * out-parameter <-> bool * */
    TY_DATA_ARRAY,   /* NSArray<NSData *> * (results only) <-> cvz_bytes array + count */
    TY_DICTIONARY,   /* NSDictionary<NSString *, Class *> * <-> names + handles (parallel arrays) + count */
};

struct block_sig;

struct type {
    enum type_kind kind;
    const char *send_c;   /* C type in the exact message-send cast ("unsigned long", "id") */
    const char *public_c; /* C type of the public API ("uint64_t", "bool") */
    const char *encoding; /* Objective-C type encoding ("Q", "@", "v") */
    char *class_name;     /* TY_OBJECT, TY_ARRAY, TY_DICTIONARY: the (element) class; TY_PROTOCOL: the protocol */
    char *enum_name;      /* TY_ENUM */
    struct block_sig *block;
    bool of_protocol; /* TY_ARRAY: class_name is the elements' protocol (NSArray<id<P>> *) */
};

struct block_param {
    struct type type;
    bool nullable;
};

/* A block signature; blocks with equal keys share one C callback type and trampoline. */
struct block_sig {
    struct type ret;
    struct block_param *params;
    size_t param_count;
    char *key; /* canonical text, e.g. "void(NSError*)" */
};

/* A C struct that crosses by value, with its public twin of the same layout. */
struct struct_info {
    const char *objc_names[2]; /* as written in the headers */
    const char *c_type;        /* the public twin in <cvz/cvz.h> */
    const char *encoding;
    const char *zero;      /* a zero value, as C */
    const char *sim_stub;  /* the skeleton's stub kind returning it */
    size_t size;           /* bytes: above 16, Apple's x86_64 returns it in memory (objc_msgSend_stret) */
};

/* The struct whose public twin is c_type, or NULL. */
const struct struct_info *struct_info_for(const char *c_type);

struct api;

/*
 * Parses `text` (as written in the headers, e.g. "NSArray<VZFoo *> *" or
 * "void (^)(NSError * _Nullable error)").  Returns false and sets *why to a
 * one-line explanation (static or owned by the caller via free) on failure.
 */
bool parse_type(const struct api *api, const char *text, struct type *out, char **why);
void type_clear(struct type *t);
/* A short human name for diagnostics, e.g. "block" or "object". */
const char *type_kind_name(enum type_kind kind);

#endif
