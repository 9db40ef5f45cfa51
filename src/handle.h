/* SPDX-License-Identifier: Apache-2.0 */
/*
 * handle.h - what a cvz handle is: a small block holding one retained object.
 */
#ifndef CVZ_HANDLE_H
#define CVZ_HANDLE_H

#include <stdint.h>

#include "runtime.h"

#define CVZ__HANDLE_LIVE 0x63767a31u /* "cvz1" */
#define CVZ__HANDLE_DEAD 0x64656164u /* "dead" */

struct cvz__handle {
    uint32_t magic;
    id object;   /* retained */
    void *queue; /* the serial queue every call on object is routed onto (a reference), or NULL */
};

/* What is wrong with `handle` ("is NULL", "is a handle that was already
 * released", "is not a cvz handle"), or NULL when it is live. */
const char *cvz__handle_problem(const void *handle);

/* A new handle owning one reference to obj (consumed), its calls routed onto
 * queue (may be NULL; a reference is taken); NULL when out of memory (obj released). */
struct cvz__handle *cvz__handle_new(id obj, void *queue);

#endif
