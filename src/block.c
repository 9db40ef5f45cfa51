/* SPDX-License-Identifier: Apache-2.0 */
/*
 * block.c - completion handlers as blocks built in C.
 *
 * The framework takes Objective-C blocks.  Rather than requiring -fblocks, the
 * library lays out block literals itself following clang's Block ABI: isa,
 * flags, invoke, and a descriptor with size, copy/dispose helpers and the type
 * signature.  The wrapper builds the block on its stack (isa
 * _NSConcreteStackBlock); when the framework keeps it, _Block_copy moves it to
 * the heap and our copy helper takes a reference on the shared "box" holding
 * the C callback and its context.
 *
 * The box guarantees the callback runs exactly once: the first of "the
 * framework invoked the block", "the wrapper failed (cancel)" and "the last
 * copy died uninvoked (dropped)" claims it.  A dropped handler still calls
 * back, with CVZ_E_DROPPED, so no caller waits forever.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "cvz-internal.h"
#include "error.h"

/* From the blocks runtime (libSystem on Apple, libBlocksRuntime elsewhere). */
extern void *_NSConcreteStackBlock[];

struct cvz__box {
    atomic_int refs;
    atomic_bool claimed;
    void (*fn)(void);
    void *context;
    const struct cvz__block_descriptor *descriptor;
    const char *api_name;
};

int cvz__block_init(struct cvz__scope *s, struct cvz__block *block, const struct cvz__block_descriptor *desc,
                    void (*invoke)(void), void (*fn)(void), void *context)
{
    struct cvz__box *box = malloc(sizeof *box);
    if (!box)
        return cvz__fail(s, CVZ_E_NO_MEMORY, "%s: out of memory", s->item->c_function);
    atomic_init(&box->refs, 1);
    atomic_init(&box->claimed, false);
    box->fn = fn;
    box->context = context;
    box->descriptor = desc;
    box->api_name = s->item->api_name;
    block->isa = _NSConcreteStackBlock;
    block->flags = CVZ__BLOCK_HAS_COPY_DISPOSE | CVZ__BLOCK_HAS_SIGNATURE;
    block->reserved = 0;
    block->invoke = invoke;
    block->descriptor = desc;
    block->box = box;
    s->box = box;
    return 0;
}

static void box_unref(struct cvz__box *box)
{
    if (atomic_fetch_sub_explicit(&box->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (cvz__box_claim(box))
        box->descriptor->dropped(box);
    free(box);
}

void cvz__block_copy(void *dst, void *src)
{
    (void)src;
    struct cvz__block *copy = dst;
    atomic_fetch_add_explicit(&copy->box->refs, 1, memory_order_relaxed);
}

void cvz__block_dispose(void *block)
{
    box_unref(((struct cvz__block *)block)->box);
}

void cvz__box_release_scope(struct cvz__box *box, bool call_failed)
{
    if (call_failed)
        cvz__box_claim(box);
    box_unref(box);
}

bool cvz__box_claim(struct cvz__box *box)
{
    return !atomic_exchange_explicit(&box->claimed, true, memory_order_acq_rel);
}

void (*cvz__box_fn(struct cvz__box *box))(void)
{
    return box->fn;
}

void *cvz__box_context(struct cvz__box *box)
{
    return box->context;
}

cvz_error *cvz__box_error(struct cvz__box *box, id nserror)
{
    return nserror ? cvz__error_from_nserror(nserror, box->api_name) : NULL;
}

cvz_error *cvz__box_dropped_error(struct cvz__box *box)
{
    return cvz__error_new(CVZ_E_DROPPED, "%s: the framework released the completion handler without calling it",
                          box->api_name);
}
