/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 11.0/config.m - configuration classes of macOS 11.0: boot loader, storage,
 * network, MAC address, entropy, serial port, and the machine configuration
 * with its validation rules.
 */
#import "11.0/config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

static NSString *const kInvalidConfiguration = @"Invalid virtual machine configuration.";

/* Objects shared (not copied) by a copy: attachments, file handles. */
static NSArray *vzsim_copy_items(NSArray *array)
{
    return [[NSArray alloc] initWithArray:array copyItems:YES];
}

static NSString *vzsim_check_file_url(NSURL *url, NSString *what)
{
    struct stat st;
    const char *path;

    if (url == nil)
        return [NSString stringWithFormat:@"The %@ URL is not set.", what];
    if (![url isKindOfClass:[NSURL class]] || ![url isFileURL])
        return [NSString stringWithFormat:@"The %@ URL (%@) is not a file URL.", what,
                                          [url isKindOfClass:[NSURL class]] ? [url absoluteString] : [url description]];
    path = [[url path] fileSystemRepresentation];
    if (stat(path, &st) != 0)
        return [NSString stringWithFormat:@"The %@ file (%@) does not exist.", what, [url path]];
    if (!S_ISREG(st.st_mode))
        return [NSString stringWithFormat:@"The %@ (%@) is not a regular file.", what, [url path]];
    if (access(path, R_OK) != 0)
        return [NSString stringWithFormat:@"The %@ file (%@) is not readable.", what, [url path]];
    return nil;
}

/* ---- boot loaders ---------------------------------------------------------- */

@implementation VZBootLoader

VZSIM_UNAVAILABLE_INIT

- (id)copyWithZone:(NSZone *)zone
{
    return (id)NSCopyObject(self, 0, zone);
}

@end

@implementation VZLinuxBootLoader

- (id)initWithKernelURL:(NSURL *)kernelURL
{
    if (kernelURL == nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZLinuxBootLoader initWithKernelURL:]: kernelURL must not be nil");
    }
    self = vzsim_nsobject_init(self);
    if (self == nil)
        return nil;
    _kernelURL = [kernelURL copy];
    _commandLine = @"";
    _initialRamdiskURL = nil;
    return self;
}

- (void)dealloc
{
    [_kernelURL release];
    [_commandLine release];
    [_initialRamdiskURL release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    VZLinuxBootLoader *copy = [super copyWithZone:zone];
    copy->_kernelURL = [_kernelURL copy];
    copy->_commandLine = [_commandLine copy];
    copy->_initialRamdiskURL = [_initialRamdiskURL copy];
    return copy;
}

VZSIM_OBJECT_PROPERTY(NSURL *, kernelURL, setKernelURL, _kernelURL, COPY)

- (NSString *)commandLine
{
    @synchronized(self) { CVZ_SIM_GET(_commandLine); }
}

- (void)setCommandLine:(NSString *)commandLine
{
    @synchronized(self) { CVZ_SIM_SET_COPY(_commandLine, commandLine != nil ? commandLine : @""); }
}

VZSIM_OBJECT_PROPERTY(NSURL *, initialRamdiskURL, setInitialRamdiskURL, _initialRamdiskURL, COPY)

- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    NSString *reason = vzsim_check_file_url([self kernelURL], @"Linux kernel");
    if (reason == nil && [self initialRamdiskURL] != nil)
        reason = vzsim_check_file_url([self initialRamdiskURL], @"initial RAM disk");
    return reason;
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<VZLinuxBootLoader %p kernel=%@ commandLine=\"%@\" initrd=%@>",
                                      self, [self kernelURL], [self commandLine],
                                      [self initialRamdiskURL]];
}

@end

/* ---- storage ----------------------------------------------------------------- */

@implementation VZStorageDeviceAttachment

VZSIM_UNAVAILABLE_INIT

@end

@implementation VZDiskImageStorageDeviceAttachment

- (id)initWithURL:(NSURL *)url readOnly:(BOOL)readOnly error:(NSError **)error
{
    static NSString *const failure = @"The disk image could not be opened.";
    const char *path;
    struct stat st;
    int fd;

    if (url == nil) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZDiskImageStorageDeviceAttachment initWithURL:readOnly:error:]: url must not be nil");
    }
    if (![url isFileURL]) {
        vzsim_set_error(error, vzsim_error(VZErrorInvalidDiskImage, failure,
                                               [NSString stringWithFormat:@"The disk image URL (%@) is not a file URL.",
                                                                          [url absoluteString]]));
        [self release];
        return nil;
    }
    path = [[url path] fileSystemRepresentation];
    fd = open(path, (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (fd < 0) {
        int saved = errno;
        vzsim_set_error(error, vzsim_error_in(NSPOSIXErrorDomain, saved, failure,
                                                  [NSString stringWithFormat:@"Opening the disk image (%@) %@ failed: %s.",
                                                                             [url path],
                                                                             readOnly ? @"read-only" : @"read-write",
                                                                             strerror(saved)]));
        [self release];
        return nil;
    }
    if (fstat(fd, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
        close(fd);
        vzsim_set_error(error, vzsim_error(VZErrorInvalidDiskImage, failure,
                                               [NSString stringWithFormat:@"The disk image (%@) is not a regular file.",
                                                                          [url path]]));
        [self release];
        return nil;
    }
    close(fd);
    /* Apple documents RAW images whose size is a multiple of the 512-byte
     * block size. */
    if (S_ISREG(st.st_mode) && st.st_size % 512 != 0) {
        vzsim_set_error(error, vzsim_error(VZErrorInvalidDiskImage, failure,
                                               [NSString stringWithFormat:@"The size of the disk image (%@) (%lld bytes) "
                                                                          @"is not a multiple of 512 bytes.",
                                                                          [url path], (long long)st.st_size]));
        [self release];
        return nil;
    }

    self = vzsim_nsobject_init(self);
    if (self == nil)
        return nil;
    _URL = [url copy];
    _readOnly = readOnly;
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

- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    return nil; /* opened and checked by the initializer */
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<VZDiskImageStorageDeviceAttachment %p %@%@>", self,
                                      [_URL path], _readOnly ? @" (read-only)" : @""];
}

@end

@implementation VZStorageDeviceConfiguration

VZSIM_UNAVAILABLE_INIT

- (void)dealloc
{
    [_attachment release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    VZStorageDeviceConfiguration *copy = (id)NSCopyObject(self, 0, zone);
    [copy->_attachment retain];
    return copy;
}

- (VZStorageDeviceAttachment *)attachment
{
    CVZ_SIM_GET(_attachment);
}

@end

id vzsim_storage_init(VZStorageDeviceConfiguration *self, SEL selector, VZStorageDeviceAttachment *attachment)
{
    if (attachment == nil) {
        NSString *name = NSStringFromClass([self class]);
        [self release];
        vzsim_raise_invalid_argument(@"-[%@ %s]: attachment must not be nil", name, sel_getName(selector));
    }
    self = vzsim_nsobject_init(self);
    if (self == nil)
        return nil;
    self->_attachment = [attachment retain];
    return self;
}

@implementation VZVirtioBlockDeviceConfiguration

- (id)initWithAttachment:(VZStorageDeviceAttachment *)attachment
{
    return vzsim_storage_init(self, _cmd, attachment);
}

- (void)dealloc
{
    [_blockDeviceIdentifier release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    VZVirtioBlockDeviceConfiguration *copy = [super copyWithZone:zone];
    @synchronized(self) { copy->_blockDeviceIdentifier = [_blockDeviceIdentifier copy]; }
    return copy;
}

@end

/* ---- network ------------------------------------------------------------------- */

@implementation VZNetworkDeviceAttachment

VZSIM_UNAVAILABLE_INIT

@end

@implementation VZNATNetworkDeviceAttachment

- (id)init
{
    return vzsim_nsobject_init(self);
}

- (NSString *)vzsimCheckInConfiguration:(VZVirtualMachineConfiguration *)config
{
    return nil;
}

@end

static int vzsim_hex_value(unichar c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

@implementation VZMACAddress

VZSIM_UNAVAILABLE_INIT

/* Exactly "hh:hh:hh:hh:hh:hh", hex digits of either case. */
- (id)initWithString:(NSString *)string
{
    unsigned char octets[6];
    unichar chars[17];
    NSUInteger i;

    if (string == nil || ![string isKindOfClass:[NSString class]] || [string length] != 17) {
        [self release];
        return nil;
    }
    [string getCharacters:chars range:NSMakeRange(0, 17)];
    for (i = 0; i < 6; i++) {
        int hi = vzsim_hex_value(chars[i * 3]);
        int lo = vzsim_hex_value(chars[i * 3 + 1]);
        if (hi < 0 || lo < 0 || (i < 5 && chars[i * 3 + 2] != ':')) {
            [self release];
            return nil;
        }
        octets[i] = (unsigned char)(hi << 4 | lo);
    }
    self = vzsim_nsobject_init(self);
    if (self == nil)
        return nil;
    memcpy(_octets, octets, sizeof _octets);
    return self;
}

+ (id)randomLocallyAdministeredAddress
{
    VZMACAddress *address = [self alloc];
    unsigned char octets[6];
    size_t got = 0;

    while (got < sizeof octets) {
        ssize_t n = getrandom(octets + got, sizeof octets - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            /* No entropy source: fall back on a weak but valid address. */
            for (; got < sizeof octets; got++)
                octets[got] = (unsigned char)random();
            break;
        }
        got += (size_t)n;
    }
    octets[0] = (unsigned char)((octets[0] | 0x02) & ~0x01); /* local, unicast */
    address = vzsim_nsobject_init(address);
    memcpy(address->_octets, octets, sizeof octets);
    return [address autorelease];
}

- (id)copyWithZone:(NSZone *)zone
{
    return (id)NSCopyObject(self, 0, zone);
}

- (NSString *)string
{
    return [NSString stringWithFormat:@"%02x:%02x:%02x:%02x:%02x:%02x", _octets[0], _octets[1],
                                      _octets[2], _octets[3], _octets[4], _octets[5]];
}

- (BOOL)isEqual:(id)other
{
    if (other == self)
        return YES;
    if (![other isKindOfClass:[VZMACAddress class]])
        return NO;
    return memcmp(_octets, ((VZMACAddress *)other)->_octets, sizeof _octets) == 0;
}

- (NSUInteger)hash
{
    NSUInteger h = 0;
    int i;
    for (i = 0; i < 6; i++)
        h = h << 8 | _octets[i];
    return h;
}

- (NSString *)description
{
    return [NSString stringWithFormat:@"<VZMACAddress %p %@>", self, [self string]];
}

@end

static void vzsim_network_device_setup(VZNetworkDeviceConfiguration *device)
{
    device->_MACAddress = [[VZMACAddress randomLocallyAdministeredAddress] retain];
    device->_attachment = nil;
}

@implementation VZNetworkDeviceConfiguration

VZSIM_UNAVAILABLE_INIT

- (void)dealloc
{
    [_MACAddress release];
    [_attachment release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    VZNetworkDeviceConfiguration *copy = (id)NSCopyObject(self, 0, zone);
    @synchronized(self) {
        copy->_MACAddress = [_MACAddress copy];
        copy->_attachment = [_attachment retain];
    }
    return copy;
}

- (VZMACAddress *)MACAddress
{
    @synchronized(self) { CVZ_SIM_GET(_MACAddress); }
}

- (void)setMACAddress:(VZMACAddress *)address
{
    if (address == nil)
        vzsim_raise_invalid_argument(@"-[VZNetworkDeviceConfiguration setMACAddress:]: the MAC address must not be nil");
    @synchronized(self) { CVZ_SIM_SET_COPY(_MACAddress, address); }
}

VZSIM_OBJECT_PROPERTY(VZNetworkDeviceAttachment *, attachment, setAttachment, _attachment, RETAIN)

@end

@implementation VZVirtioNetworkDeviceConfiguration

- (id)init
{
    self = vzsim_nsobject_init(self);
    if (self != nil)
        vzsim_network_device_setup(self);
    return self;
}

@end

/* ---- entropy ---------------------------------------------------------------------- */

@implementation VZEntropyDeviceConfiguration

VZSIM_UNAVAILABLE_INIT

- (id)copyWithZone:(NSZone *)zone
{
    return (id)NSCopyObject(self, 0, zone);
}

@end

@implementation VZVirtioEntropyDeviceConfiguration

- (id)init
{
    return vzsim_nsobject_init(self);
}

@end

/* ---- serial ports ------------------------------------------------------------------ */

@implementation VZSerialPortAttachment

VZSIM_UNAVAILABLE_INIT

@end

@implementation VZFileHandleSerialPortAttachment

- (id)initWithFileHandleForReading:(NSFileHandle *)fileHandleForReading
              fileHandleForWriting:(NSFileHandle *)fileHandleForWriting
{
    self = vzsim_nsobject_init(self);
    if (self == nil)
        return nil;
    _fileHandleForReading = [fileHandleForReading retain];
    _fileHandleForWriting = [fileHandleForWriting retain];
    return self;
}

- (void)dealloc
{
    [_fileHandleForReading release];
    [_fileHandleForWriting release];
    [super dealloc];
}

- (NSFileHandle *)fileHandleForReading
{
    CVZ_SIM_GET(_fileHandleForReading);
}

- (NSFileHandle *)fileHandleForWriting
{
    CVZ_SIM_GET(_fileHandleForWriting);
}

@end

@implementation VZSerialPortConfiguration

VZSIM_UNAVAILABLE_INIT

- (void)dealloc
{
    [_attachment release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    VZSerialPortConfiguration *copy = (id)NSCopyObject(self, 0, zone);
    @synchronized(self) { copy->_attachment = [_attachment retain]; }
    return copy;
}

VZSIM_OBJECT_PROPERTY(VZSerialPortAttachment *, attachment, setAttachment, _attachment, RETAIN)

@end

@implementation VZVirtioConsoleDeviceSerialPortConfiguration

- (id)init
{
    return vzsim_nsobject_init(self);
}

@end

/* ---- the machine configuration ------------------------------------------------------- */

/* Validation helpers: each returns nil when fine, else the failure reason. */

NSString *vzsim_check_elements(NSArray *array, Class cls, NSString *what)
{
    NSUInteger i, n = [array count];
    for (i = 0; i < n; i++) {
        id item = [array objectAtIndex:i];
        if (![item isKindOfClass:cls])
            return [NSString stringWithFormat:@"The %@ at index %lu (an instance of %@) is not a %@.", what,
                                              (unsigned long)i, NSStringFromClass([item class]),
                                              NSStringFromClass(cls)];
    }
    return nil;
}

NSString *vzsim_check_at_most(NSArray *array, NSUInteger max, NSString *what)
{
    if ([array count] <= max)
        return nil;
    return [NSString stringWithFormat:@"At most %lu %@ %@ allowed (found %lu).", (unsigned long)max, what,
                                      max == 1 ? @"is" : @"are", (unsigned long)[array count]];
}

NSString *vzsim_check_open_fd(int fd, NSString *what)
{
    if (fd < 0 || fcntl(fd, F_GETFD) == -1)
        return [NSString stringWithFormat:@"The file handle %@ has an invalid file descriptor (%d).", what, fd];
    return nil;
}

NSString *vzsim_check_parts(NSArray *array, SEL selector, VZVirtualMachineConfiguration *config, NSString *what)
{
    NSUInteger i, n = [array count];
    for (i = 0; i < n; i++) {
        id item = [array objectAtIndex:i];
        id part = selector != NULL ? [item performSelector:selector] : item;
        NSString *reason;
        if (part == nil)
            continue;
        if (![part respondsToSelector:@selector(vzsimCheckInConfiguration:)])
            return [NSString stringWithFormat:@"The %@ at index %lu (an instance of %@) is invalid.", what,
                                              (unsigned long)i, NSStringFromClass([part class])];
        reason = [part vzsimCheckInConfiguration:config];
        if (reason != nil)
            return reason;
    }
    return nil;
}

static NSString *vzsim_check_fd(NSFileHandle *handle, NSString *which, NSUInteger index)
{
    if (handle == nil)
        return nil;
    return vzsim_check_open_fd([handle fileDescriptor],
                               [NSString stringWithFormat:@"for %@ of the serial port at index %lu", which,
                                                          (unsigned long)index]);
}

/*
 * The device arrays later layers add to the configuration (11.0/devices.m and
 * the vzNN_devices.m files): the element class, at most how many (0: no
 * limit), and how validation names them.  A key only exists once its layer
 * has stored a value, so its class exists too.
 */
static const struct {
    NSString *key;
    const char *cls;
    NSUInteger max;
    NSString *what;
} vzsim_later_arrays[] = {
    {@"socketDevices", "VZSocketDeviceConfiguration", 1, @"socket device"},
    {@"memoryBalloonDevices", "VZMemoryBalloonDeviceConfiguration", 1, @"memory balloon device"},
    {@"directorySharingDevices", "VZDirectorySharingDeviceConfiguration", 0, @"directory sharing device"},
    {@"graphicsDevices", "VZGraphicsDeviceConfiguration", 0, @"graphics device"},
    {@"keyboards", "VZKeyboardConfiguration", 0, @"keyboard"},
    {@"pointingDevices", "VZPointingDeviceConfiguration", 0, @"pointing device"},
    {@"consoleDevices", "VZConsoleDeviceConfiguration", 0, @"console device"},
    {@"usbControllers", "VZUSBControllerConfiguration", 0, @"USB controller"},
    {@"customVirtioDevices", "VZCustomVirtioDeviceConfiguration", 0, @"custom virtio device"},
};

static NSString *vzsim_check_later_layers(VZVirtualMachineConfiguration *config)
{
    NSString *reason;
    id platform;
    size_t i;

    for (i = 0; i < sizeof vzsim_later_arrays / sizeof vzsim_later_arrays[0]; i++) {
        NSArray *array = vzsim_config_get(config, vzsim_later_arrays[i].key);
        if (array == nil)
            continue;
        reason = vzsim_check_elements(array, objc_getClass(vzsim_later_arrays[i].cls), vzsim_later_arrays[i].what);
        if (reason == nil && vzsim_later_arrays[i].max > 0)
            reason = vzsim_check_at_most(array, vzsim_later_arrays[i].max, vzsim_later_arrays[i].what);
        if (reason == nil)
            reason = vzsim_check_parts(array, NULL, config, vzsim_later_arrays[i].what);
        if (reason != nil)
            return reason;
    }
    platform = vzsim_config_get(config, @"platform");
    if (platform != nil)
        return vzsim_check_parts([NSArray arrayWithObject:platform], NULL, config, @"platform");
    return nil;
}

static NSString *vzsim_validation_failure(VZVirtualMachineConfiguration *config)
{
    VZBootLoader *bootLoader = [config bootLoader];
    NSUInteger cpus = [config CPUCount];
    uint64_t memory = [config memorySize];
    NSArray *storage = [config storageDevices];
    NSArray *network = [config networkDevices];
    NSArray *serial = [config serialPorts];
    NSArray *entropy = [config entropyDevices];
    NSString *reason;
    NSUInteger i;

    if (bootLoader == nil)
        return @"A boot loader is required (the bootLoader property is nil).";
    if (![bootLoader respondsToSelector:@selector(vzsimCheckInConfiguration:)])
        return [NSString stringWithFormat:@"The boot loader (an instance of %@) is not supported.",
                                          NSStringFromClass([bootLoader class])];

    if (cpus < CVZ_SIM_MIN_CPU_COUNT)
        return [NSString stringWithFormat:@"The number of CPUs (%lu) is less than the minimum allowed (%lu).",
                                          (unsigned long)cpus, (unsigned long)CVZ_SIM_MIN_CPU_COUNT];
    if (cpus > CVZ_SIM_MAX_CPU_COUNT)
        return [NSString stringWithFormat:@"The number of CPUs (%lu) is greater than the maximum allowed (%lu).",
                                          (unsigned long)cpus, (unsigned long)CVZ_SIM_MAX_CPU_COUNT];

    if (memory % CVZ_SIM_MIB != 0)
        return [NSString stringWithFormat:@"The memory size (%llu bytes) must be a multiple of 1 MiB.",
                                          (unsigned long long)memory];
    if (memory < CVZ_SIM_MIN_MEMORY_SIZE)
        return [NSString stringWithFormat:@"The memory size (%llu bytes) is less than the minimum allowed (%llu bytes).",
                                          (unsigned long long)memory, (unsigned long long)CVZ_SIM_MIN_MEMORY_SIZE];
    if (memory > CVZ_SIM_MAX_MEMORY_SIZE)
        return [NSString stringWithFormat:@"The memory size (%llu bytes) is greater than the maximum allowed (%llu bytes).",
                                          (unsigned long long)memory, (unsigned long long)CVZ_SIM_MAX_MEMORY_SIZE];

    reason = [bootLoader vzsimCheckInConfiguration:config];
    if (reason != nil)
        return reason;

    reason = vzsim_check_elements(storage, [VZStorageDeviceConfiguration class], @"storage device");
    if (reason == nil)
        reason = vzsim_check_parts(storage, @selector(attachment), config, @"storage device attachment");
    if (reason != nil)
        return reason;

    reason = vzsim_check_elements(network, [VZNetworkDeviceConfiguration class], @"network device");
    if (reason == nil)
        reason = vzsim_check_parts(network, @selector(attachment), config, @"network device attachment");
    if (reason != nil)
        return reason;

    reason = vzsim_check_elements(serial, [VZSerialPortConfiguration class], @"serial port");
    if (reason != nil)
        return reason;
    for (i = 0; i < [serial count]; i++) {
        VZSerialPortAttachment *attachment = [(VZSerialPortConfiguration *)[serial objectAtIndex:i] attachment];
        if ([attachment isKindOfClass:[VZFileHandleSerialPortAttachment class]]) {
            VZFileHandleSerialPortAttachment *fh = (VZFileHandleSerialPortAttachment *)attachment;
            reason = vzsim_check_fd([fh fileHandleForReading], @"reading", i);
            if (reason == nil)
                reason = vzsim_check_fd([fh fileHandleForWriting], @"writing", i);
            if (reason != nil)
                return reason;
        }
    }

    reason = vzsim_check_elements(entropy, [VZEntropyDeviceConfiguration class], @"entropy device");
    if (reason != nil)
        return reason;
    if ([entropy count] > 1)
        return [NSString stringWithFormat:@"At most one entropy device is allowed (found %lu).",
                                          (unsigned long)[entropy count]];
    return vzsim_check_later_layers(config);
}

id vzsim_config_get(VZVirtualMachineConfiguration *config, NSString *key)
{
    @synchronized(config) { return [[[config->_more objectForKey:key] retain] autorelease]; }
}

void vzsim_config_set(VZVirtualMachineConfiguration *config, NSString *key, id value)
{
    id copy = [value copy];
    @synchronized(config) {
        if (copy != nil)
            [config->_more setObject:copy forKey:key];
        else
            [config->_more removeObjectForKey:key];
    }
    [copy release];
}

@implementation VZVirtualMachineConfiguration

- (id)init
{
    self = [super init];
    if (self == nil)
        return nil;
    _CPUCount = CVZ_SIM_DEFAULT_CPU_COUNT;
    _memorySize = CVZ_SIM_DEFAULT_MEMORY_SIZE;
    _bootLoader = nil;
    _storageDevices = [[NSArray alloc] init];
    _networkDevices = [[NSArray alloc] init];
    _serialPorts = [[NSArray alloc] init];
    _entropyDevices = [[NSArray alloc] init];
    _more = [[NSMutableDictionary alloc] init];
    return self;
}

- (void)dealloc
{
    [_bootLoader release];
    [_storageDevices release];
    [_networkDevices release];
    [_serialPorts release];
    [_entropyDevices release];
    [_more release];
    [super dealloc];
}

/* A deep copy: the boot loader and every device configuration are copied
 * (they are NSCopying); attachments are shared, as they stand for host
 * resources. */
- (id)copyWithZone:(NSZone *)zone
{
    VZVirtualMachineConfiguration *copy = (id)NSCopyObject(self, 0, zone);
    @synchronized(self) {
        copy->_bootLoader = [_bootLoader copy];
        copy->_storageDevices = vzsim_copy_items(_storageDevices);
        copy->_networkDevices = vzsim_copy_items(_networkDevices);
        copy->_serialPorts = vzsim_copy_items(_serialPorts);
        copy->_entropyDevices = vzsim_copy_items(_entropyDevices);
        copy->_more = [[NSMutableDictionary alloc] init];
        for (NSString *key in _more) {
            id value = [_more objectForKey:key];
            value = [value isKindOfClass:[NSArray class]] ? vzsim_copy_items(value) : [value copy];
            [copy->_more setObject:value forKey:key];
            [value release];
        }
    }
    return copy;
}

VZSIM_OBJECT_PROPERTY(VZBootLoader *, bootLoader, setBootLoader, _bootLoader, RETAIN)

VZSIM_SCALAR_PROPERTY(uint64_t, memorySize, setMemorySize, _memorySize)
VZSIM_SCALAR_PROPERTY(NSUInteger, CPUCount, setCPUCount, _CPUCount)

#define CVZ_SIM_ARRAY_PROPERTY(getter, setter, ivar)                           \
    -(NSArray *)getter                                                         \
    {                                                                          \
        @synchronized(self) { CVZ_SIM_GET(ivar); }                             \
    }                                                                          \
    -(void)setter : (NSArray *)value                                           \
    {                                                                          \
        if (value == nil)                                                      \
            vzsim_raise_invalid_argument(@"-[VZVirtualMachineConfiguration " \
                                           @"%s]: the array must not be nil",  \
                                           #setter ":");                       \
        @synchronized(self) { CVZ_SIM_SET_COPY(ivar, value); }                 \
    }

CVZ_SIM_ARRAY_PROPERTY(storageDevices, setStorageDevices, _storageDevices)
CVZ_SIM_ARRAY_PROPERTY(networkDevices, setNetworkDevices, _networkDevices)
CVZ_SIM_ARRAY_PROPERTY(serialPorts, setSerialPorts, _serialPorts)
CVZ_SIM_ARRAY_PROPERTY(entropyDevices, setEntropyDevices, _entropyDevices)

- (BOOL)validateWithError:(NSError **)error
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    NSString *reason = vzsim_validation_failure(self);
    NSError *result = nil;

    if (reason != nil)
        result = [vzsim_error(VZErrorInvalidVirtualMachineConfiguration, kInvalidConfiguration, reason) retain];
    [pool release];
    if (result == nil)
        return YES; /* *error is left alone on success */
    vzsim_set_error(error, [result autorelease]);
    return NO;
}

+ (uint64_t)minimumAllowedMemorySize
{
    return CVZ_SIM_MIN_MEMORY_SIZE;
}

+ (uint64_t)maximumAllowedMemorySize
{
    return CVZ_SIM_MAX_MEMORY_SIZE;
}

+ (NSUInteger)minimumAllowedCPUCount
{
    return CVZ_SIM_MIN_CPU_COUNT;
}

+ (NSUInteger)maximumAllowedCPUCount
{
    return CVZ_SIM_MAX_CPU_COUNT;
}

@end
