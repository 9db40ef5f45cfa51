/* SPDX-License-Identifier: Apache-2.0 */
/*
 * queue.c - see queue.h.
 */
#define _GNU_SOURCE
#include "queue.h"

#include <dlfcn.h>
#include <pthread.h>

#include "barrier.h"

typedef void (*dispatch_fn)(void *);

/* libdispatch's prototypes, with its opaque types as void *. */
static struct {
    void *(*queue_create)(const char *label, void *attr);
    void (*sync_f)(void *queue, void *context, dispatch_fn work);
    void (*queue_set_specific)(void *queue, const void *key, void *context, dispatch_fn destructor);
    void *(*get_specific)(const void *key);
    void (*retain)(void *object);
    void (*release)(void *object);
} dispatch;
static bool dispatch_found;
static pthread_once_t dispatch_once = PTHREAD_ONCE_INIT;

/* Marks libcvz's own queues: its value on each is the queue itself. */
static const char queue_key;

static void find_dispatch(void)
{
    /* Data pointers to function pointers: POSIX guarantees dlsym results convert. */
    *(void **)&dispatch.queue_create = dlsym(RTLD_DEFAULT, "dispatch_queue_create");
    *(void **)&dispatch.sync_f = dlsym(RTLD_DEFAULT, "dispatch_sync_f");
    *(void **)&dispatch.queue_set_specific = dlsym(RTLD_DEFAULT, "dispatch_queue_set_specific");
    *(void **)&dispatch.get_specific = dlsym(RTLD_DEFAULT, "dispatch_get_specific");
    *(void **)&dispatch.retain = dlsym(RTLD_DEFAULT, "dispatch_retain");
    *(void **)&dispatch.release = dlsym(RTLD_DEFAULT, "dispatch_release");
    dispatch_found = dispatch.queue_create && dispatch.sync_f && dispatch.queue_set_specific &&
                     dispatch.get_specific && dispatch.retain && dispatch.release;
}

bool cvz__queue_supported(void)
{
    pthread_once(&dispatch_once, find_dispatch);
    return dispatch_found;
}

void *cvz__queue_new(const char *label)
{
    if (!cvz__queue_supported())
        return NULL;
    void *queue = dispatch.queue_create(label, NULL);
    if (queue)
        dispatch.queue_set_specific(queue, &queue_key, queue, NULL);
    return queue;
}

void *cvz__queue_ref(void *queue)
{
    if (queue)
        dispatch.retain(queue);
    return queue;
}

void cvz__queue_unref(void *queue)
{
    if (queue)
        dispatch.release(queue);
}

void *cvz__queue_current(void)
{
    /* No libcvz queue can exist before libdispatch was found. */
    if (!cvz__queue_supported())
        return NULL;
    return dispatch.get_specific(&queue_key);
}

void cvz__queue_run(void *queue, void (*fn)(void *), void *context)
{
    if (cvz__queue_current() == queue)
        fn(context);
    else
        dispatch.sync_f(queue, context, fn);
}

struct barrier_call {
    void (*fn)(void *);
    void *arg;
    id exception;
};

static void run_behind_barrier(void *opaque)
{
    struct barrier_call *call = opaque;
    call->exception = cvz__barrier(call->fn, call->arg);
}

id cvz__queue_barrier(void *queue, void (*fn)(void *), void *arg)
{
    if (!queue)
        return cvz__barrier(fn, arg);
    struct barrier_call call = {fn, arg, nil};
    cvz__queue_run(queue, run_behind_barrier, &call);
    return call.exception;
}
