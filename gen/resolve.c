/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resolve.c - binds the model's references once load and the overrides are
 * done: every type text is parsed (types.c) and the classes, protocols and
 * enums it names are looked up; superclass pointers and members' owners are
 * set; a superclass chain that loops is cut.  An unknown name is an error at
 * the line that wrote it.  After this phase nothing changes the model.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* Binds the names a parsed type mentions; false and *why (caller frees) when one is unknown. */
static bool bind_type(const struct api *api, struct type *t, char **why)
{
    switch (t->kind) {
    case TY_ENUM: {
        const struct enum_decl *e = find_enum(api, t->enum_name);
        if (!e) {
            *why = xasprintf("unknown type '%s'", t->spelling);
            return false;
        }
        bool is_unsigned = strcmp(e->type, "NSUInteger") == 0;
        t->send_c = is_unsigned ? "unsigned long" : "long";
        t->encoding = is_unsigned ? "Q" : "q";
        return true;
    }
    case TY_OBJECT:
        if (find_class(api, t->class_name))
            return true;
        *why = xasprintf("unknown type '%s' (class '%s' is not declared in the API)", t->spelling, t->class_name);
        return false;
    case TY_PROTOCOL:
        if (find_protocol(api, t->class_name))
            return true;
        *why = xasprintf("unknown protocol in '%s' (protocol '%s' is not declared in the API)", t->spelling,
                         t->class_name);
        return false;
    case TY_ARRAY:
        if (t->of_protocol ? find_protocol(api, t->class_name) != NULL : find_class(api, t->class_name) != NULL)
            return true;
        *why = xasprintf("unknown element type in '%s' (arrays of API classes, of id<Protocol> and of NSData are "
                         "supported)", t->spelling);
        return false;
    case TY_DICTIONARY:
        if (find_class(api, t->class_name))
            return true;
        *why = dictionary_problem(t->spelling);
        return false;
    case TY_BLOCK:
        for (size_t i = 0; i < t->block->param_count; i++)
            if (!bind_type(api, &t->block->params[i].type, why))
                return false;
        t->block->key = block_key(t->block);
        return true;
    default:
        return true;
    }
}

bool resolve_type_text(const struct api *api, const char *text, struct type *out, char **why)
{
    if (!parse_type(text, out, why))
        return false;
    if (bind_type(api, out, why))
        return true;
    type_clear(out);
    return false;
}

/* A type text of the item `what`; a type that does not resolve stays zeroed (type_is_bound is false). */
static void resolve_type(const struct api *api, struct loc at, const char *what, const char *text, struct type *out)
{
    char *why = NULL;
    if (!resolve_type_text(api, text, out, &why)) {
        diag_error(at, "%s: %s", what, why ? why : "bad type");
        memset(out, 0, sizeof *out);
    }
    free(why);
}

static void resolve_method(const struct api *api, const char *container, struct method *m)
{
    char *what = method_api_name(container, m);
    if (m->ret.type_text)
        resolve_type(api, m->ret.at, what, m->ret.type_text, &m->ret.type);
    for (size_t i = 0; i < m->arg_count; i++)
        resolve_type(api, m->args[i].at, what, m->args[i].type_text, &m->args[i].type);
    free(what);
}

static void resolve_property(const struct api *api, const char *container, struct property *p)
{
    char *what = property_api_name(container, p);
    resolve_type(api, p->at, what, p->type_text, &p->type);
    free(what);
}

/* A delegate's properties are refused by check.c whatever their type: only the framework's protocols' are bound. */
static bool is_delegate(const struct protocol_decl *p)
{
    for (size_t k = 0; k < p->method_count; k++)
        if (!p->methods[k].skip_reason)
            return true;
    return false;
}

static void resolve_class(const struct api *api, struct class_decl *c)
{
    for (size_t i = 0; i < c->method_count; i++)
        c->methods[i].owner = c;
    for (size_t i = 0; i < c->property_count; i++)
        c->properties[i].owner = c;
    if (c->skip_reason)
        return; /* not wrapped: its superclass and members may lie outside what cvz knows */
    if (strcmp(c->superclass_name, "NSObject") != 0) {
        c->superclass = find_class(api, c->superclass_name);
        if (!c->superclass)
            diag_error(c->at, "class '%s': unknown superclass '%s'", c->name, c->superclass_name);
    }
    for (size_t i = 0; i < c->method_count; i++)
        if (!c->methods[i].skip_reason)
            resolve_method(api, c->name, &c->methods[i]);
    for (size_t i = 0; i < c->property_count; i++)
        if (!c->properties[i].skip_reason)
            resolve_property(api, c->name, &c->properties[i]);
}

/* A superclass chain that comes back to itself is reported and cut, so later phases can walk chains. */
static void cut_cycles(struct api *api)
{
    for (size_t i = 0; i < api->class_count; i++) {
        const struct class_decl *slow = &api->classes[i], *fast = slow;
        while (fast && fast->superclass) {
            slow = slow->superclass;
            fast = fast->superclass->superclass;
            if (fast && slow == fast) {
                diag_error(api->classes[i].at, "class '%s': superclass chain loops back on itself",
                           api->classes[i].name);
                api->classes[i].superclass = NULL;
                break;
            }
        }
    }
}

int resolve_model(struct api *api)
{
    int before = diag_error_count();
    for (size_t i = 0; i < api->protocol_count; i++) {
        struct protocol_decl *p = &api->protocols[i];
        if (!is_delegate(p))
            for (size_t j = 0; j < p->property_count; j++)
                if (!p->properties[j].skip_reason)
                    resolve_property(api, p->name, &p->properties[j]);
        for (size_t j = 0; j < p->method_count; j++)
            if (!p->methods[j].skip_reason)
                resolve_method(api, p->name, &p->methods[j]);
    }
    for (size_t i = 0; i < api->class_count; i++)
        resolve_class(api, &api->classes[i]);
    cut_cycles(api);
    return diag_error_count() - before;
}
