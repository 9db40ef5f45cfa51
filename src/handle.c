/*
 * handle.c - handles: creation, validation and release.
 *
 * A handle is a heap block with a magic number, so a NULL, foreign or
 * already-released pointer is reported instead of being sent a message.
 * Released handles wait in a small quarantine before their memory is freed,
 * so a second release of a recent handle is recognised reliably (and without
 * reading freed memory).
 */
#include "handle.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "cvz/cvz.h"
#include "objc.h"
#include "observe.h"
#include "queue.h"

enum { QUARANTINE = 256 };

static pthread_mutex_t quarantine_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cvz__handle *quarantine[QUARANTINE];
static size_t quarantine_next;

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
    pthread_mutex_lock(&quarantine_lock);
    uint32_t magic = h->magic;
    if (magic != CVZ__HANDLE_LIVE) {
        pthread_mutex_unlock(&quarantine_lock);
        fprintf(stderr, "cvz: cvz_release(%p): %s; ignored\n", handle,
                magic == CVZ__HANDLE_DEAD ? "the handle was already released" : "not a cvz handle");
        return;
    }
    h->magic = CVZ__HANDLE_DEAD;
    id obj = h->object;
    void *queue = h->queue;
    h->object = nil;
    h->queue = NULL;
    struct cvz__handle *evicted = quarantine[quarantine_next];
    quarantine[quarantine_next] = h;
    quarantine_next = (quarantine_next + 1) % QUARANTINE;
    pthread_mutex_unlock(&quarantine_lock);
    free(evicted);
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
