/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim_virtio.m - custom virtio devices (macOS 27.0): the device's life
 * as its delegate hears it, the simulated guest driver's requests, queue
 * elements, and save/restore of the device's state (arm64).
 */
#define _GNU_SOURCE
#include "runtime_test.h"

#include <dlfcn.h>
#include <objc/runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

@interface NSObject (VirtioTest)
- (id)initWithDeviceQueue:(id)queue delegate:(id)delegate;
- (void)setDeviceID:(uint16_t)value;
- (void)setVirtioQueueCount:(uint16_t)value;
- (void)setSupportsSaveRestore:(BOOL)value;
- (void)setProvider:(id)provider;
- (void)setCustomVirtioDevices:(NSArray *)devices;
- (id)queueAtIndex:(uint16_t)index;
- (uint16_t)queueIndex;
- (uint16_t)queueSize;
- (id)nextElement;
- (NSArray *)readBuffers;
- (NSUInteger)readBuffersByteCount;
- (NSUInteger)readBuffersAvailableByteCount;
- (NSUInteger)writeBuffersByteCount;
- (NSUInteger)writeBuffersAvailableByteCount;
- (NSUInteger)writtenByteCount;
- (NSData *)peekIntoReadBuffersWithExactLength:(NSUInteger)length error:(NSError **)error;
- (NSData *)readBytesWithExactLength:(NSUInteger)length error:(NSError **)error;
- (BOOL)readBytesIntoBuffer:(void *)buffer exactLength:(NSUInteger)length error:(NSError **)error;
- (BOOL)writeData:(NSData *)data error:(NSError **)error;
- (BOOL)writeBuffer:(void *)buffer exactLength:(NSUInteger)length error:(NSError **)error;
- (void)returnToQueue;
- (void)requestDeviceReset;
- (void)setDelegate:(id)delegate;
- (id)initWithURL:(NSURL *)url append:(BOOL)append error:(NSError **)error;
- (void)setAttachment:(id)attachment;
- (void)saveMachineStateToURL:(NSURL *)url completionHandler:(void *)handler;
- (void)restoreMachineStateFromURL:(NSURL *)url completionHandler:(void *)handler;
@end

/* libdispatch's C API, as the sim provides it. */
static void *(*queue_create)(const char *, void *);
static void (*queue_release)(void *);
static void (*queue_set_specific)(void *, const void *, void *, void (*)(void *));
static void *(*get_specific)(const void *);
static char queue_key;

/* The device's implementation: records what it hears (one line per event),
 * answers each request with its bytes in upper case, checks it runs on its queue. */
@interface TestVirtioDevice : NSObject
{
@public
    pthread_mutex_t _mu;
    NSMutableArray *_events;
    NSString *_problem; /* the first thing that went wrong on the device queue */
    id _device; /* not retained: it retains its delegate, and lives as long as its machine */
    NSData *_saveState;    /* what a save gets */
    NSData *_restoredFrom; /* what a restore gave */
    BOOL _acceptRestore;
}
@end

@implementation TestVirtioDevice

- (id)init
{
    self = [super init];
    pthread_mutex_init(&_mu, NULL);
    _events = [[NSMutableArray alloc] init];
    _acceptRestore = YES;
    return self;
}

- (void)dealloc
{
    [_events release];
    [_problem release];
    [_saveState release];
    [_restoredFrom release];
    pthread_mutex_destroy(&_mu);
    [super dealloc];
}

- (void)note:(NSString *)event
{
    pthread_mutex_lock(&_mu);
    [_events addObject:event];
    if (get_specific(&queue_key) != &queue_key && _problem == nil)
        _problem = [[NSString alloc] initWithFormat:@"%@ ran off the device queue", event];
    pthread_mutex_unlock(&_mu);
}

- (void)problem:(NSString *)what
{
    pthread_mutex_lock(&_mu);
    if (_problem == nil)
        _problem = [what copy];
    pthread_mutex_unlock(&_mu);
}

- (void)customVirtioConfiguration:(id)configuration didCreateDevice:(id)device
{
    [device setDelegate:self];
    pthread_mutex_lock(&_mu);
    _device = device;
    pthread_mutex_unlock(&_mu);
    [self note:@"created"];
}

- (void)customVirtioDeviceDidAcceptDriverOk:(id)device
{
    if ([device queueAtIndex:0] == nil || [device queueAtIndex:1] == nil || [device queueAtIndex:2] != nil)
        [self problem:@"the queues are not live at DRIVER_OK"];
    [self note:@"driver-ok"];
}

- (void)customVirtioDevice:(id)device didReceiveNotificationForQueue:(id)queue
{
    id element;
    [self note:[NSString stringWithFormat:@"notify %u", [queue queueIndex]]];
    if ([queue queueSize] != 256 || queue != [device queueAtIndex:0])
        [self problem:@"not queue 0 of the device"];
    while ((element = [queue nextElement]) != nil) {
        NSUInteger n = [element readBuffersByteCount];
        NSData *bytes = [element readBytesWithExactLength:n error:NULL];
        NSString *text = [[[NSString alloc] initWithData:bytes encoding:NSUTF8StringEncoding] autorelease];
        [self note:[NSString stringWithFormat:@"request %@", text]];
        if (![element writeData:[[text uppercaseString] dataUsingEncoding:NSUTF8StringEncoding] error:NULL])
            [self problem:@"the reply did not fit"];
        [element returnToQueue];
    }
}

- (void)customVirtioDeviceWillPause:(id)device
{
    [self note:@"will-pause"];
}

- (void)customVirtioDeviceWillResume:(id)device
{
    [self note:@"will-resume"];
}

- (void)customVirtioDeviceWillStop:(id)device
{
    [self note:@"will-stop"];
}

- (void)customVirtioDeviceWillReset:(id)device
{
    [self note:@"will-reset"];
}

- (NSData *)customVirtioDeviceSaveStateForRestore:(id)device
{
    [self note:@"save"];
    return _saveState;
}

- (BOOL)customVirtioDeviceShouldRestore:(id)device saveState:(NSData *)state
{
    [self note:@"restore"];
    pthread_mutex_lock(&_mu);
    [_restoredFrom release];
    _restoredFrom = [state copy];
    pthread_mutex_unlock(&_mu);
    return _acceptRestore;
}

/* Waits (WAIT_MS at most) until `event` was heard `times` times. */
- (BOOL)waitFor:(NSString *)event times:(NSUInteger)times
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (ms_since(&start) < WAIT_MS) {
        NSUInteger seen = 0;
        pthread_mutex_lock(&_mu);
        for (NSString *e in _events)
            seen += [e isEqual:event];
        pthread_mutex_unlock(&_mu);
        if (seen >= times)
            return YES;
        sleep_ms(1);
    }
    return NO;
}

- (NSArray *)events
{
    NSArray *events;
    pthread_mutex_lock(&_mu);
    events = [[_events copy] autorelease];
    pthread_mutex_unlock(&_mu);
    return events;
}

@end

static int has_virtio(void)
{
    return level >= 2700;
}

static void *new_queue(void)
{
    void *queue;
    if (queue_create == NULL) {
        queue_create = (void *(*)(const char *, void *))dlsym(RTLD_DEFAULT, "dispatch_queue_create");
        queue_release = (void (*)(void *))dlsym(RTLD_DEFAULT, "dispatch_release");
        queue_set_specific = (void (*)(void *, const void *, void *, void (*)(void *)))dlsym(
            RTLD_DEFAULT, "dispatch_queue_set_specific");
        get_specific = (void *(*)(const void *))dlsym(RTLD_DEFAULT, "dispatch_get_specific");
    }
    assert_non_null(queue_create);
    queue = queue_create("device", NULL);
    queue_set_specific(queue, &queue_key, &queue_key, NULL);
    return queue;
}

/* A custom device configuration (autoreleased) implemented by `impl` on `queue`. */
static id custom_device(uint16_t device_id, uint16_t queues, id impl, void *queue)
{
    id config = [new_object("VZCustomVirtioDeviceConfiguration") autorelease];
    [config setDeviceID:device_id];
    [config setVirtioQueueCount:queues];
    if (impl != nil)
        [config setProvider:[[[objc_getClass("VZCustomVirtioDeviceDelegateProvider") alloc]
                                initWithDeviceQueue:(id)queue
                                           delegate:impl] autorelease]];
    return config;
}

/* A configuration with one custom device and a serial console written to `console`. */
static VZVirtualMachineConfiguration *config_with(id device, const char *console)
{
    VZVirtualMachineConfiguration *config = make_config(0, 0, 512 * MIB);
    id port = [new_object("VZVirtioConsoleDeviceSerialPortConfiguration") autorelease];
    id attachment = [[[objc_getClass("VZFileSerialPortAttachment") alloc] initWithURL:file_url(console)
                                                                              append:NO
                                                                               error:NULL] autorelease];
    assert_non_null(attachment);
    [port setAttachment:attachment];
    [config setSerialPorts:[NSArray arrayWithObject:port]];
    [(id)config setCustomVirtioDevices:[NSArray arrayWithObject:device]];
    return config;
}

static NSString *read_text(const char *path)
{
    return [NSString stringWithContentsOfFile:[NSString stringWithUTF8String:path] encoding:NSUTF8StringEncoding
                                        error:NULL];
}

/* Whether the guest's console file shows `text`, waiting for it (WAIT_MS at
 * most): the guest driver prints a reply after the host's handler returned,
 * on the machine's thread. */
static int console_file_shows(const char *path, const char *text)
{
    WAIT_UNTIL(strstr([read_text(path) UTF8String] ?: "", text) != NULL);
    return strstr([read_text(path) UTF8String] ?: "", text) != NULL;
}

void test_virtio_presence(void **state)
{
    (void)state;
    if (!has_virtio()) {
        assert_null(objc_getClass("VZCustomVirtioDevice"));
        assert_null(objc_getClass("VZVirtioQueueElement"));
        return;
    }
    assert_implemented_in("VZCustomVirtioDeviceDelegateProvider", @selector(initWithDeviceQueue:delegate:), 0,
                          "libVirtualization-27.0.so");
    assert_implemented_in("VZCustomVirtioDeviceConfiguration", @selector(setVirtioQueueCount:), 0,
                          "libVirtualization-27.0.so");
    assert_implemented_in("VZCustomVirtioDevice", @selector(queueAtIndex:), 0, "libVirtualization-27.0.so");
    assert_implemented_in("VZVirtioQueue", @selector(nextElement), 0, "libVirtualization-27.0.so");
    assert_implemented_in("VZVirtioQueueElement", @selector(readBuffers), 0, "libVirtualization-27.0.so");
    assert_implemented_in("VZVirtioQueueElement", @selector(returnToQueue), 0, "libVirtualization-27.0.so");
}

void test_virtio_configuration_rules(void **state)
{
    TestVirtioDevice *impl;
    void *queue;
    NSError *error = nil;
    (void)state;
    if (!has_virtio())
        skip();

    impl = [[TestVirtioDevice new] autorelease];
    queue = new_queue();
    assert_true([config_with(custom_device(42, 1, impl, queue), "/dev/null") validateWithError:&error]);
    assert_false([config_with(custom_device(0, 1, impl, queue), "/dev/null") validateWithError:&error]);
    assert_error(error, VZErrorDomain, VZErrorInvalidVirtualMachineConfiguration);
    assert_false([config_with(custom_device(42, 0, impl, queue), "/dev/null") validateWithError:NULL]);
    assert_false([config_with(custom_device(42, 1, nil, queue), "/dev/null") validateWithError:NULL]);
    queue_release(queue);
}

void test_virtio_device_life(void **state)
{
    TestVirtioDevice *impl;
    VZVirtualMachine *vm;
    void *queue;
    char console[128];
    (void)state;
    if (!has_virtio())
        skip();

    tmp_path(console, sizeof console, "virtio-console.txt");
    setenv("CVZ_SIM_VIRTIO_REQUESTS", "hello|world", 1);
    impl = [[TestVirtioDevice new] autorelease];
    queue = new_queue();
    vm = new_vm(config_with(custom_device(42, 2, impl, queue), console));
    queue_release(queue); /* the provider keeps it */

    assert_true([impl waitFor:@"created" times:1]);
    assert_null([impl->_device queueAtIndex:0]); /* not before DRIVER_OK */
    start_vm(vm);
    assert_true([impl waitFor:@"request world" times:1]);
    assert_true([[impl events] isEqual:([NSArray arrayWithObjects:@"created", @"driver-ok", @"notify 0",
                                                                  @"request hello", @"request world", nil])]);
    assert_true(console_file_shows(console, "virtio-custom 42 queue 0: HELLO\r\n"));
    assert_true(console_file_shows(console, "virtio-custom 42 queue 0: WORLD\r\n"));

    assert_null(call_and_wait(vm, @selector(pauseWithCompletionHandler:)));
    assert_null(call_and_wait(vm, @selector(resumeWithCompletionHandler:)));
    assert_true([impl waitFor:@"will-resume" times:1]);
    [impl->_device requestDeviceReset];
    assert_true([impl waitFor:@"driver-ok" times:2]);
    assert_null(call_and_wait(vm, @selector(stopWithCompletionHandler:)));
    assert_true([impl waitFor:@"will-stop" times:1]);
    assert_true([[impl events] isEqual:([NSArray arrayWithObjects:@"created", @"driver-ok", @"notify 0",
                                                                  @"request hello", @"request world", @"will-pause",
                                                                  @"will-resume", @"will-reset", @"driver-ok",
                                                                  @"will-stop", nil])]);
    assert_null([impl->_device queueAtIndex:0]); /* stopped: the queues are gone */
    if (impl->_problem != nil)
        fail_msg("%s", [impl->_problem UTF8String]);
    [vm release];
    unsetenv("CVZ_SIM_VIRTIO_REQUESTS");
}

/* Every element call, on one element the guest made of "abcdefgh" (two buffers of 4). */
@interface TestElementDevice : TestVirtioDevice
@end

@implementation TestElementDevice

- (void)check:(BOOL)ok what:(const char *)what
{
    if (!ok)
        [self problem:[NSString stringWithUTF8String:what]];
}

- (void)customVirtioDevice:(id)device didReceiveNotificationForQueue:(id)queue
{
    id element = [queue nextElement];
    NSArray *buffers;
    NSError *error = nil;
    char bytes[4];
    BOOL raised = NO;

    [self check:element != nil what:"no element"];
    [self check:[queue nextElement] == nil what:"a second element"];
    [self check:[element readBuffersByteCount] == 8 && [element readBuffersAvailableByteCount] == 8 what:"counts"];
    [self check:[element writeBuffersByteCount] == 256 && [element writtenByteCount] == 0 what:"write counts"];
    [self check:[[element peekIntoReadBuffersWithExactLength:3 error:NULL] isEqual:[@"abc" dataUsingEncoding:NSUTF8StringEncoding]]
           what:"peek"];
    [self check:[element readBuffersAvailableByteCount] == 8 what:"peek consumed"];
    [self check:[element readBytesIntoBuffer:bytes exactLength:2 error:NULL] && memcmp(bytes, "ab", 2) == 0
           what:"read into buffer"];
    [self check:[element peekIntoReadBuffersWithExactLength:7 error:&error] == nil && error != nil &&
                    [[error domain] isEqual:NSPOSIXErrorDomain]
           what:"peek past the end"];
    buffers = [element readBuffers];
    [self check:[buffers count] == 2 && [[buffers objectAtIndex:0] isEqual:[@"cd" dataUsingEncoding:NSUTF8StringEncoding]] &&
                    [[buffers objectAtIndex:1] isEqual:[@"efgh" dataUsingEncoding:NSUTF8StringEncoding]]
           what:"the remaining read buffers"];
    [self check:[element readBuffersAvailableByteCount] == 0 && [element readBytesWithExactLength:1 error:NULL] == nil
           what:"all read"];
    [self check:[element writeBuffer:"ok:" exactLength:3 error:NULL] && [element writtenByteCount] == 3 &&
                    [element writeBuffersAvailableByteCount] == 253
           what:"write"];
    [self check:![element writeData:[NSMutableData dataWithLength:254] error:NULL] && [element writtenByteCount] == 3
           what:"write past the end"];
    [self check:[element writeData:[@"done" dataUsingEncoding:NSUTF8StringEncoding] error:NULL] what:"write data"];
    [element returnToQueue];
    @try {
        [element returnToQueue];
    } @catch (NSException *e) {
        raised = [[e name] isEqualToString:NSInternalInconsistencyException];
    }
    [self check:raised what:"a second return did not raise"];
    [self note:@"checked"];
}

@end

void test_virtio_elements(void **state)
{
    TestElementDevice *impl;
    VZVirtualMachine *vm;
    void *queue;
    char console[128];
    (void)state;
    if (!has_virtio())
        skip();

    tmp_path(console, sizeof console, "virtio-elements.txt");
    setenv("CVZ_SIM_VIRTIO_REQUESTS", "abcdefgh", 1);
    impl = [[TestElementDevice new] autorelease];
    queue = new_queue();
    vm = new_vm(config_with(custom_device(7, 2, impl, queue), console));
    queue_release(queue);
    start_vm(vm);
    assert_true([impl waitFor:@"checked" times:1]);
    if (impl->_problem != nil)
        fail_msg("%s", [impl->_problem UTF8String]);
    assert_true(console_file_shows(console, "virtio-custom 7 queue 0: ok:done\r\n"));
    [vm release];
    unsetenv("CVZ_SIM_VIRTIO_REQUESTS");
}

/* A delegate without the save/restore methods, for a device that supports save/restore. */
@interface TestPlainDelegate : NSObject
@end
@implementation TestPlainDelegate
@end

void test_virtio_save_restore(void **state)
{
    TestVirtioDevice *impl, *impl2;
    VZVirtualMachine *vm, *vm2;
    id device;
    void *queue;
    char save_path[128];
    BOOL raised = NO;
    struct result r;
    struct result_block b;
    (void)state;
    if (!has_virtio() || !arm64)
        skip();

    tmp_path(save_path, sizeof save_path, "virtio.vzsave");
    impl = [[TestVirtioDevice new] autorelease];
    impl->_saveState = [[NSData alloc] initWithBytes:"\x00state\xff" length:7];
    queue = new_queue();
    device = custom_device(9, 2, impl, queue);
    [device setSupportsSaveRestore:YES];
    vm = new_vm(config_with(device, "/dev/null"));
    assert_true([impl waitFor:@"created" times:1]);
    @try {
        [impl->_device setDelegate:[[TestPlainDelegate new] autorelease]];
    } @catch (NSException *e) {
        raised = YES;
    }
    assert_true(raised);
    start_vm(vm);
    assert_null(call_and_wait(vm, @selector(pauseWithCompletionHandler:)));

    result_init(&r);
    b = make_block(&r, 0);
    [vm saveMachineStateToURL:file_url(save_path) completionHandler:&b];
    assert_true(result_wait(&r, WAIT_MS));
    assert_null(r.error);
    result_destroy(&r);
    assert_true([impl waitFor:@"save" times:1]);

    /* A new machine of the same configuration: the device gets its bytes back. */
    impl2 = [[TestVirtioDevice new] autorelease];
    device = custom_device(9, 2, impl2, queue);
    [device setSupportsSaveRestore:YES];
    vm2 = new_vm(config_with(device, "/dev/null"));
    assert_true([impl2 waitFor:@"created" times:1]);
    result_init(&r);
    b = make_block(&r, 0);
    [vm2 restoreMachineStateFromURL:file_url(save_path) completionHandler:&b];
    assert_true(result_wait(&r, WAIT_MS));
    assert_null(r.error);
    result_destroy(&r);
    assert_true([impl2->_restoredFrom isEqual:impl->_saveState]);
    assert_int_equal([vm2 state], VZVirtualMachineStatePaused);
    assert_non_null([impl2->_device queueAtIndex:0]);
    [vm2 release];

    /* A device that refuses its state fails the restore. */
    impl2 = [[TestVirtioDevice new] autorelease];
    impl2->_acceptRestore = NO;
    device = custom_device(9, 2, impl2, queue);
    [device setSupportsSaveRestore:YES];
    vm2 = new_vm(config_with(device, "/dev/null"));
    assert_true([impl2 waitFor:@"created" times:1]);
    result_init(&r);
    b = make_block(&r, 0);
    [vm2 restoreMachineStateFromURL:file_url(save_path) completionHandler:&b];
    assert_true(result_wait(&r, WAIT_MS));
    assert_error(r.error, VZErrorDomain, VZErrorRestore);
    result_destroy(&r);
    assert_int_equal([vm2 state], VZVirtualMachineStateStopped);
    [vm2 release];

    /* A device that does not support save/restore: the save fails. */
    impl2 = [[TestVirtioDevice new] autorelease];
    vm2 = new_vm(config_with(custom_device(9, 2, impl2, queue), "/dev/null"));
    start_vm(vm2);
    assert_null(call_and_wait(vm2, @selector(pauseWithCompletionHandler:)));
    result_init(&r);
    b = make_block(&r, 0);
    [vm2 saveMachineStateToURL:file_url(save_path) completionHandler:&b];
    assert_true(result_wait(&r, WAIT_MS));
    assert_error(r.error, VZErrorDomain, VZErrorSave);
    result_destroy(&r);
    [vm2 release];
    [vm release];
    queue_release(queue);
}
