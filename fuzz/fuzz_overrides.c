/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_overrides.c - libFuzzer target: the overrides file of cvzgen
 * (gen/overrides.c, validated against api/cvz-overrides.rng) on arbitrary
 * bytes, applied to a fixed API (tests/gen/mini.xml), which is then checked
 * and rendered like cvzgen does (the rendered files are never written).
 * Diagnostics go to /dev/null unless FUZZ_VERBOSE is set.
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
#ifndef FUZZ_OVERRIDES_SCHEMA
#define FUZZ_OVERRIDES_SCHEMA "api/cvz-overrides.rng"
#endif
#ifndef FUZZ_API
#define FUZZ_API "tests/gen/mini.xml"
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
    if (!getenv("FUZZ_VERBOSE")) {
        FILE *null = fopen("/dev/null", "w");
        if (null)
            stderr = null;
    }
    snprintf(input_path, sizeof input_path, "/tmp/cvz-fuzz-overrides-XXXXXX");
    input_fd = mkstemp(input_path);
    if (input_fd < 0) {
        perror("mkstemp");
        abort();
    }
    unlink(input_path);
    snprintf(input_path, sizeof input_path, "/proc/self/fd/%d", input_fd);
    xmlInitParser();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(input_fd, 0) != 0 || pwrite(input_fd, data, size, 0) != (ssize_t)size)
        abort();
    diag_reset();
    struct api *api = load_api(FUZZ_API, FUZZ_SCHEMA);
    if (!api)
        abort(); /* the fixed API is valid: only the overrides vary */
    if (apply_overrides(api, input_path, FUZZ_OVERRIDES_SCHEMA) == 0)
        generate(api, FUZZ_TEMPLATES, "/nonexistent/cvz-fuzz-out");
    model_free(api);
    diag_reset();
    return 0;
}
