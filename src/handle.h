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
    id object; /* retained */
};

/* A new handle owning one reference to obj (consumed); NULL when out of memory (obj released). */
struct cvz__handle *cvz__handle_new(id obj);

#endif
