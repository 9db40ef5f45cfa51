/* SPDX-License-Identifier: Apache-2.0 */
/*
 * devices.h - what later layers take from macOS 13.0's devices (devices.m):
 * USB mass storage, whose UUID 15.0 adds (15.0/usb.m), and the variable
 * store's file format, where 27.0 keeps secure boot (27.0/efi.m).
 */
#ifndef CVZ_SIM_13_0_DEVICES_H
#define CVZ_SIM_13_0_DEVICES_H

#import "11.0/config.h"

@interface VZUSBMassStorageDeviceConfiguration : VZStorageDeviceConfiguration
{
@public
    NSUUID *_uuid; /* 15.0 */
}
- (id)initWithAttachment:(VZStorageDeviceAttachment *)attachment;
@end

/* The first bytes of a variable store file the sim made (then erased flash,
 * 0xff, where 27.0 keeps its secure-boot record). */
#define VZSIM_EFI_STORE_MAGIC "CVZSIM-EFI-VARIABLE-STORE-1\n"

#endif /* CVZ_SIM_13_0_DEVICES_H */
