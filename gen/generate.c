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
 *
 * Every phase reports all it finds (file:line: error:) before the run stops,
 * and nothing is written after an error.
 */
#include "generate.h"

#include "capi.h"
#include "emit.h"
#include "emit_go.h"

/* The checked model's C API, or NULL after diagnostics. */
static struct capi *build_capi(struct api *api)
{
    int errors = resolve_model(api);
    errors += check_model(api);
    if (errors)
        return NULL;
    struct capi *capi = capi_build(api);
    if (check_capi(capi) == 0)
        return capi;
    capi_free(capi);
    return NULL;
}

int generate(struct api *api, const char *template_dir, const char *out_dir)
{
    struct capi *capi = build_capi(api);
    if (!capi)
        return -1;
    int rc = out_dir ? emit_all(capi, template_dir, out_dir) : 0;
    capi_free(capi);
    return rc;
}

int generate_go(struct api *api, const char *go_template_dir, const char *go_out_dir)
{
    struct capi *capi = build_capi(api);
    if (!capi)
        return -1;
    int rc = emit_go(capi, go_template_dir, go_out_dir);
    capi_free(capi);
    return rc;
}
