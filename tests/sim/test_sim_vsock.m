/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim_vsock.m - the machine's devices (macOS 11.0): socket devices and
 * their connections in both directions, listeners, the memory balloon.
 */
#define _GNU_SOURCE
#include "runtime_test.h"

#include <objc/runtime.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Reads exactly `length` bytes (2 s at most); returns them as a C string in `out`. */
static int read_exactly(int fd, char *out, size_t length)
{
    size_t got = 0;
    while (got < length) {
        struct pollfd p = {fd, POLLIN, 0};
        ssize_t n;
        if (poll(&p, 1, 2000) != 1)
            return -1;
        n = read(fd, out + got, length - got);
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    out[got] = '\0';
    return 0;
}

static VZVirtioSocketDevice *socket_device(VZVirtualMachine *vm)
{
    NSArray *devices = [vm socketDevices];
    assert_int_equal([devices count], 1);
    return [devices objectAtIndex:0];
}

/* Connects to `port` of the running guest; returns the handler's result in r. */
static void connect_port(VZVirtioSocketDevice *device, uint32_t port, struct result *r)
{
    struct result_block b = make_block(r, 1);
    [device connectToPort:port completionHandler:&b];
    memset(&b, 0xa5, sizeof b);
    assert_true(result_wait(r, WAIT_MS));
}

void test_devices_follow_configuration(void **state)
{
    VZVirtualMachine *with, *without;
    NSArray *balloons;
    (void)state;
    REQUIRE_LEVEL(1100);

    with = new_vm(make_config(1, 1, 512 * MIB));
    assert_true([[socket_device(with) class] isEqual:objc_getClass("VZVirtioSocketDevice")]);
    assert_true([socket_device(with) isKindOfClass:objc_getClass("VZSocketDevice")]);
    balloons = [with memoryBalloonDevices];
    assert_int_equal([balloons count], 1);
    assert_true([[balloons objectAtIndex:0] isKindOfClass:objc_getClass("VZVirtioTraditionalMemoryBalloonDevice")]);
    assert_true([[balloons objectAtIndex:0] targetVirtualMachineMemorySize] == 512 * MIB);
    /* The same devices every time, for the machine's life. */
    assert_ptr_equal([[with socketDevices] objectAtIndex:0], socket_device(with));

    without = new_vm(make_config(0, 0, 512 * MIB));
    assert_non_null([without socketDevices]);
    assert_int_equal([[without socketDevices] count], 0);
    assert_int_equal([[without memoryBalloonDevices] count], 0);
    [with release];
    [without release];
}

void test_vsock_connect_echo(void **state)
{
    VZVirtualMachine *vm;
    VZVirtioSocketConnection *connection;
    struct result r;
    char buffer[64];
    int fd;
    (void)state;
    REQUIRE_LEVEL(1100);

    setenv("CVZ_SIM_GUEST_VSOCK_PORTS", "1024,2000", 1);
    vm = new_vm(make_config(1, 0, 512 * MIB));
    start_vm(vm);
    result_init(&r);
    connect_port(socket_device(vm), 2000, &r);
    assert_null(r.error);
    connection = r.object;
    assert_true([connection isKindOfClass:objc_getClass("VZVirtioSocketConnection")]);
    assert_int_equal([connection destinationPort], 2000);
    assert_true([connection sourcePort] >= 49152);
    fd = [connection fileDescriptor];
    assert_true(fd >= 0);

    /* Bytes both ways: the guest's service echoes. */
    assert_int_equal(write(fd, "ping 1", 6), 6);
    assert_int_equal(read_exactly(fd, buffer, 6), 0);
    assert_string_equal(buffer, "ping 1");
    assert_int_equal(write(fd, "and more", 8), 8);
    assert_int_equal(read_exactly(fd, buffer, 8), 0);
    assert_string_equal(buffer, "and more");

    [connection close];
    assert_int_equal([connection fileDescriptor], -1);
    [connection close]; /* closing twice is harmless */
    result_destroy(&r);
    [vm release];
}

/* Stopped: a state error.  Running, on a port the guest does not listen on: a reset. */
void test_vsock_connect_errors(void **state)
{
    VZVirtualMachine *vm;
    struct result r;
    (void)state;
    REQUIRE_LEVEL(1100);

    setenv("CVZ_SIM_GUEST_VSOCK_PORTS", "1024", 1);
    vm = new_vm(make_config(1, 0, 512 * MIB));
    result_init(&r);
    connect_port(socket_device(vm), 1024, &r);
    assert_null(r.object);
    assert_error(r.error, VZErrorDomain, VZErrorInvalidVirtualMachineState);
    result_destroy(&r);

    start_vm(vm);
    result_init(&r);
    connect_port(socket_device(vm), 1025, &r);
    assert_null(r.object);
    assert_error(r.error, NSPOSIXErrorDomain, VZSIM_DARWIN_ECONNRESET);
    result_destroy(&r);
    [vm release];
}

/* ---- guest-initiated connections ------------------------------------------------ */

@interface TestListenerDelegate : NSObject
{
@public
    pthread_mutex_t mu;
    uint32_t accept_port;   /* accept connections to this port, refuse others */
    int calls;
    NSMutableArray *seen;   /* every connection asked about */
    BOOL on_caller_thread;  /* a call arrived on the thread that set things up */
    pthread_t caller;
    id device;
}
@end

@implementation TestListenerDelegate
- (id)init
{
    self = [super init];
    pthread_mutex_init(&mu, NULL);
    seen = [[NSMutableArray alloc] init];
    caller = pthread_self();
    return self;
}
- (void)dealloc
{
    [seen release];
    pthread_mutex_destroy(&mu);
    [super dealloc];
}
- (BOOL)listener:(VZVirtioSocketListener *)listener
    shouldAcceptNewConnection:(VZVirtioSocketConnection *)connection
             fromSocketDevice:(VZVirtioSocketDevice *)socketDevice
{
    BOOL accept = [connection destinationPort] == accept_port;
    pthread_mutex_lock(&mu);
    calls++;
    [seen addObject:connection];
    device = socketDevice;
    if (pthread_equal(pthread_self(), caller))
        on_caller_thread = YES;
    pthread_mutex_unlock(&mu);
    return accept;
}
- (int)waitForCalls:(int)n
{
    int got = 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        pthread_mutex_lock(&mu);
        got = calls;
        pthread_mutex_unlock(&mu);
        if (got >= n || ms_since(&start) > WAIT_MS)
            break;
        sleep_ms(1);
    }
    return got;
}
@end

void test_vsock_guest_connects(void **state)
{
    VZVirtualMachine *vm;
    VZVirtioSocketListener *listener;
    TestListenerDelegate *delegate;
    VZVirtioSocketConnection *accepted = nil, *refused = nil;
    char buffer[64];
    NSUInteger i;
    (void)state;
    REQUIRE_LEVEL(1100);

    setenv("CVZ_SIM_GUEST_CONNECT_PORTS", "5000,5001,5002", 1);
    vm = new_vm(make_config(1, 0, 512 * MIB));
    listener = [new_object("VZVirtioSocketListener") autorelease];
    delegate = [[[TestListenerDelegate alloc] init] autorelease];
    delegate->accept_port = 5000;
    [listener setDelegate:delegate];
    assert_ptr_equal([listener delegate], delegate);
    [socket_device(vm) setSocketListener:listener forPort:5000];
    [socket_device(vm) setSocketListener:listener forPort:5001];
    /* 5002: nobody listens on the host, so no delegate call. */
    start_vm(vm);

    assert_int_equal([delegate waitForCalls:2], 2);
    {
        /* A host connection's answer is queued behind the guest's attempt on
         * 5002: once it came, that attempt is over, without a delegate call. */
        struct result r;
        result_init(&r);
        connect_port(socket_device(vm), 1, &r);
        assert_true(result_wait(&r, WAIT_MS));
        result_destroy(&r);
    }
    assert_int_equal([delegate waitForCalls:2], 2);
    assert_false(delegate->on_caller_thread);
    assert_ptr_equal(delegate->device, socket_device(vm));
    for (i = 0; i < [delegate->seen count]; i++) {
        VZVirtioSocketConnection *c = [delegate->seen objectAtIndex:i];
        if ([c destinationPort] == 5000)
            accepted = c;
        else
            refused = c;
    }
    assert_non_null(accepted);
    assert_non_null(refused);
    assert_int_equal([refused destinationPort], 5001);
    assert_int_equal([refused fileDescriptor], -1); /* refused: closed */
    assert_true([accepted sourcePort] >= 49152);

    /* The guest speaks first, then echoes. */
    assert_int_equal(read_exactly([accepted fileDescriptor], buffer, strlen("hello from the simulated guest\n")), 0);
    assert_string_equal(buffer, "hello from the simulated guest\n");
    assert_int_equal(write([accepted fileDescriptor], "ok", 2), 2);
    assert_int_equal(read_exactly([accepted fileDescriptor], buffer, 2), 0);
    assert_string_equal(buffer, "ok");

    [socket_device(vm) removeSocketListenerForPort:5000];
    [socket_device(vm) removeSocketListenerForPort:5001];
    [vm release];
}

void test_vsock_listener_rules(void **state)
{
    VZVirtualMachine *vm;
    BOOL raised = NO;
    (void)state;
    REQUIRE_LEVEL(1100);

    vm = new_vm(make_config(1, 0, 512 * MIB));
    @try {
        [socket_device(vm) setSocketListener:nil forPort:1];
    } @catch (NSException *e) {
        raised = [[e name] isEqual:NSInvalidArgumentException];
    }
    assert_true(raised);
    /* Apple makes these objects; clients cannot. */
    raised = NO;
    @try {
        [[objc_getClass("VZVirtioSocketConnection") alloc] init];
    } @catch (NSException *e) {
        raised = [[e name] isEqual:NSInvalidArgumentException];
    }
    assert_true(raised);
    [vm release];
}

void test_balloon_target(void **state)
{
    VZVirtualMachine *vm;
    VZVirtioTraditionalMemoryBalloonDevice *balloon;
    (void)state;
    REQUIRE_LEVEL(1100);

    vm = new_vm(make_config(0, 1, 1024 * MIB));
    balloon = [[vm memoryBalloonDevices] objectAtIndex:0];
    assert_true([balloon targetVirtualMachineMemorySize] == 1024 * MIB);
    [balloon setTargetVirtualMachineMemorySize:512 * MIB + 12345]; /* rounded down to 1 MiB */
    assert_true([balloon targetVirtualMachineMemorySize] == 512 * MIB);
    [balloon setTargetVirtualMachineMemorySize:4096 * MIB]; /* at most the configured memory */
    assert_true([balloon targetVirtualMachineMemorySize] == 1024 * MIB);
    [balloon setTargetVirtualMachineMemorySize:MIB]; /* at least the minimum allowed */
    assert_true([balloon targetVirtualMachineMemorySize] == 128 * MIB);
    [vm release];
}

/* Reads until end of file (2 s at most): 1 when the peer is gone. */
static int reads_end_of_file(int fd)
{
    char buffer[64];
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        ssize_t n;
        if (poll(&p, 1, 2000) != 1)
            return 0;
        n = read(fd, buffer, sizeof buffer);
        if (n == 0)
            return 1;
        if (n < 0)
            return errno == ECONNRESET;
    }
}

/* However the guest stops (a stop request, a forced stop, a crash), its ends
 * of every connection go: the host reads end of file, writes fail, and a
 * new connection needs a running machine again. */
void test_vsock_reset_when_guest_stops(void **state)
{
    VZVirtualMachine *vm;
    struct result r, after;
    NSError *error = nil;
    int fd;
    (void)state;
    REQUIRE_LEVEL(1100);

    setenv("CVZ_SIM_GUEST_VSOCK_PORTS", "1024", 1);
    vm = new_vm(make_config(1, 0, 512 * MIB));
    for (int way = 0; way < 3; way++) {
        if (way == 1 && level < 1200)
            continue; /* no forced stop before 12.0 */
        if (way == 2) { /* the guest crashes once the connection below is made */
            setenv("CVZ_SIM_GUEST_CRASH_AFTER_MS", "0", 1);
            setenv("CVZ_SIM_HOLD", "crash", 1);
        }
        start_vm(vm);
        result_init(&r);
        connect_port(socket_device(vm), 1024, &r);
        assert_null(r.error);
        fd = [r.object fileDescriptor];
        assert_int_equal(write(fd, "x", 1), 1);
        if (way == 0) {
            assert_true([vm requestStopWithError:&error]);
        } else if (way == 1) {
            assert_null(call_and_wait(vm, @selector(stopWithCompletionHandler:)));
        } else {
            assert_int_equal(sim_release("crash"), 1);
        }
        unsetenv("CVZ_SIM_GUEST_CRASH_AFTER_MS");
        unsetenv("CVZ_SIM_HOLD");
        WAIT_UNTIL([vm state] == VZVirtualMachineStateStopped || [vm state] == VZVirtualMachineStateError);
        assert_int_equal([vm state], way == 2 ? VZVirtualMachineStateError : VZVirtualMachineStateStopped);
        assert_true(reads_end_of_file(fd));
        assert_true(send(fd, "y", 1, MSG_NOSIGNAL) < 0);
        assert_int_equal([r.object fileDescriptor], fd); /* the host's end is still the caller's to close */

        result_init(&after);
        connect_port(socket_device(vm), 1024, &after);
        assert_null(after.object);
        assert_error(after.error, VZErrorDomain, VZErrorInvalidVirtualMachineState);
        result_destroy(&after);
        result_destroy(&r);
    }
    [vm release];
}
