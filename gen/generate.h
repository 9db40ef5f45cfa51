/* SPDX-License-Identifier: Apache-2.0 */
/*
 * generate.h - from a loaded model (with its overrides) to the generated files.
 */
#ifndef CVZGEN_GENERATE_H
#define CVZGEN_GENERATE_H

#include "model.h"

/*
 * Resolves and checks the model, computes its C API, checks the C names and,
 * when out_dir is not NULL, renders the templates of template_dir and writes
 * every output under out_dir.  Returns 0, or -1 after diagnostics.
 */
int generate(struct api *api, const char *template_dir, const char *out_dir);

/* The same phases, then the reference pages (gen/emit_docs.c) from docs_template_dir into docs_out_dir. */
int generate_docs(struct api *api, const char *docs_template_dir, const char *docs_out_dir);

/* The same phases up to the C names' check, then the Go package's files
 * (gen/emit_go.c, from the same C API) from go_template_dir into go_out_dir
 * instead of the C ones. */
int generate_go(struct api *api, const char *go_template_dir, const char *go_out_dir);

#endif
