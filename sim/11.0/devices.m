/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 11.0/devices.m - device configurations of macOS 11.0 beyond the original
 * slice (part of libVirtualization-11.0.so): the configuration's
 * socketDevices and memoryBalloonDevices, VZFileSerialPortAttachment,
 * VZFileHandleNetworkDeviceAttachment, the memory balloon, socket and
 * directory sharing device configurations, and the guest console's
 * descriptors.  Later layers (12.0/devices.m ...) add the rest.
 */
#import "11.0/config.h"
#import "11.0/console.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

@implementation VZVirtualMachineConfiguration (VZSimDevices11)
VZSIM_CONFIG_ARRAY(socketDevices, setSocketDevices)
VZSIM_CONFIG_ARRAY(memoryBalloonDevices, setMemoryBalloonDevices)
@end

/* ---- serial port attachments: what the guest console writes to ---------- */

@interface NSObject (VZSimConsole)
/* The descriptor the guest's console writes to, or -1. */
- (int)vzsimConsoleFD;
/* The descriptor the guest's console reads from, or -1. */
- (int)vzsimConsoleInputFD;
/* The attachments of a console device's ports. */
- (NSArray *)vzsimAttachments;
@end

@implementation VZFileHandleSerialPortAttachment (VZSimConsole)

- (int)vzsimConsoleFD
{
    NSFileHandle *handle = [self fileHandleForWriting];
    return handle != nil ? [handle fileDescriptor] : -1;
}

- (int)vzsimConsoleInputFD
{
    NSFileHandle *handle = [self fileHandleForReading];
    return handle != nil ? [handle fileDescriptor] : -1;
}

@end

@interface VZFileSerialPortAttachment : VZSerialPortAttachment
{
    NSURL *_URL;
    BOOL _append;
    int _fd;
}
@end

@implementation VZFileSerialPortAttachment

/* The file is opened (created when missing) here, as Apple reports a failure
 * through `error`: truncated, or appended to with `shouldAppend`. */
- (id)initWithURL:(NSURL *)url append:(BOOL)shouldAppend error:(NSError **)error
{
    static NSString *const failure = @"The serial port file could not be opened.";
    int fd;

    if (url == nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZFileSerialPortAttachment initWithURL:append:error:]: url must not be nil");
    }
    if (![url isFileURL]) {
        vzsim_set_error(error, vzsim_error(VZErrorInvalidVirtualMachineConfiguration, failure,
                                           [NSString stringWithFormat:@"The URL (%@) is not a file URL.",
                                                                      [url absoluteString]]));
        [self release];
        return nil;
    }
    fd = open([[url path] fileSystemRepresentation],
              O_WRONLY | O_CREAT | O_CLOEXEC | (shouldAppend ? O_APPEND : O_TRUNC), 0644);
    if (fd < 0) {
        int saved = errno;
        vzsim_set_error(error, vzsim_error_in(NSPOSIXErrorDomain, saved, failure,
                                              [NSString stringWithFormat:@"Opening %@ failed: %s.", [url path],
                                                                         strerror(saved)]));
        [self release];
        return nil;
    }
    self = vzsim_nsobject_init(self);
    if (self == nil) {
        close(fd);
        return nil;
    }
    _URL = [url copy];
    _append = shouldAppend;
    _fd = fd;
    return self;
}

- (void)dealloc
{
    close(_fd);
    [_URL release];
    [super dealloc];
}

- (NSURL *)URL
{
    CVZ_SIM_GET(_URL);
}

- (BOOL)append
{
    return _append;
}

- (int)vzsimConsoleFD
{
    return _fd;
}

@end

NSArray *vzsim_console_attachments(VZVirtualMachineConfiguration *config)
{
    NSMutableArray *attachments = [NSMutableArray array];
    NSArray *ports = [config serialPorts];
    NSArray *consoles = vzsim_config_get(config, @"consoleDevices");
    NSUInteger i;

    for (i = 0; i < [ports count]; i++) {
        id attachment = [(VZSerialPortConfiguration *)[ports objectAtIndex:i] attachment];
        if (attachment != nil)
            [attachments addObject:attachment];
    }
    for (i = 0; i < [consoles count]; i++) {
        id device = [consoles objectAtIndex:i];
        if ([device respondsToSelector:@selector(vzsimAttachments)])
            [attachments addObjectsFromArray:[device vzsimAttachments]];
    }
    return attachments;
}

int vzsim_console_output_fd(id attachment)
{
    return [attachment respondsToSelector:@selector(vzsimConsoleFD)] ? [attachment vzsimConsoleFD] : -1;
}

int vzsim_console_input_fd(id attachment)
{
    return [attachment respondsToSelector:@selector(vzsimConsoleInputFD)] ? [attachment vzsimConsoleInputFD] : -1;
}

/* ---- network ------------------------------------------------------------- */

@interface VZFileHandleNetworkDeviceAttachment : VZNetworkDeviceAttachment
{
    NSFileHandle *_fileHandle;
}
@end

@implementation VZFileHandleNetworkDeviceAttachment

- (id)initWithFileHandle:(NSFileHandle *)fileHandle
{
    if (fileHandle == nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZFileHandleNetworkDeviceAttachment initWithFileHandle:]: fileHandle must not be nil");
    }
    self = vzsim_nsobject_init(self);
    if (self != nil)
        _fileHandle = [fileHandle retain];
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

/* Apple: the file handle must be a connected datagram socket. */
- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    int fd = [_fileHandle fileDescriptor], type = 0;
    socklen_t len = sizeof type;
    struct sockaddr_storage peer;
    socklen_t peer_len = sizeof peer;
    NSString *reason = vzsim_check_open_fd(fd, @"of a network device attachment");

    if (reason != nil)
        return reason;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_DGRAM)
        return [NSString stringWithFormat:@"The file handle of a network device attachment (descriptor %d) "
                                          @"is not a datagram socket.", fd];
    if (getpeername(fd, (struct sockaddr *)&peer, &peer_len) != 0)
        return [NSString stringWithFormat:@"The datagram socket of a network device attachment (descriptor %d) "
                                          @"is not connected.", fd];
    return nil;
}

@end

/* ---- abstract bases with one concrete device each ------------------------ */

VZSIM_ABSTRACT_INTERFACE(VZMemoryBalloonDeviceConfiguration)
VZSIM_ABSTRACT_IMPLEMENTATION(VZMemoryBalloonDeviceConfiguration)
VZSIM_PLAIN_CONFIGURATION(VZVirtioTraditionalMemoryBalloonDeviceConfiguration, VZMemoryBalloonDeviceConfiguration)
VZSIM_ABSTRACT_INTERFACE(VZSocketDeviceConfiguration)
VZSIM_ABSTRACT_IMPLEMENTATION(VZSocketDeviceConfiguration)
VZSIM_PLAIN_CONFIGURATION(VZVirtioSocketDeviceConfiguration, VZSocketDeviceConfiguration)
VZSIM_ABSTRACT_IMPLEMENTATION(VZDirectorySharingDeviceConfiguration)
