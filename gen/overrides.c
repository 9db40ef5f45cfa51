/*
 * overrides.c - curated knowledge the headers don't state, merged into the
 * model: the items cvz does not wrap and why (<skip>), and C names for the odd
 * member whose natural name collides (<rename>).  The file is never written
 * by the scanner, so a rescan of a new SDK keeps it.
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
        if (strcmp((const char *)n->name, "rename") == 0) {
            char *name = attr(n, "name"), *cname = attr(n, "cname");
            if (!rename_member(api, name, cname))
                diag_error((struct loc){path, (int)xmlGetLineNo(n)},
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
