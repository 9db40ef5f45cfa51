/* SPDX-License-Identifier: Apache-2.0 */
/*
 * balloon.h - the Virtio traditional memory balloon device (balloon.m).
 */
#ifndef CVZ_SIM_11_0_BALLOON_H
#define CVZ_SIM_11_0_BALLOON_H

#import "core/sim.h"

@interface VZMemoryBalloonDevice : NSObject
@end

@interface VZVirtioTraditionalMemoryBalloonDevice : VZMemoryBalloonDevice
{
@public
    pthread_mutex_t _lock;
    uint64_t _memorySize; /* the configuration's memorySize: the upper bound */
    uint64_t _target;
}
- (uint64_t)targetVirtualMachineMemorySize;
- (void)setTargetVirtualMachineMemorySize:(uint64_t)size;
@end

VZVirtioTraditionalMemoryBalloonDevice *vzsim_balloon_device_new(uint64_t memorySize);

#endif /* CVZ_SIM_11_0_BALLOON_H */
