/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim_save.m - saving and restoring a machine (macOS 14.0, arm64 only).
 */
#define _GNU_SOURCE
#include "runtime_test.h"

#include <objc/runtime.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int has_save_restore(void)
{
    return level >= 1400 && arm64;
}

/* Calls save or restore with `url` and waits; returns the error. */
static NSError *save_or_restore(VZVirtualMachine *vm, SEL sel, NSURL *url)
{
    struct result r;
    struct result_block b;
    NSError *error;

    result_init(&r);
    b = make_block(&r, 0);
    ((void (*)(id, SEL, NSURL *, void *))(void (*)(void))objc_msg_lookup(vm, sel))(vm, sel, url, &b);
    memset(&b, 0xa5, sizeof b);
    assert_true(result_wait(&r, WAIT_MS));
    error = [[r.error retain] autorelease];
    result_destroy(&r);
    return error;
}

static NSError *save(VZVirtualMachine *vm, NSURL *url)
{
    return save_or_restore(vm, @selector(saveMachineStateToURL:completionHandler:), url);
}

static NSError *restore(VZVirtualMachine *vm, NSURL *url)
{
    return save_or_restore(vm, @selector(restoreMachineStateFromURL:completionHandler:), url);
}

/* A running machine, then paused. */
static VZVirtualMachine *paused_vm(VZVirtualMachineConfiguration *config)
{
    VZVirtualMachine *vm = new_vm(config);
    start_vm(vm);
    assert_null(call_and_wait(vm, @selector(pauseWithCompletionHandler:)));
    assert_int_equal([vm state], VZVirtualMachineStatePaused);
    return vm;
}

void test_save_restore_presence(void **state)
{
    Class vm = objc_getClass("VZVirtualMachine"), config = objc_getClass("VZVirtualMachineConfiguration");
    int want = has_save_restore();
    (void)state;
    REQUIRE_LEVEL(1100);

    assert_int_equal(class_getInstanceMethod(vm, @selector(saveMachineStateToURL:completionHandler:)) != NULL, want);
    assert_int_equal(class_getInstanceMethod(vm, @selector(restoreMachineStateFromURL:completionHandler:)) != NULL,
                     want);
    assert_int_equal(class_getInstanceMethod(config, @selector(validateSaveRestoreSupportWithError:)) != NULL, want);
}

void test_save_wrong_state(void **state)
{
    VZVirtualMachine *vm;
    char path[128];
    (void)state;
    if (!has_save_restore())
        skip();

    tmp_path(path, sizeof path, "wrong-state.vzsave");
    vm = new_vm(make_config(0, 0, 512 * MIB));
    /* Stopped, then running: only a paused machine saves. */
    assert_error(save(vm, file_url(path)), VZErrorDomain, VZErrorInvalidVirtualMachineState);
    start_vm(vm);
    assert_error(save(vm, file_url(path)), VZErrorDomain, VZErrorInvalidVirtualMachineState);
    assert_int_equal([vm state], VZVirtualMachineStateRunning);
    assert_int_equal(access(path, F_OK), -1); /* nothing written */
    /* Restoring needs a stopped machine. */
    assert_error(restore(vm, file_url(path)), VZErrorDomain, VZErrorInvalidVirtualMachineStateTransition);
    [vm release];
}

void test_save_restore_round_trip(void **state)
{
    VZVirtualMachine *vm, *copy;
    VZVirtualMachineConfiguration *config;
    char path[128];
    BOOL raised = NO;
    (void)state;
    if (!has_save_restore())
        skip();

    tmp_path(path, sizeof path, "round-trip.vzsave");
    config = make_config(1, 1, 512 * MIB);
    vm = paused_vm(config);
    assert_null(save(vm, file_url(path)));
    assert_int_equal([vm state], VZVirtualMachineStatePaused);
    assert_int_equal(access(path, R_OK), 0);

    /* A new machine of the same configuration comes back paused, and runs on. */
    copy = new_vm(config);
    assert_null(restore(copy, file_url(path)));
    assert_int_equal([copy state], VZVirtualMachineStatePaused);
    assert_null(call_and_wait(copy, @selector(resumeWithCompletionHandler:)));
    assert_int_equal([copy state], VZVirtualMachineStateRunning);

    /* A URL that is not a file URL is a programming error. */
    @try {
        save(vm, [NSURL URLWithString:@"https://example.invalid/state"]);
    } @catch (NSException *e) {
        raised = [[e name] isEqual:NSInvalidArgumentException];
    }
    assert_true(raised);
    [vm release];
    [copy release];
}

/* The reason of a VZErrorRestore is in its underlying POSIX error. */
static void assert_restore_error(NSError *error, int posix)
{
    NSError *underlying;
    assert_error(error, VZErrorDomain, VZErrorRestore);
    underlying = [[error userInfo] objectForKey:NSUnderlyingErrorKey];
    assert_error(underlying, NSPOSIXErrorDomain, posix);
}

void test_restore_refusals(void **state)
{
    VZVirtualMachine *vm, *other;
    char path[128], missing[128], corrupt[128];
    FILE *f;
    NSString *text;
    (void)state;
    if (!has_save_restore())
        skip();

    tmp_path(path, sizeof path, "refusals.vzsave");
    tmp_path(missing, sizeof missing, "missing.vzsave");
    tmp_path(corrupt, sizeof corrupt, "corrupt.vzsave");
    vm = paused_vm(make_config(0, 0, 512 * MIB));
    assert_null(save(vm, file_url(path)));
    [vm release];

    /* Another configuration (more memory): refused, the machine stays stopped. */
    other = new_vm(make_config(0, 0, 1024 * MIB));
    assert_restore_error(restore(other, file_url(path)), EINVAL);
    assert_int_equal([other state], VZVirtualMachineStateStopped);
    [other release];

    other = new_vm(make_config(0, 0, 512 * MIB));
    assert_restore_error(restore(other, file_url(missing)), ENOENT);
    assert_int_equal([other state], VZVirtualMachineStateStopped);

    /* One changed byte breaks the checksum. */
    text = [NSString stringWithContentsOfFile:[NSString stringWithUTF8String:path]];
    text = [text stringByReplacingOccurrencesOfString:@"cpus=2" withString:@"cpus=3"];
    f = fopen(corrupt, "w");
    assert_non_null(f);
    fputs([text UTF8String], f);
    fclose(f);
    assert_restore_error(restore(other, file_url(corrupt)), EINVAL);
    f = fopen(corrupt, "w");
    fputs("not a save file\n", f);
    fclose(f);
    assert_restore_error(restore(other, file_url(corrupt)), EINVAL);
    assert_int_equal([other state], VZVirtualMachineStateStopped);

    /* The untouched file still restores. */
    assert_null(restore(other, file_url(path)));
    assert_int_equal([other state], VZVirtualMachineStatePaused);
    [other release];
}

void test_validate_save_restore_support(void **state)
{
    VZVirtualMachineConfiguration *config;
    NSError *error = nil;
    (void)state;
    if (!has_save_restore())
        skip();

    config = make_config(1, 1, 512 * MIB);
    assert_true([config validateSaveRestoreSupportWithError:&error]);
    assert_null(error);
    [config setMemorySize:1000]; /* a configuration that cannot run cannot be saved */
    assert_false([config validateSaveRestoreSupportWithError:&error]);
    assert_error(error, VZErrorDomain, VZErrorInvalidVirtualMachineConfiguration);
}
