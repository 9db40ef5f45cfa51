/*
 * vz_vm_devices.m - the devices a VZVirtualMachine makes from its
 * configuration (macOS 11.0): socketDevices (one VZVirtioSocketDevice per
 * VZVirtioSocketDeviceConfiguration) and memoryBalloonDevices (one
 * VZVirtioTraditionalMemoryBalloonDevice per
 * VZVirtioTraditionalMemoryBalloonDeviceConfiguration), both empty arrays
 * when the configuration has none.
 */
#import "sim_internal.h"

#include <objc/runtime.h>

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
    [pool release];
}

void vzsim_vm_devices_free(VZVirtualMachine *vm)
{
    NSUInteger i;
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
