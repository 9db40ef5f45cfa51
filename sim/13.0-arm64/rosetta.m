/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 13.0-arm64/rosetta.m - the macOS 13.0 layer for Apple silicon only
 * (libVirtualization-13.0-arm64.so): the Rosetta directory share.
 *
 * Whether Rosetta is installed is the simulated host's state, from
 * CVZ_SIM_ROSETTA (read each time): `installed` (default), `not-installed`
 * (+installRosettaWithCompletionHandler: then installs it for this
 * process), `install-fails` (not installed, and installing fails) or
 * `not-supported`.
 */
#import "12.0/devices.h"

#include <stdlib.h>
#include <string.h>

typedef NSInteger VZLinuxRosettaAvailability;
enum {
    VZLinuxRosettaAvailabilityNotSupported = 0,
    VZLinuxRosettaAvailabilityNotInstalled = 1,
    VZLinuxRosettaAvailabilityInstalled = 2,
};

static int vzsim_rosetta_installed_here; /* installed by this process */

static const char *vzsim_rosetta_env(void)
{
    const char *value = getenv("CVZ_SIM_ROSETTA");
    return value != NULL && *value != '\0' ? value : "installed";
}

@interface VZLinuxRosettaDirectoryShare : VZDirectoryShare
@end

@implementation VZLinuxRosettaDirectoryShare

+ (VZLinuxRosettaAvailability)availability
{
    const char *state = vzsim_rosetta_env();
    if (strcmp(state, "not-supported") == 0)
        return VZLinuxRosettaAvailabilityNotSupported;
    if (strcmp(state, "installed") == 0 || __atomic_load_n(&vzsim_rosetta_installed_here, __ATOMIC_SEQ_CST))
        return VZLinuxRosettaAvailabilityInstalled;
    return VZLinuxRosettaAvailabilityNotInstalled;
}

/* The handler runs on a thread of its own, after the (instant) installation. */
+ (void)vzsimInstall:(NSValue *)block
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    NSError *error = nil;
    if (strcmp(vzsim_rosetta_env(), "install-fails") == 0)
        error = vzsim_error(VZErrorInternal, @"Rosetta could not be installed.",
                            @"The simulated installation failed (CVZ_SIM_ROSETTA=install-fails).");
    else if ([self availability] == VZLinuxRosettaAvailabilityNotSupported)
        error = vzsim_error(VZErrorNotSupported, @"Rosetta could not be installed.",
                            @"Rosetta is not supported on this host.");
    else
        __atomic_store_n(&vzsim_rosetta_installed_here, 1, __ATOMIC_SEQ_CST);
    vzsim_block_call_error([block pointerValue], error);
    vzsim_block_drop([block pointerValue]);
    [pool release];
}

+ (void)installRosettaWithCompletionHandler:(void *)completionHandler
{
    void *block = vzsim_block_keep(completionHandler);
    [NSThread detachNewThreadSelector:@selector(vzsimInstall:) toTarget:self
                           withObject:[NSValue valueWithPointer:block]];
}

- (id)initWithError:(NSError **)error
{
    VZLinuxRosettaAvailability availability = [[self class] availability];
    if (availability != VZLinuxRosettaAvailabilityInstalled) {
        vzsim_set_error(error, vzsim_error(VZErrorNotSupported, @"Rosetta is not available.",
                                           availability == VZLinuxRosettaAvailabilityNotSupported
                                               ? @"Rosetta is not supported on this host."
                                               : @"Rosetta is not installed."));
        [self release];
        return nil;
    }
    return vzsim_nsobject_init(self);
}

- (id)copyWithZone:(NSZone *)zone
{
    return [self retain];
}

@end
