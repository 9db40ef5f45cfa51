/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 11.0/vsock.m - the Virtio socket device (macOS 11.0): VZSocketDevice,
 * VZVirtioSocketDevice, VZVirtioSocketConnection, VZVirtioSocketListener,
 * and the simulated guest's side of each connection.
 *
 * A connection is a real AF_UNIX socketpair: the host's end is the
 * connection's fileDescriptor, the guest's end belongs to a small "guest
 * service" thread that echoes every byte back (and, for a connection the
 * guest opened, first says hello).  Which ports the guest listens on, and
 * which host ports it connects to once running, come from the environment
 * (CVZ_SIM_GUEST_VSOCK_PORTS, CVZ_SIM_GUEST_CONNECT_PORTS; see sim/README.md).
 * Completion handlers and listener delegates run on the machine's queue.
 */
#import "11.0/vsock.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define VZSIM_MAX_PORTS 32
/* What the guest sends first on a connection it opened itself. */
#define VZSIM_GUEST_HELLO "hello from the simulated guest\n"

/* ---- the guest's ends of one device's connections ----------------------------- */

/* Kept so that they can all be reset when the guest stops.  Shared by the
 * socket device and every guest-service thread, each holding a reference
 * (the threads are plain pthreads: no Objective-C objects there). */
struct vzsim_guest_ends {
    pthread_mutex_t lock; /* guards everything below */
    unsigned refs;
    int *fds;
    size_t count, capacity;
};

static struct vzsim_guest_ends *vzsim_guest_ends_new(void)
{
    struct vzsim_guest_ends *ends = calloc(1, sizeof *ends);
    if (ends != NULL) {
        pthread_mutex_init(&ends->lock, NULL);
        ends->refs = 1;
    }
    return ends;
}

static void vzsim_guest_ends_release(struct vzsim_guest_ends *ends)
{
    unsigned refs;
    if (ends == NULL)
        return;
    pthread_mutex_lock(&ends->lock);
    refs = --ends->refs;
    pthread_mutex_unlock(&ends->lock);
    if (refs == 0) {
        pthread_mutex_destroy(&ends->lock);
        free(ends->fds);
        free(ends);
    }
}

/* Registers `fd` and takes a reference for the thread that will serve it; -1 when out of memory. */
static int vzsim_guest_ends_add(struct vzsim_guest_ends *ends, int fd)
{
    int rc = 0;
    pthread_mutex_lock(&ends->lock);
    if (ends->count == ends->capacity) {
        size_t capacity = ends->capacity ? 2 * ends->capacity : 4;
        int *fds = realloc(ends->fds, capacity * sizeof *fds);
        if (fds == NULL)
            rc = -1;
        else {
            ends->fds = fds;
            ends->capacity = capacity;
        }
    }
    if (rc == 0) {
        ends->fds[ends->count++] = fd;
        ends->refs++;
    }
    pthread_mutex_unlock(&ends->lock);
    return rc;
}

/* Unregisters and closes `fd` under the lock, so a reset never reaches a reused descriptor number. */
static void vzsim_guest_ends_close(struct vzsim_guest_ends *ends, int fd)
{
    size_t i;
    pthread_mutex_lock(&ends->lock);
    for (i = 0; i < ends->count; i++)
        if (ends->fds[i] == fd) {
            ends->fds[i] = ends->fds[--ends->count];
            break;
        }
    close(fd);
    pthread_mutex_unlock(&ends->lock);
}

/* The guest is gone: every connection ends.  The host's ends read end of
 * file and writes fail (EPIPE); each service thread sees it too and closes. */
static void vzsim_guest_ends_reset(struct vzsim_guest_ends *ends)
{
    size_t i;
    pthread_mutex_lock(&ends->lock);
    for (i = 0; i < ends->count; i++)
        shutdown(ends->fds[i], SHUT_RDWR);
    pthread_mutex_unlock(&ends->lock);
}

/* ---- the guest's end -------------------------------------------------------- */

struct vzsim_guest_end {
    int fd;
    BOOL hello;
    struct vzsim_guest_ends *ends;
};

static void vzsim_send_all(int fd, const char *bytes, size_t length)
{
    while (length > 0) {
        ssize_t n = send(fd, bytes, length, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* the host closed its end */
        bytes += n;
        length -= (size_t)n;
    }
}

/* The guest's service on one connection: echo until the host closes. */
static void *vzsim_guest_service(void *opaque)
{
    struct vzsim_guest_end end = *(struct vzsim_guest_end *)opaque;
    char buffer[4096];

    free(opaque);
    if (end.hello)
        vzsim_send_all(end.fd, VZSIM_GUEST_HELLO, strlen(VZSIM_GUEST_HELLO));
    for (;;) {
        ssize_t n = recv(end.fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        vzsim_send_all(end.fd, buffer, (size_t)n);
    }
    vzsim_guest_ends_close(end.ends, end.fd);
    vzsim_guest_ends_release(end.ends);
    return NULL;
}

/* Hands `fd` to a detached guest-service thread (which closes it), registered
 * in `ends`; closes it here when that fails (the host's end then reads end of file). */
static void vzsim_guest_serve(struct vzsim_guest_ends *ends, int fd, BOOL hello)
{
    struct vzsim_guest_end *end = malloc(sizeof *end);
    pthread_attr_t attr;
    pthread_t thread;
    int rc = -1;

    if (end != NULL && ends != NULL && vzsim_guest_ends_add(ends, fd) == 0) {
        end->fd = fd;
        end->hello = hello;
        end->ends = ends;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        rc = pthread_create(&thread, &attr, vzsim_guest_service, end);
        pthread_attr_destroy(&attr);
        if (rc != 0) {
            vzsim_guest_ends_close(ends, fd);
            vzsim_guest_ends_release(ends);
            fd = -1;
        }
    }
    if (rc != 0) {
        free(end);
        if (fd >= 0)
            close(fd);
    }
}

static BOOL vzsim_guest_listens(uint32_t port)
{
    uint32_t ports[VZSIM_MAX_PORTS];
    size_t i, count = vzsim_env_ports("CVZ_SIM_GUEST_VSOCK_PORTS", ports, VZSIM_MAX_PORTS);
    for (i = 0; i < count; i++)
        if (ports[i] == port)
            return YES;
    return NO;
}

/* ---- VZSocketDevice, VZVirtioSocketListener --------------------------------------- */

@implementation VZSocketDevice

VZSIM_UNAVAILABLE_INIT

@end

@implementation VZVirtioSocketListener

- (void)dealloc
{
    [_delegate release];
    [super dealloc];
}

- (id)delegate
{
    @synchronized(self) { return [[_delegate retain] autorelease]; }
}

- (void)setDelegate:(id)delegate
{
    @synchronized(self)
    {
        [delegate retain];
        [_delegate release];
        _delegate = delegate;
    }
}

@end

/* ---- VZVirtioSocketConnection -------------------------------------------------------- */

@implementation VZVirtioSocketConnection

VZSIM_UNAVAILABLE_INIT

/* Takes over `fd`. */
- (id)_initWithFileDescriptor:(int)fd sourcePort:(uint32_t)source destinationPort:(uint32_t)destination
{
    self = vzsim_nsobject_init(self);
    if (self == nil) {
        close(fd);
        return nil;
    }
    pthread_mutex_init(&_lock, NULL);
    _fileDescriptor = fd;
    _sourcePort = source;
    _destinationPort = destination;
    return self;
}

/* The connection owns its descriptor: releasing the object closes it. */
- (void)dealloc
{
    [self close];
    pthread_mutex_destroy(&_lock);
    [super dealloc];
}

- (uint32_t)sourcePort
{
    return _sourcePort;
}

- (uint32_t)destinationPort
{
    return _destinationPort;
}

- (int)fileDescriptor
{
    int fd;
    pthread_mutex_lock(&_lock);
    fd = _fileDescriptor;
    pthread_mutex_unlock(&_lock);
    return fd;
}

/* Closes the host's end (the guest sees end-of-file); fileDescriptor is -1 after. */
- (void)close
{
    int fd;
    pthread_mutex_lock(&_lock);
    fd = _fileDescriptor;
    _fileDescriptor = -1;
    pthread_mutex_unlock(&_lock);
    if (fd >= 0)
        close(fd);
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<VZVirtioSocketConnection %p %u -> %u fd=%d>", self, _sourcePort,
                                      _destinationPort, [self fileDescriptor]];
}

@end

/* A live connection whose guest end is served by the guest; nil (and an
 * NSPOSIXErrorDomain error in *error) when no socket pair can be made. */
static VZVirtioSocketConnection *vzsim_connection_new(VZVirtioSocketDevice *device, uint32_t source,
                                                      uint32_t destination, BOOL guest_hello, NSError **error)
{
    int fds[2];

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        *error = vzsim_error_in(NSPOSIXErrorDomain, errno, @"The connection failed.",
                                [NSString stringWithUTF8String:strerror(errno)]);
        return nil;
    }
    vzsim_guest_serve(device->_guestEnds, fds[1], guest_hello);
    return [[[VZVirtioSocketConnection alloc] _initWithFileDescriptor:fds[0] sourcePort:source
                                                      destinationPort:destination] autorelease];
}

/* ---- VZVirtioSocketDevice ------------------------------------------------------------- */

/* On the machine's queue: hands the connection (arg) or the error (arg) to the handler. */
static void vzsim_connect_done(id device, id result, unsigned long port, void *block)
{
    (void)device;
    (void)port;
    if ([result isKindOfClass:[NSError class]])
        vzsim_block_call_obj_error(block, nil, result);
    else
        vzsim_block_call_obj_error(block, result, nil);
}

/* On the machine's queue: the guest connected to host port `port`; the
 * listener's delegate decides.  Refused (or nobody listening, or no answer):
 * the connection is closed and the guest sees a reset. */
static void vzsim_guest_connect(id obj, id unused, unsigned long port, void *block)
{
    VZVirtioSocketDevice *device = obj;
    VZVirtioSocketListener *listener;
    VZVirtioSocketConnection *connection;
    NSError *error = nil;
    id delegate;
    SEL ask = @selector(listener:shouldAcceptNewConnection:fromSocketDevice:);

    (void)unused;
    (void)block;
    if ([device->_machine state] != VZVirtualMachineStateRunning)
        return;
    @synchronized(device)
    {
        listener = [[[device->_listeners objectForKey:[NSNumber numberWithUnsignedInt:(uint32_t)port]] retain]
            autorelease];
    }
    delegate = [listener delegate];
    if (![delegate respondsToSelector:ask])
        return;
    connection = vzsim_connection_new(device, vzsim_random_between(49152, 65535), (uint32_t)port, YES, &error);
    if (connection == nil)
        return;
    if (![delegate listener:listener shouldAcceptNewConnection:connection fromSocketDevice:device])
        [connection close];
    /* Accepted: whoever wants the connection retained it; otherwise releasing it closes it. */
}

void vzsim_vsock_guest_connects(VZVirtualMachine *vm)
{
    uint32_t ports[VZSIM_MAX_PORTS];
    size_t i, count = vzsim_env_ports("CVZ_SIM_GUEST_CONNECT_PORTS", ports, VZSIM_MAX_PORTS);
    NSArray *devices = vm->_socketDevices;

    if ([devices count] == 0)
        return;
    for (i = 0; i < count; i++)
        [vzsim_vm_queue(vm) after:0
                               fn:vzsim_guest_connect
                              obj:[devices objectAtIndex:0]
                              arg:nil
                            token:ports[i]
                            block:NULL];
}

VZVirtioSocketDevice *vzsim_socket_device_new(VZVirtualMachine *vm)
{
    VZVirtioSocketDevice *device = [VZVirtioSocketDevice alloc];
    device = vzsim_nsobject_init(device);
    if (device != nil) {
        device->_machine = vm;
        device->_listeners = [[NSMutableDictionary alloc] init];
        device->_guestEnds = vzsim_guest_ends_new();
    }
    return device;
}

void vzsim_vsock_guest_stopped(VZVirtualMachine *vm)
{
    NSUInteger i;
    for (i = 0; i < [vm->_socketDevices count]; i++)
        vzsim_guest_ends_reset(((VZVirtioSocketDevice *)[vm->_socketDevices objectAtIndex:i])->_guestEnds);
}

@implementation VZVirtioSocketDevice

- (void)dealloc
{
    [_listeners release];
    vzsim_guest_ends_release(_guestEnds);
    [super dealloc];
}

/* One listener a port; a new one replaces the old. */
- (void)setSocketListener:(VZVirtioSocketListener *)listener forPort:(uint32_t)port
{
    if (listener == nil)
        vzsim_raise_invalid_argument(@"-[VZVirtioSocketDevice setSocketListener:forPort:]: the listener must not be nil");
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init]; /* the caller may have none */
    @synchronized(self) { [_listeners setObject:listener forKey:[NSNumber numberWithUnsignedInt:port]]; }
    [pool release];
}

- (void)removeSocketListenerForPort:(uint32_t)port
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    @synchronized(self) { [_listeners removeObjectForKey:[NSNumber numberWithUnsignedInt:port]]; }
    [pool release];
}

/* Running machine and a listening guest port: a connection from a random
 * host port.  Not running: VZErrorInvalidVirtualMachineState.  Nobody
 * listening: the guest resets the connection, NSPOSIXErrorDomain ECONNRESET
 * (as real hosts report it). */
- (void)connectToPort:(uint32_t)port completionHandler:(void *)completionHandler
{
    void *block = vzsim_block_keep(completionHandler);
    NSAutoreleasePool *pool;
    VZVirtualMachine *vm;
    VZVirtualMachineState state;
    NSError *error = nil;
    id result;

    @synchronized(self) { vm = [_machine retain]; }
    if (vm == nil) {
        vzsim_block_drop(block); /* the machine is gone: there is no queue to answer on */
        return;
    }
    pool = [[NSAutoreleasePool alloc] init];
    state = [vm state];
    if (state != VZVirtualMachineStateRunning)
        error = vzsim_error(VZErrorInvalidVirtualMachineState, @"Invalid virtual machine state.",
                            [NSString stringWithFormat:@"The virtual machine must be running to connect to a "
                                                       @"port of the guest (it is %@).",
                                                       vzsim_state_name(state)]);
    else if (!vzsim_guest_listens(port))
        error = vzsim_error_in(NSPOSIXErrorDomain, VZSIM_DARWIN_ECONNRESET, @"Connection reset by peer.",
                               [NSString stringWithFormat:@"The guest does not listen on port %u.", port]);
    result = error;
    if (error == nil)
        result = vzsim_connection_new(self, vzsim_random_between(49152, 65535), port, NO, &error);
    if (result == nil)
        result = error;
    [vzsim_vm_queue(vm) after:0 fn:vzsim_connect_done obj:self arg:result token:port block:block];
    [pool release];
    [vm release];
}

@end
