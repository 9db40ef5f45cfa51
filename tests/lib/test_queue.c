/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_queue.c - every VM works on a serial queue of its own.
 *
 * The simulated framework checks what Apple asserts: a VM given a queue
 * raises when it is called off that queue.  So every call these tests make
 * on a VM proves that libcvz routed it onto the VM's queue; the tests add
 * what the routing must also get right: callbacks run there, calls from a
 * callback run directly (no deadlock), handles derived from the VM share its
 * queue, release works from anywhere, and concurrent callers on several
 * threads are serialized without losing a call.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cvz/cvz.h>

#include "fixture.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
    nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000000L}, NULL);
}

static cvz_virtual_machine *new_vm(struct config *c)
{
    cvz_error *e = NULL;
    make_config(c);
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c->config, &e);
    assert_ok(e);
    assert_non_null(vm);
    return vm;
}

/* ---- callbacks run on the VM's queue, and may call the VM there ------------- */

struct inside {
    cvz_virtual_machine *vm;
    atomic_int done;
    pthread_t thread;
    enum cvz_virtual_machine_state state_inside;
    cvz_status state_status;
    bool could_pause;
    cvz_status blocking_status;
};

static void on_started_call_back_in(const cvz_error *error, void *context)
{
    struct inside *in = context;
    cvz_error *e = NULL;
    assert_null(error);
    in->thread = pthread_self();
    /* Made on the queue already: runs directly (the sim raises if it is not on the queue). */
    in->state_inside = cvz_virtual_machine_state(in->vm, &e);
    in->state_status = e ? cvz_error_status(e) : CVZ_OK;
    cvz_error_free(e);
    e = NULL;
    in->could_pause = cvz_virtual_machine_can_pause(in->vm, &e);
    cvz_error_free(e);
    e = NULL;
    /* A blocking call would wait for a completion this very queue must deliver. */
    in->blocking_status = cvz_virtual_machine_pause_and_wait(in->vm, 1000, &e);
    cvz_error_free(e);
    atomic_store(&in->done, 1);
}

static void test_callback_calls_vm_on_its_queue(void **state)
{
    (void)state;
    struct config c;
    cvz_virtual_machine *vm = new_vm(&c);
    struct inside in = {.vm = vm};
    cvz_error *e = NULL;
    assert_int_equal(cvz_virtual_machine_start(vm, on_started_call_back_in, &in, &e), 0);
    assert_ok(e);
    WAIT_UNTIL(atomic_load(&in.done));
    assert_true(atomic_load(&in.done));
    assert_false(pthread_equal(in.thread, pthread_self()));
    assert_int_equal(in.state_status, CVZ_OK);
    assert_int_equal(in.state_inside, CVZ_VIRTUAL_MACHINE_STATE_RUNNING);
    assert_true(in.could_pause);
    assert_int_equal(in.blocking_status, CVZ_E_WRONG_THREAD);
    /* From here (off the queue), the same blocking call works. */
    assert_int_equal(cvz_virtual_machine_pause_and_wait(vm, WAIT_MS, &e), 0);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_state(vm, &e), CVZ_VIRTUAL_MACHINE_STATE_PAUSED);
    cvz_release(vm);
    free_config(&c);
}

/* ---- handles made from the VM share its queue --------------------------------- */

static void test_retained_handle_shares_queue(void **state)
{
    (void)state;
    struct config c;
    cvz_virtual_machine *vm = new_vm(&c);
    cvz_virtual_machine *again = cvz_retain(vm);
    assert_non_null(again);
    cvz_release(vm);
    cvz_error *e = NULL;
    /* The first handle is gone; the second still reaches the VM on its queue. */
    assert_int_equal(cvz_virtual_machine_start_and_wait(again, WAIT_MS, &e), 0);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_state(again, &e), CVZ_VIRTUAL_MACHINE_STATE_RUNNING);
    assert_ok(e);
    cvz_release(again);
    free_config(&c);
}

/* ---- release from the VM's own queue ---------------------------------------------- */

struct release_inside {
    cvz_virtual_machine *vm;
    atomic_int done;
};

static void on_started_release(const cvz_error *error, void *context)
{
    struct release_inside *r = context;
    (void)error;
    /* The last handle dies on the queue the release would be routed onto: it must run directly. */
    cvz_release(r->vm);
    atomic_store(&r->done, 1);
}

static void test_release_from_callback(void **state)
{
    (void)state;
    struct config c;
    struct release_inside r = {.vm = new_vm(&c)};
    cvz_error *e = NULL;
    assert_int_equal(cvz_virtual_machine_start(r.vm, on_started_release, &r, &e), 0);
    assert_ok(e);
    WAIT_UNTIL(atomic_load(&r.done));
    assert_true(atomic_load(&r.done));
    free_config(&c);
}

/* ---- several threads on one VM ----------------------------------------------------- */

enum { STRESS_THREADS = 4 };

struct stress {
    cvz_virtual_machine *vm;
    int iterations;
    atomic_int calls, unexpected, transitions_refused, completions;
};

static void on_stress_completion(const cvz_error *error, void *context)
{
    struct stress *s = context;
    if (error && !(cvz_error_status(error) == CVZ_E_FRAMEWORK &&
                   cvz_error_ns_code(error) == CVZ_ERROR_INVALID_VIRTUAL_MACHINE_STATE_TRANSITION))
        atomic_fetch_add(&s->unexpected, 1);
    atomic_fetch_add(&s->completions, 1);
}

static void *stress_thread(void *arg)
{
    struct stress *s = arg;
    for (int i = 0; i < s->iterations; i++) {
        cvz_error *e = NULL;
        enum cvz_virtual_machine_state st = cvz_virtual_machine_state(s->vm, &e);
        if (e || st > CVZ_VIRTUAL_MACHINE_STATE_RESTORING)
            atomic_fetch_add(&s->unexpected, 1);
        cvz_error_free(e);
        e = NULL;
        (void)cvz_virtual_machine_can_pause(s->vm, &e);
        (void)cvz_virtual_machine_can_resume(s->vm, &e);
        if (e)
            atomic_fetch_add(&s->unexpected, 1);
        cvz_error_free(e);
        e = NULL;
        /* Racing transitions: each is either accepted or refused as an illegal transition. */
        int rc = i % 2 ? cvz_virtual_machine_pause(s->vm, on_stress_completion, s, &e)
                       : cvz_virtual_machine_resume(s->vm, on_stress_completion, s, &e);
        if (rc != 0)
            atomic_fetch_add(&s->unexpected, 1);
        cvz_error_free(e);
        atomic_fetch_add(&s->calls, 1);
    }
    return NULL;
}

static void test_concurrent_callers(void **state)
{
    (void)state;
    struct config c;
    struct stress s = {.vm = new_vm(&c), .iterations = getenv("CVZ_TEST_SLOW") ? 20 : 200};
    cvz_error *e = NULL;
    assert_int_equal(cvz_virtual_machine_start_and_wait(s.vm, WAIT_MS, &e), 0);
    assert_ok(e);
    pthread_t threads[STRESS_THREADS];
    for (int i = 0; i < STRESS_THREADS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, stress_thread, &s), 0);
    for (int i = 0; i < STRESS_THREADS; i++)
        pthread_join(threads[i], NULL);
    int expected = STRESS_THREADS * s.iterations;
    assert_int_equal(atomic_load(&s.calls), expected);
    /* Every completion arrives exactly once. */
    WAIT_UNTIL(atomic_load(&s.completions) >= expected);
    assert_int_equal(atomic_load(&s.completions), expected);
    assert_int_equal(atomic_load(&s.unexpected), 0);
    /* Still a consistent machine: settle and stop it. */
    enum cvz_virtual_machine_state st = CVZ_VIRTUAL_MACHINE_STATE_ERROR;
    WAIT_UNTIL((st = cvz_virtual_machine_state(s.vm, &e)) == CVZ_VIRTUAL_MACHINE_STATE_RUNNING ||
               st == CVZ_VIRTUAL_MACHINE_STATE_PAUSED);
    assert_true(st == CVZ_VIRTUAL_MACHINE_STATE_RUNNING || st == CVZ_VIRTUAL_MACHINE_STATE_PAUSED);
    if (st == CVZ_VIRTUAL_MACHINE_STATE_PAUSED)
        assert_int_equal(cvz_virtual_machine_resume_and_wait(s.vm, WAIT_MS, &e), 0);
    assert_int_equal(cvz_virtual_machine_request_stop(s.vm, &e), 0);
    assert_ok(e);
    assert_int_equal(wait_state(s.vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    cvz_release(s.vm);
    free_config(&c);
}

/* ---- many VMs, each with its queue, none left behind ------------------------------- */

static int thread_count(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[128];
    int n = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %d", &n) == 1)
            break;
    if (f)
        fclose(f);
    return n;
}

/* The thread count once threads of earlier tests have finished exiting. */
static int settled_thread_count(void)
{
    int n = thread_count(), same = 0;
    for (int i = 0; i < 200 && same < 5; i++) {
        sleep_ms(10);
        int now = thread_count();
        same = now == n ? same + 1 : 0;
        n = now;
    }
    return n;
}

static void test_queues_end_with_their_vms(void **state)
{
    (void)state;
    int before = settled_thread_count();
    enum { VMS = 8 };
    struct config c[VMS];
    cvz_virtual_machine *vms[VMS];
    cvz_error *e = NULL;
    for (int i = 0; i < VMS; i++) {
        vms[i] = new_vm(&c[i]);
        assert_int_equal(cvz_virtual_machine_start(vms[i], NULL, NULL, &e), 0);
        assert_ok(e);
    }
    for (int i = 0; i < VMS; i++)
        assert_int_equal(wait_state(vms[i], CVZ_VIRTUAL_MACHINE_STATE_RUNNING), CVZ_VIRTUAL_MACHINE_STATE_RUNNING);
    assert_true(thread_count() >= before + VMS);
    for (int i = 0; i < VMS; i++) {
        assert_int_equal(cvz_virtual_machine_request_stop(vms[i], &e), 0);
        assert_ok(e);
    }
    for (int i = 0; i < VMS; i++) {
        assert_int_equal(wait_state(vms[i], CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
        cvz_release(vms[i]);
        free_config(&c[i]);
    }
    /* Each VM's queue thread ends once the VM is gone. */
    int after;
    WAIT_UNTIL((after = thread_count()) <= before);
    /* <=: a thread of an earlier test may end only now, on a loaded machine. */
    assert_true(after <= before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_callback_calls_vm_on_its_queue),
        cmocka_unit_test(test_retained_handle_shares_queue),
        cmocka_unit_test(test_release_from_callback),
        cmocka_unit_test(test_concurrent_callers),
        cmocka_unit_test(test_queues_end_with_their_vms),
    };
    return cmocka_run_group_tests(tests, setup_files, teardown_files);
}
