/* SPDX-License-Identifier: Apache-2.0 */
/*
 * block.h - completion-handler blocks without compiler support.
 *
 * Why this file exists: Apple's Virtualization.framework takes Objective-C
 * blocks as completion handlers.  The simulated framework is compiled with
 * GCC's Objective-C front end, which has no block syntax ("^{ ... }"), and
 * its callers (the cvz core, the tests) are plain C that build their blocks
 * by hand following clang's Block ABI.  So the simulator never *writes* a
 * block; it only receives one as an opaque pointer, keeps it alive with
 * _Block_copy() (libBlocksRuntime), calls its invoke function with the
 * signature Apple documents, and drops it with _Block_release().
 *
 * Never send an Objective-C message to a block here: with GCC's libobjc the
 * block classes are not Objective-C classes, so -copy/-release on a block
 * would crash.
 *
 * Which _Block_copy: a process that loads GNUstep Base has TWO blocks
 * runtimes.  libgnustep-base.so exports its own _Block_copy, _Block_release
 * and _NSConcreteStackBlock (and, being linked first, usually wins symbol
 * resolution; --as-needed even drops -lBlocksRuntime from the link).  Its
 * _Block_copy returns the block *uncopied* unless the isa is GNUstep's own
 * _NSConcreteStackBlock and flag 1 << 29 is set, so a stack block built by
 * a C caller would dangle.  The sim therefore binds explicitly, with
 * dlsym() on a handle of libBlocksRuntime.so.0, to libBlocksRuntime's
 * _Block_copy/_Block_release (<Block.h>), which copy any non-global block
 * according to its flags and descriptor size, whatever its isa.
 *
 * Layout (clang Block ABI, "Block_literal_1"):
 *   void *isa;           &_NSConcreteStackBlock / &_NSConcreteGlobalBlock
 *   int flags;           BLOCK_IS_GLOBAL (1 << 28), BLOCK_HAS_COPY_DISPOSE (1 << 25) ...
 *   int reserved;
 *   void (*invoke)(void *block, ...);
 *   struct descriptor *descriptor;   { unsigned long reserved, size; ... }
 *   captured variables follow.
 */
#ifndef CVZ_SIM_BLOCK_H
#define CVZ_SIM_BLOCK_H

struct vzsim_block_descriptor {
    unsigned long reserved;
    unsigned long size;
};

struct vzsim_block_literal {
    void *isa;
    int flags;
    int reserved;
    void (*invoke)(void *, ...);
    struct vzsim_block_descriptor *descriptor;
};

/* Keep a caller's block beyond the current call (NULL stays NULL):
 * libBlocksRuntime's _Block_copy.  Defined in support.m. */
void *vzsim_block_keep(const void *block);

/* Drop a block obtained from vzsim_block_keep (NULL is fine):
 * libBlocksRuntime's _Block_release. */
void vzsim_block_drop(void *block);

/* Call a `void (^)(NSError *)` block: invoke(block, error). */
static inline void vzsim_block_call_error(void *block, void *error)
{
    struct vzsim_block_literal *lit = (struct vzsim_block_literal *)block;
    if (lit && lit->invoke)
        ((void (*)(void *, void *))lit->invoke)(block, error);
}

/* Call a `void (^)(id, NSError *)` block: invoke(block, object, error). */
static inline void vzsim_block_call_obj_error(void *block, void *object, void *error)
{
    struct vzsim_block_literal *lit = (struct vzsim_block_literal *)block;
    if (lit && lit->invoke)
        ((void (*)(void *, void *, void *))lit->invoke)(block, object, error);
}

#endif /* CVZ_SIM_BLOCK_H */
