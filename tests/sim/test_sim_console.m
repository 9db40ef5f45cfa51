/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim_console.m - the guest's serial console both ways (macOS 11.0):
 * what the host writes to fileHandleForReading reaches the simulated
 * guest's shell, which echoes lines and obeys `poweroff` and `panic`.
 */
#define _GNU_SOURCE
#include "runtime_test.h"

#include <errno.h>
#include <fcntl.h>
#include <objc/runtime.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Counts the delegate calls a machine makes. */
@interface ConsoleTestDelegate : NSObject
{
@public
    int guestStops, errors;
    NSInteger errorCode;
    VZVirtualMachineState stateSeen;
}
@end

@implementation ConsoleTestDelegate
- (void)guestDidStopVirtualMachine:(VZVirtualMachine *)vm
{
    @synchronized(self)
    {
        guestStops++;
        stateSeen = [vm state];
    }
}
- (void)virtualMachine:(VZVirtualMachine *)vm didStopWithError:(NSError *)error
{
    @synchronized(self)
    {
        errors++;
        errorCode = [error code];
        stateSeen = [vm state];
    }
}
- (int)count:(const int *)field
{
    @synchronized(self) { return *field; }
}
@end

/* A machine whose virtio console reads `in[0]` and writes `out[1]`. */
struct console {
    int in[2], out[2];
    char text[4096]; /* everything read from out[0] so far */
    size_t length;
};

static VZVirtualMachine *new_console_vm(struct console *c)
{
    VZVirtualMachineConfiguration *config = make_config(0, 0, 512 * MIB);
    NSFileHandle *reading, *writing;
    id attachment, port;

    memset(c, 0, sizeof *c);
    assert_int_equal(pipe(c->in), 0);
    assert_int_equal(pipe(c->out), 0);
    reading = [[[NSFileHandle alloc] initWithFileDescriptor:c->in[0] closeOnDealloc:NO] autorelease];
    writing = [[[NSFileHandle alloc] initWithFileDescriptor:c->out[1] closeOnDealloc:NO] autorelease];
    attachment = [[[objc_getClass("VZFileHandleSerialPortAttachment") alloc] initWithFileHandleForReading:reading
                                                                                   fileHandleForWriting:writing]
        autorelease];
    port = [new_object("VZVirtioConsoleDeviceSerialPortConfiguration") autorelease];
    [port setAttachment:attachment];
    [config setSerialPorts:[NSArray arrayWithObject:port]];
    return new_vm(config);
}

static void close_console(struct console *c)
{
    if (c->in[1] >= 0)
        close(c->in[1]);
    close(c->in[0]);
    close(c->out[0]);
    close(c->out[1]);
}

static void type_line(struct console *c, const char *text)
{
    assert_int_equal(write(c->in[1], text, strlen(text)), (ssize_t)strlen(text));
}

/* Reads the console until `text` has appeared (WAIT_MS at most: valgrind runs this
 * suite too, on a shared machine); 1 when it has. */
static int console_shows(struct console *c, const char *text)
{
    for (int waited = 0; strstr(c->text, text) == NULL; waited += 10) {
        struct pollfd p = {c->out[0], POLLIN, 0};
        ssize_t n;
        if (waited > WAIT_MS)
            return 0;
        if (poll(&p, 1, 10) != 1)
            continue;
        n = read(c->out[0], c->text + c->length, sizeof c->text - 1 - c->length);
        if (n <= 0)
            return 0;
        c->length += (size_t)n;
        c->text[c->length] = '\0';
    }
    return 1;
}

static VZVirtualMachineState wait_for_state(VZVirtualMachine *vm, VZVirtualMachineState want)
{
    WAIT_UNTIL([vm state] == want);
    return [vm state];
}

/* Input written before the first start waits for the guest; lines are
 * echoed in order; `poweroff` stops the machine as the guest's own doing. */
void test_console_echo_and_poweroff(void **state)
{
    struct console c;
    VZVirtualMachine *vm;
    ConsoleTestDelegate *delegate = [[ConsoleTestDelegate alloc] init];
    (void)state;
    REQUIRE_LEVEL(1100);

    vm = new_console_vm(&c);
    [vm setDelegate:delegate];
    type_line(&c, "hello guest\n");
    start_vm(vm);
    assert_true(console_shows(&c, "Welcome to the simulated guest\r\nhello guest\r\n"));

    /* \r, \r\n and \n all end a line; a line may arrive in pieces; empty lines are ignored. */
    type_line(&c, "one\r\ntwo\r");
    type_line(&c, "\nthr");
    sleep_ms(20);
    type_line(&c, "ee\n\n");
    assert_true(console_shows(&c, "hello guest\r\none\r\ntwo\r\nthree\r\n"));
    assert_int_equal([vm state], VZVirtualMachineStateRunning);

    type_line(&c, "poweroff\n");
    assert_true(console_shows(&c, "three\r\npoweroff\r\nreboot: Power down\r\n"));
    assert_int_equal(wait_for_state(vm, VZVirtualMachineStateStopped), VZVirtualMachineStateStopped);
    WAIT_UNTIL([delegate count:&delegate->guestStops] > 0);
    assert_int_equal([delegate count:&delegate->guestStops], 1);
    assert_int_equal(delegate->stateSeen, VZVirtualMachineStateStopped);
    assert_int_equal([delegate count:&delegate->errors], 0);

    /* The guest boots again and still reads its console. */
    start_vm(vm);
    type_line(&c, "again\n");
    assert_true(console_shows(&c, "again\r\n"));
    [vm release];
    [delegate release];
    close_console(&c);
}

/* `panic`: the guest crashes, the machine is in error, the delegate hears of it. */
void test_console_panic(void **state)
{
    struct console c;
    VZVirtualMachine *vm;
    ConsoleTestDelegate *delegate = [[ConsoleTestDelegate alloc] init];
    (void)state;
    REQUIRE_LEVEL(1100);

    vm = new_console_vm(&c);
    [vm setDelegate:delegate];
    start_vm(vm);
    type_line(&c, "panic\n");
    assert_true(console_shows(&c, "panic\r\nKernel panic - not syncing"));
    assert_int_equal(wait_for_state(vm, VZVirtualMachineStateError), VZVirtualMachineStateError);
    WAIT_UNTIL([delegate count:&delegate->errors] > 0);
    assert_int_equal([delegate count:&delegate->errors], 1);
    assert_int_equal(delegate->errorCode, VZErrorInternal);
    assert_int_equal(delegate->stateSeen, VZVirtualMachineStateError);
    assert_int_equal([delegate count:&delegate->guestStops], 0);
    assert_true([vm canStart]);
    [vm release];
    [delegate release];
    close_console(&c);
}

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* End of file on the input: the last unterminated line still counts, the
 * guest keeps running, and the reader does not spin on the ended port. */
void test_console_end_of_input(void **state)
{
    struct console c;
    VZVirtualMachine *vm;
    double before;
    (void)state;
    REQUIRE_LEVEL(1100);

    vm = new_console_vm(&c);
    start_vm(vm);
    type_line(&c, "last words");
    close(c.in[1]);
    c.in[1] = -1;
    assert_true(console_shows(&c, "last words\r\n"));
    before = cpu_seconds();
    sleep_ms(300);
    assert_true(cpu_seconds() - before < 0.15); /* a spinning reader would burn the whole 0.3 s */
    assert_int_equal([vm state], VZVirtualMachineStateRunning);
    [vm release]; /* released while running: the reader ends with the machine */
    close_console(&c);
}

/* A machine released while its guest is reading, with input still arriving:
 * the reader never revives it (valgrind runs this suite).  The release is
 * often not the last reference (queued work holds one), so the machine
 * outlives close_console(): it must read and write its own descriptors, not
 * the numbers the next round's pipe() gets back (that once hung valgrind
 * runs in the reader's read(), and the join in -dealloc with it). */
void test_console_release_while_reading(void **state)
{
    (void)state;
    REQUIRE_LEVEL(1100);

    for (int i = 0; i < 20; i++) {
        struct console c;
        VZVirtualMachine *vm = new_console_vm(&c);
        start_vm(vm);
        type_line(&c, "echo this\nand this\n");
        [vm release];
        type_line(&c, "nobody reads this\n");
        close_console(&c);
    }
}

/* Nonblocking read of what `fd` holds now (none: ""). */
static void read_now(int fd, char *text, size_t size)
{
    ssize_t n;

    assert_int_equal(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
    n = read(fd, text, size - 1);
    if (n < 0)
        assert_int_equal(errno, EAGAIN);
    text[n > 0 ? n : 0] = '\0';
}

/* The caller closes its descriptors while the machine lives on, and the
 * process reuses their numbers for other pipes: the machine keeps to its own
 * duplicates, so it neither writes into nor reads from the new pipes. */
void test_console_descriptors_are_its_own(void **state)
{
    struct console c;
    VZVirtualMachine *vm;
    int old_input, old_output, fresh_in[2], fresh_out[2];
    char text[256];
    NSError *error = nil;
    (void)state;
    REQUIRE_LEVEL(1100);

    vm = new_console_vm(&c);
    start_vm(vm);
    type_line(&c, "ping\n");
    assert_true(console_shows(&c, "ping\r\n")); /* the guest reads and writes */
    old_input = c.in[0];
    old_output = c.out[1];
    assert_int_equal(pipe(fresh_in), 0); /* before the close: numbers of their own */
    assert_int_equal(pipe(fresh_out), 0);
    close_console(&c);

    /* The old numbers now name two new pipes, with input waiting in one. */
    assert_int_equal(dup2(fresh_in[0], old_input), old_input);
    assert_int_equal(dup2(fresh_out[1], old_output), old_output);
    close(fresh_in[0]);
    close(fresh_out[1]);
    assert_int_equal(write(fresh_in[1], "not for the guest\n", 18), 18);

    /* The guest prints "reboot: Power down" on its way to stopped. */
    assert_true([vm requestStopWithError:&error]);
    assert_int_equal(wait_for_state(vm, VZVirtualMachineStateStopped), VZVirtualMachineStateStopped);
    read_now(fresh_out[0], text, sizeof text);
    assert_string_equal(text, "");
    read_now(old_input, text, sizeof text);
    assert_string_equal(text, "not for the guest\n");

    [vm release];
    close(old_input);
    close(old_output);
    close(fresh_in[1]);
    close(fresh_out[0]);
}
