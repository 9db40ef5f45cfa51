/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 12.0/machine.m - the macOS 12.0 layer (libVirtualization-12.0.so).
 *
 * Adds, as an Objective-C category loaded after the 11.0 layer, the members
 * Apple introduced in 12.0 for this slice:
 *   -[VZVirtualMachine canStop]
 *   -[VZVirtualMachine stopWithCompletionHandler:]
 * and switches on 12.0 behaviour: the `stopping` state exists (a guest
 * shutdown goes running -> stopping -> stopped; at 11.0 it goes straight to
 * stopped).  When this library is not loaded, neither selector exists in the
 * runtime.
 */
#import "12.0/machine.h"

VZSIM_LAYER(12, 0)

@implementation VZVirtualMachine (VZSim12)

- (BOOL)canStop
{
    vzsim_vm_assert_queue(self, _cmd);
    VZVirtualMachineState state = [self state];
    return state == VZVirtualMachineStateRunning || state == VZVirtualMachineStatePaused ||
           state == VZVirtualMachineStateError;
}

/* A forced stop: the guest gets no chance to shut down (no console output). */
- (void)stopWithCompletionHandler:(void *)completionHandler
{
    vzsim_vm_assert_queue(self, _cmd);
    vzsim_vm_begin(self, completionHandler,
                   (1u << VZVirtualMachineStateRunning) | (1u << VZVirtualMachineStatePaused) |
                       (1u << VZVirtualMachineStateError),
                   VZVirtualMachineStateStopping, @"stop", "CVZ_SIM_STOP_DELAY_MS", VZSIM_DEFAULT_STOP_DELAY_MS,
                   vzsim_vm_finish_stop, nil);
}

@end
