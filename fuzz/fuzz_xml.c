/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_xml.c - libFuzzer target: the API description loader, the model
 * checks and the emitter of cvzgen, on arbitrary bytes.
 *
 * Each input is written to a file (load_api reads a path, so the generator
 * needs no change for fuzzing), loaded and validated against the real schema
 * (api/cvz-api.rng), checked, and — when it passes the checks — rendered with
 * the real templates.  The rendered files are never written: the output
 * folder does not exist, so emit_all stops at its first write.  Diagnostics
 * go to /dev/null unless FUZZ_VERBOSE is set.
 *
 * Built by fuzz/fuzz.mk with the gen/ sources compiled in (except main.c).
 */
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "generate.h"
#include "model.h"

#ifndef FUZZ_SCHEMA
#define FUZZ_SCHEMA "api/cvz-api.rng"
#endif
#ifndef FUZZ_TEMPLATES
#define FUZZ_TEMPLATES "templates"
#endif

static char input_path[64];
static int input_fd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* libFuzzer keeps its own copy of the original stderr for its reports. */
    if (!getenv("FUZZ_VERBOSE")) {
        FILE *null = fopen("/dev/null", "w");
        if (null)
            stderr = null;
    }
    snprintf(input_path, sizeof input_path, "/tmp/cvz-fuzz-xml-XXXXXX");
    input_fd = mkstemp(input_path);
    if (input_fd < 0) {
        perror("mkstemp");
        abort();
    }
    /* Nothing is left behind: the file lives as long as the descriptor. */
    unlink(input_path);
    snprintf(input_path, sizeof input_path, "/proc/self/fd/%d", input_fd);
    xmlInitParser();
    return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
    if (ftruncate(input_fd, 0) != 0 || pwrite(input_fd, data, size, 0) != (ssize_t)size) {
        perror("writing the fuzz input");
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_input(data, size);
    diag_reset();
    struct api *api = load_api(input_path, FUZZ_SCHEMA);
    if (api)
        generate(api, FUZZ_TEMPLATES, "/nonexistent/cvz-fuzz-out");
    model_free(api);
    diag_reset();
    return 0;
}
