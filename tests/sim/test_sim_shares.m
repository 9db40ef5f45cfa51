/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim_shares.m - VZMultipleDirectoryShare (macOS 12.0): name rules,
 * the initializer's copy, and its use as a virtio file system's share.
 */
#define _GNU_SOURCE
#include "runtime_test.h"

#include <dlfcn.h>
#include <limits.h>
#include <objc/runtime.h>
#include <string.h>
#include <sys/stat.h>

@interface NSObject (SharesTest)
+ (BOOL)validateName:(NSString *)name error:(NSError **)error;
+ (NSString *)canonicalizedNameFromName:(NSString *)name;
- (id)initWithDirectories:(NSDictionary *)directories;
- (NSDictionary *)directories;
- (id)initWithURL:(NSURL *)url readOnly:(BOOL)readOnly;
- (id)initWithTag:(NSString *)tag;
- (void)setShare:(id)share;
- (void)setDirectorySharingDevices:(NSArray *)devices;
@end

/* The implementation of `sel` of `cls` comes from the library named `lib`. */
void assert_implemented_in(const char *cls, SEL sel, int class_method, const char *lib)
{
    Class c = objc_getClass(cls);
    Method m;
    Dl_info info;

    assert_non_null(c);
    m = class_method ? class_getClassMethod(c, sel) : class_getInstanceMethod(c, sel);
    assert_non_null(m);
    assert_true(dladdr((void *)method_getImplementation(m), &info) != 0);
    if (strstr(info.dli_fname, lib) == NULL)
        fail_msg("%c[%s %s] comes from %s, not %s", class_method ? '+' : '-', cls, sel_getName(sel),
                 info.dli_fname, lib);
}

static id shared_dir(const char *path)
{
    return [[[objc_getClass("VZSharedDirectory") alloc] initWithURL:file_url(path) readOnly:YES] autorelease];
}

static BOOL init_raises(NSDictionary *directories)
{
    id share = nil;
    BOOL raised = NO;
    @try {
        share = [[objc_getClass("VZMultipleDirectoryShare") alloc] initWithDirectories:directories];
    } @catch (NSException *e) {
        raised = [[e name] isEqualToString:NSInvalidArgumentException];
    }
    [share release];
    return raised;
}

void test_multiple_share_presence(void **state)
{
    (void)state;
    if (level < 1200) {
        assert_null(objc_getClass("VZMultipleDirectoryShare"));
        return;
    }
    assert_implemented_in("VZMultipleDirectoryShare", @selector(initWithDirectories:), 0, "libVirtualization-12.0.so");
    assert_implemented_in("VZMultipleDirectoryShare", @selector(validateName:error:), 1, "libVirtualization-12.0.so");
    assert_implemented_in("VZMultipleDirectoryShare", @selector(directories), 0, "libVirtualization-12.0.so");
}

void test_multiple_share_names(void **state)
{
    Class cls = objc_getClass("VZMultipleDirectoryShare");
    NSError *error = nil;
    char longname[NAME_MAX + 2];
    (void)state;
    REQUIRE_LEVEL(1200);

    assert_true([cls validateName:@"src" error:&error]);
    assert_null(error);
    assert_true([cls validateName:@"caf\u00e9 ~ 1" error:NULL]);
    memset(longname, 'a', NAME_MAX);
    longname[NAME_MAX] = '\0';
    assert_true([cls validateName:[NSString stringWithUTF8String:longname] error:NULL]);
    longname[NAME_MAX] = 'a';
    longname[NAME_MAX + 1] = '\0';
    assert_false([cls validateName:[NSString stringWithUTF8String:longname] error:&error]);
    assert_error(error, VZErrorDomain, VZErrorInvalidVirtualMachineConfiguration);
    error = nil;
    assert_false([cls validateName:@"" error:&error]);
    assert_error(error, VZErrorDomain, VZErrorInvalidVirtualMachineConfiguration);
    assert_false([cls validateName:@"." error:NULL]);
    assert_false([cls validateName:@".." error:NULL]);
    assert_false([cls validateName:@"a/b" error:NULL]);

    assert_true([[cls canonicalizedNameFromName:@"a/b"] isEqual:@"a_b"]);
    assert_true([[cls canonicalizedNameFromName:@"ok"] isEqual:@"ok"]);
    assert_int_equal([[cls canonicalizedNameFromName:[NSString stringWithUTF8String:longname]] length], NAME_MAX);
    assert_null([cls canonicalizedNameFromName:@".."]);
    assert_null([cls canonicalizedNameFromName:@""]);
}

void test_multiple_share_init(void **state)
{
    NSMutableDictionary *dirs = [NSMutableDictionary dictionary];
    id share, empty;
    (void)state;
    REQUIRE_LEVEL(1200);

    [dirs setObject:shared_dir(tmpdir) forKey:@"tmp"];
    share = [[objc_getClass("VZMultipleDirectoryShare") alloc] initWithDirectories:dirs];
    /* A copy: later changes to the caller's dictionary do not reach it. */
    [dirs setObject:shared_dir("/") forKey:@"root"];
    assert_int_equal([[share directories] count], 1);
    assert_non_null([[share directories] objectForKey:@"tmp"]);
    assert_false([share directories] == (id)dirs);
    [share release];

    empty = [[objc_getClass("VZMultipleDirectoryShare") alloc] init];
    assert_int_equal([[empty directories] count], 0);
    [empty release];

    assert_true(init_raises([NSDictionary dictionaryWithObject:shared_dir(tmpdir) forKey:@".."]));
    assert_true(init_raises([NSDictionary dictionaryWithObject:shared_dir(tmpdir) forKey:@"a/b"]));
    assert_true(init_raises([NSDictionary dictionaryWithObject:shared_dir(tmpdir) forKey:@""]));
    assert_true(init_raises([NSDictionary dictionaryWithObject:@"not a directory" forKey:@"x"]));
    assert_true(init_raises(nil));
}

/* As a virtio file system's share: every directory must exist. */
void test_multiple_share_in_configuration(void **state)
{
    VZVirtualMachineConfiguration *config;
    NSMutableDictionary *dirs = [NSMutableDictionary dictionary];
    id fs, share;
    NSError *error = nil;
    char missing[128];
    (void)state;
    REQUIRE_LEVEL(1200);

    tmp_path(missing, sizeof missing, "no-such-directory");
    [dirs setObject:shared_dir(tmpdir) forKey:@"tmp"];
    config = make_config(0, 0, 512 * MIB);
    fs = [[[objc_getClass("VZVirtioFileSystemDeviceConfiguration") alloc] initWithTag:@"shares"] autorelease];
    share = [[[objc_getClass("VZMultipleDirectoryShare") alloc] initWithDirectories:dirs] autorelease];
    [fs setShare:share];
    [(id)config setDirectorySharingDevices:[NSArray arrayWithObject:fs]];
    assert_true([config validateWithError:&error]);

    [dirs setObject:shared_dir(missing) forKey:@"gone"];
    share = [[[objc_getClass("VZMultipleDirectoryShare") alloc] initWithDirectories:dirs] autorelease];
    [fs setShare:share];
    [(id)config setDirectorySharingDevices:[NSArray arrayWithObject:fs]];
    assert_false([config validateWithError:&error]);
    assert_error(error, VZErrorDomain, VZErrorInvalidVirtualMachineConfiguration);
}
