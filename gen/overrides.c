/* SPDX-License-Identifier: Apache-2.0 */
/*
 * overrides.c - curated knowledge the headers don't state, merged into the
 * model: the items cvz does not wrap and why (<skip>), C names for the odd
 * member whose natural name collides (<rename>), what an argument really is
 * (<argument>: a remote URL rather than a file path, a socket of a given
 * kind), when a method raises (<raises>), the entitlement a class needs
 * (<entitlement>) and the area each class and protocol belongs to (<area>).  The file is never written by the scanner, so a rescan of
 * a new SDK keeps it.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "model.h"
#include "strmap.h"
#include "xmlload.h"

static char *attr(const xmlNode *node, const char *name)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
    char *s = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

/*
 * Every member an override can name, by its full name ("-[VZClass sel]",
 * "+[VZClass sel]", "VZClass.property", and "VZClass" for a class), built once
 * so that applying each override is a lookup, not a scan of the API.  A name
 * can designate more than one member (a duplicate the checks report later):
 * each entry heads a list.
 */
enum target_kind { T_CLASS, T_METHOD, T_PROPERTY };

struct target {
    enum target_kind kind;
    bool in_class; /* a class's member (not a protocol's) */
    void *what;    /* struct class_decl, method or property */
    struct target *next;
};

struct index {
    struct strmap names; /* full name -> struct target list */
    char **keys;
    struct target *targets;
    size_t count;
};

static void index_add(struct index *ix, char *name, enum target_kind kind, bool in_class, void *what)
{
    ix->keys[ix->count] = name;
    struct target *t = &ix->targets[ix->count++];
    *t = (struct target){kind, in_class, what, NULL};
    struct target *head = strmap_add(&ix->names, name, t);
    if (head != t) {
        while (head->next)
            head = head->next;
        head->next = t;
    }
}

static void index_build(struct index *ix, struct api *api)
{
    size_t n = api->class_count;
    for (size_t i = 0; i < api->class_count; i++)
        n += api->classes[i].method_count + api->classes[i].property_count;
    for (size_t i = 0; i < api->protocol_count; i++)
        n += api->protocols[i].method_count + api->protocols[i].property_count;
    strmap_init(&ix->names);
    ix->keys = xcalloc(n + 1, sizeof *ix->keys);
    ix->targets = xcalloc(n + 1, sizeof *ix->targets);
    ix->count = 0;
    for (size_t i = 0; i < api->class_count; i++) {
        struct class_decl *c = &api->classes[i];
        index_add(ix, xstrdup(c->name), T_CLASS, true, c);
        for (size_t j = 0; j < c->method_count; j++)
            index_add(ix, method_api_name(c->name, &c->methods[j]), T_METHOD, true, &c->methods[j]);
        for (size_t j = 0; j < c->property_count; j++)
            index_add(ix, property_api_name(c->name, &c->properties[j]), T_PROPERTY, true,
                      &c->properties[j]);
    }
    for (size_t i = 0; i < api->protocol_count; i++) {
        struct protocol_decl *p = &api->protocols[i];
        for (size_t j = 0; j < p->method_count; j++)
            index_add(ix, method_api_name(p->name, &p->methods[j]), T_METHOD, false, &p->methods[j]);
        for (size_t j = 0; j < p->property_count; j++)
            index_add(ix, property_api_name(p->name, &p->properties[j]), T_PROPERTY, false,
                      &p->properties[j]);
    }
}

static void index_free(struct index *ix)
{
    strmap_free(&ix->names);
    for (size_t i = 0; i < ix->count; i++)
        free(ix->keys[i]);
    free(ix->keys);
    free(ix->targets);
}

static struct target *targets(const struct index *ix, const char *name)
{
    return strmap_get(&ix->names, name);
}

/* Gives the member `name` the C name `cname`; false when no member has that name. */
static bool rename_member(const struct index *ix, const char *name, const char *cname)
{
    bool found = false;
    for (struct target *t = targets(ix, name); t; t = t->next) {
        if (!t->in_class || t->kind == T_CLASS)
            continue;
        char **slot = t->kind == T_METHOD ? &((struct method *)t->what)->cname
                                          : &((struct property *)t->what)->cname;
        free(*slot);
        *slot = xstrdup(cname);
        found = true;
    }
    return found;
}

/* A text owned by the model from now on. */
static const char *keep(struct api *api, char *text)
{
    api->texts = xrealloc(api->texts, (api->text_count + 1) * sizeof *api->texts);
    api->texts[api->text_count++] = text;
    return text;
}

/* The class method named `name` ("-[VZClass sel]"), or NULL. */
static struct method *find_method(const struct index *ix, const char *name)
{
    for (struct target *t = targets(ix, name); t; t = t->next)
        if (t->in_class && t->kind == T_METHOD)
            return t->what;
    return NULL;
}

/* <argument name="-[…]" arg="NAME" url="remote" | socket="datagram" reason="…"/> */
static void apply_argument(struct api *api, const struct index *ix, const xmlNode *n, struct loc at)
{
    char *name = attr(n, "name"), *arg_name = attr(n, "arg"), *url = attr(n, "url"), *socket = attr(n, "socket");
    struct method *m = find_method(ix, name);
    struct arg *a = NULL;
    for (size_t i = 0; m && i < m->arg_count; i++)
        if (strcmp(m->args[i].name, arg_name) == 0)
            a = &m->args[i];
    if (!m)
        diag_error(at, "<argument name=\"%s\">: no such method in %s (a stale override?)", name, api->file);
    else if (!a)
        diag_error(at, "<argument name=\"%s\" arg=\"%s\">: the method has no argument '%s'", name, arg_name,
                   arg_name);
    else if (url && !strstr(a->type_text, "NSURL"))
        diag_error(at, "<argument arg=\"%s\" url=…>: '%s' is not an NSURL (%s)", arg_name, arg_name, a->type_text);
    else if (socket && !strstr(a->type_text, "NSFileHandle"))
        diag_error(at, "<argument arg=\"%s\" socket=…>: '%s' is not an NSFileHandle (%s)", arg_name, arg_name,
                   a->type_text);
    else {
        a->remote_url = url != NULL;
        a->socket_kind = socket ? keep(api, socket) : NULL;
        socket = NULL;
        a->knowledge = keep(api, attr(n, "reason"));
    }
    free(name);
    free(arg_name);
    free(url);
    free(socket);
}

/* <raises name="-[…]" when="…"/> */
static void apply_raises(struct api *api, const struct index *ix, const xmlNode *n, struct loc at)
{
    char *name = attr(n, "name");
    struct method *m = find_method(ix, name);
    if (m)
        m->raises = keep(api, attr(n, "when"));
    else
        diag_error(at, "<raises name=\"%s\">: no such method in %s (a stale override?)", name, api->file);
    free(name);
}

/* <entitlement name="VZClass" value="com.apple…"/> */
static void apply_entitlement(struct api *api, const struct index *ix, const xmlNode *n, struct loc at)
{
    char *name = attr(n, "name");
    struct class_decl *c = NULL;
    for (struct target *t = targets(ix, name); t && !c; t = t->next)
        if (t->kind == T_CLASS)
            c = t->what;
    if (c)
        c->entitlement = keep(api, attr(n, "value"));
    else
        diag_error(at, "<entitlement name=\"%s\">: no such class in %s (a stale override?)", name, api->file);
    free(name);
}

/* <area name="…" title="…"> <member name="VZClass"/>… </area>: each member's area, given once. */
static void apply_area(struct api *api, const xmlNode *n, struct loc at)
{
    api->areas = xrealloc(api->areas, (api->area_count + 1) * sizeof *api->areas);
    struct area *area = &api->areas[api->area_count++];
    *area = (struct area){{xstrdup(at.file), at.line}, attr(n, "name"), attr(n, "title"), NULL, 0};
    if (strcmp(area->name, "cvz") == 0) /* <cvz/cvz.h> is the umbrella */
        diag_error(at, "<area name=\"cvz\">: the name of the umbrella header <cvz/cvz.h>; choose another");
    if (strcmp(area->name, "index") == 0 || strcmp(area->name, "availability") == 0) /* the reference's own pages */
        diag_error(at, "<area name=\"%s\">: the name of a page of the reference (%s.html); choose another",
                   area->name, area->name);
    for (size_t i = 0; i + 1 < api->area_count; i++)
        if (strcmp(api->areas[i].name, area->name) == 0)
            diag_error(at, "<area name=\"%s\">: already given at line %d", area->name, api->areas[i].at.line);
    for (const xmlNode *m = n->children; m; m = m->next) {
        if (m->type != XML_ELEMENT_NODE)
            continue;
        struct loc mat = {at.file, (int)xmlGetLineNo(m)};
        char *name = attr(m, "name");
        struct class_decl *c = find_class(api, name);
        struct protocol_decl *p = c ? NULL : (struct protocol_decl *)find_protocol(api, name);
        const char **slot = c ? &c->area : p ? &p->area : NULL;
        if (!slot)
            diag_error(mat, "<member name=\"%s\">: no such class or protocol in %s (a stale override?)", name,
                       api->file);
        else if (*slot)
            diag_error(mat, "<member name=\"%s\">: already in area '%s'", name, *slot);
        else {
            *slot = area->name;
            area->members = xrealloc(area->members, (area->member_count + 1) * sizeof *area->members);
            area->members[area->member_count++] = c ? c->name : p->name;
        }
        free(name);
    }
}

static void mark(const struct index *ix, struct skip *sk)
{
    for (struct target *t = targets(ix, sk->name); t; t = t->next) {
        if (t->kind == T_CLASS)
            ((struct class_decl *)t->what)->skip_reason = sk->reason;
        else if (t->kind == T_METHOD)
            ((struct method *)t->what)->skip_reason = sk->reason;
        else
            ((struct property *)t->what)->skip_reason = sk->reason;
        sk->used = true;
    }
}

int apply_overrides(struct api *api, const char *path, const char *schema_path)
{
    int before = diag_error_count();
    xmlDoc *doc = xml_load_validated(path, schema_path);
    if (!doc)
        return diag_error_count() - before;
    struct index ix;
    index_build(&ix, api);
    struct strmap skipped; /* name -> its struct skip's index + 1 */
    strmap_init(&skipped);
    for (const xmlNode *n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        struct loc at = {path, (int)xmlGetLineNo(n)};
        const char *element = (const char *)n->name;
        if (strcmp(element, "argument") == 0) {
            apply_argument(api, &ix, n, at);
            continue;
        }
        if (strcmp(element, "raises") == 0) {
            apply_raises(api, &ix, n, at);
            continue;
        }
        if (strcmp(element, "entitlement") == 0) {
            apply_entitlement(api, &ix, n, at);
            continue;
        }
        if (strcmp(element, "area") == 0) {
            apply_area(api, n, at);
            continue;
        }
        if (strcmp(element, "rename") == 0) {
            char *name = attr(n, "name"), *cname = attr(n, "cname");
            if (!rename_member(&ix, name, cname))
                diag_error(at,
                           "<rename name=\"%s\">: no such method or property in %s (a stale override?)", name,
                           api->file);
            free(name);
            free(cname);
            continue;
        }
        api->skips = xrealloc(api->skips, (api->skip_count + 1) * sizeof *api->skips);
        struct skip *sk = &api->skips[api->skip_count++];
        sk->at = (struct loc){xstrdup(path), (int)xmlGetLineNo(n)};
        sk->name = attr(n, "name");
        sk->reason = attr(n, "reason");
        sk->used = false;
        size_t first = (size_t)strmap_add(&skipped, sk->name, (void *)api->skip_count);
        if (first != api->skip_count)
            diag_error(sk->at, "'%s' is already skipped at line %d", sk->name, api->skips[first - 1].at.line);
        mark(&ix, sk);
        if (!sk->used)
            diag_error(sk->at, "<skip name=\"%s\">: no such item in %s (a stale override?)", sk->name, api->file);
    }
    strmap_free(&skipped);
    index_free(&ix);
    xmlFreeDoc(doc);
    return diag_error_count() - before;
}
