/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit_go.h - the Go package (the go/cvz/ files named *_gen*.go) from the
 * C API model (capi.h): one Go type per class, one function per C function
 * of libcvz, calling it through cgo.  The emitter places tokens (names,
 * types, kinds) in contexts; templates/go holds the Go.  See go/README.md.
 */
#ifndef CVZGEN_EMIT_GO_H
#define CVZGEN_EMIT_GO_H

#include <stddef.h>

#include "capi.h"
#include "template.h"

/* How a Go function passes an argument to C (templates/go/argument.tmpl switches on go_conv). */
enum go_conv {
    GO_CONV_VALUE,   /* a value, converted by to_c */
    GO_CONV_TEXT,    /* a string → C text, freed after the call */
    GO_CONV_BYTES,   /* []byte → bytes + length */
    GO_CONV_FILE,    /* *os.File → its descriptor, kept alive over the call */
    GO_CONV_HANDLE,  /* an object, locked over the call */
    GO_CONV_HANDLES, /* a slice or (keyed) a map of objects, locked over the call */
    GO_CONV_ANSWER,  /* a C bool the call fills: the Go function's result */
    GO_CONV_DONE,    /* the completion handler: a trampoline and the func's cgo.Handle */
    GO_CONV_NONE,    /* nothing of the Go function: the NSError **, the initializer's queue (no name) */
};
const char *go_conv_name(enum go_conv conv);

/* The generated files: each rendered from one template. */
struct emit_go_output {
    const char *template_name; /* templates/go/NAME.tmpl */
    const char *file;          /* in the output folder */
};
extern const struct emit_go_output emit_go_outputs[];
extern const size_t emit_go_output_count;

/* The root context the Go files are rendered from (Go names that clash are errors); tctx_free() it. */
struct tctx *emit_go_context(const struct capi *capi);

/*
 * Renders the Go files through the templates in template_dir (templates/go)
 * and writes them (all or nothing) into out_dir.  Returns 0 or -1 after
 * diagnostics.
 */
int emit_go(const struct capi *capi, const char *template_dir, const char *out_dir);

#endif
