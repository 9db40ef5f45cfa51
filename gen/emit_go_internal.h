/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit_go_internal.h - what the files of the Go emitter share: emit_go.c
 * (classes, functions, enums, constants, completion handlers, the output),
 * emit_go_names.c (Go's names and types) and emit_go_protocol.c (protocols
 * and delegates).
 */
#ifndef CVZGEN_EMIT_GO_INTERNAL_H
#define CVZGEN_EMIT_GO_INTERNAL_H

#include <stdbool.h>

#include "model.h"
#include "strmap.h"
#include "template.h"

/* One C wrapper about to get its Go function (the fields emit.c's struct wrapper has). */
struct go_item {
    const struct class_decl *cls;      /* NULL for a protocol's property (proto) */
    const struct protocol_decl *proto;
    const char *cfunc;
    const char *api_name;
    const char *verb; /* "reads", "sets", "calls", "creates an instance with" */
    bool class_receiver;
    bool alloc_init;
    const struct availability *avail;
    const struct arg *args;
    size_t arg_count;
    const struct arg *ret;
    const char *raises;
};

struct go_emitter {
    const struct api *api;
    struct tctx *root;
    struct strmap package_names; /* Go names at package level: types, functions, constants */
    struct strmap *method_names; /* the current class's methods */
    char **owned;                /* names the maps point to, freed at the end */
    size_t owned_count;
    size_t wrapped, skipped;
};

/* A scalar's public C type, its Go type and its cgo conversion: "uint64_t", "uint64", "C.uint64_t". */
struct go_scalar {
    const char *c, *go, *cgo;
};

/* A C struct passed by value, its Go twin and the conversions of go/cvz/convert.go. */
struct go_struct {
    const char *c, *go, *to_c, *from_c;
};

/* ---- emit_go_names.c ---- */

/* "cpu_count" → "CPUCount", "new_with_kernel_url" → "NewWithKernelURL"; the caller frees. */
char *go_camel(const char *snake);
/* "VZLinuxBootLoader" → "LinuxBootLoader" (a pointer into apple). */
const char *go_type_name(const char *apple);
/* A Go parameter name from Apple's ("URL" → "url"), clear of keywords and the wrappers' locals; the caller frees. */
char *go_param(const char *apple);
/* The Go twin of a scalar or struct public C type, or NULL. */
const struct go_scalar *go_scalar(const char *public_c);
const struct go_struct *go_struct(const char *public_c);
/* The cgo type of a handle of t's class or protocol: "cvz_boot_loader", "struct_cvz_usb_device"; the caller frees. */
char *handle_ctype(const struct go_emitter *g, const struct type *t);

/* ---- emit_go.c ---- */

/* Keeps s (malloc'ed) until the end of the run; returns it. */
const char *keep(struct go_emitter *g, char *s);
/* Lists a C function in not_wrapped_gen_test.go, with the reason. */
void skip_item(struct go_emitter *g, const char *cfunc, const char *reason);
/* Claims a Go name in a scope; a clash is an error naming both C functions. */
bool claim(struct go_emitter *g, struct strmap *scope, const char *name, const char *cfunc, struct loc at);
/* The Go function(s) of a C wrapper, in the list "functions" of cc, or its listing as not wrapped. */
void go_wrap(struct go_emitter *g, struct tctx *cc, const struct go_item *it, const char *stem, struct loc at,
             size_t constructors);

/* ---- emit_go_protocol.c ---- */

/* A protocol's Go type, its properties' functions and, for a delegate, its methods. */
void go_protocol(struct go_emitter *g, const struct protocol_decl *p);

#endif
