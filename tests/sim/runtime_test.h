/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runtime_test.h - what the runtime-device suites of the simulated framework
 * share (tests/sim/test_sim_runtime.m has the helpers and main; the tests
 * are in test_sim_vsock.m, test_sim_save.m, test_sim_macos.m,
 * test_sim_console.m, test_sim_state.m and the others SIM_TEST_RUNTIME_SRCS lists).
 */
#ifndef CVZ_RUNTIME_TEST_H
#define CVZ_RUNTIME_TEST_H

#import <Foundation/Foundation.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "11.0/machine_devices.h"
#include "11.0/vsock.h"
#include "11.0/balloon.h"
#include "13.0/devices.h"
#include "core/hold.h"

#define MIB (1024ULL * 1024ULL)

/* The framework's data symbol is reached at run time by clients; the tests
 * compare against the documented value. */
#undef VZErrorDomain
#define VZErrorDomain @"VZErrorDomain"

/* Members the sim's internal header does not declare (another layer's, or the configuration side's). */
@interface NSObject (RuntimeTest)
- (void)setSocketDevices:(NSArray *)devices;
- (void)setMemoryBalloonDevices:(NSArray *)devices;
- (BOOL)validateSaveRestoreSupportWithError:(NSError **)error;
@end

/* Simulated host: version as MAJOR*100+MINOR, and whether it is arm64. */
extern int level;
extern int arm64;
extern char tmpdir[64];

#define REQUIRE_LEVEL(min)                                                     \
    do {                                                                       \
        if (level < (min))                                                     \
            skip();                                                            \
    } while (0)

/* What a completion handler received. */
struct result {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int calls;
    id object;
    NSError *error;
};

struct result_block {
    void *isa;
    int flags;
    int reserved;
    void (*invoke)(void *, ...);
    struct vzsim_block_descriptor *descriptor;
    struct result *result; /* captured */
};


id new_object(const char *class_name); /* alloc/init by class name; +1 */
NSURL *file_url(const char *path);
void tmp_path(char *out, size_t size, const char *name);
void sleep_ms(long ms);

/* How long a wait for something the test set in motion may take before the
 * test fails instead of hanging: generous, as valgrind on a loaded machine is
 * slow; a passing test never waits for it to run out. */
#define WAIT_MS 60000
/* Milliseconds since `start` (CLOCK_MONOTONIC). */
long ms_since(const struct timespec *start);
/* Polls `cond` every millisecond until it holds, for WAIT_MS at most. */
#define WAIT_UNTIL(cond)                                                                 \
    do {                                                                                 \
        struct timespec wait_start_;                                                     \
        clock_gettime(CLOCK_MONOTONIC, &wait_start_);                                    \
        while (!(cond) && ms_since(&wait_start_) < WAIT_MS)                              \
            sleep_ms(1);                                                                 \
    } while (0)

/* The simulator's holds (sim/core/hold.m): with CVZ_SIM_HOLD naming a
 * transition, it stays parked until released; these fail the test when the
 * simulated version has no holds (below 11.0). */
int sim_release(const char *what);
int sim_wait_held(const char *what, int count, long ms);

void result_init(struct result *r);
void result_destroy(struct result *r);
/* A stack block capturing `r`: void (^)(NSError *), or void (^)(id, NSError *) with `with_object`. */
struct result_block make_block(struct result *r, int with_object);
/* Waits (ms at most, plus one second) for the handler; 1 when it ran exactly once. */
int result_wait(struct result *r, long ms);
/* `error` is in `domain` with `code`. */
void assert_error(NSError *error, NSString *domain, NSInteger code);
/* The implementation of `sel` (a class method with `class_method`) of class `cls` is in the library `lib`. */
void assert_implemented_in(const char *cls, SEL sel, int class_method, const char *lib);

/* A valid Linux configuration (autoreleased) with that many socket and balloon devices. */
VZVirtualMachineConfiguration *make_config(int sockets, int balloons, uint64_t memory);
VZVirtualMachine *new_vm(VZVirtualMachineConfiguration *config); /* +1 */
/* Calls `- (void)sel:(void (^)(NSError *))handler` with a stack block, waits, returns the error. */
NSError *call_and_wait(id receiver, SEL sel);
void start_vm(VZVirtualMachine *vm);

/* The tests. */
void test_devices_follow_configuration(void **state);
void test_vsock_connect_echo(void **state);
void test_vsock_connect_errors(void **state);
void test_vsock_guest_connects(void **state);
void test_vsock_listener_rules(void **state);
void test_balloon_target(void **state);
void test_save_restore_presence(void **state);
void test_save_wrong_state(void **state);
void test_save_restore_round_trip(void **state);
void test_restore_refusals(void **state);
void test_validate_save_restore_support(void **state);
void test_macos_presence(void **state);
void test_restore_image_load(void **state);
void test_restore_image_errors(void **state);
void test_fetch_latest(void **state);
void test_installer(void **state);
void test_installer_rules(void **state);
void test_multiple_share_presence(void **state);
void test_multiple_share_names(void **state);
void test_multiple_share_init(void **state);
void test_multiple_share_in_configuration(void **state);
void test_usb_presence(void **state);
void test_usb_configuration(void **state);
void test_usb_runtime(void **state);
void test_usb_attach_failures(void **state);
void test_usb_off_queue_raises(void **state);
void test_efi_secure_boot_presence(void **state);
void test_efi_secure_boot_state(void **state);
void test_efi_secure_boot_errors(void **state);
void test_virtio_presence(void **state);
void test_virtio_configuration_rules(void **state);
void test_virtio_device_life(void **state);
void test_virtio_elements(void **state);
void test_virtio_save_restore(void **state);
void test_console_echo_and_poweroff(void **state);
void test_console_panic(void **state);
void test_console_end_of_input(void **state);
void test_console_release_while_reading(void **state);
void test_console_descriptors_are_its_own(void **state);
void test_state_is_observable(void **state);
void test_vsock_reset_when_guest_stops(void **state);

#endif
