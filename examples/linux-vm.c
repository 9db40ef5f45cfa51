/* SPDX-License-Identifier: Apache-2.0 */
/*
 * linux-vm.c - configure, validate, start and stop a Linux virtual machine
 * through libcvz, the way Apple's WWDC sample and vfkit do it:
 *
 *   2 CPUs, 2 GiB, VZLinuxBootLoader (kernel, initrd, "console=hvc0"),
 *   a virtio block device on a raw disk image, NAT networking with a random
 *   locally administered MAC address, a virtio entropy device, and a virtio
 *   console whose output is this program's stdout and whose input is a pipe
 *   the program types into, as a person at the console would.
 *
 * Against the simulated framework the guest's console answers: it echoes
 * each line it reads, and `poweroff` shuts the guest down (sim/README.md).
 *
 * usage: linux-vm [KERNEL INITRD DISK]
 * Without arguments it makes placeholder files in a temporary folder (enough
 * for the simulated framework, which checks that they exist).
 */
#define _XOPEN_SOURCE 700
#define _DARWIN_C_SOURCE /* mkdtemp: macOS hides it under _XOPEN_SOURCE alone */
#include <cvz/cvz.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *state_name(enum cvz_virtual_machine_state state)
{
    switch (state) {
    case CVZ_VIRTUAL_MACHINE_STATE_STOPPED: return "stopped";
    case CVZ_VIRTUAL_MACHINE_STATE_RUNNING: return "running";
    case CVZ_VIRTUAL_MACHINE_STATE_PAUSED: return "paused";
    case CVZ_VIRTUAL_MACHINE_STATE_ERROR: return "error";
    case CVZ_VIRTUAL_MACHINE_STATE_STARTING: return "starting";
    case CVZ_VIRTUAL_MACHINE_STATE_PAUSING: return "pausing";
    case CVZ_VIRTUAL_MACHINE_STATE_RESUMING: return "resuming";
    case CVZ_VIRTUAL_MACHINE_STATE_STOPPING: return "stopping";
    case CVZ_VIRTUAL_MACHINE_STATE_SAVING: return "saving";
    case CVZ_VIRTUAL_MACHINE_STATE_RESTORING: return "restoring";
    }
    return "unknown";
}

/* Prints the error and exits: this is an example, every failure is fatal. */
static void check(int failed, cvz_error *error, const char *what)
{
    if (!failed)
        return;
    fprintf(stderr, "linux-vm: %s: %s [%s]\n", what, cvz_error_message(error),
            cvz_status_name(cvz_error_status(error)));
    if (*cvz_error_failure_reason(error))
        fprintf(stderr, "linux-vm:   reason: %s\n", cvz_error_failure_reason(error));
    cvz_error_free(error);
    exit(1);
}

static void make_placeholder(const char *path, long size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size > 0 && (fseek(f, size - 1, SEEK_SET) != 0 || fputc(0, f) == EOF)) || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

/* Prints each state the VM passes through until it reaches `until` or `timeout_ms` elapses. */
static enum cvz_virtual_machine_state watch_states(cvz_virtual_machine *vm, enum cvz_virtual_machine_state last,
                                                   enum cvz_virtual_machine_state until, int timeout_ms)
{
    for (int waited = 0; waited <= timeout_ms; waited += 5) {
        cvz_error *error = NULL;
        enum cvz_virtual_machine_state now = cvz_virtual_machine_state(vm, &error);
        check(error != NULL, error, "reading the state");
        if (now != last)
            printf("state: %s -> %s\n", state_name(last), state_name(now));
        last = now;
        if (now == until)
            break;
        nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL);
    }
    return last;
}

/* Delegate callbacks: how the VM tells us that it stopped by itself.  They run on the VM's queue. */
static void on_guest_stop(cvz_virtual_machine *vm, void *context)
{
    (void)vm;
    (void)context;
    printf("delegate: the guest stopped the virtual machine\n");
}

static void on_stop_error(cvz_virtual_machine *vm, const cvz_error *error, void *context)
{
    (void)vm;
    (void)context;
    printf("delegate: the virtual machine stopped with an error: %s\n", cvz_error_message(error));
}

/* Types a line on the guest's console, then gives the guest a moment to answer on stdout. */
static void type_line(int console_input, const char *line)
{
    printf("host types on the console: %s\n", line);
    if (write(console_input, line, strlen(line)) != (ssize_t)strlen(line) || write(console_input, "\n", 1) != 1) {
        perror("console input");
        exit(1);
    }
    nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
}

static void on_started(const cvz_error *error, void *context)
{
    (void)context;
    if (error)
        printf("start completed with an error: %s\n", cvz_error_message(error));
    else
        printf("start completed\n");
}

int main(int argc, char **argv)
{
    char kernel[512], initrd[512], disk[512];
    /* The guest's console writes to the same stdout: keep our lines in order with it. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 4) {
        snprintf(kernel, sizeof kernel, "%s", argv[1]);
        snprintf(initrd, sizeof initrd, "%s", argv[2]);
        snprintf(disk, sizeof disk, "%s", argv[3]);
    } else if (argc == 1) {
        char dir[] = "/tmp/cvz-linux-vm-XXXXXX";
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            return 1;
        }
        snprintf(kernel, sizeof kernel, "%s/vmlinuz", dir);
        snprintf(initrd, sizeof initrd, "%s/initrd.img", dir);
        snprintf(disk, sizeof disk, "%s/disk.img", dir);
        make_placeholder(kernel, 4096);
        make_placeholder(initrd, 4096);
        make_placeholder(disk, 64L * 1024 * 1024);
        printf("placeholder kernel, initrd and 64 MiB disk in %s\n", dir);
    } else {
        fprintf(stderr, "usage: linux-vm [KERNEL INITRD DISK]\n");
        return 2;
    }
    printf("libcvz %s; host macOS %d.%d on %s\n", cvz_version(), cvz_host_macos_version() / 100,
           cvz_host_macos_version() % 100, cvz_host_arch());

    cvz_error *error = NULL;
    cvz_linux_boot_loader *boot = cvz_linux_boot_loader_new_with_kernel_url(kernel, &error);
    check(!boot, error, "boot loader");
    check(cvz_linux_boot_loader_set_initial_ramdisk_url(boot, initrd, &error), error, "initrd");
    check(cvz_linux_boot_loader_set_command_line(boot, "console=hvc0", &error), error, "command line");

    cvz_disk_image_storage_device_attachment *image =
        cvz_disk_image_storage_device_attachment_new_with_url_read_only(disk, false, &error);
    check(!image, error, "disk image");
    cvz_virtio_block_device_configuration *block = cvz_virtio_block_device_configuration_new_with_attachment(
        cvz_disk_image_storage_device_attachment_as_storage_device_attachment(image), &error);
    check(!block, error, "block device");

    cvz_nat_network_device_attachment *nat = cvz_nat_network_device_attachment_new(&error);
    check(!nat, error, "NAT attachment");
    cvz_virtio_network_device_configuration *net = cvz_virtio_network_device_configuration_new(&error);
    check(!net, error, "network device");
    cvz_network_device_configuration *net_base = cvz_virtio_network_device_configuration_as_network_device_configuration(net);
    check(cvz_network_device_configuration_set_attachment(
              net_base, cvz_nat_network_device_attachment_as_network_device_attachment(nat), &error),
          error, "network attachment");
    cvz_mac_address *mac = cvz_mac_address_random_locally_administered_address(&error);
    check(!mac, error, "MAC address");
    check(cvz_network_device_configuration_set_mac_address(net_base, mac, &error), error, "set MAC address");
    char *mac_text = cvz_mac_address_string(mac, &error);
    check(!mac_text, error, "MAC address text");
    printf("network: NAT, MAC %s\n", mac_text);
    cvz_free(mac_text);

    cvz_virtio_entropy_device_configuration *entropy = cvz_virtio_entropy_device_configuration_new(&error);
    check(!entropy, error, "entropy device");

    int console_input[2];
    if (pipe(console_input) != 0) {
        perror("pipe");
        return 1;
    }
    /* The library duplicates both descriptors: the guest reads console_input[0], writes our stdout. */
    cvz_file_handle_serial_port_attachment *console_io =
        cvz_file_handle_serial_port_attachment_new_with_file_handle_for_reading_file_handle_for_writing(
            console_input[0], STDOUT_FILENO, &error);
    check(!console_io, error, "console attachment");
    close(console_input[0]);
    cvz_virtio_console_device_serial_port_configuration *console =
        cvz_virtio_console_device_serial_port_configuration_new(&error);
    check(!console, error, "console device");
    check(cvz_serial_port_configuration_set_attachment(
              cvz_virtio_console_device_serial_port_configuration_as_serial_port_configuration(console),
              cvz_file_handle_serial_port_attachment_as_serial_port_attachment(console_io), &error),
          error, "console wiring");

    cvz_virtual_machine_configuration *config = cvz_virtual_machine_configuration_new(&error);
    check(!config, error, "configuration");
    check(cvz_virtual_machine_configuration_set_cpu_count(config, 2, &error), error, "CPU count");
    check(cvz_virtual_machine_configuration_set_memory_size(config, 2ULL << 30, &error), error, "memory size");
    check(cvz_virtual_machine_configuration_set_boot_loader(config, cvz_linux_boot_loader_as_boot_loader(boot), &error),
          error, "boot loader");
    cvz_storage_device_configuration *disks[] = {
        cvz_virtio_block_device_configuration_as_storage_device_configuration(block)};
    check(cvz_virtual_machine_configuration_set_storage_devices(config, disks, 1, &error), error, "storage");
    cvz_network_device_configuration *nets[] = {net_base};
    check(cvz_virtual_machine_configuration_set_network_devices(config, nets, 1, &error), error, "network");
    cvz_entropy_device_configuration *rngs[] = {
        cvz_virtio_entropy_device_configuration_as_entropy_device_configuration(entropy)};
    check(cvz_virtual_machine_configuration_set_entropy_devices(config, rngs, 1, &error), error, "entropy");
    cvz_serial_port_configuration *ports[] = {
        cvz_virtio_console_device_serial_port_configuration_as_serial_port_configuration(console)};
    check(cvz_virtual_machine_configuration_set_serial_ports(config, ports, 1, &error), error, "serial ports");

    printf("allowed CPUs %llu..%llu, memory %llu..%llu MiB\n",
           (unsigned long long)cvz_virtual_machine_configuration_minimum_allowed_cpu_count(NULL),
           (unsigned long long)cvz_virtual_machine_configuration_maximum_allowed_cpu_count(NULL),
           (unsigned long long)cvz_virtual_machine_configuration_minimum_allowed_memory_size(NULL) >> 20,
           (unsigned long long)cvz_virtual_machine_configuration_maximum_allowed_memory_size(NULL) >> 20);
    check(cvz_virtual_machine_configuration_validate(config, &error), error, "validation");
    printf("configuration validated: %llu CPUs, %llu MiB\n",
           (unsigned long long)cvz_virtual_machine_configuration_cpu_count(config, NULL),
           (unsigned long long)cvz_virtual_machine_configuration_memory_size(config, NULL) >> 20);

    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(config, &error);
    check(!vm, error, "virtual machine");
    struct cvz_virtual_machine_delegate_callbacks callbacks = {
        .size = sizeof callbacks, .guest_did_stop_virtual_machine = on_guest_stop,
        .virtual_machine_did_stop_with_error = on_stop_error};
    struct cvz_virtual_machine_delegate *delegate = cvz_virtual_machine_delegate_new(&callbacks, NULL, NULL, &error);
    check(!delegate, error, "delegate");
    check(cvz_virtual_machine_set_delegate(vm, delegate, &error), error, "set delegate");
    enum cvz_virtual_machine_state state = cvz_virtual_machine_state(vm, NULL);
    printf("state: %s\n", state_name(state));

    /* Asynchronous start with a C callback, then watch the state machine. */
    check(cvz_virtual_machine_start(vm, on_started, NULL, &error), error, "start");
    state = watch_states(vm, state, CVZ_VIRTUAL_MACHINE_STATE_RUNNING, 5000);

    /* Talk to the guest on its console; then it powers itself off. */
    type_line(console_input[1], "hello from the host");
    type_line(console_input[1], "poweroff");
    state = watch_states(vm, state, CVZ_VIRTUAL_MACHINE_STATE_STOPPED, 5000);

    /* Start again, and ask the guest to power off, as the power button would. */
    check(cvz_virtual_machine_start(vm, on_started, NULL, &error), error, "start");
    state = watch_states(vm, state, CVZ_VIRTUAL_MACHINE_STATE_RUNNING, 5000);

    /* Ask the guest to power off, as the power button would, and watch it stop. */
    check(cvz_virtual_machine_request_stop(vm, &error), error, "request stop");
    printf("stop requested\n");
    state = watch_states(vm, state, CVZ_VIRTUAL_MACHINE_STATE_STOPPED, 5000);

    /* Start again and stop with the blocking variants (timeouts in milliseconds). */
    check(cvz_virtual_machine_start_and_wait(vm, 5000, &error), error, "start (blocking)");
    state = watch_states(vm, state, CVZ_VIRTUAL_MACHINE_STATE_RUNNING, 0);
    int rc = cvz_virtual_machine_stop_and_wait(vm, 5000, &error);
    if (rc == CVZ_E_OS_TOO_OLD || rc == CVZ_E_MISSING) {
        printf("forced stop unavailable (%s); requesting a stop instead\n", cvz_error_message(error));
        cvz_error_free(error);
        error = NULL;
        check(cvz_virtual_machine_request_stop(vm, &error), error, "request stop");
    } else {
        check(rc, error, "stop (blocking)");
    }
    state = watch_states(vm, state, CVZ_VIRTUAL_MACHINE_STATE_STOPPED, 5000);
    printf("virtual machine %s\n", state_name(state));

    cvz_release(vm);
    cvz_release(delegate);
    close(console_input[1]);
    cvz_release(config);
    cvz_release(console);
    cvz_release(console_io);
    cvz_release(entropy);
    cvz_release(mac);
    cvz_release(net);
    cvz_release(nat);
    cvz_release(block);
    cvz_release(image);
    cvz_release(boot);
    printf("released everything\n");
    return state == CVZ_VIRTUAL_MACHINE_STATE_STOPPED ? 0 : 1;
}
