/* SPDX-License-Identifier: Apache-2.0 */
/*
 * build_internal.h - shared by build.c and the builders of each area
 * (build_boot.c, build_storage.c, build_net.c, build_devices.c).
 */
#ifndef CVZ_TOOL_BUILD_INTERNAL_H
#define CVZ_TOOL_BUILD_INTERNAL_H

#include "build.h"

/* Device configurations of one kind, in command-line order. */
struct handle_list {
    void **items;
    size_t count;
};

enum build_list {
    LIST_STORAGE,
    LIST_NETWORK,
    LIST_ENTROPY,
    LIST_SERIAL,
    LIST_SHARING,
    LIST_SOCKET,
    LIST_BALLOON,
    LIST_CONSOLE,
    LIST_KEYBOARD,
    LIST_POINTING,
    LIST_GRAPHICS,
    LIST_COUNT
};

struct build_ctx {
    const struct vmconfig *vm;
    struct built_vm *b;
    char **err;
    const char *what; /* the part being built, for messages */
    struct handle_list lists[LIST_COUNT];
};

/* Keeps `handle` for cvz_release() at build_free(); returns it (NULL stays NULL). */
void *build_keep(struct build_ctx *c, void *handle);
/* Keeps a descriptor cvz opened, closed at build_free(). */
void build_keep_fd(struct build_ctx *c, int fd);
/* Adds a device configuration (already kept) to a list. */
void build_add(struct build_ctx *c, enum build_list list, void *device);
/* Fails with "<what>: <libcvz's error>" and frees `e`; returns -1. */
int build_lib_fail(struct build_ctx *c, cvz_error *e);
/* Fails with "<what>: <message>"; returns -1. */
int build_fail(struct build_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* `handle` kept, or the libcvz failure reported (returns -1 from the caller). */
#define BUILD_NEW(c, var, expr)                                                                                \
    do {                                                                                                       \
        cvz_error *e_ = NULL;                                                                                  \
        cvz_error **e = &e_;                                                                                   \
        var = (expr);                                                                                          \
        if (!var)                                                                                              \
            return build_lib_fail(c, e_);                                                                      \
        build_keep(c, var);                                                                                    \
    } while (0)
#define BUILD_DO(c, expr)                                                                                      \
    do {                                                                                                       \
        cvz_error *e_ = NULL;                                                                                  \
        cvz_error **e = &e_;                                                                                   \
        if ((expr) != 0)                                                                                       \
            return build_lib_fail(c, e_);                                                                      \
    } while (0)

/* The builders: each returns 0 or -1 (message in *c->err). */
int build_boot(struct build_ctx *c);
int build_storage(struct build_ctx *c, const struct device *d);
int build_network(struct build_ctx *c, const struct device *d);
int build_serial(struct build_ctx *c, const struct device *d);
int build_sharing(struct build_ctx *c, const struct device *d);
int build_simple_device(struct build_ctx *c, const struct device *d);

#endif
