/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 14.0/storage.m - the macOS 14.0 layer (libVirtualization-14.0.so): the NVMe
 * controller, block device attachments on an open file descriptor, and
 * network block device (NBD) attachments.
 */
#import "11.0/config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

VZSIM_LAYER(14, 0)

typedef NSInteger VZDiskSynchronizationMode; /* 0 full, 1 none */

@interface VZNVMExpressControllerDeviceConfiguration : VZStorageDeviceConfiguration
@end

@implementation VZNVMExpressControllerDeviceConfiguration

- (id)initWithAttachment:(VZStorageDeviceAttachment *)attachment
{
    return vzsim_storage_init(self, _cmd, attachment);
}

@end

/* ---- a block device given as a file handle ------------------------------------------ */

@interface VZDiskBlockDeviceStorageDeviceAttachment : VZStorageDeviceAttachment
{
    NSFileHandle *_fileHandle;
    BOOL _readOnly;
    VZDiskSynchronizationMode _synchronizationMode;
}
@end

@implementation VZDiskBlockDeviceStorageDeviceAttachment

/* Apple: the handle must be open on a block device (read-write unless read-only). */
- (id)initWithFileHandle:(NSFileHandle *)fileHandle
                readOnly:(BOOL)readOnly
     synchronizationMode:(VZDiskSynchronizationMode)mode
                   error:(NSError **)error
{
    static NSString *const failure = @"The block device could not be attached.";
    struct stat st;
    int fd, flags;

    if (fileHandle == nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZDiskBlockDeviceStorageDeviceAttachment "
                                     @"initWithFileHandle:readOnly:synchronizationMode:error:]: fileHandle must not be nil");
    }
    fd = [fileHandle fileDescriptor];
    flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fstat(fd, &st) != 0) {
        int saved = errno;
        vzsim_set_error(error, vzsim_error_in(NSPOSIXErrorDomain, saved, failure,
                                              [NSString stringWithFormat:@"Descriptor %d: %s.", fd, strerror(saved)]));
        [self release];
        return nil;
    }
    if (!S_ISBLK(st.st_mode) || (!readOnly && (flags & O_ACCMODE) == O_RDONLY)) {
        vzsim_set_error(error, vzsim_error(VZErrorInvalidDiskImage, failure,
                                           [NSString stringWithFormat:@"Descriptor %d is not %@.", fd,
                                                                      S_ISBLK(st.st_mode) ? @"open for writing"
                                                                                          : @"a block device"]));
        [self release];
        return nil;
    }
    self = vzsim_nsobject_init(self);
    if (self != nil) {
        _fileHandle = [fileHandle retain];
        _readOnly = readOnly;
        _synchronizationMode = mode;
    }
    return self;
}

- (void)dealloc
{
    [_fileHandle release];
    [super dealloc];
}

- (NSFileHandle *)fileHandle
{
    CVZ_SIM_GET(_fileHandle);
}

- (BOOL)isReadOnly
{
    return _readOnly;
}

- (VZDiskSynchronizationMode)synchronizationMode
{
    return _synchronizationMode;
}

- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    return vzsim_check_open_fd([_fileHandle fileDescriptor], @"of a block device attachment");
}

@end

/* ---- network block device ------------------------------------------------------------ */

@interface VZNetworkBlockDeviceStorageDeviceAttachment : VZStorageDeviceAttachment
{
    NSURL *_URL;
    NSTimeInterval _timeout;
    BOOL _forcedReadOnly;
    VZDiskSynchronizationMode _synchronizationMode;
}
@end

@implementation VZNetworkBlockDeviceStorageDeviceAttachment

/* Apple accepts the NBD URI schemes nbd, nbds, nbd+unix and nbds+unix. */
+ (BOOL)validateURL:(NSURL *)url error:(NSError **)error
{
    static NSString *const schemes[] = {@"nbd", @"nbds", @"nbd+unix", @"nbds+unix"};
    NSString *scheme = [[url scheme] lowercaseString];
    size_t i;
    for (i = 0; scheme != nil && i < sizeof schemes / sizeof schemes[0]; i++)
        if ([scheme isEqualToString:schemes[i]])
            return YES;
    vzsim_set_error(error, vzsim_error(VZErrorInvalidVirtualMachineConfiguration, @"Invalid network block device URL.",
                                       [NSString stringWithFormat:@"The URL (%@) is not an NBD URL.",
                                                                  url != nil ? [url absoluteString] : @"nil"]));
    return NO;
}

- (id)initWithURL:(NSURL *)url
              timeout:(NSTimeInterval)timeout
       forcedReadOnly:(BOOL)forcedReadOnly
  synchronizationMode:(VZDiskSynchronizationMode)mode
                error:(NSError **)error
{
    if (url == nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZNetworkBlockDeviceStorageDeviceAttachment "
                                     @"initWithURL:timeout:forcedReadOnly:synchronizationMode:error:]: url must not be nil");
    }
    if (![[self class] validateURL:url error:error]) {
        [self release];
        return nil;
    }
    self = vzsim_nsobject_init(self);
    if (self != nil) {
        _URL = [url copy];
        _timeout = timeout;
        _forcedReadOnly = forcedReadOnly;
        _synchronizationMode = mode;
    }
    return self;
}

- (id)initWithURL:(NSURL *)url error:(NSError **)error
{
    return [self initWithURL:url timeout:15.0 forcedReadOnly:NO synchronizationMode:0 error:error];
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

- (NSTimeInterval)timeout
{
    return _timeout;
}

- (BOOL)isForcedReadOnly
{
    return _forcedReadOnly;
}

- (VZDiskSynchronizationMode)synchronizationMode
{
    return _synchronizationMode;
}

/* The connection is made when the machine starts; the configuration is fine. */
- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    return nil;
}

@end
