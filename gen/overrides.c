/*
 * overrides.c - curated knowledge the headers don't state, merged into the
 * model: the items cvz does not wrap and why (<skip>), C names for the odd
 * member whose natural name collides (<rename>), what an argument really is
 * (<argument>: a remote URL rather than a file path, a socket of a given
 * kind), when a method raises (<raises>) and the entitlement a class needs
 * (<entitlement>).  The file is never written by the scanner, so a rescan of
 * a new SDK keeps it.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "model.h"
#include "xmlload.h"

static char *attr(const xmlNode *node, const char *name)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
    char *s = v ? xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

/* Does `name` designate this method of `container`? */
static bool names_method(const char *name, const char *container, const struct method *m)
{
    char *full = xasprintf("%c[%s %s]", m->is_class ? '+' : '-', container, m->selector);
    bool same = strcmp(full, name) == 0;
    free(full);
    return same;
}

static bool names_property(const char *name, const char *container, const struct property *p)
{
    char *full = xasprintf("%s.%s", container, p->name);
    bool same = strcmp(full, name) == 0;
    free(full);
    return same;
}

/* Gives the member `name` the C name `cname`; false when no member has that name. */
static bool rename_member(struct api *api, const char *name, const char *cname)
{
    bool found = false;
    for (size_t i = 0; i < api->class_count; i++) {
        struct class_decl *c = &api->classes[i];
        for (size_t j = 0; j < c->method_count; j++)
            if (names_method(name, c->name, &c->methods[j])) {
                free(c->methods[j].cname);
                c->methods[j].cname = xstrdup(cname);
                found = true;
            }
        for (size_t j = 0; j < c->property_count; j++)
            if (names_property(name, c->name, &c->properties[j])) {
                free(c->properties[j].cname);
                c->properties[j].cname = xstrdup(cname);
                found = true;
            }
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
static struct method *find_method(struct api *api, const char *name)
{
    for (size_t i = 0; i < api->class_count; i++) {
        struct class_decl *c = &api->classes[i];
        for (size_t j = 0; j < c->method_count; j++)
            if (names_method(name, c->name, &c->methods[j]))
                return &c->methods[j];
    }
    return NULL;
}

/* <argument name="-[…]" arg="NAME" url="remote" | socket="datagram" reason="…"/> */
static void apply_argument(struct api *api, const xmlNode *n, struct loc at)
{
    char *name = attr(n, "name"), *arg_name = attr(n, "arg"), *url = attr(n, "url"), *socket = attr(n, "socket");
    struct method *m = find_method(api, name);
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
static void apply_raises(struct api *api, const xmlNode *n, struct loc at)
{
    char *name = attr(n, "name");
    struct method *m = find_method(api, name);
    if (m)
        m->raises = keep(api, attr(n, "when"));
    else
        diag_error(at, "<raises name=\"%s\">: no such method in %s (a stale override?)", name, api->file);
    free(name);
}

/* <entitlement name="VZClass" value="com.apple…"/> */
static void apply_entitlement(struct api *api, const xmlNode *n, struct loc at)
{
    char *name = attr(n, "name");
    struct class_decl *c = find_class(api, name);
    if (c)
        c->entitlement = keep(api, attr(n, "value"));
    else
        diag_error(at, "<entitlement name=\"%s\">: no such class in %s (a stale override?)", name, api->file);
    free(name);
}

static void mark(struct api *api, struct skip *sk)
{
    for (size_t i = 0; i < api->class_count; i++) {
        struct class_decl *c = &api->classes[i];
        if (strcmp(c->name, sk->name) == 0) {
            c->skip_reason = sk->reason;
            sk->used = true;
        }
        for (size_t j = 0; j < c->method_count; j++)
            if (names_method(sk->name, c->name, &c->methods[j])) {
                c->methods[j].skip_reason = sk->reason;
                sk->used = true;
            }
        for (size_t j = 0; j < c->property_count; j++)
            if (names_property(sk->name, c->name, &c->properties[j])) {
                c->properties[j].skip_reason = sk->reason;
                sk->used = true;
            }
    }
    for (size_t i = 0; i < api->protocol_count; i++) {
        struct protocol_decl *p = &api->protocols[i];
        for (size_t j = 0; j < p->method_count; j++)
            if (names_method(sk->name, p->name, &p->methods[j])) {
                p->methods[j].skip_reason = sk->reason;
                sk->used = true;
            }
        for (size_t j = 0; j < p->property_count; j++)
            if (names_property(sk->name, p->name, &p->properties[j])) {
                p->properties[j].skip_reason = sk->reason;
                sk->used = true;
            }
    }
}

int apply_overrides(struct api *api, const char *path, const char *schema_path)
{
    int before = diag_error_count();
    xmlDoc *doc = xml_load_validated(path, schema_path);
    if (!doc)
        return diag_error_count() - before;
    for (const xmlNode *n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        struct loc at = {path, (int)xmlGetLineNo(n)};
        const char *element = (const char *)n->name;
        if (strcmp(element, "argument") == 0) {
            apply_argument(api, n, at);
            continue;
        }
        if (strcmp(element, "raises") == 0) {
            apply_raises(api, n, at);
            continue;
        }
        if (strcmp(element, "entitlement") == 0) {
            apply_entitlement(api, n, at);
            continue;
        }
        if (strcmp(element, "rename") == 0) {
            char *name = attr(n, "name"), *cname = attr(n, "cname");
            if (!rename_member(api, name, cname))
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
        for (size_t k = 0; k + 1 < api->skip_count; k++)
            if (strcmp(api->skips[k].name, sk->name) == 0)
                diag_error(sk->at, "'%s' is already skipped at line %d", sk->name, api->skips[k].at.line);
        mark(api, sk);
        if (!sk->used)
            diag_error(sk->at, "<skip name=\"%s\">: no such item in %s (a stale override?)", sk->name, api->file);
    }
    xmlFreeDoc(doc);
    return diag_error_count() - before;
}
