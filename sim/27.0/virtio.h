/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 27.0/virtio.h - what the two halves of the custom virtio device (macOS
 * 27.0) share: the configuration side (27.0/virtio_config.m), the
 * virtqueues and their elements (27.0/virtqueue.m), and the device with its
 * simulated guest driver (27.0/virtio.m).
 */
#ifndef CVZ_SIM_VZ27_VIRTIO_H
#define CVZ_SIM_VZ27_VIRTIO_H

#import "11.0/machine_devices.h"
#import "11.0/console.h"

@interface VZCustomVirtioDeviceProvider : NSObject
@end

@interface VZCustomVirtioDeviceDelegateProvider : VZCustomVirtioDeviceProvider
{
    CVZSimQueue *_deviceQueue; /* a client of it (dispatch_retain) */
    id _delegate;              /* retained; Apple's is weak (see sim/README.md) */
}
- (id)initWithDeviceQueue:(id)deviceQueue delegate:(id)delegate;
- (id)deviceQueue;
- (id)delegate;
@end

@interface VZCustomVirtioDeviceConfiguration : NSObject <NSCopying>
{
    uint16_t _deviceID, _virtioQueueCount;
    uint8_t _PCIClassID, _PCISubclassID;
    BOOL _supportsSaveRestore;
    VZCustomVirtioDeviceProvider *_provider;
}
- (uint16_t)deviceID;
- (uint16_t)virtioQueueCount;
- (BOOL)supportsSaveRestore;
- (VZCustomVirtioDeviceProvider *)provider;
@end

/* The delegate protocols, so the runtime knows them as Apple's does. */
@class VZCustomVirtioDevice, VZVirtioQueue;

@protocol VZCustomVirtioDeviceConfigurationDelegate <NSObject>
@optional
- (void)customVirtioConfiguration:(VZCustomVirtioDeviceConfiguration *)deviceConfiguration
                  didCreateDevice:(VZCustomVirtioDevice *)device;
@end

@protocol VZCustomVirtioDeviceDelegate <NSObject>
@optional
- (void)customVirtioDevice:(VZCustomVirtioDevice *)device didReceiveNotificationForQueue:(VZVirtioQueue *)queue;
- (void)customVirtioDeviceDidAcceptDriverOk:(VZCustomVirtioDevice *)device;
- (void)customVirtioDeviceWillStop:(VZCustomVirtioDevice *)device;
- (void)customVirtioDeviceWillPause:(VZCustomVirtioDevice *)device;
- (void)customVirtioDeviceWillResume:(VZCustomVirtioDevice *)device;
- (void)customVirtioDeviceWillReset:(VZCustomVirtioDevice *)device;
- (NSData *)customVirtioDeviceSaveStateForRestore:(VZCustomVirtioDevice *)device;
- (BOOL)customVirtioDeviceShouldRestore:(VZCustomVirtioDevice *)device saveState:(NSData *)saveState;
@end

/* What the simulated guest offers: queue size, and write room per element. */
#define VZSIM_VIRTQUEUE_SIZE 256
#define VZSIM_VIRTIO_WRITE_CAPACITY 256

/* Guards the devices' machine, delegate and queues, each queue's elements,
 * and each element's counts.  Never held while calling a delegate. */
extern pthread_mutex_t vzsim_virtio_lock;

@interface VZCustomVirtioDevice : NSObject
{
@public
    VZVirtualMachine *_machine; /* weak: nil once the machine is gone */
    CVZSimQueue *_deviceQueue;  /* a client of it */
    id _delegate;               /* retained; Apple's is weak */
    VZCustomVirtioDeviceConfiguration *_configuration;
    NSArray *_queues; /* VZVirtioQueue while DRIVER_OK, else nil */
    NSUInteger _index; /* among the machine's custom devices */
}
- (id)delegate;
@end

@interface VZVirtioQueue : NSObject
{
@public
    VZCustomVirtioDevice *_device; /* weak: nil once the device is gone */
    uint16_t _queueIndex;
    NSMutableArray *_available; /* VZVirtioQueueElement the guest made available */
}
- (id)vzsimInitWithDevice:(VZCustomVirtioDevice *)device index:(uint16_t)index;
@end

@interface VZVirtioQueueElement : NSObject
{
@public
    VZVirtioQueue *_queue; /* retained */
    NSArray *_readBuffers; /* NSData, what the guest wrote for the device */
    NSUInteger _readTotal, _readOffset;
    NSMutableData *_written;
    BOOL _returned;
}
- (id)vzsimInitWithQueue:(VZVirtioQueue *)queue request:(NSData *)request;
@end

/* The guest prints `prefix` and `bytes` on the device's machine's console (27.0/virtio.m). */
void vzsim_virtio_console(VZCustomVirtioDevice *device, NSString *prefix, NSData *bytes);

#endif
