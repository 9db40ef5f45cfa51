/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit_go.h - the Go package (the go/cvz/ files named *_gen.go) from the same checked model:
 * one Go type per class, one method per C wrapper of libcvz, calling that
 * wrapper through cgo.  See go/README.md.
 */
#ifndef CVZGEN_EMIT_GO_H
#define CVZGEN_EMIT_GO_H

#include "model.h"

/*
 * Renders the Go files through the templates in template_dir (templates/go)
 * and writes them (all or nothing) into out_dir.  Returns 0 or -1 after
 * diagnostics.
 */
int emit_go(const struct api *api, const char *template_dir, const char *out_dir);

#endif
