/* SPDX-License-Identifier: Apache-2.0 */
/*
 * build.h - from the VM description to a libcvz configuration.
 *
 * First every part of the configuration is checked against the host with
 * cvz_api_available(): each bootloader, device and feature has the list of
 * framework classes and members it needs (build.c's table); the first one
 * missing rejects the command line with libcvz's reason.  Then every part is
 * built (build_<area>.c) and the configuration is validated.
 */
#ifndef CVZ_TOOL_BUILD_H
#define CVZ_TOOL_BUILD_H

#include "vmconfig.h"

#include <cvz/cvz.h>

struct built_vm {
    cvz_virtual_machine_configuration *config;
    void **handles; /* everything to cvz_release() */
    size_t nhandles;
    int *fds; /* descriptors cvz opened (block devices, ptys, unixgram sockets) */
    size_t nfds;
    char **unlink_paths; /* socket files cvz bound, removed at build_free() */
    size_t nunlink;
    char *pty_name; /* the virtio-serial pty's path, or NULL */
};

/* Every list of framework names in the availability table (NULL-terminated
 * lists, NULL-terminated), so the tests can check each name exists. */
const char *const *const *build_all_requirements(void);

/* Every part available here and buildable by cvz, or one line saying which is not and why. */
int build_check(const struct vmconfig *vm, char **err);

/* Builds and validates the configuration. */
int build_configuration(const struct vmconfig *vm, struct built_vm *out, char **err);
void build_free(struct built_vm *b);

#endif
