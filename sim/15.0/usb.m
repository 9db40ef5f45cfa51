/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 15.0/usb.m - the macOS 15.0 layer (libVirtualization-15.0.so): USB
 * controllers and hot-pluggable USB mass storage.
 *
 * Configuration side: VZXHCIControllerConfiguration (a VZUSBControllerConfiguration)
 * with usbDevices (objects conforming to VZUSBDeviceConfiguration, copied),
 * VZVirtualMachineConfiguration.usbControllers, and the uuid of
 * VZUSBMassStorageDeviceConfiguration (made at init by 13.0/devices.m).
 *
 * Runtime side: a machine makes one VZXHCIController per controller
 * configuration when it is made (VZVirtualMachine.usbControllers); the
 * configured devices appear in the controller's usbDevices, as
 * VZUSBMassStorageDevice objects with the configuration's uuid, the first
 * time the machine starts.  attachDevice:/detachDevice: run on the machine's
 * queue with Apple's errors (VZError.h, 30001-30004).
 *
 * Back references (device -> controller, controller -> machine) are weak in
 * Apple's API; here they are plain pointers cleared under one lock when the
 * other side goes (GCC's runtime has no zeroing weak references).
 */
#import "11.0/machine_devices.h"
#import "13.0/devices.h"

#include <objc/runtime.h>

VZSIM_LAYER(15, 0)

enum {
    VZErrorDeviceAlreadyAttached = 30002,
    VZErrorDeviceInitializationFailure = 30003,
    VZErrorDeviceNotFound = 30004,
};

@protocol VZUSBDeviceConfiguration <NSObject>
- (NSUUID *)uuid;
- (void)setUuid:(NSUUID *)uuid;
@end

@interface VZUSBController : NSObject
{
@public
    VZVirtualMachine *_machine; /* weak (vzsim_usb_lock): the machine owns its controllers */
    NSMutableArray *_devices;   /* attached VZUSBMassStorageDevice (vzsim_usb_lock) */
    NSArray *_configured;       /* device configurations, plugged at the first start */
}
@end

@protocol VZUSBDevice <NSObject>
- (VZUSBController *)usbController;
- (NSUUID *)uuid;
@end

/* Guards every back reference and every controller's device list. */
static pthread_mutex_t vzsim_usb_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- configuration ------------------------------------------------------------------ */

@implementation VZVirtualMachineConfiguration (VZSim15)
VZSIM_CONFIG_ARRAY(usbControllers, setUsbControllers)
@end

@interface VZUSBMassStorageDeviceConfiguration (VZSim15) <VZUSBDeviceConfiguration>
@end

@implementation VZUSBMassStorageDeviceConfiguration (VZSim15)

- (NSUUID *)uuid
{
    @synchronized(self) { CVZ_SIM_GET(_uuid); }
}

- (void)setUuid:(NSUUID *)uuid
{
    if (uuid == nil)
        vzsim_raise_invalid_argument(@"-[VZUSBMassStorageDeviceConfiguration setUuid:]: uuid must not be nil");
    @synchronized(self) { CVZ_SIM_SET_COPY(_uuid, uuid); }
}

@end

@interface VZUSBControllerConfiguration : NSObject <NSCopying>
{
    NSArray *_usbDevices;
}
- (NSArray *)usbDevices;
@end

@implementation VZUSBControllerConfiguration

VZSIM_UNAVAILABLE_INIT

- (id)vzsimInit
{
    self = vzsim_nsobject_init(self);
    if (self != nil)
        _usbDevices = [[NSArray alloc] init];
    return self;
}

- (void)dealloc
{
    [_usbDevices release];
    [super dealloc];
}

/* Deep, like the machine's configuration: the devices (and their UUIDs) are copied. */
- (id)copyWithZone:(NSZone *)zone
{
    VZUSBControllerConfiguration *copy = (id)NSCopyObject(self, 0, zone);
    NSMutableArray *devices = [[NSMutableArray alloc] init];
    @synchronized(self) {
        for (id device in _usbDevices) {
            id item = [device copy];
            [devices addObject:item];
            [item release];
        }
    }
    copy->_usbDevices = devices;
    return copy;
}

- (NSArray *)usbDevices
{
    @synchronized(self) { CVZ_SIM_GET(_usbDevices); }
}

- (void)setUsbDevices:(NSArray *)devices
{
    if (devices == nil)
        vzsim_raise_invalid_argument(@"-[%@ setUsbDevices:]: the array must not be nil", NSStringFromClass([self class]));
    @synchronized(self) { CVZ_SIM_SET_COPY(_usbDevices, devices); }
}

/* Each device conforms to VZUSBDeviceConfiguration, is one the sim can run
 * (USB mass storage), has a valid attachment and a UUID of its own. */
- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    NSArray *devices = [self usbDevices];
    NSMutableSet *uuids = [NSMutableSet set];
    NSUInteger i;

    for (i = 0; i < [devices count]; i++) {
        id device = [devices objectAtIndex:i];
        if (![device conformsToProtocol:@protocol(VZUSBDeviceConfiguration)] ||
            ![device isKindOfClass:[VZUSBMassStorageDeviceConfiguration class]])
            return [NSString stringWithFormat:@"The USB device at index %lu (an instance of %@) is invalid.",
                                              (unsigned long)i, NSStringFromClass([device class])];
        if ([uuids containsObject:[device uuid]])
            return [NSString stringWithFormat:@"Two USB devices have the same UUID (%@).",
                                              [[device uuid] UUIDString]];
        [uuids addObject:[device uuid]];
    }
    return vzsim_check_parts(devices, @selector(attachment), config, @"USB device attachment");
}

@end

@interface VZXHCIControllerConfiguration : VZUSBControllerConfiguration
@end

@implementation VZXHCIControllerConfiguration

- (id)init
{
    return [self vzsimInit];
}

@end

/* ---- runtime devices ------------------------------------------------------------------ */

@interface VZStorageDevice : NSObject
@end

@implementation VZStorageDevice

VZSIM_UNAVAILABLE_INIT

@end

@interface VZUSBMassStorageDevice : VZStorageDevice <VZUSBDevice>
{
@public
    VZUSBMassStorageDeviceConfiguration *_configuration; /* our copy */
    VZUSBController *_controller;                        /* weak (vzsim_usb_lock) */
}
- (id)initWithConfiguration:(VZUSBMassStorageDeviceConfiguration *)configuration;
@end

@implementation VZUSBMassStorageDevice

- (id)initWithConfiguration:(VZUSBMassStorageDeviceConfiguration *)configuration
{
    if (![configuration isKindOfClass:[VZUSBMassStorageDeviceConfiguration class]]) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZUSBMassStorageDevice initWithConfiguration:]: %@",
                                     configuration == nil ? @"configuration must not be nil"
                                                          : @"not a VZUSBMassStorageDeviceConfiguration");
    }
    self = vzsim_nsobject_init(self);
    if (self != nil)
        _configuration = [configuration copy];
    return self;
}

- (void)dealloc
{
    [_configuration release];
    [super dealloc];
}

- (NSUUID *)uuid
{
    return [_configuration uuid];
}

- (VZUSBController *)usbController
{
    VZUSBController *controller;
    pthread_mutex_lock(&vzsim_usb_lock);
    controller = [_controller retain];
    pthread_mutex_unlock(&vzsim_usb_lock);
    return [controller autorelease];
}

@end

/* ---- controllers ------------------------------------------------------------------------- */

@implementation VZUSBController

VZSIM_UNAVAILABLE_INIT

- (id)vzsimInitWithMachine:(VZVirtualMachine *)vm devices:(NSArray *)configured
{
    self = vzsim_nsobject_init(self);
    if (self != nil) {
        _machine = vm;
        _devices = [[NSMutableArray alloc] init];
        _configured = [configured copy];
    }
    return self;
}

- (void)dealloc
{
    pthread_mutex_lock(&vzsim_usb_lock);
    for (VZUSBMassStorageDevice *device in _devices)
        device->_controller = nil;
    pthread_mutex_unlock(&vzsim_usb_lock);
    [_devices release];
    [_configured release];
    [super dealloc];
}

- (NSArray *)usbDevices
{
    NSArray *devices;
    pthread_mutex_lock(&vzsim_usb_lock);
    devices = [_devices copy];
    pthread_mutex_unlock(&vzsim_usb_lock);
    return [devices autorelease];
}

- (VZVirtualMachine *)vzsimMachine
{
    VZVirtualMachine *vm;
    pthread_mutex_lock(&vzsim_usb_lock);
    vm = [_machine retain];
    pthread_mutex_unlock(&vzsim_usb_lock);
    return [vm autorelease];
}

/* Plugs `device` in (YES), or NO when it already is in some controller. */
- (BOOL)vzsimPlug:(VZUSBMassStorageDevice *)device
{
    BOOL free;
    pthread_mutex_lock(&vzsim_usb_lock);
    free = device->_controller == nil;
    if (free) {
        device->_controller = self;
        [_devices addObject:device];
    }
    pthread_mutex_unlock(&vzsim_usb_lock);
    return free;
}

/* Unplugs `device` (YES), or NO when it is not in this controller. */
- (BOOL)vzsimUnplug:(VZUSBMassStorageDevice *)device
{
    BOOL found;
    pthread_mutex_lock(&vzsim_usb_lock);
    found = device->_controller == self && [_devices indexOfObjectIdenticalTo:device] != NSNotFound;
    if (found) {
        device->_controller = nil;
        [_devices removeObjectIdenticalTo:device];
    }
    pthread_mutex_unlock(&vzsim_usb_lock);
    return found;
}

/* Why the machine cannot hot-plug now, or nil: it must be running. */
static NSError *vzsim_usb_state_error(VZVirtualMachine *vm, NSString *action)
{
    VZVirtualMachineState state;
    pthread_mutex_lock(&vm->_lock);
    state = vm->_state;
    pthread_mutex_unlock(&vm->_lock);
    if (state == VZVirtualMachineStateRunning)
        return nil;
    return vzsim_error(VZErrorInvalidVirtualMachineState, @"Invalid virtual machine state.",
                       [NSString stringWithFormat:@"A USB device can only be %@ while the virtual machine is running "
                                                  @"(it is %@).",
                                                  action, vzsim_state_name(state)]);
}

/* On the machine's queue: token 1 attaches, 0 detaches; `arg` is (device,
 * machine), so the machine lives while the work is queued. */
static void vzsim_usb_finish(id obj, id arg, unsigned long attach, void *block)
{
    VZUSBController *controller = obj;
    VZUSBMassStorageDevice *device = [arg objectAtIndex:0];
    NSError *error = vzsim_usb_state_error([arg objectAtIndex:1], attach ? @"attached" : @"detached");

    if (error == nil && attach) {
        NSString *reason = nil;
        if (![device isKindOfClass:[VZUSBMassStorageDevice class]])
            reason = [NSString stringWithFormat:@"%@ is not a USB device the framework made.",
                                                NSStringFromClass([device class])];
        else
            reason = vzsim_check_parts([NSArray arrayWithObject:device->_configuration], @selector(attachment), nil,
                                       @"USB device attachment");
        if (reason != nil)
            error = vzsim_error(VZErrorDeviceInitializationFailure, @"The USB device failed to initialize.", reason);
        else if (![controller vzsimPlug:device])
            error = vzsim_error(VZErrorDeviceAlreadyAttached, @"The USB device is already attached.",
                                @"Detach the device from its USB controller first.");
    } else if (error == nil) {
        if (![device isKindOfClass:[VZUSBMassStorageDevice class]] || ![controller vzsimUnplug:device])
            error = vzsim_error(VZErrorDeviceNotFound, @"The USB device was not found.",
                                @"The device is not attached to this USB controller.");
    }
    vzsim_block_call_error(block, error);
}

/* Both must be called on the machine's queue; the handler runs there too.
 * A controller whose machine is gone drops the handler (it has no queue). */
- (void)vzsimQueue:(id)device attach:(BOOL)attach handler:(void *)handler cmd:(SEL)cmd
{
    VZVirtualMachine *vm = [self vzsimMachine];
    void *block;

    if (device == nil)
        vzsim_raise_invalid_argument(@"-[%@ %s]: device must not be nil", NSStringFromClass([self class]),
                                     sel_getName(cmd));
    /* Apple asserts the machine's queue (see vzsim_vm_assert_queue). */
    if (vm != nil && vm->_givenQueue && ![vm->_queue isCurrent])
        [NSException raise:NSInternalInconsistencyException
                    format:@"-[%@ %s] must be called on the virtual machine's queue", NSStringFromClass([self class]),
                           sel_getName(cmd)];
    block = vzsim_block_keep(handler);
    if (vm == nil) {
        vzsim_block_drop(block);
        return;
    }
    [vzsim_vm_queue(vm) after:0
                          fn:vzsim_usb_finish
                         obj:self
                         arg:[NSArray arrayWithObjects:device, vm, nil]
                       token:attach
                       block:block];
}

- (void)attachDevice:(id)device completionHandler:(void *)completionHandler
{
    [self vzsimQueue:device attach:YES handler:completionHandler cmd:_cmd];
}

- (void)detachDevice:(id)device completionHandler:(void *)completionHandler
{
    [self vzsimQueue:device attach:NO handler:completionHandler cmd:_cmd];
}

@end

@interface VZXHCIController : VZUSBController
@end

@implementation VZXHCIController
@end

/* ---- the machine's controllers -------------------------------------------------------------- */

@interface VZVirtualMachine (VZSim15)
- (NSArray *)usbControllers;
@end

@implementation VZVirtualMachine (VZSim15)

- (NSArray *)usbControllers
{
    NSArray *controllers = [vzsim_vm_more(self) objectForKey:@"usbControllers"];
    return controllers != nil ? controllers : [NSArray array];
}

@end

static void vzsim_usb_made(VZVirtualMachine *vm)
{
    NSArray *configurations = vzsim_config_get(vm->_configuration, @"usbControllers");
    NSMutableArray *controllers = [NSMutableArray array];

    for (id configuration in configurations) {
        VZUSBController *controller;
        if (![configuration isKindOfClass:[VZXHCIControllerConfiguration class]])
            continue;
        controller = [[VZXHCIController alloc] vzsimInitWithMachine:vm devices:[configuration usbDevices]];
        [controllers addObject:controller];
        [controller release];
    }
    [vzsim_vm_more(vm) setObject:[[controllers copy] autorelease] forKey:@"usbControllers"];
}

/* The configured devices appear once the machine first runs. */
static void vzsim_usb_started(VZVirtualMachine *vm)
{
    for (VZUSBController *controller in [vm usbControllers]) {
        NSArray *configured;
        pthread_mutex_lock(&vzsim_usb_lock);
        configured = controller->_configured;
        controller->_configured = nil;
        pthread_mutex_unlock(&vzsim_usb_lock);
        for (id configuration in configured) {
            VZUSBMassStorageDevice *device = [[VZUSBMassStorageDevice alloc] initWithConfiguration:configuration];
            [controller vzsimPlug:device];
            [device release];
        }
        [configured release];
    }
}

static void vzsim_usb_freed(VZVirtualMachine *vm)
{
    pthread_mutex_lock(&vzsim_usb_lock);
    for (VZUSBController *controller in [vzsim_vm_more(vm) objectForKey:@"usbControllers"])
        controller->_machine = nil;
    pthread_mutex_unlock(&vzsim_usb_lock);
}

static const struct vzsim_device_hooks vzsim_usb_hooks = {
    .made = vzsim_usb_made,
    .started = vzsim_usb_started,
    .freed = vzsim_usb_freed,
};

__attribute__((constructor)) static void vzsim_usb_register(void)
{
    vzsim_register_device_hooks(&vzsim_usb_hooks);
}
