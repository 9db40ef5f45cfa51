/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capi_build.h - what the files of the C API phase share while they build
 * the model (capi.c builds classes and protocols, capi_function.c one
 * wrapper, capi_callbacks.c delegates and completion callbacks, capi_areas.c
 * the areas).  The
 * phase's result is capi.h; nothing outside the phase includes this.
 */
#ifndef CVZGEN_CAPI_BUILD_H
#define CVZGEN_CAPI_BUILD_H

#include "capi.h"

/* What a wrapper does, for its summary (capi_summary.c). */
/* What a wrapper is made from: a method, a property accessor, or +new. */
struct capi_wrapper {
    const struct class_decl *cls;
    const struct protocol_decl *proto; /* a protocol's property: cls is NULL, the receiver conforms to proto */
    const char *owner_cname; /* cls's or proto's C name, which cfunc continues with "_" and its stem */
    const char *owner_words; /* cls's or proto's name in words ("virtual machine"), for the summary */
    char *cfunc;
    char *api_name;
    const char *selector;
    bool class_receiver;
    bool alloc_init; /* [[cls alloc] init…] */
    bool ret_owned;  /* the result is +1 */
    const struct availability *avail;
    const struct arg *args;
    size_t arg_count;
    const struct arg *ret;
    enum capi_role role;
    struct loc at;
    bool weak;          /* a weak property's setter */
    const char *raises; /* when the method raises (overrides), or NULL */
};

/* Fills f (zeroed) with the wrapper of wr: everything but its place in the tables. */
void capi_build_function(const struct api *api, const struct capi_wrapper *wr, struct capi_function *f);

/* capi_summary.c: the doc comment's first line, "the CPU count of the virtual machine configuration."; caller frees. */
char *capi_summary(const struct capi_wrapper *wr);
/* "VZVirtualMachineConfiguration" → "virtual machine configuration"; caller frees. */
char *capi_words(const char *name);

/* "int " but "cvz_x *": a C type as written before a name; caller frees. */
char *capi_decl_type(const char *type);

/* capi_areas.c: each area's classes (base-first) and protocols. */
void capi_build_areas(const struct api *api, struct capi *capi);
void capi_free_areas(struct capi *capi);

/* capi_sim.c: the simulated framework's skeleton. */
void capi_build_sim(const struct api *api, struct capi *capi);
void capi_free_sim(struct capi *capi);

/* capi_callbacks.c: delegates' methods and completion callbacks. */
void capi_build_delegate_methods(const struct api *api, struct capi_protocol *p);
void capi_build_callbacks(const struct api *api, struct capi *capi);
void capi_free_delegate_methods(struct capi_protocol *p);
void capi_free_callbacks(struct capi *capi);

#endif
