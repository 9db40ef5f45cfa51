/* SPDX-License-Identifier: Apache-2.0 */
/*
 * machine_devices.h - a machine's runtime devices (machine_devices.m): its
 * socket and balloon devices, and the hooks through which the devices of
 * later layers (USB controllers at 15.0, custom virtio devices at 27.0) and
 * save/restore (14.0) follow the machine's life.
 */
#ifndef CVZ_SIM_11_0_MACHINE_DEVICES_H
#define CVZ_SIM_11_0_MACHINE_DEVICES_H

#import "11.0/machine.h"

/* Makes vm's socket and balloon devices from the configuration given to
 * -initWithConfiguration: (the same content as the machine's copy). */
void vzsim_vm_devices_init(VZVirtualMachine *vm, VZVirtualMachineConfiguration *configuration);
@interface VZVirtualMachine (VZSimDevices)
- (NSArray *)socketDevices;
- (NSArray *)memoryBalloonDevices;
@end

/* Releases them (from -dealloc). */
void vzsim_vm_devices_free(VZVirtualMachine *vm);
/* The machine reached running (on its queue). */
void vzsim_vm_devices_started(VZVirtualMachine *vm);
/* The machine just began an asynchronous transition to `via` (starting,
 * pausing, resuming, stopping, saving, restoring), on any thread. */
void vzsim_vm_devices_transition(VZVirtualMachine *vm, VZVirtualMachineState via);

/*
 * Devices of later layers (USB controllers at 15.0, custom virtio devices at
 * 27.0) hook into the machine's life: each layer registers its hooks from its
 * constructor; every hook may be NULL.  They run in registration order.
 */
struct vzsim_device_hooks {
    void (*made)(VZVirtualMachine *vm);    /* end of -initWithConfiguration:queue: */
    void (*started)(VZVirtualMachine *vm); /* reached running, on its queue */
    void (*transition)(VZVirtualMachine *vm, VZVirtualMachineState via);
    void (*freed)(VZVirtualMachine *vm);   /* from -dealloc */
    /* Save/restore (14.0-arm64/save.m), on the machine's queue: add lines of the
     * layer's own to the save file, or check and take back the lines a save
     * wrote (every line of the file between `config` and `checksum`).  nil,
     * or the reason the save or restore fails. */
    NSString *(*save)(VZVirtualMachine *vm, NSMutableArray *lines);
    NSString *(*restore)(VZVirtualMachine *vm, NSArray *lines);
};
void vzsim_register_device_hooks(const struct vzsim_device_hooks *hooks);
/* Runs every registered save (restore) hook; the first reason stops them. */
NSString *vzsim_vm_devices_save(VZVirtualMachine *vm, NSMutableArray *lines);
NSString *vzsim_vm_devices_restore(VZVirtualMachine *vm, NSArray *lines);
/* What later layers keep for a machine (its runtime devices): a mutable
 * dictionary made on first use, released with the machine. */
NSMutableDictionary *vzsim_vm_more(VZVirtualMachine *vm);
/* The guest is gone: the machine reached stopped or error, however it stopped (on its queue). */
void vzsim_vm_devices_stopped(VZVirtualMachine *vm);

#endif /* CVZ_SIM_11_0_MACHINE_DEVICES_H */
