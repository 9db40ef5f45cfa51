/* SPDX-License-Identifier: Apache-2.0 */
/*
 * handle.c - handles: creation, validation and release.
 *
 * A handle is a heap block with a magic number, so a NULL, foreign or
 * already-released pointer is reported instead of being sent a message.
 * Released handles wait in a small quarantine before their memory is freed,
 * so a second release of a recent handle is recognised reliably (and without
 * reading freed memory).  Release takes no lock: the magic number turns dead
 * by compare-and-swap, and the quarantine's slots are claimed by a counter.
 */
#include "handle.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "cvz/cvz.h"
#include "objc.h"
#include "observe.h"
#include "queue.h"

enum { QUARANTINE = 256 };

/* Released handles, oldest evicted (and freed) first; lock-free: a slot is claimed by a counter. */
static _Atomic(struct cvz__handle *) quarantine[QUARANTINE];
static atomic_size_t quarantine_next;

struct cvz__handle *cvz__handle_new(id obj, void *queue)
{
    struct cvz__handle *h = malloc(sizeof *h);
    if (!h) {
        cvz__release(obj);
        return NULL;
    }
    h->magic = CVZ__HANDLE_LIVE;
    h->object = obj;
    h->queue = cvz__queue_ref(queue);
    return h;
}

const char *cvz__handle_problem(const void *handle)
{
    const struct cvz__handle *h = handle;
    if (!h)
        return "is NULL";
    if (h->magic == CVZ__HANDLE_LIVE)
        return NULL;
    return h->magic == CVZ__HANDLE_DEAD ? "is a handle that was already released" : "is not a cvz handle";
}

static void release_object(void *obj)
{
    cvz__release(obj);
}

void cvz_release(void *handle)
{
    struct cvz__handle *h = handle;
    if (!h)
        return;
    /* A plain read first: a foreign pointer may be read-only, and a compare-and-swap writes. */
    uint32_t magic = __atomic_load_n(&h->magic, __ATOMIC_ACQUIRE);
    /* Of two releases racing on one handle, the swap lets exactly one through. */
    if (magic != CVZ__HANDLE_LIVE ||
        !__atomic_compare_exchange_n(&h->magic, &magic, CVZ__HANDLE_DEAD, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        fprintf(stderr, "cvz: cvz_release(%p): %s; ignored\n", handle,
                magic == CVZ__HANDLE_DEAD ? "the handle was already released" : "not a cvz handle");
        return;
    }
    id obj = h->object;
    void *queue = h->queue;
    h->object = nil;
    h->queue = NULL;
    size_t slot = atomic_fetch_add_explicit(&quarantine_next, 1, memory_order_relaxed) % QUARANTINE;
    free(atomic_exchange_explicit(&quarantine[slot], h, memory_order_acq_rel));
    cvz__observers_drop(handle); /* while the object is alive: it must not keep calling them */
    /* A dealloc that raises must not take the process down either; on the
     * object's queue, a dealloc is a call like any other (and, as every call
     * routed there, runs inside a pool: scope.c). */
    id pool = queue ? cvz__pool_push() : nil;
    id exception = cvz__queue_barrier(queue, release_object, obj);
    if (pool)
        cvz__pool_pop(pool);
    cvz__queue_unref(queue);
    if (exception) {
        fprintf(stderr, "cvz: cvz_release(%p): releasing the object raised an exception; ignored\n", handle);
        cvz__release(exception);
    }
}

void *cvz_retain(const void *handle)
{
    const struct cvz__handle *h = handle;
    if (!h || h->magic != CVZ__HANDLE_LIVE)
        return NULL;
    return cvz__handle_new(cvz__retain(h->object), h->queue);
}

void cvz_free(void *memory)
{
    free(memory);
}

void cvz_handle_array_free(void *handles, size_t count)
{
    void **array = handles;
    if (!array)
        return;
    for (size_t i = 0; i < count; i++)
        cvz_release(array[i]);
    free(array);
}

void cvz_string_array_free(char **strings, size_t count)
{
    if (!strings)
        return;
    for (size_t i = 0; i < count; i++)
        free(strings[i]);
    free(strings);
}

void cvz_bytes_array_free(cvz_bytes *buffers, size_t count)
{
    if (!buffers)
        return;
    for (size_t i = 0; i < count; i++)
        free(buffers[i].data);
    free(buffers);
}
