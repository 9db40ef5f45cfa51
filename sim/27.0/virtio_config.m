/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 27.0/virtio_config.m - configuring a custom virtio device (macOS 27.0,
 * part of libVirtualization-27.0.so): VZCustomVirtioDeviceConfiguration,
 * its provider VZCustomVirtioDeviceDelegateProvider, and the configuration's
 * customVirtioDevices.  The device itself is in 27.0/virtio.m.
 *
 * Validation wants what Apple says a guest needs to find the device: a
 * device ID (0 is reserved by the virtio specification), at least one
 * virtqueue, and a provider that implements the device.
 */
#import "27.0/virtio.h"

@implementation VZVirtualMachineConfiguration (VZSim27Virtio)
VZSIM_CONFIG_ARRAY(customVirtioDevices, setCustomVirtioDevices)
@end

@implementation VZCustomVirtioDeviceProvider

VZSIM_UNAVAILABLE_INIT

@end

@implementation VZCustomVirtioDeviceDelegateProvider

- (id)initWithDeviceQueue:(id)deviceQueue delegate:(id)delegate
{
    NSString *reason = nil;
    if (![deviceQueue isKindOfClass:[CVZSimQueue class]])
        reason = deviceQueue == nil ? @"deviceQueue must not be nil" : @"deviceQueue is not a dispatch queue";
    else if (delegate == nil)
        reason = @"delegate must not be nil";
    if (reason != nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZCustomVirtioDeviceDelegateProvider initWithDeviceQueue:delegate:]: %@",
                                     reason);
    }
    self = vzsim_nsobject_init(self);
    if (self != nil) {
        [(CVZSimQueue *)deviceQueue retainClient];
        _deviceQueue = deviceQueue;
        _delegate = [delegate retain];
    }
    return self;
}

- (void)dealloc
{
    [_deviceQueue releaseClient];
    [_delegate release];
    [super dealloc];
}

- (id)deviceQueue
{
    return _deviceQueue;
}

- (id)delegate
{
    CVZ_SIM_GET(_delegate);
}

@end

@implementation VZCustomVirtioDeviceConfiguration

- (id)init
{
    return vzsim_nsobject_init(self);
}

- (void)dealloc
{
    [_provider release];
    [super dealloc];
}

/* The provider is shared: it stands for the client's implementation. */
- (id)copyWithZone:(NSZone *)zone
{
    VZCustomVirtioDeviceConfiguration *copy = (id)NSCopyObject(self, 0, zone);
    @synchronized(self) { copy->_provider = [_provider retain]; }
    return copy;
}

VZSIM_SCALAR_PROPERTY(uint16_t, deviceID, setDeviceID, _deviceID)
VZSIM_SCALAR_PROPERTY(uint8_t, PCIClassID, setPCIClassID, _PCIClassID)
VZSIM_SCALAR_PROPERTY(uint8_t, PCISubclassID, setPCISubclassID, _PCISubclassID)
VZSIM_SCALAR_PROPERTY(uint16_t, virtioQueueCount, setVirtioQueueCount, _virtioQueueCount)
VZSIM_SCALAR_PROPERTY(BOOL, supportsSaveRestore, setSupportsSaveRestore, _supportsSaveRestore)

VZSIM_OBJECT_PROPERTY(VZCustomVirtioDeviceProvider *, provider, setProvider, _provider, RETAIN)

- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    if ([self deviceID] == 0)
        return @"A custom virtio device has no device ID (0 is reserved).";
    if ([self virtioQueueCount] == 0)
        return [NSString stringWithFormat:@"The custom virtio device %u has no virtqueue.", [self deviceID]];
    if (![[self provider] isKindOfClass:[VZCustomVirtioDeviceDelegateProvider class]])
        return [NSString stringWithFormat:@"The custom virtio device %u has no provider.", [self deviceID]];
    return nil;
}

@end
