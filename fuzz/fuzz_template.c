/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_template.c - libFuzzer target: cvzgen's template engine (gen/template.c).
 *
 * The input is the body of a template, `fuzz.tmpl`, in a private folder that
 * also holds a fixed partial (`part.tmpl`), so partials — including the input
 * including itself — are reached.  It is parsed and rendered with a fixed
 * context that has every kind of value: text (empty or not), flags, empty and
 * non-empty lists, nested lists whose items fall back to their parents.
 * Diagnostics go to /dev/null unless FUZZ_VERBOSE is set.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "template.h"

static char dir[64];
static char body_path[96];
static struct tctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void cleanup(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/part.tmpl", dir);
    unlink(path);
    unlink(body_path);
    rmdir(dir);
}

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

static struct tctx *make_context(void)
{
    struct tctx *root = tctx_new();
    tctx_set(root, "title", "Title");
    tctx_set(root, "empty_text", "");
    tctx_set(root, "name", "root");
    tctx_flag(root, "yes", true);
    tctx_flag(root, "no", false);
    tctx_list(root, "none");
    for (int i = 0; i < 3; i++) {
        struct tctx *item = tctx_add(root, "items");
        tctx_setf(item, "name", "item%d", i);
        tctx_flag(item, "more", i < 2);
        for (int j = 0; j < 2; j++) {
            struct tctx *sub = tctx_add(item, "subs");
            tctx_setf(sub, "value", "%d.%d", i, j);
        }
        if (i == 1)
            tctx_list(item, "subs_empty");
    }
    return root;
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
    snprintf(dir, sizeof dir, "/tmp/cvz-fuzz-template-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    snprintf(body_path, sizeof body_path, "%s/fuzz.tmpl", dir);
    char path[128];
    snprintf(path, sizeof path, "%s/part.tmpl", dir);
    static const char part[] = "[{{name}}{{#more}},{{/more}}]\n";
    write_file(path, part, sizeof part - 1);
    atexit(cleanup);
    ctx = make_context();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_file(body_path, data, size);
    diag_reset();
    struct template_set *set = template_set_new(dir);
    struct strbuf out;
    sb_init(&out);
    template_render(set, "fuzz", ctx, &out);
    sb_free(&out);
    template_set_free(set);
    diag_reset();
    return 0;
}
