/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model.h - the in-memory API model cvzgen builds from the XML.
 *
 * Every node keeps the file:line it came from.  Strings are owned by the model
 * and freed with model_free().  load_api() and apply_overrides() fill it from
 * the XML; resolve_model() binds its references (parsed types, superclass
 * pointers, owners); check_model() then only reads it.
 */
#ifndef CVZGEN_MODEL_H
#define CVZGEN_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "strmap.h"
#include "types.h"
#include "util.h"
#include "version.h"

struct availability {
    version_t introduced;
    version_t deprecated; /* 0 when not deprecated */
    char *replacement;    /* NULL when none */
    bool arm64_only;
};

struct constant {
    struct loc at;
    char *name;
    char *type;
    struct availability avail;
};

struct enum_value {
    struct loc at;
    char *name;
    long long value;
    struct availability avail;
};

struct enum_decl {
    struct loc at;
    char *name;
    char *type;
    char *error_domain; /* NULL unless an NS_ERROR_ENUM */
    bool options;
    struct availability avail;
    struct enum_value *values;
    size_t value_count;
};

struct arg {
    struct loc at;
    char *name;
    char *type_text;
    bool nullable;
    struct type type; /* filled by check_model */
    /* Knowledge from the overrides (<argument>): */
    bool remote_url;         /* an NSURL that is a URL with a scheme, not a file path */
    const char *socket_kind; /* an NSFileHandle that must be a socket of this kind ("datagram"), or NULL */
    const char *knowledge;   /* why, for the documentation */
};

struct class_decl;

struct method {
    struct loc at;
    char *selector;
    bool is_class;
    bool unavailable;
    bool designated;
    char *cname; /* explicit C name override, or NULL */
    struct availability avail;
    struct arg ret; /* name is NULL */
    struct arg *args;
    size_t arg_count;
    struct class_decl *owner; /* NULL for protocol methods */
    bool optional;            /* protocol methods: @optional */
    const char *skip_reason;  /* set by the overrides: not wrapped, and why */
    const char *raises;       /* set by the overrides (<raises>): when it raises an NSException */
};

struct property {
    struct loc at;
    char *name;
    char *type_text;
    char *getter; /* selector of the getter: name or getter="" */
    char *setter; /* selector of the setter, NULL when readonly */
    char *cname;
    bool readonly;
    bool is_class;
    bool nullable;
    char *memory; /* copy|strong|weak|assign or NULL */
    struct availability avail;
    struct type type;
    struct class_decl *owner;
    const char *skip_reason;
};

struct class_decl {
    struct loc at;
    char *name;
    char *superclass_name;
    char *cname;
    struct availability avail;
    struct method *methods;
    size_t method_count;
    struct property *properties;
    size_t property_count;
    struct class_decl *superclass; /* NULL when the superclass is outside the API (NSObject) */
    const char *skip_reason;
    const char *entitlement; /* set by the overrides (<entitlement>): what a macOS process needs to use it */
    const char *area;        /* set by the overrides (<area>): the name of its area, NULL until then */
};

/* A protocol the caller implements in C (a delegate): its methods become callbacks. */
struct protocol_decl {
    struct loc at;
    char *name;
    struct availability avail;
    struct method *methods;
    size_t method_count;
    struct property *properties; /* protocol properties: only skipped ones are accepted today */
    size_t property_count;
    const char *area; /* as a class's */
};

/*
 * One <area> of the overrides file: a part of the API with a header of its own
 * (<cvz/NAME.h>) and a reference page.  Without any, the whole API is one area.
 */
struct area {
    struct loc at;
    char *name;
    char *title;
    const char **members; /* its classes' and protocols' names (the model's), in the file's order */
    size_t member_count;
};

/* One <skip> of the overrides file. */
struct skip {
    struct loc at;
    char *name;
    char *reason;
    bool used;
};

struct api {
    char *file;
    char *framework;
    version_t sdk;
    struct constant *constants;
    size_t constant_count;
    struct enum_decl *enums;
    size_t enum_count;
    struct class_decl *classes;
    size_t class_count;
    struct protocol_decl *protocols;
    size_t protocol_count;
    struct skip *skips; /* from the overrides file */
    size_t skip_count;
    struct area *areas; /* from the overrides file, in its order */
    size_t area_count;
    char **texts; /* other knowledge from the overrides file, pointed to by the model */
    size_t text_count;
    /* Classes, protocols and enums by name (index + 1), built by load_api (model_index). */
    struct strmap class_names, protocol_names, enum_names;
};

/* ---- the phases, in the order main.c runs them --------------------------- */

/* load.c: reads and validates `xml_path` against the RelaxNG schema; NULL after diagnostics. */
struct api *load_api(const char *xml_path, const char *schema_path);
/*
 * overrides.c: reads the overrides file (validated against its schema) and
 * marks the items it names; an entry naming no item is an error.  Returns
 * the number of errors.
 */
int apply_overrides(struct api *api, const char *path, const char *schema_path);
/*
 * resolve.c: binds the model's references: each type text parsed and bound to
 * the enum, class or protocol it names, superclass pointers, members' owners;
 * an unknown name or a superclass chain that loops is an error.  Returns the
 * number of errors.
 */
int resolve_model(struct api *api);
/* Parses and binds one type text (resolve_model's step, for tests); false and *why (caller frees) on failure. */
bool resolve_type_text(const struct api *api, const char *text, struct type *out, char **why);
/* check.c: checks the resolved model's meaning without changing it; returns the number of errors. */
int check_model(const struct api *api);

/* ---- model.c: what every phase asks of the model -------------------------- */

void model_free(struct api *api);
/* Builds the name indexes find_class, find_protocol and find_enum use (O(1) instead of a scan). */
void model_index(struct api *api);

struct class_decl *find_class(const struct api *api, const char *name);
const struct enum_decl *find_enum(const struct api *api, const char *name);
const struct protocol_decl *find_protocol(const struct api *api, const char *name);
/* A member's API name, as diagnostics, overrides and the docs write it: "-[VZFoo bar:]", "+[VZFoo new]"; caller frees. */
char *method_api_name(const char *container, const struct method *m);
/* The same for a selector the XML need not declare (the implicit -init of +new); caller frees. */
char *selector_api_name(const char *container, bool is_class, const char *selector);
/* "VZFoo.bar"; caller frees. */
char *property_api_name(const char *container, const struct property *p);

#endif
