/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit.h - the render phase: the C API model (capi.h) placed in template
 * contexts, every output rendered into memory, then all written (atomically,
 * output.c) or none.
 */
#ifndef CVZGEN_EMIT_H
#define CVZGEN_EMIT_H

#include <stddef.h>

#include "capi.h"
#include "template.h"

/* The generated files: each rendered from one template. */
struct emit_output {
    const char *template_name; /* templates/NAME.tmpl */
    const char *path;          /* under the output folder */
};
extern const struct emit_output emit_outputs[];
extern const size_t emit_output_count;

/* The root context every output is rendered from; tctx_free() it. */
struct tctx *emit_context(const struct capi *capi);

/*
 * Renders every output into memory first and writes them (atomically) only
 * when all rendered without error.  Returns 0 or -1 after diagnostics.
 */
int emit_all(const struct capi *capi, const char *template_dir, const char *out_dir);

#endif
