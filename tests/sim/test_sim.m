/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim.m - tests of the simulated Virtualization.framework (cmocka).
 *
 * Usage: test_sim PATH/TO/libVirtualization.so
 * Run once per simulated version, with CVZ_SIM_MACOS_VERSION set (default
 * 27.0); the expectations follow the version.
 *
 * The framework is reached as a client would: dlopen the loader, then
 * objc_getClass by name (never a compile-time class reference, which the
 * GNU runtime would resolve at load time).  The sim's internal header is
 * included only for method declarations; expected numbers are written out.
 * Blocks are built by hand (GCC has no block syntax) following clang's ABI.
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "12.0/machine.h"
#include "core/hold.h"

extern void *_NSConcreteStackBlock[32];

static const char *lib_path;
static void *lib_handle;
static int level; /* simulated version as MAJOR*100+MINOR */
static char tmpdir[64];
static char path_kernel[128], path_initrd[128], path_disk[128], path_odd[128], path_ro[128];

static Class C(const char *name)
{
    return objc_getClass(name);
}

#define REQUIRE_LEVEL(min)                                                     \
    do {                                                                       \
        if (level < (min)) {                                                   \
            skip();                                                            \
        }                                                                      \
    } while (0)

static NSURL *file_url(const char *path)
{
    return [NSURL fileURLWithPath:[NSString stringWithUTF8String:path]];
}

static void write_file(const char *path, size_t size, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)size), 0);
    close(fd);
    assert_int_equal(chmod(path, mode), 0);
}

/* How long a wait for something the test set in motion may take before the
 * test fails instead of hanging: generous, as valgrind on a loaded machine is
 * slow; a passing test never waits for it to run out. */
#define WAIT_MS 60000

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static long elapsed_ms(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000L;
}

/* The simulator's holds (sim/core/hold.m): with CVZ_SIM_HOLD naming a
 * transition, the machine stays in its intermediate state until released. */
static int sim_release(const char *what)
{
    int (*release)(const char *) = (int (*)(const char *))dlsym(RTLD_DEFAULT, "cvz_sim_release");
    assert_non_null(release);
    return release(what);
}

static int sim_wait_held(const char *what, int count, long ms)
{
    int (*wait_held)(const char *, int, long) =
        (int (*)(const char *, int, long))dlsym(RTLD_DEFAULT, "cvz_sim_wait_held");
    assert_non_null(wait_held);
    return wait_held(what, count, ms);
}

/* ---- hand-made completion blocks ------------------------------------------ */

struct completion {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int calls;
    NSError *error;
    pthread_t thread;
};

struct test_block {
    void *isa;
    int flags;
    int reserved;
    void (*invoke)(void *, ...);
    struct vzsim_block_descriptor *descriptor;
    struct completion *completion; /* captured variable */
};

static struct vzsim_block_descriptor test_block_descriptor = {0, sizeof(struct test_block)};

static void completion_invoke(void *block, NSError *error)
{
    struct completion *c = ((struct test_block *)block)->completion;
    pthread_mutex_lock(&c->mu);
    c->calls++;
    [c->error release];
    c->error = [error retain];
    c->thread = pthread_self();
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void completion_init(struct completion *c)
{
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
}

static void completion_destroy(struct completion *c)
{
    [c->error release];
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
}

/* A stack block, as clang would make for a block literal capturing `c`. */
static void block_init(struct test_block *b, struct completion *c)
{
    b->isa = _NSConcreteStackBlock;
    b->flags = 0;
    b->reserved = 0;
    b->invoke = (void (*)(void *, ...))completion_invoke;
    b->descriptor = &test_block_descriptor;
    b->completion = c;
}

/* Wait up to `ms` for at least `calls` calls. */
static int completion_wait(struct completion *c, int calls, long ms)
{
    struct timespec deadline;
    int got;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += ms / 1000;
    deadline.tv_nsec += (ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&c->mu);
    while (c->calls < calls) {
        if (pthread_cond_timedwait(&c->cv, &c->mu, &deadline) != 0)
            break;
    }
    got = c->calls;
    pthread_mutex_unlock(&c->mu);
    return got >= calls;
}

/* Call -startWithCompletionHandler: (or another block-taking selector) with
 * a stack block that is scribbled over right after the call, so the sim
 * must have copied it. */
static void call_with_block(id vm, SEL sel, struct completion *c)
{
    struct test_block b;
    block_init(&b, c);
    ((void (*)(id, SEL, void *))(void (*)(void))objc_msg_lookup(vm, sel))(vm, sel, &b);
    memset(&b, 0xa5, sizeof b);
}

static NSInteger vm_state(VZVirtualMachine *vm)
{
    return [vm state];
}

static int wait_state(VZVirtualMachine *vm, NSInteger state, long ms)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (vm_state(vm) != state) {
        if (elapsed_ms(&start) > ms)
            return 0;
        sleep_ms(1);
    }
    return 1;
}

/* ---- fixtures ---------------------------------------------------------------- */

static int group_setup(void **state)
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    const char *version = getenv("CVZ_SIM_MACOS_VERSION");
    int major = 27, minor = 0;

    (void)state;
    if (version != NULL && *version != '\0' && sscanf(version, "%d.%d", &major, &minor) != 2) {
        fprintf(stderr, "test_sim: cannot parse CVZ_SIM_MACOS_VERSION=%s\n", version);
        return -1;
    }
    level = major * 100 + minor;
    lib_handle = dlopen(lib_path, RTLD_NOW | RTLD_GLOBAL);
    if (lib_handle == NULL) {
        fprintf(stderr, "test_sim: %s\n", dlerror());
        return -1;
    }
    strcpy(tmpdir, "/tmp/cvz-sim-test.XXXXXX");
    if (mkdtemp(tmpdir) == NULL)
        return -1;
    snprintf(path_kernel, sizeof path_kernel, "%s/vmlinuz", tmpdir);
    snprintf(path_initrd, sizeof path_initrd, "%s/initrd.img", tmpdir);
    snprintf(path_disk, sizeof path_disk, "%s/disk.img", tmpdir);
    snprintf(path_odd, sizeof path_odd, "%s/odd.img", tmpdir);
    snprintf(path_ro, sizeof path_ro, "%s/ro.img", tmpdir);
    write_file(path_kernel, 4096, 0644);
    write_file(path_initrd, 4096, 0644);
    write_file(path_disk, 1024 * 1024, 0644);
    write_file(path_odd, 1000, 0644);
    write_file(path_ro, 512, 0444);
    [pool release];
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    unlink(path_kernel);
    unlink(path_initrd);
    unlink(path_disk);
    unlink(path_odd);
    unlink(path_ro);
    rmdir(tmpdir);
    unsetenv("CVZ_SIM_START_DELAY_MS");
    unsetenv("CVZ_SIM_STOP_DELAY_MS");
    unsetenv("CVZ_SIM_GUEST_SHUTDOWN_DELAY_MS");
    unsetenv("CVZ_SIM_HOLD");
    return 0;
}

static int test_setup(void **state)
{
    *state = [[NSAutoreleasePool alloc] init];
    unsetenv("CVZ_SIM_START_DELAY_MS");
    unsetenv("CVZ_SIM_STOP_DELAY_MS");
    unsetenv("CVZ_SIM_GUEST_SHUTDOWN_DELAY_MS");
    unsetenv("CVZ_SIM_HOLD");
    return 0;
}

static int test_teardown(void **state)
{
    [(NSAutoreleasePool *)*state release];
    return 0;
}

/* A configuration that validates: Linux kernel + initrd, 2 CPUs, 512 MiB,
 * one disk, one NAT network device, one entropy device, no serial port. */
static VZVirtualMachineConfiguration *valid_config(void)
{
    VZVirtualMachineConfiguration *config = [[[C("VZVirtualMachineConfiguration") alloc] init] autorelease];
    VZLinuxBootLoader *loader = [[[C("VZLinuxBootLoader") alloc] initWithKernelURL:file_url(path_kernel)] autorelease];
    NSError *error = nil;
    id disk = [[[C("VZDiskImageStorageDeviceAttachment") alloc] initWithURL:file_url(path_disk)
                                                                   readOnly:NO
                                                                      error:&error] autorelease];
    id block = [[[C("VZVirtioBlockDeviceConfiguration") alloc] initWithAttachment:disk] autorelease];
    VZNetworkDeviceConfiguration *net = [[[C("VZVirtioNetworkDeviceConfiguration") alloc] init] autorelease];
    id entropy = [[[C("VZVirtioEntropyDeviceConfiguration") alloc] init] autorelease];

    assert_non_null(disk);
    [loader setCommandLine:@"console=hvc0 root=/dev/vda"];
    [loader setInitialRamdiskURL:file_url(path_initrd)];
    [net setAttachment:[[[C("VZNATNetworkDeviceAttachment") alloc] init] autorelease]];
    [config setBootLoader:loader];
    [config setCPUCount:2];
    [config setMemorySize:512ull * 1024 * 1024];
    [config setStorageDevices:[NSArray arrayWithObject:block]];
    [config setNetworkDevices:[NSArray arrayWithObject:net]];
    [config setEntropyDevices:[NSArray arrayWithObject:entropy]];
    return config;
}

static NSString *failure_of(NSError *error)
{
    return [[error userInfo] objectForKey:@"NSLocalizedFailure"];
}

static NSString *reason_of(NSError *error)
{
    return [[error userInfo] objectForKey:NSLocalizedFailureReasonErrorKey];
}

static int contains(NSString *haystack, const char *needle)
{
    return haystack != nil && [haystack rangeOfString:[NSString stringWithUTF8String:needle]].location != NSNotFound;
}

/* ---- presence by version ---------------------------------------------------------- */

static const char *const slice_classes[][2] = {
    {"VZVirtualMachineConfiguration", "NSObject"},
    {"VZBootLoader", "NSObject"},
    {"VZLinuxBootLoader", "VZBootLoader"},
    {"VZStorageDeviceAttachment", "NSObject"},
    {"VZDiskImageStorageDeviceAttachment", "VZStorageDeviceAttachment"},
    {"VZStorageDeviceConfiguration", "NSObject"},
    {"VZVirtioBlockDeviceConfiguration", "VZStorageDeviceConfiguration"},
    {"VZNetworkDeviceAttachment", "NSObject"},
    {"VZNATNetworkDeviceAttachment", "VZNetworkDeviceAttachment"},
    {"VZNetworkDeviceConfiguration", "NSObject"},
    {"VZVirtioNetworkDeviceConfiguration", "VZNetworkDeviceConfiguration"},
    {"VZMACAddress", "NSObject"},
    {"VZEntropyDeviceConfiguration", "NSObject"},
    {"VZVirtioEntropyDeviceConfiguration", "VZEntropyDeviceConfiguration"},
    {"VZSerialPortAttachment", "NSObject"},
    {"VZFileHandleSerialPortAttachment", "VZSerialPortAttachment"},
    {"VZSerialPortConfiguration", "NSObject"},
    {"VZVirtioConsoleDeviceSerialPortConfiguration", "VZSerialPortConfiguration"},
    {"VZVirtualMachine", "NSObject"},
};

/* class, selector, '-' or '+', macOS level introduced */
static const struct {
    const char *cls;
    const char *sel;
    char kind;
    int since;
} slice_members[] = {
    {"VZVirtualMachineConfiguration", "CPUCount", '-', 1100},
    {"VZVirtualMachineConfiguration", "setCPUCount:", '-', 1100},
    {"VZVirtualMachineConfiguration", "memorySize", '-', 1100},
    {"VZVirtualMachineConfiguration", "setMemorySize:", '-', 1100},
    {"VZVirtualMachineConfiguration", "bootLoader", '-', 1100},
    {"VZVirtualMachineConfiguration", "setBootLoader:", '-', 1100},
    {"VZVirtualMachineConfiguration", "storageDevices", '-', 1100},
    {"VZVirtualMachineConfiguration", "setStorageDevices:", '-', 1100},
    {"VZVirtualMachineConfiguration", "networkDevices", '-', 1100},
    {"VZVirtualMachineConfiguration", "setNetworkDevices:", '-', 1100},
    {"VZVirtualMachineConfiguration", "serialPorts", '-', 1100},
    {"VZVirtualMachineConfiguration", "setSerialPorts:", '-', 1100},
    {"VZVirtualMachineConfiguration", "entropyDevices", '-', 1100},
    {"VZVirtualMachineConfiguration", "setEntropyDevices:", '-', 1100},
    {"VZVirtualMachineConfiguration", "validateWithError:", '-', 1100},
    {"VZVirtualMachineConfiguration", "minimumAllowedCPUCount", '+', 1100},
    {"VZVirtualMachineConfiguration", "maximumAllowedCPUCount", '+', 1100},
    {"VZVirtualMachineConfiguration", "minimumAllowedMemorySize", '+', 1100},
    {"VZVirtualMachineConfiguration", "maximumAllowedMemorySize", '+', 1100},
    {"VZLinuxBootLoader", "initWithKernelURL:", '-', 1100},
    {"VZLinuxBootLoader", "kernelURL", '-', 1100},
    {"VZLinuxBootLoader", "setKernelURL:", '-', 1100},
    {"VZLinuxBootLoader", "commandLine", '-', 1100},
    {"VZLinuxBootLoader", "setCommandLine:", '-', 1100},
    {"VZLinuxBootLoader", "initialRamdiskURL", '-', 1100},
    {"VZLinuxBootLoader", "setInitialRamdiskURL:", '-', 1100},
    {"VZDiskImageStorageDeviceAttachment", "initWithURL:readOnly:error:", '-', 1100},
    {"VZDiskImageStorageDeviceAttachment", "URL", '-', 1100},
    {"VZDiskImageStorageDeviceAttachment", "isReadOnly", '-', 1100},
    {"VZStorageDeviceConfiguration", "attachment", '-', 1100},
    {"VZVirtioBlockDeviceConfiguration", "initWithAttachment:", '-', 1100},
    {"VZNetworkDeviceConfiguration", "attachment", '-', 1100},
    {"VZNetworkDeviceConfiguration", "setAttachment:", '-', 1100},
    {"VZNetworkDeviceConfiguration", "MACAddress", '-', 1100},
    {"VZNetworkDeviceConfiguration", "setMACAddress:", '-', 1100},
    {"VZMACAddress", "initWithString:", '-', 1100},
    {"VZMACAddress", "string", '-', 1100},
    {"VZMACAddress", "randomLocallyAdministeredAddress", '+', 1100},
    {"VZFileHandleSerialPortAttachment", "initWithFileHandleForReading:fileHandleForWriting:", '-', 1100},
    {"VZFileHandleSerialPortAttachment", "fileHandleForReading", '-', 1100},
    {"VZFileHandleSerialPortAttachment", "fileHandleForWriting", '-', 1100},
    {"VZSerialPortConfiguration", "attachment", '-', 1100},
    {"VZSerialPortConfiguration", "setAttachment:", '-', 1100},
    {"VZVirtualMachine", "initWithConfiguration:", '-', 1100},
    {"VZVirtualMachine", "state", '-', 1100},
    {"VZVirtualMachine", "canStart", '-', 1100},
    {"VZVirtualMachine", "canRequestStop", '-', 1100},
    {"VZVirtualMachine", "startWithCompletionHandler:", '-', 1100},
    {"VZVirtualMachine", "requestStopWithError:", '-', 1100},
    {"VZVirtualMachine", "canStop", '-', 1200},
    {"VZVirtualMachine", "stopWithCompletionHandler:", '-', 1200},
};

static void test_presence_by_version(void **state)
{
    size_t i;
    NSString *const *domain = dlsym(RTLD_DEFAULT, "VZErrorDomain");

    (void)state;
    for (i = 0; i < sizeof slice_classes / sizeof slice_classes[0]; i++) {
        Class cls = C(slice_classes[i][0]);
        if (level < 1100) {
            assert_null(cls);
            continue;
        }
        assert_non_null(cls);
        assert_string_equal(class_getName(class_getSuperclass(cls)), slice_classes[i][1]);
    }
    for (i = 0; i < sizeof slice_members / sizeof slice_members[0]; i++) {
        Class cls = C(slice_members[i].cls);
        SEL sel = sel_registerName(slice_members[i].sel);
        Method m;
        if (cls == Nil) {
            assert_true(level < 1100);
            continue;
        }
        m = slice_members[i].kind == '+' ? class_getClassMethod(cls, sel) : class_getInstanceMethod(cls, sel);
        if (level >= slice_members[i].since) {
            if (m == NULL)
                fail_msg("%c[%s %s] missing at level %d", slice_members[i].kind, slice_members[i].cls,
                         slice_members[i].sel, level);
        } else if (m != NULL) {
            fail_msg("%c[%s %s] present at level %d", slice_members[i].kind, slice_members[i].cls,
                     slice_members[i].sel, level);
        }
    }
    if (level < 1100) {
        assert_null(domain);
        return;
    }
    assert_non_null(domain);
    assert_true([*domain isEqualToString:@"VZErrorDomain"]);
    /* Members beyond the hand-written slice come from the skeleton, at their own
     * version too: 12.0's platform property. */
    if (level < 1200)
        assert_null(class_getInstanceMethod(C("VZVirtualMachineConfiguration"), sel_registerName("platform")));
}

/* The 12.0 members come from a category in a library dlopen()ed after the
 * 11.0 layer: check they really attached to the class, from that library. */
static void test_late_category_attaches(void **state)
{
    Method m;
    Dl_info info;
    VZVirtualMachine *vm;
    REQUIRE_LEVEL(1100);
    (void)state;
    m = class_getInstanceMethod(C("VZVirtualMachine"), sel_registerName("stopWithCompletionHandler:"));
    if (level < 1200) {
        assert_null(m);
        assert_null(class_getInstanceMethod(C("VZVirtualMachine"), sel_registerName("canStop")));
        vm = [[C("VZVirtualMachine") alloc] initWithConfiguration:valid_config()];
        assert_false([vm respondsToSelector:sel_registerName("stopWithCompletionHandler:")]);
        [vm release];
        return;
    }
    assert_non_null(m);
    assert_true(dladdr((void *)method_getImplementation(m), &info) != 0);
    assert_non_null(strstr(info.dli_fname, "libVirtualization-12.0.so"));
    vm = [[C("VZVirtualMachine") alloc] initWithConfiguration:valid_config()];
    assert_true([vm respondsToSelector:sel_registerName("stopWithCompletionHandler:")]);
    assert_false([vm canStop]);
    [vm release];
}

/* ---- configuration ------------------------------------------------------------------ */

static void test_limits(void **state)
{
    Class cls;
    REQUIRE_LEVEL(1100);
    (void)state;
    cls = C("VZVirtualMachineConfiguration");
    assert_int_equal([cls minimumAllowedCPUCount], 1);
    assert_int_equal([cls maximumAllowedCPUCount], 64);
    assert_true([cls minimumAllowedMemorySize] == 128ull * 1024 * 1024);
    assert_true([cls maximumAllowedMemorySize] == 64ull * 1024 * 1024 * 1024);
}

static void test_defaults(void **state)
{
    VZVirtualMachineConfiguration *config;
    VZLinuxBootLoader *loader;
    REQUIRE_LEVEL(1100);
    (void)state;
    config = [[[C("VZVirtualMachineConfiguration") alloc] init] autorelease];
    assert_int_equal([config CPUCount], 1);
    assert_null([config bootLoader]);
    assert_int_equal([[config storageDevices] count], 0);
    assert_int_equal([[config networkDevices] count], 0);
    assert_int_equal([[config serialPorts] count], 0);
    assert_int_equal([[config entropyDevices] count], 0);
    loader = [[[C("VZLinuxBootLoader") alloc] initWithKernelURL:file_url(path_kernel)] autorelease];
    assert_true([[loader commandLine] isEqualToString:@""]);
    assert_null([loader initialRamdiskURL]);
    assert_true([[loader kernelURL] isEqual:file_url(path_kernel)]);
}

static void test_valid_config_validates(void **state)
{
    NSError *error = (NSError *)(uintptr_t)1; /* must be left alone on success */
    REQUIRE_LEVEL(1100);
    (void)state;
    assert_true([valid_config() validateWithError:&error]);
    assert_true(error == (NSError *)(uintptr_t)1);
    assert_true([valid_config() validateWithError:NULL]);
}

typedef void (*breaker)(VZVirtualMachineConfiguration *config);

static void break_no_boot_loader(VZVirtualMachineConfiguration *c) { [c setBootLoader:nil]; }
static void break_cpu_zero(VZVirtualMachineConfiguration *c) { [c setCPUCount:0]; }
static void break_cpu_many(VZVirtualMachineConfiguration *c) { [c setCPUCount:65]; }
static void break_memory_unaligned(VZVirtualMachineConfiguration *c) { [c setMemorySize:1000]; }
static void break_memory_small(VZVirtualMachineConfiguration *c) { [c setMemorySize:64ull << 20]; }
static void break_memory_large(VZVirtualMachineConfiguration *c) { [c setMemorySize:65ull << 30]; }
static void break_kernel_not_file(VZVirtualMachineConfiguration *c)
{
    [(VZLinuxBootLoader *)[c bootLoader] setKernelURL:[NSURL URLWithString:@"https://example.invalid/vmlinuz"]];
}
static void break_kernel_missing(VZVirtualMachineConfiguration *c)
{
    [(VZLinuxBootLoader *)[c bootLoader] setKernelURL:file_url("/nonexistent/cvz-sim/vmlinuz")];
}
static void break_kernel_directory(VZVirtualMachineConfiguration *c)
{
    [(VZLinuxBootLoader *)[c bootLoader] setKernelURL:file_url(tmpdir)];
}
static void break_initrd_missing(VZVirtualMachineConfiguration *c)
{
    [(VZLinuxBootLoader *)[c bootLoader] setInitialRamdiskURL:file_url("/nonexistent/cvz-sim/initrd")];
}
static void break_two_entropy(VZVirtualMachineConfiguration *c)
{
    id e1 = [[[C("VZVirtioEntropyDeviceConfiguration") alloc] init] autorelease];
    id e2 = [[[C("VZVirtioEntropyDeviceConfiguration") alloc] init] autorelease];
    [c setEntropyDevices:[NSArray arrayWithObjects:e1, e2, nil]];
}
static void break_storage_element(VZVirtualMachineConfiguration *c)
{
    [c setStorageDevices:[NSArray arrayWithObject:@"not a device"]];
}
static void break_serial_bad_fd(VZVirtualMachineConfiguration *c)
{
    /* A handle whose descriptor was closed behind its back. */
    int fd = dup(2);
    NSFileHandle *bad = [[[NSFileHandle alloc] initWithFileDescriptor:fd closeOnDealloc:NO] autorelease];
    close(fd);
    id attachment = [[[C("VZFileHandleSerialPortAttachment") alloc] initWithFileHandleForReading:nil
                                                                            fileHandleForWriting:bad] autorelease];
    VZSerialPortConfiguration *port = [[[C("VZVirtioConsoleDeviceSerialPortConfiguration") alloc] init] autorelease];
    [port setAttachment:attachment];
    [c setSerialPorts:[NSArray arrayWithObject:port]];
}

static const struct {
    const char *name;
    breaker fn;
    const char *reason;
} rules[] = {
    {"no boot loader", break_no_boot_loader, "A boot loader is required"},
    {"0 CPUs", break_cpu_zero, "The number of CPUs (0) is less than the minimum allowed (1)."},
    {"65 CPUs", break_cpu_many, "The number of CPUs (65) is greater than the maximum allowed (64)."},
    {"unaligned memory", break_memory_unaligned, "The memory size (1000 bytes) must be a multiple of 1 MiB."},
    {"small memory", break_memory_small,
     "The memory size (67108864 bytes) is less than the minimum allowed (134217728 bytes)."},
    {"large memory", break_memory_large,
     "The memory size (69793218560 bytes) is greater than the maximum allowed (68719476736 bytes)."},
    {"kernel not a file URL", break_kernel_not_file,
     "The Linux kernel URL (https://example.invalid/vmlinuz) is not a file URL."},
    {"kernel missing", break_kernel_missing, "The Linux kernel file (/nonexistent/cvz-sim/vmlinuz) does not exist."},
    {"kernel is a directory", break_kernel_directory, "is not a regular file."},
    {"initrd missing", break_initrd_missing,
     "The initial RAM disk file (/nonexistent/cvz-sim/initrd) does not exist."},
    {"two entropy devices", break_two_entropy, "At most one entropy device is allowed (found 2)."},
    {"storage element", break_storage_element, "The storage device at index 0"},
    {"serial bad fd", break_serial_bad_fd, "The file handle for writing of the serial port at index 0 has an invalid file descriptor ("},
};

static void test_validation_rules(void **state)
{
    size_t i;
    REQUIRE_LEVEL(1100);
    (void)state;
    for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
        VZVirtualMachineConfiguration *config = valid_config();
        NSError *error = nil;
        NSString *expected;

        rules[i].fn(config);
        if ([config validateWithError:&error])
            fail_msg("rule '%s': configuration validated", rules[i].name);
        assert_non_null(error);
        assert_true([[error domain] isEqualToString:@"VZErrorDomain"]);
        assert_int_equal([error code], 2); /* VZErrorInvalidVirtualMachineConfiguration */
        assert_true([failure_of(error) isEqualToString:@"Invalid virtual machine configuration."]);
        if (!contains(reason_of(error), rules[i].reason))
            fail_msg("rule '%s': reason '%s' lacks '%s'", rules[i].name, [reason_of(error) UTF8String],
                     rules[i].reason);
        expected = [NSString stringWithFormat:@"%@ %@", failure_of(error), reason_of(error)];
        assert_true([[error localizedDescription] isEqualToString:expected]);
        /* The same answer without an error pointer. */
        assert_false([config validateWithError:NULL]);
        [pool release];
    }
}

static void test_config_copy_is_deep(void **state)
{
    VZVirtualMachineConfiguration *config, *copy;
    VZLinuxBootLoader *loader;
    REQUIRE_LEVEL(1100);
    (void)state;
    config = valid_config();
    copy = [[config copy] autorelease];
    loader = (VZLinuxBootLoader *)[config bootLoader];
    [loader setCommandLine:@"changed"];
    [config setCPUCount:7];
    assert_int_equal([copy CPUCount], 2);
    assert_true([[(VZLinuxBootLoader *)[copy bootLoader] commandLine] isEqualToString:@"console=hvc0 root=/dev/vda"]);
    assert_true([copy bootLoader] != [config bootLoader]);
    assert_true([[copy storageDevices] objectAtIndex:0] != [[config storageDevices] objectAtIndex:0]);
    /* Attachments (host resources) are shared. */
    assert_true([(VZStorageDeviceConfiguration *)[[copy storageDevices] objectAtIndex:0] attachment] ==
                [(VZStorageDeviceConfiguration *)[[config storageDevices] objectAtIndex:0] attachment]);
}

static void expect_invalid_argument(id (*fn)(void), const char *what)
{
    BOOL raised = NO;
    @try {
        fn();
    } @catch (NSException *e) {
        raised = [[e name] isEqualToString:NSInvalidArgumentException];
    }
    if (!raised)
        fail_msg("%s did not raise NSInvalidArgumentException", what);
}

static id make_vm_init(void) { return [[C("VZVirtualMachine") alloc] init]; }
static id make_vm_new(void) { return [C("VZVirtualMachine") new]; }
static id make_mac_init(void) { return [[C("VZMACAddress") alloc] init]; }
static id make_boot_init(void) { return [[C("VZBootLoader") alloc] init]; }
static id make_linux_boot_init(void) { return [[C("VZLinuxBootLoader") alloc] init]; }
static id make_storage_new(void) { return [C("VZStorageDeviceConfiguration") new]; }
static id make_net_attach_init(void) { return [[C("VZNetworkDeviceAttachment") alloc] init]; }
static id make_serial_attach_init(void) { return [[C("VZFileHandleSerialPortAttachment") alloc] init]; }
static id make_entropy_base_init(void) { return [[C("VZEntropyDeviceConfiguration") alloc] init]; }

static void test_unavailable_initializers(void **state)
{
    REQUIRE_LEVEL(1100);
    (void)state;
    expect_invalid_argument(make_vm_init, "-[VZVirtualMachine init]");
    expect_invalid_argument(make_vm_new, "+[VZVirtualMachine new]");
    expect_invalid_argument(make_mac_init, "-[VZMACAddress init]");
    expect_invalid_argument(make_boot_init, "-[VZBootLoader init]");
    expect_invalid_argument(make_linux_boot_init, "-[VZLinuxBootLoader init]");
    expect_invalid_argument(make_storage_new, "+[VZStorageDeviceConfiguration new]");
    expect_invalid_argument(make_net_attach_init, "-[VZNetworkDeviceAttachment init]");
    expect_invalid_argument(make_serial_attach_init, "-[VZFileHandleSerialPortAttachment init]");
    expect_invalid_argument(make_entropy_base_init, "-[VZEntropyDeviceConfiguration init]");
}

/* ---- MAC addresses ---------------------------------------------------------------------- */

static VZMACAddress *mac(NSString *s)
{
    return [[[C("VZMACAddress") alloc] initWithString:s] autorelease];
}

static void check_random_mac(VZMACAddress *address)
{
    unsigned int o[6];
    assert_non_null(address);
    assert_int_equal(sscanf([[address string] UTF8String], "%2x:%2x:%2x:%2x:%2x:%2x", &o[0], &o[1], &o[2], &o[3],
                            &o[4], &o[5]),
                     6);
    assert_true(o[0] & 0x02);    /* locally administered */
    assert_false(o[0] & 0x01);   /* unicast */
    assert_int_equal([[address string] length], 17);
    assert_true([[address string] isEqualToString:[[address string] lowercaseString]]);
}

static void test_mac_address(void **state)
{
    NSString *bad[] = {@"", @"01:23:45:67:89", @"01:23:45:67:89:ag", @"0123456789ab", @"01-23-45-67-89-ab",
                       @"1:23:45:67:89:ab0", @" 01:23:45:67:89:a", @"01:23:45:67:89:ab:", @"01:23:45:67:89:abc",
                       @"g1:23:45:67:89:ab", @"01:23:45:67:89:a "};
    size_t i;
    VZMACAddress *a, *b;
    VZNetworkDeviceConfiguration *n1, *n2;
    REQUIRE_LEVEL(1100);
    (void)state;

    a = mac(@"01:23:45:AB:cd:EF");
    assert_non_null(a);
    assert_true([[a string] isEqualToString:@"01:23:45:ab:cd:ef"]);
    assert_true([[mac([a string]) string] isEqualToString:[a string]]);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (mac(bad[i]) != nil)
            fail_msg("'%s' parsed as a MAC address", [bad[i] UTF8String]);
    }
    for (i = 0; i < 200; i++)
        check_random_mac([C("VZMACAddress") randomLocallyAdministeredAddress]);

    n1 = [[[C("VZVirtioNetworkDeviceConfiguration") alloc] init] autorelease];
    n2 = [[[C("VZVirtioNetworkDeviceConfiguration") alloc] init] autorelease];
    check_random_mac([n1 MACAddress]);
    check_random_mac([n2 MACAddress]);
    assert_false([[[n1 MACAddress] string] isEqualToString:[[n2 MACAddress] string]]);
    assert_null([n1 attachment]);
    b = mac(@"52:54:00:12:34:56");
    [n1 setMACAddress:b];
    assert_true([[[n1 MACAddress] string] isEqualToString:@"52:54:00:12:34:56"]);
}

/* ---- disk image attachments ---------------------------------------------------------------- */

static id disk(NSURL *url, BOOL readOnly, NSError **error)
{
    return [[[C("VZDiskImageStorageDeviceAttachment") alloc] initWithURL:url readOnly:readOnly error:error] autorelease];
}

static void test_disk_attachment(void **state)
{
    NSError *error = nil;
    VZDiskImageStorageDeviceAttachment *ok;
    const char *ro_path = path_ro;
    int fd;
    REQUIRE_LEVEL(1100);
    (void)state;

    ok = disk(file_url(path_disk), NO, &error);
    assert_non_null(ok);
    assert_true([[ok URL] isEqual:file_url(path_disk)]);
    assert_false([ok isReadOnly]);

    error = nil;
    assert_null(disk([NSURL URLWithString:@"https://example.invalid/disk.img"], NO, &error));
    assert_true([[error domain] isEqualToString:@"VZErrorDomain"]);
    assert_int_equal([error code], 5); /* VZErrorInvalidDiskImage */
    assert_true(contains(reason_of(error), "is not a file URL"));

    error = nil;
    assert_null(disk(file_url("/nonexistent/cvz-sim/disk.img"), YES, &error));
    assert_true([[error domain] isEqualToString:NSPOSIXErrorDomain]);
    assert_int_equal([error code], ENOENT);
    assert_true(contains([error localizedDescription], "No such file or directory"));
    assert_null(disk(file_url("/nonexistent/cvz-sim/disk.img"), YES, NULL)); /* NULL error pointer is fine */

    error = nil;
    assert_null(disk(file_url(path_odd), NO, &error));
    assert_int_equal([error code], 5);
    assert_true(contains(reason_of(error), "(1000 bytes) is not a multiple of 512 bytes."));

    error = nil;
    assert_null(disk(file_url(tmpdir), YES, &error));
    assert_int_equal([error code], 5);

    /* A read-only file: fine read-only, refused read-write.  Root ignores
     * file modes, so as root use a file the kernel refuses to open for
     * writing whatever the caller's privileges. */
    fd = open(ro_path, O_RDWR);
    if (fd >= 0) {
        close(fd);
        ro_path = "/sys/kernel/notes";
        fd = open(ro_path, O_RDWR);
        if (fd >= 0 || errno != EACCES) {
            if (fd >= 0)
                close(fd);
            print_message("skipping the read-only check: no file here refuses O_RDWR to this user\n");
            return;
        }
    }
    error = nil;
    assert_null(disk(file_url(ro_path), NO, &error));
    assert_true([[error domain] isEqualToString:NSPOSIXErrorDomain]);
    assert_int_equal([error code], EACCES);
    assert_true(contains(reason_of(error), "read-write"));
    if (ro_path == path_ro) {
        ok = disk(file_url(ro_path), YES, &error);
        assert_non_null(ok);
        assert_true([ok isReadOnly]);
    }
}

/* ---- the virtual machine ---------------------------------------------------------------------- */

static void test_init_with_invalid_configuration_raises(void **state)
{
    VZVirtualMachineConfiguration *config;
    NSException *caught = nil;
    VZVirtualMachine *vm = nil;
    REQUIRE_LEVEL(1100);
    (void)state;
    config = valid_config();
    [config setMemorySize:1000];
    @try {
        vm = [[C("VZVirtualMachine") alloc] initWithConfiguration:config];
    } @catch (NSException *e) {
        caught = [[e retain] autorelease];
    }
    assert_null(vm);
    assert_non_null(caught);
    assert_true([[caught name] isEqualToString:NSInvalidArgumentException]);
    assert_true(contains([caught reason], "Invalid virtual machine configuration."));
    assert_true(contains([caught reason], "The memory size (1000 bytes) must be a multiple of 1 MiB."));
}

static void test_lifecycle(void **state)
{
    VZVirtualMachine *vm;
    struct completion started, again;
    NSError *error = nil;
    REQUIRE_LEVEL(1100);
    (void)state;

    setenv("CVZ_SIM_HOLD", "start", 1); /* `starting` until released below */
    vm = [[C("VZVirtualMachine") alloc] initWithConfiguration:valid_config()];
    assert_non_null(vm);
    assert_int_equal(vm_state(vm), 0); /* stopped */
    assert_true([vm canStart]);
    assert_false([vm canRequestStop]);

    /* requestStop on a stopped machine: NO and the transition error. */
    assert_false([vm requestStopWithError:&error]);
    assert_true([[error domain] isEqualToString:@"VZErrorDomain"]);
    assert_int_equal([error code], 4); /* VZErrorInvalidVirtualMachineStateTransition */

    completion_init(&started);
    call_with_block(vm, @selector(startWithCompletionHandler:), &started);
    /* Never called synchronously inside the call. */
    pthread_mutex_lock(&started.mu);
    assert_int_equal(started.calls, 0);
    pthread_mutex_unlock(&started.mu);
    assert_int_equal(vm_state(vm), 4); /* starting */
    assert_false([vm canStart]);
    assert_false([vm canRequestStop]);

    /* A second start while starting: the completion gets the error. */
    completion_init(&again);
    call_with_block(vm, @selector(startWithCompletionHandler:), &again);
    assert_true(completion_wait(&again, 1, WAIT_MS));
    assert_non_null(again.error);
    assert_int_equal([again.error code], 4);
    assert_true([[again.error domain] isEqualToString:@"VZErrorDomain"]);
    assert_false(pthread_equal(again.thread, pthread_self()));
    assert_int_equal(vm_state(vm), 4); /* still starting: the first start is held */

    assert_int_equal(sim_release("start"), 1);
    assert_true(completion_wait(&started, 1, WAIT_MS));
    assert_null(started.error);
    assert_false(pthread_equal(started.thread, pthread_self()));
    /* Both handlers ran on the same worker: the VM's serial queue. */
    assert_true(pthread_equal(started.thread, again.thread));
    assert_int_equal(vm_state(vm), 1); /* running */
    assert_false([vm canStart]);
    assert_true([vm canRequestStop]);
    if (level >= 1200)
        assert_true([vm canStop]);

    /* The guest honours a stop request; at 12.0+ via `stopping`, held there. */
    setenv("CVZ_SIM_HOLD", "stop", 1);
    error = nil;
    assert_true([vm requestStopWithError:&error]);
    assert_null(error);
    if (level >= 1200) {
        assert_true(sim_wait_held("stop", 1, WAIT_MS));
        assert_int_equal(vm_state(vm), 7); /* stopping */
        assert_false([vm canStart]);
        assert_false([vm canRequestStop]);
        assert_int_equal(sim_release("stop"), 1);
    }
    assert_true(wait_state(vm, 0, WAIT_MS));
    assert_int_equal(sim_release("stop"), 0); /* nothing else was held */
    assert_true([vm canStart]);
    assert_false([vm canRequestStop]);
    pthread_mutex_lock(&started.mu);
    assert_int_equal(started.calls, 1); /* each handler exactly once */
    pthread_mutex_unlock(&started.mu);

    [vm release];
    completion_destroy(&started);
    completion_destroy(&again);
}

static void test_guest_ignores_stop_request(void **state)
{
    VZVirtualMachine *vm;
    struct completion started, stopped;
    REQUIRE_LEVEL(1100);
    (void)state;
    setenv("CVZ_SIM_GUEST_SHUTDOWN_DELAY_MS", "-1", 1);
    vm = [[C("VZVirtualMachine") alloc] initWithConfiguration:valid_config()];
    completion_init(&started);
    call_with_block(vm, @selector(startWithCompletionHandler:), &started);
    assert_true(completion_wait(&started, 1, WAIT_MS));
    /* A guest that would power off parks its power-off here at once, inside
     * the call (see test_guest_power_off_is_held); this one has none. */
    setenv("CVZ_SIM_HOLD", "power-off", 1);
    assert_true([vm requestStopWithError:NULL]);
    assert_false(sim_wait_held("power-off", 1, 0));
    assert_int_equal(vm_state(vm), 1); /* still running */
    if (level >= 1200) {
        completion_init(&stopped);
        call_with_block(vm, sel_registerName("stopWithCompletionHandler:"), &stopped);
        assert_true(completion_wait(&stopped, 1, WAIT_MS));
        assert_null(stopped.error);
        assert_int_equal(vm_state(vm), 0);
        completion_destroy(&stopped);
    }
    [vm release]; /* also fine while running (11.0) */
    completion_destroy(&started);
}

/* The counterpart of the test above: a guest that honours the request has its
 * power-off parked by the hold before requestStopWithError: returns. */
static void test_guest_power_off_is_held(void **state)
{
    VZVirtualMachine *vm;
    struct completion started;
    REQUIRE_LEVEL(1100);
    (void)state;
    vm = [[C("VZVirtualMachine") alloc] initWithConfiguration:valid_config()];
    completion_init(&started);
    call_with_block(vm, @selector(startWithCompletionHandler:), &started);
    assert_true(completion_wait(&started, 1, WAIT_MS));
    setenv("CVZ_SIM_HOLD", "power-off", 1);
    assert_true([vm requestStopWithError:NULL]);
    assert_true(sim_wait_held("power-off", 1, 0));
    assert_int_equal(vm_state(vm), 1); /* running until the guest powers off */
    assert_int_equal(sim_release("power-off"), 1);
    assert_true(wait_state(vm, 0, WAIT_MS));
    [vm release];
    completion_destroy(&started);
}

static void test_stop_12(void **state)
{
    VZVirtualMachine *vm;
    struct completion c1, c2, c3;
    REQUIRE_LEVEL(1200);
    (void)state;
    vm = [[C("VZVirtualMachine") alloc] initWithConfiguration:valid_config()];
    assert_false([vm canStop]);

    /* stop while stopped: error through the handler. */
    completion_init(&c1);
    call_with_block(vm, @selector(stopWithCompletionHandler:), &c1);
    assert_true(completion_wait(&c1, 1, WAIT_MS));
    assert_non_null(c1.error);
    assert_int_equal([c1.error code], 4);
    assert_false(pthread_equal(c1.thread, pthread_self()));

    completion_init(&c2);
    call_with_block(vm, @selector(startWithCompletionHandler:), &c2);
    assert_true(completion_wait(&c2, 1, WAIT_MS));
    assert_null(c2.error);
    assert_true([vm canStop]);

    setenv("CVZ_SIM_HOLD", "stop", 1);
    completion_init(&c3);
    call_with_block(vm, @selector(stopWithCompletionHandler:), &c3);
    assert_int_equal(vm_state(vm), 7); /* stopping */
    assert_false([vm canStop]);
    assert_false([vm canStart]);
    pthread_mutex_lock(&c3.mu);
    assert_int_equal(c3.calls, 0);
    pthread_mutex_unlock(&c3.mu);
    assert_int_equal(sim_release("stop"), 1);
    assert_true(completion_wait(&c3, 1, WAIT_MS));
    assert_null(c3.error);
    assert_int_equal(vm_state(vm), 0);
    assert_true([vm canStart]);

    [vm release];
    completion_destroy(&c1);
    completion_destroy(&c2);
    completion_destroy(&c3);
}

/* Restart after a stop, many VMs at once, and release with work pending. */
static void test_many_vms(void **state)
{
    enum { N = 8 };
    VZVirtualMachine *vms[N];
    struct completion c[N];
    int i;
    REQUIRE_LEVEL(1100);
    (void)state;
    setenv("CVZ_SIM_START_DELAY_MS", "1", 1);
    setenv("CVZ_SIM_GUEST_SHUTDOWN_DELAY_MS", "1", 1);
    setenv("CVZ_SIM_STOP_DELAY_MS", "1", 1);
    for (i = 0; i < N; i++) {
        vms[i] = [[C("VZVirtualMachine") alloc] initWithConfiguration:valid_config()];
        completion_init(&c[i]);
        call_with_block(vms[i], @selector(startWithCompletionHandler:), &c[i]);
    }
    for (i = 0; i < N; i++) {
        assert_true(completion_wait(&c[i], 1, WAIT_MS));
        assert_null(c[i].error);
        assert_true([vms[i] requestStopWithError:NULL]);
    }
    for (i = 0; i < N; i++) {
        assert_true(wait_state(vms[i], 0, WAIT_MS));
        /* start again after the stop */
        call_with_block(vms[i], @selector(startWithCompletionHandler:), &c[i]);
    }
    for (i = 0; i < N; i++) {
        assert_true(completion_wait(&c[i], 2, WAIT_MS));
        assert_null(c[i].error);
    }
    /* Start once more and release at once: the pending start keeps the
     * machine alive until its handler ran. */
    for (i = 0; i < N; i++) {
        assert_true([vms[i] requestStopWithError:NULL]);
        assert_true(wait_state(vms[i], 0, WAIT_MS));
        call_with_block(vms[i], @selector(startWithCompletionHandler:), &c[i]);
        [vms[i] release];
    }
    for (i = 0; i < N; i++) {
        assert_true(completion_wait(&c[i], 3, WAIT_MS));
        completion_destroy(&c[i]);
    }
}

/* ---- serial console ------------------------------------------------------------------------- */

static NSString *read_until(int fd, const char *marker, long ms)
{
    NSMutableData *data = [NSMutableData data];
    long waited = 0;
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    for (;;) {
        char buf[512];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0) {
            [data appendBytes:buf length:(NSUInteger)n];
            if (memmem([data bytes], [data length], marker, strlen(marker)) != NULL)
                break;
            continue;
        }
        if (waited++ >= ms)
            break;
        sleep_ms(1);
    }
    fcntl(fd, F_SETFL, flags);
    return [[[NSString alloc] initWithData:data encoding:NSUTF8StringEncoding] autorelease];
}

static void test_serial_console(void **state)
{
    int out[2], in[2];
    NSFileHandle *writing, *reading;
    id attachment;
    VZSerialPortConfiguration *port;
    VZVirtualMachineConfiguration *config;
    VZVirtualMachine *vm;
    struct completion started;
    NSString *text;
    REQUIRE_LEVEL(1100);
    (void)state;

    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(in), 0);
    writing = [[[NSFileHandle alloc] initWithFileDescriptor:out[1] closeOnDealloc:NO] autorelease];
    reading = [[[NSFileHandle alloc] initWithFileDescriptor:in[0] closeOnDealloc:NO] autorelease];
    attachment = [[[C("VZFileHandleSerialPortAttachment") alloc] initWithFileHandleForReading:reading
                                                                         fileHandleForWriting:writing] autorelease];
    assert_true([attachment fileHandleForWriting] == writing);
    assert_true([attachment fileHandleForReading] == reading);
    port = [[[C("VZVirtioConsoleDeviceSerialPortConfiguration") alloc] init] autorelease];
    assert_null([port attachment]);
    [port setAttachment:attachment];
    config = valid_config();
    [config setSerialPorts:[NSArray arrayWithObject:port]];
    vm = [[C("VZVirtualMachine") alloc] initWithConfiguration:config];

    /* Changes after -initWithConfiguration: do not reach the machine. */
    [(VZLinuxBootLoader *)[config bootLoader] setCommandLine:@"changed after init"];
    [config setSerialPorts:[NSArray array]];

    completion_init(&started);
    call_with_block(vm, @selector(startWithCompletionHandler:), &started);
    assert_true(completion_wait(&started, 1, WAIT_MS));
    text = read_until(out[0], "Welcome to the simulated guest\r\n", WAIT_MS);
    assert_true(contains(text, "Linux version 6.1.0 (cvz simulated guest)\r\n"));
    assert_true(contains(text, "Command line: console=hvc0 root=/dev/vda\r\n"));
    assert_true(contains(text, "Welcome to the simulated guest\r\n"));

    assert_true([vm requestStopWithError:NULL]);
    text = read_until(out[0], "reboot: Power down\r\n", WAIT_MS);
    assert_true(contains(text, "reboot: Power down\r\n"));
    assert_true(wait_state(vm, 0, WAIT_MS));
    [vm release];

    /* The caller's descriptors stay open. */
    assert_true(fcntl(out[1], F_GETFD) != -1);
    assert_true(fcntl(in[0], F_GETFD) != -1);
    close(out[0]);
    close(out[1]);
    close(in[0]);
    close(in[1]);
    completion_destroy(&started);
}

/* Completion handlers and state reads from a thread GNUstep never saw. */
static void *foreign_thread(void *arg)
{
    struct completion *c = arg;
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    VZVirtualMachine *vm = [[C("VZVirtualMachine") alloc] initWithConfiguration:valid_config()];
    call_with_block(vm, @selector(startWithCompletionHandler:), c);
    if (completion_wait(c, 1, WAIT_MS) && c->error == nil && [vm state] == 1)
        c->calls = 100;
    [vm release];
    [pool release];
    return NULL;
}

static void test_foreign_pthread(void **state)
{
    pthread_t thread;
    struct completion c;
    REQUIRE_LEVEL(1100);
    (void)state;
    completion_init(&c);
    assert_int_equal(pthread_create(&thread, NULL, foreign_thread, &c), 0);
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_int_equal(c.calls, 100);
    completion_destroy(&c);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_presence_by_version, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_late_category_attaches, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_limits, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_defaults, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_valid_config_validates, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_validation_rules, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_config_copy_is_deep, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_unavailable_initializers, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_mac_address, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_disk_attachment, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_init_with_invalid_configuration_raises, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_lifecycle, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_guest_ignores_stop_request, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_guest_power_off_is_held, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_stop_12, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_many_vms, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_serial_console, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_foreign_pthread, test_setup, test_teardown),
    };
    char name[64];

    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH/TO/libVirtualization.so\n", argv[0]);
        return 2;
    }
    lib_path = argv[1];
    snprintf(name, sizeof name, "sim (macOS %s)",
             getenv("CVZ_SIM_MACOS_VERSION") ? getenv("CVZ_SIM_MACOS_VERSION") : "27.0 default");
    return _cmocka_run_group_tests(name, tests, sizeof tests / sizeof tests[0], group_setup, group_teardown);
}
