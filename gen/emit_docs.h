/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit_docs.h - the reference pages from the same C API model: an index, one
 * page per area (each function's prototype, API name, macOS level,
 * architectures, failures; delegates; upcasts), an availability matrix
 * (every class and member × macOS level × architecture) and their style
 * sheet.  The contexts hold HTML-escaped text (html.h); templates/docs/ holds
 * all the HTML.
 */
#ifndef CVZGEN_EMIT_DOCS_H
#define CVZGEN_EMIT_DOCS_H

#include <stddef.h>

#include "capi.h"
#include "emit.h"
#include "template.h"

/* The root context the pages are rendered from; tctx_free() it. */
struct tctx *emit_docs_context(const struct capi *capi);
/*
 * Every page written under out_dir, with its template and context: index.html,
 * availability.html, style.css, then AREA.html per area.  Returns the count;
 * free with emit_files_free().
 */
size_t emit_docs_files(const struct capi *capi, const struct tctx *root, const char *out_dir,
                       struct emit_file **out);
/* Renders the pages (templates of template_dir) and writes them all or none; 0 or -1 after diagnostics. */
int emit_docs(const struct capi *capi, const char *template_dir, const char *out_dir);

/* ---- shared by emit_docs.c and emit_docs_matrix.c ---- */

/* The page of an area (a class's area is NULL when the API is one area): "storage.html"; caller frees. */
char *docs_page(const struct capi *capi, const char *area);
/* Calls fn with the API name and the reason of each member of a class or protocol that is not wrapped. */
typedef void (*docs_skipped_fn)(const char *api_name, const char *reason, void *data);
void docs_each_skipped(const char *container, const struct method *methods, size_t method_count,
                       const struct property *properties, size_t property_count, docs_skipped_fn fn, void *data);
/* emit_docs_matrix.c: binds "matrix" in root, a list of one item: the availability page's own context. */
void emit_docs_matrix(const struct capi *capi, struct tctx *root);

#endif
