/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 27.0/virtio.m - custom virtio devices at run time (macOS 27.0, part of
 * libVirtualization-27.0.so): VZCustomVirtioDevice and the simulated guest
 * driver that drives it (its queues and elements: 27.0/virtqueue.m).
 *
 * A machine makes one device per VZCustomVirtioDeviceConfiguration when it is
 * made, and tells the provider's delegate (customVirtioConfiguration:
 * didCreateDevice:).  Everything the device's delegate hears runs on the
 * provider's device queue, in the order the machine lives it:
 *
 *   running       the guest driver sets DRIVER_OK (the queues come alive:
 *                 customVirtioDeviceDidAcceptDriverOk:), then puts each request
 *                 of CVZ_SIM_VIRTIO_REQUESTS ("a|b": two) into queue 0, its
 *                 bytes split over two read buffers, with
 *                 VZSIM_VIRTIO_WRITE_CAPACITY bytes of write buffers, and
 *                 notifies queue 0 (customVirtioDevice:didReceiveNotificationForQueue:)
 *   pausing, resuming, stopping   customVirtioDeviceWillPause: / WillResume: / WillStop:
 *                 (a stopped device's queues are gone: nextElement answers nil)
 *   requestDeviceReset            customVirtioDeviceWillReset:, then, on a running
 *                 machine, DRIVER_OK again (without new requests)
 *
 * When the device returns an element, the guest prints what was written on
 * the machine's console: "virtio-custom <deviceID> queue <index>: <bytes>\r\n".
 *
 * Save/restore (14.0-arm64/save.m, arm64): each device adds the line
 * "custom-virtio <index> <hex of the delegate's customVirtioDeviceSaveStateForRestore:>"
 * to the save file; restoring gives those bytes back to
 * customVirtioDeviceShouldRestore:saveState:, and NO fails the restore.
 */
#import "27.0/virtio.h"

#include <ctype.h>
#include <stdio.h>


pthread_mutex_t vzsim_virtio_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- the guest's console --------------------------------------------------------- */

void vzsim_virtio_console(VZCustomVirtioDevice *device, NSString *prefix, NSData *bytes)
{
    VZVirtualMachine *vm;
    NSMutableData *text;

    pthread_mutex_lock(&vzsim_virtio_lock);
    vm = [device->_machine retain];
    pthread_mutex_unlock(&vzsim_virtio_lock);
    if (vm == nil)
        return;
    text = [NSMutableData dataWithData:[prefix dataUsingEncoding:NSUTF8StringEncoding]];
    [text appendData:bytes];
    [text appendBytes:"\r\n" length:2];
    vzsim_console_print(vm->_console, [text bytes], [text length]);
    [vm release];
}

/* ---- the device ------------------------------------------------------------------------ */

/* What happens to a device, on its queue. */
enum vzsim_virtio_event {
    VZSIM_VIRTIO_CREATED,    /* the provider's delegate hears of the device */
    VZSIM_VIRTIO_GUEST_BOOT, /* DRIVER_OK, then the guest's requests on queue 0 */
    VZSIM_VIRTIO_DRIVER_OK,
    VZSIM_VIRTIO_PAUSE,
    VZSIM_VIRTIO_RESUME,
    VZSIM_VIRTIO_STOP,
    VZSIM_VIRTIO_RESET,
};

/* The queues come alive (YES) or go (NO). */
static void vzsim_virtio_set_live(VZCustomVirtioDevice *device, BOOL live)
{
    NSMutableArray *queues = nil;
    NSArray *old;
    uint16_t i, count = [device->_configuration virtioQueueCount];

    if (live) {
        queues = [NSMutableArray arrayWithCapacity:count];
        for (i = 0; i < count; i++) {
            VZVirtioQueue *queue = [[VZVirtioQueue alloc] vzsimInitWithDevice:device index:i];
            [queues addObject:queue];
            [queue release];
        }
    }
    pthread_mutex_lock(&vzsim_virtio_lock);
    old = device->_queues;
    device->_queues = [queues copy];
    for (VZVirtioQueue *queue in old)
        queue->_device = nil;
    pthread_mutex_unlock(&vzsim_virtio_lock);
    [old release];
}

/* The guest makes each request available on queue 0 and notifies it. */
static void vzsim_virtio_guest_requests(VZCustomVirtioDevice *device, NSArray *requests)
{
    VZVirtioQueue *queue0;
    id delegate;

    pthread_mutex_lock(&vzsim_virtio_lock);
    queue0 = [device->_queues count] > 0 ? [[device->_queues objectAtIndex:0] retain] : nil;
    pthread_mutex_unlock(&vzsim_virtio_lock);
    if (queue0 == nil || [requests count] == 0) {
        [queue0 release];
        return;
    }
    for (NSData *request in requests) {
        VZVirtioQueueElement *element = [[VZVirtioQueueElement alloc] vzsimInitWithQueue:queue0 request:request];
        pthread_mutex_lock(&vzsim_virtio_lock);
        [queue0->_available addObject:element];
        pthread_mutex_unlock(&vzsim_virtio_lock);
        [element release];
    }
    delegate = [device delegate];
    if ([delegate respondsToSelector:@selector(customVirtioDevice:didReceiveNotificationForQueue:)])
        [delegate customVirtioDevice:device didReceiveNotificationForQueue:queue0];
    [queue0 release];
}

static BOOL vzsim_virtio_machine_running(VZCustomVirtioDevice *device)
{
    VZVirtualMachine *vm;
    BOOL running = NO;
    pthread_mutex_lock(&vzsim_virtio_lock);
    vm = [device->_machine retain];
    pthread_mutex_unlock(&vzsim_virtio_lock);
    if (vm != nil) {
        pthread_mutex_lock(&vm->_lock);
        running = vm->_state == VZVirtualMachineStateRunning;
        pthread_mutex_unlock(&vm->_lock);
    }
    [vm release];
    return running;
}

static void vzsim_virtio_event(id obj, id arg, unsigned long event, void *block)
{
    VZCustomVirtioDevice *device = obj;
    id delegate = [device delegate];

    (void)block;
    switch ((enum vzsim_virtio_event)event) {
    case VZSIM_VIRTIO_CREATED: {
        id provider_delegate = [(VZCustomVirtioDeviceDelegateProvider *)[device->_configuration provider] delegate];
        if ([provider_delegate respondsToSelector:@selector(customVirtioConfiguration:didCreateDevice:)])
            [provider_delegate customVirtioConfiguration:device->_configuration didCreateDevice:device];
        break;
    }
    case VZSIM_VIRTIO_GUEST_BOOT:
    case VZSIM_VIRTIO_DRIVER_OK:
        vzsim_virtio_set_live(device, YES);
        if ([delegate respondsToSelector:@selector(customVirtioDeviceDidAcceptDriverOk:)])
            [delegate customVirtioDeviceDidAcceptDriverOk:device];
        if (event == VZSIM_VIRTIO_GUEST_BOOT)
            vzsim_virtio_guest_requests(device, arg);
        break;
    case VZSIM_VIRTIO_PAUSE:
        if ([delegate respondsToSelector:@selector(customVirtioDeviceWillPause:)])
            [delegate customVirtioDeviceWillPause:device];
        break;
    case VZSIM_VIRTIO_RESUME:
        if ([delegate respondsToSelector:@selector(customVirtioDeviceWillResume:)])
            [delegate customVirtioDeviceWillResume:device];
        break;
    case VZSIM_VIRTIO_STOP:
        if ([delegate respondsToSelector:@selector(customVirtioDeviceWillStop:)])
            [delegate customVirtioDeviceWillStop:device];
        vzsim_virtio_set_live(device, NO);
        break;
    case VZSIM_VIRTIO_RESET:
        vzsim_virtio_set_live(device, NO);
        if ([delegate respondsToSelector:@selector(customVirtioDeviceWillReset:)])
            [delegate customVirtioDeviceWillReset:device];
        /* A running guest's driver brings the device up again. */
        if (vzsim_virtio_machine_running(device))
            [device->_deviceQueue after:0 fn:vzsim_virtio_event obj:device arg:nil token:VZSIM_VIRTIO_DRIVER_OK block:NULL];
        break;
    }
}

static void vzsim_virtio_post(VZCustomVirtioDevice *device, enum vzsim_virtio_event event, id arg)
{
    [device->_deviceQueue after:0 fn:vzsim_virtio_event obj:device arg:arg token:event block:NULL];
}

@implementation VZCustomVirtioDevice

VZSIM_UNAVAILABLE_INIT

- (id)vzsimInitWithMachine:(VZVirtualMachine *)vm configuration:(VZCustomVirtioDeviceConfiguration *)configuration
                     index:(NSUInteger)index
{
    self = vzsim_nsobject_init(self);
    if (self != nil) {
        _machine = vm;
        _configuration = [configuration retain];
        _deviceQueue = [(VZCustomVirtioDeviceDelegateProvider *)[configuration provider] deviceQueue];
        [_deviceQueue retainClient];
        _index = index;
    }
    return self;
}

- (void)dealloc
{
    vzsim_virtio_set_live(self, NO);
    [_deviceQueue releaseClient];
    [_delegate release];
    [_configuration release];
    [super dealloc];
}

- (id)deviceQueue
{
    return _deviceQueue;
}

- (id)delegate
{
    id delegate;
    pthread_mutex_lock(&vzsim_virtio_lock);
    delegate = [_delegate retain];
    pthread_mutex_unlock(&vzsim_virtio_lock);
    return [delegate autorelease];
}

/* Apple raises when a device that supports save/restore gets a delegate
 * without both save/restore methods. */
- (void)setDelegate:(id)delegate
{
    id old;
    if (delegate != nil && [_configuration supportsSaveRestore] &&
        !([delegate respondsToSelector:@selector(customVirtioDeviceSaveStateForRestore:)] &&
          [delegate respondsToSelector:@selector(customVirtioDeviceShouldRestore:saveState:)]))
        [NSException raise:NSInternalInconsistencyException
                    format:@"-[VZCustomVirtioDevice setDelegate:]: the device supports save/restore but the delegate "
                           @"does not implement customVirtioDeviceSaveStateForRestore: and "
                           @"customVirtioDeviceShouldRestore:saveState:"];
    [delegate retain];
    pthread_mutex_lock(&vzsim_virtio_lock);
    old = _delegate;
    _delegate = delegate;
    pthread_mutex_unlock(&vzsim_virtio_lock);
    [old release];
}

/* nil before DRIVER_OK, after a stop or reset, and out of range. */
- (VZVirtioQueue *)queueAtIndex:(uint16_t)index
{
    VZVirtioQueue *queue = nil;
    pthread_mutex_lock(&vzsim_virtio_lock);
    if (index < [_queues count])
        queue = [[_queues objectAtIndex:index] retain];
    pthread_mutex_unlock(&vzsim_virtio_lock);
    return [queue autorelease];
}

- (void)requestDeviceReset
{
    vzsim_virtio_post(self, VZSIM_VIRTIO_RESET, nil);
}

@end

/* ---- the machine's devices ------------------------------------------------------------------ */

static NSArray *vzsim_virtio_devices(VZVirtualMachine *vm)
{
    return [vzsim_vm_more(vm) objectForKey:@"customVirtioDevices"];
}

static void vzsim_virtio_made(VZVirtualMachine *vm)
{
    NSArray *configurations = vzsim_config_get(vm->_configuration, @"customVirtioDevices");
    NSMutableArray *devices = [NSMutableArray array];

    for (VZCustomVirtioDeviceConfiguration *configuration in configurations) {
        VZCustomVirtioDevice *device = [[VZCustomVirtioDevice alloc] vzsimInitWithMachine:vm
                                                                            configuration:configuration
                                                                                    index:[devices count]];
        [devices addObject:device];
        [device release];
    }
    [vzsim_vm_more(vm) setObject:[[devices copy] autorelease] forKey:@"customVirtioDevices"];
    for (VZCustomVirtioDevice *device in devices)
        vzsim_virtio_post(device, VZSIM_VIRTIO_CREATED, nil);
}

/* CVZ_SIM_VIRTIO_REQUESTS, split at '|' (empty parts skipped), as NSData. */
static NSArray *vzsim_virtio_env_requests(void)
{
    const char *env = getenv("CVZ_SIM_VIRTIO_REQUESTS");
    NSMutableArray *requests = [NSMutableArray array];
    if (env == NULL)
        return requests;
    for (NSString *part in [[NSString stringWithUTF8String:env] componentsSeparatedByString:@"|"])
        if ([part length] > 0)
            [requests addObject:[part dataUsingEncoding:NSUTF8StringEncoding]];
    return requests;
}

static void vzsim_virtio_started(VZVirtualMachine *vm)
{
    NSArray *requests = vzsim_virtio_env_requests();
    for (VZCustomVirtioDevice *device in vzsim_virtio_devices(vm))
        vzsim_virtio_post(device, VZSIM_VIRTIO_GUEST_BOOT, requests);
}

static void vzsim_virtio_transition(VZVirtualMachine *vm, VZVirtualMachineState via)
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    enum vzsim_virtio_event event = via == VZVirtualMachineStatePausing    ? VZSIM_VIRTIO_PAUSE
                                    : via == VZVirtualMachineStateResuming ? VZSIM_VIRTIO_RESUME
                                                                           : VZSIM_VIRTIO_STOP;
    if (via == VZVirtualMachineStatePausing || via == VZVirtualMachineStateResuming ||
        via == VZVirtualMachineStateStopping)
        for (VZCustomVirtioDevice *device in vzsim_virtio_devices(vm))
            vzsim_virtio_post(device, event, nil);
    [pool release];
}

static void vzsim_virtio_freed(VZVirtualMachine *vm)
{
    pthread_mutex_lock(&vzsim_virtio_lock);
    for (VZCustomVirtioDevice *device in vzsim_virtio_devices(vm))
        device->_machine = nil;
    pthread_mutex_unlock(&vzsim_virtio_lock);
}

/* ---- save/restore ---------------------------------------------------------------------------- */

/* A delegate call on the device's queue, waited for (from the machine's queue). */
struct vzsim_virtio_call {
    VZCustomVirtioDevice *device;
    NSData *state; /* in for a restore; out (retained) for a save */
    BOOL restored;
};

static void vzsim_virtio_call_save(void *context)
{
    struct vzsim_virtio_call *call = context;
    id delegate = [call->device delegate];
    if ([delegate respondsToSelector:@selector(customVirtioDeviceSaveStateForRestore:)])
        call->state = [[delegate customVirtioDeviceSaveStateForRestore:call->device] retain];
}

static void vzsim_virtio_call_restore(void *context)
{
    struct vzsim_virtio_call *call = context;
    id delegate = [call->device delegate];
    call->restored = [delegate respondsToSelector:@selector(customVirtioDeviceShouldRestore:saveState:)] &&
                     [delegate customVirtioDeviceShouldRestore:call->device saveState:call->state];
}

static void vzsim_virtio_on_device_queue(VZCustomVirtioDevice *device, vzsim_dispatch_fn fn, void *context)
{
    if ([device->_deviceQueue isCurrent])
        fn(context);
    else
        [device->_deviceQueue sync:fn context:context];
}

static NSString *vzsim_hex(NSData *data)
{
    NSMutableString *hex = [NSMutableString stringWithCapacity:2 * [data length]];
    const unsigned char *p = [data bytes];
    NSUInteger i;
    for (i = 0; i < [data length]; i++)
        [hex appendFormat:@"%02x", p[i]];
    return hex;
}

static NSData *vzsim_unhex(NSString *hex)
{
    NSMutableData *data = [NSMutableData data];
    const char *p = [hex UTF8String];
    unsigned int byte;
    if ([hex length] % 2 != 0)
        return nil;
    for (; *p != '\0'; p += 2) {
        unsigned char c;
        if (sscanf(p, "%2x", &byte) != 1 || !isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]))
            return nil;
        c = (unsigned char)byte;
        [data appendBytes:&c length:1];
    }
    return data;
}

static NSString *vzsim_virtio_save(VZVirtualMachine *vm, NSMutableArray *lines)
{
    for (VZCustomVirtioDevice *device in vzsim_virtio_devices(vm)) {
        struct vzsim_virtio_call call = {device, nil, NO};
        if (![device->_configuration supportsSaveRestore])
            return [NSString stringWithFormat:@"The custom virtio device %u does not support save/restore.",
                                              (unsigned)[device->_configuration deviceID]];
        vzsim_virtio_on_device_queue(device, vzsim_virtio_call_save, &call);
        if (call.state == nil)
            return [NSString stringWithFormat:@"The custom virtio device %u gave no state to save.",
                                              (unsigned)[device->_configuration deviceID]];
        [lines addObject:[NSString stringWithFormat:@"custom-virtio %lu %@", (unsigned long)device->_index,
                                                    vzsim_hex(call.state)]];
        [call.state release];
    }
    return nil;
}

static NSString *vzsim_virtio_restore(VZVirtualMachine *vm, NSArray *all_lines)
{
    NSArray *devices = vzsim_virtio_devices(vm);
    NSArray *lines = [all_lines filteredArrayUsingPredicate:[NSPredicate predicateWithFormat:@"SELF BEGINSWITH 'custom-virtio '"]];
    NSUInteger i;

    if ([lines count] != [devices count])
        return [NSString stringWithFormat:@"The save file has the state of %lu custom virtio devices; the machine has %lu.",
                                          (unsigned long)[lines count], (unsigned long)[devices count]];
    for (i = 0; i < [devices count]; i++) {
        VZCustomVirtioDevice *device = [devices objectAtIndex:i];
        NSArray *words = [[lines objectAtIndex:i] componentsSeparatedByString:@" "];
        struct vzsim_virtio_call call = {device, nil, NO};
        if ([words count] != 3 || ![[words objectAtIndex:0] isEqual:@"custom-virtio"] ||
            [[words objectAtIndex:1] integerValue] != (NSInteger)i ||
            (call.state = vzsim_unhex([words objectAtIndex:2])) == nil)
            return @"The save file's custom virtio device state is corrupt.";
        vzsim_virtio_on_device_queue(device, vzsim_virtio_call_restore, &call);
        if (!call.restored)
            return [NSString stringWithFormat:@"The custom virtio device %u refused its saved state.",
                                              (unsigned)[device->_configuration deviceID]];
    }
    /* The restored guest's driver had set DRIVER_OK before the save. */
    for (VZCustomVirtioDevice *device in devices)
        vzsim_virtio_set_live(device, YES);
    return nil;
}

static const struct vzsim_device_hooks vzsim_virtio_hooks = {
    .made = vzsim_virtio_made,
    .started = vzsim_virtio_started,
    .transition = vzsim_virtio_transition,
    .freed = vzsim_virtio_freed,
    .save = vzsim_virtio_save,
    .restore = vzsim_virtio_restore,
};

__attribute__((constructor)) static void vzsim_virtio_register(void)
{
    vzsim_register_device_hooks(&vzsim_virtio_hooks);
}
