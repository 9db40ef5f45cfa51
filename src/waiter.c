/* SPDX-License-Identifier: Apache-2.0 */
/*
 * waiter.c - the blocking variants: start an asynchronous call with a
 * callback that signals a condition variable, then wait with a timeout.
 *
 * The waiter is reference counted (the waiting thread and the pending
 * callback each hold one), so a call that times out returns at once and the
 * completion that arrives later finds live memory and simply drops it.
 *
 * The deadline is kept on the monotonic clock, so changing the wall clock
 * neither ends a wait early nor stretches it.  Linux's condition variable
 * waits on that clock (pthread_condattr_setclock); macOS has no such
 * attribute (its absolute waits read the wall clock), so there each wait is
 * given the time left, relative, and the loop recomputes it after every wake.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "cvz-internal.h"
#include "error.h"
#include "queue.h"

struct cvz__waiter {
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    int refs;
    bool done;
    cvz_error *result; /* the completion's error, NULL on success */
    void *object;      /* what the completion delivered (a handle), until the waiting thread takes it */
};

int cvz__waiter_new(struct cvz__waiter **out, const char *api_name, cvz_error **error)
{
    *out = NULL;
    if (cvz__in_callback() || cvz__queue_current()) {
        /* The completion would be delivered on this very thread (a VM's
         * queue), after we return: never. */
        cvz__error_give(error, cvz__error_new(CVZ_E_WRONG_THREAD,
                                              "the blocking variant of %s was called from a cvz callback, whose "
                                              "thread delivers the completion it would wait for; call the "
                                              "asynchronous variant there",
                                              api_name));
        return CVZ_E_WRONG_THREAD;
    }
    struct cvz__waiter *w = calloc(1, sizeof *w);
    pthread_condattr_t attr;
    if (!w || pthread_condattr_init(&attr) != 0) {
        free(w);
        cvz__error_give(error, cvz__error_new(CVZ_E_NO_MEMORY, "%s: out of memory", api_name));
        return CVZ_E_NO_MEMORY;
    }
#if !defined(__APPLE__)
    /*BROKEN*/
#endif
    pthread_cond_init(&w->done_cond, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&w->lock, NULL);
    w->refs = 1;
    *out = w;
    return 0;
}

void *cvz__waiter_ref(struct cvz__waiter *w)
{
    pthread_mutex_lock(&w->lock);
    w->refs++;
    pthread_mutex_unlock(&w->lock);
    return w;
}

void cvz__waiter_unref(struct cvz__waiter *w)
{
    pthread_mutex_lock(&w->lock);
    int left = --w->refs;
    pthread_mutex_unlock(&w->lock);
    if (left)
        return;
    cvz_error_free(w->result);
    cvz_release(w->object); /* delivered after a timeout: nobody took it */
    pthread_cond_destroy(&w->done_cond);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

void cvz__waiter_callback(const cvz_error *error, void *waiter)
{
    cvz__waiter_object_callback(NULL, error, waiter);
}

void cvz__waiter_object_callback(void *object, const cvz_error *error, void *waiter)
{
    struct cvz__waiter *w = waiter;
    cvz_error *copy = cvz__error_copy(error);
    void *kept = object ? cvz_retain(object) : NULL; /* the callback's handle is only lent */
    pthread_mutex_lock(&w->lock);
    w->done = true;
    w->result = copy;
    w->object = kept;
    pthread_cond_broadcast(&w->done_cond);
    pthread_mutex_unlock(&w->lock);
    cvz__waiter_unref(w);
}

static int64_t monotonic_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* Waits on done_cond (lock held) at most left_ns > 0; may wake early. */
static void wait_at_most(struct cvz__waiter *w, int64_t left_ns)
{
#if defined(__APPLE__)
    struct timespec left = {(time_t)(left_ns / 1000000000), (long)(left_ns % 1000000000)};
    pthread_cond_timedwait_relative_np(&w->done_cond, &w->lock, &left);
#else
    int64_t at = monotonic_ns() + left_ns;
    struct timespec deadline = {(time_t)(at / 1000000000), (long)(at % 1000000000)};
    pthread_cond_timedwait(&w->done_cond, &w->lock, &deadline);
#endif
}

/* Longer timeouts (over a century) wait without limit, and the deadline cannot overflow. */
#define LONGEST_TIMEOUT_MS (INT64_C(100) * 366 * 24 * 3600 * 1000)

int cvz__waiter_wait(struct cvz__waiter *w, int64_t timeout_ms, const char *api_name, cvz_error **error)
{
    bool limited = timeout_ms >= 0 && timeout_ms <= LONGEST_TIMEOUT_MS;
    int64_t deadline = limited ? monotonic_ns() + timeout_ms * 1000000 : 0;
    pthread_mutex_lock(&w->lock);
    while (!w->done) {
        if (!limited) {
            pthread_cond_wait(&w->done_cond, &w->lock);
            continue;
        }
        /* Expiry is judged by the clock, never by the wait's return code. */
        int64_t left = deadline - monotonic_ns();
        if (left <= 0)
            break;
        wait_at_most(w, left);
    }
    bool done = w->done;
    cvz_error *result = w->result;
    w->result = NULL;
    pthread_mutex_unlock(&w->lock);
    if (!done) {
        cvz__error_give(error, cvz__error_new(CVZ_E_TIMEOUT, "%s did not complete within %lld ms", api_name,
                                              (long long)timeout_ms));
        return CVZ_E_TIMEOUT;
    }
    if (!result)
        return 0;
    cvz_status status = result->status;
    cvz__error_give(error, result);
    return status;
}

void *cvz__waiter_wait_object(struct cvz__waiter *w, int64_t timeout_ms, const char *api_name, cvz_error **error)
{
    if (cvz__waiter_wait(w, timeout_ms, api_name, error) != 0)
        return NULL; /* a late object stays with the waiter, released with it */
    pthread_mutex_lock(&w->lock);
    void *object = w->object;
    w->object = NULL;
    pthread_mutex_unlock(&w->lock);
    if (!object)
        cvz__error_give(error, cvz__error_new(CVZ_E_FRAMEWORK, "%s completed with neither a result nor an error",
                                              api_name));
    return object;
}
