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

/* One generated file: a template rendered in a context. */
struct emit_file {
    const char *template_name; /* templates/NAME.tmpl */
    const struct tctx *ctx;    /* the root, or an area's context for its header */
    char *path;                /* out_dir/… */
};

/* The root context every output is rendered from; tctx_free() it. */
struct tctx *emit_context(const struct capi *capi);
/*
 * Every file cvzgen writes under out_dir, with the template and context it is
 * rendered from: the fixed outputs, then one header per area.  Returns the
 * count; free with emit_files_free().
 */
size_t emit_files(const struct capi *capi, const struct tctx *root, const char *out_dir, struct emit_file **out);
void emit_files_free(struct emit_file *files, size_t count);

/* The most macOS levels emit_api_levels() lists. */
enum { EMIT_MAX_LEVELS = 128 };
/*
 * Every macOS level the API mentions (its wrappers', its enum values') and the
 * SDK's, oldest first, into levels; returns the count.
 */
size_t emit_api_levels(const struct capi *capi, version_t levels[EMIT_MAX_LEVELS]);

/* A set of outputs: its root context (tctx_free() it) and its files (emit_files_free() them). */
typedef struct tctx *emit_context_fn(const struct capi *capi);
typedef size_t emit_files_fn(const struct capi *capi, const struct tctx *root, const char *out_dir,
                             struct emit_file **out);
/*
 * Renders every file of a set (emit_context and emit_files: the C outputs;
 * emit_docs.h: the reference) through the templates of template_dir into
 * memory first, and writes them (atomically) only when all rendered without
 * error.  Returns 0 or -1 after diagnostics.
 */
int emit_outputs(const struct capi *capi, emit_context_fn *context, emit_files_fn *files_of,
                 const char *template_dir, const char *out_dir);

/*
 * Renders every output into memory first and writes them (atomically) only
 * when all rendered without error.  Returns 0 or -1 after diagnostics.
 */
int emit_all(const struct capi *capi, const char *template_dir, const char *out_dir);

#endif
