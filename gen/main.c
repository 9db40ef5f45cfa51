/*
 * main.c - cvzgen: API XML → C bindings.
 *
 *   cvzgen [--schema FILE] [--templates DIR] [--out DIR] API.xml
 *   cvzgen --check [--schema FILE] API.xml      (load and check only)
 *
 * Exit status: 0 on success, 1 when the input has errors (each printed as
 * file:line: error: …; nothing is written), 2 on usage errors.
 */
#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "model.h"

static int usage(void)
{
    fputs("usage: cvzgen [--check] [--schema FILE] [--templates DIR] [--out DIR] API.xml\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *schema = "api/cvz-api.rng";
    const char *templates = "templates";
    const char *out = "generated";
    const char *input = NULL;
    int check_only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--check") == 0)
            check_only = 1;
        else if (strcmp(argv[i], "--schema") == 0 && i + 1 < argc)
            schema = argv[++i];
        else if (strcmp(argv[i], "--templates") == 0 && i + 1 < argc)
            templates = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (argv[i][0] == '-' || input)
            return usage();
        else
            input = argv[i];
    }
    if (!input)
        return usage();
    LIBXML_TEST_VERSION
    int rc = 1;
    struct api *api = load_api(input, schema);
    if (api && check_model(api) == 0)
        rc = check_only ? 0 : (emit_all(api, templates, out) == 0 ? 0 : 1);
    model_free(api);
    xmlCleanupParser();
    return rc;
}
