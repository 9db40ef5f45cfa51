/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 11.0/machine_devices.m - the devices a VZVirtualMachine makes from its
 * configuration (macOS 11.0): socketDevices (one VZVirtioSocketDevice per
 * VZVirtioSocketDeviceConfiguration) and memoryBalloonDevices (one
 * VZVirtioTraditionalMemoryBalloonDevice per
 * VZVirtioTraditionalMemoryBalloonDeviceConfiguration), both empty arrays
 * when the configuration has none.  Later layers add devices of their own
 * through hooks (struct vzsim_device_hooks) and keep them per machine in
 * vzsim_vm_more().
 */
#import "11.0/machine_devices.h"
#import "11.0/vsock.h"
#import "11.0/balloon.h"

#include <objc/runtime.h>

/* ---- hooks of later layers ------------------------------------------------------- */

/* Registered by layer constructors (one thread, at dlopen time), read afterwards. */
#define VZSIM_MAX_DEVICE_HOOKS 8
static const struct vzsim_device_hooks *vzsim_hooks[VZSIM_MAX_DEVICE_HOOKS];
static size_t vzsim_hook_count;

void vzsim_register_device_hooks(const struct vzsim_device_hooks *hooks)
{
    if (vzsim_hook_count < VZSIM_MAX_DEVICE_HOOKS)
        vzsim_hooks[vzsim_hook_count++] = hooks;
}

#define VZSIM_EACH_HOOK(member, ...)                                           \
    do {                                                                       \
        size_t i_;                                                             \
        for (i_ = 0; i_ < vzsim_hook_count; i_++)                              \
            if (vzsim_hooks[i_]->member != NULL)                               \
                vzsim_hooks[i_]->member(__VA_ARGS__);                          \
    } while (0)

NSString *vzsim_vm_devices_save(VZVirtualMachine *vm, NSMutableArray *lines)
{
    size_t i;
    for (i = 0; i < vzsim_hook_count; i++) {
        NSString *reason = vzsim_hooks[i]->save != NULL ? vzsim_hooks[i]->save(vm, lines) : nil;
        if (reason != nil)
            return reason;
    }
    return nil;
}

NSString *vzsim_vm_devices_restore(VZVirtualMachine *vm, NSArray *lines)
{
    size_t i;
    for (i = 0; i < vzsim_hook_count; i++) {
        NSString *reason = vzsim_hooks[i]->restore != NULL ? vzsim_hooks[i]->restore(vm, lines) : nil;
        if (reason != nil)
            return reason;
    }
    return nil;
}

/* Machine (as a pointer) -> its NSMutableDictionary; the entry goes with the machine. */
static pthread_mutex_t vzsim_more_lock = PTHREAD_MUTEX_INITIALIZER;
static NSMutableDictionary *vzsim_more;

NSMutableDictionary *vzsim_vm_more(VZVirtualMachine *vm)
{
    NSValue *key = [NSValue valueWithPointer:vm];
    NSMutableDictionary *more;

    pthread_mutex_lock(&vzsim_more_lock);
    if (vzsim_more == nil)
        vzsim_more = [[NSMutableDictionary alloc] init];
    more = [vzsim_more objectForKey:key];
    if (more == nil) {
        more = [NSMutableDictionary dictionary];
        [vzsim_more setObject:more forKey:key];
    }
    [[more retain] autorelease];
    pthread_mutex_unlock(&vzsim_more_lock);
    return more;
}

static void vzsim_vm_more_free(VZVirtualMachine *vm)
{
    NSMutableDictionary *more;
    pthread_mutex_lock(&vzsim_more_lock);
    more = [[vzsim_more objectForKey:[NSValue valueWithPointer:vm]] retain];
    [vzsim_more removeObjectForKey:[NSValue valueWithPointer:vm]];
    pthread_mutex_unlock(&vzsim_more_lock);
    [more release]; /* outside the lock: releasing devices may come back here */
}

/* ---- socket and balloon devices ----------------------------------------------------- */

/* The configuration classes are defined elsewhere (or by the skeleton): look them up by name. */
static NSArray *vzsim_devices_for(NSArray *configurations, const char *class_name, id (*make)(VZVirtualMachine *),
                                  VZVirtualMachine *vm)
{
    Class cls = objc_getClass(class_name);
    NSMutableArray *devices = [NSMutableArray array];
    NSUInteger i;

    for (i = 0; i < [configurations count]; i++) {
        if (cls == Nil || ![[configurations objectAtIndex:i] isKindOfClass:cls])
            continue;
        id device = make(vm);
        if (device != nil)
            [devices addObject:device];
        [device release];
    }
    return [devices copy];
}

static id vzsim_make_socket_device(VZVirtualMachine *vm)
{
    return vzsim_socket_device_new(vm);
}

static id vzsim_make_balloon_device(VZVirtualMachine *vm)
{
    return vzsim_balloon_device_new([vm->_configuration memorySize]);
}

void vzsim_vm_devices_init(VZVirtualMachine *vm, VZVirtualMachineConfiguration *configuration)
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    vm->_socketDevices = vzsim_devices_for([(id)configuration socketDevices], "VZVirtioSocketDeviceConfiguration",
                                           vzsim_make_socket_device, vm);
    vm->_memoryBalloonDevices = vzsim_devices_for([(id)configuration memoryBalloonDevices],
                                                  "VZVirtioTraditionalMemoryBalloonDeviceConfiguration",
                                                  vzsim_make_balloon_device, vm);
    VZSIM_EACH_HOOK(made, vm);
    [pool release];
}

void vzsim_vm_devices_free(VZVirtualMachine *vm)
{
    NSUInteger i;
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];

    VZSIM_EACH_HOOK(freed, vm);
    vzsim_vm_more_free(vm);
    [pool release];
    /* A device the caller still holds outlives the machine: it must not reach it. */
    for (i = 0; i < [vm->_socketDevices count]; i++) {
        VZVirtioSocketDevice *device = [vm->_socketDevices objectAtIndex:i];
        @synchronized(device) { device->_machine = nil; }
    }
    [vm->_socketDevices release];
    [vm->_memoryBalloonDevices release];
}

void vzsim_vm_devices_started(VZVirtualMachine *vm)
{
    vzsim_vsock_guest_connects(vm);
    VZSIM_EACH_HOOK(started, vm);
}

void vzsim_vm_devices_transition(VZVirtualMachine *vm, VZVirtualMachineState via)
{
    VZSIM_EACH_HOOK(transition, vm, via);
}

void vzsim_vm_devices_stopped(VZVirtualMachine *vm)
{
    vzsim_vsock_guest_stopped(vm);
}

@implementation VZVirtualMachine (VZSimDevices)

- (NSArray *)socketDevices
{
    return [[_socketDevices retain] autorelease];
}

- (NSArray *)memoryBalloonDevices
{
    return [[_memoryBalloonDevices retain] autorelease];
}

@end
