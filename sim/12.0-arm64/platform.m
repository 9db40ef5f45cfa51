/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 12.0-arm64/platform.m - the macOS 12.0 layer for Apple silicon only
 * (libVirtualization-12.0-arm64.so): macOS guests, with the macOS boot
 * loader, the Mac platform and its hardware model, machine identifier and
 * auxiliary storage.
 *
 * The data representations of a hardware model and a machine identifier are
 * opaque to clients; Apple's are property lists.  The sim takes any
 * non-empty data, keeps it and gives it back; empty data is invalid (nil).
 */
#import "12.0/devices.h"

#include <sys/stat.h>

/* An object made from its data representation: nil for nil or empty data. */
@interface VZSimDataObject : NSObject <NSCopying>
{
    NSData *_data;
}
@end

@implementation VZSimDataObject

VZSIM_UNAVAILABLE_INIT

- (id)initWithDataRepresentation:(NSData *)data
{
    if (data == nil || [data length] == 0) {
        [self release];
        return nil;
    }
    self = vzsim_nsobject_init(self);
    if (self != nil)
        _data = [data copy];
    return self;
}

- (void)dealloc
{
    [_data release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    return [self retain]; /* immutable */
}

- (NSData *)dataRepresentation
{
    CVZ_SIM_GET(_data);
}

@end

@interface VZMacHardwareModel : VZSimDataObject
@end

@implementation VZMacHardwareModel

- (BOOL)isSupported
{
    return YES;
}

@end

@interface VZMacMachineIdentifier : VZSimDataObject
@end

@implementation VZMacMachineIdentifier

/* A new, unique identifier. */
- (id)init
{
    return [self initWithDataRepresentation:[[[NSProcessInfo processInfo] globallyUniqueString]
                                                dataUsingEncoding:NSUTF8StringEncoding]];
}

@end

@interface VZMacAuxiliaryStorage : NSObject
{
    NSURL *_URL;
}
@end

@implementation VZMacAuxiliaryStorage

VZSIM_UNAVAILABLE_INIT

- (id)initWithURL:(NSURL *)url
{
    if (url == nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZMacAuxiliaryStorage initWithURL:]: url must not be nil");
    }
    self = vzsim_nsobject_init(self);
    if (self != nil)
        _URL = [url copy];
    return self;
}

/* Writes a new auxiliary storage file for `model` (the sim's: a line naming
 * the model); an existing file is an error unless overwriting is allowed. */
- (id)initCreatingStorageAtURL:(NSURL *)url
                 hardwareModel:(VZMacHardwareModel *)model
                       options:(NSUInteger)options
                         error:(NSError **)error
{
    NSMutableData *contents = [NSMutableData dataWithData:[@"cvz-sim-auxiliary-storage 1\n"
                                                              dataUsingEncoding:NSUTF8StringEncoding]];

    if (url == nil || model == nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZMacAuxiliaryStorage initCreatingStorageAtURL:hardwareModel:options:error:]: "
                                     @"url and hardwareModel must not be nil");
    }
    [contents appendData:[model dataRepresentation]];
    if (!vzsim_create_file(url, contents, (options & 1) != 0, @"The auxiliary storage could not be created.", error)) {
        [self release];
        return nil;
    }
    return [self initWithURL:url];
}

/* 12.0's name for -initWithURL: (13.0). */
- (id)initWithContentsOfURL:(NSURL *)url
{
    return [self initWithURL:url];
}

- (void)dealloc
{
    [_URL release];
    [super dealloc];
}

- (NSURL *)URL
{
    CVZ_SIM_GET(_URL);
}

@end

@interface VZMacPlatformConfiguration : VZPlatformConfiguration
{
    VZMacHardwareModel *_hardwareModel;
    VZMacMachineIdentifier *_machineIdentifier;
    VZMacAuxiliaryStorage *_auxiliaryStorage;
}
@end

@implementation VZMacPlatformConfiguration

- (id)init
{
    return vzsim_nsobject_init(self);
}

- (void)dealloc
{
    [_hardwareModel release];
    [_machineIdentifier release];
    [_auxiliaryStorage release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    VZMacPlatformConfiguration *copy = [super copyWithZone:zone];
    @synchronized(self) {
        [copy->_hardwareModel retain];
        [copy->_machineIdentifier retain];
        [copy->_auxiliaryStorage retain];
    }
    return copy;
}

VZSIM_OBJECT_PROPERTY(VZMacHardwareModel *, hardwareModel, setHardwareModel, _hardwareModel, RETAIN)
VZSIM_OBJECT_PROPERTY(VZMacMachineIdentifier *, machineIdentifier, setMachineIdentifier, _machineIdentifier, RETAIN)
VZSIM_OBJECT_PROPERTY(VZMacAuxiliaryStorage *, auxiliaryStorage, setAuxiliaryStorage, _auxiliaryStorage, RETAIN)

/* A macOS guest needs all three, and its auxiliary storage file. */
- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    NSURL *aux = [[self auxiliaryStorage] URL];
    struct stat st;
    if ([self hardwareModel] == nil)
        return @"The Mac platform has no hardware model.";
    if (![[self hardwareModel] isSupported])
        return @"The hardware model of the Mac platform is not supported by this host.";
    if ([self machineIdentifier] == nil)
        return @"The Mac platform has no machine identifier.";
    if (aux == nil)
        return @"The Mac platform has no auxiliary storage.";
    if (![aux isFileURL] || stat([[aux path] fileSystemRepresentation], &st) != 0 || !S_ISREG(st.st_mode))
        return [NSString stringWithFormat:@"The auxiliary storage (%@) is not an existing file.", [aux path]];
    return nil;
}

@end

@interface VZMacOSBootLoader : VZBootLoader
@end

@implementation VZMacOSBootLoader

- (id)init
{
    return vzsim_nsobject_init(self);
}

/* Apple: a macOS guest needs a Mac platform configuration. */
- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    id platform = vzsim_config_get(config, @"platform");
    if (![platform isKindOfClass:[VZMacPlatformConfiguration class]])
        return @"The macOS boot loader requires a VZMacPlatformConfiguration platform.";
    return nil;
}

@end
