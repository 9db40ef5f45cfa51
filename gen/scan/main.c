/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - cvzscan: Objective-C framework headers → API XML.
 *
 *   cvzscan [--sdk-version 27.0] [--framework Virtualization] [--out FILE]
 *           [--schema api/cvz-api.rng] [--replacing FILE] HEADER_DIR
 *
 * Reads every *.h in HEADER_DIR (sorted by name, so the output is
 * deterministic) and writes the API description to FILE (a temporary file
 * renamed into place) or to standard output.  With --schema the document is
 * validated before anything is written.  With --replacing (make api: the
 * scan is to replace FILE) the folder must be a complete framework, with its
 * umbrella header, and the scan must keep at least half of FILE's API items
 * (see replace.c); otherwise nothing is written.
 *
 * Exit status: 0 on success (warnings for skipped constructs may have been
 * printed), 1 when the headers have errors (each printed as
 * file:line: error: …; nothing is written), 2 on usage errors.
 */
#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../output.h"
#include "scan.h"

static int usage(void)
{
    fputs("usage: cvzscan [--sdk-version X.Y] [--framework NAME] [--out FILE] [--schema FILE] [--replacing FILE] "
          "HEADER_DIR\n",
          stderr);
    return 2;
}

static bool matches(const char *text, const char *pattern)
{
    regex_t re;
    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
        return false;
    bool ok = regexec(&re, text, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.h file names in dir, sorted bytewise; -1 when the folder can't be read. */
static int list_headers(const char *dir, char ***names_out, size_t *count)
{
    *names_out = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d) {
        diag_error((struct loc){dir, 0}, "cannot open the header folder");
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 2 && e->d_name[0] != '.' && strcmp(e->d_name + len - 2, ".h") == 0) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrdup(e->d_name);
        }
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    *names_out = names;
    *count = n;
    return 0;
}

static void report_schema_error(void *data, xmlErrorPtr err)
{
    if (!err || err->level == XML_ERR_WARNING)
        return;
    const char *name = data;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err->message ? err->message : "invalid");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    int line = err->line;
    if (err->node)
        line = (int)xmlGetLineNo((xmlNodePtr)err->node);
    diag_error((struct loc){name, line}, "the output does not match the schema: %s", msg);
}

/* Validates the document against the RelaxNG schema; 0 when it matches. */
static int validate(const char *xml, const char *schema, const char *out_name)
{
    xmlSetStructuredErrorFunc((void *)out_name, report_schema_error);
    int rc = -1;
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), out_name, NULL, XML_PARSE_NONET);
    xmlRelaxNGParserCtxtPtr pctx = xmlRelaxNGNewParserCtxt(schema);
    xmlRelaxNGPtr rng = pctx ? xmlRelaxNGParse(pctx) : NULL;
    if (!rng) {
        diag_error((struct loc){schema, 0}, "cannot load the schema");
    } else if (doc) {
        xmlRelaxNGValidCtxtPtr vctx = xmlRelaxNGNewValidCtxt(rng);
        xmlRelaxNGSetValidStructuredErrors(vctx, report_schema_error, (void *)out_name);
        rc = xmlRelaxNGValidateDoc(vctx, doc) == 0 ? 0 : -1;
        xmlRelaxNGFreeValidCtxt(vctx);
    }
    if (rng)
        xmlRelaxNGFree(rng);
    if (pctx)
        xmlRelaxNGFreeParserCtxt(pctx);
    xmlFreeDoc(doc);
    xmlSetStructuredErrorFunc(NULL, NULL);
    return rc;
}

int main(int argc, char **argv)
{
    const char *sdk = NULL, *framework = "Virtualization", *out = NULL, *schema = NULL, *dir = NULL;
    const char *replacing = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--sdk-version") == 0 && i + 1 < argc)
            sdk = argv[++i];
        else if (strcmp(argv[i], "--framework") == 0 && i + 1 < argc)
            framework = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--schema") == 0 && i + 1 < argc)
            schema = argv[++i];
        else if (strcmp(argv[i], "--replacing") == 0 && i + 1 < argc)
            replacing = argv[++i];
        else if (argv[i][0] == '-' || dir)
            return usage();
        else
            dir = argv[i];
    }
    if (!dir)
        return usage();
    if (sdk && !matches(sdk, "^[0-9]{1,2}\\.[0-9]{1,2}$")) {
        fprintf(stderr, "cvzscan: error: --sdk-version '%s' is not a version like 27.0\n", sdk);
        return 2;
    }
    if (!matches(framework, "^[A-Za-z_][A-Za-z0-9_]*$")) {
        fprintf(stderr, "cvzscan: error: --framework '%s' is not an identifier\n", framework);
        return 2;
    }

    struct scan scan = {0};
    size_t count = 0;
    char **names;
    if (list_headers(dir, &names, &count) == 0 && count == 0)
        diag_error((struct loc){dir, 0}, "no .h files in the header folder");
    /* Replacing the API from an incomplete framework: reported, nothing scanned. */
    bool complete = !replacing || count == 0 || check_umbrella(dir, framework) == 0;
    char **paths = xcalloc(count, sizeof *paths);
    for (size_t i = 0; i < count && complete; i++) {
        paths[i] = xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
        size_t len = 0;
        char *text = read_file(paths[i], &len);
        if (!text)
            continue;
        if (memchr(text, '\0', len)) {
            diag_error((struct loc){paths[i], 0}, "contains a NUL byte: not a header");
            free(text);
            continue;
        }
        struct token_list tl;
        if (lex_file(paths[i], text, &tl) == 0)
            parse_header(&scan, &tl, names[i]);
        token_list_free(&tl);
        free(text);
    }
    scan.files = names;
    scan.file_count = count;

    int rc = 1;
    struct resolved r = {0};
    if (diag_error_count() == 0 && resolve(&scan, &r) == 0) {
        char buf[16];
        if (!sdk && r.max_version == 0)
            diag_error((struct loc){dir, 0}, "no availability macro anywhere; pass --sdk-version");
        else {
            const char *sdk_text = sdk ? sdk : format_version(r.max_version, buf);
            struct write_options opt = {framework, sdk_text};
            char *xml = write_xml(&scan, &r, &opt);
            LIBXML_TEST_VERSION
            if (schema && validate(xml, schema, out ? out : "<stdout>") != 0) {
                /* reported */
            } else if (replacing && check_replacement(xml, replacing, dir) != 0) {
                /* reported */
            } else if (out) {
                rc = write_outputs(&(struct output){out, xml, strlen(xml)}, 1) == 0 ? 0 : 1;
            } else {
                rc = fputs(xml, stdout) < 0 || fflush(stdout) != 0 ? 1 : 0;
            }
            free(xml);
            xmlCleanupParser();
        }
    }
    resolved_free(&r);
    scan_free(&scan);
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
    return rc;
}
