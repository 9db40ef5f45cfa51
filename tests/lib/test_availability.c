/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_availability.c - every API item's run-time availability answer, at the
 * simulated host this process runs on, against what the XML says.
 *
 * The expectation is computed here from api/Virtualization.xml alone (an item
 * is available when the host's version is at least the item's and its class's
 * `introduced`, and the host is arm64 for arm64-only items), independently of
 * the generator.  The Makefile runs it at every macOS level of the API and on
 * both architectures.  CVZ_TEST_CUTOFF=NNNN runs it against a library built
 * with that API cut-off, where newer items must answer CVZ_E_NOT_BUILT_IN.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cvz/cvz.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int version_of(const xmlNode *node, const char *attr)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)attr);
    int major = 0, minor = 0;
    if (v)
        sscanf((const char *)v, "%d.%d", &major, &minor);
    xmlFree(v);
    return major * 100 + minor;
}

static bool has_true(const xmlNode *node, const char *attr)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)attr);
    bool yes = v && strcmp((const char *)v, "true") == 0;
    xmlFree(v);
    return yes;
}

static bool is_arm64_only(const xmlNode *node)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)"arch");
    bool yes = v && strcmp((const char *)v, "arm64") == 0;
    xmlFree(v);
    return yes;
}

static int checked;
static char **skipped_names;
static size_t skipped_count;

/* Items api/overrides.xml keeps out of the C API: the library doesn't answer for them. */
static void read_skips(void)
{
    const char *path = getenv("CVZ_API_OVERRIDES") ? getenv("CVZ_API_OVERRIDES") : "api/overrides.xml";
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    for (const xmlNode *n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "skip") != 0)
            continue;
        xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
        skipped_names = realloc(skipped_names, (skipped_count + 1) * sizeof *skipped_names);
        skipped_names[skipped_count++] = strdup((const char *)name);
        xmlFree(name);
    }
    xmlFreeDoc(doc);
}

static bool is_skipped(const char *name)
{
    for (size_t i = 0; i < skipped_count; i++)
        if (strcmp(skipped_names[i], name) == 0)
            return true;
    return false;
}
static char **xml_names;
static size_t xml_name_count;

static void remember(const char *name)
{
    xml_names = realloc(xml_names, (xml_name_count + 1) * sizeof *xml_names);
    assert_non_null(xml_names);
    xml_names[xml_name_count++] = strdup(name);
}

static bool in_xml(const char *name)
{
    for (size_t i = 0; i < xml_name_count; i++)
        if (strcmp(xml_names[i], name) == 0)
            return true;
    return false;
}

/* Compares the library's answer for `name` with the expectation. */
static void check_item(const char *name, int introduced, bool arm64_only)
{
    if (is_skipped(name))
        return;
    int host = cvz_host_macos_version();
    bool arm64 = strcmp(cvz_host_arch(), "arm64") == 0;
    const char *cutoff_env = getenv("CVZ_TEST_CUTOFF");
    int cutoff = cutoff_env ? atoi(cutoff_env) : 9999;
    cvz_status want = CVZ_OK;
    if (introduced > cutoff)
        want = CVZ_E_NOT_BUILT_IN;
    else if (host < introduced)
        want = CVZ_E_OS_TOO_OLD;
    else if (arm64_only && !arm64)
        want = CVZ_E_WRONG_ARCH;

    cvz_error *why = NULL;
    bool available = cvz_api_available(name, &why);
    cvz_status got = available ? CVZ_OK : cvz_error_status(why);
    if (got != want || available != (want == CVZ_OK))
        fail_msg("%s (introduced %d.%d%s) on macOS %d.%d %s: got %s (%s), want %s", name, introduced / 100,
                 introduced % 100, arm64_only ? ", arm64" : "", host / 100, host % 100, cvz_host_arch(),
                 cvz_status_name(got), why ? cvz_error_message(why) : "available", cvz_status_name(want));
    if (want == CVZ_E_OS_TOO_OLD) {
        char text[64];
        snprintf(text, sizeof text, "requires macOS %d.%d; this host runs", introduced / 100, introduced % 100);
        assert_non_null(strstr(cvz_error_message(why), text));
    }
    cvz_error_free(why);
    remember(name);
    checked++;
}

/* The properties of a protocol the framework implements (id<VZUSBDevice>.uuid) are items too;
 * a delegate protocol's methods are callbacks, not items. */
static void check_protocol_properties(const xmlNode *proto)
{
    xmlChar *name = xmlGetProp(proto, (const xmlChar *)"name");
    int proto_version = version_of(proto, "introduced");
    for (const xmlNode *m = proto->children; m; m = m->next) {
        if (m->type != XML_ELEMENT_NODE || strcmp((const char *)m->name, "property") != 0)
            continue;
        xmlChar *p = xmlGetProp(m, (const xmlChar *)"name");
        char item[256];
        snprintf(item, sizeof item, "%s.%s", (const char *)name, (const char *)p);
        int v = version_of(m, "introduced");
        check_item(item, v > proto_version ? v : proto_version, is_arm64_only(proto) || is_arm64_only(m));
        xmlFree(p);
    }
    xmlFree(name);
}

static void test_every_item_matches_the_xml(void **state)
{
    (void)state;
    const char *path = getenv("CVZ_API_XML") ? getenv("CVZ_API_XML") : "api/Virtualization.xml";
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    read_skips();
    for (const xmlNode *c = xmlDocGetRootElement(doc)->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "protocol") == 0) {
            check_protocol_properties(c);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "class") != 0)
            continue;
        xmlChar *cls = xmlGetProp(c, (const xmlChar *)"name");
        int cls_version = version_of(c, "introduced");
        bool cls_arm64 = is_arm64_only(c);
        check_item((const char *)cls, cls_version, cls_arm64);
        if (is_skipped((const char *)cls)) {
            /* Still queryable by name, but neither it nor its members are wrapped. */
            remember((const char *)cls);
            xmlFree(cls);
            continue;
        }
        for (const xmlNode *m = c->children; m; m = m->next) {
            if (m->type != XML_ELEMENT_NODE || has_true(m, "unavailable"))
                continue;
            int v = version_of(m, "introduced");
            if (v < cls_version)
                v = cls_version;
            char name[256];
            if (strcmp((const char *)m->name, "property") == 0) {
                xmlChar *p = xmlGetProp(m, (const xmlChar *)"name");
                snprintf(name, sizeof name, "%s.%s", (const char *)cls, (const char *)p);
                xmlFree(p);
            } else {
                xmlChar *sel = xmlGetProp(m, (const xmlChar *)"selector");
                xmlChar *kind = xmlGetProp(m, (const xmlChar *)"kind");
                bool is_class = kind && strcmp((const char *)kind, "class") == 0;
                snprintf(name, sizeof name, "%c[%s %s]", is_class ? '+' : '-', (const char *)cls, (const char *)sel);
                xmlFree(kind);
                xmlFree(sel);
            }
            check_item(name, v, cls_arm64 || is_arm64_only(m));
        }
        xmlFree(cls);
    }
    xmlFreeDoc(doc);
    /* The library knows every XML item, and nothing else but the inherited -init of creatable classes. */
    size_t known = 0;
    for (size_t i = 0; i < cvz_api_count(); i++) {
        const char *n = cvz_api_name(i);
        size_t len = strlen(n);
        if (in_xml(n))
            known++;
        else if (len <= 6 || strcmp(n + len - 6, " init]") != 0)
            fail_msg("the library knows %s, which the XML does not declare", n);
    }
    assert_int_equal(known, xml_name_count);
    print_message("checked %d API items on macOS %d.%d %s\n", checked, cvz_host_macos_version() / 100,
                  cvz_host_macos_version() % 100, cvz_host_arch());
}

static void test_queries(void **state)
{
    (void)state;
    cvz_error *why = NULL;
    assert_false(cvz_api_available("VZNoSuchClass", &why));
    assert_int_equal(cvz_error_status(why), CVZ_E_INVALID_ARGUMENT);
    assert_non_null(strstr(cvz_error_message(why), "'VZNoSuchClass' is not an API this libcvz knows"));
    cvz_error_free(why);
    why = NULL;
    assert_false(cvz_api_available(NULL, &why));
    assert_int_equal(cvz_error_status(why), CVZ_E_INVALID_ARGUMENT);
    cvz_error_free(why);
    /* Constants, API names and C names answer alike. */
    assert_int_equal(cvz_api_available(CVZ_API_VIRTUAL_MACHINE_STOP, NULL),
                     cvz_api_available("cvz_virtual_machine_stop", NULL));
    assert_int_equal(cvz_api_introduced(CVZ_API_VIRTUAL_MACHINE_STOP), 1200);
    assert_int_equal(cvz_api_introduced(CVZ_CLASS_VIRTUAL_MACHINE), 1100);
    assert_int_equal(cvz_api_introduced("VZVirtualMachine.canStop"), 1200);
    assert_int_equal(cvz_api_introduced("nonsense"), 0);
    assert_null(cvz_api_name(cvz_api_count()));
    /* The name table finds every listed name, and whole names only ('#' is in none). */
    for (size_t i = 0; i < cvz_api_count(); i++) {
        const char *n = cvz_api_name(i);
        char longer[300];
        if (cvz_api_introduced(n) == 0)
            fail_msg("%s is listed but not found", n);
        snprintf(longer, sizeof longer, "%s#", n);
        assert_int_equal(cvz_api_introduced(longer), 0);
        assert_false(cvz_api_available(longer, NULL));
    }
    assert_null(cvz_check_version(CVZ_VERSION_MAJOR, CVZ_VERSION_MINOR, CVZ_VERSION_MICRO));
    assert_non_null(cvz_check_version(CVZ_VERSION_MAJOR + 1, 0, 0));
    assert_non_null(cvz_check_version(CVZ_VERSION_MAJOR, CVZ_VERSION_MINOR + 1, 0));
    assert_int_equal(cvz_version_number(), CVZ_VERSION_NUMBER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_item_matches_the_xml),
        cmocka_unit_test(test_queries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
