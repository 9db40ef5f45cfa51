/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 13.0/devices.m - the macOS 13.0 layer (libVirtualization-13.0.so): the EFI boot
 * loader and its variable store, virtio console devices and ports, the USB
 * mass storage device, virtio graphics, the configuration's consoleDevices
 * and the block device identifier of virtio block devices.
 */
#import "12.0/devices.h"
#import "13.0/devices.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

VZSIM_LAYER(13, 0)

@implementation VZVirtualMachineConfiguration (VZSim13)
VZSIM_CONFIG_ARRAY(consoleDevices, setConsoleDevices)
@end

/* ---- block device identifier ----------------------------------------------------- */

/* Apple: ASCII, at most 20 bytes. */
static NSString *vzsim_identifier_failure(NSString *identifier)
{
    if (![identifier canBeConvertedToEncoding:NSASCIIStringEncoding])
        return [NSString stringWithFormat:@"The block device identifier (%@) is not ASCII.", identifier];
    if ([identifier length] > 20)
        return [NSString stringWithFormat:@"The block device identifier (%@) is %lu bytes long; the maximum is 20.",
                                          identifier, (unsigned long)[identifier length]];
    return nil;
}

@implementation VZVirtioBlockDeviceConfiguration (VZSim13)

+ (BOOL)validateBlockDeviceIdentifier:(NSString *)blockDeviceIdentifier error:(NSError **)error
{
    NSString *reason = vzsim_identifier_failure(blockDeviceIdentifier);
    if (reason == nil)
        return YES;
    vzsim_set_error(error, vzsim_error(VZErrorInvalidVirtualMachineConfiguration,
                                       @"Invalid block device identifier.", reason));
    return NO;
}

- (NSString *)blockDeviceIdentifier
{
    @synchronized(self) { return _blockDeviceIdentifier != nil ? [[_blockDeviceIdentifier retain] autorelease] : @""; }
}

- (void)setBlockDeviceIdentifier:(NSString *)identifier
{
    NSString *reason = identifier == nil ? @"the identifier must not be nil" : vzsim_identifier_failure(identifier);
    if (reason != nil)
        vzsim_raise_invalid_argument(@"-[VZVirtioBlockDeviceConfiguration setBlockDeviceIdentifier:]: %@", reason);
    @synchronized(self) { CVZ_SIM_SET_COPY(_blockDeviceIdentifier, identifier); }
}

@end

/* ---- USB mass storage --------------------------------------------------------------- */

@implementation VZUSBMassStorageDeviceConfiguration

/* The UUID (15.0/usb.m) is made here, so that copies share it. */
- (id)initWithAttachment:(VZStorageDeviceAttachment *)attachment
{
    self = vzsim_storage_init(self, _cmd, attachment);
    if (self != nil)
        _uuid = [[NSUUID alloc] init];
    return self;
}

- (void)dealloc
{
    [_uuid release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    VZUSBMassStorageDeviceConfiguration *copy = [super copyWithZone:zone];
    @synchronized(self) { copy->_uuid = [_uuid copy]; }
    return copy;
}

@end

/* ---- EFI ------------------------------------------------------------------------------ */

enum { VZEFIVariableStoreInitializationOptionAllowOverwrite = 1 };

/* What a new store holds: a header, then erased (0xff) flash. */
#define VZSIM_EFI_STORE_SIZE (128 * 1024)
static const char vzsim_efi_store_magic[] = VZSIM_EFI_STORE_MAGIC;

@interface VZEFIVariableStore : NSObject
{
    NSURL *_URL;
}
@end

@implementation VZEFIVariableStore

VZSIM_UNAVAILABLE_INIT

- (id)initWithURL:(NSURL *)url
{
    if (url == nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZEFIVariableStore initWithURL:]: url must not be nil");
    }
    self = vzsim_nsobject_init(self);
    if (self != nil)
        _URL = [url copy];
    return self;
}

/* Writes a new, empty store; an existing file is an error unless overwriting is allowed. */
- (id)initCreatingVariableStoreAtURL:(NSURL *)url options:(NSUInteger)options error:(NSError **)error
{
    NSMutableData *contents = [NSMutableData dataWithLength:VZSIM_EFI_STORE_SIZE];

    if (url == nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZEFIVariableStore initCreatingVariableStoreAtURL:options:error:]: url must not be nil");
    }
    memset([contents mutableBytes], 0xff, VZSIM_EFI_STORE_SIZE);
    memcpy([contents mutableBytes], vzsim_efi_store_magic, sizeof vzsim_efi_store_magic - 1);
    if (!vzsim_create_file(url, contents, (options & VZEFIVariableStoreInitializationOptionAllowOverwrite) != 0,
                           @"The EFI variable store could not be created.", error)) {
        [self release];
        return nil;
    }
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

@interface VZEFIBootLoader : VZBootLoader
{
    VZEFIVariableStore *_variableStore;
}
@end

@implementation VZEFIBootLoader

- (id)init
{
    return vzsim_nsobject_init(self);
}

- (void)dealloc
{
    [_variableStore release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    VZEFIBootLoader *copy = [super copyWithZone:zone];
    @synchronized(self) { copy->_variableStore = [_variableStore retain]; }
    return copy;
}

VZSIM_OBJECT_PROPERTY(VZEFIVariableStore *, variableStore, setVariableStore, _variableStore, RETAIN)

/* The firmware needs its variable store: an existing, readable and writable file. */
- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    NSURL *url = [[self variableStore] URL];
    struct stat st;
    if (url == nil)
        return @"The EFI boot loader has no variable store.";
    if (![url isFileURL] || stat([[url path] fileSystemRepresentation], &st) != 0 || !S_ISREG(st.st_mode))
        return [NSString stringWithFormat:@"The EFI variable store (%@) is not an existing file.", [url path]];
    if (access([[url path] fileSystemRepresentation], R_OK | W_OK) != 0)
        return [NSString stringWithFormat:@"The EFI variable store (%@) is not readable and writable.", [url path]];
    return nil;
}

@end

/* ---- console devices and ports ------------------------------------------------------ */

@interface VZConsolePortConfiguration : NSObject <NSCopying>
{
    VZSerialPortAttachment *_attachment;
}
@end

@implementation VZConsolePortConfiguration

VZSIM_UNAVAILABLE_INIT

- (void)dealloc
{
    [_attachment release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    VZConsolePortConfiguration *copy = (id)NSCopyObject(self, 0, zone);
    @synchronized(self) { copy->_attachment = [_attachment retain]; }
    return copy;
}

VZSIM_OBJECT_PROPERTY(VZSerialPortAttachment *, attachment, setAttachment, _attachment, RETAIN)

@end

@interface VZVirtioConsolePortConfiguration : VZConsolePortConfiguration
{
    NSString *_name;
    BOOL _isConsole;
}
@end

@implementation VZVirtioConsolePortConfiguration

- (id)init
{
    return vzsim_nsobject_init(self);
}

- (void)dealloc
{
    [_name release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    VZVirtioConsolePortConfiguration *copy = [super copyWithZone:zone];
    @synchronized(self) { copy->_name = [_name copy]; }
    return copy;
}

VZSIM_OBJECT_PROPERTY(NSString *, name, setName, _name, COPY)

- (BOOL)isConsole
{
    return _isConsole;
}

- (void)setIsConsole:(BOOL)isConsole
{
    _isConsole = isConsole;
}

@end

/* Ports by index; indexes without a port are empty. */
@interface VZVirtioConsolePortConfigurationArray : NSObject <NSCopying>
{
    NSMutableDictionary *_ports; /* NSNumber index -> port */
    uint32_t _maximumPortCount;
}
@end

@implementation VZVirtioConsolePortConfigurationArray

VZSIM_UNAVAILABLE_INIT

- (id)vzsimInit
{
    self = vzsim_nsobject_init(self);
    if (self != nil)
        _ports = [[NSMutableDictionary alloc] init];
    return self;
}

- (void)dealloc
{
    [_ports release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    VZVirtioConsolePortConfigurationArray *copy = [[[self class] alloc] vzsimInit];
    @synchronized(self) {
        for (NSNumber *index in _ports) {
            id port = [[_ports objectForKey:index] copy];
            [copy->_ports setObject:port forKey:index];
            [port release];
        }
        copy->_maximumPortCount = _maximumPortCount;
    }
    return copy;
}

- (uint32_t)maximumPortCount
{
    @synchronized(self) { return _maximumPortCount; }
}

- (void)setMaximumPortCount:(uint32_t)count
{
    @synchronized(self) { _maximumPortCount = count; }
}

- (id)objectAtIndexedSubscript:(NSUInteger)portIndex
{
    @synchronized(self) { CVZ_SIM_GET([_ports objectForKey:[NSNumber numberWithUnsignedInteger:portIndex]]); }
}

- (void)setObject:(id)configuration atIndexedSubscript:(NSUInteger)portIndex
{
    NSNumber *key = [NSNumber numberWithUnsignedInteger:portIndex];
    @synchronized(self) {
        if (configuration != nil)
            [_ports setObject:configuration forKey:key];
        else
            [_ports removeObjectForKey:key];
    }
}

- (NSArray *)vzsimAttachments
{
    NSMutableArray *attachments = [NSMutableArray array];
    @synchronized(self) {
        for (NSNumber *index in _ports) {
            id attachment = [[_ports objectForKey:index] attachment];
            if (attachment != nil)
                [attachments addObject:attachment];
        }
    }
    return attachments;
}

@end

VZSIM_ABSTRACT_INTERFACE(VZConsoleDeviceConfiguration)
VZSIM_ABSTRACT_IMPLEMENTATION(VZConsoleDeviceConfiguration)

@interface VZVirtioConsoleDeviceConfiguration : VZConsoleDeviceConfiguration
{
    VZVirtioConsolePortConfigurationArray *_ports;
}
@end

@implementation VZVirtioConsoleDeviceConfiguration

- (id)init
{
    self = vzsim_nsobject_init(self);
    if (self != nil)
        _ports = [[VZVirtioConsolePortConfigurationArray alloc] vzsimInit];
    return self;
}

- (void)dealloc
{
    [_ports release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    VZVirtioConsoleDeviceConfiguration *copy = [super copyWithZone:zone];
    copy->_ports = [_ports copy];
    return copy;
}

- (VZVirtioConsolePortConfigurationArray *)ports
{
    CVZ_SIM_GET(_ports);
}

- (NSArray *)vzsimAttachments
{
    return [_ports vzsimAttachments];
}

@end

/* ---- virtio graphics ---------------------------------------------------------------- */

@interface VZVirtioGraphicsDeviceConfiguration : VZGraphicsDeviceConfiguration
{
    NSArray *_scanouts;
}
@end

@implementation VZVirtioGraphicsDeviceConfiguration

- (id)init
{
    self = vzsim_nsobject_init(self);
    if (self != nil)
        _scanouts = [[NSArray alloc] init];
    return self;
}

- (void)dealloc
{
    [_scanouts release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    VZVirtioGraphicsDeviceConfiguration *copy = [super copyWithZone:zone];
    @synchronized(self) { copy->_scanouts = [_scanouts copy]; }
    return copy;
}

- (NSArray *)scanouts
{
    @synchronized(self) { CVZ_SIM_GET(_scanouts); }
}

- (void)setScanouts:(NSArray *)scanouts
{
    if (scanouts == nil)
        vzsim_raise_invalid_argument(@"-[VZVirtioGraphicsDeviceConfiguration setScanouts:]: scanouts must not be nil");
    @synchronized(self) { CVZ_SIM_SET_COPY(_scanouts, scanouts); }
}

@end
