/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_objc_glue.c - what libcvz does on threads the framework owns, seen
 * through the library's internals (linked from libcvz.a):
 *
 *   - block trampolines, delegate methods, calls routed onto a VM's queue and
 *     the exception barrier each run inside an autorelease pool: called on a
 *     bare thread that has none, an object autoreleased there is freed when
 *     the call returns
 *     (without the pool GNUstep leaks it, as Apple's runtime would keep it
 *     until the thread ends);
 *   - the method types libcvz registers encode BOOL as this compiler's
 *     @encode(BOOL) does ("C" with the GNU runtime, "B"/"c" on arm64/x86_64 Apple).
 *
 * Run against the simulated framework (macOS 27.0, arm64); Linux only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "barrier.h"
#include "fixture.h"
#include "cvz-internal.h"
#include "handle.h"
#include "objc.h"
#include "queue.h"

/* ---- objects whose end the test sees ---------------------------------------- */

static atomic_int deallocs;

static void counted_dealloc(id self, SEL cmd)
{
    atomic_fetch_add(&deallocs, 1);
    Class super = class_getSuperclass(object_getClass(self));
    ((void (*)(id, SEL))(cvz__fn)class_getMethodImplementation(super, cmd))(self, cmd);
}

/* A subclass of `super` counting its deallocations in `deallocs`. */
static Class counted_class(const char *name, const char *super)
{
    Class cls = objc_getClass(name);
    if (cls)
        return cls;
    cls = objc_allocateClassPair(objc_getClass(super), name, 0);
    assert_non_null(cls);
    class_addMethod(cls, sel_registerName("dealloc"), (IMP)(cvz__fn)counted_dealloc, "v@:");
    objc_registerClassPair(cls);
    return cls;
}

static id send_init(id obj)
{
    SEL init = sel_registerName("init");
    return ((id (*)(id, SEL))cvz__imp(obj, init))(obj, init);
}

/* What a caller's callback may do: autorelease an object (here one the test counts). */
static void autorelease_one(void)
{
    cvz__autorelease(send_init(cvz__alloc(counted_class("CVZTestCounted", "NSObject"))));
}

/* An NSError made (and kept: +1) where a pool exists. */
static id new_nserror(void)
{
    id pool = cvz__pool_push();
    id cls = (id)objc_getClass("NSError");
    SEL make = sel_registerName("errorWithDomain:code:userInfo:");
    id error = ((id (*)(id, SEL, id, long, id))cvz__imp(cls, make))(cls, make, cvz__string_from_utf8("CVZTestDomain"),
                                                                     7, nil);
    cvz__retain(error);
    cvz__pool_pop(pool);
    return error;
}

/* Runs fn(arg) on a new thread, which has no autorelease pool, and waits for it. */
static void on_bare_thread(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, fn, arg), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
}

struct seen {
    int calls;
    cvz_status status;
    char domain[32];
};

static void record(struct seen *seen, const cvz_error *error)
{
    seen->calls++;
    seen->status = error ? cvz_error_status(error) : CVZ_OK;
    strncpy(seen->domain, error ? cvz_error_ns_domain(error) : "", sizeof seen->domain - 1);
    autorelease_one();
}

/* ---- delegate methods ------------------------------------------------------------ */

static void vm_did_stop(cvz_virtual_machine *vm, const cvz_error *error, void *context)
{
    (void)vm;
    record(context, error);
}

struct imp_call {
    id delegate;
    id error;
};

static void *call_did_stop(void *opaque)
{
    struct imp_call *c = opaque;
    SEL sel = sel_registerName("virtualMachine:didStopWithError:");
    ((void (*)(id, SEL, id, id))cvz__imp(c->delegate, sel))(c->delegate, sel, nil, c->error);
    return NULL;
}

static void test_delegate_method_has_a_pool(void **state)
{
    (void)state;
    struct seen seen = {0};
    struct cvz_virtual_machine_delegate_callbacks cb = {.size = sizeof cb, .virtual_machine_did_stop_with_error = vm_did_stop};
    cvz_error *e = NULL;
    struct cvz_virtual_machine_delegate *d = cvz_virtual_machine_delegate_new(&cb, &seen, NULL, &e);
    assert_non_null(d);
    struct imp_call call = {((struct cvz__handle *)d)->object, new_nserror()};
    int before = atomic_load(&deallocs);
    on_bare_thread(call_did_stop, &call);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.status, CVZ_E_FRAMEWORK);
    assert_string_equal(seen.domain, "CVZTestDomain");
    assert_int_equal(atomic_load(&deallocs) - before, 1); /* drained when the method returned */
    cvz__release(call.error);
    cvz_release(d);
}

/* ---- block trampolines ----------------------------------------------------------- */

static struct cvz__block *captured; /* the block the "framework" kept */

/* libBlocksRuntime's, not GNUstep Base's same-named functions, which copy only
 * GNUstep's own blocks (see sim/core/block.h). */
static void *(*block_copy)(const void *);
static void (*block_release)(const void *);

static void find_blocks_runtime(void)
{
    void *runtime = dlopen("libBlocksRuntime.so.0", RTLD_NOW | RTLD_LOCAL);
    assert_non_null(runtime);
    *(void **)&block_copy = dlsym(runtime, "_Block_copy");
    *(void **)&block_release = dlsym(runtime, "_Block_release");
    assert_non_null(block_copy);
    assert_non_null(block_release);
}

/* Stands in for +[VZLinuxRosettaDirectoryShare installRosettaWithCompletionHandler:]: keeps the block. */
static void keep_handler(id self, SEL cmd, void *handler)
{
    (void)self;
    (void)cmd;
    captured = block_copy(handler);
}

static void install_done(const cvz_error *error, void *context)
{
    record(context, error);
}

static void *invoke_captured(void *error)
{
    ((void (*)(struct cvz__block *, id))captured->invoke)(captured, error);
    return NULL;
}

static void test_trampoline_has_a_pool(void **state)
{
    (void)state;
    find_blocks_runtime();
    assert_true(cvz_api_available("VZLinuxRosettaDirectoryShare", NULL)); /* loads the framework */
    Class meta = object_getClass((id)objc_getClass("VZLinuxRosettaDirectoryShare"));
    SEL sel = sel_registerName("installRosettaWithCompletionHandler:");
    IMP original = class_replaceMethod(meta, sel, (IMP)(cvz__fn)keep_handler, "v@:@?");
    struct seen seen = {0};
    cvz_error *e = NULL;
    assert_int_equal(cvz_linux_rosetta_directory_share_install_rosetta(install_done, &seen, &e), 0);
    class_replaceMethod(meta, sel, original, "v@:@?");
    assert_non_null(captured);
    id error = new_nserror();
    int before = atomic_load(&deallocs);
    on_bare_thread(invoke_captured, error);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.status, CVZ_E_FRAMEWORK);
    assert_string_equal(seen.domain, "CVZTestDomain");
    assert_int_equal(atomic_load(&deallocs) - before, 1);
    block_release(captured);
    captured = NULL;
    cvz__release(error);
}

/* ---- calls routed onto a VM's queue ------------------------------------------------ */

/* Stands in for -[VZVirtualMachine canStart]: framework code that autoreleases. */
static BOOL can_start_autoreleasing(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    autorelease_one();
    return 1;
}

static void *ask_can_start(void *vm)
{
    cvz_error *e = NULL;
    assert_true(cvz_virtual_machine_can_start(vm, &e));
    assert_ok(e);
    return NULL;
}

/* A scalar getter carries no object back, yet on the VM's queue it gets a pool. */
static void test_routed_call_has_a_pool(void **state)
{
    (void)state;
    struct config c;
    make_config(&c);
    cvz_error *e = NULL;
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_ok(e);
    Class cls = objc_getClass("VZVirtualMachine");
    SEL sel = sel_registerName("canStart");
    IMP original = class_replaceMethod(cls, sel, (IMP)(cvz__fn)can_start_autoreleasing, CVZ__ENCODE_BOOL "@:");
    int before = atomic_load(&deallocs);
    on_bare_thread(ask_can_start, vm);
    class_replaceMethod(cls, sel, original, CVZ__ENCODE_BOOL "@:");
    assert_int_equal(atomic_load(&deallocs) - before, 1);
    cvz_release(vm);
    free_config(&c);
}

/* An object whose -dealloc autoreleases (as a framework object's may). */
static void dealloc_autoreleasing(id self, SEL cmd)
{
    autorelease_one();
    Class super = class_getSuperclass(object_getClass(self));
    ((void (*)(id, SEL))(cvz__fn)class_getMethodImplementation(super, cmd))(self, cmd);
}

static void *release_handle(void *handle)
{
    cvz_release(handle);
    return NULL;
}

/* Releasing a handle of a VM's object is routed onto the VM's queue: with a pool. */
static void test_routed_release_has_a_pool(void **state)
{
    (void)state;
    Class cls = objc_getClass("CVZTestAutoreleasingDealloc");
    if (!cls) {
        cls = objc_allocateClassPair(objc_getClass("NSObject"), "CVZTestAutoreleasingDealloc", 0);
        class_addMethod(cls, sel_registerName("dealloc"), (IMP)(cvz__fn)dealloc_autoreleasing, "v@:");
        objc_registerClassPair(cls);
    }
    void *queue = cvz__queue_new("test_objc_glue");
    assert_non_null(queue);
    struct cvz__handle *h = cvz__handle_new(send_init(cvz__alloc(cls)), queue);
    cvz__queue_unref(queue); /* the handle keeps its own reference */
    int before = atomic_load(&deallocs);
    on_bare_thread(release_handle, h);
    assert_int_equal(atomic_load(&deallocs) - before, 1);
}

/* ---- the exception barrier --------------------------------------------------------- */

static void throw_it(void *exception)
{
    SEL raise = sel_registerName("raise");
    ((void (*)(id, SEL))cvz__imp(exception, raise))(exception, raise);
}

struct barrier_run {
    id exception;
    id caught;
};

static void *run_barrier(void *opaque)
{
    struct barrier_run *r = opaque;
    r->caught = cvz__barrier(throw_it, r->exception);
    return NULL;
}

/* The caught exception is the caller's reference; whatever the runtime autoreleased is drained. */
static void test_barrier_has_a_pool(void **state)
{
    (void)state;
    id cls = (id)counted_class("CVZTestException", "NSException");
    SEL make = sel_registerName("initWithName:reason:userInfo:");
    id pool = cvz__pool_push();
    id exception = cvz__alloc((Class)cls);
    exception = ((id (*)(id, SEL, id, id, id))cvz__imp(exception, make))(
        exception, make, cvz__string_from_utf8("CVZTestException"), cvz__string_from_utf8("thrown by the test"), nil);
    cvz__pool_pop(pool);
    struct barrier_run run = {exception, nil};
    int before = atomic_load(&deallocs);
    on_bare_thread(run_barrier, &run);
    assert_ptr_equal(run.caught, exception);
    cvz__release(run.caught);
    assert_int_equal(atomic_load(&deallocs), before); /* the test's own reference remains */
    cvz__release(exception);
    assert_int_equal(atomic_load(&deallocs) - before, 1);
}

/* ---- BOOL in method types ------------------------------------------------------------ */

/* @encode(BOOL) as this compiler sees BOOL. */
#define ENCODE_BOOL _Generic((BOOL)0, _Bool: 'B', signed char: 'c', unsigned char: 'C')

static const char *types_of(const char *class_name, const char *selector)
{
    Method m = class_getInstanceMethod(objc_getClass(class_name), sel_registerName(selector));
    assert_non_null(m);
    return method_getTypeEncoding(m);
}

static bool should_accept(cvz_virtio_socket_listener *listener, cvz_virtio_socket_connection *connection,
                          cvz_virtio_socket_device *device, void *context)
{
    (void)listener;
    (void)connection;
    (void)device;
    (void)context;
    return true;
}

static void test_bool_encoding(void **state)
{
    (void)state;
    struct cvz_virtio_socket_listener_delegate_callbacks cb = {.size = sizeof cb,
                                                               .listener_should_accept_new_connection_from_socket_device =
                                                                   should_accept};
    cvz_error *e = NULL;
    struct cvz_virtio_socket_listener_delegate *d = cvz_virtio_socket_listener_delegate_new(&cb, NULL, NULL, &e);
    assert_non_null(d);
    char want[8];
    snprintf(want, sizeof want, "%c@:@@@", ENCODE_BOOL);
    assert_string_equal(types_of("CVZVirtioSocketListenerDelegate", "listener:shouldAcceptNewConnection:fromSocketDevice:"),
                        want);
    cvz_release(d);
    /* A BOOL answer of a 27.0 delegate, and a void method for contrast. */
    struct cvz_custom_virtio_device_delegate_callbacks ccb = {.size = sizeof ccb};
    struct cvz_custom_virtio_device_delegate *cd = cvz_custom_virtio_device_delegate_new(&ccb, NULL, NULL, &e);
    assert_non_null(cd);
    snprintf(want, sizeof want, "%c@:@@", ENCODE_BOOL);
    assert_string_equal(types_of("CVZCustomVirtioDeviceDelegate", "customVirtioDeviceShouldRestore:saveState:"), want);
    struct cvz_virtual_machine_delegate_callbacks vcb = {.size = sizeof vcb};
    struct cvz_virtual_machine_delegate *vd = cvz_virtual_machine_delegate_new(&vcb, NULL, NULL, &e);
    assert_non_null(vd);
    assert_string_equal(types_of("CVZVirtualMachineDelegate", "virtualMachine:didStopWithError:"), "v@:@@");
    cvz_release(vd);
    cvz_release(cd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delegate_method_has_a_pool),
        cmocka_unit_test(test_trampoline_has_a_pool),
        cmocka_unit_test(test_routed_call_has_a_pool),
        cmocka_unit_test(test_routed_release_has_a_pool),
        cmocka_unit_test(test_barrier_has_a_pool),
        cmocka_unit_test(test_bool_encoding),
    };
    return cmocka_run_group_tests(tests, setup_files, teardown_files);
}
