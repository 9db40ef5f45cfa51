/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sim_internal.h - shared declarations of the simulated Virtualization.framework.
 *
 * Internal to sim/: the layers (libVirtualization-<X.Y>.so) include it; the
 * cvz core never does (it reaches the framework only through the Objective-C
 * runtime, as it would on macOS).  Written for GCC's Objective-C and the GNU
 * runtime with GNUstep Base: manual retain/release, no blocks, no ARC, no
 * @property (class ...).
 *
 * Apple's selectors and types are reproduced; the declarations and comments
 * here are our own.  Every class is introduced in macOS 11.0 unless noted.
 */
#ifndef CVZ_SIM_INTERNAL_H
#define CVZ_SIM_INTERNAL_H

#import <Foundation/Foundation.h>
#include <pthread.h>
#include <stdint.h>
#include "sim_block.h"

/* ---- versions ---------------------------------------------------------- */

/* A macOS version as a number: 11.0 -> 1100, 12.3 -> 1203. */
#define CVZ_SIM_LEVEL(major, minor) ((major) * 100 + (minor))

/* Highest layer loaded so far (1100 once the 11.0 layer is in). */
int vzsim_api_level(void);
/* Called by each later layer's constructor. */
void vzsim_register_layer(int level);

/* ---- errors (VZError.h) ------------------------------------------------ */

extern NSString *const VZErrorDomain;

typedef NSInteger VZErrorCode;
enum {
    VZErrorInternal = 1,
    VZErrorInvalidVirtualMachineConfiguration = 2,
    VZErrorInvalidVirtualMachineState = 3,
    VZErrorInvalidVirtualMachineStateTransition = 4,
    VZErrorInvalidDiskImage = 5,
    VZErrorVirtualMachineLimitExceeded = 6, /* 12.0 */
};

/* NSLocalizedFailureErrorKey is newer than GNUstep Base 1.28. */
#define CVZ_SIM_FAILURE_KEY @"NSLocalizedFailure"

/* Autoreleased NSError in `domain` with failure, reason, and the two joined
 * as NSLocalizedDescriptionKey. */
NSError *vzsim_error_in(NSString *domain, NSInteger code, NSString *failure,
                          NSString *reason);
/* Same, in VZErrorDomain. */
NSError *vzsim_error(NSInteger code, NSString *failure, NSString *reason);
/* Store `error` in *out when out is not NULL. */
void vzsim_set_error(NSError **out, NSError *error);

/* Raise NSInvalidArgumentException (format like NSLog). */
void vzsim_raise_invalid_argument(NSString *format, ...);

/* Run NSObject's own -init on self (the sim's abstract base classes make
 * -init unusable, as Apple marks it NS_UNAVAILABLE; concrete subclasses call
 * this instead of [super init]). */
id vzsim_nsobject_init(id self);

/* `-init` / `+new` marked NS_UNAVAILABLE by Apple: release self and raise. */
id vzsim_unavailable_init(id self, SEL _cmd);

/* ---- environment knobs -------------------------------------------------- */

/* Milliseconds from env `name` (read now, every time).  Unset or empty:
 * `fallback`.  Not an integer >= `min_value`: a one-line warning on stderr
 * and `fallback`. */
long vzsim_env_ms(const char *name, long fallback, long min_value);

/* Defaults of the timing knobs, in milliseconds (see sim/README.md). */
#define VZSIM_DEFAULT_START_DELAY_MS 10
#define VZSIM_DEFAULT_GUEST_SHUTDOWN_DELAY_MS 20
#define VZSIM_DEFAULT_STOP_DELAY_MS 10
#define VZSIM_DEFAULT_PAUSE_DELAY_MS 5
/* CVZ_SIM_GUEST_CRASH_AFTER_MS: a running guest fails after that long (-1, the default: never). */
#define VZSIM_DEFAULT_GUEST_CRASH_AFTER_MS (-1)

/* ---- serial queues (sim_queue.m) ------------------------------------------ */

/* A work item runs on the worker thread inside an autorelease pool. `obj`
 * and `arg` are retained while queued; `block` is a kept block (see
 * sim_block.h) that the function is responsible for calling; the queue
 * drops it afterwards (and drops it uncalled if the queue shuts down). */
typedef void (*vzsim_work_fn)(id obj, id arg, unsigned long token, void *block);
/* libdispatch's dispatch_function_t. */
typedef void (*vzsim_dispatch_fn)(void *context);

#define VZSIM_QUEUE_SPECIFICS 4

/* A serial queue with a worker thread started on first use: a VM's queue,
 * and what dispatch_queue_create() returns here. */
@interface CVZSimQueue : NSObject
{
@public
    pthread_mutex_t _mutex;
    pthread_cond_t _cond; /* CLOCK_MONOTONIC */
    void *_head;          /* struct vzsim_work_item *, sorted by due time */
    unsigned long _seq;
    BOOL _started, _stopping, _finished;
    BOOL _running;        /* a work item or a dispatch_sync_f function is running */
    BOOL _finishWhenIdle; /* the last dispatch_release: end once nothing is queued */
    unsigned long _clients; /* dispatch_retain/dispatch_release count */
    pthread_t _worker;
    NSString *_name;
    struct {
        const void *key;
        void *value;
        vzsim_dispatch_fn destructor;
    } _specifics[VZSIM_QUEUE_SPECIFICS];
}
- (id)initWithName:(NSString *)name;
/* Queue fn(obj, arg, token, block) to run `delay_ms` from now (0: as soon as
 * possible, after what is already due).  Takes over `block`. */
- (void)after:(long)delay_ms
           fn:(vzsim_work_fn)fn
          obj:(id)obj
          arg:(id)arg
        token:(unsigned long)token
        block:(void *)block;
/* dispatch_async_f and dispatch_sync_f. */
- (void)async:(vzsim_dispatch_fn)fn context:(void *)context;
- (void)sync:(vzsim_dispatch_fn)fn context:(void *)context;
/* Is this thread running the queue's work now? */
- (BOOL)isCurrent;
/* Drop pending work and end the thread; waits for it unless called on it. */
- (void)shutdown;
/* dispatch_retain / dispatch_release. */
- (void)retainClient;
- (void)releaseClient;
@end

/* ---- holds (sim_hold.m) ------------------------------------------------- */

/* Queue fn on `queue` after `delay_ms`, unless CVZ_SIM_HOLD names `what`
 * ("start", "stop", "power-off", "crash", ...): then park it until cvz_sim_release(what).
 * Takes over `block`. */
void vzsim_after_unless_held(CVZSimQueue *queue, const char *what, long delay_ms, vzsim_work_fn fn, id obj, id arg,
                             unsigned long token, void *block);
/* Exported for tests (dlsym): queue every parked `what` at once (returns how
 * many), and wait up to timeout_ms until `count` are parked (returns whether). */
int cvz_sim_release(const char *what);
int cvz_sim_wait_held(const char *what, int count, long timeout_ms);

/* ---- configuration classes ---------------------------------------------- */

@class VZMACAddress, VZNetworkDeviceAttachment, VZStorageDeviceAttachment,
    VZSerialPortAttachment, VZBootLoader;

@interface VZBootLoader : NSObject <NSCopying>
@end

@interface VZLinuxBootLoader : VZBootLoader
{
@public
    NSURL *_kernelURL;
    NSString *_commandLine;
    NSURL *_initialRamdiskURL;
}
- (id)initWithKernelURL:(NSURL *)kernelURL;
- (NSURL *)kernelURL;
- (void)setKernelURL:(NSURL *)url;
- (NSString *)commandLine;
- (void)setCommandLine:(NSString *)commandLine;
- (NSURL *)initialRamdiskURL;
- (void)setInitialRamdiskURL:(NSURL *)url;
@end

@interface VZStorageDeviceAttachment : NSObject
@end

@interface VZDiskImageStorageDeviceAttachment : VZStorageDeviceAttachment
{
@public
    NSURL *_URL;
    BOOL _readOnly;
}
- (id)initWithURL:(NSURL *)url readOnly:(BOOL)readOnly error:(NSError **)error;
- (NSURL *)URL;
- (BOOL)isReadOnly;
@end

@interface VZStorageDeviceConfiguration : NSObject <NSCopying>
{
@public
    VZStorageDeviceAttachment *_attachment;
}
- (VZStorageDeviceAttachment *)attachment;
@end

@interface VZVirtioBlockDeviceConfiguration : VZStorageDeviceConfiguration
{
@public
    NSString *_blockDeviceIdentifier; /* 13.0 (vz13.m) */
}
- (id)initWithAttachment:(VZStorageDeviceAttachment *)attachment;
@end

/* 13.0 (vz13.m); the UUID is 15.0's (vz15_usb.m). */
@interface VZUSBMassStorageDeviceConfiguration : VZStorageDeviceConfiguration
{
@public
    NSUUID *_uuid;
}
- (id)initWithAttachment:(VZStorageDeviceAttachment *)attachment;
@end

@interface VZNetworkDeviceAttachment : NSObject
@end

@interface VZNATNetworkDeviceAttachment : VZNetworkDeviceAttachment
@end

@interface VZMACAddress : NSObject <NSCopying>
{
@public
    unsigned char _octets[6];
}
- (id)initWithString:(NSString *)string;
+ (id)randomLocallyAdministeredAddress;
- (NSString *)string;
@end

@interface VZNetworkDeviceConfiguration : NSObject <NSCopying>
{
@public
    VZMACAddress *_MACAddress;
    VZNetworkDeviceAttachment *_attachment;
}
- (VZMACAddress *)MACAddress;
- (void)setMACAddress:(VZMACAddress *)address;
- (VZNetworkDeviceAttachment *)attachment;
- (void)setAttachment:(VZNetworkDeviceAttachment *)attachment;
@end

@interface VZVirtioNetworkDeviceConfiguration : VZNetworkDeviceConfiguration
@end

@interface VZEntropyDeviceConfiguration : NSObject <NSCopying>
@end

@interface VZVirtioEntropyDeviceConfiguration : VZEntropyDeviceConfiguration
@end

@interface VZSerialPortAttachment : NSObject
@end

@interface VZFileHandleSerialPortAttachment : VZSerialPortAttachment
{
@public
    NSFileHandle *_fileHandleForReading;
    NSFileHandle *_fileHandleForWriting;
}
- (id)initWithFileHandleForReading:(NSFileHandle *)fileHandleForReading
              fileHandleForWriting:(NSFileHandle *)fileHandleForWriting;
- (NSFileHandle *)fileHandleForReading;
- (NSFileHandle *)fileHandleForWriting;
@end

@interface VZSerialPortConfiguration : NSObject <NSCopying>
{
@public
    VZSerialPortAttachment *_attachment;
}
- (VZSerialPortAttachment *)attachment;
- (void)setAttachment:(VZSerialPortAttachment *)attachment;
@end

@interface VZVirtioConsoleDeviceSerialPortConfiguration : VZSerialPortConfiguration
@end

@interface VZVirtualMachineConfiguration : NSObject <NSCopying>
{
@public
    VZBootLoader *_bootLoader;
    uint64_t _memorySize;
    NSUInteger _CPUCount;
    NSArray *_storageDevices;
    NSArray *_networkDevices;
    NSArray *_serialPorts;
    NSArray *_entropyDevices;
    NSMutableDictionary *_more; /* properties of later layers (sim_devices.m) */
}
- (VZBootLoader *)bootLoader;
- (void)setBootLoader:(VZBootLoader *)bootLoader;
- (uint64_t)memorySize;
- (void)setMemorySize:(uint64_t)memorySize;
- (NSUInteger)CPUCount;
- (void)setCPUCount:(NSUInteger)count;
- (NSArray *)storageDevices;
- (void)setStorageDevices:(NSArray *)devices;
- (NSArray *)networkDevices;
- (void)setNetworkDevices:(NSArray *)devices;
- (NSArray *)serialPorts;
- (void)setSerialPorts:(NSArray *)ports;
- (NSArray *)entropyDevices;
- (void)setEntropyDevices:(NSArray *)devices;
- (BOOL)validateWithError:(NSError **)error;
+ (uint64_t)minimumAllowedMemorySize;
+ (uint64_t)maximumAllowedMemorySize;
+ (NSUInteger)minimumAllowedCPUCount;
+ (NSUInteger)maximumAllowedCPUCount;
@end

/* Simulated limits (see sim/README.md). */
#define CVZ_SIM_MIN_CPU_COUNT ((NSUInteger)1)
#define CVZ_SIM_MAX_CPU_COUNT ((NSUInteger)64)
#define CVZ_SIM_MIB ((uint64_t)1024 * 1024)
#define CVZ_SIM_MIN_MEMORY_SIZE (128 * CVZ_SIM_MIB)
#define CVZ_SIM_MAX_MEMORY_SIZE (64 * 1024 * CVZ_SIM_MIB)
#define CVZ_SIM_DEFAULT_CPU_COUNT ((NSUInteger)1)
#define CVZ_SIM_DEFAULT_MEMORY_SIZE ((uint64_t)0)

/* ---- the virtual machine ------------------------------------------------ */

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
    NSArray *_socketDevices;        /* VZVirtioSocketDevice, made at init (vz_vm_devices.m) */
    NSArray *_memoryBalloonDevices; /* VZVirtioTraditionalMemoryBalloonDevice, likewise */
    CVZSimGuestConsole *_console;   /* its own console descriptors and reader; nil without a console (vz_console.m) */
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

/* Added by the 12.0 layer (libVirtualization-12.0.so). */
@interface VZVirtualMachine (VZSim12)
- (BOOL)canStop;
- (void)stopWithCompletionHandler:(void *)completionHandler;
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
/* Starts an asynchronous state transition (start, stop, pause, resume); see vz11_vm.m. */
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

/* ---- device configurations of later layers (sim_devices.m, vz*_devices.m) ---- */

/* Retain-and-replace helpers for setters, and getters that return
 * retained+autoreleased values (manual retain/release). */
#define CVZ_SIM_SET_RETAIN(ivar, value)                                        \
    do {                                                                       \
        id cvz_new_ = [(value) retain];                                        \
        [(ivar) release];                                                      \
        (ivar) = cvz_new_;                                                     \
    } while (0)
#define CVZ_SIM_SET_COPY(ivar, value)                                          \
    do {                                                                       \
        id cvz_new_ = [(value) copy];                                          \
        [(ivar) release];                                                      \
        (ivar) = cvz_new_;                                                     \
    } while (0)
#define CVZ_SIM_GET(ivar) return [[(ivar) retain] autorelease]

/*
 * Every configuration object a later layer adds answers this (sim-private)
 * message during -validateWithError:: nil when it is fine in `config`, else
 * the failure reason.  Boot loaders, storage and network attachments,
 * platforms and directory shares implement it; an object that does not
 * respond is not a kind the simulated framework supports.
 */
@interface NSObject (VZSimCheck)
- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config;
@end

/* A property of VZVirtualMachineConfiguration added by a later layer, kept
 * in its _more dictionary (copied with the configuration). */
id vzsim_config_get(VZVirtualMachineConfiguration *config, NSString *key);
void vzsim_config_set(VZVirtualMachineConfiguration *config, NSString *key, id value);

/* Array property `getter`/`setter` of VZVirtualMachineConfiguration, in a category. */
#define VZSIM_CONFIG_ARRAY(getter, setter)                                     \
    -(NSArray *)getter                                                         \
    {                                                                          \
        NSArray *value = vzsim_config_get(self, @#getter);                     \
        return value != nil ? value : [NSArray array];                         \
    }                                                                          \
    -(void)setter : (NSArray *)value                                           \
    {                                                                          \
        if (value == nil)                                                      \
            vzsim_raise_invalid_argument(@"-[VZVirtualMachineConfiguration "  \
                                         @"%s]: the array must not be nil",    \
                                         #setter ":");                         \
        vzsim_config_set(self, @#getter, value);                               \
    }

/* Each element of `array` an instance of `cls` (nil) or the failure reason. */
NSString *vzsim_check_elements(NSArray *array, Class cls, NSString *what);
/* At most `max` elements in `array` (nil), or the failure reason. */
NSString *vzsim_check_at_most(NSArray *array, NSUInteger max, NSString *what);
/* `fd` is open (nil), or the failure reason: "The file handle <what> has an invalid...". */
NSString *vzsim_check_open_fd(int fd, NSString *what);
/* Sends vzsimCheckInConfiguration: to each element's `selector` value (the
 * element itself for NULL); a value that does not answer it is invalid. */
NSString *vzsim_check_parts(NSArray *array, SEL selector, VZVirtualMachineConfiguration *config, NSString *what);

/* Every serial port and console port attachment of `config` (autoreleased). */
NSArray *vzsim_console_attachments(VZVirtualMachineConfiguration *config);
/* An attachment's writing / reading descriptor, or -1 (a file attachment has no reading side). */
int vzsim_console_output_fd(id attachment);
int vzsim_console_input_fd(id attachment);

/* An abstract configuration base: -init unavailable (as Apple marks it),
 * shallow copies, fine in any configuration. */
#define VZSIM_ABSTRACT_INTERFACE(name)                                         \
    @interface name : NSObject <NSCopying>                                     \
    @end
#define VZSIM_ABSTRACT_IMPLEMENTATION(name)                                    \
    @implementation name                                                       \
    -(id)init                                                                  \
    {                                                                          \
        return vzsim_unavailable_init(self, _cmd);                             \
    }                                                                          \
    -(id)copyWithZone : (NSZone *)zone                                         \
    {                                                                          \
        return (id)NSCopyObject(self, 0, zone);                                \
    }                                                                          \
    -(NSString *)vzsimCheckInConfiguration : (VZVirtualMachineConfiguration *)config \
    {                                                                          \
        return nil;                                                            \
    }                                                                          \
    @end

/* A concrete subclass whose -init needs nothing. */
#define VZSIM_PLAIN_CONFIGURATION(name, super)                                 \
    @interface name : super                                                    \
    @end                                                                       \
    @implementation name                                                       \
    -(id)init                                                                  \
    {                                                                          \
        return vzsim_nsobject_init(self);                                      \
    }                                                                          \
    @end

/* Bases that later layers subclass. */
VZSIM_ABSTRACT_INTERFACE(VZDirectorySharingDeviceConfiguration) /* 11.0 */
VZSIM_ABSTRACT_INTERFACE(VZDirectoryShare)                      /* 12.0 */
VZSIM_ABSTRACT_INTERFACE(VZGraphicsDeviceConfiguration)         /* 12.0 */
VZSIM_ABSTRACT_INTERFACE(VZPlatformConfiguration)               /* 12.0 */

/* Shared by the storage device configurations of later layers: checks and
 * keeps `attachment` (raises on nil, naming `selector` of self's class). */
id vzsim_storage_init(VZStorageDeviceConfiguration *self, SEL selector, VZStorageDeviceAttachment *attachment);

/* ==== runtime devices, save/restore, macOS installation ==================== */

/* ---- error codes of later versions (VZError.h) --------------------------- */
enum {
    VZErrorNetworkError = 7,        /* 13.0 */
    VZErrorOperationCancelled = 9,  /* 13.0 */
    VZErrorSave = 11,               /* 14.0 */
    VZErrorRestore = 12,            /* 14.0 */
    VZErrorRestoreImageLoadFailed = 10004, /* 13.0 */
    VZErrorInvalidRestoreImage = 10005,    /* 13.0 */
    VZErrorInstallationFailed = 10007,     /* 13.0 */
};

/* errno values as macOS numbers them: NSPOSIXErrorDomain codes are Darwin's,
 * and some differ from Linux's (ECONNRESET is 104 on Linux). */
#define VZSIM_DARWIN_ECONNRESET 54
#define VZSIM_DARWIN_ENOTCONN 57

/* The simulated macOS version (1400 for 14.0), from the loader; falls back to
 * the highest layer loaded. */
int vzsim_host_level(void);

/* Comma-separated port numbers from env `name` (read now) into ports[]; at
 * most `max`.  Returns how many; an unparsable entry prints one line on
 * stderr and is skipped. */
size_t vzsim_env_ports(const char *name, uint32_t *ports, size_t max);

/* Call a `void (^)(id, NSError *)` block: invoke(block, object, error). */
static inline void vzsim_block_call_obj_error(void *block, void *object, void *error)
{
    struct vzsim_block_literal *lit = (struct vzsim_block_literal *)block;
    if (lit && lit->invoke)
        ((void (*)(void *, void *, void *))lit->invoke)(block, object, error);
}

/* A random number in [low, high] (getrandom(2)). */
uint32_t vzsim_random_between(uint32_t low, uint32_t high);

/* ---- vsock (vz_vsock.m) ------------------------------------------------------ */

@class VZVirtioSocketDevice;
struct vzsim_guest_ends;

@interface VZSocketDevice : NSObject
@end

@interface VZVirtioSocketListener : NSObject
{
@public
    id _delegate; /* retained; Apple's is weak (see sim/README.md) */
}
- (id)delegate;
- (void)setDelegate:(id)delegate;
@end

@interface VZVirtioSocketConnection : NSObject
{
@public
    pthread_mutex_t _lock;
    int _fileDescriptor; /* the host's end; -1 once closed */
    uint32_t _sourcePort, _destinationPort;
}
- (uint32_t)sourcePort;
- (uint32_t)destinationPort;
- (int)fileDescriptor;
- (void)close;
@end

@interface VZVirtioSocketDevice : VZSocketDevice
{
@public
    VZVirtualMachine *_machine; /* not retained (it owns its devices); nil once it is gone */
    NSMutableDictionary *_listeners; /* NSNumber port -> VZVirtioSocketListener */
    struct vzsim_guest_ends *_guestEnds; /* the guest's ends of the connections (vz_vsock.m) */
}
- (void)setSocketListener:(VZVirtioSocketListener *)listener forPort:(uint32_t)port;
- (void)removeSocketListenerForPort:(uint32_t)port;
- (void)connectToPort:(uint32_t)port completionHandler:(void *)completionHandler;
@end

/* A device of `vm`, made when the machine is. */
VZVirtioSocketDevice *vzsim_socket_device_new(VZVirtualMachine *vm);

/* The listener's delegate protocol, so the runtime knows it as Apple's does. */
@protocol VZVirtioSocketListenerDelegate <NSObject>
@optional
- (BOOL)listener:(VZVirtioSocketListener *)listener
    shouldAcceptNewConnection:(VZVirtioSocketConnection *)connection
             fromSocketDevice:(VZVirtioSocketDevice *)socketDevice;
@end
/* The guest connects to each port of CVZ_SIM_GUEST_CONNECT_PORTS (the machine just reached running). */
void vzsim_vsock_guest_connects(VZVirtualMachine *vm);
/* The guest stopped: the guest's end of every connection of the machine is reset. */
void vzsim_vsock_guest_stopped(VZVirtualMachine *vm);

/* ---- memory balloon (vz_balloon.m) ---------------------------------------- */

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

/* ---- save/restore (vz14_save.m, 14.0 arm64) --------------------------------- */

/* Time spent in `saving` / `restoring` (CVZ_SIM_SAVE_DELAY_MS). */
#define VZSIM_DEFAULT_SAVE_DELAY_MS 10

/* ---- macOS restore images and installation (vz12_macos.m, 12.0 arm64) ------------ */

/* NSOperatingSystemVersion (GNUstep Base 1.28 lacks it): three NSIntegers. */
typedef struct {
    NSInteger majorVersion, minorVersion, patchVersion;
} VZSimOperatingSystemVersion;

/* Time an installation takes (CVZ_SIM_INSTALL_DURATION_MS), in VZSIM_INSTALL_STEPS steps of progress. */
#define VZSIM_DEFAULT_INSTALL_DURATION_MS 50
#define VZSIM_INSTALL_STEPS 10

/* ---- EFI variable store (vz13.m; secure boot: vz27_efi.m) ---------------------- */

/* The first bytes of a variable store file the sim made (then erased flash,
 * 0xff, where 27.0 keeps its secure-boot record). */
#define VZSIM_EFI_STORE_MAGIC "CVZSIM-EFI-VARIABLE-STORE-1\n"

/* ---- the machine's devices (vz_vm_devices.m) ------------------------------- */

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
    /* Save/restore (vz14_save.m), on the machine's queue: add lines of the
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

/* ---- the guest's console (vz_console.m) ---------------------------------------- */

/* The machine's console (+1): its own duplicates of every serial port and console port
 * attachment's descriptors; nil when no attachment has one. */
CVZSimGuestConsole *vzsim_console_new(VZVirtualMachine *vm);
/* The guest writes `bytes` to every port with a writing side (nil is ignored). */
void vzsim_console_print(CVZSimGuestConsole *console, const char *bytes, size_t length);
/* The guest runs: the reader starts, once, when a port has a reading side (nil is ignored). */
void vzsim_console_start(CVZSimGuestConsole *console);
/* From the machine's -dealloc: ends the reader, waits for it, releases the console (nil is ignored). */
void vzsim_console_end(CVZSimGuestConsole *console);
/* For -[VZVirtualMachine release]: the console's lock, and, with it held,
 * forgetting the machine whose last reference is going. */
void vzsim_console_lock(CVZSimGuestConsole *console);
void vzsim_console_unlock(CVZSimGuestConsole *console);
void vzsim_console_forget_machine(CVZSimGuestConsole *console);

#endif /* CVZ_SIM_INTERNAL_H */
