/* SPDX-License-Identifier: Apache-2.0 */
/*
 * delegate.c - protocols implemented by C callbacks.
 *
 * For each protocol the core registers, on first use, a class
 * (CVZVirtualMachineDelegate …) deriving from NSObject, conforming to the
 * protocol when the runtime knows it, with one generated IMP per method and an
 * instance variable pointing at the delegate's state: a copy of the caller's
 * callback table, the context, and the context's destructor.  The state lives
 * as long as the Objective-C object, so a callback can never find it freed;
 * the destructor runs from -dealloc, once.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "availability.h"
#include "cvz-internal.h"
#include "error.h"
#include "handle.h"
#include "objc.h"
#include "queue.h"

static const char state_ivar[] = "_cvz_state";

struct delegate_state {
    void *callbacks; /* a zero-padded copy, p->callbacks_size bytes */
    void *context;
    void (*destroy)(void *);
};

static struct delegate_state *state_of(id self)
{
    Ivar ivar = class_getInstanceVariable(object_getClass(self), state_ivar);
    if (!ivar)
        return NULL;
    return *(struct delegate_state **)((char *)self + ivar_getOffset(ivar));
}

const void *cvz__delegate_callbacks(id self)
{
    struct delegate_state *st = state_of(self);
    return st ? st->callbacks : NULL;
}

void *cvz__delegate_context(id self)
{
    struct delegate_state *st = state_of(self);
    return st ? st->context : NULL;
}

static void delegate_dealloc(id self, SEL cmd)
{
    struct delegate_state *st = state_of(self);
    if (st) {
        if (st->destroy)
            st->destroy(st->context);
        free(st->callbacks);
        free(st);
    }
    Class root = objc_getClass("NSObject");
    ((void (*)(id, SEL))(cvz__fn)class_getMethodImplementation(root, cmd))(self, cmd);
}

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

Class cvz__delegate_class(struct cvz__protocol *p)
{
    Class cls = atomic_load_explicit(&p->cls, memory_order_acquire);
    if (cls)
        return cls;
    pthread_mutex_lock(&registry_lock);
    cls = atomic_load_explicit(&p->cls, memory_order_relaxed);
    if (!cls) {
        cls = objc_allocateClassPair(objc_getClass("NSObject"), p->class_name, 0);
        if (cls) {
            size_t align = 0;
            for (size_t a = sizeof(void *); a > 1; a >>= 1)
                align++;
            class_addIvar(cls, state_ivar, sizeof(void *), (uint8_t)align, "^v");
            for (size_t i = 0; i < p->method_count; i++)
                class_addMethod(cls, sel_registerName(p->methods[i].selector), (IMP)p->methods[i].imp,
                                p->methods[i].types);
            class_addMethod(cls, sel_registerName("dealloc"), (IMP)(cvz__fn)delegate_dealloc, "v@:");
            Protocol *proto = objc_getProtocol(p->name);
            if (proto)
                class_addProtocol(cls, proto);
            objc_registerClassPair(cls);
            atomic_store_explicit(&p->cls, cls, memory_order_release);
        }
    }
    pthread_mutex_unlock(&registry_lock);
    return cls;
}

void *cvz__delegate_new(struct cvz__protocol *p, const void *callbacks, size_t size, void *context,
                        void (*destroy)(void *), cvz_error **error)
{
    if (cvz__level_check(p->name, p->introduced, false, error) != 0)
        return NULL;
    if (!callbacks) {
        cvz__error_give(error, cvz__error_new(CVZ_E_INVALID_ARGUMENT, "%s: callbacks is NULL", p->c_function));
        return NULL;
    }
    if (size < sizeof(size_t)) {
        cvz__error_give(error, cvz__error_new(CVZ_E_INVALID_ARGUMENT,
                                              "%s: callbacks->size is %zu; set it to sizeof the callbacks struct",
                                              p->c_function, size));
        return NULL;
    }
    Class cls = cvz__delegate_class(p);
    if (!cls) {
        cvz__error_give(error, cvz__error_new(CVZ_E_SYSTEM, "%s: the runtime refused to register class %s",
                                              p->c_function, p->class_name));
        return NULL;
    }
    struct delegate_state *st = calloc(1, sizeof *st);
    void *copy = calloc(1, p->callbacks_size);
    if (!st || !copy) {
        free(st);
        free(copy);
        cvz__error_give(error, cvz__error_new(CVZ_E_NO_MEMORY, "%s: out of memory", p->c_function));
        return NULL;
    }
    /* Callers built against older headers pass a smaller table: the rest stays NULL. */
    memcpy(copy, callbacks, size < p->callbacks_size ? size : p->callbacks_size);
    *(size_t *)copy = p->callbacks_size;
    st->callbacks = copy;
    st->context = context;
    st->destroy = destroy;
    id obj = cvz__alloc(cls);
    SEL init = sel_registerName("init");
    obj = ((id (*)(id, SEL))cvz__imp(obj, init))(obj, init);
    Ivar ivar = class_getInstanceVariable(cls, state_ivar);
    *(struct delegate_state **)((char *)obj + ivar_getOffset(ivar)) = st;
    struct cvz__handle *h = cvz__handle_new(obj, NULL);
    if (!h)
        cvz__error_give(error, cvz__error_new(CVZ_E_NO_MEMORY, "%s: out of memory", p->c_function));
    return h;
}

cvz_error *cvz__delegate_error(id nserror, const char *api_name)
{
    return nserror ? cvz__error_from_nserror(nserror, api_name) : NULL;
}

void *cvz__borrow(id obj)
{
    return obj ? cvz__handle_new(cvz__retain(obj), cvz__queue_current()) : NULL;
}

const char *cvz__borrow_utf8(id string)
{
    return cvz__utf8(string);
}

const void *cvz__borrow_bytes(id data, size_t *length)
{
    *length = data ? (size_t)cvz__get_long(data, "length") : 0;
    if (!data)
        return NULL;
    SEL s = sel_registerName("bytes");
    return ((const void *(*)(id, SEL))cvz__imp(data, s))(data, s);
}

id cvz__delegate_data(void *bytes, size_t length)
{
    if (!bytes)
        return nil;
    id data = cvz__data_with_bytes(bytes, length);
    free(bytes);
    return data;
}
