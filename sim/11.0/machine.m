/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 11.0/machine.m - VZVirtualMachine as of macOS 11.0: the state machine, its
 * serial worker ("the VM's queue"), and the simulated guest's console.
 *
 * Every completion handler runs on the VM's own worker thread, never inside
 * the call that was given it.  State reads take the VM's lock, so they are
 * safe from any thread (Apple requires calls on the VM's queue; the sim is
 * lenient there).
 */
#import "11.0/machine.h"
#import "11.0/machine_devices.h"
#import "11.0/console.h"
#import "core/hold.h"

#include <string.h>

NSString *vzsim_state_name(VZVirtualMachineState state)
{
    switch (state) {
    case VZVirtualMachineStateStopped: return @"stopped";
    case VZVirtualMachineStateRunning: return @"running";
    case VZVirtualMachineStatePaused: return @"paused";
    case VZVirtualMachineStateError: return @"error";
    case VZVirtualMachineStateStarting: return @"starting";
    case VZVirtualMachineStatePausing: return @"pausing";
    case VZVirtualMachineStateResuming: return @"resuming";
    case VZVirtualMachineStateStopping: return @"stopping";
    case VZVirtualMachineStateSaving: return @"saving";
    case VZVirtualMachineStateRestoring: return @"restoring";
    default: return [NSString stringWithFormat:@"unknown (%ld)", (long)state];
    }
}

NSError *vzsim_vm_transition_error(NSString *action, VZVirtualMachineState state)
{
    return vzsim_error(VZErrorInvalidVirtualMachineStateTransition,
                         @"Invalid virtual machine state transition.",
                         [NSString stringWithFormat:@"The virtual machine cannot %@ in the %@ state.", action,
                                                    vzsim_state_name(state)]);
}

/* ---- console ----------------------------------------------------------------- */

/* The guest writes `text` to every serial port and console port attachment
 * with a writing side (file handle or file), through the console's own descriptors. */
static void vzsim_vm_console(VZVirtualMachine *vm, NSString *text)
{
    const char *bytes = [text UTF8String];

    vzsim_console_print(vm->_console, bytes, strlen(bytes));
}

/* What the guest prints as it boots.  A Linux kernel shows its command
 * line; a guest started by firmware (EFI, macOS) shows the boot loader. */
static NSString *vzsim_boot_text(VZVirtualMachine *vm)
{
    id loader = [vm->_configuration bootLoader];
    NSString *boot = [loader isKindOfClass:[VZLinuxBootLoader class]]
                         ? [NSString stringWithFormat:@"Command line: %@", [loader commandLine]]
                         : [NSString stringWithFormat:@"Booted by %@", NSStringFromClass([loader class])];
    return [NSString stringWithFormat:@"[    0.000000] Linux version 6.1.0 (cvz simulated guest)\r\n"
                                      @"[    0.000000] %@\r\n"
                                      @"[    0.000000] Memory: %llu MiB, CPUs: %lu\r\n"
                                      @"[    0.100000] Run /sbin/init as init process\r\n"
                                      @"Welcome to the simulated guest\r\n",
                                      boot, (unsigned long long)([vm->_configuration memorySize] / CVZ_SIM_MIB),
                                      (unsigned long)[vm->_configuration CPUCount]];
}

/* ---- queue helpers -------------------------------------------------------------- */

CVZSimQueue *vzsim_vm_queue(VZVirtualMachine *vm)
{
    CVZSimQueue *queue;
    pthread_mutex_lock(&vm->_lock);
    if (vm->_queue == nil)
        vm->_queue = [[CVZSimQueue alloc] initWithName:[NSString stringWithFormat:@"VZVirtualMachine %p", vm]];
    queue = vm->_queue;
    pthread_mutex_unlock(&vm->_lock);
    return queue;
}

static void vzsim_call_completion(id vm, id error, unsigned long token, void *block)
{
    (void)vm;
    (void)token;
    vzsim_block_call_error(block, error);
}

void vzsim_vm_complete(VZVirtualMachine *vm, void *block, NSError *error)
{
    [vzsim_vm_queue(vm) after:0 fn:vzsim_call_completion obj:vm arg:error token:0 block:block];
}

/* ---- state -------------------------------------------------------------------------- */

/* The keys that follow the state; canStop exists from 12.0. */
static NSString *const vzsim_state_keys[] = {@"state", @"canStart", @"canPause", @"canResume", @"canRequestStop",
                                             @"canStop"};

static size_t vzsim_state_key_count(VZVirtualMachine *vm)
{
    size_t n = sizeof vzsim_state_keys / sizeof *vzsim_state_keys;
    return [vm respondsToSelector:@selector(canStop)] ? n : n - 1;
}

static BOOL vzsim_vm_may_move(VZVirtualMachine *vm, unsigned allowed, unsigned long token)
{
    return (allowed & (1u << vm->_state)) != 0 && (token == 0 || vm->_epoch == token);
}

BOOL vzsim_vm_move(VZVirtualMachine *vm, unsigned allowed, unsigned long token, VZVirtualMachineState to,
                   VZVirtualMachineState *seen, unsigned long *epoch)
{
    size_t keys = vzsim_state_key_count(vm), i;
    BOOL ok;

    pthread_mutex_lock(&vm->_lock);
    if (seen != NULL)
        *seen = vm->_state;
    ok = vzsim_vm_may_move(vm, allowed, token);
    pthread_mutex_unlock(&vm->_lock);
    if (!ok)
        return NO;
    for (i = 0; i < keys; i++)
        [vm willChangeValueForKey:vzsim_state_keys[i]];
    /* Checked again: a caller off the machine's queue (which Apple forbids, and
     * the sim allows for machines without a given queue) may have moved it. */
    pthread_mutex_lock(&vm->_lock);
    ok = vzsim_vm_may_move(vm, allowed, token);
    if (ok) {
        vm->_state = to;
        vm->_epoch++;
        if (epoch != NULL)
            *epoch = vm->_epoch;
    }
    pthread_mutex_unlock(&vm->_lock);
    for (i = keys; i > 0; i--)
        [vm didChangeValueForKey:vzsim_state_keys[i - 1]];
    return ok;
}

/* ---- delegate ----------------------------------------------------------------------- */

/* Both run on the machine's queue, like Apple's delegate calls. */
static void vzsim_vm_notify_guest_stop(VZVirtualMachine *vm)
{
    id delegate;
    pthread_mutex_lock(&vm->_lock);
    delegate = [vm->_delegate retain];
    pthread_mutex_unlock(&vm->_lock);
    if ([delegate respondsToSelector:@selector(guestDidStopVirtualMachine:)])
        [delegate guestDidStopVirtualMachine:vm];
    [delegate release];
}

static void vzsim_vm_notify_error(VZVirtualMachine *vm, NSError *error)
{
    id delegate;
    pthread_mutex_lock(&vm->_lock);
    delegate = [vm->_delegate retain];
    pthread_mutex_unlock(&vm->_lock);
    if ([delegate respondsToSelector:@selector(virtualMachine:didStopWithError:)])
        [delegate virtualMachine:vm didStopWithError:error];
    [delegate release];
}

/* A running guest crashes: the machine goes to the error state and tells
 * its delegate.  `arg`: the failure reason (nil: the crash timer's). */
void vzsim_vm_guest_crash(id obj, id arg, unsigned long token, void *block)
{
    VZVirtualMachine *vm = obj;
    BOOL ok;

    (void)block;
    ok = vzsim_vm_move(vm, 1u << VZVirtualMachineStateRunning, token, VZVirtualMachineStateError, NULL, NULL);
    if (!ok)
        return;
    vzsim_vm_console(vm, @"Kernel panic - not syncing: simulated guest crash\r\n");
    vzsim_vm_devices_stopped(vm);
    vzsim_vm_notify_error(vm, vzsim_error(VZErrorInternal, @"The virtual machine stopped unexpectedly.",
                                           arg != nil ? arg : @"The simulated guest crashed (CVZ_SIM_GUEST_CRASH_AFTER_MS)."));
}

/* ---- transitions ------------------------------------------------------------------- */

/* starting -> running, then the guest boots and prints on its console. */
static void vzsim_vm_finish_start(id obj, id arg, unsigned long token, void *block)
{
    VZVirtualMachine *vm = obj;
    BOOL ok;

    (void)arg;
    unsigned long running_epoch = 0;
    ok = vzsim_vm_move(vm, 1u << VZVirtualMachineStateStarting, token, VZVirtualMachineStateRunning, NULL,
                       &running_epoch);
    if (ok) {
        long crash = vzsim_env_ms("CVZ_SIM_GUEST_CRASH_AFTER_MS", VZSIM_DEFAULT_GUEST_CRASH_AFTER_MS, -1);
        vzsim_vm_console(vm, vzsim_boot_text(vm));
        vzsim_vm_devices_started(vm);
        vzsim_console_start(vm->_console);
        if (crash >= 0)
            vzsim_after_unless_held(vzsim_vm_queue(vm), "crash", crash, vzsim_vm_guest_crash, vm, nil, running_epoch,
                                    NULL);
        vzsim_block_call_error(block, nil);
    } else {
        vzsim_block_call_error(block, vzsim_error(VZErrorInternal, @"The virtual machine failed to start.",
                                                      @"The start was interrupted by another state change."));
    }
}

/* stopping -> stopped.  `arg` is non-nil when the guest stopped itself (its
 * delegate hears of it); a forced stop passes nil and reports to its block. */
void vzsim_vm_finish_stop(id obj, id arg, unsigned long token, void *block)
{
    VZVirtualMachine *vm = obj;
    BOOL ok;

    ok = vzsim_vm_move(vm, 1u << VZVirtualMachineStateStopping, token, VZVirtualMachineStateStopped, NULL, NULL);
    if (ok)
        vzsim_vm_devices_stopped(vm);
    if (ok && arg != nil)
        vzsim_vm_notify_guest_stop(vm);
    if (block != NULL)
        vzsim_block_call_error(block, ok ? nil : vzsim_vm_transition_error(@"finish stopping", [vm state]));
}

/* The guest honours a stop request: it powers off.  From 12.0 the machine
 * passes through `stopping` (for CVZ_SIM_STOP_DELAY_MS); at 11.0 that state
 * does not exist and the machine is stopped at once. */
void vzsim_vm_guest_shutdown(id obj, id arg, unsigned long token, void *block)
{
    VZVirtualMachine *vm = obj;
    BOOL stopping_state = vzsim_api_level() >= CVZ_SIM_LEVEL(12, 0);
    unsigned long stop_epoch = 0;
    BOOL ok;

    (void)arg;
    (void)block;
    if (stopping_state) {
        ok = vzsim_vm_move(vm, 1u << VZVirtualMachineStateRunning, token, VZVirtualMachineStateStopping, NULL,
                           &stop_epoch);
    } else {
        pthread_mutex_lock(&vm->_lock);
        ok = vm->_epoch == token && vm->_state == VZVirtualMachineStateRunning;
        pthread_mutex_unlock(&vm->_lock);
    }
    if (!ok)
        return; /* stopped meanwhile, or an earlier request already did it */

    vzsim_vm_devices_transition(vm, VZVirtualMachineStateStopping);
    vzsim_vm_console(vm, @"reboot: Power down\r\n");

    if (stopping_state) {
        long delay = vzsim_env_ms("CVZ_SIM_STOP_DELAY_MS", VZSIM_DEFAULT_STOP_DELAY_MS, 0);
        vzsim_after_unless_held(vzsim_vm_queue(vm), "stop", delay, vzsim_vm_finish_stop, vm, vm, stop_epoch, NULL);
    } else {
        if (vzsim_vm_move(vm, 1u << VZVirtualMachineStateRunning, token, VZVirtualMachineStateStopped, NULL, NULL)) {
            vzsim_vm_devices_stopped(vm);
            vzsim_vm_notify_guest_stop(vm);
        }
    }
}

/* Apple requires every call on a machine to be made on its queue (and
 * asserts it).  The sim checks it for machines given a queue, raising so a
 * client that forgets is caught in tests rather than crashed. */
void vzsim_vm_assert_queue(VZVirtualMachine *vm, SEL cmd)
{
    if (vm->_givenQueue && ![vm->_queue isCurrent])
        [NSException raise:NSInternalInconsistencyException
                    format:@"-[VZVirtualMachine %s] must be called on the virtual machine's queue",
                           sel_getName(cmd)];
}

/* ---- the class ------------------------------------------------------------------------ */

@implementation VZVirtualMachine

VZSIM_UNAVAILABLE_INIT

- (id)initWithConfiguration:(VZVirtualMachineConfiguration *)configuration
{
    return [self initWithConfiguration:configuration queue:nil];
}

/* `queue` nil: the machine makes its own (Apple uses the main queue; the sim
 * has no main loop to run, so it keeps a private worker instead). */
- (id)initWithConfiguration:(VZVirtualMachineConfiguration *)configuration queue:(id)queue
{
    NSAutoreleasePool *pool;
    NSError *error = nil;
    NSString *reason = nil;
    NSDictionary *info = nil;
    VZVirtualMachineConfiguration *copy;

    if (configuration == nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZVirtualMachine initWithConfiguration:]: the configuration must not be nil");
    }
    if (queue != nil && ![queue isKindOfClass:[CVZSimQueue class]]) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZVirtualMachine initWithConfiguration:queue:]: %p is not a dispatch queue", queue);
    }
    /* Apple copies the configuration: later changes to it do not affect the
     * machine.  Validate the copy, so what is checked is what runs.  Our own
     * temporaries go in a local pool; only the exception, if any, is left to
     * the caller's. */
    pool = [[NSAutoreleasePool alloc] init];
    copy = [configuration copy];
    if (![copy validateWithError:&error]) {
        reason = [[NSString alloc] initWithFormat:@"Invalid virtual machine configuration. %@",
                                                  [[error userInfo] objectForKey:NSLocalizedFailureReasonErrorKey]];
        info = [[NSDictionary alloc] initWithObjectsAndKeys:error, NSUnderlyingErrorKey, nil];
    }
    [pool release];
    if (reason != nil) {
        NSException *exception = [NSException exceptionWithName:NSInvalidArgumentException reason:reason userInfo:info];
        [reason release];
        [info release];
        [copy release];
        [self release];
        [exception raise];
    }
    self = vzsim_nsobject_init(self);
    if (self == nil) {
        [copy release];
        return nil;
    }
    _configuration = copy;
    pthread_mutex_init(&_lock, NULL);
    _state = VZVirtualMachineStateStopped;
    _epoch = 1;
    if (queue != nil) {
        [(CVZSimQueue *)queue retainClient];
        _givenQueue = YES;
    }
    _queue = queue;
    _delegate = nil;
    vzsim_vm_devices_init(self, configuration);
    _console = vzsim_console_new(self);
    return self;
}

- (void)dealloc
{
    /* Pending work retains the machine, so nothing of ours is queued now.
     * A given queue is the client's; our own ends its worker (joined unless
     * this is the worker itself).  The console reader goes first: it posts
     * to the queue. */
    vzsim_console_end(_console);
    if (_givenQueue) {
        [_queue releaseClient];
    } else {
        [_queue shutdown];
        [_queue release];
    }
    vzsim_vm_devices_free(self);
    [_delegate release];
    [_configuration release];
    pthread_mutex_destroy(&_lock);
    [super dealloc];
}

/* The console reader reaches the machine through a pointer that is not a
 * reference (11.0/console.m).  Under the console's lock, the last release
 * clears that pointer before the count drops, and other releases happen
 * whole, so two releases racing cannot both miss being the last. */
- (oneway void)release
{
    CVZSimGuestConsole *console = _console;

    if (console == nil) {
        [super release];
        return;
    }
    vzsim_console_lock(console);
    if ([self retainCount] == 1) {
        vzsim_console_forget_machine(console);
        vzsim_console_unlock(console);
        [super release];
    } else {
        [super release];
        vzsim_console_unlock(console);
    }
}

- (id)queue
{
    return vzsim_vm_queue(self);
}

- (VZVirtualMachineState)state
{
    VZVirtualMachineState state;

    vzsim_vm_assert_queue(self, _cmd);
    pthread_mutex_lock(&_lock);
    state = _state;
    pthread_mutex_unlock(&_lock);
    return state;
}

- (BOOL)canStart
{
    VZVirtualMachineState state;

    vzsim_vm_assert_queue(self, _cmd);
    state = [self state];
    return state == VZVirtualMachineStateStopped || state == VZVirtualMachineStateError;
}

- (BOOL)canRequestStop
{
    vzsim_vm_assert_queue(self, _cmd);
    return [self state] == VZVirtualMachineStateRunning;
}

- (void)startWithCompletionHandler:(void *)completionHandler
{
    vzsim_vm_assert_queue(self, _cmd);
    vzsim_vm_begin(self, completionHandler,
                   (1u << VZVirtualMachineStateStopped) | (1u << VZVirtualMachineStateError),
                   VZVirtualMachineStateStarting, @"start", "CVZ_SIM_START_DELAY_MS", VZSIM_DEFAULT_START_DELAY_MS,
                   vzsim_vm_finish_start, nil);
}

- (BOOL)requestStopWithError:(NSError **)error
{
    VZVirtualMachineState state;
    unsigned long epoch;
    long delay;

    vzsim_vm_assert_queue(self, _cmd);
    pthread_mutex_lock(&_lock);
    state = _state;
    epoch = _epoch;
    pthread_mutex_unlock(&_lock);

    if (state != VZVirtualMachineStateRunning) {
        vzsim_set_error(error, vzsim_vm_transition_error(@"be asked to stop", state));
        return NO;
    }
    /* -1: the guest ignores the request (for tests of time-outs). */
    delay = vzsim_env_ms("CVZ_SIM_GUEST_SHUTDOWN_DELAY_MS", VZSIM_DEFAULT_GUEST_SHUTDOWN_DELAY_MS, -1);
    if (delay >= 0) {
        NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
        vzsim_after_unless_held(vzsim_vm_queue(self), "power-off", delay, vzsim_vm_guest_shutdown, self, nil, epoch,
                                NULL);
        [pool release];
    }
    return YES;
}

- (BOOL)canPause
{
    vzsim_vm_assert_queue(self, _cmd);
    return [self state] == VZVirtualMachineStateRunning;
}

- (BOOL)canResume
{
    vzsim_vm_assert_queue(self, _cmd);
    return [self state] == VZVirtualMachineStatePaused;
}

/* running -> pausing -> paused, and paused -> resuming -> running, each after
 * CVZ_SIM_PAUSE_DELAY_MS; illegal transitions report code 4 to the handler. */
static void vzsim_vm_finish_transition(id obj, id arg, unsigned long token, void *block)
{
    VZVirtualMachine *vm = obj;
    VZVirtualMachineState from = [arg integerValue] == 0 ? VZVirtualMachineStatePausing : VZVirtualMachineStateResuming;
    VZVirtualMachineState to = from == VZVirtualMachineStatePausing ? VZVirtualMachineStatePaused
                                                                    : VZVirtualMachineStateRunning;
    BOOL ok = vzsim_vm_move(vm, 1u << from, token, to, NULL, NULL);

    if (ok && to == VZVirtualMachineStateRunning)
        vzsim_console_start(vm->_console); /* a restored machine runs for the first time here */
    vzsim_block_call_error(block, ok ? nil : vzsim_vm_transition_error(@"finish the transition", [vm state]));
}

/* Begins an asynchronous transition shared by start, stop, pause and resume:
 * from one of the `allowed` states (a mask of 1 << state) the machine goes to
 * `via` at once, and `finish` runs on its queue after the delay read from
 * `delay_env` (or when a test releases the hold on `what`, core/hold.m); from
 * any other state the handler receives code 4. */
void vzsim_vm_begin(VZVirtualMachine *vm, void *handler, unsigned allowed, VZVirtualMachineState via,
                    NSString *what, const char *delay_env, long default_delay, vzsim_work_fn finish, id arg)
{
    void *block = vzsim_block_keep(handler);
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    VZVirtualMachineState state;
    unsigned long epoch = 0;
    BOOL ok = vzsim_vm_move(vm, allowed, 0, via, &state, &epoch);

    if (ok)
        vzsim_vm_devices_transition(vm, via);
    if (ok)
        vzsim_after_unless_held(vzsim_vm_queue(vm), [what UTF8String], vzsim_env_ms(delay_env, default_delay, 0), finish,
                                vm, arg, epoch, block);
    else
        vzsim_vm_complete(vm, block, vzsim_vm_transition_error(what, state));
    [pool release];
}

- (void)pauseWithCompletionHandler:(void *)completionHandler
{
    vzsim_vm_assert_queue(self, _cmd);
    vzsim_vm_begin(self, completionHandler, 1u << VZVirtualMachineStateRunning, VZVirtualMachineStatePausing,
                   @"pause", "CVZ_SIM_PAUSE_DELAY_MS", VZSIM_DEFAULT_PAUSE_DELAY_MS, vzsim_vm_finish_transition,
                   [NSNumber numberWithInt:0]);
}

- (void)resumeWithCompletionHandler:(void *)completionHandler
{
    vzsim_vm_assert_queue(self, _cmd);
    vzsim_vm_begin(self, completionHandler, 1u << VZVirtualMachineStatePaused, VZVirtualMachineStateResuming,
                   @"resume", "CVZ_SIM_PAUSE_DELAY_MS", VZSIM_DEFAULT_PAUSE_DELAY_MS, vzsim_vm_finish_transition,
                   [NSNumber numberWithInt:1]);
}

- (id)delegate
{
    id delegate;

    vzsim_vm_assert_queue(self, _cmd);
    pthread_mutex_lock(&_lock);
    delegate = [[_delegate retain] autorelease];
    pthread_mutex_unlock(&_lock);
    return delegate;
}

- (void)setDelegate:(id)delegate
{
    id old;

    vzsim_vm_assert_queue(self, _cmd);
    [delegate retain];
    pthread_mutex_lock(&_lock);
    old = _delegate;
    _delegate = delegate;
    pthread_mutex_unlock(&_lock);
    [old release];
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<VZVirtualMachine %p state=%@>", self, vzsim_state_name([self state])];
}

@end
