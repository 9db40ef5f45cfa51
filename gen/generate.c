/* SPDX-License-Identifier: Apache-2.0 */
/*
 * generate.c - the phases that follow loading, in the order they run:
 *
 *   resolve_model  bind types, superclasses, owners; cut cycles  (resolve.c)
 *   check_model    the model's meaning, read only                (check.c)
 *   capi_build     the C API: every function computed once       (capi.c)
 *   check_capi     the C names: clashes                          (capi.c)
 *   emit_all       templates rendered, outputs written all or none (emit.c)
 *                  or emit_go: the Go package, from the same C API (emit_go.c)
 *                  or emit_docs: the reference pages (emit_docs.c)
 *
 * Every phase reports all it finds (file:line: error:) before the run stops,
 * and nothing is written after an error.
 */
#include "generate.h"

#include "capi.h"
#include "emit.h"
#include "emit_docs.h"
#include "emit_go.h"

/* A render phase: emit_all (the C files), emit_go (the Go package) or emit_docs (the reference). */
typedef int (*render_fn)(const struct capi *capi, const char *template_dir, const char *out_dir);

/* The phases up to the C names' check, then, when out_dir is not NULL, render. */
static int run(struct api *api, render_fn render, const char *template_dir, const char *out_dir)
{
    int errors = resolve_model(api);
    errors += check_model(api);
    if (errors)
        return -1;
    struct capi *capi = capi_build(api);
    int rc = check_capi(capi) == 0 ? 0 : -1;
    if (rc == 0 && out_dir)
        rc = render(capi, template_dir, out_dir);
    capi_free(capi);
    return rc;
}

int generate(struct api *api, const char *template_dir, const char *out_dir)
{
    return run(api, emit_all, template_dir, out_dir);
}

int generate_docs(struct api *api, const char *docs_template_dir, const char *docs_out_dir)
{
    return run(api, emit_docs, docs_template_dir, docs_out_dir);
}

int generate_go(struct api *api, const char *go_template_dir, const char *go_out_dir)
{
    return run(api, emit_go, go_template_dir, go_out_dir);
}
