/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 27.0/efi.m - secure boot in the EFI variable store (macOS 27.0, part of
 * libVirtualization-27.0.so).
 *
 * The state lives in the store file itself, as one fixed-width text record
 * right after the header 13.0/devices.m writes, in what a 13.0 store leaves erased:
 *
 *   secure-boot enabled=0 setup-mode=1 pk=n defaults=0\n
 *
 * enabled: secure boot on; setup-mode: Apple's "SetupMode" variable (1 while
 * no platform key is enrolled); pk: n (none) or d (the Apple-managed default
 * key); defaults: the default KEK/db/dbx signatures are enrolled.  A store
 * without the record (erased flash, 0xff) reads as the state of a new store,
 * so stores made before 27.0 keep working, and older layers never look there.
 * A store that cannot be read or written, or is not one of the sim's, gives
 * VZErrorEFIVariableInaccessible with the POSIX reason underneath.
 */
#import "13.0/devices.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum {
    VZErrorEFIVariableInaccessible = 50002,
};

VZSIM_LAYER(27, 0)

struct vzsim_secure_boot {
    int enabled, setup_mode, defaults;
    char pk; /* 'n' none, 'd' default */
};

#define VZSIM_RECORD_FORMAT "secure-boot enabled=%d setup-mode=%d pk=%c defaults=%d\n"
#define VZSIM_RECORD_LENGTH (sizeof "secure-boot enabled=0 setup-mode=1 pk=n defaults=0\n" - 1)
#define VZSIM_HEADER_LENGTH (sizeof VZSIM_EFI_STORE_MAGIC - 1)

static NSError *vzsim_efi_error(NSURL *url, int posix, NSString *what)
{
    NSError *error = vzsim_error(VZErrorEFIVariableInaccessible, @"The EFI variable store is inaccessible.",
                                 [NSString stringWithFormat:@"%@ %@: %s.", what, [url path], strerror(posix)]);
    NSMutableDictionary *info = [[[error userInfo] mutableCopy] autorelease];
    [info setObject:[NSError errorWithDomain:NSPOSIXErrorDomain code:posix userInfo:nil] forKey:NSUnderlyingErrorKey];
    return [NSError errorWithDomain:VZErrorDomain code:VZErrorEFIVariableInaccessible userInfo:info];
}

/* Opens the store at `url` (a file the sim made; for writing too with
 * `writable`) and reads its secure-boot state. */
static int vzsim_efi_open(NSURL *url, BOOL writable, struct vzsim_secure_boot *state, NSError **error)
{
    char buffer[VZSIM_HEADER_LENGTH + VZSIM_RECORD_LENGTH + 1];
    int fd = [url isFileURL] ? open([[url path] fileSystemRepresentation], (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC)
                             : -1;
    ssize_t n;

    if (fd < 0) {
        vzsim_set_error(error, vzsim_efi_error(url, [url isFileURL] ? errno : EINVAL, @"Opening"));
        return -1;
    }
    n = pread(fd, buffer, sizeof buffer - 1, 0);
    buffer[n > 0 ? n : 0] = '\0';
    *state = (struct vzsim_secure_boot){0, 1, 0, 'n'};
    if (n != (ssize_t)sizeof buffer - 1 || memcmp(buffer, VZSIM_EFI_STORE_MAGIC, VZSIM_HEADER_LENGTH) != 0 ||
        ((unsigned char)buffer[VZSIM_HEADER_LENGTH] != 0xff &&
         (sscanf(buffer + VZSIM_HEADER_LENGTH, VZSIM_RECORD_FORMAT, &state->enabled, &state->setup_mode, &state->pk,
                 &state->defaults) != 4 ||
          (state->pk != 'n' && state->pk != 'd')))) {
        vzsim_set_error(error, vzsim_efi_error(url, n < 0 ? errno : EINVAL, @"Reading"));
        close(fd);
        return -1;
    }
    return fd;
}

/* Writes `state` to the store open on `fd`, and closes it. */
static BOOL vzsim_efi_save(NSURL *url, int fd, const struct vzsim_secure_boot *state, NSError **error)
{
    char record[VZSIM_RECORD_LENGTH + 1];
    int saved;
    ssize_t n;

    snprintf(record, sizeof record, VZSIM_RECORD_FORMAT, state->enabled, state->setup_mode, state->pk,
             state->defaults);
    n = pwrite(fd, record, VZSIM_RECORD_LENGTH, VZSIM_HEADER_LENGTH);
    saved = errno;
    close(fd);
    if (n == (ssize_t)VZSIM_RECORD_LENGTH)
        return YES;
    vzsim_set_error(error, vzsim_efi_error(url, n < 0 ? saved : ENOSPC, @"Writing"));
    return NO;
}

/* How each operation changes the state. */
typedef void (*vzsim_secure_boot_change)(struct vzsim_secure_boot *state);

static BOOL vzsim_efi_update(NSURL *url, vzsim_secure_boot_change change, NSError **error)
{
    struct vzsim_secure_boot state;
    int fd = vzsim_efi_open(url, YES, &state, error);
    if (fd < 0)
        return NO;
    change(&state);
    return vzsim_efi_save(url, fd, &state, error);
}

static void vzsim_enable_default(struct vzsim_secure_boot *state)
{
    state->pk = 'd';
    state->setup_mode = 0;
    state->enabled = 1;
}

/* Keeps what was enrolled. */
static void vzsim_disable(struct vzsim_secure_boot *state)
{
    state->enabled = 0;
}

static void vzsim_reset(struct vzsim_secure_boot *state)
{
    *state = (struct vzsim_secure_boot){0, 1, 0, 'n'};
}

/* Keeps the platform key. */
static void vzsim_enroll_defaults(struct vzsim_secure_boot *state)
{
    state->defaults = 1;
}

@interface VZEFIVariableStore : NSObject
- (NSURL *)URL;
@end

@implementation VZEFIVariableStore (VZSim27)

- (BOOL)enableSecureBootUsingDefaultPlatformKeyWithError:(NSError **)error
{
    return vzsim_efi_update([self URL], vzsim_enable_default, error);
}

- (BOOL)disableSecureBootWithError:(NSError **)error
{
    return vzsim_efi_update([self URL], vzsim_disable, error);
}

- (BOOL)resetSecureBootWithError:(NSError **)error
{
    return vzsim_efi_update([self URL], vzsim_reset, error);
}

- (BOOL)enrollDefaultSecureBootSignaturesWithError:(NSError **)error
{
    return vzsim_efi_update([self URL], vzsim_enroll_defaults, error);
}

- (BOOL)getSecureBootEnabled:(BOOL *)enabled error:(NSError **)error
{
    struct vzsim_secure_boot state;
    int fd;

    if (enabled == NULL)
        vzsim_raise_invalid_argument(@"-[VZEFIVariableStore getSecureBootEnabled:error:]: enabled must not be NULL");
    fd = vzsim_efi_open([self URL], NO, &state, error);
    if (fd < 0)
        return NO;
    close(fd);
    *enabled = state.enabled ? YES : NO;
    return YES;
}

@end
