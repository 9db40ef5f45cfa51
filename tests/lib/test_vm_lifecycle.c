/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_vm_lifecycle.c - a VM's life seen from C through libcvz, against the
 * simulated framework: its serial console both ways, its state machine
 * (the can… predicates, illegal transitions), every way it stops
 * (a stop request, the guest powering off or panicking from its console, a
 * crash, a forced stop, its release while running) with the delegate calls
 * each one makes, file descriptors that do not leak, and thousands of
 * create/start/stop/release cycles (make check-valgrind runs this suite).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cvz/cvz.h>

#include "fixture.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- the console ------------------------------------------------------------------ */

struct console_text {
    char text[8192];
    size_t length;
};

/* Reads the guest's console (c->console_pipe[0]) until `text` has appeared, WAIT_MS at most. */
static bool console_shows(struct config *c, struct console_text *t, const char *text)
{
    for (int waited = 0; !strstr(t->text, text); waited += 10) {
        struct pollfd p = {c->console_pipe[0], POLLIN, 0};
        if (waited > WAIT_MS || t->length + 1 >= sizeof t->text)
            return false;
        if (poll(&p, 1, 10) != 1)
            continue;
        ssize_t n = read(c->console_pipe[0], t->text + t->length, sizeof t->text - 1 - t->length);
        if (n <= 0)
            return false;
        t->length += (size_t)n;
        t->text[t->length] = '\0';
    }
    return true;
}

static void type(struct config *c, const char *line)
{
    assert_int_equal(write(c->console_input[1], line, strlen(line)), (ssize_t)strlen(line));
}

/* ---- the delegate ------------------------------------------------------------------ */

struct log {
    pthread_mutex_t lock;
    int guest_stops, errors, destroyed;
    long error_code;
    int state_seen;
};

static void on_guest_stop(cvz_virtual_machine *vm, void *context)
{
    struct log *log = context;
    int state = cvz_virtual_machine_state(vm, NULL);
    pthread_mutex_lock(&log->lock);
    log->guest_stops++;
    log->state_seen = state;
    pthread_mutex_unlock(&log->lock);
}

static void on_error(cvz_virtual_machine *vm, const cvz_error *error, void *context)
{
    struct log *log = context;
    int state = cvz_virtual_machine_state(vm, NULL);
    pthread_mutex_lock(&log->lock);
    log->errors++;
    log->error_code = cvz_error_ns_code(error);
    log->state_seen = state;
    pthread_mutex_unlock(&log->lock);
}

static void on_destroy(void *context)
{
    struct log *log = context;
    pthread_mutex_lock(&log->lock);
    log->destroyed++;
    pthread_mutex_unlock(&log->lock);
}

static int log_get(struct log *log, const int *field)
{
    pthread_mutex_lock(&log->lock);
    int value = *field;
    pthread_mutex_unlock(&log->lock);
    return value;
}

/* Waits (WAIT_MS at most) for *field to reach `value`; returns what it is. */
static int log_wait(struct log *log, const int *field, int value)
{
    WAIT_UNTIL(log_get(log, field) >= value);
    return log_get(log, field);
}

static struct cvz_virtual_machine_delegate *new_delegate(struct log *log)
{
    struct cvz_virtual_machine_delegate_callbacks cb = {
        .size = sizeof cb, .guest_did_stop_virtual_machine = on_guest_stop, .virtual_machine_did_stop_with_error = on_error};
    cvz_error *e = NULL;
    struct cvz_virtual_machine_delegate *delegate = cvz_virtual_machine_delegate_new(&cb, log, on_destroy, &e);
    assert_ok(e);
    return delegate;
}

/* ---- the tests ----------------------------------------------------------------------- */

/* Console text comes back from the guest; input reaches it: lines are echoed,
 * and `poweroff` stops the machine as the guest's own doing. */
static void test_console_round_trip(void **state)
{
    (void)state;
    struct config c;
    struct console_text t = {"", 0};
    struct log log = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, -1};
    cvz_error *e = NULL;

    make_config_with_input(&c);
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_ok(e);
    struct cvz_virtual_machine_delegate *delegate = new_delegate(&log);
    assert_int_equal(cvz_virtual_machine_set_delegate(vm, delegate, &e), 0);

    type(&c, "typed before boot\n"); /* waits in the pipe until the guest reads it */
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    assert_ok(e);
    assert_true(console_shows(&c, &t, "Command line: console=hvc0\r\n"));
    assert_true(console_shows(&c, &t, "Welcome to the simulated guest\r\ntyped before boot\r\n"));
    type(&c, "hello from the host\n");
    assert_true(console_shows(&c, &t, "typed before boot\r\nhello from the host\r\n"));
    assert_int_equal(cvz_virtual_machine_state(vm, &e), CVZ_VIRTUAL_MACHINE_STATE_RUNNING);

    type(&c, "poweroff\n");
    assert_true(console_shows(&c, &t, "poweroff\r\nreboot: Power down\r\n"));
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    assert_int_equal(log_wait(&log, &log.guest_stops, 1), 1);
    assert_int_equal(log_get(&log, &log.errors), 0);

    cvz_release(delegate);
    cvz_release(vm);
    assert_int_equal(log_wait(&log, &log.destroyed, 1), 1);
    free_config(&c);
}

/* Every way a VM stops, observed from C: the state it ends in, and which delegate method ran. */
static void test_every_way_to_stop(void **state)
{
    (void)state;
    struct config c;
    struct console_text t = {"", 0};
    struct log log = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, -1};
    cvz_error *e = NULL;
    int host_level = host();

    make_config_with_input(&c);
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    struct cvz_virtual_machine_delegate *delegate = new_delegate(&log);
    assert_int_equal(cvz_virtual_machine_set_delegate(vm, delegate, &e), 0);
    cvz_release(delegate); /* the machine keeps it */

    /* 1. The host asks, the guest powers off: guestDidStopVirtualMachine:. */
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    assert_int_equal(log_wait(&log, &log.guest_stops, 1), 1);
    assert_int_equal(log.state_seen, CVZ_VIRTUAL_MACHINE_STATE_STOPPED);

    /* 2. The guest powers off by itself (from its console): guestDidStopVirtualMachine: again. */
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    type(&c, "poweroff\n");
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    assert_int_equal(log_wait(&log, &log.guest_stops, 2), 2);

    /* 3. The guest panics: error state, virtualMachine:didStopWithError:. */
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    type(&c, "panic\n");
    assert_true(console_shows(&c, &t, "Kernel panic - not syncing"));
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_ERROR), CVZ_VIRTUAL_MACHINE_STATE_ERROR);
    assert_int_equal(log_wait(&log, &log.errors, 1), 1);
    assert_int_equal(log.error_code, CVZ_ERROR_INTERNAL);
    assert_int_equal(log.state_seen, CVZ_VIRTUAL_MACHINE_STATE_ERROR);
    assert_true(cvz_virtual_machine_can_start(vm, &e));
    assert_false(cvz_virtual_machine_can_request_stop(vm, &e));

    /* 4. It crashes on its own, after a start from the error state. */
    setenv("CVZ_SIM_GUEST_CRASH_AFTER_MS", "20", 1);
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    unsetenv("CVZ_SIM_GUEST_CRASH_AFTER_MS");
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_ERROR), CVZ_VIRTUAL_MACHINE_STATE_ERROR);
    assert_int_equal(log_wait(&log, &log.errors, 2), 2);

    /* 5. A forced stop (12.0), from error and from running: stopped, and no delegate call. */
    if (host_level >= 1200) {
        assert_true(cvz_virtual_machine_can_stop(vm, &e));
        assert_int_equal(cvz_virtual_machine_stop_and_wait(vm, WAIT_MS, &e), 0);
        assert_int_equal(cvz_virtual_machine_state(vm, &e), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
        assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
        assert_int_equal(cvz_virtual_machine_stop_and_wait(vm, WAIT_MS, &e), 0);
        assert_int_equal(cvz_virtual_machine_state(vm, &e), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
        /* Stopping a stopped machine is an illegal transition. */
        assert_false(cvz_virtual_machine_can_stop(vm, &e));
        assert_int_equal(cvz_virtual_machine_stop_and_wait(vm, WAIT_MS, &e), CVZ_E_FRAMEWORK);
        assert_int_equal(cvz_error_ns_code(e), CVZ_ERROR_INVALID_VIRTUAL_MACHINE_STATE_TRANSITION);
        cvz_error_free(e);
        e = NULL;
        /* Delegate calls come on the machine's queue before the completions
         * waited for above: none came for the forced stops. */
        assert_int_equal(log_get(&log, &log.guest_stops), 2);
        assert_int_equal(log_get(&log, &log.errors), 2);
    }
    assert_ok(e);

    /* 6. Released while running, with a stop request on its way: the
     * delegate's context lives until nothing can call it, then goes once. */
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
    assert_int_equal(log_get(&log, &log.destroyed), 0);
    cvz_release(vm);
    assert_int_equal(log_wait(&log, &log.destroyed, 1), 1);
    assert_int_equal(log_get(&log, &log.guest_stops), 3); /* the pending power-off still ran, then the machine went */
    assert_ok(e);
    free_config(&c);
}

/* The can… predicates in each state, and every illegal transition failing with Apple's code 4. */
struct predicates {
    bool start, request_stop, pause, resume, stop;
};

static void assert_predicates(cvz_virtual_machine *vm, struct predicates want)
{
    cvz_error *e = NULL;
    assert_int_equal(cvz_virtual_machine_can_start(vm, &e), want.start);
    assert_int_equal(cvz_virtual_machine_can_request_stop(vm, &e), want.request_stop);
    assert_int_equal(cvz_virtual_machine_can_pause(vm, &e), want.pause);
    assert_int_equal(cvz_virtual_machine_can_resume(vm, &e), want.resume);
    assert_ok(e);
    if (host() >= 1200) {
        assert_int_equal(cvz_virtual_machine_can_stop(vm, &e), want.stop);
        assert_ok(e);
    }
}

/* `call` (which sets e) fails as an illegal transition. */
#define ASSERT_ILLEGAL(call)                                                                          \
    do {                                                                                              \
        int status_ = (call);                                                                         \
        assert_int_equal(status_, CVZ_E_FRAMEWORK);                                                   \
        assert_non_null(e);                                                                           \
        assert_int_equal(cvz_error_ns_code(e), CVZ_ERROR_INVALID_VIRTUAL_MACHINE_STATE_TRANSITION);   \
        cvz_error_free(e);                                                                            \
        e = NULL;                                                                                     \
    } while (0)

static void test_state_machine(void **state)
{
    (void)state;
    struct config c;
    cvz_error *e = NULL;

    make_config(&c);
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_ok(e);

    assert_predicates(vm, (struct predicates){.start = true});
    ASSERT_ILLEGAL(cvz_virtual_machine_pause_and_wait(vm, WAIT_MS, &e));
    ASSERT_ILLEGAL(cvz_virtual_machine_resume_and_wait(vm, WAIT_MS, &e));
    ASSERT_ILLEGAL(cvz_virtual_machine_request_stop(vm, &e));
    if (host() >= 1200)
        ASSERT_ILLEGAL(cvz_virtual_machine_stop_and_wait(vm, WAIT_MS, &e));

    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    assert_predicates(vm, (struct predicates){.request_stop = true, .pause = true, .stop = true});
    ASSERT_ILLEGAL(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e));
    ASSERT_ILLEGAL(cvz_virtual_machine_resume_and_wait(vm, WAIT_MS, &e));

    assert_int_equal(cvz_virtual_machine_pause_and_wait(vm, WAIT_MS, &e), 0);
    assert_int_equal(cvz_virtual_machine_state(vm, &e), CVZ_VIRTUAL_MACHINE_STATE_PAUSED);
    assert_predicates(vm, (struct predicates){.resume = true, .stop = true});
    ASSERT_ILLEGAL(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e));
    ASSERT_ILLEGAL(cvz_virtual_machine_pause_and_wait(vm, WAIT_MS, &e));
    ASSERT_ILLEGAL(cvz_virtual_machine_request_stop(vm, &e));

    assert_int_equal(cvz_virtual_machine_resume_and_wait(vm, WAIT_MS, &e), 0);
    assert_int_equal(cvz_virtual_machine_state(vm, &e), CVZ_VIRTUAL_MACHINE_STATE_RUNNING);
    assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    assert_predicates(vm, (struct predicates){.start = true});
    assert_ok(e);
    cvz_release(vm);
    free_config(&c);
}

/* How many descriptors this process has open. */
static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int count = 0;
    assert_non_null(d);
    for (struct dirent *entry; (entry = readdir(d)) != NULL;)
        if (entry->d_name[0] != '.')
            count++;
    closedir(d);
    return count - 1; /* the directory's own */
}

/* One life of a machine with every kind of descriptor the library takes:
 * console input and output, a datagram socket for the network, and the
 * failure paths (a closed descriptor, a stream socket). */
static void fd_cycle(void)
{
    struct config c;
    cvz_error *e = NULL;
    int net[2], stream[2];

    make_config_with_input(&c);
    assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, net), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, stream), 0);
    cvz_file_handle_network_device_attachment *attachment =
        cvz_file_handle_network_device_attachment_new_with_file_handle(net[0], &e);
    assert_ok(e);
    close(net[0]); /* the library has its own */
    assert_null(cvz_file_handle_network_device_attachment_new_with_file_handle(stream[0], &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "datagram");
    e = NULL;
    int closed = 999; /* not open: nothing here opens that many */
    assert_int_equal(fcntl(closed, F_GETFD), -1);
    assert_null(cvz_file_handle_network_device_attachment_new_with_file_handle(closed, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "not an open file descriptor");
    e = NULL;
    assert_int_equal(cvz_network_device_configuration_set_attachment(
                         cvz_virtio_network_device_configuration_as_network_device_configuration(c.net),
                         cvz_file_handle_network_device_attachment_as_network_device_attachment(attachment), &e),
                     0);
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    type(&c, "poweroff\n");
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    cvz_release(vm);
    cvz_release(attachment);
    close(net[1]);
    close(stream[0]);
    close(stream[1]);
    free_config(&c);
}

/* The library closes every descriptor it duplicated once the objects that own them are gone. */
static void test_no_fd_leaks(void **state)
{
    (void)state;
    setenv("CVZ_SIM_START_DELAY_MS", "0", 1);
    setenv("CVZ_SIM_STOP_DELAY_MS", "0", 1);
    fd_cycle(); /* the first one may open what the runtime keeps for good */
    int before = open_fds();
    for (int i = 0; i < 50; i++)
        fd_cycle();
    /* A machine's console reader and queue end with it: give the last one a moment. */
    WAIT_UNTIL(open_fds() == before);
    assert_int_equal(open_fds(), before);
    unsetenv("CVZ_SIM_START_DELAY_MS");
    unsetenv("CVZ_SIM_STOP_DELAY_MS");
}

/* Thousands of create/start/stop/release cycles (CVZ_TEST_CYCLES, default
 * 1000), alternating a stop request and, where the host has it, a forced
 * stop; every machine reads its console.  Under valgrind: no leak, no invalid access. */
static void test_many_cycles(void **state)
{
    (void)state;
    const char *env = getenv("CVZ_TEST_CYCLES");
    int cycles = env && *env ? atoi(env) : 1000;
    struct config c;
    cvz_error *e = NULL;

    setenv("CVZ_SIM_START_DELAY_MS", "0", 1);
    setenv("CVZ_SIM_GUEST_SHUTDOWN_DELAY_MS", "0", 1);
    setenv("CVZ_SIM_STOP_DELAY_MS", "0", 1);
    make_config_with_input(&c);
    for (int i = 0; i < cycles; i++) {
        cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
        assert_ok(e);
        assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
        if (i % 2 && host() >= 1200) {
            assert_int_equal(cvz_virtual_machine_stop_and_wait(vm, WAIT_MS, &e), 0);
        } else {
            assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
            assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
        }
        assert_ok(e);
        cvz_release(vm);
        /* Keep the console pipe from filling up: nobody else reads it. */
        char drain[4096];
        struct pollfd p = {c.console_pipe[0], POLLIN, 0};
        while (poll(&p, 1, 0) == 1 && read(c.console_pipe[0], drain, sizeof drain) > 0)
            ;
    }
    free_config(&c);
    unsetenv("CVZ_SIM_START_DELAY_MS");
    unsetenv("CVZ_SIM_GUEST_SHUTDOWN_DELAY_MS");
    unsetenv("CVZ_SIM_STOP_DELAY_MS");
}

int main(void)
{
    if (cvz_host_macos_version() < 1100) {
        printf("no virtual machines below macOS 11: nothing to run\n");
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_console_round_trip),
        cmocka_unit_test(test_every_way_to_stop),
        cmocka_unit_test(test_state_machine),
        cmocka_unit_test(test_no_fd_leaks),
        cmocka_unit_test(test_many_cycles),
    };
    return cmocka_run_group_tests(tests, setup_files, teardown_files);
}
