/* SPDX-License-Identifier: Apache-2.0 */
/*
 * machine.h - what macOS 12.0 adds to VZVirtualMachine (machine.m): the
 * forced stop.
 */
#ifndef CVZ_SIM_12_0_MACHINE_H
#define CVZ_SIM_12_0_MACHINE_H

#import "11.0/machine.h"

@interface VZVirtualMachine (VZSim12)
- (BOOL)canStop;
- (void)stopWithCompletionHandler:(void *)completionHandler;
@end

#endif /* CVZ_SIM_12_0_MACHINE_H */
