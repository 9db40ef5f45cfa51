/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fixture.c - see fixture.h.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "fixture.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char dir[64];
char kernel[128], initrd[128], disk[128], readonly_disk[128];

int host(void)
{
    return cvz_host_macos_version();
}

void make_file(const char *path, long size, mode_t mode)
{
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, mode);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, size), 0);
    close(fd);
}

int setup_files(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cvz-test-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(kernel, sizeof kernel, "%s/vmlinuz", dir);
    snprintf(initrd, sizeof initrd, "%s/initrd", dir);
    snprintf(disk, sizeof disk, "%s/disk.img", dir);
    snprintf(readonly_disk, sizeof readonly_disk, "%s/ro.img", dir);
    make_file(kernel, 4096, 0644);
    make_file(initrd, 4096, 0644);
    make_file(disk, 1 << 20, 0644);
    make_file(readonly_disk, 1 << 20, 0444);
    return 0;
}

int teardown_files(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

void assert_failed_at(cvz_error *error, cvz_status status, const char *text, const char *file, int line)
{
    if (!error)
        _fail(file, line);
    if (cvz_error_status(error) != status || (text && !strstr(cvz_error_message(error), text))) {
        print_error("%s:%d: got %s \"%s\", want %s containing \"%s\"\n", file, line,
                    cvz_status_name(cvz_error_status(error)), cvz_error_message(error), cvz_status_name(status),
                    text ? text : "");
        cvz_error_free(error);
        _fail(file, line);
    }
    cvz_error_free(error);
}

void assert_ok_at(cvz_error *error, const char *file, int line)
{
    if (error) {
        print_error("%s:%d: unexpected error %s: %s\n", file, line, cvz_status_name(cvz_error_status(error)),
                    cvz_error_message(error));
        cvz_error_free(error);
        _fail(file, line);
    }
}

static void make_config_reading(struct config *c, bool reading)
{
    cvz_error *e = NULL;
    memset(c, 0, sizeof *c);
    c->console_input[0] = c->console_input[1] = -1;
    if (reading)
        assert_int_equal(pipe(c->console_input), 0);
    c->boot = cvz_linux_boot_loader_new_with_kernel_url(kernel, &e);
    assert_ok(e);
    assert_int_equal(cvz_linux_boot_loader_set_command_line(c->boot, "console=hvc0", &e), 0);
    assert_int_equal(cvz_linux_boot_loader_set_initial_ramdisk_url(c->boot, initrd, &e), 0);
    c->image = cvz_disk_image_storage_device_attachment_new_with_url_read_only(disk, false, &e);
    assert_ok(e);
    c->block = cvz_virtio_block_device_configuration_new_with_attachment(
        cvz_disk_image_storage_device_attachment_as_storage_device_attachment(c->image), &e);
    assert_ok(e);
    c->nat = cvz_nat_network_device_attachment_new(&e);
    assert_ok(e);
    c->net = cvz_virtio_network_device_configuration_new(&e);
    assert_ok(e);
    assert_int_equal(cvz_network_device_configuration_set_attachment(
                         cvz_virtio_network_device_configuration_as_network_device_configuration(c->net),
                         cvz_nat_network_device_attachment_as_network_device_attachment(c->nat), &e),
                     0);
    c->entropy = cvz_virtio_entropy_device_configuration_new(&e);
    assert_ok(e);
    assert_int_equal(pipe(c->console_pipe), 0);
    c->console_io = cvz_file_handle_serial_port_attachment_new_with_file_handle_for_reading_file_handle_for_writing(
        c->console_input[0], c->console_pipe[1], &e);
    assert_ok(e);
    c->console = cvz_virtio_console_device_serial_port_configuration_new(&e);
    assert_ok(e);
    assert_int_equal(cvz_serial_port_configuration_set_attachment(
                         cvz_virtio_console_device_serial_port_configuration_as_serial_port_configuration(c->console),
                         cvz_file_handle_serial_port_attachment_as_serial_port_attachment(c->console_io), &e),
                     0);
    c->config = cvz_virtual_machine_configuration_new(&e);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_configuration_set_cpu_count(c->config, 2, &e), 0);
    assert_int_equal(cvz_virtual_machine_configuration_set_memory_size(c->config, 512 * MIB, &e), 0);
    assert_int_equal(cvz_virtual_machine_configuration_set_boot_loader(
                         c->config, cvz_linux_boot_loader_as_boot_loader(c->boot), &e),
                     0);
    cvz_storage_device_configuration *disks[] = {
        cvz_virtio_block_device_configuration_as_storage_device_configuration(c->block)};
    assert_int_equal(cvz_virtual_machine_configuration_set_storage_devices(c->config, disks, 1, &e), 0);
    cvz_network_device_configuration *nets[] = {
        cvz_virtio_network_device_configuration_as_network_device_configuration(c->net)};
    assert_int_equal(cvz_virtual_machine_configuration_set_network_devices(c->config, nets, 1, &e), 0);
    cvz_entropy_device_configuration *rngs[] = {
        cvz_virtio_entropy_device_configuration_as_entropy_device_configuration(c->entropy)};
    assert_int_equal(cvz_virtual_machine_configuration_set_entropy_devices(c->config, rngs, 1, &e), 0);
    cvz_serial_port_configuration *ports[] = {
        cvz_virtio_console_device_serial_port_configuration_as_serial_port_configuration(c->console)};
    assert_int_equal(cvz_virtual_machine_configuration_set_serial_ports(c->config, ports, 1, &e), 0);
    assert_ok(e);
}

void make_config(struct config *c)
{
    make_config_reading(c, false);
}

void make_config_with_input(struct config *c)
{
    make_config_reading(c, true);
}

void free_config(struct config *c)
{
    cvz_release(c->config);
    cvz_release(c->boot);
    cvz_release(c->image);
    cvz_release(c->block);
    cvz_release(c->nat);
    cvz_release(c->net);
    cvz_release(c->entropy);
    cvz_release(c->console_io);
    cvz_release(c->console);
    close(c->console_pipe[0]);
    close(c->console_pipe[1]);
    if (c->console_input[0] >= 0) {
        close(c->console_input[0]);
        close(c->console_input[1]);
    }
}

enum cvz_virtual_machine_state wait_state(cvz_virtual_machine *vm, enum cvz_virtual_machine_state want)
{
    enum cvz_virtual_machine_state now = CVZ_VIRTUAL_MACHINE_STATE_ERROR;
    WAIT_UNTIL((now = cvz_virtual_machine_state(vm, NULL)) == want);
    return now;
}

long ms_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000L;
}

/* Found in the simulator the library loaded (its layers are global). */
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

void on_complete(const cvz_error *error, void *context)
{
    struct completion *c = context;
    pthread_mutex_lock(&c->lock);
    c->calls++;
    c->status = error ? cvz_error_status(error) : CVZ_OK;
    c->thread = pthread_self();
    pthread_mutex_unlock(&c->lock);
}

int completion_calls(struct completion *c)
{
    pthread_mutex_lock(&c->lock);
    int n = c->calls;
    pthread_mutex_unlock(&c->lock);
    return n;
}

