/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cvz-internal.h - what the generated wrappers need from the hand-written core.
 *
 * A wrapper runs in a "scope": cvz__enter() checks the item's availability
 * (cached), opens an autorelease pool when objects flow, and remembers where
 * errors go; argument conversions fill a call frame; cvz__send() runs the exact
 * message send behind the exception barrier (on the VM's queue when the
 * receiver has one, opening the pool then if none is open yet); result
 * conversions build handles and strings; cvz__leave() drains the pool and
 * drops temporaries.
 */
#ifndef CVZ_INTERNAL_H
#define CVZ_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "barrier.h"
#include "cvz/cvz.h"
#include "handle.h"
#include "runtime.h"

/* ---- generated tables (generated/cvz-api.c) ----------------------------- */

/* One class of the API, resolved lazily. */
struct cvz__class {
    const char *name;
    int introduced; /* major*100+minor */
    bool arm64_only;
    bool built_in; /* false when newer than the build's API cut-off */
    _Atomic(Class) resolved; /* Nil until found in the runtime */
};

/* CVZ__PROTOCOL_METHOD: a property of a protocol the framework's objects implement
 * (id<VZUSBDevice>.uuid); the receiver is any conforming object, so the
 * selector is checked on it at call time, not on a class. */
enum cvz__item_kind { CVZ__INSTANCE_METHOD, CVZ__CLASS_METHOD, CVZ__PROTOCOL_METHOD };

/* One callable item (method, getter or setter), resolved once and cached. */
struct cvz__item {
    const char *c_function; /* "cvz_virtual_machine_start" */
    const char *api_name;   /* "-[VZVirtualMachine startWithCompletionHandler:]" */
    int class_index;        /* -1 for CVZ__PROTOCOL_METHOD */
    const char *protocol;   /* CVZ__PROTOCOL_METHOD: "VZUSBDevice"; NULL otherwise */
    const char *selector;
    enum cvz__item_kind kind;
    int introduced;
    bool arm64_only;
    bool built_in; /* false when newer than the build's API cut-off */
    /* Cache: 0 unknown, 1 available, or the negative cvz_status of the check. */
    _Atomic int state;
    SEL sel;
    /* The class of the last receiver the full check (live handle, kind of the item's
     * class) accepted: a receiver of exactly this class passes the fast path. */
    _Atomic(Class) fast_class;
};

extern struct cvz__class cvz__classes[];
extern const size_t cvz__class_count;
extern struct cvz__item cvz__items[];
extern const size_t cvz__item_count;

/* A class or item by name (its API name or its C function), for the public queries (query.c). */
struct cvz__name {
    const char *name;
    uint32_t hash; /* FNV-1a of name */
    int index;     /* >= 0: cvz__items[index]; < 0: cvz__classes[-1 - index] */
};

/* cvzgen's hash table of every name, laid out in place: slot = hash & (count - 1), linear
 * probing; an empty slot has a NULL name.  Never full. */
extern const struct cvz__name cvz__names[];
extern const size_t cvz__name_slot_count;

/* ---- scopes ------------------------------------------------------------- */

struct cvz__box;

struct cvz__scope {
    struct cvz__item *item;
    cvz_error **error;
    id pool;           /* the autorelease pool, or nil */
    id nserror;        /* filled by NSError ** out-parameters */
    struct cvz__box *box; /* a completion handler's box, released on leave */
    void *queue;       /* the receiver's (or else an object argument's) serial queue: the call is routed onto it */
    bool owns_queue;   /* queue is a new one (cvz__arg_new_queue), released on leave */
    int status;        /* 0 or the first failure's cvz_status */
};

/* Checks availability, opens a pool if asked; 0 or a negative status (error set). */
int cvz__enter(struct cvz__scope *s, struct cvz__item *item, bool with_pool, cvz_error **error);
void cvz__leave(struct cvz__scope *s);

/* The item's class object (valid after a successful cvz__enter). */
Class cvz__item_class(const struct cvz__item *item);

/* Runs send(call) behind the Objective-C exception barrier, on the scope's
 * queue (inside a pool) when it has one; 0 or CVZ_E_EXCEPTION. */
int cvz__send(struct cvz__scope *s, void (*send)(void *call), void *call);
/* Records the exception a send raised (as cvz__barrier returns it: retained; released here)
 * as the scope's CVZ_E_EXCEPTION error; returns that status. */
int cvz__fail_exception(struct cvz__scope *s, id exception);
/* The fast path's failure: the exception the send raised (retained; released here), reported
 * as the full path does for cvz__items[item_index] (an index: the wrapper keeps no pointer
 * live across the send); returns the status. */
int cvz__fast_raised(size_t item_index, id exception, cvz_error **error);

/*
 * The fast path of a wrapper whose arguments and result need no conversion
 * (scalars): true when the call may go straight behind the barrier, with
 * *receiver set — self is a live handle whose object has no queue to be
 * routed onto, and the object is of exactly the class the full check last
 * accepted for this item (filled by cvz__arg_self, which runs only once the
 * item is known available: availability is cached for good).
 * On false the wrapper takes the full path, which reports what is wrong.
 * (The wrapper sends through cvz__barrier itself: no queue, no pool.)
 */
static inline bool cvz__fast_self(struct cvz__item *item, const void *self, id *receiver)
{
    const struct cvz__handle *h = self;
    if (!h || h->magic != CVZ__HANDLE_LIVE || h->queue)
        return false;
    /* Set only after a full check found the item available: item->sel is published with it. */
    Class cls = atomic_load_explicit(&item->fast_class, memory_order_acquire);
    if (!cls || object_getClass(h->object) != cls)
        return false;
    *receiver = h->object;
    return true;
}

/* +alloc of the class, inside the barrier. */
id cvz__alloc(Class cls);

/* Records a failure in the scope (the first one wins) and returns its status. */
int cvz__fail(struct cvz__scope *s, cvz_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Turns the scope's NSError (from an out-parameter) into the scope's error. */
int cvz__fail_nserror(struct cvz__scope *s);
/* A CVZ_E_FRAMEWORK error describing an NSError. */
cvz_error *cvz__error_from_nserror(id nserror, const char *api_name);

/* The value of an NSString constant of the framework, as a new C string. */
char *cvz__constant_string(const char *symbol, int introduced, const char *c_function, cvz_error **error);

/* ---- argument conversions: 0, or a negative status with the error set ---- */

/* The object behind a live handle (NULL, released and foreign pointers are reported). */
int cvz__arg_live(struct cvz__scope *s, const void *handle, const char *param, id *out);
int cvz__arg_self(struct cvz__scope *s, const void *handle, id *out);
int cvz__arg_object(struct cvz__scope *s, const void *handle, int class_index, const char *param,
                    bool nullable, id *out);
int cvz__arg_string(struct cvz__scope *s, const char *text, const char *param, bool nullable, id *out);
int cvz__arg_url(struct cvz__scope *s, const char *path, const char *param, bool nullable, id *out);
int cvz__arg_file_handle(struct cvz__scope *s, int fd, const char *param, bool nullable, id *out);
/* An NSURL given as text with its scheme ("nbd://host/export"), not a file path. */
int cvz__arg_remote_url(struct cvz__scope *s, const char *text, const char *param, bool nullable, id *out);
/* A file descriptor that must be a socket of `kind` (checked), duplicated like any other. */
enum cvz__socket_kind { CVZ__SOCKET_DATAGRAM };
int cvz__arg_socket(struct cvz__scope *s, int fd, const char *param, bool nullable, enum cvz__socket_kind kind,
                    id *out);
int cvz__arg_uuid(struct cvz__scope *s, const char *text, const char *param, bool nullable, id *out);
int cvz__arg_data(struct cvz__scope *s, const void *bytes, size_t length, const char *param, bool nullable, id *out);
int cvz__arg_array(struct cvz__scope *s, const void *const *handles, size_t count, int class_index,
                   const char *param, id *out);
/* An NSDictionary from names (UTF-8, distinct) to objects of class_index: two parallel arrays. */
int cvz__arg_dictionary(struct cvz__scope *s, const char *const *keys, const void *const *handles, size_t count,
                        int class_index, const char *param, id *out);
/* A BOOL * out-parameter: the frame points at *slot; the caller's pointer must not be NULL. */
int cvz__arg_bool_out(struct cvz__scope *s, const bool *caller, const char *param, BOOL *slot, BOOL **out);
/* A dispatch_queue_t parameter of an initializer: a new serial queue that the
 * new object's handle keeps, and every call on it is routed onto. */
int cvz__arg_new_queue(struct cvz__scope *s, id *out);

/* ---- result conversions ------------------------------------------------- */

/* A handle for obj: `owned` when obj is already +1 (init), retained otherwise. */
void *cvz__result_object(struct cvz__scope *s, id obj, bool owned, bool nullable);
char *cvz__result_string(struct cvz__scope *s, id string, bool nullable);
char *cvz__result_url(struct cvz__scope *s, id url, bool nullable);
int cvz__result_file_handle(struct cvz__scope *s, id handle, bool nullable);
void *cvz__result_array(struct cvz__scope *s, id array, size_t *count);
char *cvz__result_uuid(struct cvz__scope *s, id uuid, bool nullable);
void *cvz__result_data(struct cvz__scope *s, id data, bool nullable, size_t *length);
/* NSArray<NSData *>: a cvz_bytes array (copies), freed with cvz_bytes_array_free(). */
cvz_bytes *cvz__result_data_array(struct cvz__scope *s, id array, size_t *count);
/* NSDictionary<NSString *, id>: handles sorted by name, names in *keys (cvz_string_array_free). */
void *cvz__result_dictionary(struct cvz__scope *s, id dictionary, char ***keys, size_t *count);

/* ---- completion handlers as blocks built in C (clang's Block ABI) ------- */

struct cvz__block_descriptor {
    unsigned long reserved;
    unsigned long size;
    void (*copy)(void *dst, void *src);
    void (*dispose)(void *block);
    const char *signature;
    /* Called instead of the callback when the block dies uninvoked. */
    void (*dropped)(struct cvz__box *box);
};

struct cvz__block {
    void *isa;
    int flags;
    int reserved;
    void (*invoke)(void);
    const struct cvz__block_descriptor *descriptor;
    struct cvz__box *box; /* the captured variable */
};

/*
 * Prepares a stack block whose invoke is `invoke` and whose callback is
 * fn(context); the scope keeps it alive until after the send.  0 or status.
 */
int cvz__block_init(struct cvz__scope *s, struct cvz__block *block, const struct cvz__block_descriptor *desc,
                    void (*invoke)(void), void (*fn)(void), void *context);
/* Block ABI helpers: a copy of the block takes a reference on the box; dispose drops it. */
void cvz__block_copy(void *dst, void *src);
void cvz__block_dispose(void *block);
/*
 * The scope's own reference, dropped on leave.  When the call failed, the
 * callback is cancelled first: a wrapper that returns an error never calls it.
 */
void cvz__box_release_scope(struct cvz__box *box, bool call_failed);

/* In a trampoline: the box's callback, context and API name. */
void (*cvz__box_fn(struct cvz__box *box))(void);
void *cvz__box_context(struct cvz__box *box);
/* Claims the right to call the callback; false if it already ran. */
bool cvz__box_claim(struct cvz__box *box);
/* An error from a block's NSError argument (NULL for nil); freed by the caller. */
cvz_error *cvz__box_error(struct cvz__box *box, id nserror);
/* The error handed to a dropped callback. */
cvz_error *cvz__box_dropped_error(struct cvz__box *box);

#define CVZ__BLOCK_HAS_COPY_DISPOSE (1 << 25)
#define CVZ__BLOCK_HAS_SIGNATURE (1 << 30)

/* ---- delegates: protocols implemented by C callbacks ------------------------ */

struct cvz__delegate_method {
    const char *selector;
    const char *types; /* Objective-C type encoding for class_addMethod */
    cvz__fn imp;       /* the generated IMP, cast back to its exact type by the runtime's caller */
};

/* A protocol, and the class the core registers at run time to implement it. */
struct cvz__protocol {
    const char *name;       /* "VZVirtualMachineDelegate" */
    const char *class_name; /* "CVZVirtualMachineDelegate" */
    const char *c_function; /* "cvz_virtual_machine_delegate_new", for messages */
    int introduced;
    const struct cvz__delegate_method *methods;
    size_t method_count;
    size_t callbacks_size; /* sizeof the public callbacks struct this library knows */
    _Atomic(Class) cls;    /* Nil until registered */
};

/* A new delegate object (handle) whose methods call a copy of `callbacks`. */
void *cvz__delegate_new(struct cvz__protocol *p, const void *callbacks, size_t size, void *context,
                        void (*destroy)(void *), cvz_error **error);
/* In a generated IMP: the callbacks and context of the delegate object `self`. */
const void *cvz__delegate_callbacks(id self);
void *cvz__delegate_context(id self);
/* An error for a delegate method's NSError argument (NULL for nil); freed by the caller. */
cvz_error *cvz__delegate_error(id nserror, const char *api_name);
/* A temporary handle for an object passed to a callback (NULL for nil); released after the call.
 * Its calls are routed onto the queue the callback runs on, if that is a libcvz queue. */
void *cvz__borrow(id obj);
/* An NSString argument as UTF-8, valid during the callback (NULL for nil). */
const char *cvz__borrow_utf8(id string);
/* An NSData argument's bytes and length, valid during the callback (NULL and 0 for nil). */
const void *cvz__borrow_bytes(id data, size_t *length);
/* A callback's NSData answer: a copy of bytes (malloc'ed, freed here), nil when bytes is NULL. */
id cvz__delegate_data(void *bytes, size_t length);
/* The class implementing delegate protocol p, registered once; Nil when the runtime refuses it. */
Class cvz__delegate_class(struct cvz__protocol *p);
/* An id<Protocol> argument: a live handle to a delegate made for protocol p. */
int cvz__arg_protocol(struct cvz__scope *s, const void *handle, struct cvz__protocol *p, const char *param,
                      bool nullable, id *out);
/* An NSArray<id<Protocol>> from an array of handles, each checked as cvz__arg_protocol does. */
int cvz__arg_protocol_array(struct cvz__scope *s, const void *const *handles, size_t count, struct cvz__protocol *p,
                            const char *param, id *out);
/* Does obj's class (or a superclass) adopt the protocol?  True when the runtime does not know the protocol. */
bool cvz__conforms(id obj, const char *protocol_name);

/*
 * Callbacks run on the framework's thread for the object, which may have no
 * autorelease pool.  Every trampoline and delegate method does all its work
 * between cvz__callback_enter(), which opens a pool (returned) and marks the
 * thread, and cvz__callback_leave(pool); a blocking call made from a callback
 * then fails with CVZ_E_WRONG_THREAD instead of waiting for itself.
 */
id cvz__callback_enter(void);
void cvz__callback_leave(id pool);
/* Is this thread running a callback now? */
bool cvz__in_callback(void);

/* ---- blocking variants -------------------------------------------------- */

struct cvz__waiter;

/* A new waiter (one reference), or the status: CVZ_E_WRONG_THREAD inside a callback. */
int cvz__waiter_new(struct cvz__waiter **out, const char *api_name, cvz_error **error);
/* The callback given to the asynchronous wrapper; consumes one reference. */
void cvz__waiter_callback(const cvz_error *error, void *waiter);
/* Takes a reference for the pending callback. */
void *cvz__waiter_ref(struct cvz__waiter *w);
void cvz__waiter_unref(struct cvz__waiter *w);
/* Waits (timeout_ms < 0: forever); 0, the callback's status or CVZ_E_TIMEOUT. */
int cvz__waiter_wait(struct cvz__waiter *w, int64_t timeout_ms, const char *api_name, cvz_error **error);
/* For completions delivering (object, error): keeps a new reference to the object; consumes one reference. */
void cvz__waiter_object_callback(void *object, const cvz_error *error, void *waiter);
/* Waits as cvz__waiter_wait; returns the delivered object (the caller's reference) or NULL with error set. */
void *cvz__waiter_wait_object(struct cvz__waiter *w, int64_t timeout_ms, const char *api_name, cvz_error **error);

#endif
