/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 14.0-arm64/save.m - the macOS 14.0 arm64 layer (libVirtualization-14.0-arm64.so):
 * saving and restoring a machine's state.
 *
 *   -[VZVirtualMachine saveMachineStateToURL:completionHandler:]
 *   -[VZVirtualMachine restoreMachineStateFromURL:completionHandler:]
 *   -[VZVirtualMachineConfiguration validateSaveRestoreSupportWithError:]
 *
 * A save file is the sim's own format, a few text lines:
 *
 *   cvz-sim-save 1
 *   macos 14.0                     the simulated version that wrote it
 *   config cpus=2 memory=536870912 storage=1 network=0 serial=1 entropy=0 sockets=1 balloons=0
 *   ...                            lines of later layers' devices (struct vzsim_device_hooks), if any
 *   checksum <FNV-1a 64 of every line above, in hex>
 *
 * Restoring refuses a missing or unreadable file, a corrupt one (bad
 * header, checksum, or a newer version), and a configuration whose line
 * differs, each with VZErrorRestore and, as Apple describes it, an
 * underlying POSIX reason (EINVAL for contents, the open(2) errno for the
 * file).  Neither operation changes the state on failure.
 */
#import "11.0/machine_devices.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define VZSIM_SAVE_MAGIC @"cvz-sim-save 1"

/* Time spent in `saving` / `restoring` (CVZ_SIM_SAVE_DELAY_MS). */
#define VZSIM_DEFAULT_SAVE_DELAY_MS 10

/* The essentials of a machine's configuration, as one line of the save file. */
static NSString *vzsim_save_config_line(VZVirtualMachine *vm)
{
    VZVirtualMachineConfiguration *c = vm->_configuration;
    return [NSString stringWithFormat:@"config cpus=%lu memory=%llu storage=%lu network=%lu serial=%lu entropy=%lu "
                                      @"sockets=%lu balloons=%lu",
                                      (unsigned long)[c CPUCount], (unsigned long long)[c memorySize],
                                      (unsigned long)[[c storageDevices] count],
                                      (unsigned long)[[c networkDevices] count],
                                      (unsigned long)[[c serialPorts] count],
                                      (unsigned long)[[c entropyDevices] count],
                                      (unsigned long)[[vm socketDevices] count],
                                      (unsigned long)[[vm memoryBalloonDevices] count]];
}

static NSString *vzsim_checksum(NSString *text)
{
    const unsigned char *p = (const unsigned char *)[text UTF8String];
    uint64_t hash = 0xcbf29ce484222325ULL;
    while (*p != '\0') {
        hash ^= *p++;
        hash *= 0x100000001b3ULL;
    }
    return [NSString stringWithFormat:@"checksum %016llx", (unsigned long long)hash];
}

static NSError *vzsim_underlying(NSInteger code, NSString *failure, NSString *reason, int posix)
{
    NSError *error = vzsim_error(code, failure, reason);
    NSMutableDictionary *info = [[[error userInfo] mutableCopy] autorelease];
    [info setObject:[NSError errorWithDomain:NSPOSIXErrorDomain code:posix userInfo:nil] forKey:NSUnderlyingErrorKey];
    return [NSError errorWithDomain:VZErrorDomain code:code userInfo:info];
}

static NSError *vzsim_restore_error(NSString *reason, int posix)
{
    return vzsim_underlying(VZErrorRestore, @"Failed to restore the virtual machine.", reason, posix);
}

/* Sets vm's state to `to` if it still is `from` at `token`; returns whether it did. */
static BOOL vzsim_vm_settle(VZVirtualMachine *vm, unsigned long token, VZVirtualMachineState from,
                            VZVirtualMachineState to)
{
    return vzsim_vm_move(vm, 1u << from, token, to, NULL, NULL);
}

/* saving: write the file, then back to paused whatever happened. */
static void vzsim_finish_save(id obj, id url, unsigned long token, void *block)
{
    VZVirtualMachine *vm = obj;
    NSString *body, *text, *reason;
    NSError *error = nil, *written = nil;
    NSMutableArray *lines = [NSMutableArray array];
    int level = vzsim_host_level();

    [lines addObject:VZSIM_SAVE_MAGIC];
    [lines addObject:[NSString stringWithFormat:@"macos %d.%d", level / 100, level % 100]];
    [lines addObject:vzsim_save_config_line(vm)];
    reason = vzsim_vm_devices_save(vm, lines);
    body = [[lines componentsJoinedByString:@"\n"] stringByAppendingString:@"\n"];
    text = [NSString stringWithFormat:@"%@%@\n", body, vzsim_checksum(body)];
    if (reason != nil)
        error = vzsim_error(VZErrorSave, @"Failed to save the virtual machine.", reason);
    else if (![text writeToURL:url atomically:YES encoding:NSUTF8StringEncoding error:&written])
        error = vzsim_underlying(VZErrorSave, @"Failed to save the virtual machine.",
                                 [NSString stringWithFormat:@"The save file %@ cannot be written.", [url path]],
                                 EACCES);
    if (!vzsim_vm_settle(vm, token, VZVirtualMachineStateSaving, VZVirtualMachineStatePaused) && error == nil)
        error = vzsim_vm_transition_error(@"finish saving", [vm state]);
    vzsim_block_call_error(block, error);
}

/* Why the file at `url` cannot restore vm, or nil. */
static NSError *vzsim_check_save_file(VZVirtualMachine *vm, NSURL *url)
{
    NSData *data = [NSData dataWithContentsOfFile:[url path]];
    NSString *text, *checksum, *reason;
    NSArray *lines;
    NSString *body;
    int level = vzsim_host_level(), major = 0, minor = 0;

    if (data == nil) {
        int posix = access([[url path] fileSystemRepresentation], R_OK) == 0 ? EIO : errno;
        return vzsim_restore_error([NSString stringWithFormat:@"The save file %@ cannot be read.", [url path]],
                                   posix);
    }
    text = [[[NSString alloc] initWithData:data encoding:NSUTF8StringEncoding] autorelease];
    lines = [text componentsSeparatedByString:@"\n"];
    if (text == nil || [lines count] < 5 || ![[lines objectAtIndex:0] isEqual:VZSIM_SAVE_MAGIC] ||
        [[lines lastObject] length] != 0)
        return vzsim_restore_error(@"The save file is not a saved virtual machine state.", EINVAL);
    checksum = [lines objectAtIndex:[lines count] - 2];
    lines = [lines subarrayWithRange:NSMakeRange(0, [lines count] - 2)];
    body = [[lines componentsJoinedByString:@"\n"] stringByAppendingString:@"\n"];
    if (![checksum isEqual:vzsim_checksum(body)])
        return vzsim_restore_error(@"The save file is corrupt (its checksum does not match).", EINVAL);
    if (sscanf([[lines objectAtIndex:1] UTF8String], "macos %d.%d", &major, &minor) != 2 ||
        CVZ_SIM_LEVEL(major, minor) > level)
        return vzsim_restore_error(@"The save file was written by a newer version of macOS.", EINVAL);
    if (![[lines objectAtIndex:2] isEqual:vzsim_save_config_line(vm)])
        return vzsim_restore_error(
            [NSString stringWithFormat:@"The virtual machine's configuration (%@) does not match the saved one (%@).",
                                       vzsim_save_config_line(vm), [lines objectAtIndex:2]],
            EINVAL);
    reason = vzsim_vm_devices_restore(vm, [lines subarrayWithRange:NSMakeRange(3, [lines count] - 3)]);
    return reason != nil ? vzsim_restore_error(reason, EINVAL) : nil;
}

/* restoring: paused on success, stopped again on failure. */
static void vzsim_finish_restore(id obj, id url, unsigned long token, void *block)
{
    VZVirtualMachine *vm = obj;
    NSError *error = vzsim_check_save_file(vm, url);
    VZVirtualMachineState to = error == nil ? VZVirtualMachineStatePaused : VZVirtualMachineStateStopped;

    if (!vzsim_vm_settle(vm, token, VZVirtualMachineStateRestoring, to) && error == nil)
        error = vzsim_vm_transition_error(@"finish restoring", [vm state]);
    vzsim_block_call_error(block, error);
}

static void vzsim_require_file_url(NSURL *url, SEL sel)
{
    if (url == nil || ![url isFileURL])
        vzsim_raise_invalid_argument(@"-[VZVirtualMachine %@]: the save file URL must be a file URL",
                                     NSStringFromSelector(sel));
}

@implementation VZVirtualMachine (VZSim14Save)

/* Only from paused (else VZErrorInvalidVirtualMachineState); saving for
 * CVZ_SIM_SAVE_DELAY_MS, then paused again. */
- (void)saveMachineStateToURL:(NSURL *)saveFileURL completionHandler:(void *)completionHandler
{
    VZVirtualMachineState state;

    vzsim_require_file_url(saveFileURL, _cmd);
    state = [self state];
    if (state != VZVirtualMachineStatePaused) {
        NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
        vzsim_vm_complete(self, vzsim_block_keep(completionHandler),
                          vzsim_error(VZErrorInvalidVirtualMachineState, @"Invalid virtual machine state.",
                                      [NSString stringWithFormat:@"The virtual machine must be paused to be saved "
                                                                 @"(it is %@).",
                                                                 vzsim_state_name(state)]));
        [pool release];
        return;
    }
    vzsim_vm_begin(self, completionHandler, 1u << VZVirtualMachineStatePaused, VZVirtualMachineStateSaving,
                   @"save", "CVZ_SIM_SAVE_DELAY_MS", VZSIM_DEFAULT_SAVE_DELAY_MS, vzsim_finish_save, saveFileURL);
}

/* Only from stopped (else VZErrorInvalidVirtualMachineStateTransition);
 * restoring for CVZ_SIM_SAVE_DELAY_MS, then paused (or stopped on failure). */
- (void)restoreMachineStateFromURL:(NSURL *)saveFileURL completionHandler:(void *)completionHandler
{
    vzsim_require_file_url(saveFileURL, _cmd);
    vzsim_vm_begin(self, completionHandler, 1u << VZVirtualMachineStateStopped, VZVirtualMachineStateRestoring,
                   @"restore", "CVZ_SIM_SAVE_DELAY_MS", VZSIM_DEFAULT_SAVE_DELAY_MS, vzsim_finish_restore,
                   saveFileURL);
}

@end

@implementation VZVirtualMachineConfiguration (VZSim14Save)

/* Apple lists no rules beyond "not every configuration can be saved"; the
 * sim refuses what cannot run (the rules of -validateWithError:, same code
 * and reason). */
- (BOOL)validateSaveRestoreSupportWithError:(NSError **)error
{
    return [self validateWithError:error];
}

@end
