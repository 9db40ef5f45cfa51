/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim_runtime.m - the simulated framework's runtime devices (cmocka):
 * vsock connections and listeners, the memory balloon, save/restore (14.0,
 * arm64) and macOS restore images and installation (12.0, arm64).
 *
 * Usage: test_sim_runtime PATH/TO/libVirtualization.so
 * Run once per simulated host (CVZ_SIM_MACOS_VERSION, CVZ_SIM_ARCH); tests
 * of members the host lacks check that they are absent, then stop.  Blocks
 * are built by hand (GCC has no block syntax) following clang's ABI; classes
 * are looked up by name, as a client would.
 */
#define _GNU_SOURCE
#import <Foundation/Foundation.h>
#include <objc/runtime.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime_test.h"

extern void *_NSConcreteStackBlock[32];

int level;
int arm64;
char tmpdir[64];
static char path_kernel[128];

id new_object(const char *class_name)
{
    return [[objc_getClass(class_name) alloc] init];
}

NSURL *file_url(const char *path)
{
    return [NSURL fileURLWithPath:[NSString stringWithUTF8String:path]];
}

void tmp_path(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", tmpdir, name);
}

void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

long ms_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000L;
}

int sim_release(const char *what)
{
    int (*release)(const char *) = (int (*)(const char *))dlsym(RTLD_DEFAULT, "cvz_sim_release");
    assert_non_null(release);
    return release(what);
}

int sim_wait_held(const char *what, int count, long ms)
{
    int (*wait_held)(const char *, int, long) =
        (int (*)(const char *, int, long))dlsym(RTLD_DEFAULT, "cvz_sim_wait_held");
    assert_non_null(wait_held);
    return wait_held(what, count, ms);
}

/* ---- completion handlers: void (^)(NSError *) and void (^)(id, NSError *) ---- */

static struct vzsim_block_descriptor result_descriptor = {0, sizeof(struct result_block)};

static void result_store(void *block, id object, NSError *error)
{
    struct result *r = ((struct result_block *)block)->result;
    pthread_mutex_lock(&r->mu);
    r->calls++;
    [r->object release];
    r->object = [object retain];
    [r->error release];
    r->error = [error retain];
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

static void invoke_error(void *block, NSError *error)
{
    result_store(block, nil, error);
}

static void invoke_object_error(void *block, id object, NSError *error)
{
    result_store(block, object, error);
}

void result_init(struct result *r)
{
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
}

void result_destroy(struct result *r)
{
    [r->object release];
    [r->error release];
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->mu);
}

/* A stack block capturing `r`, as clang makes for a literal. */
struct result_block make_block(struct result *r, int with_object)
{
    struct result_block b = {_NSConcreteStackBlock, 0, 0, NULL, &result_descriptor, r};
    b.invoke = with_object ? (void (*)(void *, ...))invoke_object_error : (void (*)(void *, ...))invoke_error;
    return b;
}

int result_wait(struct result *r, long ms)
{
    struct timespec deadline;
    int got;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += ms / 1000 + 1;
    pthread_mutex_lock(&r->mu);
    while (r->calls < 1 && pthread_cond_timedwait(&r->cv, &r->mu, &deadline) == 0)
        ;
    got = r->calls;
    pthread_mutex_unlock(&r->mu);
    return got == 1;
}

void assert_error(NSError *error, NSString *domain, NSInteger code)
{
    assert_non_null(error);
    if (![[error domain] isEqual:domain] || [error code] != code)
        fail_msg("got %s %ld (%s), want %s %ld", [[error domain] UTF8String], (long)[error code],
                 [[error localizedDescription] UTF8String], [domain UTF8String], (long)code);
}

/* ---- a machine ---------------------------------------------------------------- */

/* A valid Linux configuration with `sockets` socket devices and `balloons` balloon devices. */
VZVirtualMachineConfiguration *make_config(int sockets, int balloons, uint64_t memory)
{
    VZVirtualMachineConfiguration *config = [new_object("VZVirtualMachineConfiguration") autorelease];
    NSMutableArray *socket_configs = [NSMutableArray array], *balloon_configs = [NSMutableArray array];
    int i;

    [config setBootLoader:[[[objc_getClass("VZLinuxBootLoader") alloc] initWithKernelURL:file_url(path_kernel)]
                              autorelease]];
    [config setCPUCount:2];
    [config setMemorySize:memory];
    for (i = 0; i < sockets; i++)
        [socket_configs addObject:[new_object("VZVirtioSocketDeviceConfiguration") autorelease]];
    for (i = 0; i < balloons; i++)
        [balloon_configs addObject:[new_object("VZVirtioTraditionalMemoryBalloonDeviceConfiguration") autorelease]];
    [(id)config setSocketDevices:socket_configs];
    [(id)config setMemoryBalloonDevices:balloon_configs];
    return config;
}

VZVirtualMachine *new_vm(VZVirtualMachineConfiguration *config)
{
    return [[objc_getClass("VZVirtualMachine") alloc] initWithConfiguration:config];
}

/* Calls a `- (void)xxx:(void (^)(NSError *))handler` method and waits; returns the error (autoreleased). */
NSError *call_and_wait(id receiver, SEL sel)
{
    struct result r;
    struct result_block b;
    NSError *error;

    result_init(&r);
    b = make_block(&r, 0);
    ((void (*)(id, SEL, void *))(void (*)(void))objc_msg_lookup(receiver, sel))(receiver, sel, &b);
    memset(&b, 0xa5, sizeof b); /* the sim must have copied it */
    assert_true(result_wait(&r, WAIT_MS));
    error = [[r.error retain] autorelease];
    result_destroy(&r);
    return error;
}

void start_vm(VZVirtualMachine *vm)
{
    assert_null(call_and_wait(vm, @selector(startWithCompletionHandler:)));
    assert_int_equal([vm state], VZVirtualMachineStateRunning);
}

/* ---- fixtures ---------------------------------------------------------------- */

static int group_setup(void **state)
{
    const char *version = getenv("CVZ_SIM_MACOS_VERSION"), *arch = getenv("CVZ_SIM_ARCH");
    int major = 27, minor = 0, fd;

    (void)state;
    if (version != NULL && *version != '\0' && sscanf(version, "%d.%d", &major, &minor) != 2)
        return -1;
    level = major * 100 + minor;
    arm64 = arch == NULL || *arch == '\0' || strcmp(arch, "arm64") == 0;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cvz-sim-runtime-XXXXXX");
    if (mkdtemp(tmpdir) == NULL)
        return -1;
    tmp_path(path_kernel, sizeof path_kernel, "vmlinuz");
    fd = open(path_kernel, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

static int group_teardown(void **state)
{
    char command[128];
    (void)state;
    snprintf(command, sizeof command, "rm -rf '%s'", tmpdir);
    return system(command) == 0 ? 0 : -1;
}

static NSAutoreleasePool *test_pool;

static int test_setup(void **state)
{
    (void)state;
    test_pool = [[NSAutoreleasePool alloc] init];
    unsetenv("CVZ_SIM_GUEST_VSOCK_PORTS");
    unsetenv("CVZ_SIM_GUEST_CONNECT_PORTS");
    unsetenv("CVZ_SIM_VIRTIO_REQUESTS");
    return 0;
}

static int test_teardown(void **state)
{
    (void)state;
    [test_pool release];
    return 0;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_devices_follow_configuration, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_vsock_connect_echo, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_vsock_connect_errors, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_vsock_guest_connects, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_vsock_listener_rules, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_balloon_target, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_save_restore_presence, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_save_wrong_state, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_save_restore_round_trip, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_restore_refusals, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_validate_save_restore_support, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_macos_presence, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_restore_image_load, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_restore_image_errors, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_fetch_latest, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_installer, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_installer_rules, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_multiple_share_presence, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_multiple_share_names, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_multiple_share_init, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_multiple_share_in_configuration, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_usb_presence, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_usb_configuration, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_usb_runtime, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_usb_attach_failures, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_usb_off_queue_raises, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_efi_secure_boot_presence, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_efi_secure_boot_state, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_efi_secure_boot_errors, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_virtio_presence, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_virtio_configuration_rules, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_virtio_device_life, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_virtio_elements, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_virtio_save_restore, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_console_echo_and_poweroff, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_console_panic, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_console_end_of_input, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_console_release_while_reading, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_console_descriptors_are_its_own, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_state_is_observable, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_vsock_reset_when_guest_stops, test_setup, test_teardown),
    };
    char name[96];

    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH/TO/libVirtualization.so\n", argv[0]);
        return 2;
    }
    if (dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL) == NULL) {
        fprintf(stderr, "test_sim_runtime: %s\n", dlerror());
        return 2;
    }
    /* CVZ_TEST_FILTER=test_console_* runs only the matching tests (a cmocka pattern: * and ?). */
    if (getenv("CVZ_TEST_FILTER") != NULL)
        cmocka_set_test_filter(getenv("CVZ_TEST_FILTER"));
    snprintf(name, sizeof name, "sim runtime devices (macOS %s %s)",
             getenv("CVZ_SIM_MACOS_VERSION") ? getenv("CVZ_SIM_MACOS_VERSION") : "27.0",
             getenv("CVZ_SIM_ARCH") ? getenv("CVZ_SIM_ARCH") : "arm64");
    return _cmocka_run_group_tests(name, tests, sizeof tests / sizeof tests[0], group_setup, group_teardown);
}
