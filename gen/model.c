/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model.c - what every phase asks of the model: its items by name (find_*),
 * API names, and model_free (versions: support/version.h).  The model is built by
 * load.c and overrides.c, bound by resolve.c and read by everything after.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "strmap.h"

/* ---- API names ----------------------------------------------------------- */

char *selector_api_name(const char *container, bool is_class, const char *selector)
{
    return xconcat(is_class ? "+[" : "-[", container, " ", selector, "]", (const char *)NULL);
}

char *method_api_name(const char *container, const struct method *m)
{
    return selector_api_name(container, m->is_class, m->selector);
}

char *property_api_name(const char *container, const struct property *p)
{
    return xconcat(container, ".", p->name, (const char *)NULL);
}

/* ---- lookups ------------------------------------------------------------- */

void model_index(struct api *api)
{
    strmap_init(&api->class_names);
    strmap_init(&api->protocol_names);
    strmap_init(&api->enum_names);
    for (size_t i = 0; i < api->class_count; i++)
        strmap_add(&api->class_names, api->classes[i].name, (void *)(i + 1));
    for (size_t i = 0; i < api->protocol_count; i++)
        strmap_add(&api->protocol_names, api->protocols[i].name, (void *)(i + 1));
    for (size_t i = 0; i < api->enum_count; i++)
        strmap_add(&api->enum_names, api->enums[i].name, (void *)(i + 1));
}

/* The index + 1 of name in one of the model's name maps; 0 when absent (or before model_index). */
static size_t indexed(const struct strmap *names, const char *name)
{
    return (size_t)strmap_get(names, name);
}

struct class_decl *find_class(const struct api *api, const char *name)
{
    size_t i = indexed(&api->class_names, name);
    return i ? &api->classes[i - 1] : NULL;
}

const struct protocol_decl *find_protocol(const struct api *api, const char *name)
{
    size_t i = indexed(&api->protocol_names, name);
    return i ? &api->protocols[i - 1] : NULL;
}

const struct enum_decl *find_enum(const struct api *api, const char *name)
{
    size_t i = indexed(&api->enum_names, name);
    return i ? &api->enums[i - 1] : NULL;
}

/* ---- freeing --------------------------------------------------------------- */

static void free_avail(struct availability *a)
{
    free(a->replacement);
}

static void free_arg(struct arg *a)
{
    free(a->name);
    free(a->type_text);
    type_clear(&a->type);
}

static void free_property(struct property *p)
{
    free(p->name);
    free(p->type_text);
    free(p->getter);
    free(p->setter);
    free(p->cname);
    free(p->memory);
    free_avail(&p->avail);
    type_clear(&p->type);
}

static void free_method(struct method *m)
{
    free(m->selector);
    free(m->cname);
    free_avail(&m->avail);
    free_arg(&m->ret);
    for (size_t k = 0; k < m->arg_count; k++)
        free_arg(&m->args[k]);
    free(m->args);
}

void model_free(struct api *api)
{
    if (!api)
        return;
    for (size_t i = 0; i < api->constant_count; i++) {
        free(api->constants[i].name);
        free(api->constants[i].type);
        free_avail(&api->constants[i].avail);
    }
    for (size_t i = 0; i < api->enum_count; i++) {
        struct enum_decl *e = &api->enums[i];
        for (size_t j = 0; j < e->value_count; j++) {
            free(e->values[j].name);
            free_avail(&e->values[j].avail);
        }
        free(e->values);
        free(e->name);
        free(e->type);
        free(e->error_domain);
        free_avail(&e->avail);
    }
    for (size_t i = 0; i < api->class_count; i++) {
        struct class_decl *c = &api->classes[i];
        for (size_t j = 0; j < c->method_count; j++)
            free_method(&c->methods[j]);
        for (size_t j = 0; j < c->property_count; j++)
            free_property(&c->properties[j]);
        free(c->methods);
        free(c->properties);
        free(c->name);
        free(c->superclass_name);
        free(c->cname);
        free_avail(&c->avail);
    }
    for (size_t i = 0; i < api->protocol_count; i++) {
        struct protocol_decl *p = &api->protocols[i];
        for (size_t j = 0; j < p->method_count; j++)
            free_method(&p->methods[j]);
        free(p->methods);
        for (size_t j = 0; j < p->property_count; j++)
            free_property(&p->properties[j]);
        free(p->properties);
        free(p->name);
        free_avail(&p->avail);
    }
    free(api->protocols);
    for (size_t i = 0; i < api->skip_count; i++) {
        free((char *)api->skips[i].at.file);
        free(api->skips[i].name);
        free(api->skips[i].reason);
    }
    free(api->skips);
    for (size_t i = 0; i < api->area_count; i++) {
        free((char *)api->areas[i].at.file);
        free(api->areas[i].name);
        free(api->areas[i].title);
        free(api->areas[i].members);
    }
    free(api->areas);
    for (size_t i = 0; i < api->text_count; i++)
        free(api->texts[i]);
    free(api->texts);
    free(api->constants);
    free(api->enums);
    free(api->classes);
    free(api->framework);
    free(api->file);
    strmap_free(&api->class_names);
    strmap_free(&api->protocol_names);
    strmap_free(&api->enum_names);
    free(api);
}
