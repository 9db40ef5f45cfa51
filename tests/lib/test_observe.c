/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_observe.c - cvz_virtual_machine_observe_state() against the simulated
 * framework: every transition of start, pause, resume, stop and the guest
 * stopping reaches the callback once, in order, on the machine's queue;
 * removal (also from the callback itself), release of the handle with
 * observers registered, destroy functions called exactly once, bad
 * arguments.  make check-valgrind runs this suite.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cvz/cvz.h>

#include "fixture.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

/* What a callback saw.  Waits use the condition variable: no timing guesses. */
struct seen {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int states[64];
    int count, destroyed, mismatches, wrong_thread;
    /* Set by a test that unregisters from the callback: */
    unsigned long self_id;
    int unobserve_at;
    int unobserve_status, destroyed_inside;
};

static void seen_init(struct seen *s)
{
    *s = (struct seen){.unobserve_at = -1};
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->changed, NULL);
}

static void seen_destroy(struct seen *s)
{
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->changed);
}

static int seen_get(struct seen *s, const int *field)
{
    pthread_mutex_lock(&s->lock);
    int value = *field;
    pthread_mutex_unlock(&s->lock);
    return value;
}

/* Waits (30 s at most: valgrind on a shared machine) until *field reaches value; returns it. */
static int seen_wait(struct seen *s, const int *field, int value)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 30;
    pthread_mutex_lock(&s->lock);
    while (*field < value && pthread_cond_timedwait(&s->changed, &s->lock, &deadline) == 0)
        continue;
    int now = *field;
    pthread_mutex_unlock(&s->lock);
    return now;
}

static void on_state(cvz_virtual_machine *vm, int state, void *context)
{
    struct seen *s = context;
    cvz_error *e = NULL;
    /* On the machine's queue, right after the change: the machine says the same. */
    bool same = (int)cvz_virtual_machine_state(vm, &e) == state && e == NULL;
    cvz_error_free(e);
    e = NULL;
    /* A callback: a blocking call would wait for itself, and is refused. */
    bool refused = cvz_virtual_machine_pause_and_wait(vm, 1000, &e) == CVZ_E_WRONG_THREAD;
    cvz_error_free(e);
    pthread_mutex_lock(&s->lock);
    bool unobserve = state == s->unobserve_at;
    pthread_mutex_unlock(&s->lock);
    int status = 0, destroyed_inside = 0;
    if (unobserve) {
        status = cvz_virtual_machine_unobserve_state(vm, s->self_id, NULL);
        destroyed_inside = seen_get(s, &s->destroyed);
    }
    pthread_mutex_lock(&s->lock);
    if (s->count < 64)
        s->states[s->count] = state;
    s->count++;
    s->mismatches += !same;
    s->wrong_thread += !refused;
    if (unobserve) {
        s->unobserve_status = status;
        s->destroyed_inside = destroyed_inside;
    }
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
}

static void on_destroy(void *context)
{
    struct seen *s = context;
    pthread_mutex_lock(&s->lock);
    s->destroyed++;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
}

static cvz_virtual_machine *new_vm(struct config *c)
{
    cvz_error *e = NULL;
    make_config(c);
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c->config, &e);
    assert_ok(e);
    return vm;
}

static unsigned long observe(cvz_virtual_machine *vm, struct seen *s)
{
    cvz_error *e = NULL;
    unsigned long id = cvz_virtual_machine_observe_state(vm, on_state, s, on_destroy, &e);
    assert_ok(e);
    assert_true(id != 0);
    return id;
}

static void assert_states(struct seen *s, const int *want, int n)
{
    assert_int_equal(seen_wait(s, &s->count, n), n);
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < n; i++)
        if (s->states[i] != want[i])
            fail_msg("change %d: state %d, expected %d", i, (int)s->states[i], (int)want[i]);
    assert_int_equal(s->count, n);
    assert_int_equal(s->mismatches, 0);
    assert_int_equal(s->wrong_thread, 0);
    pthread_mutex_unlock(&s->lock);
}

/* Start, pause, resume, stop, start again, and the guest stopping: each change once, in order. */
static void test_every_transition(void **state)
{
    (void)state;
    if (host() < 1100)
        skip();
    struct config c;
    struct seen s;
    cvz_error *e = NULL;
    seen_init(&s);
    cvz_virtual_machine *vm = new_vm(&c);
    unsigned long id = observe(vm, &s);
    int want[16];
    int n = 0;

    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, 5000, &e), 0);
    want[n++] = CVZ_VIRTUAL_MACHINE_STATE_STARTING;
    want[n++] = CVZ_VIRTUAL_MACHINE_STATE_RUNNING;
    assert_int_equal(cvz_virtual_machine_pause_and_wait(vm, 5000, &e), 0);
    want[n++] = CVZ_VIRTUAL_MACHINE_STATE_PAUSING;
    want[n++] = CVZ_VIRTUAL_MACHINE_STATE_PAUSED;
    assert_int_equal(cvz_virtual_machine_resume_and_wait(vm, 5000, &e), 0);
    want[n++] = CVZ_VIRTUAL_MACHINE_STATE_RESUMING;
    want[n++] = CVZ_VIRTUAL_MACHINE_STATE_RUNNING;
    if (host() >= 1200) {
        assert_int_equal(cvz_virtual_machine_stop_and_wait(vm, 5000, &e), 0);
        want[n++] = CVZ_VIRTUAL_MACHINE_STATE_STOPPING;
        want[n++] = CVZ_VIRTUAL_MACHINE_STATE_STOPPED;
        assert_int_equal(cvz_virtual_machine_start_and_wait(vm, 5000, &e), 0);
        want[n++] = CVZ_VIRTUAL_MACHINE_STATE_STARTING;
        want[n++] = CVZ_VIRTUAL_MACHINE_STATE_RUNNING;
    }
    assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
    if (host() >= 1200)
        want[n++] = CVZ_VIRTUAL_MACHINE_STATE_STOPPING;
    want[n++] = CVZ_VIRTUAL_MACHINE_STATE_STOPPED;
    assert_ok(e);
    assert_states(&s, want, n);

    /* Removed: the destroy function has run, and nothing more arrives. */
    assert_int_equal(cvz_virtual_machine_unobserve_state(vm, id, &e), 0);
    assert_ok(e);
    assert_int_equal(seen_get(&s, &s.destroyed), 1);
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, 5000, &e), 0);
    assert_int_equal(seen_get(&s, &s.count), n);
    /* Removing it again is an error, and calls nothing. */
    assert_int_equal(cvz_virtual_machine_unobserve_state(vm, id, &e), CVZ_E_INVALID_ARGUMENT);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "is not an observer registered on this machine");
    cvz_release(vm);
    assert_int_equal(seen_get(&s, &s.destroyed), 1);
    free_config(&c);
    seen_destroy(&s);
}

/* Releasing the handle removes its observers (each destroy function once, at
 * once); an observer made through another handle of the same machine lives on. */
static void test_release_with_observers(void **state)
{
    (void)state;
    if (host() < 1100)
        skip();
    struct config c;
    struct seen first, second, kept;
    cvz_error *e = NULL;
    seen_init(&first);
    seen_init(&second);
    seen_init(&kept);
    cvz_virtual_machine *vm = new_vm(&c);
    cvz_virtual_machine *other = cvz_retain(vm);
    observe(vm, &first);
    observe(vm, &second);
    observe(other, &kept);
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, 5000, &e), 0);
    assert_int_equal(seen_wait(&first, &first.count, 2), 2);

    /* The guest is asked to stop, then the first handle goes before it has. */
    assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
    cvz_release(vm);
    assert_int_equal(seen_get(&first, &first.destroyed), 1);
    assert_int_equal(seen_get(&second, &second.destroyed), 1);
    int first_count = seen_get(&first, &first.count), second_count = seen_get(&second, &second.count);

    /* The other handle's observer sees the machine stop; the released ones are told nothing. */
    int stopped = host() >= 1200 ? 4 : 3;
    assert_int_equal(seen_wait(&kept, &kept.count, stopped), stopped);
    pthread_mutex_lock(&kept.lock);
    assert_int_equal(kept.states[stopped - 1], CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    pthread_mutex_unlock(&kept.lock);
    assert_int_equal(seen_get(&first, &first.count), first_count);
    assert_int_equal(seen_get(&second, &second.count), second_count);
    assert_int_equal(seen_get(&kept, &kept.destroyed), 0);
    cvz_release(other);
    assert_int_equal(seen_get(&kept, &kept.destroyed), 1);
    assert_int_equal(seen_get(&first, &first.destroyed), 1);
    free_config(&c);
    seen_destroy(&first);
    seen_destroy(&second);
    seen_destroy(&kept);
}

/* A callback removes its own registration: no call after it, and destroy
 * runs when that callback has returned, not inside it. */
static void test_unobserve_from_callback(void **state)
{
    (void)state;
    if (host() < 1100)
        skip();
    struct config c;
    struct seen s;
    cvz_error *e = NULL;
    seen_init(&s);
    cvz_virtual_machine *vm = new_vm(&c);
    s.unobserve_at = CVZ_VIRTUAL_MACHINE_STATE_RUNNING;
    s.self_id = observe(vm, &s);
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, 5000, &e), 0);
    assert_int_equal(seen_wait(&s, &s.destroyed, 1), 1);
    assert_int_equal(s.unobserve_status, 0);
    assert_int_equal(s.destroyed_inside, 0);
    assert_int_equal(cvz_virtual_machine_pause_and_wait(vm, 5000, &e), 0);
    assert_int_equal(seen_get(&s, &s.count), 2); /* starting, running; then nothing */
    assert_int_equal(seen_get(&s, &s.destroyed), 1);
    cvz_release(vm);
    free_config(&c);
    seen_destroy(&s);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    struct config c;
    struct seen s;
    cvz_error *e = NULL;
    seen_init(&s);
    if (host() < 1100) {
        /* No VZVirtualMachine on this host: refused before anything else is looked at. */
        assert_int_equal(cvz_virtual_machine_observe_state(NULL, on_state, &s, on_destroy, &e), 0);
        assert_failed(e, CVZ_E_OS_TOO_OLD, "requires macOS 11.0");
        seen_destroy(&s);
        return;
    }
    make_config(&c);
    assert_int_equal(cvz_virtual_machine_observe_state(NULL, on_state, &s, on_destroy, &e), 0);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "cvz_virtual_machine_observe_state: self is NULL");
    assert_int_equal(cvz_virtual_machine_observe_state((cvz_virtual_machine *)c.config, on_state, &s, on_destroy, &e),
                     0);
    assert_failed(e, CVZ_E_WRONG_HANDLE, "not a VZVirtualMachine");
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_observe_state(vm, NULL, &s, on_destroy, &e), 0);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "callback is NULL");
    assert_int_equal(cvz_virtual_machine_unobserve_state(vm, 0, &e), CVZ_E_INVALID_ARGUMENT);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "0 is not an observer");
    assert_int_equal(cvz_virtual_machine_unobserve_state(NULL, 1, &e), CVZ_E_INVALID_ARGUMENT);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "vm is NULL");
    /* An observer of another machine is not this machine's to remove. */
    cvz_virtual_machine *other = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_ok(e);
    unsigned long id = observe(other, &s);
    assert_int_equal(cvz_virtual_machine_unobserve_state(vm, id, &e), CVZ_E_INVALID_ARGUMENT);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "is not an observer registered on this machine");
    cvz_release(other);
    assert_int_equal(cvz_virtual_machine_unobserve_state(other, id, &e), CVZ_E_WRONG_HANDLE);
    assert_failed(e, CVZ_E_WRONG_HANDLE, "already released");
    assert_int_equal(seen_get(&s, &s.destroyed), 1); /* failed calls never call it */
    cvz_release(vm);
    free_config(&c);
    seen_destroy(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_transition),
        cmocka_unit_test(test_release_with_observers),
        cmocka_unit_test(test_unobserve_from_callback),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, setup_files, teardown_files);
}
