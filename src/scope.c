/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scope.c - the frame every generated wrapper runs in: availability on entry,
 * an autorelease pool when objects flow or the call goes to a VM's queue, the
 * exception barrier around the framework call, and the first failure recorded
 * as the caller's error.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "availability.h"
#include "cvz-internal.h"
#include "error.h"
#include "objc.h"
#include "queue.h"

int cvz__fail(struct cvz__scope *s, cvz_status status, const char *fmt, ...)
{
    if (s->status == 0) {
        s->status = status;
        if (s->error && !*s->error) {
            va_list ap;
            va_start(ap, fmt);
            *s->error = cvz__error_vnew(status, fmt, ap);
            va_end(ap);
        }
    }
    return status;
}

int cvz__enter(struct cvz__scope *s, struct cvz__item *item, bool with_pool, cvz_error **error)
{
    s->item = item;
    s->error = error;
    s->pool = nil;
    s->nserror = nil;
    s->box = NULL;
    s->queue = NULL;
    s->owns_queue = false;
    s->status = cvz__item_check(item, error);
    if (s->status == 0 && with_pool)
        s->pool = cvz__pool_push();
    return s->status;
}

void cvz__leave(struct cvz__scope *s)
{
    if (s->box)
        cvz__box_release_scope(s->box, s->status != 0);
    if (s->pool)
        cvz__pool_pop(s->pool);
    if (s->owns_queue)
        cvz__queue_unref(s->queue);
}

Class cvz__item_class(const struct cvz__item *item)
{
    return cvz__class_resolve(item->class_index);
}

id cvz__alloc(Class cls)
{
    /* Looked up once (every _new sends it); racing first calls store the same selector. */
    static _Atomic(SEL) cache;
    SEL alloc = atomic_load_explicit(&cache, memory_order_relaxed);
    if (!alloc) {
        alloc = sel_registerName("alloc");
        atomic_store_explicit(&cache, alloc, memory_order_relaxed);
    }
    return ((id (*)(id, SEL))cvz__imp((id)cls, alloc))((id)cls, alloc);
}

int cvz__send(struct cvz__scope *s, void (*send)(void *call), void *call)
{
    /* A call routed onto a VM's queue runs framework code that may autorelease
     * even when no object flows back; dispatch_sync_f runs it on this thread,
     * so a pool here, drained on leave (after the results are converted), covers it. */
    if (s->queue && !s->pool)
        s->pool = cvz__pool_push();
    id exception = cvz__queue_barrier(s->queue, send, call);
    return exception ? cvz__fail_exception(s, exception) : 0;
}

int cvz__fast_raised(size_t item_index, id exception, cvz_error **error)
{
    struct cvz__scope scope;
    if (cvz__enter(&scope, &cvz__items[item_index], false, error) == 0)
        cvz__fail_exception(&scope, exception);
    else
        cvz__release(exception);
    cvz__leave(&scope);
    return scope.status;
}

int cvz__fail_exception(struct cvz__scope *s, id exception)
{
    /* The texts are copied before this pool (their UTF-8 buffers') is drained: a wrapper
     * without a pool of its own (any scalar one) would leak them. */
    id pool = cvz__pool_push();
    const char *name = cvz__utf8(cvz__get_object(exception, "name"));
    const char *reason = cvz__utf8(cvz__get_object(exception, "reason"));
    if (!name)
        name = cvz__class_name_of(exception);
    cvz__fail(s, CVZ_E_EXCEPTION, "%s raised %s: %s", s->item->api_name, name, reason ? reason : "(no reason)");
    if (s->error && *s->error && (*s->error)->status == CVZ_E_EXCEPTION) {
        cvz__error_set_text(*s->error, &(*s->error)->exception_name, name);
        cvz__error_set_text(*s->error, &(*s->error)->exception_reason, reason);
    }
    cvz__pool_pop(pool);
    cvz__release(exception);
    return CVZ_E_EXCEPTION;
}

int cvz__fail_nserror(struct cvz__scope *s)
{
    if (!s->nserror)
        return cvz__fail(s, CVZ_E_FRAMEWORK, "%s failed without saying why (no NSError)", s->item->api_name);
    if (s->status == 0) {
        s->status = CVZ_E_FRAMEWORK;
        cvz__error_give(s->error, cvz__error_from_nserror(s->nserror, s->item->api_name));
    }
    return s->status;
}

char *cvz__constant_string(const char *symbol, int introduced, const char *c_function, cvz_error **error)
{
    if (cvz__level_check(symbol, introduced, false, error) != 0)
        return NULL;
    id *value = dlsym(RTLD_DEFAULT, symbol);
    const char *text = value ? cvz__utf8(*value) : NULL;
    if (!text) {
        cvz__error_give(error, cvz__error_new(CVZ_E_MISSING, "%s: %s is missing from the loaded Virtualization.framework",
                                              c_function, symbol));
        return NULL;
    }
    char *copy = strdup(text);
    if (!copy)
        cvz__error_give(error, cvz__error_new(CVZ_E_NO_MEMORY, "%s: out of memory", c_function));
    return copy;
}
