/* SPDX-License-Identifier: Apache-2.0 */
/*
 * skeleton/skeleton.h - the table of the whole API (generated/sim/skeleton-table.c)
 * and the stub kinds the skeleton registers for selectors no layer implements.
 */
#ifndef VZSIM_SKELETON_H
#define VZSIM_SKELETON_H

#include <stddef.h>

enum vzsim_stub_kind {
    VZSIM_STUB_VOID,   /* does nothing */
    VZSIM_STUB_ZERO,   /* returns 0 / nil / NO / NULL */
    VZSIM_STUB_DOUBLE, /* returns 0.0 */
    VZSIM_STUB_SIZE,   /* returns a zero CGSize */
    VZSIM_STUB_ETHER_ADDRESS, /* returns a zero ether_addr_t */
    VZSIM_STUB_OS_VERSION,    /* returns a zero NSOperatingSystemVersion */
    VZSIM_STUB_INIT,   /* an initializer: returns self */
};

struct vzsim_skeleton_class {
    const char *name;
    const char *superclass;
    int level; /* major*100+minor */
    int arm64_only;
};

struct vzsim_skeleton_member {
    const char *class_name;
    const char *selector;
    int is_class;
    int level;
    int arm64_only;
    enum vzsim_stub_kind kind;
    const char *types;
};

extern const struct vzsim_skeleton_class vzsim_skeleton_classes[];
extern const size_t vzsim_skeleton_class_count;
extern const struct vzsim_skeleton_member vzsim_skeleton_members[];
extern const size_t vzsim_skeleton_member_count;

/* Registers what the simulated host (level, arch) has and no layer implements. */
void vzsim_skeleton_register(int level, int arm64);

#endif
