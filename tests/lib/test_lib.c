/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_lib.c - libcvz through its public API against the simulated
 * Virtualization.framework.
 *
 * The Makefile runs this suite once per simulated host (macOS version and
 * architecture, from CVZ_SIM_MACOS_VERSION / CVZ_SIM_ARCH); expectations
 * follow the host: below 11.0 nothing is available, below 12.0 the forced
 * stop is absent.  CVZ_TEST_EXPECT selects the special runs: "no-framework"
 * (the framework can't be loaded) and "old-framework" (the framework lacks
 * what the host's version promises).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cvz/cvz.h>

#include "fixture.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- configuration -------------------------------------------------------- */

static void test_valid_configuration(void **state)
{
    (void)state;
    struct config c;
    make_config(&c);
    cvz_error *e = NULL;
    assert_int_equal(cvz_virtual_machine_configuration_validate(c.config, &e), 0);
    assert_ok(e);
    free_config(&c);
}

/* Getters return what the setters stored: each wrapper reaches its own selector. */
static void test_round_trips(void **state)
{
    (void)state;
    struct config c;
    make_config(&c);
    cvz_error *e = NULL;
    assert_int_equal(cvz_virtual_machine_configuration_cpu_count(c.config, &e), 2);
    assert_int_equal(cvz_virtual_machine_configuration_set_cpu_count(c.config, 3, &e), 0);
    assert_int_equal(cvz_virtual_machine_configuration_cpu_count(c.config, &e), 3);
    assert_int_equal(cvz_virtual_machine_configuration_memory_size(c.config, &e), 512 * MIB);

    char *text = cvz_linux_boot_loader_command_line(c.boot, &e);
    assert_string_equal(text, "console=hvc0");
    cvz_free(text);
    text = cvz_linux_boot_loader_kernel_url(c.boot, &e);
    assert_string_equal(text, kernel);
    cvz_free(text);
    text = cvz_linux_boot_loader_initial_ramdisk_url(c.boot, &e);
    assert_string_equal(text, initrd);
    cvz_free(text);
    assert_int_equal(cvz_linux_boot_loader_set_initial_ramdisk_url(c.boot, NULL, &e), 0);
    assert_null(cvz_linux_boot_loader_initial_ramdisk_url(c.boot, &e)); /* nil: NULL, no error */
    assert_ok(e);

    text = cvz_disk_image_storage_device_attachment_url(c.image, &e);
    assert_string_equal(text, disk);
    cvz_free(text);
    assert_false(cvz_disk_image_storage_device_attachment_read_only(c.image, &e));

    size_t count = 99;
    cvz_storage_device_configuration **disks = cvz_virtual_machine_configuration_storage_devices(c.config, &count, &e);
    assert_non_null(disks);
    assert_int_equal(count, 1);
    /* The element is the same block device: its attachment is our disk image. */
    cvz_storage_device_attachment *att = cvz_storage_device_configuration_attachment(disks[0], &e);
    assert_non_null(att);
    text = cvz_disk_image_storage_device_attachment_url((cvz_disk_image_storage_device_attachment *)att, &e);
    assert_string_equal(text, disk);
    cvz_free(text);
    cvz_release(att);
    cvz_handle_array_free(disks, count);

    cvz_boot_loader *boot = cvz_virtual_machine_configuration_boot_loader(c.config, &e);
    assert_non_null(boot);
    text = cvz_linux_boot_loader_command_line((cvz_linux_boot_loader *)boot, &e);
    assert_string_equal(text, "console=hvc0");
    cvz_free(text);
    cvz_release(boot);

    cvz_entropy_device_configuration **none = cvz_virtual_machine_configuration_entropy_devices(c.config, &count, &e);
    assert_int_equal(count, 1);
    cvz_handle_array_free(none, count);
    assert_int_equal(cvz_virtual_machine_configuration_set_entropy_devices(c.config, NULL, 0, &e), 0);
    none = cvz_virtual_machine_configuration_entropy_devices(c.config, &count, &e);
    assert_non_null(none);
    assert_int_equal(count, 0);
    cvz_handle_array_free(none, count);
    assert_ok(e);
    free_config(&c);
}

static void test_class_properties(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    uint64_t min_cpu = cvz_virtual_machine_configuration_minimum_allowed_cpu_count(&e);
    uint64_t max_cpu = cvz_virtual_machine_configuration_maximum_allowed_cpu_count(&e);
    uint64_t min_mem = cvz_virtual_machine_configuration_minimum_allowed_memory_size(&e);
    uint64_t max_mem = cvz_virtual_machine_configuration_maximum_allowed_memory_size(&e);
    assert_ok(e);
    assert_true(min_cpu >= 1 && min_cpu <= max_cpu);
    assert_true(min_mem >= MIB && min_mem < max_mem);
    char *domain = cvz_error_domain(&e);
    assert_ok(e);
    assert_string_equal(domain, "VZErrorDomain");
    cvz_free(domain);
}

/* Each documented rule fails validation with VZErrorDomain code 2 and a reason. */
static void expect_invalid(struct config *c, const char *reason_part)
{
    cvz_error *e = NULL;
    assert_int_equal(cvz_virtual_machine_configuration_validate(c->config, &e), CVZ_E_FRAMEWORK);
    assert_non_null(e);
    assert_string_equal(cvz_error_ns_domain(e), "VZErrorDomain");
    assert_int_equal(cvz_error_ns_code(e), CVZ_ERROR_INVALID_VIRTUAL_MACHINE_CONFIGURATION);
    assert_non_null(strstr(cvz_error_message(e), "-[VZVirtualMachineConfiguration validateWithError:] failed"));
    if (!strstr(cvz_error_failure_reason(e), reason_part) && !strstr(cvz_error_description(e), reason_part))
        fail_msg("reason \"%s\" / description \"%s\" lacks \"%s\"", cvz_error_failure_reason(e),
                 cvz_error_description(e), reason_part);
    cvz_error_free(e);
}

static void test_validation_rules(void **state)
{
    (void)state;
    struct config c;
    cvz_error *e = NULL;
    uint64_t max_cpu = cvz_virtual_machine_configuration_maximum_allowed_cpu_count(NULL);
    uint64_t min_mem = cvz_virtual_machine_configuration_minimum_allowed_memory_size(NULL);
    uint64_t max_mem = cvz_virtual_machine_configuration_maximum_allowed_memory_size(NULL);

    make_config(&c);
    cvz_virtual_machine_configuration_set_cpu_count(c.config, 0, &e);
    expect_invalid(&c, "CPU");
    cvz_virtual_machine_configuration_set_cpu_count(c.config, max_cpu + 1, &e);
    expect_invalid(&c, "CPU");
    cvz_virtual_machine_configuration_set_cpu_count(c.config, 2, &e);
    cvz_virtual_machine_configuration_set_memory_size(c.config, min_mem - MIB, &e);
    expect_invalid(&c, "memory");
    cvz_virtual_machine_configuration_set_memory_size(c.config, max_mem + MIB, &e);
    expect_invalid(&c, "memory");
    cvz_virtual_machine_configuration_set_memory_size(c.config, 512 * MIB + 1000, &e);
    expect_invalid(&c, "1 MiB");
    cvz_virtual_machine_configuration_set_memory_size(c.config, 512 * MIB, &e);
    assert_int_equal(cvz_virtual_machine_configuration_validate(c.config, &e), 0);

    cvz_virtual_machine_configuration_set_boot_loader(c.config, NULL, &e);
    expect_invalid(&c, "boot loader");
    free_config(&c);

    make_config(&c);
    cvz_entropy_device_configuration *two[] = {
        cvz_virtio_entropy_device_configuration_as_entropy_device_configuration(c.entropy),
        cvz_virtio_entropy_device_configuration_as_entropy_device_configuration(c.entropy)};
    cvz_virtual_machine_configuration_set_entropy_devices(c.config, two, 2, &e);
    expect_invalid(&c, "entropy");
    free_config(&c);

    make_config(&c);
    char missing[160];
    snprintf(missing, sizeof missing, "%s/no-such-kernel", dir);
    cvz_linux_boot_loader_set_kernel_url(c.boot, missing, &e);
    expect_invalid(&c, "kernel");
    assert_ok(e);
    free_config(&c);
}

static void test_disk_image_errors(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    char missing[160];
    snprintf(missing, sizeof missing, "%s/no-such-disk.img", dir);
    assert_null(cvz_disk_image_storage_device_attachment_new_with_url_read_only(missing, true, &e));
    assert_non_null(e);
    assert_int_equal(cvz_error_status(e), CVZ_E_FRAMEWORK);
    assert_true(*cvz_error_ns_domain(e) != '\0');
    cvz_error_free(e);
    e = NULL;
    /* A read-only file opens read-only, not read-write (unless we are root, who may write anyway). */
    cvz_disk_image_storage_device_attachment *ro =
        cvz_disk_image_storage_device_attachment_new_with_url_read_only(readonly_disk, true, &e);
    assert_ok(e);
    assert_true(cvz_disk_image_storage_device_attachment_read_only(ro, &e));
    cvz_release(ro);
}

static void test_mac_address(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    cvz_mac_address *mac = cvz_mac_address_new_with_string("52:54:00:AB:cd:EF", &e);
    assert_ok(e);
    char *text = cvz_mac_address_string(mac, &e);
    assert_string_equal(text, "52:54:00:ab:cd:ef");
    /* The same address as six bytes (ether_addr_t), both ways. */
    cvz_ether_address octets = cvz_mac_address_ethernet_address(mac, &e);
    assert_ok(e);
    const uint8_t want[6] = {0x52, 0x54, 0x00, 0xab, 0xcd, 0xef};
    assert_memory_equal(octets.octet, want, 6);
    cvz_free(text);
    cvz_release(mac);
    cvz_ether_address local = {{0x02, 0x00, 0x5e, 0x10, 0x20, 0xff}};
    mac = cvz_mac_address_new_with_ethernet_address(local, &e);
    assert_ok(e);
    text = cvz_mac_address_string(mac, &e);
    assert_string_equal(text, "02:00:5e:10:20:ff");
    assert_true(cvz_mac_address_is_locally_administered_address(mac, &e));
    assert_false(cvz_mac_address_is_universally_administered_address(mac, &e));
    assert_true(cvz_mac_address_is_unicast_address(mac, &e));
    assert_false(cvz_mac_address_is_multicast_address(mac, &e));
    cvz_free(text);
    cvz_release(mac);
    mac = cvz_mac_address_new_with_string("ff:ff:ff:ff:ff:ff", &e);
    assert_true(cvz_mac_address_is_broadcast_address(mac, &e));
    assert_true(cvz_mac_address_is_multicast_address(mac, &e));
    assert_false(cvz_mac_address_is_unicast_address(mac, &e));
    cvz_release(mac);

    const char *bad[] = {"", "52:54:00:ab:cd", "52:54:00:ab:cd:ef:01", "zz:54:00:ab:cd:ef", "525400abcdef"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_null(cvz_mac_address_new_with_string(bad[i], &e));
        assert_failed(e, CVZ_E_INVALID_ARGUMENT, "-[VZMACAddress initWithString:] returned nil");
        e = NULL;
    }
    mac = cvz_mac_address_random_locally_administered_address(&e);
    assert_ok(e);
    text = cvz_mac_address_string(mac, &e);
    unsigned first;
    assert_int_equal(sscanf(text, "%x:", &first), 1);
    assert_true(first & 0x02);    /* locally administered */
    assert_false(first & 0x01);   /* unicast */
    cvz_free(text);
    cvz_release(mac);
}

/* ---- bad input: nothing crashes, every error says what and where ----------- */

static void test_bad_handles(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    assert_int_equal(cvz_virtual_machine_configuration_cpu_count(NULL, &e), 0);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "cvz_virtual_machine_configuration_cpu_count: self is NULL");
    e = NULL;

    cvz_mac_address *mac = cvz_mac_address_random_locally_administered_address(&e);
    assert_int_equal(cvz_virtual_machine_configuration_set_cpu_count((cvz_virtual_machine_configuration *)mac, 2, &e),
                     CVZ_E_WRONG_HANDLE);
    assert_failed(e, CVZ_E_WRONG_HANDLE, "self is a VZMACAddress, not a VZVirtualMachineConfiguration");
    e = NULL;

    cvz_virtual_machine_configuration *config = cvz_virtual_machine_configuration_new(&e);
    assert_int_equal(
        cvz_virtual_machine_configuration_set_boot_loader(config, (cvz_boot_loader *)mac, &e), CVZ_E_WRONG_HANDLE);
    assert_failed(e, CVZ_E_WRONG_HANDLE, "boot_loader is a VZMACAddress, not a VZBootLoader");
    e = NULL;
    cvz_storage_device_configuration *wrong[] = {(cvz_storage_device_configuration *)mac};
    assert_int_equal(cvz_virtual_machine_configuration_set_storage_devices(config, wrong, 1, &e), CVZ_E_WRONG_HANDLE);
    assert_failed(e, CVZ_E_WRONG_HANDLE, "storage_devices[0] is a VZMACAddress, not a VZStorageDeviceConfiguration");
    e = NULL;
    assert_int_equal(cvz_virtual_machine_configuration_set_storage_devices(config, NULL, 3, &e),
                     CVZ_E_INVALID_ARGUMENT);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "storage_devices is NULL but storage_devices_count is 3");
    e = NULL;

    /* Something that is not a handle at all. */
    uint64_t junk[4] = {0x1234, 0, 0, 0};
    assert_int_equal(cvz_virtual_machine_configuration_cpu_count((cvz_virtual_machine_configuration *)junk, &e), 0);
    assert_failed(e, CVZ_E_WRONG_HANDLE, "self is not a cvz handle");
    e = NULL;

    /* A released handle. */
    cvz_release(mac);
    assert_null(cvz_mac_address_string(mac, &e));
    assert_failed(e, CVZ_E_WRONG_HANDLE, "self is a handle that was already released");
    e = NULL;
    cvz_release(config);

    /* Errors are optional: a NULL error pointer is fine. */
    assert_int_equal(cvz_virtual_machine_configuration_cpu_count(NULL, NULL), 0);
}

/* What the overrides say about arguments: a datagram socket, a URL with a scheme. */
static void test_argument_knowledge(void **state)
{
    (void)state;
    if (host() < 1100)
        return; /* nothing is available; test_host_too_old covers it */
    cvz_error *e = NULL;
    int stream[2], datagram[2], pipe_fds[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, stream), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, datagram), 0);
    assert_int_equal(pipe(pipe_fds), 0);
    assert_null(cvz_file_handle_network_device_attachment_new_with_file_handle(stream[0], &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT,
                  "is a stream socket; a datagram socket (SOCK_DGRAM) is needed");
    e = NULL;
    assert_null(cvz_file_handle_network_device_attachment_new_with_file_handle(pipe_fds[0], &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "is not a socket");
    e = NULL;
    assert_null(cvz_file_handle_network_device_attachment_new_with_file_handle(-1, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "file_handle (-1) is not a file descriptor");
    e = NULL;
    cvz_file_handle_network_device_attachment *net =
        cvz_file_handle_network_device_attachment_new_with_file_handle(datagram[0], &e);
    assert_ok(e);
    assert_non_null(net);
    cvz_release(net);
    for (int i = 0; i < 2; i++) {
        close(stream[i]);
        close(datagram[i]);
        close(pipe_fds[i]);
    }
    if (host() < 1400)
        return;
    assert_null(cvz_network_block_device_storage_device_attachment_new_with_url(disk, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "url (\"/tmp/cvz-test-");
    e = NULL;
    assert_int_equal(cvz_network_block_device_storage_device_attachment_validate_url("no scheme here", &e),
                     CVZ_E_INVALID_ARGUMENT);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "is not a URL: it has no scheme (such as nbd://)");
    e = NULL;
}

/* cvz_progress functions refuse what is not a live NSProgress handle. */
static void test_progress_bad_handles(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    assert_true(cvz_progress_fraction_completed(NULL, &e) == 0.0);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "cvz_progress_fraction_completed: progress is NULL");
    e = NULL;
    if (host() < 1100)
        return;
    cvz_virtual_machine_configuration *config = cvz_virtual_machine_configuration_new(&e);
    assert_ok(e);
    assert_int_equal(cvz_progress_cancel((cvz_progress *)config, &e), CVZ_E_WRONG_HANDLE);
    assert_failed(e, CVZ_E_WRONG_HANDLE, "cvz_progress_cancel: progress is a VZVirtualMachineConfiguration, not an NSProgress");
    e = NULL;
    cvz_release(config);
    assert_false(cvz_progress_finished((cvz_progress *)config, &e));
    assert_failed(e, CVZ_E_WRONG_HANDLE, "cvz_progress_finished: progress is a handle that was already released");
}

static void test_bad_values(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    assert_null(cvz_linux_boot_loader_new_with_kernel_url(NULL, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "cvz_linux_boot_loader_new_with_kernel_url: kernel_url is NULL");
    e = NULL;
    assert_null(cvz_linux_boot_loader_new_with_kernel_url("", &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "kernel_url is an empty path");
    e = NULL;
    cvz_linux_boot_loader *boot = cvz_linux_boot_loader_new_with_kernel_url(kernel, &e);
    assert_int_equal(cvz_linux_boot_loader_set_command_line(boot, "bad \xff\xfe utf-8", &e), CVZ_E_INVALID_ARGUMENT);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "command_line is not valid UTF-8");
    e = NULL;
    assert_int_equal(cvz_linux_boot_loader_set_command_line(boot, NULL, &e), CVZ_E_INVALID_ARGUMENT);
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "command_line is NULL");
    e = NULL;
    cvz_release(boot);

    /* File descriptors: closed, negative; and the library's copy outlives the caller's. */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    close(fds[0]);
    assert_null(cvz_file_handle_serial_port_attachment_new_with_file_handle_for_reading_file_handle_for_writing(
        fds[0], -1, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "file_handle_for_reading");
    e = NULL;
    assert_null(cvz_file_handle_serial_port_attachment_new_with_file_handle_for_reading_file_handle_for_writing(
        -7, -1, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "(-7) is not a file descriptor");
    e = NULL;
    cvz_file_handle_serial_port_attachment *att =
        cvz_file_handle_serial_port_attachment_new_with_file_handle_for_reading_file_handle_for_writing(-1, fds[1], &e);
    assert_ok(e);
    close(fds[1]); /* ours; the attachment holds its own duplicate */
    int fd = cvz_file_handle_serial_port_attachment_file_handle_for_writing(att, &e);
    assert_ok(e);
    assert_true(fd >= 0);
    assert_true(fcntl(fd, F_GETFD) != -1);
    close(fd);
    assert_int_equal(cvz_file_handle_serial_port_attachment_file_handle_for_reading(att, &e), -1);
    assert_ok(e);
    cvz_release(att);
}

/* An Objective-C exception becomes an error; the process goes on. */
static void test_exception_barrier(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    cvz_virtual_machine_configuration *config = cvz_virtual_machine_configuration_new(&e);
    assert_ok(e);
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(config, &e); /* no boot loader: invalid */
    assert_null(vm);
    assert_non_null(e);
    assert_int_equal(cvz_error_status(e), CVZ_E_EXCEPTION);
    assert_string_equal(cvz_error_exception_name(e), "NSInvalidArgumentException");
    assert_true(*cvz_error_exception_reason(e) != '\0');
    assert_non_null(strstr(cvz_error_message(e), "-[VZVirtualMachine initWithConfiguration:queue:] raised NSInvalidArgumentException"));
    cvz_error_free(e);
    cvz_release(config);
}

/* ---- the virtual machine ------------------------------------------------- */

static void test_start_and_stop(void **state)
{
    (void)state;
    struct config c;
    make_config(&c);
    cvz_error *e = NULL;
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_state(vm, &e), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    assert_true(cvz_virtual_machine_can_start(vm, &e));
    assert_false(cvz_virtual_machine_can_request_stop(vm, &e));

    /* Asynchronous start: the callback runs once, on another thread. */
    struct completion done = {PTHREAD_MUTEX_INITIALIZER, 0, CVZ_E_TIMEOUT, 0};
    assert_int_equal(cvz_virtual_machine_start(vm, on_complete, &done, &e), 0);
    assert_ok(e);
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_RUNNING), CVZ_VIRTUAL_MACHINE_STATE_RUNNING);
    WAIT_UNTIL(completion_calls(&done) > 0);
    assert_int_equal(completion_calls(&done), 1);
    assert_int_equal(done.status, CVZ_OK);
    assert_false(pthread_equal(done.thread, pthread_self()));

    /* The guest console wrote to our pipe. */
    char buf[256] = "";
    ssize_t n = read(c.console_pipe[0], buf, sizeof buf - 1);
    assert_true(n > 0);
    assert_non_null(strstr(buf, "Linux"));

    /* Starting a running VM is an illegal transition, reported through the completion. */
    assert_false(cvz_virtual_machine_can_start(vm, &e));
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), CVZ_E_FRAMEWORK);
    assert_non_null(e);
    assert_int_equal(cvz_error_ns_code(e), CVZ_ERROR_INVALID_VIRTUAL_MACHINE_STATE_TRANSITION);
    cvz_error_free(e);
    e = NULL;

    /* A guest-side stop. */
    assert_true(cvz_virtual_machine_can_request_stop(vm, &e));
    assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
    assert_ok(e);
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), CVZ_E_FRAMEWORK);
    assert_failed(e, CVZ_E_FRAMEWORK, "-[VZVirtualMachine requestStopWithError:] failed");
    e = NULL;

    /* Blocking start, then the forced stop where the host has it (macOS 12). */
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_state(vm, &e), CVZ_VIRTUAL_MACHINE_STATE_RUNNING);
    if (host() >= 1200) {
        assert_true(cvz_virtual_machine_can_stop(vm, &e));
        assert_int_equal(cvz_virtual_machine_stop_and_wait(vm, WAIT_MS, &e), 0);
        assert_ok(e);
        assert_int_equal(cvz_virtual_machine_state(vm, &e), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    } else {
        assert_false(cvz_virtual_machine_can_stop(vm, &e));
        assert_failed(e, CVZ_E_OS_TOO_OLD, "VZVirtualMachine.canStop requires macOS 12.0; this host runs 11.0");
        e = NULL;
        assert_int_equal(cvz_virtual_machine_stop_and_wait(vm, WAIT_MS, &e), CVZ_E_OS_TOO_OLD);
        assert_failed(e, CVZ_E_OS_TOO_OLD,
                      "-[VZVirtualMachine stopWithCompletionHandler:] requires macOS 12.0; this host runs 11.0");
        e = NULL;
        assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
        assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    }
    cvz_release(vm);
    free_config(&c);
}

/* The VM copies its configuration: later changes don't reach it. */
static void test_configuration_is_copied(void **state)
{
    (void)state;
    struct config c;
    make_config(&c);
    cvz_error *e = NULL;
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_ok(e);
    cvz_virtual_machine_configuration_set_cpu_count(c.config, 0, &e);
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    cvz_release(vm);
    free_config(&c);
}

/* A blocking call that times out returns CVZ_E_TIMEOUT; the late completion is harmless. */
static void test_timeout_and_release_while_pending(void **state)
{
    (void)state;
    setenv("CVZ_SIM_HOLD", "start", 1); /* each start stays `starting` until released */
    struct config c;
    make_config(&c);
    cvz_error *e = NULL;
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, 20, &e), CVZ_E_TIMEOUT);
    assert_failed(e, CVZ_E_TIMEOUT, "-[VZVirtualMachine startWithCompletionHandler:] did not complete within 20 ms");
    e = NULL;
    assert_int_equal(cvz_virtual_machine_state(vm, &e), CVZ_VIRTUAL_MACHINE_STATE_STARTING);
    assert_int_equal(sim_release("start"), 1);
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_RUNNING), CVZ_VIRTUAL_MACHINE_STATE_RUNNING);
    assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);

    /* Release the VM while a start is still pending: the callback still runs, nothing crashes. */
    struct completion done = {PTHREAD_MUTEX_INITIALIZER, 0, CVZ_E_TIMEOUT, 0};
    assert_int_equal(cvz_virtual_machine_start(vm, on_complete, &done, &e), 0);
    cvz_release(vm);
    assert_int_equal(completion_calls(&done), 0);
    unsetenv("CVZ_SIM_HOLD");
    assert_int_equal(sim_release("start"), 1);
    WAIT_UNTIL(completion_calls(&done) > 0);
    assert_int_equal(completion_calls(&done), 1);
    free_config(&c);
}

static int64_t monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/*
 * A timed wait keeps its deadline: it neither ends before its timeout (as a
 * monotonic deadline read as wall-clock time would, at once) nor misses a
 * completion that arrives in time.  The first start is held by the simulator
 * until the wait has timed out, however slowly the machine runs; the second
 * completes no sooner than its delay, so both checks are lower bounds.
 */
static void test_timed_wait_keeps_its_deadline(void **state)
{
    (void)state;
    setenv("CVZ_SIM_HOLD", "start", 1);
    struct config c;
    make_config(&c);
    cvz_error *e = NULL;
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_ok(e);
    int64_t before = monotonic_ms();
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, 100, &e), CVZ_E_TIMEOUT);
    assert_true(monotonic_ms() - before >= 100);
    cvz_error_free(e);
    e = NULL;
    unsetenv("CVZ_SIM_HOLD");
    assert_int_equal(sim_release("start"), 1);
    setenv("CVZ_SIM_START_DELAY_MS", "300", 1);
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_RUNNING), CVZ_VIRTUAL_MACHINE_STATE_RUNNING);
    assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    cvz_release(vm);

    vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_ok(e);
    before = monotonic_ms();
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, 600000, &e), 0);
    assert_ok(e);
    assert_true(monotonic_ms() - before >= 300);
    assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    cvz_release(vm);
    unsetenv("CVZ_SIM_START_DELAY_MS");
    free_config(&c);
}

/* Many create/start/stop/release cycles (run under valgrind by make check-valgrind). */
static void test_cycles(void **state)
{
    (void)state;
    int cycles = getenv("CVZ_TEST_SLOW") ? 20 : 100;
    setenv("CVZ_SIM_START_DELAY_MS", "0", 1);
    setenv("CVZ_SIM_GUEST_SHUTDOWN_DELAY_MS", "0", 1);
    for (int i = 0; i < cycles; i++) {
        struct config c;
        make_config(&c);
        cvz_error *e = NULL;
        cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
        assert_ok(e);
        assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
        assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
        assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
        assert_ok(e);
        cvz_release(vm);
        free_config(&c);
    }
    unsetenv("CVZ_SIM_START_DELAY_MS");
    unsetenv("CVZ_SIM_GUEST_SHUTDOWN_DELAY_MS");
}

/* ---- delegates ------------------------------------------------------------ */

struct delegate_log {
    pthread_mutex_t lock;
    int guest_stops;
    int errors;
    long error_code;
    int state_seen;
    pthread_t thread;
    int destroyed;
};

static void on_guest_stop(cvz_virtual_machine *vm, void *context)
{
    struct delegate_log *log = context;
    pthread_mutex_lock(&log->lock);
    log->guest_stops++;
    log->state_seen = cvz_virtual_machine_state(vm, NULL);
    log->thread = pthread_self();
    pthread_mutex_unlock(&log->lock);
}

static void on_stop_error(cvz_virtual_machine *vm, const cvz_error *error, void *context)
{
    struct delegate_log *log = context;
    (void)vm;
    pthread_mutex_lock(&log->lock);
    log->errors++;
    log->error_code = cvz_error_ns_code(error);
    pthread_mutex_unlock(&log->lock);
}

static void on_destroy(void *context)
{
    struct delegate_log *log = context;
    pthread_mutex_lock(&log->lock);
    log->destroyed++;
    pthread_mutex_unlock(&log->lock);
}

static int log_read(struct delegate_log *log, const int *field)
{
    pthread_mutex_lock(&log->lock);
    int v = *field;
    pthread_mutex_unlock(&log->lock);
    return v;
}

static void wait_for(struct delegate_log *log, const int *field, int value)
{
    WAIT_UNTIL(log_read(log, field) >= value);
}

static void test_delegate_guest_stop(void **state)
{
    (void)state;
    struct delegate_log log = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, -1, 0, 0};
    struct cvz_virtual_machine_delegate_callbacks cb = {
        .size = sizeof cb, .guest_did_stop_virtual_machine = on_guest_stop,
        .virtual_machine_did_stop_with_error = on_stop_error};
    cvz_error *e = NULL;
    struct cvz_virtual_machine_delegate *delegate = cvz_virtual_machine_delegate_new(&cb, &log, on_destroy, &e);
    assert_ok(e);
    struct config c;
    make_config(&c);
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_int_equal(cvz_virtual_machine_set_delegate(vm, delegate, &e), 0);
    assert_ok(e);
    struct cvz_virtual_machine_delegate *got = cvz_virtual_machine_delegate(vm, &e);
    assert_non_null(got);
    cvz_release(got);

    /* A guest-side stop reaches the delegate once, on the machine's thread, in state stopped. */
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
    wait_for(&log, &log.guest_stops, 1);
    assert_int_equal(log_read(&log, &log.guest_stops), 1);
    assert_int_equal(log_read(&log, &log.state_seen), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    assert_false(pthread_equal(log.thread, pthread_self()));
    assert_int_equal(log_read(&log, &log.errors), 0);

    /* A forced stop is not the guest's doing: no delegate call. */
    if (host() >= 1200) {
        assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
        assert_int_equal(cvz_virtual_machine_stop_and_wait(vm, WAIT_MS, &e), 0);
        assert_ok(e);
        /* A guest stop would have reached the delegate on the machine's queue
         * before the stop's completion, which the call above waited for. */
        assert_int_equal(log_read(&log, &log.guest_stops), 1);
    }

    /* The context outlives everything that can call it, and is destroyed once. */
    cvz_release(delegate);
    assert_int_equal(log_read(&log, &log.destroyed), 0); /* the machine still holds it */
    cvz_release(vm);
    wait_for(&log, &log.destroyed, 1);
    assert_int_equal(log_read(&log, &log.destroyed), 1);
    free_config(&c);
}

static void test_delegate_error(void **state)
{
    (void)state;
    setenv("CVZ_SIM_GUEST_CRASH_AFTER_MS", "20", 1);
    struct delegate_log log = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, -1, 0, 0};
    struct cvz_virtual_machine_delegate_callbacks cb = {
        .size = sizeof cb, .guest_did_stop_virtual_machine = on_guest_stop,
        .virtual_machine_did_stop_with_error = on_stop_error};
    cvz_error *e = NULL;
    struct cvz_virtual_machine_delegate *delegate = cvz_virtual_machine_delegate_new(&cb, &log, on_destroy, &e);
    struct config c;
    make_config(&c);
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_int_equal(cvz_virtual_machine_set_delegate(vm, delegate, &e), 0);
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    wait_for(&log, &log.errors, 1);
    unsetenv("CVZ_SIM_GUEST_CRASH_AFTER_MS");
    assert_int_equal(log_read(&log, &log.errors), 1);
    assert_int_equal(log.error_code, CVZ_ERROR_INTERNAL);
    assert_int_equal(cvz_virtual_machine_state(vm, &e), CVZ_VIRTUAL_MACHINE_STATE_ERROR);
    assert_true(cvz_virtual_machine_can_start(vm, &e)); /* error -> start is allowed */
    assert_ok(e);
    cvz_release(vm);
    cvz_release(delegate);
    wait_for(&log, &log.destroyed, 1);
    assert_int_equal(log_read(&log, &log.destroyed), 1);
    free_config(&c);
}

/* A blocking call from inside a callback would wait for itself: refused at once, nothing started. */
struct reentry {
    pthread_mutex_t lock;
    int status;
    bool done;
};

static void on_guest_stop_try_blocking(cvz_virtual_machine *vm, void *context)
{
    struct reentry *r = context;
    cvz_error *e = NULL;
    int status = cvz_virtual_machine_start_and_wait(vm, 1000, &e);
    if (e && !strstr(cvz_error_message(e), "called from a cvz callback"))
        status = -1000;
    cvz_error_free(e);
    pthread_mutex_lock(&r->lock);
    r->status = status;
    r->done = true;
    pthread_mutex_unlock(&r->lock);
}

static void test_blocking_call_in_callback(void **state)
{
    (void)state;
    struct reentry r = {PTHREAD_MUTEX_INITIALIZER, 0, false};
    struct cvz_virtual_machine_delegate_callbacks cb = {
        .size = sizeof cb, .guest_did_stop_virtual_machine = on_guest_stop_try_blocking};
    cvz_error *e = NULL;
    struct cvz_virtual_machine_delegate *delegate = cvz_virtual_machine_delegate_new(&cb, &r, NULL, &e);
    struct config c;
    make_config(&c);
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_int_equal(cvz_virtual_machine_set_delegate(vm, delegate, &e), 0);
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    assert_int_equal(cvz_virtual_machine_request_stop(vm, &e), 0);
    bool done = false;
    WAIT_UNTIL((pthread_mutex_lock(&r.lock), done = r.done, pthread_mutex_unlock(&r.lock), done));
    assert_true(done);
    assert_int_equal(r.status, CVZ_E_WRONG_THREAD);
    assert_int_equal(wait_state(vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    assert_ok(e);
    cvz_release(vm);
    cvz_release(delegate);
    free_config(&c);
}

static void test_delegate_bad_input(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    assert_null(cvz_virtual_machine_delegate_new(NULL, NULL, NULL, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "cvz_virtual_machine_delegate_new: callbacks is NULL");
    e = NULL;
    struct cvz_virtual_machine_delegate_callbacks zero = {.size = 0, .guest_did_stop_virtual_machine = on_guest_stop};
    assert_null(cvz_virtual_machine_delegate_new(&zero, NULL, NULL, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "callbacks->size is 0");
    e = NULL;

    struct config c;
    make_config(&c);
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    cvz_mac_address *mac = cvz_mac_address_random_locally_administered_address(&e);
    assert_int_equal(cvz_virtual_machine_set_delegate(vm, (struct cvz_virtual_machine_delegate *)mac, &e),
                     CVZ_E_WRONG_HANDLE);
    assert_failed(e, CVZ_E_WRONG_HANDLE,
                  "delegate is a VZMACAddress, not a VZVirtualMachineDelegate made by cvz_virtual_machine_delegate_new()");
    e = NULL;
    assert_int_equal(cvz_virtual_machine_set_delegate(vm, NULL, &e), 0); /* nil is allowed */
    assert_null(cvz_virtual_machine_delegate(vm, &e));
    assert_ok(e);

    /* A table from older headers (smaller size): members beyond it are never called. */
    struct delegate_log log = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, -1, 0, 0};
    struct cvz_virtual_machine_delegate_callbacks old = {
        .size = offsetof(struct cvz_virtual_machine_delegate_callbacks, virtual_machine_did_stop_with_error),
        .guest_did_stop_virtual_machine = on_guest_stop,
        .virtual_machine_did_stop_with_error = on_stop_error};
    struct cvz_virtual_machine_delegate *delegate = cvz_virtual_machine_delegate_new(&old, &log, NULL, &e);
    assert_ok(e);
    setenv("CVZ_SIM_GUEST_CRASH_AFTER_MS", "10", 1);
    assert_int_equal(cvz_virtual_machine_set_delegate(vm, delegate, &e), 0);
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    unsetenv("CVZ_SIM_GUEST_CRASH_AFTER_MS");
    WAIT_UNTIL(cvz_virtual_machine_state(vm, NULL) == CVZ_VIRTUAL_MACHINE_STATE_ERROR);
    /* The crash (and any delegate call it makes) ends before a start from
     * `error`, queued behind it on the machine's queue, completes. */
    assert_int_equal(cvz_virtual_machine_start_and_wait(vm, WAIT_MS, &e), 0);
    assert_int_equal(log_read(&log, &log.errors), 0);
    cvz_release(vm);
    cvz_release(delegate);
    cvz_release(mac);
    free_config(&c);
}

/* ---- hosts where things are missing ---------------------------------------- */

/* Below macOS 11 the framework does not exist: every wrapper says so, by version. */
static void test_host_too_old(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    assert_null(cvz_virtual_machine_configuration_new(&e));
    assert_failed(e, CVZ_E_OS_TOO_OLD, "-[VZVirtualMachineConfiguration init] requires macOS 11.0; this host runs 10.15");
    e = NULL;
    assert_null(cvz_mac_address_random_locally_administered_address(&e));
    assert_failed(e, CVZ_E_OS_TOO_OLD, "requires macOS 11.0; this host runs 10.15");
    e = NULL;
    assert_null(cvz_error_domain(&e));
    assert_failed(e, CVZ_E_OS_TOO_OLD, "VZErrorDomain requires macOS 11.0");
}

static void test_no_framework(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    assert_null(cvz_virtual_machine_configuration_new(&e));
    assert_failed(e, CVZ_E_NO_FRAMEWORK, "Virtualization.framework could not be loaded from /nonexistent/Virtualization.so");
    e = NULL;
    assert_int_equal(cvz_virtual_machine_configuration_maximum_allowed_cpu_count(&e), 0);
    assert_failed(e, CVZ_E_NO_FRAMEWORK, "VZVirtualMachineConfiguration.maximumAllowedCPUCount");
}

/* The framework lacks a selector the host's version promises: a distinct status. */
static void test_old_framework(void **state)
{
    (void)state;
    struct config c;
    make_config(&c);
    cvz_error *e = NULL;
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(c.config, &e);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_stop_and_wait(vm, 1000, &e), CVZ_E_MISSING);
    assert_failed(e, CVZ_E_MISSING, "-[VZVirtualMachine stopWithCompletionHandler:] is missing from the "
                                    "Virtualization.framework loaded from");
    cvz_release(vm);
    free_config(&c);
}

static void test_versions(void **state)
{
    (void)state;
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", CVZ_VERSION_MAJOR, CVZ_VERSION_MINOR, CVZ_VERSION_MICRO);
    assert_string_equal(cvz_version(), want);
    const char *arch = getenv("CVZ_SIM_ARCH");
    assert_string_equal(cvz_host_arch(), arch && *arch ? arch : "arm64");
    assert_string_equal(cvz_status_name(CVZ_E_OS_TOO_OLD), "CVZ_E_OS_TOO_OLD");
}

int main(void)
{
    const char *expect = getenv("CVZ_TEST_EXPECT");
    if (expect && strcmp(expect, "no-framework") == 0) {
        const struct CMUnitTest tests[] = {cmocka_unit_test(test_no_framework), cmocka_unit_test(test_versions)};
        return cmocka_run_group_tests(tests, NULL, NULL);
    }
    if (expect && strcmp(expect, "old-framework") == 0) {
        const struct CMUnitTest tests[] = {cmocka_unit_test(test_old_framework)};
        return cmocka_run_group_tests(tests, setup_files, teardown_files);
    }
    if (host() < 1100) {
        const struct CMUnitTest tests[] = {cmocka_unit_test(test_host_too_old), cmocka_unit_test(test_versions)};
        return cmocka_run_group_tests(tests, NULL, NULL);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_valid_configuration),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_class_properties),
        cmocka_unit_test(test_validation_rules),
        cmocka_unit_test(test_disk_image_errors),
        cmocka_unit_test(test_mac_address),
        cmocka_unit_test(test_bad_handles),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_argument_knowledge),
        cmocka_unit_test(test_progress_bad_handles),
        cmocka_unit_test(test_exception_barrier),
        cmocka_unit_test(test_start_and_stop),
        cmocka_unit_test(test_configuration_is_copied),
        cmocka_unit_test(test_timeout_and_release_while_pending),
        cmocka_unit_test(test_timed_wait_keeps_its_deadline),
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_delegate_guest_stop),
        cmocka_unit_test(test_delegate_error),
        cmocka_unit_test(test_delegate_bad_input),
        cmocka_unit_test(test_blocking_call_in_callback),
    };
    return cmocka_run_group_tests(tests, setup_files, teardown_files);
}
