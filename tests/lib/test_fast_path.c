/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_fast_path.c - the wrappers' fast path (cvz__fast_self: a scalar
 * wrapper whose receiver is of the class the full check last accepted goes
 * straight behind the exception barrier) keeps every guard of the full path:
 * handles of another class, released handles, exceptions the method raises,
 * and the VM's queue; and handle release, which takes no lock.  Each case of
 * the fast path runs after it is warm (the same
 * wrapper called successfully first), which is when a missing guard would
 * let the call through.
 *
 * Exceptions: the test replaces -[VZVirtualMachineConfiguration CPUCount] and
 * -setCPUCount: with implementations that raise, through the Objective-C
 * runtime, then puts the simulator's back.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cvz/cvz.h>

#include "fixture.h"

#include <objc/message.h>
#include <objc/objc-exception.h>
#include <objc/runtime.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static cvz_virtual_machine_configuration *warm_configuration(void)
{
    cvz_error *e = NULL;
    cvz_virtual_machine_configuration *config = cvz_virtual_machine_configuration_new(&e);
    assert_ok(e);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(cvz_virtual_machine_configuration_set_cpu_count(config, 2, &e), 0);
        assert_int_equal(cvz_virtual_machine_configuration_cpu_count(config, &e), 2);
        assert_ok(e);
    }
    return config;
}

static void test_other_class_after_warm_up(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    cvz_virtual_machine_configuration *config = warm_configuration();
    cvz_mac_address *mac = cvz_mac_address_random_locally_administered_address(&e);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_configuration_cpu_count((cvz_virtual_machine_configuration *)mac, &e), 0);
    assert_failed(e, CVZ_E_WRONG_HANDLE, "self is a VZMACAddress, not a VZVirtualMachineConfiguration");
    assert_int_equal(cvz_virtual_machine_configuration_set_cpu_count((cvz_virtual_machine_configuration *)mac, 3, &e),
                     CVZ_E_WRONG_HANDLE);
    assert_failed(e, CVZ_E_WRONG_HANDLE, "self is a VZMACAddress, not a VZVirtualMachineConfiguration");
    /* And the right class still goes through. */
    assert_int_equal(cvz_virtual_machine_configuration_cpu_count(config, &e), 2);
    assert_ok(e);
    cvz_release(mac);
    cvz_release(config);
}

static void test_released_after_warm_up(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    cvz_virtual_machine_configuration *config = warm_configuration();
    cvz_release(config);
    assert_int_equal(cvz_virtual_machine_configuration_cpu_count(config, &e), 0);
    assert_failed(e, CVZ_E_WRONG_HANDLE, "self is a handle that was already released");
    assert_int_equal(cvz_virtual_machine_configuration_set_cpu_count(config, 4, &e), CVZ_E_WRONG_HANDLE);
    assert_failed(e, CVZ_E_WRONG_HANDLE, "self is a handle that was already released");
    assert_int_equal(cvz_virtual_machine_configuration_cpu_count(NULL, &e), 0);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "self is NULL");
}

/* ---- exceptions ------------------------------------------------------------ */

#define SEND(T, obj, name, ...)                                                                                        \
    ((T)(void (*)(void))objc_msg_lookup((obj), sel_registerName(name)))((obj), sel_registerName(name), ##__VA_ARGS__)

/* The exception the replaced methods raise: made and released by the test (no autorelease pool needed). */
static id raised;

static id new_string(const char *text)
{
    id string = SEND(id (*)(id, SEL), (id)objc_getClass("NSString"), "alloc");
    return SEND(id (*)(id, SEL, const char *), string, "initWithUTF8String:", text);
}

static void make_exception(void)
{
    id name = new_string("NSRangeException"), reason = new_string("the test raised it");
    id exception = SEND(id (*)(id, SEL), (id)objc_getClass("NSException"), "alloc");
    raised = SEND(id (*)(id, SEL, id, id, id), exception, "initWithName:reason:userInfo:", name, reason, (id)0);
    SEND(void (*)(id, SEL), name, "release");
    SEND(void (*)(id, SEL), reason, "release");
}

static void raise_range(void)
{
    objc_exception_throw(raised);
}

static unsigned long raising_cpu_count(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    raise_range();
    return 0;
}

static void raising_set_cpu_count(id self, SEL cmd, unsigned long n)
{
    (void)self;
    (void)cmd;
    (void)n;
    raise_range();
}

/* Replaces the method's implementation; returns the previous one. */
static IMP replace(const char *selector, IMP imp)
{
    Class cls = objc_getClass("VZVirtualMachineConfiguration");
    Method m = class_getInstanceMethod(cls, sel_registerName(selector));
    assert_non_null(m);
    return class_replaceMethod(cls, sel_registerName(selector), imp, method_getTypeEncoding(m));
}

static void test_exception_after_warm_up(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    cvz_virtual_machine_configuration *config = warm_configuration();
    make_exception();
    IMP getter = replace("CPUCount", (IMP)(void (*)(void))raising_cpu_count);
    IMP setter = replace("setCPUCount:", (IMP)(void (*)(void))raising_set_cpu_count);

    assert_int_equal(cvz_virtual_machine_configuration_cpu_count(config, &e), 0);
    assert_non_null(e);
    assert_string_equal(cvz_error_exception_name(e), "NSRangeException");
    assert_string_equal(cvz_error_exception_reason(e), "the test raised it");
    assert_failed(e, CVZ_E_EXCEPTION,
                  "VZVirtualMachineConfiguration.CPUCount raised NSRangeException: the test raised it");
    assert_int_equal(cvz_virtual_machine_configuration_set_cpu_count(config, 5, &e), CVZ_E_EXCEPTION);
    assert_failed(e, CVZ_E_EXCEPTION, "VZVirtualMachineConfiguration.CPUCount raised NSRangeException");
    /* No error pointer: the status alone. */
    assert_int_equal(cvz_virtual_machine_configuration_set_cpu_count(config, 5, NULL), CVZ_E_EXCEPTION);
    assert_int_equal(cvz_virtual_machine_configuration_cpu_count(config, NULL), 0);

    replace("CPUCount", getter);
    replace("setCPUCount:", setter);
    SEND(void (*)(id, SEL), raised, "release");
    assert_int_equal(cvz_virtual_machine_configuration_cpu_count(config, &e), 2);
    assert_ok(e);
    cvz_release(config);
}

/* ---- queues ------------------------------------------------------------------- */

/* The simulated VM raises when -state or -canStart is sent off its queue: repeated calls must stay routed. */
static void test_queue_after_warm_up(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    struct config c;
    make_config(&c);
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_ok(e);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(cvz_virtual_machine_state(vm, &e), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
        assert_ok(e);
        assert_true(cvz_virtual_machine_can_start(vm, &e));
        assert_ok(e);
    }
    cvz_release(vm);
    free_config(&c);
}

/* ---- release ------------------------------------------------------------------- */

struct release_race {
    pthread_barrier_t start;
    void *handle;
};

static void *release_after_start(void *opaque)
{
    struct release_race *race = opaque;
    pthread_barrier_wait(&race->start);
    cvz_release(race->handle);
    return NULL;
}

/* Release takes no lock: of two releases of one handle at once, exactly one releases the object
 * (a second would over-release it: a crash, or an error under valgrind); the other is reported. */
static void test_concurrent_release(void **state)
{
    (void)state;
    for (int round = 0; round < 20; round++) {
        cvz_error *e = NULL;
        struct release_race race;
        race.handle = cvz_virtual_machine_configuration_new(&e);
        assert_ok(e);
        assert_int_equal(pthread_barrier_init(&race.start, NULL, 2), 0);
        pthread_t other;
        assert_int_equal(pthread_create(&other, NULL, release_after_start, &race), 0);
        release_after_start(&race);
        assert_int_equal(pthread_join(other, NULL), 0);
        pthread_barrier_destroy(&race.start);
        assert_int_equal(cvz_virtual_machine_configuration_cpu_count(race.handle, &e), 0);
        assert_failed(e, CVZ_E_WRONG_HANDLE, "self is a handle that was already released");
    }
}

int main(void)
{
    if (host() < 1100) {
        print_message("nothing is available below macOS 11.0: nothing to test\n");
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_other_class_after_warm_up),
        cmocka_unit_test(test_released_after_warm_up),
        cmocka_unit_test(test_exception_after_warm_up),
        cmocka_unit_test(test_queue_after_warm_up),
        cmocka_unit_test(test_concurrent_release),
    };
    return cmocka_run_group_tests(tests, setup_files, teardown_files);
}
