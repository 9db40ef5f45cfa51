/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replace.c - the checks of `cvzscan --replacing FILE` (what `make api` runs):
 * a scan that is to replace the repository's API description must come from
 * a complete framework, or it would quietly rewrite the API from a handful
 * of headers (it once shrank api/Virtualization.xml to 13 lines).
 *
 *   1. The header folder holds the framework's umbrella header (<Name>.h).
 *   2. The scan keeps at least half of FILE's API items (classes, protocols,
 *      enums and their values, constants, methods, properties).  Apple
 *      deprecates for years before it removes, and has never removed a
 *      large part of an API in one SDK; a scan that loses most of it is a
 *      partial copy or the wrong folder.  A real removal that large is done
 *      by running cvzscan without --replacing, on purpose.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scan.h"

struct keys {
    char **v;
    size_t count;
};

static bool is_item(const xmlChar *element)
{
    static const char *const items[] = {"class", "protocol", "enum", "value", "constant", "method", "property"};
    for (size_t i = 0; i < sizeof items / sizeof *items; i++)
        if (xmlStrcmp(element, (const xmlChar *)items[i]) == 0)
            return true;
    return false;
}

/* One key per API item: its element, kind and name under its parent's key
 * ("class:VZVirtualMachine/method:instance:startWithCompletionHandler:"). */
static void collect(xmlNodePtr node, const char *parent, struct keys *k)
{
    for (xmlNodePtr n = node->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || !is_item(n->name))
            continue;
        xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
        if (!name)
            name = xmlGetProp(n, (const xmlChar *)"selector");
        xmlChar *kind = xmlGetProp(n, (const xmlChar *)"kind");
        char *key = xasprintf("%s%s%s:%s%s%s", parent, *parent ? "/" : "", (const char *)n->name,
                              kind ? (const char *)kind : "", kind ? ":" : "", name ? (const char *)name : "?");
        xmlFree(name);
        xmlFree(kind);
        k->v = xrealloc(k->v, (k->count + 1) * sizeof *k->v);
        k->v[k->count++] = key;
        collect(n, key, k);
    }
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The items of an API document (-1 when it does not parse: reported). */
static int read_keys(const char *xml, size_t len, const char *name, struct keys *k)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, name, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc || !xmlDocGetRootElement(doc)) {
        diag_error((struct loc){name, 0}, "cannot be read as an API description");
        xmlFreeDoc(doc);
        return -1;
    }
    collect(xmlDocGetRootElement(doc), "", k);
    xmlFreeDoc(doc);
    if (k->count)
        qsort(k->v, k->count, sizeof *k->v, by_text);
    return 0;
}

static void keys_free(struct keys *k)
{
    for (size_t i = 0; i < k->count; i++)
        free(k->v[i]);
    free(k->v);
}

int check_umbrella(const char *dir, const char *framework)
{
    char *path = xasprintf("%s%s%s.h", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", framework);
    struct stat st;
    int rc = 0;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        diag_error((struct loc){dir, 0},
                   "not a complete framework: no umbrella header %s.h (point at %s.framework/Headers of an SDK); "
                   "nothing written",
                   framework, framework);
        rc = -1;
    }
    free(path);
    return rc;
}

int check_replacement(const char *xml, const char *previous, const char *dir)
{
    size_t len = 0;
    struct stat st;
    if (stat(previous, &st) != 0)
        return 0; /* nothing to replace yet */
    char *old_xml = read_file(previous, &len);
    if (!old_xml)
        return -1;
    struct keys before = {0}, after = {0};
    int rc = -1;
    if (read_keys(old_xml, len, previous, &before) == 0 && read_keys(xml, strlen(xml), "<scan>", &after) == 0) {
        size_t removed = 0;
        for (size_t i = 0; i < before.count; i++)
            removed += !after.count || !bsearch(&before.v[i], after.v, after.count, sizeof *after.v, by_text);
        if (removed * 2 > before.count)
            diag_error((struct loc){dir, 0},
                       "refusing to replace %s: the scan would remove %zu of its %zu API items (more than half); "
                       "is this the complete framework's Headers folder? nothing written",
                       previous, removed, before.count);
        else
            rc = 0;
    }
    keys_free(&before);
    keys_free(&after);
    free(old_xml);
    return rc;
}
