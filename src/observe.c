/* SPDX-License-Identifier: Apache-2.0 */
/*
 * observe.c - a virtual machine's state changes, delivered to a C callback.
 *
 * VZVirtualMachine.state is key-value observable.  Each registration is an
 * object of a class registered here at run time (CVZStateObserver: NSObject
 * with -observeValueForKeyPath:ofObject:change:context:) added as an observer
 * of "state" on the machine's queue, where the framework changes the state and
 * posts the notification.  All that touches a registration's `removed` and
 * `last` runs on that queue (registration, removal, notifications), so a
 * callback never starts after the removal has returned.
 *
 * A registration belongs to the handle it was made through: cvz_release() of
 * that handle removes it (observe.h), so the machine never outlives the
 * registrations made on it through libcvz.  Its memory is reference-counted
 * (the registration's reference, and one per running callback): the destroy
 * function runs once, when the last goes.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "availability.h"
#include "cvz-internal.h"
#include "error.h"
#include "handle.h"
#include "objc.h"
#include "observe.h"
#include "queue.h"

struct observer {
    struct observer *next; /* in the registry */
    unsigned long id;
    const void *handle; /* the handle it was made through (its key in the registry) */
    id vm;              /* the machine: kept alive by that handle until the registration is removed */
    void *queue;        /* the machine's queue (a reference), NULL when it has none */
    id object;          /* the CVZStateObserver (retained) */
    cvz_virtual_machine_state_callback callback;
    void *context;
    void (*destroy)(void *context);
    atomic_int refs;
    bool removed; /* on the queue only */
    long last;    /* the state last delivered (or found at registration); on the queue only */
};

/* ---- the registry: id -> registration, for unobserve and cvz_release ------------------- */

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct observer *registry;
static atomic_size_t registered; /* lets cvz_release skip the lock when nothing is observed */
static atomic_ulong next_id = 1;

static void registry_add(struct observer *o)
{
    pthread_mutex_lock(&registry_lock);
    o->next = registry;
    registry = o;
    atomic_fetch_add(&registered, 1);
    pthread_mutex_unlock(&registry_lock);
}

/* Unlinks the registrations made through `handle` (number 0), or registration `number` if it is on
 * the machine `vm`; returns them as a list. */
static struct observer *registry_take(const void *handle, id vm, unsigned long number)
{
    struct observer *taken = NULL;
    pthread_mutex_lock(&registry_lock);
    for (struct observer **p = &registry; *p;) {
        struct observer *o = *p;
        if (number == 0 ? o->handle == handle : o->id == number && o->vm == vm) {
            *p = o->next;
            o->next = taken;
            taken = o;
            atomic_fetch_sub(&registered, 1);
        } else {
            p = &o->next;
        }
    }
    pthread_mutex_unlock(&registry_lock);
    return taken;
}

/* ---- the Objective-C observer ------------------------------------------------------- */

static const char observer_ivar[] = "_cvz_observer";
static Class observer_class;
static pthread_once_t class_once = PTHREAD_ONCE_INIT;

static struct observer **slot_of(id self)
{
    Ivar ivar = class_getInstanceVariable(object_getClass(self), observer_ivar);
    return (struct observer **)((char *)self + ivar_getOffset(ivar));
}

static void observer_unref(struct observer *o)
{
    if (atomic_fetch_sub(&o->refs, 1) != 1)
        return;
    *slot_of(o->object) = NULL;
    cvz__release(o->object);
    cvz__queue_unref(o->queue);
    if (o->destroy)
        o->destroy(o->context);
    free(o);
}

/* -observeValueForKeyPath:ofObject:change:context:, on the machine's queue. */
static void observer_changed(id self, SEL cmd, id path, id vm, id change, void *ctx)
{
    (void)cmd;
    (void)path;
    (void)change;
    (void)ctx;
    struct observer *o = *slot_of(self);
    if (!o || o->removed)
        return;
    long state = cvz__get_long(vm, "state");
    if (state == o->last) /* a notification without a change: once per change */
        return;
    o->last = state;
    atomic_fetch_add(&o->refs, 1);
    id pool = cvz__callback_enter();
    void *lent = cvz__borrow(vm);
    o->callback(lent, (int)state, o->context);
    cvz_release(lent);
    cvz__callback_leave(pool);
    observer_unref(o);
}

static void register_class(void)
{
    Class cls = objc_allocateClassPair(objc_getClass("NSObject"), "CVZStateObserver", 0);
    if (!cls)
        return;
    size_t align = 0;
    for (size_t a = sizeof(void *); a > 1; a >>= 1)
        align++;
    class_addIvar(cls, observer_ivar, sizeof(void *), (uint8_t)align, "^v");
    class_addMethod(cls, sel_registerName("observeValueForKeyPath:ofObject:change:context:"),
                    (IMP)(cvz__fn)observer_changed, "v@:@@@^v");
    objc_registerClassPair(cls);
    observer_class = cls;
}

/* ---- on the machine's queue --------------------------------------------------------- */

static void add_on_queue(void *opaque)
{
    struct observer *o = opaque;
    SEL sel = sel_registerName("addObserver:forKeyPath:options:context:");
    o->last = cvz__get_long(o->vm, "state");
    ((void (*)(id, SEL, id, id, unsigned long, void *))cvz__imp(o->vm, sel))(o->vm, sel, o->object,
                                                                              cvz__string_from_utf8("state"), 0, NULL);
}

static void remove_on_queue(void *opaque)
{
    struct observer *o = opaque;
    SEL sel = sel_registerName("removeObserver:forKeyPath:");
    id pool = cvz__pool_push();
    o->removed = true;
    ((void (*)(id, SEL, id, id))cvz__imp(o->vm, sel))(o->vm, sel, o->object, cvz__string_from_utf8("state"));
    cvz__pool_pop(pool);
}

/* Removes each registration of the list, then drops its reference. */
static int remove_all(struct observer *list, const char *function)
{
    int failures = 0;
    while (list) {
        struct observer *o = list;
        list = o->next;
        if (cvz__queue_barrier(o->queue, remove_on_queue, o)) {
            fprintf(stderr, "cvz: %s: removing the state observer %lu raised an exception; ignored\n", function,
                    o->id);
            failures++;
        }
        observer_unref(o);
    }
    return failures;
}

/* ---- the API ------------------------------------------------------------------------- */

static struct cvz__item observe_item;
static pthread_once_t item_once = PTHREAD_ONCE_INIT;

/* The getter's item under this function's name: availability and messages as any wrapper's. */
static void make_item(void)
{
    for (size_t i = 0; i < cvz__item_count; i++)
        if (strcmp(cvz__items[i].api_name, "VZVirtualMachine.state") == 0 && strcmp(cvz__items[i].selector, "state") == 0) {
            observe_item = cvz__items[i];
            atomic_init(&observe_item.state, 0);
            break;
        }
    observe_item.c_function = "cvz_virtual_machine_observe_state";
}

unsigned long cvz_virtual_machine_observe_state(cvz_virtual_machine *vm, cvz_virtual_machine_state_callback callback,
                                                void *context, void (*destroy)(void *context), cvz_error **error)
{
    pthread_once(&item_once, make_item);
    pthread_once(&class_once, register_class);
    struct cvz__scope scope;
    id obj = nil;
    unsigned long result = 0;
    if (cvz__enter(&scope, &observe_item, true, error) != 0 || cvz__arg_self(&scope, vm, &obj) != 0)
        goto out;
    if (!callback) {
        cvz__fail(&scope, CVZ_E_INVALID_ARGUMENT, "cvz_virtual_machine_observe_state: callback is NULL");
        goto out;
    }
    if (!observer_class) {
        cvz__fail(&scope, CVZ_E_SYSTEM,
                  "cvz_virtual_machine_observe_state: the runtime refused to register class CVZStateObserver");
        goto out;
    }
    struct observer *o = calloc(1, sizeof *o);
    if (!o) {
        cvz__fail(&scope, CVZ_E_NO_MEMORY, "cvz_virtual_machine_observe_state: out of memory");
        goto out;
    }
    o->handle = vm;
    o->vm = obj;
    o->queue = cvz__queue_ref(scope.queue);
    o->callback = callback;
    o->context = context;
    o->destroy = destroy;
    atomic_init(&o->refs, 1);
    id object = cvz__alloc(observer_class);
    SEL init = sel_registerName("init");
    o->object = ((id (*)(id, SEL))cvz__imp(object, init))(object, init);
    *slot_of(o->object) = o;
    if (cvz__queue_barrier(o->queue, add_on_queue, o)) {
        cvz__fail(&scope, CVZ_E_EXCEPTION, "cvz_virtual_machine_observe_state: -addObserver:forKeyPath:options:context: "
                                           "raised an exception");
        o->destroy = NULL; /* on failure the caller keeps its context */
        observer_unref(o);
        goto out;
    }
    o->id = atomic_fetch_add(&next_id, 1);
    registry_add(o);
    result = o->id;
out:
    cvz__leave(&scope);
    return result;
}

int cvz_virtual_machine_unobserve_state(cvz_virtual_machine *vm, unsigned long observer, cvz_error **error)
{
    const char *problem = cvz__handle_problem(vm);
    if (problem) {
        cvz__error_give(error, cvz__error_new(vm ? CVZ_E_WRONG_HANDLE : CVZ_E_INVALID_ARGUMENT,
                                              "cvz_virtual_machine_unobserve_state: vm %s", problem));
        return vm ? CVZ_E_WRONG_HANDLE : CVZ_E_INVALID_ARGUMENT;
    }
    id obj = ((const struct cvz__handle *)vm)->object;
    struct observer *taken = observer ? registry_take(NULL, obj, observer) : NULL;
    if (!taken) {
        cvz__error_give(error, cvz__error_new(CVZ_E_INVALID_ARGUMENT,
                                              "cvz_virtual_machine_unobserve_state: %lu is not an observer "
                                              "registered on this machine (or it was removed already)",
                                              observer));
        return CVZ_E_INVALID_ARGUMENT;
    }
    if (remove_all(taken, "cvz_virtual_machine_unobserve_state") != 0) {
        cvz__error_give(error, cvz__error_new(CVZ_E_EXCEPTION, "cvz_virtual_machine_unobserve_state: "
                                                               "-removeObserver:forKeyPath: raised an exception"));
        return CVZ_E_EXCEPTION;
    }
    return 0;
}

void cvz__observers_drop(const void *handle)
{
    if (atomic_load(&registered) == 0)
        return;
    remove_all(registry_take(handle, nil, 0), "cvz_release");
}
