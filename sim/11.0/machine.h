/* SPDX-License-Identifier: Apache-2.0 */
/*
 * machine.h - VZVirtualMachine as of macOS 11.0 (machine.m): its states,
 * and the state machine that later layers drive (stop at 12.0, save and
 * restore at 14.0, the macOS installer).
 */
#ifndef CVZ_SIM_11_0_MACHINE_H
#define CVZ_SIM_11_0_MACHINE_H

#import "11.0/config.h"
#import "core/queue.h"

/* Defaults of the timing knobs, in milliseconds (see sim/README.md). */
#define VZSIM_DEFAULT_START_DELAY_MS 10
#define VZSIM_DEFAULT_GUEST_SHUTDOWN_DELAY_MS 20
#define VZSIM_DEFAULT_STOP_DELAY_MS 10
#define VZSIM_DEFAULT_PAUSE_DELAY_MS 5
/* CVZ_SIM_GUEST_CRASH_AFTER_MS: a running guest fails after that long (-1, the default: never). */
#define VZSIM_DEFAULT_GUEST_CRASH_AFTER_MS (-1)

@class CVZSimGuestConsole;

typedef NSInteger VZVirtualMachineState;
enum {
    VZVirtualMachineStateStopped = 0,
    VZVirtualMachineStateRunning = 1,
    VZVirtualMachineStatePaused = 2,
    VZVirtualMachineStateError = 3,
    VZVirtualMachineStateStarting = 4,
    VZVirtualMachineStatePausing = 5,
    VZVirtualMachineStateResuming = 6,
    VZVirtualMachineStateStopping = 7, /* 12.0 */
    VZVirtualMachineStateSaving = 8,   /* 14.0 */
    VZVirtualMachineStateRestoring = 9 /* 14.0 */
};

@interface VZVirtualMachine : NSObject
{
@public
    VZVirtualMachineConfiguration *_configuration; /* our private copy */
    pthread_mutex_t _lock;                         /* guards _state, _epoch */
    VZVirtualMachineState _state;
    unsigned long _epoch; /* bumped by every state transition */
    CVZSimQueue *_queue;  /* given, or created on first use */
    BOOL _givenQueue;     /* _queue came from initWithConfiguration:queue: */
    id _delegate;         /* retained here; Apple's is weak (see sim/README.md) */
    NSArray *_socketDevices;        /* VZVirtioSocketDevice, made at init (machine_devices.m) */
    NSArray *_memoryBalloonDevices; /* VZVirtioTraditionalMemoryBalloonDevice, likewise */
    CVZSimGuestConsole *_console;   /* its own console descriptors and reader; nil without a console (console.m) */
}
- (id)initWithConfiguration:(VZVirtualMachineConfiguration *)configuration;
- (id)initWithConfiguration:(VZVirtualMachineConfiguration *)configuration queue:(id)queue;
- (id)queue;
- (VZVirtualMachineState)state;
- (BOOL)canStart;
- (BOOL)canRequestStop;
- (void)startWithCompletionHandler:(void *)completionHandler;
- (BOOL)requestStopWithError:(NSError **)error;
- (id)delegate;
- (void)setDelegate:(id)delegate;
- (BOOL)canPause;
- (BOOL)canResume;
- (void)pauseWithCompletionHandler:(void *)completionHandler;
- (void)resumeWithCompletionHandler:(void *)completionHandler;
@end

/* The delegate protocol (11.0 members), so the runtime knows it as Apple's does. */
@protocol VZVirtualMachineDelegate <NSObject>
@optional
- (void)guestDidStopVirtualMachine:(VZVirtualMachine *)virtualMachine;
- (void)virtualMachine:(VZVirtualMachine *)virtualMachine didStopWithError:(NSError *)error;
@end

/* VM internals shared between layers. */
CVZSimQueue *vzsim_vm_queue(VZVirtualMachine *vm);
/* Raises NSInternalInconsistencyException when a machine given a queue is
 * called off it (Apple asserts). */
void vzsim_vm_assert_queue(VZVirtualMachine *vm, SEL cmd);
/* Queue a call of `block` with `error` on the VM's queue (takes over block). */
void vzsim_vm_complete(VZVirtualMachine *vm, void *block, NSError *error);
/* Work function that moves a VM from stopping to stopped (token = epoch of
 * the stopping transition), then calls the block, if any, with nil. */
void vzsim_vm_finish_stop(id vm, id arg, unsigned long token, void *block);
/* Work functions of the guest (token: the machine's epoch while running;
 * stale tokens do nothing): it powers off as after a stop request, or
 * crashes (arg: the failure reason, nil for the crash timer's). */
void vzsim_vm_guest_shutdown(id vm, id arg, unsigned long token, void *block);
void vzsim_vm_guest_crash(id vm, id arg, unsigned long token, void *block);
/* Error for a transition that the current state does not allow. */
NSError *vzsim_vm_transition_error(NSString *action, VZVirtualMachineState state);
/* Starts an asynchronous state transition (start, stop, pause, resume); see machine.m. */
void vzsim_vm_begin(VZVirtualMachine *vm, void *handler, unsigned allowed, VZVirtualMachineState via,
                    NSString *what, const char *delay_env, long default_delay, vzsim_work_fn finish, id arg);
/*
 * The one way a machine's state changes: when its state is in `allowed` (a
 * mask of 1 << state) and, unless `token` is 0, its epoch is `token`, it
 * becomes `to` and the epoch is bumped (*epoch, when not NULL, receives the
 * new one).  Key-value observers of state (and of canStart, canPause,
 * canResume, canRequestStop and, from 12.0, canStop) are told around the
 * change, outside the lock, as Apple tells them: on the machine's queue when
 * the caller is.  *seen (when not NULL) receives the state found.
 */
BOOL vzsim_vm_move(VZVirtualMachine *vm, unsigned allowed, unsigned long token, VZVirtualMachineState to,
                   VZVirtualMachineState *seen, unsigned long *epoch);
/* Human name of a state ("running"). */
NSString *vzsim_state_name(VZVirtualMachineState state);

#endif /* CVZ_SIM_11_0_MACHINE_H */
