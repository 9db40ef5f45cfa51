/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 12.0-arm64/installer.m - the macOS 12.0 arm64 layer (libVirtualization-12.0-arm64.so):
 * restore images and installation of macOS guests.
 *
 *   VZMacOSRestoreImage (+loadFileURL:completionHandler:,
 *       +fetchLatestSupportedWithCompletionHandler:, URL, buildVersion,
 *       operatingSystemVersion, mostFeaturefulSupportedConfiguration;
 *       isSupported from 13.0)
 *   VZMacOSConfigurationRequirements (hardwareModel, minimumSupportedCPUCount,
 *       minimumSupportedMemorySize)
 *   VZMacOSInstaller (initWithVirtualMachine:restoreImageURL:,
 *       installWithCompletionHandler:, progress, virtualMachine, restoreImageURL)
 *
 * There are no IPSWs here: a restore image is a text file of the sim's own
 * (see sim/README.md), e.g.
 *
 *   cvz-sim-restore-image 1
 *   build: 23A344
 *   version: 14.0.0
 *   hardware-model: VirtualMac2,1
 *   minimum-cpus: 2
 *   minimum-memory: 4294967296
 *
 * Error codes: from 13.0 Apple's restore-image and installation codes
 * (10004, 10005, 10007, 9); at 12.x, which had none of them, VZErrorInternal.
 */
#import "11.0/machine_devices.h"
#import "core/hold.h"

#include <errno.h>
#include <objc/runtime.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VZSIM_RESTORE_IMAGE_MAGIC @"cvz-sim-restore-image 1"

/* Time an installation takes (CVZ_SIM_INSTALL_DURATION_MS), in VZSIM_INSTALL_STEPS steps of progress. */
#define VZSIM_DEFAULT_INSTALL_DURATION_MS 50
#define VZSIM_INSTALL_STEPS 10

/* Classes of the configuration side, reached by name (their layer may be another's). */
@interface NSObject (VZSimMacConfiguration)
- (id)initWithDataRepresentation:(NSData *)data; /* VZMacHardwareModel */
- (id)platform;                                  /* VZVirtualMachineConfiguration, 12.0 */
@end

/* A code Apple introduced in 13.0, or VZErrorInternal on 12.x. */
static NSInteger vzsim_code_13(NSInteger code)
{
    return vzsim_host_level() >= CVZ_SIM_LEVEL(13, 0) ? code : VZErrorInternal;
}

/* ---- VZMacOSConfigurationRequirements ------------------------------------------ */

@interface VZMacOSConfigurationRequirements : NSObject <NSCopying>
{
@public
    id _hardwareModel;
    NSUInteger _minimumSupportedCPUCount;
    uint64_t _minimumSupportedMemorySize;
}
@end

@implementation VZMacOSConfigurationRequirements

VZSIM_UNAVAILABLE_INIT

- (void)dealloc
{
    [_hardwareModel release];
    [super dealloc];
}

- (id)copyWithZone:(NSZone *)zone
{
    return [self retain]; /* immutable */
}

- (id)hardwareModel
{
    return _hardwareModel;
}

- (NSUInteger)minimumSupportedCPUCount
{
    return _minimumSupportedCPUCount;
}

- (uint64_t)minimumSupportedMemorySize
{
    return _minimumSupportedMemorySize;
}

@end

/* ---- VZMacOSRestoreImage ------------------------------------------------------- */

@interface VZMacOSRestoreImage : NSObject
{
@public
    NSURL *_URL;
    NSString *_buildVersion;
    VZSimOperatingSystemVersion _version;
    VZMacOSConfigurationRequirements *_requirements; /* nil when the host cannot run it */
}
@end

/* "key: value" lines after the magic line; nil when malformed. */
static NSDictionary *vzsim_image_fields(NSString *text)
{
    NSArray *lines = [text componentsSeparatedByString:@"\n"];
    NSMutableDictionary *fields = [NSMutableDictionary dictionary];
    NSUInteger i;

    if ([lines count] < 1 || ![[lines objectAtIndex:0] isEqual:VZSIM_RESTORE_IMAGE_MAGIC])
        return nil;
    for (i = 1; i < [lines count]; i++) {
        NSString *line = [lines objectAtIndex:i];
        NSRange colon = [line rangeOfString:@": "];
        if ([line length] == 0)
            continue;
        if (colon.location == NSNotFound)
            return nil;
        [fields setObject:[line substringFromIndex:NSMaxRange(colon)] forKey:[line substringToIndex:colon.location]];
    }
    return fields;
}

static BOOL vzsim_parse_u64(NSString *text, unsigned long long *out)
{
    const char *s = [text UTF8String];
    char *end = NULL;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return s[0] >= '0' && s[0] <= '9' && errno == 0 && *end == '\0';
}

/* The image in `text` (autoreleased), or nil and the reason in *reason. */
static VZMacOSRestoreImage *vzsim_image_parse(NSString *text, NSURL *url, NSString **reason)
{
    NSDictionary *fields = text != nil ? vzsim_image_fields(text) : nil;
    VZMacOSRestoreImage *image;
    unsigned long long cpus = 0, memory = 0;
    int major = 0, minor = 0, patch = 0;
    NSString *model = [fields objectForKey:@"hardware-model"];

    if (fields == nil || [fields objectForKey:@"build"] == nil || model == nil ||
        sscanf([[fields objectForKey:@"version"] UTF8String] ?: "", "%d.%d.%d", &major, &minor, &patch) != 3 ||
        !vzsim_parse_u64([fields objectForKey:@"minimum-cpus"], &cpus) ||
        !vzsim_parse_u64([fields objectForKey:@"minimum-memory"], &memory)) {
        *reason = @"The file is not a restore image (the simulator's format: see sim/README.md).";
        return nil;
    }
    image = [vzsim_nsobject_init([VZMacOSRestoreImage alloc]) autorelease];
    image->_URL = [url copy];
    image->_buildVersion = [[fields objectForKey:@"build"] copy];
    image->_version.majorVersion = major;
    image->_version.minorVersion = minor;
    image->_version.patchVersion = patch;
    /* The host runs guests up to its own version. */
    if (CVZ_SIM_LEVEL(major, minor) <= vzsim_host_level()) {
        VZMacOSConfigurationRequirements *r = vzsim_nsobject_init([VZMacOSConfigurationRequirements alloc]);
        NSData *bytes = [model dataUsingEncoding:NSUTF8StringEncoding];
        r->_hardwareModel = [[objc_getClass("VZMacHardwareModel") alloc] initWithDataRepresentation:bytes];
        r->_minimumSupportedCPUCount = (NSUInteger)cpus;
        r->_minimumSupportedMemorySize = memory;
        image->_requirements = r;
    }
    return image;
}

/* Loads the image file at `url`: the image, or nil and *error. */
static VZMacOSRestoreImage *vzsim_image_load(NSURL *url, NSError **error)
{
    NSString *reason = nil;
    NSData *data = [NSData dataWithContentsOfFile:[url path]];
    VZMacOSRestoreImage *image;

    if (data == nil) {
        int posix = access([[url path] fileSystemRepresentation], R_OK) == 0 ? EIO : errno;
        NSError *e = vzsim_error(vzsim_code_13(VZErrorRestoreImageLoadFailed), @"Failed to load the restore image.",
                                 [NSString stringWithFormat:@"The file %@ cannot be read (%s).", [url path],
                                                            strerror(posix)]);
        NSMutableDictionary *info = [[[e userInfo] mutableCopy] autorelease];
        [info setObject:[NSError errorWithDomain:NSPOSIXErrorDomain code:posix userInfo:nil] forKey:NSUnderlyingErrorKey];
        *error = [NSError errorWithDomain:VZErrorDomain code:[e code] userInfo:info];
        return nil;
    }
    image = vzsim_image_parse([[[NSString alloc] initWithData:data encoding:NSUTF8StringEncoding] autorelease], url,
                              &reason);
    if (image == nil)
        *error = vzsim_error(vzsim_code_13(VZErrorInvalidRestoreImage), @"The restore image is invalid.", reason);
    return image;
}

/* One load on a thread of its own ("an arbitrary thread", Apple says). */
@interface CVZSimImageLoad : NSObject
{
@public
    NSURL *_url;   /* nil: fetch the latest */
    void *_block;  /* kept */
}
@end

@implementation CVZSimImageLoad

- (void)dealloc
{
    [_url release];
    vzsim_block_drop(_block);
    [super dealloc];
}

- (void)_run:(id)unused
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    NSError *error = nil;
    VZMacOSRestoreImage *image = nil;
    const char *local = getenv("CVZ_SIM_RESTORE_IMAGE");

    (void)unused;
    if (_url != nil) {
        image = vzsim_image_load(_url, &error);
    } else if (local != NULL && *local != '\0') {
        image = vzsim_image_load([NSURL fileURLWithPath:[NSString stringWithUTF8String:local]], &error);
    } else {
        /* No network here: what an offline Mac reports. */
        NSError *offline = vzsim_error_in(@"NSURLErrorDomain", -1009, @"The Internet connection appears to be offline.",
                                          @"The simulator has no network (set CVZ_SIM_RESTORE_IMAGE).");
        if (vzsim_host_level() >= CVZ_SIM_LEVEL(13, 0)) {
            NSMutableDictionary *info = [NSMutableDictionary dictionaryWithDictionary:
                [vzsim_error(10001, @"Failed to load the restore image catalog.",
                             @"The catalog cannot be downloaded.") userInfo]];
            [info setObject:offline forKey:NSUnderlyingErrorKey];
            error = [NSError errorWithDomain:VZErrorDomain code:10001 userInfo:info];
        } else {
            error = offline;
        }
    }
    vzsim_block_call_obj_error(_block, image, image == nil ? error : nil);
    [pool release];
}

@end

static void vzsim_image_start(NSURL *url, void *handler)
{
    CVZSimImageLoad *load = [[CVZSimImageLoad alloc] init];
    load->_url = [url copy];
    load->_block = vzsim_block_keep(handler);
    [NSThread detachNewThreadSelector:@selector(_run:) toTarget:load withObject:nil];
    [load release]; /* the thread retains it */
}

@implementation VZMacOSRestoreImage

VZSIM_UNAVAILABLE_INIT

- (void)dealloc
{
    [_URL release];
    [_buildVersion release];
    [_requirements release];
    [super dealloc];
}

/* A local file only: anything else raises, as Apple documents. */
+ (void)loadFileURL:(NSURL *)fileURL completionHandler:(void *)completionHandler
{
    if (fileURL == nil || ![fileURL isFileURL])
        vzsim_raise_invalid_argument(@"+[VZMacOSRestoreImage loadFileURL:completionHandler:]: %@ is not a file URL",
                                     fileURL);
    vzsim_image_start(fileURL, completionHandler);
}

+ (void)fetchLatestSupportedWithCompletionHandler:(void *)completionHandler
{
    vzsim_image_start(nil, completionHandler);
}

- (BOOL)isSupported
{
    return _requirements != nil;
}

- (NSURL *)URL
{
    return _URL;
}

- (NSString *)buildVersion
{
    return _buildVersion;
}

- (VZSimOperatingSystemVersion)operatingSystemVersion
{
    return _version;
}

- (VZMacOSConfigurationRequirements *)mostFeaturefulSupportedConfiguration
{
    return _requirements;
}

@end

/* ---- VZMacOSInstaller ------------------------------------------------------------- */

/* The installer's progress: the subset of NSProgress a client reads
 * (totalUnitCount, completedUnitCount, fractionCompleted, cancel,
 * isCancelled).  Not GNUstep Base 1.28's NSProgress: its -cancel calls a nil
 * cancellation handler (a crash; the sim, built without blocks, cannot set
 * one) and each instance leaks its internal storage. */
@interface CVZSimProgress : NSObject
{
    int64_t _total, _completed;
    BOOL _cancelled;
}
@end

@implementation CVZSimProgress

- (id)initWithTotalUnitCount:(int64_t)total
{
    self = [super init];
    if (self != nil)
        _total = total;
    return self;
}

- (int64_t)totalUnitCount
{
    @synchronized(self) { return _total; }
}

- (int64_t)completedUnitCount
{
    @synchronized(self) { return _completed; }
}

- (void)setCompletedUnitCount:(int64_t)count
{
    @synchronized(self) { _completed = count; }
}

- (double)fractionCompleted
{
    @synchronized(self) { return _total > 0 ? (double)_completed / (double)_total : 0.0; }
}

- (BOOL)isCancellable
{
    return YES;
}

- (void)cancel
{
    @synchronized(self) { _cancelled = YES; }
}

- (BOOL)isCancelled
{
    @synchronized(self) { return _cancelled; }
}

/* NSProgress: finished once every unit is completed. */
- (BOOL)isFinished
{
    @synchronized(self) { return _total > 0 && _completed >= _total; }
}

@end

@interface VZMacOSInstaller : NSObject
{
@public
    VZVirtualMachine *_virtualMachine;
    NSURL *_restoreImageURL;
    CVZSimProgress *_progress;
    BOOL _started;
    unsigned long _epoch; /* the machine's epoch while the installer runs it */
}
@end

/* The installer runs the machine: stopped -> starting at once (here), then
 * running while it installs, and stopped at the end, whatever the outcome.
 * Each step checks that the machine is still where the installer left it
 * (`from`, epoch `_epoch`) and moves it to `to`; NO when someone else moved it. */
static BOOL vzsim_install_move(VZMacOSInstaller *installer, VZVirtualMachineState from, VZVirtualMachineState to)
{
    VZVirtualMachine *vm = installer->_virtualMachine;
    BOOL ok;

    if (from != to) {
        unsigned long epoch = 0;
        ok = vzsim_vm_move(vm, 1u << from, installer->_epoch, to, NULL, &epoch);
        if (ok)
            installer->_epoch = epoch;
    } else {
        pthread_mutex_lock(&vm->_lock);
        ok = vm->_state == from && vm->_epoch == installer->_epoch;
        pthread_mutex_unlock(&vm->_lock);
    }
    if (ok && to == VZVirtualMachineStateStopped)
        vzsim_vm_devices_stopped(vm);
    return ok;
}

/* On the machine's queue, VZSIM_INSTALL_STEPS times: one step of progress;
 * the last one (or a failure) stops the machine and calls the handler. */
static void vzsim_install_step(id obj, id unused, unsigned long step, void *block)
{
    VZMacOSInstaller *installer = obj;
    CVZSimProgress *progress = installer->_progress;
    NSError *error = nil;
    long duration = vzsim_env_ms("CVZ_SIM_INSTALL_DURATION_MS", VZSIM_DEFAULT_INSTALL_DURATION_MS, 0);

    (void)unused;
    if (!vzsim_install_move(installer, step == 0 ? VZVirtualMachineStateStarting : VZVirtualMachineStateRunning,
                            VZVirtualMachineStateRunning)) {
        vzsim_block_call_error(block, vzsim_error(vzsim_code_13(VZErrorInstallationFailed), @"The installation failed.",
                                                  @"The virtual machine stopped during the installation."));
        return;
    }
    if (step == 0 && vzsim_image_load(installer->_restoreImageURL, &error) == nil) {
        error = vzsim_error(vzsim_code_13(VZErrorInstallationFailed), @"The installation failed.",
                            [[error userInfo] objectForKey:NSLocalizedFailureReasonErrorKey]);
    } else if ([progress isCancelled]) {
        error = vzsim_error(vzsim_code_13(VZErrorOperationCancelled), @"The installation was cancelled.",
                            @"Its progress object was cancelled.");
    } else {
        [progress setCompletedUnitCount:(int64_t)(step + 1) * [progress totalUnitCount] / VZSIM_INSTALL_STEPS];
        if (step + 1 < VZSIM_INSTALL_STEPS) {
            vzsim_after_unless_held(vzsim_vm_queue(installer->_virtualMachine), "install-step",
                                    duration / VZSIM_INSTALL_STEPS, vzsim_install_step, installer, nil, step + 1,
                                    vzsim_block_keep(block));
            return;
        }
    }
    vzsim_install_move(installer, VZVirtualMachineStateRunning, VZVirtualMachineStateStopped);
    vzsim_block_call_error(block, error);
}

@implementation VZMacOSInstaller

VZSIM_UNAVAILABLE_INIT

/* The machine must be a macOS one and the URL a file on disk, or this
 * raises (Apple).  The sim knows a macOS machine by its platform; a
 * configuration without one passes (see sim/README.md). */
- (id)initWithVirtualMachine:(VZVirtualMachine *)virtualMachine restoreImageURL:(NSURL *)restoreImageFileURL
{
    id platform = nil;
    Class mac = objc_getClass("VZMacPlatformConfiguration");

    if (virtualMachine != nil && [virtualMachine->_configuration respondsToSelector:@selector(platform)])
        platform = [(id)virtualMachine->_configuration platform];
    if (virtualMachine == nil || (platform != nil && (mac == Nil || ![platform isKindOfClass:mac]))) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZMacOSInstaller initWithVirtualMachine:restoreImageURL:]: the virtual "
                                     @"machine's platform must be macOS");
    }
    if (restoreImageFileURL == nil || ![restoreImageFileURL isFileURL] ||
        access([[restoreImageFileURL path] fileSystemRepresentation], F_OK) != 0) {
        [self release];
        vzsim_raise_invalid_argument(@"-[VZMacOSInstaller initWithVirtualMachine:restoreImageURL:]: %@ is not a "
                                     @"file on disk",
                                     restoreImageFileURL);
    }
    self = vzsim_nsobject_init(self);
    if (self == nil)
        return nil;
    _virtualMachine = [virtualMachine retain];
    _restoreImageURL = [restoreImageFileURL copy];
    _progress = [[CVZSimProgress alloc] initWithTotalUnitCount:100];
    return self;
}

- (void)dealloc
{
    [_virtualMachine release];
    [_restoreImageURL release];
    [_progress release];
    [super dealloc];
}

/* Once per installer, from a stopped machine, which it starts; progress
 * moves over CVZ_SIM_INSTALL_DURATION_MS while the machine runs, then the
 * machine stops and the handler runs on the machine's queue. */
- (void)installWithCompletionHandler:(void *)completionHandler
{
    NSAutoreleasePool *pool;
    VZVirtualMachineState state;

    @synchronized(self)
    {
        if (_started)
            [NSException raise:NSInternalInconsistencyException
                        format:@"-[VZMacOSInstaller installWithCompletionHandler:]: the installation was already started"];
        if ([_progress isCancelled])
            [NSException raise:NSInternalInconsistencyException
                        format:@"-[VZMacOSInstaller installWithCompletionHandler:]: the progress was cancelled "
                               @"before the installation started"];
        _started = YES;
    }
    pool = [[NSAutoreleasePool alloc] init];
    if (!vzsim_vm_move(_virtualMachine, 1u << VZVirtualMachineStateStopped, 0, VZVirtualMachineStateStarting, &state,
                       &_epoch))
        vzsim_vm_complete(_virtualMachine, vzsim_block_keep(completionHandler),
                          vzsim_error(VZErrorInvalidVirtualMachineState, @"Invalid virtual machine state.",
                                      [NSString stringWithFormat:@"The virtual machine must be stopped to install "
                                                                 @"macOS (it is %@).",
                                                                 vzsim_state_name(state)]));
    else
        vzsim_after_unless_held(vzsim_vm_queue(_virtualMachine), "start",
                                vzsim_env_ms("CVZ_SIM_START_DELAY_MS", VZSIM_DEFAULT_START_DELAY_MS, 0),
                                vzsim_install_step, self, nil, 0, vzsim_block_keep(completionHandler));
    [pool release];
}

- (id)progress
{
    return _progress;
}

- (VZVirtualMachine *)virtualMachine
{
    return _virtualMachine;
}

- (NSURL *)restoreImageURL
{
    return _restoreImageURL;
}

@end
