/*
 * vz27_virtio.h - what the two halves of the custom virtio device (macOS
 * 27.0) share: the configuration side (vz27_virtio_config.m) and the
 * runtime side with its simulated guest driver (vz27_virtio.m).
 */
#ifndef CVZ_SIM_VZ27_VIRTIO_H
#define CVZ_SIM_VZ27_VIRTIO_H

#import "sim_internal.h"

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

#endif
