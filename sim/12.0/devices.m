/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 12.0/devices.m - device configurations Apple introduced in macOS 12.0
 * (part of libVirtualization-12.0.so): the configuration's
 * directorySharingDevices, graphicsDevices, keyboards, pointingDevices and
 * platform; shared directories and the virtio file system device; the
 * generic platform; USB keyboard and screen-coordinate pointing device.
 */
#import "12.0/devices.h"

#include <sys/stat.h>

@implementation VZVirtualMachineConfiguration (VZSimDevices12)
VZSIM_CONFIG_ARRAY(directorySharingDevices, setDirectorySharingDevices)
VZSIM_CONFIG_ARRAY(graphicsDevices, setGraphicsDevices)
VZSIM_CONFIG_ARRAY(keyboards, setKeyboards)
VZSIM_CONFIG_ARRAY(pointingDevices, setPointingDevices)

/* Apple: a generic platform unless one is set. */
- (VZPlatformConfiguration *)platform
{
    id platform = vzsim_config_get(self, @"platform");
    if (platform == nil)
        platform = [[[objc_getClass("VZGenericPlatformConfiguration") alloc] init] autorelease];
    return platform;
}

- (void)setPlatform:(VZPlatformConfiguration *)platform
{
    if (platform == nil)
        vzsim_raise_invalid_argument(@"-[VZVirtualMachineConfiguration setPlatform:]: platform must not be nil");
    vzsim_config_set(self, @"platform", platform);
}
@end

VZSIM_ABSTRACT_IMPLEMENTATION(VZPlatformConfiguration)
VZSIM_PLAIN_CONFIGURATION(VZGenericPlatformConfiguration, VZPlatformConfiguration)
VZSIM_ABSTRACT_IMPLEMENTATION(VZGraphicsDeviceConfiguration)
VZSIM_ABSTRACT_INTERFACE(VZKeyboardConfiguration)
VZSIM_ABSTRACT_IMPLEMENTATION(VZKeyboardConfiguration)
VZSIM_PLAIN_CONFIGURATION(VZUSBKeyboardConfiguration, VZKeyboardConfiguration)
VZSIM_ABSTRACT_INTERFACE(VZPointingDeviceConfiguration)
VZSIM_ABSTRACT_IMPLEMENTATION(VZPointingDeviceConfiguration)
VZSIM_PLAIN_CONFIGURATION(VZUSBScreenCoordinatePointingDeviceConfiguration, VZPointingDeviceConfiguration)

/* ---- shared directories ------------------------------------------------------ */

@interface VZSharedDirectory : NSObject
{
    NSURL *_URL;
    BOOL _readOnly;
}
@end

@implementation VZSharedDirectory

VZSIM_UNAVAILABLE_INIT

- (id)initWithURL:(NSURL *)url readOnly:(BOOL)readOnly
{
    if (url == nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZSharedDirectory initWithURL:readOnly:]: url must not be nil");
    }
    self = vzsim_nsobject_init(self);
    if (self != nil) {
        _URL = [url copy];
        _readOnly = readOnly;
    }
    return self;
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

- (BOOL)isReadOnly
{
    return _readOnly;
}

/* The shared directory must be an existing directory on the host. */
- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    struct stat st;
    if (![_URL isFileURL])
        return [NSString stringWithFormat:@"The shared directory URL (%@) is not a file URL.", [_URL absoluteString]];
    if (stat([[_URL path] fileSystemRepresentation], &st) != 0 || !S_ISDIR(st.st_mode))
        return [NSString stringWithFormat:@"The shared directory (%@) is not an existing directory.", [_URL path]];
    return nil;
}

@end

VZSIM_ABSTRACT_IMPLEMENTATION(VZDirectoryShare)

@interface VZSingleDirectoryShare : VZDirectoryShare
{
    VZSharedDirectory *_directory;
}
@end

@implementation VZSingleDirectoryShare

- (id)initWithDirectory:(VZSharedDirectory *)directory
{
    if (directory == nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZSingleDirectoryShare initWithDirectory:]: directory must not be nil");
    }
    self = vzsim_nsobject_init(self);
    if (self != nil)
        _directory = [directory retain];
    return self;
}

- (void)dealloc
{
    [_directory release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    return [self retain]; /* immutable */
}

- (VZSharedDirectory *)directory
{
    CVZ_SIM_GET(_directory);
}

- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    return [_directory vzsimCheckInConfiguration:config];
}

@end

/* ---- the virtio file system device --------------------------------------------- */

@interface VZVirtioFileSystemDeviceConfiguration : VZDirectorySharingDeviceConfiguration
{
    NSString *_tag;
    VZDirectoryShare *_share;
}
@end

/* Apple: a tag is non-empty and at most 36 bytes in UTF-8. */
static NSString *vzsim_tag_failure(NSString *tag)
{
    NSUInteger length = [tag lengthOfBytesUsingEncoding:NSUTF8StringEncoding];
    if (length == 0)
        return @"The file system tag is empty.";
    if (length > 36)
        return [NSString stringWithFormat:@"The file system tag (%@) is %lu bytes long; the maximum is 36.", tag,
                                          (unsigned long)length];
    return nil;
}

@implementation VZVirtioFileSystemDeviceConfiguration

+ (BOOL)validateTag:(NSString *)tag error:(NSError **)error
{
    NSString *reason = vzsim_tag_failure(tag);
    if (reason == nil)
        return YES;
    vzsim_set_error(error, vzsim_error(VZErrorInvalidVirtualMachineConfiguration, @"Invalid file system tag.", reason));
    return NO;
}

- (id)initWithTag:(NSString *)tag
{
    NSString *reason = tag == nil ? @"tag must not be nil" : vzsim_tag_failure(tag);
    if (reason != nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZVirtioFileSystemDeviceConfiguration initWithTag:]: %@", reason);
    }
    self = vzsim_nsobject_init(self);
    if (self != nil)
        _tag = [tag copy];
    return self;
}

- (void)dealloc
{
    [_tag release];
    [_share release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    VZVirtioFileSystemDeviceConfiguration *copy = [super copyWithZone:zone];
    @synchronized(self) {
        copy->_tag = [_tag copy];
        copy->_share = [_share retain];
    }
    return copy;
}

- (NSString *)tag
{
    @synchronized(self) { CVZ_SIM_GET(_tag); }
}

- (void)setTag:(NSString *)tag
{
    NSString *reason = tag == nil ? @"tag must not be nil" : vzsim_tag_failure(tag);
    if (reason != nil)
        vzsim_raise_invalid_argument(@"-[VZVirtioFileSystemDeviceConfiguration setTag:]: %@", reason);
    @synchronized(self) { CVZ_SIM_SET_COPY(_tag, tag); }
}

VZSIM_OBJECT_PROPERTY(VZDirectoryShare *, share, setShare, _share, RETAIN)

- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    VZDirectoryShare *share = [self share];
    if (share == nil)
        return nil;
    if (![share respondsToSelector:@selector(vzsimCheckInConfiguration:)])
        return [NSString stringWithFormat:@"The directory share of file system \"%@\" (an instance of %@) is invalid.",
                                          [self tag], NSStringFromClass([share class])];
    return [share vzsimCheckInConfiguration:config];
}

@end
