/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 11.0/balloon.m - the Virtio traditional memory balloon device (macOS 11.0):
 * VZMemoryBalloonDevice and VZVirtioTraditionalMemoryBalloonDevice.
 *
 * The target starts at the configuration's memorySize.  A new target is
 * rounded down to a multiple of 1 MiB and clamped to
 * [minimumAllowedMemorySize, memorySize], the range Apple documents; the
 * simulated guest always complies, so the target reads back as set.
 */
#import "11.0/balloon.h"
#import "11.0/config.h"

@implementation VZMemoryBalloonDevice

VZSIM_UNAVAILABLE_INIT

@end

VZVirtioTraditionalMemoryBalloonDevice *vzsim_balloon_device_new(uint64_t memorySize)
{
    VZVirtioTraditionalMemoryBalloonDevice *device = vzsim_nsobject_init([VZVirtioTraditionalMemoryBalloonDevice alloc]);
    if (device != nil) {
        pthread_mutex_init(&device->_lock, NULL);
        device->_memorySize = memorySize;
        device->_target = memorySize;
    }
    return device;
}

@implementation VZVirtioTraditionalMemoryBalloonDevice

- (void)dealloc
{
    pthread_mutex_destroy(&_lock);
    [super dealloc];
}

- (uint64_t)targetVirtualMachineMemorySize
{
    uint64_t target;
    pthread_mutex_lock(&_lock);
    target = _target;
    pthread_mutex_unlock(&_lock);
    return target;
}

- (void)setTargetVirtualMachineMemorySize:(uint64_t)size
{
    uint64_t target = size - size % CVZ_SIM_MIB;
    if (target < CVZ_SIM_MIN_MEMORY_SIZE)
        target = CVZ_SIM_MIN_MEMORY_SIZE;
    pthread_mutex_lock(&_lock);
    if (target > _memorySize)
        target = _memorySize;
    _target = target;
    pthread_mutex_unlock(&_lock);
}

@end
