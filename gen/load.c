/* SPDX-License-Identifier: Apache-2.0 */
/*
 * load.c - reads the API XML with libxml2, refuses anything dangerous (DTDs,
 * entities, network access), validates it against the RelaxNG schema and
 * builds the model, keeping every node's line.
 */
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "xmlload.h"

static char *attr(const xmlNode *node, const char *name);
static void explain_attributes(const char *file, const xmlNode *node);

static void report_xml_error(void *data, xmlErrorPtr err)
{
    const char *fallback = data;
    if (!err || err->level == XML_ERR_WARNING)
        return;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err->message ? err->message : "malformed XML");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    const char *file = err->file ? err->file : fallback;
    if (err->domain == XML_FROM_RELAXNGV && err->node) {
        const xmlNode *node = err->node;
        int before = diag_error_count();
        if (strstr(msg, "failed to validate attributes"))
            explain_attributes(file, node);
        if (diag_error_count() == before)
            diag_error((struct loc){file, (int)xmlGetLineNo(node)}, "<%s>: %s", (const char *)node->name, msg);
    } else {
        diag_error((struct loc){file, err->line}, "%s", msg);
    }
}

struct loader {
    const char *file;
    struct api *api;
};

static struct loc loc_of(const struct loader *ld, const xmlNode *node)
{
    return (struct loc){ld->file, (int)xmlGetLineNo(node)};
}

/* Attribute value as a new string, or NULL when absent. */
static char *attr(const xmlNode *node, const char *name)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

static bool attr_true(const xmlNode *node, const char *name)
{
    char *v = attr(node, name);
    bool yes = v && strcmp(v, "true") == 0;
    free(v);
    return yes;
}

static bool is_element(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

static void read_availability(const struct loader *ld, const xmlNode *node, struct availability *a)
{
    char *introduced = attr(node, "introduced");
    char *deprecated = attr(node, "deprecated");
    char *arch = attr(node, "arch");
    a->introduced = parse_version(introduced);
    a->deprecated = deprecated ? parse_version(deprecated) : 0;
    a->replacement = attr(node, "replacement");
    a->arm64_only = arch && strcmp(arch, "arm64") == 0;
    if (a->introduced < 0 || a->deprecated < 0)
        diag_error(loc_of(ld, node), "<%s>: malformed version", (const char *)node->name);
    free(introduced);
    free(deprecated);
    free(arch);
}

static void read_arg(const struct loader *ld, const xmlNode *node, struct arg *out)
{
    out->at = loc_of(ld, node);
    out->name = attr(node, "name");
    out->type_text = attr(node, "type");
    out->nullable = attr_true(node, "nullable");
}

static void read_method(const struct loader *ld, const xmlNode *node, struct method *m)
{
    m->at = loc_of(ld, node);
    m->selector = attr(node, "selector");
    char *kind = attr(node, "kind");
    m->is_class = kind && strcmp(kind, "class") == 0;
    free(kind);
    m->unavailable = attr_true(node, "unavailable");
    m->designated = attr_true(node, "designated");
    m->optional = attr_true(node, "optional");
    m->cname = attr(node, "cname");
    read_availability(ld, node, &m->avail);
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (is_element(c, "return")) {
            read_arg(ld, c, &m->ret);
        } else if (is_element(c, "arg")) {
            m->args = xrealloc(m->args, (m->arg_count + 1) * sizeof *m->args);
            memset(&m->args[m->arg_count], 0, sizeof *m->args);
            read_arg(ld, c, &m->args[m->arg_count++]);
        }
    }
}

static void read_property(const struct loader *ld, const xmlNode *node, struct property *p)
{
    p->at = loc_of(ld, node);
    p->name = attr(node, "name");
    p->type_text = attr(node, "type");
    p->cname = attr(node, "cname");
    p->readonly = attr_true(node, "readonly");
    p->is_class = attr_true(node, "class");
    p->nullable = attr_true(node, "nullable");
    p->memory = attr(node, "memory");
    p->getter = attr(node, "getter");
    if (!p->getter)
        p->getter = xstrdup(p->name);
    if (!p->readonly) {
        p->setter = attr(node, "setter");
        if (!p->setter)
            p->setter = xasprintf("set%c%s:", p->name[0] >= 'a' && p->name[0] <= 'z' ? p->name[0] - 32 : p->name[0],
                                  p->name + 1);
    }
    read_availability(ld, node, &p->avail);
}

static void read_class(const struct loader *ld, const xmlNode *node, struct class_decl *c)
{
    c->at = loc_of(ld, node);
    c->name = attr(node, "name");
    c->superclass_name = attr(node, "superclass");
    c->cname = attr(node, "cname");
    read_availability(ld, node, &c->avail);
    for (const xmlNode *m = node->children; m; m = m->next) {
        if (is_element(m, "method")) {
            c->methods = xrealloc(c->methods, (c->method_count + 1) * sizeof *c->methods);
            memset(&c->methods[c->method_count], 0, sizeof *c->methods);
            read_method(ld, m, &c->methods[c->method_count++]);
        } else if (is_element(m, "property")) {
            c->properties = xrealloc(c->properties, (c->property_count + 1) * sizeof *c->properties);
            memset(&c->properties[c->property_count], 0, sizeof *c->properties);
            read_property(ld, m, &c->properties[c->property_count++]);
        }
    }
}

static void read_protocol(const struct loader *ld, const xmlNode *node, struct protocol_decl *p)
{
    p->at = loc_of(ld, node);
    p->name = attr(node, "name");
    read_availability(ld, node, &p->avail);
    for (const xmlNode *m = node->children; m; m = m->next) {
        if (is_element(m, "method")) {
            p->methods = xrealloc(p->methods, (p->method_count + 1) * sizeof *p->methods);
            memset(&p->methods[p->method_count], 0, sizeof *p->methods);
            read_method(ld, m, &p->methods[p->method_count++]);
        } else if (is_element(m, "property")) {
            p->properties = xrealloc(p->properties, (p->property_count + 1) * sizeof *p->properties);
            memset(&p->properties[p->property_count], 0, sizeof *p->properties);
            read_property(ld, m, &p->properties[p->property_count++]);
        }
    }
}

/* "5", "-1", "0x10" or "1 << 3"; a value that doesn't fit 63 bits is an error at `at`. */
static long long parse_enum_value(struct loc at, const char *text)
{
    long long base, shift;
    if (strchr(text, '<') && sscanf(text, "%lld << %lld", &base, &shift) == 2) {
        if (base < 0 || shift < 0 || shift > 62 || base > (LLONG_MAX >> shift))
            diag_error(at, "enum value '%s' does not fit in 64 bits", text);
        else
            return base << shift;
        return 0;
    }
    errno = 0;
    long long v = strtoll(text, NULL, 0);
    if (errno == ERANGE)
        diag_error(at, "enum value '%s' does not fit in 64 bits", text);
    return v;
}

static void read_enum(const struct loader *ld, const xmlNode *node, struct enum_decl *e)
{
    e->at = loc_of(ld, node);
    e->name = attr(node, "name");
    e->type = attr(node, "type");
    e->error_domain = attr(node, "error-domain");
    e->options = attr_true(node, "options");
    read_availability(ld, node, &e->avail);
    for (const xmlNode *v = node->children; v; v = v->next) {
        if (!is_element(v, "value"))
            continue;
        e->values = xrealloc(e->values, (e->value_count + 1) * sizeof *e->values);
        struct enum_value *ev = &e->values[e->value_count++];
        memset(ev, 0, sizeof *ev);
        ev->at = loc_of(ld, v);
        ev->name = attr(v, "name");
        char *value = attr(v, "value");
        ev->value = parse_enum_value(ev->at, value);
        free(value);
        read_availability(ld, v, &ev->avail);
    }
}

static struct api *build_model(const char *file, const xmlDoc *doc)
{
    const xmlNode *root = xmlDocGetRootElement(doc);
    struct api *api = xcalloc(1, sizeof *api);
    struct loader ld = {file, api};
    api->file = xstrdup(file);
    api->framework = attr(root, "framework");
    char *sdk = attr(root, "sdk");
    api->sdk = parse_version(sdk);
    free(sdk);
    for (const xmlNode *n = root->children; n; n = n->next) {
        if (is_element(n, "constant")) {
            api->constants = xrealloc(api->constants, (api->constant_count + 1) * sizeof *api->constants);
            struct constant *k = &api->constants[api->constant_count++];
            memset(k, 0, sizeof *k);
            k->at = loc_of(&ld, n);
            k->name = attr(n, "name");
            k->type = attr(n, "type");
            read_availability(&ld, n, &k->avail);
        } else if (is_element(n, "enum")) {
            api->enums = xrealloc(api->enums, (api->enum_count + 1) * sizeof *api->enums);
            memset(&api->enums[api->enum_count], 0, sizeof *api->enums);
            read_enum(&ld, n, &api->enums[api->enum_count++]);
        } else if (is_element(n, "class")) {
            api->classes = xrealloc(api->classes, (api->class_count + 1) * sizeof *api->classes);
            memset(&api->classes[api->class_count], 0, sizeof *api->classes);
            read_class(&ld, n, &api->classes[api->class_count++]);
        } else if (is_element(n, "protocol")) {
            api->protocols = xrealloc(api->protocols, (api->protocol_count + 1) * sizeof *api->protocols);
            memset(&api->protocols[api->protocol_count], 0, sizeof *api->protocols);
            read_protocol(&ld, n, &api->protocols[api->protocol_count++]);
        }
    }
    return api;
}

/* The line of <!DOCTYPE (libxml2 keeps no line for the DTD node). */
static int doctype_line(const char *path)
{
    char *text = read_file(path, NULL);
    const char *at = text ? strstr(text, "<!DOCTYPE") : NULL;
    int line = 1;
    for (const char *p = text; at && p < at; p++)
        line += *p == '\n';
    free(text);
    return line;
}

/*
 * libxml2's RelaxNG messages say only that an element's attributes failed;
 * this names the attribute: a required one that is missing, or a version
 * that is malformed.
 */
static void explain_attributes(const char *file, const xmlNode *node)
{
    static const struct {
        const char *element;
        const char *required[4];
    } rules[] = {
        {"class", {"name", "superclass", "introduced"}},
        {"property", {"name", "type", "introduced"}},
        {"method", {"selector", "kind", "introduced"}},
        {"enum", {"name", "type", "introduced"}},
        {"value", {"name", "value", "introduced"}},
        {"constant", {"name", "type", "introduced"}},
        {"arg", {"name", "type"}},
        {"return", {"type"}},
        {"api", {"framework", "sdk"}},
    };
    struct loc at = {file, (int)xmlGetLineNo(node)};
    for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
        if (strcmp((const char *)node->name, rules[i].element) != 0)
            continue;
        for (size_t j = 0; j < 4 && rules[i].required[j]; j++)
            if (!xmlHasProp(node, (const xmlChar *)rules[i].required[j]))
                diag_error(at, "<%s>: missing attribute '%s'", rules[i].element, rules[i].required[j]);
    }
    char *type = attr(node, "type");
    if (type && strlen(type) > 200)
        diag_error(at, "<%s>: type is %zu characters long (at most 200)", (const char *)node->name, strlen(type));
    free(type);
    static const char *const versions[] = {"introduced", "deprecated", "sdk"};
    for (size_t i = 0; i < sizeof versions / sizeof *versions; i++) {
        char *v = attr(node, versions[i]);
        if (v && parse_version(v) < 0)
            diag_error(at, "<%s>: %s=\"%s\" is not a version (MAJOR.MINOR)", (const char *)node->name, versions[i], v);
        free(v);
    }
}

xmlDoc *xml_load_validated(const char *xml_path, const char *schema_path)
{
    xmlSetStructuredErrorFunc((void *)xml_path, report_xml_error);
    /* No entity substitution, no DTD loading, no network: the XML states facts only. */
    int options = XML_PARSE_NONET | XML_PARSE_NOCDATA;
    int errors_before = diag_error_count();
    xmlDoc *doc = xmlReadFile(xml_path, NULL, options);
    xmlRelaxNG *schema = NULL;
    if (!doc) {
        if (diag_error_count() == errors_before)
            diag_error((struct loc){xml_path, 0}, "cannot parse the XML");
        goto fail;
    }
    if (doc->intSubset || doc->extSubset) {
        diag_error((struct loc){xml_path, doctype_line(xml_path)},
                   "DTDs and entity declarations are not allowed in the API description");
        goto fail;
    }
    xmlSetStructuredErrorFunc((void *)schema_path, report_xml_error);
    xmlRelaxNGParserCtxt *pctx = xmlRelaxNGNewParserCtxt(schema_path);
    schema = pctx ? xmlRelaxNGParse(pctx) : NULL;
    xmlRelaxNGFreeParserCtxt(pctx);
    if (!schema) {
        if (diag_error_count() == errors_before)
            diag_error((struct loc){schema_path, 0}, "cannot load the schema");
        goto fail;
    }
    xmlSetStructuredErrorFunc((void *)xml_path, report_xml_error);
    xmlRelaxNGValidCtxt *vctx = xmlRelaxNGNewValidCtxt(schema);
    int invalid = xmlRelaxNGValidateDoc(vctx, doc);
    xmlRelaxNGFreeValidCtxt(vctx);
    xmlRelaxNGFree(schema);
    if (invalid) {
        if (diag_error_count() == errors_before)
            diag_error((struct loc){xml_path, 0}, "does not match the schema %s", schema_path);
        goto fail;
    }
    xmlSetStructuredErrorFunc(NULL, NULL);
    return doc;
fail:
    xmlFreeDoc(doc);
    xmlSetStructuredErrorFunc(NULL, NULL);
    return NULL;
}

struct api *load_api(const char *xml_path, const char *schema_path)
{
    xmlDoc *doc = xml_load_validated(xml_path, schema_path);
    if (!doc)
        return NULL;
    struct api *api = build_model(xml_path, doc);
    xmlFreeDoc(doc);
    if (diag_error_count()) {
        model_free(api);
        return NULL;
    }
    model_index(api);
    return api;
}
