/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit.h - turns the checked model into rendering contexts and renders the
 * generated files (public header, wrappers, symbol map) through templates.
 */
#ifndef CVZGEN_EMIT_H
#define CVZGEN_EMIT_H

#include "model.h"

/*
 * Renders every output into memory first and writes them (atomically) only
 * when all rendered without error.  Returns 0 or -1 after diagnostics.
 */
int emit_all(const struct api *api, const char *template_dir, const char *out_dir);

#endif
