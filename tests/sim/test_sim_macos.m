/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim_macos.m - macOS restore images and installation (macOS 12.0,
 * arm64 only), with restore images in the sim's own format.
 */
#define _GNU_SOURCE
#include "runtime_test.h"

#include <objc/runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

@interface NSObject (TestMacOS)
+ (void)loadFileURL:(NSURL *)url completionHandler:(void *)handler;
+ (void)fetchLatestSupportedWithCompletionHandler:(void *)handler;
- (NSString *)buildVersion;
- (VZSimOperatingSystemVersion)operatingSystemVersion;
- (id)mostFeaturefulSupportedConfiguration;
- (id)hardwareModel;
- (NSUInteger)minimumSupportedCPUCount;
- (uint64_t)minimumSupportedMemorySize;
- (id)initWithVirtualMachine:(id)vm restoreImageURL:(NSURL *)url;
- (void)installWithCompletionHandler:(void *)handler;
- (id)progress;
- (NSURL *)restoreImageURL;
- (id)virtualMachine;
@end

static int has_macos(void)
{
    return level >= 1200 && arm64;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A restore image of macOS `version` at `path`. */
static void write_image(const char *path, const char *version)
{
    char text[256];
    snprintf(text, sizeof text,
             "cvz-sim-restore-image 1\nbuild: 23A344\nversion: %s\nhardware-model: VirtualMac2,1\n"
             "minimum-cpus: 2\nminimum-memory: 4294967296\n",
             version);
    write_text(path, text);
}

/* Loads the image at `url` (fetches the latest when url is nil); r gets the result. */
static void load_image(NSURL *url, struct result *r)
{
    struct result_block b = make_block(r, 1);
    Class cls = objc_getClass("VZMacOSRestoreImage");
    if (url != nil)
        [cls loadFileURL:url completionHandler:&b];
    else
        [cls fetchLatestSupportedWithCompletionHandler:&b];
    memset(&b, 0xa5, sizeof b);
    assert_true(result_wait(r, WAIT_MS));
}

void test_macos_presence(void **state)
{
    (void)state;
    REQUIRE_LEVEL(1100);
    assert_int_equal(objc_getClass("VZMacOSRestoreImage") != Nil, has_macos());
    assert_int_equal(objc_getClass("VZMacOSInstaller") != Nil, has_macos());
    assert_int_equal(objc_getClass("VZMacOSConfigurationRequirements") != Nil, has_macos());
}

void test_restore_image_load(void **state)
{
    char path[128];
    struct result r;
    id image, requirements;
    VZSimOperatingSystemVersion version;
    (void)state;
    if (!has_macos())
        skip();

    tmp_path(path, sizeof path, "restore.ipsw");
    write_image(path, "12.0.1");
    result_init(&r);
    load_image(file_url(path), &r);
    assert_null(r.error);
    image = r.object;
    assert_true([image isKindOfClass:objc_getClass("VZMacOSRestoreImage")]);
    assert_true([[image URL] isEqual:file_url(path)]);
    assert_string_equal([[image buildVersion] UTF8String], "23A344");
    version = [image operatingSystemVersion];
    assert_int_equal(version.majorVersion, 12);
    assert_int_equal(version.minorVersion, 0);
    assert_int_equal(version.patchVersion, 1);
    requirements = [image mostFeaturefulSupportedConfiguration];
    assert_non_null(requirements);
    assert_int_equal([requirements minimumSupportedCPUCount], 2);
    assert_true([requirements minimumSupportedMemorySize] == 4096 * MIB);
    assert_true([[requirements hardwareModel] isKindOfClass:objc_getClass("VZMacHardwareModel")]);
    result_destroy(&r);

    /* A guest newer than the host: loaded, but not supported here. */
    write_image(path, "99.0.0");
    result_init(&r);
    load_image(file_url(path), &r);
    assert_null(r.error);
    assert_null([r.object mostFeaturefulSupportedConfiguration]);
    result_destroy(&r);
}

void test_restore_image_errors(void **state)
{
    char path[128], missing[128];
    struct result r;
    BOOL raised = NO;
    NSInteger load_failed = level >= 1300 ? VZErrorRestoreImageLoadFailed : VZErrorInternal;
    NSInteger invalid = level >= 1300 ? VZErrorInvalidRestoreImage : VZErrorInternal;
    (void)state;
    if (!has_macos())
        skip();

    tmp_path(path, sizeof path, "garbage.ipsw");
    tmp_path(missing, sizeof missing, "missing.ipsw");
    result_init(&r);
    load_image(file_url(missing), &r);
    assert_null(r.object);
    assert_error(r.error, VZErrorDomain, load_failed);
    assert_error([[r.error userInfo] objectForKey:NSUnderlyingErrorKey], NSPOSIXErrorDomain, ENOENT);
    result_destroy(&r);

    write_text(path, "cvz-sim-restore-image 1\nbuild: 1\nversion: twelve\n");
    result_init(&r);
    load_image(file_url(path), &r);
    assert_null(r.object);
    assert_error(r.error, VZErrorDomain, invalid);
    result_destroy(&r);

    @try {
        [objc_getClass("VZMacOSRestoreImage") loadFileURL:[NSURL URLWithString:@"https://example.invalid/x.ipsw"]
                                        completionHandler:NULL];
    } @catch (NSException *e) {
        raised = [[e name] isEqual:NSInvalidArgumentException];
    }
    assert_true(raised);
}

void test_fetch_latest(void **state)
{
    char path[128];
    struct result r;
    (void)state;
    if (!has_macos())
        skip();

    /* No network: the catalog cannot be loaded. */
    unsetenv("CVZ_SIM_RESTORE_IMAGE");
    result_init(&r);
    load_image(nil, &r);
    assert_null(r.object);
    if (level >= 1300)
        assert_error(r.error, VZErrorDomain, 10001);
    else
        assert_error(r.error, @"NSURLErrorDomain", -1009);
    result_destroy(&r);

    /* With a local image standing in for the catalog. */
    tmp_path(path, sizeof path, "latest.ipsw");
    write_image(path, "12.0.0");
    setenv("CVZ_SIM_RESTORE_IMAGE", path, 1);
    result_init(&r);
    load_image(nil, &r);
    unsetenv("CVZ_SIM_RESTORE_IMAGE");
    assert_null(r.error);
    assert_string_equal([[r.object buildVersion] UTF8String], "23A344");
    result_destroy(&r);
}

/* The configuration side's Mac platform classes, reached by name. */
@interface NSObject (TestMacPlatform)
- (id)initWithDataRepresentation:(NSData *)data;
- (id)initWithURL:(NSURL *)url;
- (void)setHardwareModel:(id)model;
- (void)setMachineIdentifier:(id)identifier;
- (void)setAuxiliaryStorage:(id)storage;
- (void)setPlatform:(id)platform;
@end

/* A machine with a Mac platform: the installer refuses any other. */
static VZVirtualMachine *new_mac_vm(void)
{
    VZVirtualMachineConfiguration *config = make_config(0, 0, 512 * MIB);
    id platform = [new_object("VZMacPlatformConfiguration") autorelease];
    char aux[128];
    FILE *f;
    tmp_path(aux, sizeof aux, "aux.img");
    f = fopen(aux, "w");
    assert_non_null(f);
    fclose(f);
    [platform setHardwareModel:[[[objc_getClass("VZMacHardwareModel") alloc]
                                   initWithDataRepresentation:[NSData dataWithBytes:"model" length:5]] autorelease]];
    [platform setMachineIdentifier:[new_object("VZMacMachineIdentifier") autorelease]];
    [platform setAuxiliaryStorage:[[[objc_getClass("VZMacAuxiliaryStorage") alloc] initWithURL:file_url(aux)]
                                      autorelease]];
    [(id)config setPlatform:platform];
    return new_vm(config);
}

void test_installer(void **state)
{
    char path[128];
    VZVirtualMachine *vm;
    id installer;
    id progress;
    double seen = 0.0;
    int seen_running = 0;
    (void)state;
    if (!has_macos())
        skip();

    tmp_path(path, sizeof path, "install.ipsw");
    write_image(path, "12.0.0");
    vm = new_mac_vm();
    installer = [[objc_getClass("VZMacOSInstaller") alloc] initWithVirtualMachine:vm restoreImageURL:file_url(path)];
    assert_ptr_equal([installer virtualMachine], vm);
    assert_true([[installer restoreImageURL] isEqual:file_url(path)]);
    progress = [installer progress];
    assert_true([progress fractionCompleted] == 0.0);

    /* The machine is held starting, then running with 1 step of 10 done. */
    setenv("CVZ_SIM_HOLD", "start,install-step", 1);
    {
        struct result r;
        struct result_block b;
        result_init(&r);
        b = make_block(&r, 0);
        [installer installWithCompletionHandler:&b];
        memset(&b, 0xa5, sizeof b);
        /* The installer starts the machine, which runs while progress moves. */
        assert_int_equal([vm state], VZVirtualMachineStateStarting);
        assert_int_equal(sim_release("start"), 1);
        assert_true(sim_wait_held("install-step", 1, WAIT_MS));
        seen = [progress fractionCompleted];
        seen_running = [vm state] == VZVirtualMachineStateRunning;
        unsetenv("CVZ_SIM_HOLD");
        assert_int_equal(sim_release("install-step"), 1);
        assert_true(result_wait(&r, WAIT_MS));
        assert_null(r.error);
        result_destroy(&r);
    }
    assert_true(seen > 0.0 && seen < 1.0);
    assert_true(seen_running);
    assert_int_equal([vm state], VZVirtualMachineStateStopped); /* stopped before the handler ran */
    assert_true([progress fractionCompleted] == 1.0);
    assert_int_equal([progress completedUnitCount], [progress totalUnitCount]);
    [installer release];
    [vm release];
}

/* Calls install and returns what it raised (nil: nothing), leaving any handler call in r. */
static NSString *install_raises(id installer, struct result *r)
{
    struct result_block b = make_block(r, 0);
    @try {
        [installer installWithCompletionHandler:&b];
    } @catch (NSException *e) {
        return [e name];
    }
    return nil;
}

void test_installer_rules(void **state)
{
    char path[128], garbage[128];
    VZVirtualMachine *vm;
    id installer;
    struct result r;
    NSString *raised = nil;
    (void)state;
    if (!has_macos())
        skip();

    tmp_path(path, sizeof path, "rules.ipsw");
    tmp_path(garbage, sizeof garbage, "rules-garbage.ipsw");
    write_image(path, "12.0.0");
    write_text(garbage, "not an image\n");
    vm = new_mac_vm();

    /* A restore image that is not on disk raises. */
    @try {
        [[objc_getClass("VZMacOSInstaller") alloc] initWithVirtualMachine:vm restoreImageURL:file_url("/nonexistent.ipsw")];
    } @catch (NSException *e) {
        raised = [e name];
    }
    assert_true([raised isEqual:NSInvalidArgumentException]);

    /* A running machine: the handler gets the state error. */
    start_vm(vm);
    installer = [[objc_getClass("VZMacOSInstaller") alloc] initWithVirtualMachine:vm restoreImageURL:file_url(path)];
    result_init(&r);
    assert_null(install_raises(installer, &r));
    assert_true(result_wait(&r, WAIT_MS));
    assert_error(r.error, VZErrorDomain, VZErrorInvalidVirtualMachineState);
    result_destroy(&r);
    /* A second install on the same installer raises. */
    result_init(&r);
    assert_true([install_raises(installer, &r) isEqual:NSInternalInconsistencyException]);
    result_destroy(&r);
    [installer release];
    assert_null(call_and_wait(vm, @selector(stopWithCompletionHandler:)));

    /* An invalid image fails the installation. */
    installer = [[objc_getClass("VZMacOSInstaller") alloc] initWithVirtualMachine:vm restoreImageURL:file_url(garbage)];
    result_init(&r);
    assert_null(install_raises(installer, &r));
    assert_true(result_wait(&r, WAIT_MS));
    assert_error(r.error, VZErrorDomain, level >= 1300 ? VZErrorInstallationFailed : VZErrorInternal);
    assert_int_equal([vm state], VZVirtualMachineStateStopped);
    result_destroy(&r);
    [installer release];

    /* Cancelled while installing: the handler hears of it, the machine stops. */
    setenv("CVZ_SIM_HOLD", "install-step", 1);
    installer = [[objc_getClass("VZMacOSInstaller") alloc] initWithVirtualMachine:vm restoreImageURL:file_url(path)];
    result_init(&r);
    assert_null(install_raises(installer, &r));
    assert_true(sim_wait_held("install-step", 1, WAIT_MS));
    assert_int_equal([vm state], VZVirtualMachineStateRunning);
    [[installer progress] cancel];
    assert_int_equal(sim_release("install-step"), 1);
    assert_true(result_wait(&r, WAIT_MS));
    assert_error(r.error, VZErrorDomain, level >= 1300 ? VZErrorOperationCancelled : VZErrorInternal);
    assert_int_equal([vm state], VZVirtualMachineStateStopped);
    result_destroy(&r);
    [installer release];

    /* Stopped by its owner while installing: the installation fails. */
    installer = [[objc_getClass("VZMacOSInstaller") alloc] initWithVirtualMachine:vm restoreImageURL:file_url(path)];
    result_init(&r);
    assert_null(install_raises(installer, &r));
    assert_true(sim_wait_held("install-step", 1, WAIT_MS));
    assert_null(call_and_wait(vm, @selector(stopWithCompletionHandler:)));
    assert_int_equal(sim_release("install-step"), 1);
    assert_true(result_wait(&r, WAIT_MS));
    assert_error(r.error, VZErrorDomain, level >= 1300 ? VZErrorInstallationFailed : VZErrorInternal);
    assert_int_equal([vm state], VZVirtualMachineStateStopped);
    result_destroy(&r);
    [installer release];
    unsetenv("CVZ_SIM_HOLD");

    /* Cancelled before it starts: raises. */
    installer = [[objc_getClass("VZMacOSInstaller") alloc] initWithVirtualMachine:vm restoreImageURL:file_url(path)];
    [[installer progress] cancel];
    result_init(&r);
    assert_true([install_raises(installer, &r) isEqual:NSInternalInconsistencyException]);
    result_destroy(&r);
    [installer release];
    [vm release];
}
