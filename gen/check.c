/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check.c - checks the resolved model's meaning, reading it only: duplicates,
 * selectors that don't match their arguments, types a position cannot take,
 * C keywords as parameter names, and versions out of order.  Every problem is
 * reported with the file:line of the node at fault.  (Unknown names and
 * superclass loops are found while resolving, in resolve.c.)
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "naming.h"
#include "strmap.h"

static void check_version(const struct api *api, struct loc at, const char *what,
                          const struct availability *a, const struct availability *container)
{
    char b1[16], b2[16];
    if (a->introduced < 1100)
        diag_error(at, "%s: introduced=\"%s\" predates Virtualization.framework (macOS 11.0)", what,
                   format_version(a->introduced, b1));
    if (a->introduced > api->sdk)
        diag_error(at, "%s: introduced=\"%s\" is newer than the SDK (%s)", what, format_version(a->introduced, b1),
                   format_version(api->sdk, b2));
    if (a->deprecated && a->deprecated < a->introduced)
        diag_error(at, "%s: deprecated=\"%s\" comes before introduced=\"%s\"", what,
                   format_version(a->deprecated, b1), format_version(a->introduced, b2));
    if (container && a->introduced < container->introduced)
        diag_error(at, "%s: introduced=\"%s\" comes before its container (%s)", what,
                   format_version(a->introduced, b1), format_version(container->introduced, b2));
}

/*
 * A name that becomes a C parameter (an argument, or a property through its
 * setter's value) must not be a keyword once in C spelling: Apple's headers
 * compile as C, C++ and Objective-C++, so such a name means the XML is wrong,
 * and the header written from it would not compile.
 */
static void check_parameter_name(struct loc at, const char *what, const char *kind, const char *name)
{
    char *c_name = snake_case(name);
    if (is_c_keyword(name) || is_c_keyword(c_name)) {
        if (strcmp(name, c_name) == 0)
            diag_error(at, "%s: %s name '%s' is a C or C++ keyword", what, kind, name);
        else
            diag_error(at, "%s: %s name '%s' (C name '%s') is a C or C++ keyword", what, kind, name, c_name);
    }
    free(c_name);
}

static size_t count_colons(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == ':';
    return n;
}

/*
 * A struct larger than 16 bytes comes back in memory; Apple's x86_64 runtime
 * then needs objc_msgSend_stret, which the generated code never uses.  On
 * arm64 plain objc_msgSend returns it (through x8), so arm64-only items may.
 */
static void check_struct_return(struct loc at, const char *what, const struct type *t, bool arm64_only)
{
    if (t->kind == TY_STRUCT && struct_info_for(t->public_c)->size > 16 && !arm64_only)
        diag_error(at, "%s: returns a %s in memory, which needs objc_msgSend_stret on x86_64; only arm64-only "
                   "items may (skip it in the overrides)", what, t->public_c);
}

/* A method of a class (c) or, when c is NULL, of the protocol p. */
static void check_method(const struct api *api, const struct class_decl *c, const struct protocol_decl *p,
                         const struct method *m)
{
    char *what = method_api_name(c ? c->name : p->name, m);
    check_version(api, m->at, what, &m->avail, c ? &c->avail : &p->avail);
    if (!m->ret.type_text)
        diag_error(m->at, "%s: missing <return>", what);
    if (count_colons(m->selector) != m->arg_count)
        diag_error(m->at, "%s: the selector takes %zu argument(s) but %zu <arg> element(s) are given", what,
                   count_colons(m->selector), m->arg_count);
    for (size_t i = 0; i < m->arg_count; i++) {
        const struct arg *a = &m->args[i];
        for (size_t j = 0; j < i; j++)
            if (strcmp(m->args[j].name, a->name) == 0)
                diag_error(a->at, "%s: duplicate argument name '%s'", what, a->name);
        check_parameter_name(a->at, what, "argument", a->name);
        if (a->type.kind == TY_ERROR_OUT && i + 1 != m->arg_count)
            diag_error(a->at, "%s: the NSError ** out-parameter must be the last argument", what);
        if (a->type.kind == TY_BLOCK && i + 1 != m->arg_count)
            diag_error(a->at, "%s: a block argument must be the last argument", what);
        if (a->type.kind == TY_INSTANCETYPE || a->type.kind == TY_VOID || (c && a->type.kind == TY_ERROR))
            diag_error(a->at, "%s: argument '%s' cannot have type '%s'", what, a->name, a->type_text);
        if (a->type.kind == TY_PROGRESS || a->type.kind == TY_DATA_ARRAY)
            diag_error(a->at, "%s: %s arguments are not supported (only results)", what, type_kind_name(a->type.kind));
        if (a->type.kind == TY_QUEUE && (strncmp(m->selector, "init", 4) != 0 || m->is_class || !c))
            diag_error(a->at,
                       "%s: a dispatch_queue_t argument is supported on initializers only (libcvz makes the new "
                       "object's queue); skip the method in the overrides",
                       what);
        enum type_kind k = a->type.kind;
        if (!c && k != TY_OBJECT && k != TY_ERROR && k != TY_STRING && k != TY_SCALAR && k != TY_BOOL &&
            k != TY_ENUM && k != TY_DATA)
            diag_error(a->at, "%s: a delegate method's argument of kind %s is not supported yet", what,
                       type_kind_name(a->type.kind));
    }
    if (m->ret.type.kind == TY_QUEUE)
        diag_error(m->ret.at, "%s: a dispatch queue result cannot cross the C API (libcvz owns the queues); skip "
                   "the method in the overrides", what);
    if (m->ret.type.kind == TY_BOOL_OUT)
        diag_error(m->ret.at, "%s: a BOOL * is supported as an out-parameter only", what);
    if (!c && m->ret.type_text && m->ret.type.kind != TY_VOID && m->ret.type.kind != TY_BOOL &&
        m->ret.type.kind != TY_DATA)
        diag_error(m->ret.at, "%s: delegate methods returning %s are not supported yet", what,
                   type_kind_name(m->ret.type.kind));
    check_struct_return(m->ret.at, what, &m->ret.type, m->avail.arm64_only || (c && c->avail.arm64_only));
    bool init = strncmp(m->selector, "init", 4) == 0 && !m->is_class;
    if (init && m->ret.type.kind != TY_INSTANCETYPE && m->ret.type_text)
        diag_error(m->ret.at, "%s: an initializer must return instancetype", what);
    if (!init && m->ret.type.kind == TY_INSTANCETYPE && !m->is_class)
        diag_error(m->ret.at, "%s: only initializers and class factories may return instancetype", what);
    free(what);
}

/* A property of the class c, or (c NULL) of the protocol named `container` with availability `outer`. */
static void check_property(const struct api *api, const struct class_decl *c, const char *container,
                           const struct availability *outer, const struct property *p)
{
    char *what = property_api_name(container, p);
    check_version(api, p->at, what, &p->avail, outer);
    check_parameter_name(p->at, what, "property", p->name);
    /* A type that did not resolve was reported by resolve.c; it is checked no further. */
    enum type_kind k = type_is_bound(&p->type) ? p->type.kind : TY_SCALAR;
    check_struct_return(p->at, what, &p->type, p->avail.arm64_only || outer->arm64_only);
    if (k == TY_VOID || k == TY_BLOCK || k == TY_ERROR_OUT || k == TY_INSTANCETYPE || k == TY_ERROR ||
        k == TY_BOOL_OUT)
        diag_error(p->at, "%s: a property cannot have type '%s'", what, p->type_text);
    if ((k == TY_PROGRESS || k == TY_DATA_ARRAY) && p->setter)
        diag_error(p->at, "%s: %s is supported as a read-only result only", what, type_kind_name(k));
    if (!c && p->is_class)
        diag_error(p->at, "%s: class properties of protocols are not supported", what);
    if (k == TY_QUEUE)
        diag_error(p->at, "%s: a dispatch queue property cannot cross the C API (libcvz owns the queues); skip it "
                   "in the overrides", what);
    free(what);
}

/* Getters, setters and methods of one class share one selector namespace per kind. */
static void check_duplicates(const struct class_decl *c)
{
    for (size_t i = 0; i < c->method_count; i++)
        for (size_t j = 0; j < i; j++)
            if (c->methods[i].is_class == c->methods[j].is_class &&
                strcmp(c->methods[i].selector, c->methods[j].selector) == 0)
                diag_error(c->methods[i].at, "%s: duplicate method '%s' (first declared at line %d)", c->name,
                           c->methods[i].selector, c->methods[j].at.line);
    for (size_t i = 0; i < c->property_count; i++) {
        const struct property *p = &c->properties[i];
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->name, c->properties[j].name) == 0)
                diag_error(p->at, "%s: duplicate property '%s' (first declared at line %d)", c->name, p->name,
                           c->properties[j].at.line);
        for (size_t j = 0; j < c->method_count; j++)
            if (p->is_class == c->methods[j].is_class &&
                (strcmp(p->getter, c->methods[j].selector) == 0 ||
                 (p->setter && strcmp(p->setter, c->methods[j].selector) == 0)))
                diag_error(c->methods[j].at, "%s: method '%s' clashes with property '%s' (line %d)", c->name,
                           c->methods[j].selector, p->name, p->at.line);
    }
}

static void check_class(const struct api *api, const struct class_decl *c)
{
    check_version(api, c->at, c->name, &c->avail, NULL);
    if (c->skip_reason)
        return; /* not wrapped: its superclass and members may lie outside what cvz knows */
    if (c->superclass && c->superclass->skip_reason)
        diag_error(c->at, "class '%s': its superclass '%s' is skipped in the overrides; skip it too", c->name,
                   c->superclass_name);
    /* A class may predate its superclass: Apple inserted VZGraphicsDisplayConfiguration (14.0)
     * above VZMacGraphicsDisplayConfiguration (12.0).  Not an error. */
    check_duplicates(c);
    for (size_t i = 0; i < c->method_count; i++)
        if (!c->methods[i].skip_reason)
            check_method(api, c, NULL, &c->methods[i]);
    for (size_t i = 0; i < c->property_count; i++)
        if (!c->properties[i].skip_reason)
            check_property(api, c, c->name, &c->avail, &c->properties[i]);
}

static void check_enum(const struct api *api, const struct enum_decl *e)
{
    check_version(api, e->at, e->name, &e->avail, NULL);
    if (strcmp(e->type, "NSInteger") != 0 && strcmp(e->type, "NSUInteger") != 0)
        diag_error(e->at, "enum '%s': underlying type '%s' is not NSInteger or NSUInteger", e->name, e->type);
    for (size_t i = 0; i < e->value_count; i++) {
        const struct enum_value *v = &e->values[i];
        check_version(api, v->at, v->name, &v->avail, &e->avail);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(v->name, e->values[j].name) == 0)
                diag_error(v->at, "enum '%s': duplicate value name '%s'", e->name, v->name);
            else if (v->value == e->values[j].value)
                diag_error(v->at, "enum '%s': '%s' repeats the value %lld of '%s'", e->name, v->name, v->value,
                           e->values[j].name);
        }
    }
}

/* Once the overrides give areas, every class and protocol is in one (its header and reference page). */
static void check_areas(const struct api *api)
{
    if (api->area_count == 0)
        return;
    for (size_t i = 0; i < api->class_count; i++)
        if (!api->classes[i].area)
            diag_error(api->classes[i].at, "class '%s' is in no area: add <member name=\"%s\"/> to an <area> of the "
                       "overrides", api->classes[i].name, api->classes[i].name);
    for (size_t i = 0; i < api->protocol_count; i++)
        if (!api->protocols[i].area)
            diag_error(api->protocols[i].at, "protocol '%s' is in no area: add <member name=\"%s\"/> to an <area> "
                       "of the overrides", api->protocols[i].name, api->protocols[i].name);
}

int check_model(const struct api *api)
{
    int before = diag_error_count();
    /* One namespace for classes, enums and constants: they all become C names. */
    struct named {
        const char *name;
        struct loc at;
    } *seen = xcalloc(api->class_count + api->enum_count + api->constant_count + api->protocol_count, sizeof *seen);
    size_t n = 0;
    for (size_t i = 0; i < api->class_count; i++)
        seen[n++] = (struct named){api->classes[i].name, api->classes[i].at};
    for (size_t i = 0; i < api->enum_count; i++)
        seen[n++] = (struct named){api->enums[i].name, api->enums[i].at};
    for (size_t i = 0; i < api->constant_count; i++)
        seen[n++] = (struct named){api->constants[i].name, api->constants[i].at};
    for (size_t i = 0; i < api->protocol_count; i++)
        seen[n++] = (struct named){api->protocols[i].name, api->protocols[i].at};
    struct strmap first; /* name -> its first declaration's index in seen + 1 */
    strmap_init(&first);
    for (size_t i = 0; i < n; i++) {
        size_t j = (size_t)strmap_add(&first, seen[i].name, (void *)(i + 1));
        if (j != i + 1)
            diag_error(seen[i].at, "duplicate name '%s' (first declared at line %d)", seen[i].name,
                       seen[j - 1].at.line);
    }
    strmap_free(&first);
    free(seen);
    check_areas(api);

    for (size_t i = 0; i < api->enum_count; i++)
        check_enum(api, &api->enums[i]);
    for (size_t i = 0; i < api->constant_count; i++) {
        const struct constant *k = &api->constants[i];
        check_version(api, k->at, k->name, &k->avail, NULL);
        if (strcmp(k->type, "NSErrorDomain") != 0 && strcmp(k->type, "NSString *") != 0)
            diag_error(k->at, "constant '%s': unsupported type '%s'", k->name, k->type);
    }
    for (size_t i = 0; i < api->protocol_count; i++) {
        const struct protocol_decl *p = &api->protocols[i];
        check_version(api, p->at, p->name, &p->avail, NULL);
        for (size_t j = 0; j < p->property_count; j++) {
            bool has_methods = false;
            for (size_t k = 0; k < p->method_count; k++)
                has_methods = has_methods || !p->methods[k].skip_reason;
            /* A delegate's properties would be C callbacks answering values: not a construct the SDK has. */
            if (has_methods && !p->properties[j].skip_reason)
                diag_error(p->properties[j].at,
                           "%s.%s: properties of delegate protocols (protocols with methods) are not supported "
                           "(skip it in the overrides)",
                           p->name, p->properties[j].name);
            else if (!p->properties[j].skip_reason)
                check_property(api, NULL, p->name, &p->avail, &p->properties[j]);
        }
        for (size_t j = 0; j < p->method_count; j++) {
            if (!p->methods[j].skip_reason)
                check_method(api, NULL, p, &p->methods[j]);
            for (size_t k = 0; k < j; k++)
                if (strcmp(p->methods[j].selector, p->methods[k].selector) == 0)
                    diag_error(p->methods[j].at, "%s: duplicate method '%s' (first declared at line %d)", p->name,
                               p->methods[j].selector, p->methods[k].at.line);
        }
    }
    for (size_t i = 0; i < api->class_count; i++)
        check_class(api, &api->classes[i]);
    return diag_error_count() - before;
}
