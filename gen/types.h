/* SPDX-License-Identifier: Apache-2.0 */
/*
 * types.h - Objective-C types as written in the API XML, parsed into what the
 * generator needs: the kind of conversion, the C type of the exact
 * message-send prototype, the public C type and the type encoding.  Parsing
 * is syntax only: the names a type mentions (classes, protocols, enums) are
 * bound by resolve.c, which also sets an enum's C types and a block's key.
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
    char *spelling;   /* the text as parsed, normalized ("NSArray<VZFoo*>*"), for diagnostics */
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
    char *key; /* canonical text, e.g. "v(NSError)", set by resolve.c (block_key) */
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

/*
 * Parses `text` (as written in the headers, e.g. "NSArray<VZFoo *> *" or
 * "void (^)(NSError * _Nullable error)").  Returns false and sets *why to a
 * one-line explanation the caller frees on failure.  An identifier that is
 * no known type parses as TY_ENUM (enum_name), "VZFoo *" as TY_OBJECT: only
 * resolve.c knows whether the API declares them.
 */
bool parse_type(const char *text, struct type *out, char **why);
/* The explanation for a dictionary type cvz cannot convert; caller frees. */
char *dictionary_problem(const char *spelling);
/* A block signature's canonical text, once its parameters are bound; caller frees. */
char *block_key(const struct block_sig *b);
/* Whether resolve.c bound the type (a type whose text did not resolve stays zeroed). */
static inline bool type_is_bound(const struct type *t)
{
    return t->encoding != NULL;
}
void type_clear(struct type *t);
/* A short human name for diagnostics, e.g. "block" or "object". */
const char *type_kind_name(enum type_kind kind);

#endif
