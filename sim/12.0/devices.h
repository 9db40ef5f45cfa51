/* SPDX-License-Identifier: Apache-2.0 */
/*
 * devices.h - the abstract bases of macOS 12.0 (devices.m) that later
 * layers subclass: the Mac platform (12.0-arm64), directory shares (shares.m,
 * Rosetta at 13.0-arm64), virtio graphics (13.0).
 */
#ifndef CVZ_SIM_12_0_DEVICES_H
#define CVZ_SIM_12_0_DEVICES_H

#import "11.0/config.h"

VZSIM_ABSTRACT_INTERFACE(VZDirectoryShare)
VZSIM_ABSTRACT_INTERFACE(VZGraphicsDeviceConfiguration)
VZSIM_ABSTRACT_INTERFACE(VZPlatformConfiguration)

#endif /* CVZ_SIM_12_0_DEVICES_H */
