/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit_go_internal.h - what the files of the Go emitter share: emit_go.c
 * (classes, enums, constants, completion handlers, the output),
 * emit_go_function.c (the Go functions of one C function), emit_go_names.c
 * (Go's names and types) and emit_go_protocol.c (protocols and delegates).
 * They place tokens in the contexts of templates/go; the templates hold
 * every line of Go.
 */
#ifndef CVZGEN_EMIT_GO_INTERNAL_H
#define CVZGEN_EMIT_GO_INTERNAL_H

#include <stdbool.h>

#include "capi.h"
#include "emit_go.h"
#include "strmap.h"
#include "template.h"

struct go_emitter {
    const struct capi *capi;
    struct tctx *root;
    struct strmap package_names; /* Go names at package level: types, functions, constants */
    struct strmap *method_names; /* the current class's or protocol's methods */
    char **owned;                /* names the maps point to, freed at the end */
    size_t owned_count;
    size_t wrapped, skipped;
};

/* A C struct passed by value, its Go twin and the conversions of go/cvz/convert.go. */
struct go_struct {
    const char *c, *go, *to_c, *from_c;
};

/* ---- emit_go_names.c ---- */

/* "cpu_count" → "CPUCount", "new_with_kernel_url" → "NewWithKernelURL"; the caller frees. */
char *go_camel(const char *snake);
/* "VZLinuxBootLoader" → "LinuxBootLoader" (a pointer into apple, or a literal). */
const char *go_type_name(const char *apple);
/* A Go parameter name from Apple's ("URL" → "url"), clear of keywords and the wrappers' locals; the caller frees. */
char *go_param(const char *apple);
/* The Go twin of a struct's public C type, or NULL. */
const struct go_struct *go_struct(const char *public_c);
/* The Go type of a value (capi's VALUE): its enum's, its scalar's twin, unsafe.Pointer; NULL when it has none. */
const char *go_value_type(const char *apple_type, const char *public_c);
/* cgo's name of a C type: "C.uint64_t", "C.enum_cvz_foo", "*C.struct_cvz_foo", "unsafe.Pointer"; the caller frees. */
char *cgo_type(const char *c_type);
/* "cvz_error_callback" → "cvzgoErrorCallback"; the caller frees. */
char *go_trampoline(const char *callback_cname);
/* "func(error)", or "func(*Foo, error)" for a handler delivering a VZFoo; the caller frees. */
char *go_handler_type(const char *object_apple_type);

/* ---- emit_go.c ---- */

/* Keeps s (malloc'ed) until the end of the run; returns it. */
const char *keep(struct go_emitter *g, char *s);
/* Lists a C function in not_wrapped_gen_test.go, with the reason. */
void skip_item(struct go_emitter *g, const char *cfunc, const char *reason);
/* Claims a Go name in a scope; a clash is an error naming both C functions. */
bool claim(struct go_emitter *g, struct strmap *scope, const char *name, const char *cfunc, struct loc at);

/* ---- emit_go_function.c ---- */

/*
 * The Go function(s) of a C function, in the list "functions" of owner, or
 * its listing as not wrapped; constructors: how many its class has.
 */
void go_wrap(struct go_emitter *g, struct tctx *owner, const struct capi_function *f, size_t constructors);

/* ---- emit_go_protocol.c ---- */

/* A protocol's Go type, its properties' functions and, for a delegate, its methods. */
void go_protocol(struct go_emitter *g, const struct capi_protocol *p);

#endif
