/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim_efi.m - secure boot in the EFI variable store (macOS 27.0): the
 * state each call leaves, kept in the store file, and stores that are not
 * valid files.
 */
#define _GNU_SOURCE
#include "runtime_test.h"

#include <fcntl.h>
#include <objc/runtime.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

@interface NSObject (EfiTest)
- (id)initCreatingVariableStoreAtURL:(NSURL *)url options:(NSUInteger)options error:(NSError **)error;
- (id)initWithURL:(NSURL *)url;
- (BOOL)enableSecureBootUsingDefaultPlatformKeyWithError:(NSError **)error;
- (BOOL)disableSecureBootWithError:(NSError **)error;
- (BOOL)resetSecureBootWithError:(NSError **)error;
- (BOOL)enrollDefaultSecureBootSignaturesWithError:(NSError **)error;
- (BOOL)getSecureBootEnabled:(BOOL *)enabled error:(NSError **)error;
@end

#define VZErrorEFIVariableInaccessible 50002
#define RECORD_OFFSET (sizeof "CVZSIM-EFI-VARIABLE-STORE-1\n" - 1)

static id new_store(const char *name, char *path, size_t size)
{
    NSError *error = nil;
    id store;
    tmp_path(path, size, name);
    unlink(path);
    store = [[objc_getClass("VZEFIVariableStore") alloc] initCreatingVariableStoreAtURL:file_url(path)
                                                                                options:0
                                                                                  error:&error];
    assert_non_null(store);
    assert_null(error);
    return [store autorelease];
}

/* The store's secure-boot record, as the file holds it ("" when erased). */
static void read_record(const char *path, char *out, size_t size)
{
    int fd = open(path, O_RDONLY);
    ssize_t n;
    assert_true(fd >= 0);
    n = pread(fd, out, size - 1, RECORD_OFFSET);
    close(fd);
    assert_true(n > 0);
    out[n] = '\0';
    if ((unsigned char)out[0] == 0xff)
        out[0] = '\0';
    else if (strchr(out, '\n') != NULL)
        strchr(out, '\n')[1] = '\0';
}

static int enabled(id store)
{
    BOOL on = 2;
    NSError *error = nil;
    assert_true([store getSecureBootEnabled:&on error:&error]);
    assert_null(error);
    assert_true(on == YES || on == NO);
    return on;
}

void test_efi_secure_boot_presence(void **state)
{
    Class cls = objc_getClass("VZEFIVariableStore");
    (void)state;
    if (level < 1300) {
        assert_null(cls);
        return;
    }
    if (level < 2700) {
        assert_null(class_getInstanceMethod(cls, @selector(getSecureBootEnabled:error:)));
        assert_null(class_getInstanceMethod(cls, @selector(enrollDefaultSecureBootSignaturesWithError:)));
        return;
    }
    assert_implemented_in("VZEFIVariableStore", @selector(getSecureBootEnabled:error:), 0, "libVirtualization-27.0.so");
    assert_implemented_in("VZEFIVariableStore", @selector(enableSecureBootUsingDefaultPlatformKeyWithError:), 0,
                          "libVirtualization-27.0.so");
    assert_implemented_in("VZEFIVariableStore", @selector(disableSecureBootWithError:), 0, "libVirtualization-27.0.so");
    assert_implemented_in("VZEFIVariableStore", @selector(resetSecureBootWithError:), 0, "libVirtualization-27.0.so");
    assert_implemented_in("VZEFIVariableStore", @selector(enrollDefaultSecureBootSignaturesWithError:), 0,
                          "libVirtualization-27.0.so");
}

void test_efi_secure_boot_state(void **state)
{
    char path[128], record[128];
    id store, again;
    NSError *error = nil;
    (void)state;
    REQUIRE_LEVEL(2700);

    store = new_store("vars.efi", path, sizeof path);
    /* A new store (or one made before 27.0): off, in setup mode, nothing enrolled. */
    assert_int_equal(enabled(store), 0);
    read_record(path, record, sizeof record);
    assert_string_equal(record, "");

    assert_true([store enrollDefaultSecureBootSignaturesWithError:&error]);
    read_record(path, record, sizeof record);
    assert_string_equal(record, "secure-boot enabled=0 setup-mode=1 pk=n defaults=1\n");
    assert_int_equal(enabled(store), 0);

    assert_true([store enableSecureBootUsingDefaultPlatformKeyWithError:&error]);
    assert_int_equal(enabled(store), 1);
    read_record(path, record, sizeof record);
    assert_string_equal(record, "secure-boot enabled=1 setup-mode=0 pk=d defaults=1\n");

    /* Kept in the file: another object on the same URL sees it. */
    again = [[[objc_getClass("VZEFIVariableStore") alloc] initWithURL:file_url(path)] autorelease];
    assert_int_equal(enabled(again), 1);

    /* Disabling keeps the configuration; resetting clears it. */
    assert_true([again disableSecureBootWithError:&error]);
    assert_int_equal(enabled(store), 0);
    read_record(path, record, sizeof record);
    assert_string_equal(record, "secure-boot enabled=0 setup-mode=0 pk=d defaults=1\n");
    assert_true([store enableSecureBootUsingDefaultPlatformKeyWithError:NULL]);
    assert_true([store resetSecureBootWithError:&error]);
    assert_int_equal(enabled(store), 0);
    read_record(path, record, sizeof record);
    assert_string_equal(record, "secure-boot enabled=0 setup-mode=1 pk=n defaults=0\n");
    assert_null(error);
}

void test_efi_secure_boot_errors(void **state)
{
    char path[128], missing[128];
    id store;
    NSError *error = nil;
    BOOL on = YES, raised = NO;
    FILE *f;
    (void)state;
    REQUIRE_LEVEL(2700);

    tmp_path(missing, sizeof missing, "missing.efi");
    store = [[[objc_getClass("VZEFIVariableStore") alloc] initWithURL:file_url(missing)] autorelease];
    assert_false([store getSecureBootEnabled:&on error:&error]);
    assert_error(error, VZErrorDomain, VZErrorEFIVariableInaccessible);
    assert_error([[error userInfo] objectForKey:NSUnderlyingErrorKey], NSPOSIXErrorDomain, ENOENT);
    assert_true(on); /* untouched on failure */
    error = nil;
    assert_false([store enableSecureBootUsingDefaultPlatformKeyWithError:&error]);
    assert_error(error, VZErrorDomain, VZErrorEFIVariableInaccessible);

    /* A file that is not a variable store. */
    tmp_path(path, sizeof path, "not-a-store.efi");
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("hello\n", f);
    fclose(f);
    store = [[[objc_getClass("VZEFIVariableStore") alloc] initWithURL:file_url(path)] autorelease];
    error = nil;
    assert_false([store enrollDefaultSecureBootSignaturesWithError:&error]);
    assert_error(error, VZErrorDomain, VZErrorEFIVariableInaccessible);
    assert_error([[error userInfo] objectForKey:NSUnderlyingErrorKey], NSPOSIXErrorDomain, EINVAL);

    @try {
        [new_store("null.efi", path, sizeof path) getSecureBootEnabled:NULL error:NULL];
    } @catch (NSException *e) {
        raised = [[e name] isEqualToString:NSInvalidArgumentException];
    }
    assert_true(raised);
}
