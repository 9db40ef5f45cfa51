/* SPDX-License-Identifier: Apache-2.0 */
/*
 * skeleton/skeleton.c - libVirtualization-skeleton.so: makes every class and selector
 * of the API exist at its macOS version, so the simulated framework presents
 * the complete API of the simulated host and truly lacks what that version
 * lacks.
 *
 * The loader calls vzsim_skeleton_register() after the hand-written layers.
 * A class a layer already defines keeps its implementation; only its missing
 * selectors are added.  Other classes are created at run time under their
 * Apple superclass.  Stubs do nothing and answer zero: behaviour the
 * documentation defines is written by hand in the layers.
 */
#include <objc/runtime.h>
#include <string.h>

#include "skeleton.h"

typedef struct {
    double width, height;
} vzsim_size;

static void stub_void(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
}

static long stub_zero(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    return 0;
}

static double stub_double(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    return 0.0;
}

static vzsim_size stub_size(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    return (vzsim_size){0.0, 0.0};
}

typedef struct {
    unsigned char octet[6];
} vzsim_ether_address;

typedef struct {
    long major, minor, patch;
} vzsim_os_version;

static vzsim_ether_address stub_ether_address(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    return (vzsim_ether_address){{0}};
}

static vzsim_os_version stub_os_version(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    return (vzsim_os_version){0, 0, 0};
}

static id stub_init(id self, SEL cmd)
{
    (void)cmd;
    return self;
}

static IMP stub_for(enum vzsim_stub_kind kind)
{
    switch (kind) {
    case VZSIM_STUB_VOID: return (IMP)(void (*)(void))stub_void;
    case VZSIM_STUB_DOUBLE: return (IMP)(void (*)(void))stub_double;
    case VZSIM_STUB_SIZE: return (IMP)(void (*)(void))stub_size;
    case VZSIM_STUB_ETHER_ADDRESS: return (IMP)(void (*)(void))stub_ether_address;
    case VZSIM_STUB_OS_VERSION: return (IMP)(void (*)(void))stub_os_version;
    case VZSIM_STUB_INIT: return (IMP)(void (*)(void))stub_init;
    case VZSIM_STUB_ZERO: break;
    }
    return (IMP)(void (*)(void))stub_zero;
}

static int present(int level, int arm64_only, int host_level, int host_arm64)
{
    return level <= host_level && (!arm64_only || host_arm64);
}

static const struct vzsim_skeleton_class *find_class(const char *name)
{
    for (size_t i = 0; i < vzsim_skeleton_class_count; i++)
        if (strcmp(vzsim_skeleton_classes[i].name, name) == 0)
            return &vzsim_skeleton_classes[i];
    return NULL;
}

/*
 * The superclass a class has on the simulated host.  Apple sometimes inserts
 * a superclass later (VZGraphicsDisplayConfiguration, 14.0, above
 * VZMacGraphicsDisplayConfiguration, 12.0): before that, the class derives
 * from the superclass's own superclass.  NULL while it isn't registered yet.
 */
static Class superclass_on_host(const struct vzsim_skeleton_class *c, int host_level, int host_arm64)
{
    const char *name = c->superclass;
    for (;;) {
        const struct vzsim_skeleton_class *super = find_class(name);
        if (!super || present(super->level, super->arm64_only, host_level, host_arm64))
            return objc_getClass(name);
        name = super->superclass;
    }
}

void vzsim_skeleton_register(int host_level, int host_arm64)
{
    /* Classes, superclass first: repeat until no pass adds one. */
    int added = 1;
    while (added) {
        added = 0;
        for (size_t i = 0; i < vzsim_skeleton_class_count; i++) {
            const struct vzsim_skeleton_class *c = &vzsim_skeleton_classes[i];
            if (!present(c->level, c->arm64_only, host_level, host_arm64) || objc_getClass(c->name))
                continue;
            Class super = superclass_on_host(c, host_level, host_arm64);
            if (!super)
                continue; /* its superclass comes in a later pass */
            Class cls = objc_allocateClassPair(super, c->name, 0);
            if (!cls)
                continue;
            objc_registerClassPair(cls);
            added = 1;
        }
    }
    for (size_t i = 0; i < vzsim_skeleton_member_count; i++) {
        const struct vzsim_skeleton_member *m = &vzsim_skeleton_members[i];
        if (!present(m->level, m->arm64_only, host_level, host_arm64))
            continue;
        Class cls = objc_getClass(m->class_name);
        if (!cls)
            continue;
        SEL sel = sel_registerName(m->selector);
        if (m->is_class) {
            if (!class_getClassMethod(cls, sel))
                class_addMethod(object_getClass((id)cls), sel, stub_for(m->kind), m->types);
        } else if (!class_getInstanceMethod(cls, sel)) {
            class_addMethod(cls, sel, stub_for(m->kind), m->types);
        }
    }
}
