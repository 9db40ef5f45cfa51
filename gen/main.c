/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - cvzgen: API XML → C bindings.
 *
 *   cvzgen [--schema FILE] [--overrides FILE] [--templates DIR] [--out DIR] API.xml
 *   cvzgen --check [--schema FILE] [--overrides FILE] API.xml   (load and check only)
 *   cvzgen --diff [--schema FILE] OLD.xml NEW.xml   (what an SDK added, deprecated or removed)
 *   cvzgen --go-out DIR [--go-templates DIR] [--schema FILE] [--overrides FILE] API.xml
 *          (the Go package's generated files instead of the C ones: gen/emit_go.c)
 *   cvzgen --docs-out DIR [--docs-templates DIR] [--schema FILE] [--overrides FILE] API.xml
 *          (the HTML reference instead: gen/emit_docs.c)
 *
 * The phases, in the order they run, each in files of its own:
 *
 *   load       libxml2 + RelaxNG → the model, file:line on every node   (load.c)
 *   overrides  curated knowledge the headers don't state, merged        (overrides.c)
 *   resolve    types, superclasses, owners bound; cycles cut            (resolve.c)
 *   check      the model's meaning, read only                           (check.c)
 *   C API      every C function, parameter, result, release function,
 *              blocking variant, callback, doc line, area and simulator
 *              stub, computed once; its names checked for clashes
 *                        (capi.c, capi_function.c, capi_callbacks.c,
 *                         capi_summary.c, capi_areas.c, capi_sim.c)
 *   render     template contexts, header line breaks, outputs written
 *              all or none, stale area headers removed
 *                                                   (emit.c, layout.c, output.c)
 *
 * model.c answers every phase's lookups (find_*, versions, API names) and
 * naming.c makes every C identifier; generate.c runs the phases after the
 * overrides.  The overrides file (api/overrides.xml, schema
 * api/cvz-overrides.rng) holds what the headers don't state, such as the
 * items not wrapped and why.
 *
 * Exit status: 0 on success, 1 when the input has errors (each printed as
 * file:line: error: …; nothing is written), 2 on usage errors.
 */
#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

#include "diff.h"
#include "generate.h"
#include "model.h"

/* The overrides schema sits next to the API schema. */
static const char *overrides_schema(const char *api_schema)
{
    static char path[4096];
    const char *slash = strrchr(api_schema, '/');
    snprintf(path, sizeof path, "%.*scvz-overrides.rng", slash ? (int)(slash - api_schema + 1) : 0, api_schema);
    return path;
}

static int run_diff(const char *before_path, const char *after_path, const char *schema)
{
    struct api *before = load_api(before_path, schema);
    struct api *after = before ? load_api(after_path, schema) : NULL;
    int rc = 1;
    if (after) {
        struct strbuf report;
        sb_init(&report);
        diff_apis(before, after, &report);
        fputs(report.data, stdout);
        sb_free(&report);
        rc = 0;
    }
    model_free(before);
    model_free(after);
    xmlCleanupParser();
    return rc;
}

static int usage(void)
{
    fputs("usage: cvzgen [--check] [--schema FILE] [--overrides FILE] [--templates DIR] [--out DIR] API.xml\n"
          "       cvzgen --diff [--schema FILE] OLD.xml NEW.xml\n"
          "       cvzgen --go-out DIR [--go-templates DIR] [--schema FILE] [--overrides FILE] API.xml\n"
          "       cvzgen --docs-out DIR [--docs-templates DIR] [--schema FILE] [--overrides FILE] API.xml\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *schema = "api/cvz-api.rng";
    const char *templates = "templates";
    const char *out = "generated";
    const char *input = NULL;
    const char *second = NULL; /* --diff NEW.xml */
    const char *overrides = NULL;
    const char *go_out = NULL, *go_templates = "templates/go";
    const char *docs_out = NULL, *docs_templates = "templates/docs";
    int diff = 0;
    int check_only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--check") == 0)
            check_only = 1;
        else if (strcmp(argv[i], "--diff") == 0)
            diff = 1;
        else if (strcmp(argv[i], "--schema") == 0 && i + 1 < argc)
            schema = argv[++i];
        else if (strcmp(argv[i], "--overrides") == 0 && i + 1 < argc)
            overrides = argv[++i];
        else if (strcmp(argv[i], "--templates") == 0 && i + 1 < argc)
            templates = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--go-out") == 0 && i + 1 < argc)
            go_out = argv[++i];
        else if (strcmp(argv[i], "--go-templates") == 0 && i + 1 < argc)
            go_templates = argv[++i];
        else if (strcmp(argv[i], "--docs-out") == 0 && i + 1 < argc)
            docs_out = argv[++i];
        else if (strcmp(argv[i], "--docs-templates") == 0 && i + 1 < argc)
            docs_templates = argv[++i];
        else if (argv[i][0] == '-' || (input && (!diff || second)))
            return usage();
        else if (input)
            second = argv[i];
        else
            input = argv[i];
    }
    if (!input || (diff && !second))
        return usage();
    if (diff)
        return run_diff(input, second, schema);
    LIBXML_TEST_VERSION
    int rc = 1;
    struct api *api = load_api(input, schema);
    if (api && overrides && apply_overrides(api, overrides, overrides_schema(schema)) != 0) {
        model_free(api);
        api = NULL;
    }
    if (api && docs_out)
        rc = generate_docs(api, docs_templates, docs_out) == 0 ? 0 : 1;
    else if (api && (go_out ? generate_go(api, go_templates, go_out) : generate(api, templates, check_only ? NULL : out)) == 0)
        rc = 0;
    model_free(api);
    xmlCleanupParser();
    return rc;
}
