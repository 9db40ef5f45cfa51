/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_scan.c - libFuzzer target: cvzscan, the header scanner (gen/scan/),
 * on arbitrary bytes as one Objective-C header.
 *
 * The pipeline is main.c's for one file: lex_file → parse_header → resolve →
 * write_xml.  Like cvzscan, an input with a NUL byte is refused before
 * lexing.  One property is checked beyond "no crash, no leak, no UB": a
 * document the scanner writes (no error reported) must parse with libxml2
 * and match api/cvz-api.rng — cvzscan writes it as it is without --schema,
 * and cvzgen would then refuse it.  FUZZ_SCAN_SCHEMA=0 keeps only the
 * well-formedness check (faster).
 * Diagnostics go to /dev/null unless FUZZ_VERBOSE is set.
 */
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/scan.h"

#ifndef FUZZ_SCHEMA
#define FUZZ_SCHEMA "api/cvz-api.rng"
#endif

static xmlRelaxNGPtr schema;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet_xml_error(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    (void)err;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!getenv("FUZZ_VERBOSE")) {
        FILE *null = fopen("/dev/null", "w");
        if (null)
            stderr = null;
    }
    xmlInitParser();
    xmlSetStructuredErrorFunc(NULL, quiet_xml_error);
    const char *want_schema = getenv("FUZZ_SCAN_SCHEMA");
    if (!want_schema || strcmp(want_schema, "0") != 0) {
        xmlRelaxNGParserCtxtPtr pctx = xmlRelaxNGNewParserCtxt(FUZZ_SCHEMA);
        schema = pctx ? xmlRelaxNGParse(pctx) : NULL;
        xmlRelaxNGFreeParserCtxt(pctx);
        if (!schema)
            abort();
    }
    return 0;
}

/* The document the scanner wrote must parse (and, when asked, validate). */
static void check_document(const char *xml)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "scan.xml", NULL, XML_PARSE_NONET);
    if (!doc) {
        fprintf(stdout, "fuzz_scan: the scanner wrote malformed XML:\n%s\n", xml);
        fflush(stdout);
        abort();
    }
    if (schema) {
        xmlRelaxNGValidCtxtPtr vctx = xmlRelaxNGNewValidCtxt(schema);
        int invalid = xmlRelaxNGValidateDoc(vctx, doc);
        xmlRelaxNGFreeValidCtxt(vctx);
        if (invalid) {
            fprintf(stdout, "fuzz_scan: the scanner wrote XML that does not match the schema:\n%s\n", xml);
            fflush(stdout);
            abort();
        }
    }
    xmlFreeDoc(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memchr(data, '\0', size))
        return 0; /* cvzscan refuses these before lexing */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    diag_reset();

    struct scan scan = {0};
    struct token_list tl = {0};
    if (lex_file("VZFuzz.h", text, &tl) == 0)
        parse_header(&scan, &tl, "VZFuzz.h");
    token_list_free(&tl);
    free(text);
    scan.files = xcalloc(1, sizeof *scan.files);
    scan.files[0] = xstrdup("VZFuzz.h");
    scan.file_count = 1;

    struct resolved r = {0};
    if (diag_error_count() == 0 && resolve(&scan, &r) == 0) {
        char buf[16];
        struct write_options opt = {"Virtualization", r.max_version ? format_version(r.max_version, buf) : "27.0"};
        char *xml = write_xml(&scan, &r, &opt);
        check_document(xml);
        free(xml);
    }
    resolved_free(&r);
    scan_free(&scan);
    diag_reset();
    return 0;
}
