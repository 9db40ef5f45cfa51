/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capi.c - the C API phase: computes the C API model (capi.h) from the
 * resolved, checked model.  Here: which wrappers each class and protocol
 * gets (methods, accessors, +new), up-casts, the exported symbols, the check
 * of the C names, and freeing.  One wrapper is built in capi_function.c,
 * delegates and completion callbacks in capi_callbacks.c; names come from
 * naming.c.
 */
#include "capi_build.h"

#include <stdlib.h>
#include <string.h>

#include "naming.h"
#include "strmap.h"

struct builder {
    const struct api *api;
    struct capi *capi;
    size_t function_cap, symbol_cap;
    char *owner_words; /* the class or protocol being built, in words (capi_words) */
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

/* Adds the wrapper of wr to the model, and its C functions to the symbols. */
static void build_function(struct builder *b, const struct capi_wrapper *wr)
{
    struct capi_function *f = new_function(b);
    capi_build_function(b->api, wr, f);
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
    struct capi_wrapper get = {.cls = c, .proto = proto, .owner_cname = cn, .owner_words = b->owner_words,
                          .cfunc = property_getter_cname(cn, p), .api_name = property_api_name(container, p), .selector = p->getter,
                          .class_receiver = p->is_class, .avail = &p->avail, .ret = &value,
                          .role = CAPI_ROLE_GETTER, .at = p->at};
    build_function(b, &get);
    if (p->setter) {
        static const struct arg void_ret = {.type = {TY_VOID, "void", "void", "v", NULL, NULL, NULL, false, NULL}};
        struct capi_wrapper set = {.cls = c, .proto = proto, .owner_cname = cn, .owner_words = b->owner_words,
                              .cfunc = property_setter_cname(cn, p), .api_name = get.api_name, .selector = p->setter, .class_receiver = p->is_class,
                              .avail = &p->avail, .args = &value, .arg_count = 1, .ret = &void_ret,
                              .role = CAPI_ROLE_SETTER, .at = p->at,
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
    b->owner_words = capi_words(c->name);
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
        struct capi_wrapper wr = {.cls = c, .owner_cname = cc->cname, .owner_words = b->owner_words,
                             .cfunc = new_cname(cc->cname), .api_name = selector_api_name(c->name, false, "init"), .selector = "init", .alloc_init = true,
                             .ret_owned = true, .avail = &c->avail, .ret = &implicit_ret,
                             .role = CAPI_ROLE_NEW, .at = c->at};
        build_function(b, &wr);
        free(wr.cfunc);
        free(wr.api_name);
    }
    for (size_t i = 0; i < c->method_count; i++) {
        const struct method *m = &c->methods[i];
        if (m->unavailable || m->skip_reason)
            continue;
        bool init_method = !m->is_class && strncmp(m->selector, "init", 4) == 0;
        struct capi_wrapper wr = {.cls = c, .owner_cname = cc->cname, .owner_words = b->owner_words,
                             .cfunc = method_cname(cc->cname, m), .api_name = method_api_name(c->name, m), .selector = m->selector,
                             .class_receiver = m->is_class, .alloc_init = init_method,
                             .ret_owned = init_method || is_owned_selector(m->selector), .avail = &m->avail,
                             .args = m->args, .arg_count = m->arg_count, .ret = &m->ret,
                             .role = init_method ? CAPI_ROLE_INIT : CAPI_ROLE_METHOD,
                             .at = m->at, .raises = m->raises};
        build_function(b, &wr);
        free(wr.cfunc);
        free(wr.api_name);
    }
    for (size_t i = 0; i < c->property_count; i++)
        if (!c->properties[i].skip_reason)
            build_property(b, c, NULL, cc->cname, &c->properties[i]);
    cc->functions.count = b->capi->function_count - cc->functions.first;
    free(b->owner_words);
}

static void build_protocol(struct builder *b, const struct protocol_decl *p, struct capi_protocol *pc)
{
    pc->decl = p;
    pc->cname = protocol_cname(p->name);
    pc->new_name = new_cname(pc->cname);
    pc->impl_class = delegate_class_name(p->name);
    /* With methods, a protocol is a delegate the caller implements; without, the
     * framework implements it (id<VZUSBDevice>) and C only passes its objects on. */
    for (size_t i = 0; i < p->method_count; i++)
        pc->delegate = pc->delegate || !p->methods[i].skip_reason;
    if (pc->delegate)
        add_symbol(b, pc->new_name, p->avail.introduced, p->at);
    pc->functions.first = b->capi->function_count;
    b->owner_words = capi_words(p->name);
    for (size_t i = 0; i < p->property_count; i++)
        if (!p->properties[i].skip_reason)
            build_property(b, NULL, p, pc->cname, &p->properties[i]);
    free(b->owner_words);
    pc->functions.count = b->capi->function_count - pc->functions.first;
    if (!pc->delegate)
        return;
    capi_build_delegate_methods(b->api, pc);
}

struct capi *capi_build(const struct api *api)
{
    struct capi *capi = xcalloc(1, sizeof *capi);
    struct builder b = {api, capi, 0, 0, NULL};
    capi->api = api;
    capi->constant_names = xcalloc(api->constant_count + 1, sizeof *capi->constant_names);
    for (size_t i = 0; i < api->constant_count; i++) {
        capi->constant_names[i] = constant_cname(api->constants[i].name);
        add_symbol(&b, capi->constant_names[i], api->constants[i].avail.introduced, api->constants[i].at);
    }
    capi->enums = xcalloc(api->enum_count + 1, sizeof *capi->enums);
    for (size_t i = 0; i < api->enum_count; i++) {
        const struct enum_decl *en = &api->enums[i];
        struct capi_enum *ce = &capi->enums[i];
        ce->decl = en;
        ce->cname = enum_cname(en);
        ce->value_names = xcalloc(en->value_count + 1, sizeof *ce->value_names);
        for (size_t j = 0; j < en->value_count; j++)
            ce->value_names[j] = enum_value_cname(en->values[j].name);
    }
    capi->protocols = xcalloc(api->protocol_count, sizeof *capi->protocols);
    for (size_t i = 0; i < api->protocol_count; i++)
        build_protocol(&b, &api->protocols[i], &capi->protocols[i]);
    capi->classes = xcalloc(api->class_count, sizeof *capi->classes);
    for (size_t i = 0; i < api->class_count; i++)
        build_class(&b, &api->classes[i], &capi->classes[i]);
    capi_build_callbacks(api, capi);
    capi_build_areas(api, capi);
    capi_build_sim(api, capi);
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
        free(f->args[i].type);
    }
    free(f->args);
    free(f->result.type);
    free(f->result.decl);
    free(f->wait.cname);
    free(f->wait.type);
    free(f->wait.callback);
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
        capi_free_delegate_methods(&capi->protocols[i]);
        free(capi->protocols[i].cname);
        free(capi->protocols[i].new_name);
        free(capi->protocols[i].impl_class);
    }
    capi_free_callbacks(capi);
    capi_free_areas(capi);
    capi_free_sim(capi);
    for (size_t i = 0; i < capi->api->enum_count; i++) {
        for (size_t j = 0; j < capi->api->enums[i].value_count; j++)
            free(capi->enums[i].value_names[j]);
        free(capi->enums[i].value_names);
        free(capi->enums[i].cname);
    }
    free(capi->enums);
    for (size_t i = 0; i < capi->api->constant_count; i++)
        free(capi->constant_names[i]);
    free(capi->constant_names);
    free(capi->protocols);
    for (size_t i = 0; i < capi->symbol_count; i++)
        free(capi->symbols[i].name);
    free(capi->symbols);
    free(capi);
}
