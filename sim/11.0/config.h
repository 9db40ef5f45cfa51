/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.h - the configuration classes of macOS 11.0 (config.m, devices.m)
 * and what later layers use to add to a configuration: the check every
 * configuration object answers, properties kept in the configuration, and
 * abstract bases.
 */
#ifndef CVZ_SIM_11_0_CONFIG_H
#define CVZ_SIM_11_0_CONFIG_H

#import "core/sim.h"

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
    NSString *_blockDeviceIdentifier; /* 13.0 (13.0/devices.m) */
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
    NSMutableDictionary *_more; /* properties of later layers (vzsim_config_get) */
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

/* An abstract configuration base: -init unavailable (as Apple marks it),
 * shallow copies, fine in any configuration. */
#define VZSIM_ABSTRACT_INTERFACE(name)                                         \
    @interface name : NSObject <NSCopying>                                     \
    @end
#define VZSIM_ABSTRACT_IMPLEMENTATION(name)                                    \
    @implementation name                                                       \
    VZSIM_UNAVAILABLE_INIT                                                     \
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

/* A base that later layers subclass (devices.m). */
VZSIM_ABSTRACT_INTERFACE(VZDirectorySharingDeviceConfiguration)

/* Shared by the storage device configurations of later layers: checks and
 * keeps `attachment` (raises on nil, naming `selector` of self's class). */
id vzsim_storage_init(VZStorageDeviceConfiguration *self, SEL selector, VZStorageDeviceAttachment *attachment);

#endif /* CVZ_SIM_11_0_CONFIG_H */
