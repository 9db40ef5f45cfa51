/*
 * build.c - see build.h.
 */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- what each part needs ---------------------------------------------------------- */

/* What each part needs, as cvz_api_available() names it. */
static const char *const needs_linux_boot[] = {
    "VZLinuxBootLoader",
    "-[VZLinuxBootLoader initWithKernelURL:]",
    "VZLinuxBootLoader.commandLine",
    "VZLinuxBootLoader.initialRamdiskURL",
    "VZVirtualMachineConfiguration.bootLoader",
    NULL,
};
static const char *const needs_efi_boot[] = {"VZEFIBootLoader", "VZEFIVariableStore", NULL};
static const char *const needs_macos_boot[] = {
    "VZMacOSBootLoader",
    "VZMacPlatformConfiguration",
    "VZMacHardwareModel",
    "VZMacMachineIdentifier",
    "VZMacAuxiliaryStorage",
    NULL,
};
static const char *const needs_any_boot[] = {"VZBootLoader", NULL};
static const char *const needs_blk_dev[] = {
    "VZVirtioBlockDeviceConfiguration",
    "VZDiskBlockDeviceStorageDeviceAttachment",
    NULL,
};
static const char *const needs_blk_device_id[] = {
    "VZVirtioBlockDeviceConfiguration",
    "VZDiskImageStorageDeviceAttachment",
    "VZVirtioBlockDeviceConfiguration.blockDeviceIdentifier",
    NULL,
};
static const char *const needs_blk_image[] = {
    "VZVirtioBlockDeviceConfiguration",
    "-[VZVirtioBlockDeviceConfiguration initWithAttachment:]",
    "VZDiskImageStorageDeviceAttachment",
    "-[VZDiskImageStorageDeviceAttachment initWithURL:readOnly:error:]",
    "VZVirtualMachineConfiguration.storageDevices",
    NULL,
};
static const char *const needs_nvme[] = {
    "VZNVMExpressControllerDeviceConfiguration",
    "VZDiskImageStorageDeviceAttachment",
    NULL,
};
static const char *const needs_usb_storage[] = {
    "VZUSBMassStorageDeviceConfiguration",
    "VZDiskImageStorageDeviceAttachment",
    NULL,
};
static const char *const needs_nbd[] = {
    "VZNetworkBlockDeviceStorageDeviceAttachment",
    "VZVirtioBlockDeviceConfiguration",
    NULL,
};
static const char *const needs_virtio_fs[] = {
    "VZVirtioFileSystemDeviceConfiguration",
    "VZSharedDirectory",
    "VZSingleDirectoryShare",
    NULL,
};
static const char *const needs_rosetta[] = {
    "VZLinuxRosettaDirectoryShare",
    "VZVirtioFileSystemDeviceConfiguration",
    NULL,
};
static const char *const needs_vsock[] = {
    "VZVirtioSocketDeviceConfiguration",
    "VZVirtioSocketDevice",
    "VZVirtioSocketListener",
    NULL,
};
static const char *const needs_rng[] = {
    "VZVirtioEntropyDeviceConfiguration",
    "-[VZVirtioEntropyDeviceConfiguration init]",
    "VZVirtualMachineConfiguration.entropyDevices",
    NULL,
};
static const char *const needs_balloon[] = {"VZVirtioTraditionalMemoryBalloonDeviceConfiguration", NULL};
static const char *const needs_serial_pty[] = {
    "VZVirtioConsoleDeviceConfiguration",
    "VZVirtioConsolePortConfiguration",
    "VZFileHandleSerialPortAttachment",
    NULL,
};
static const char *const needs_serial_file[] = {
    "VZVirtioConsoleDeviceSerialPortConfiguration",
    "-[VZVirtioConsoleDeviceSerialPortConfiguration init]",
    "VZFileHandleSerialPortAttachment",
    "-[VZFileHandleSerialPortAttachment initWithFileHandleForReading:fileHandleForWriting:]",
    "VZSerialPortConfiguration.attachment",
    "VZVirtualMachineConfiguration.serialPorts",
    NULL,
};
static const char *const needs_net_file_handle[] = {
    "VZVirtioNetworkDeviceConfiguration",
    "VZFileHandleNetworkDeviceAttachment",
    NULL,
};
static const char *const needs_net_nat[] = {
    "VZVirtioNetworkDeviceConfiguration",
    "-[VZVirtioNetworkDeviceConfiguration init]",
    "VZNATNetworkDeviceAttachment",
    "-[VZNATNetworkDeviceAttachment init]",
    "VZMACAddress",
    "-[VZMACAddress initWithString:]",
    "VZNetworkDeviceConfiguration.attachment",
    "VZNetworkDeviceConfiguration.MACAddress",
    "VZVirtualMachineConfiguration.networkDevices",
    NULL,
};
static const char *const needs_pointing[] = {"VZUSBScreenCoordinatePointingDeviceConfiguration", NULL};
static const char *const needs_keyboard[] = {"VZUSBKeyboardConfiguration", NULL};
static const char *const needs_gpu[] = {
    "VZVirtioGraphicsDeviceConfiguration",
    "VZVirtioGraphicsScanoutConfiguration",
    NULL,
};
static const char *const needs_unknown[] = {"VZVirtualMachineConfiguration", NULL};
static const char *const needs_nested[] = {"VZGenericPlatformConfiguration", NULL};
static const char *const needs_timesync[] = {"VZVirtioSocketDeviceConfiguration", "VZVirtioSocketDevice", NULL};
static const char *const needs_gui[] = {"VZVirtioGraphicsDeviceConfiguration", NULL};

static const char *const vm_needs[] = {
    "VZVirtualMachineConfiguration",
    "-[VZVirtualMachineConfiguration init]",
    "-[VZVirtualMachineConfiguration validateWithError:]",
    "VZVirtualMachine",
    "-[VZVirtualMachine initWithConfiguration:]",
    "-[VZVirtualMachine startWithCompletionHandler:]",
    "-[VZVirtualMachine requestStopWithError:]",
    "VZVirtualMachine.state",
    NULL,
};

static const char *const *boot_needs(const struct bootloader *b, bool *implemented)
{
    switch (b->kind) {
    case BOOT_LINUX:
        *implemented = true;
        return needs_linux_boot;
    case BOOT_EFI:
        *implemented = false;
        return needs_efi_boot;
    case BOOT_MACOS:
        *implemented = false;
        return needs_macos_boot;
    }
    *implemented = false;
    return needs_any_boot;
}

const char *const *build_requirements_device(const struct device *d, bool *implemented)
{
    *implemented = false;
    switch (d->kind) {
    case DEV_VIRTIO_BLK:
        if (d->disk_type && strcmp(d->disk_type, "dev") == 0)
            return needs_blk_dev;
        if (d->device_id && *d->device_id)
            return needs_blk_device_id;
        *implemented = true;
        return needs_blk_image;
    case DEV_NVME:
        return needs_nvme;
    case DEV_USB_MASS_STORAGE:
        return needs_usb_storage;
    case DEV_NBD:
        return needs_nbd;
    case DEV_VIRTIO_FS:
        return needs_virtio_fs;
    case DEV_ROSETTA:
        return needs_rosetta;
    case DEV_VIRTIO_VSOCK:
        return needs_vsock;
    case DEV_VIRTIO_RNG:
        *implemented = true;
        return needs_rng;
    case DEV_VIRTIO_BALLOON:
        return needs_balloon;
    case DEV_VIRTIO_SERIAL:
        if (d->pty)
            return needs_serial_pty;
        *implemented = true;
        return needs_serial_file;
    case DEV_VIRTIO_NET:
        if (d->net != NET_NAT)
            return needs_net_file_handle;
        *implemented = true;
        return needs_net_nat;
    case DEV_VIRTIO_INPUT:
        if (d->input_type && strcmp(d->input_type, "pointing") == 0)
            return needs_pointing;
        return needs_keyboard;
    case DEV_VIRTIO_GPU:
        return needs_gpu;
    default:
        return needs_unknown;
    }
}

/* The first unavailable name of `needs`, with libcvz's reason, or NULL. */
static char *unavailable(const char *const *needs)
{
    for (size_t i = 0; needs[i]; i++) {
        cvz_error *why = NULL;
        if (!cvz_api_available(needs[i], &why)) {
            char *text = xstrdup(why ? cvz_error_message(why) : needs[i]);
            cvz_error_free(why);
            return text;
        }
    }
    return NULL;
}

static int check_part(const char *what, const char *const *needs, bool implemented, const char *not_built_reason,
                      char **err)
{
    char *why = unavailable(needs);
    if (why) {
        fail(err, "cannot use %s: %s", what, why);
        free(why);
        return -1;
    }
    if (!implemented)
        return fail(err, "cannot use %s: %s", what,
                    not_built_reason ? not_built_reason : "cvz cannot build it with this libcvz yet");
    return 0;
}

static char *device_label(const struct device *d)
{
    if (d->automatic)
        return xasprintf("--device %s (added by cvz)", d->spec);
    return xasprintf("--device %s", d->spec);
}

int build_check(const struct vmconfig *vm, char **err)
{
    if (check_part("a virtual machine", vm_needs, true, NULL, err) != 0)
        return -1;
    bool implemented;
    const char *const *needs = boot_needs(&vm->boot, &implemented);
    static const char *const boot_names[] = {"linux", "efi", "macos"};
    char *what = xasprintf("the %s bootloader", boot_names[vm->boot.kind]);
    int rc = check_part(what, needs, implemented, NULL, err);
    free(what);
    if (rc != 0)
        return -1;
    if (vm->nested) {
        char *why = unavailable(needs_nested);
        if (why) {
            fail(err, "nested virtualization is not supported: %s", why);
            free(why);
            return -1;
        }
        return fail(err, "nested virtualization is not supported: cvz cannot enable it with this libcvz yet");
    }
    for (size_t i = 0; i < vm->ndevices; i++) {
        needs = build_requirements_device(&vm->devices[i], &implemented);
        what = device_label(&vm->devices[i]);
        rc = check_part(what, needs, implemented, NULL, err);
        free(what);
        if (rc != 0)
            return -1;
    }
    if (vm->has_timesync &&
        check_part("--timesync", needs_timesync, false, NULL,
                   err) != 0)
        return -1;
    if (vm->gui)
        return check_part("--gui", needs_gui, false,
                          "cvz has no graphical console", err);
    return 0;
}

/* ---- building ----------------------------------------------------------------------------- */

char *build_error_text(const cvz_error *e)
{
    const char *msg = cvz_error_message(e);
    const char *reason = cvz_error_failure_reason(e);
    if (reason && *reason && !strstr(msg, reason))
        return xasprintf("%s: %s", msg, reason);
    return xstrdup(msg);
}

static void keep(struct built_vm *b, void *handle)
{
    b->handles = xrealloc(b->handles, (b->nhandles + 1) * sizeof *b->handles);
    b->handles[b->nhandles++] = handle;
}

static int lib_fail(cvz_error *e, const char *what, char **err)
{
    char *text = build_error_text(e);
    fail(err, "%s: %s", what, text);
    free(text);
    cvz_error_free(e);
    return -1;
}

#define TRY(expr, what)                                                                                        \
    do {                                                                                                       \
        if ((expr) != 0)                                                                                       \
            return lib_fail(e, what, err);                                                                     \
    } while (0)
#define TRY_NEW(var, expr, what)                                                                               \
    do {                                                                                                       \
        var = (expr);                                                                                          \
        if (!var)                                                                                              \
            return lib_fail(e, what, err);                                                                     \
        keep(b, var);                                                                                          \
    } while (0)

static int build_bootloader(const struct vmconfig *vm, struct built_vm *b, char **err)
{
    cvz_error *e = NULL;
    cvz_linux_boot_loader *boot;
    TRY_NEW(boot, cvz_linux_boot_loader_new_with_kernel_url(vm->boot.kernel, &e), "kernel");
    if (vm->boot.initrd && *vm->boot.initrd)
        TRY(cvz_linux_boot_loader_set_initial_ramdisk_url(boot, vm->boot.initrd, &e), "initrd");
    TRY(cvz_linux_boot_loader_set_command_line(boot, vm->boot.cmdline ? vm->boot.cmdline : "", &e),
        "kernel command line");
    TRY(cvz_virtual_machine_configuration_set_boot_loader(b->config, cvz_linux_boot_loader_as_boot_loader(boot), &e),
        "bootloader");
    return 0;
}

static int open_log(struct built_vm *b, const char *path, char **err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        char *why = go_path_error("open", path, errno);
        fail(err, "%s", why);
        free(why);
        return -1;
    }
    b->fds = xrealloc(b->fds, (b->nfds + 1) * sizeof *b->fds);
    b->fds[b->nfds++] = fd;
    return fd;
}

int build_configuration(const struct vmconfig *vm, struct built_vm *b, char **err)
{
    memset(b, 0, sizeof *b);
    cvz_error *e = NULL;
    TRY_NEW(b->config, cvz_virtual_machine_configuration_new(&e), "configuration");
    TRY(cvz_virtual_machine_configuration_set_cpu_count(b->config, vm->cpus, &e), "CPU count");
    if (vm->memory_mib > UINT64_MAX >> 20)
        return fail(err, "memory size: %llu MiB does not fit in 64 bits", (unsigned long long)vm->memory_mib);
    TRY(cvz_virtual_machine_configuration_set_memory_size(b->config, vm->memory_mib << 20, &e), "memory size");
    if (build_bootloader(vm, b, err) != 0)
        return -1;

    size_t n = vm->ndevices;
    cvz_storage_device_configuration **disks = xcalloc(n, sizeof *disks);
    cvz_network_device_configuration **nets = xcalloc(n, sizeof *nets);
    cvz_entropy_device_configuration **rngs = xcalloc(n, sizeof *rngs);
    cvz_serial_port_configuration **ports = xcalloc(n, sizeof *ports);
    size_t ndisks = 0, nnets = 0, nrngs = 0, nports = 0;
    char *what = NULL;
    int rc = -1;
#undef TRY
#undef TRY_NEW
#define TRY(expr, what)                                                                                        \
    do {                                                                                                       \
        if ((expr) != 0) {                                                                                     \
            lib_fail(e, what, err);                                                                            \
            goto out;                                                                                          \
        }                                                                                                      \
    } while (0)
#define TRY_NEW(var, expr, what)                                                                               \
    do {                                                                                                       \
        var = (expr);                                                                                          \
        if (!var) {                                                                                            \
            lib_fail(e, what, err);                                                                            \
            goto out;                                                                                          \
        }                                                                                                      \
        keep(b, var);                                                                                          \
    } while (0)

    for (size_t i = 0; i < n; i++) {
        const struct device *d = &vm->devices[i];
        free(what);
        what = device_label(d);
        switch (d->kind) {
        case DEV_VIRTIO_BLK: {
            cvz_disk_image_storage_device_attachment *image;
            cvz_virtio_block_device_configuration *blk;
            TRY_NEW(image, cvz_disk_image_storage_device_attachment_new_with_url_read_only(d->path, d->readonly, &e),
                    what);
            TRY_NEW(blk,
                    cvz_virtio_block_device_configuration_new_with_attachment(
                        cvz_disk_image_storage_device_attachment_as_storage_device_attachment(image), &e),
                    what);
            disks[ndisks++] = cvz_virtio_block_device_configuration_as_storage_device_configuration(blk);
            break;
        }
        case DEV_VIRTIO_NET: {
            cvz_nat_network_device_attachment *nat;
            cvz_virtio_network_device_configuration *net;
            TRY_NEW(nat, cvz_nat_network_device_attachment_new(&e), what);
            TRY_NEW(net, cvz_virtio_network_device_configuration_new(&e), what);
            cvz_network_device_configuration *base = cvz_virtio_network_device_configuration_as_network_device_configuration(net);
            TRY(cvz_network_device_configuration_set_attachment(
                    base, cvz_nat_network_device_attachment_as_network_device_attachment(nat), &e),
                what);
            if (d->has_mac) {
                char text[18];
                snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", d->mac[0], d->mac[1], d->mac[2],
                         d->mac[3], d->mac[4], d->mac[5]);
                cvz_mac_address *mac;
                TRY_NEW(mac, cvz_mac_address_new_with_string(text, &e), what);
                TRY(cvz_network_device_configuration_set_mac_address(base, mac, &e), what);
            }
            nets[nnets++] = base;
            break;
        }
        case DEV_VIRTIO_RNG: {
            cvz_virtio_entropy_device_configuration *rng;
            TRY_NEW(rng, cvz_virtio_entropy_device_configuration_new(&e), what);
            rngs[nrngs++] = cvz_virtio_entropy_device_configuration_as_entropy_device_configuration(rng);
            break;
        }
        case DEV_VIRTIO_SERIAL: {
            int in = STDIN_FILENO, out = STDOUT_FILENO;
            if (!d->stdio) {
                in = -1; /* nil: the guest gets no input */
                out = open_log(b, d->log_file, err);
                if (out < 0)
                    goto out;
            }
            cvz_file_handle_serial_port_attachment *io;
            cvz_virtio_console_device_serial_port_configuration *port;
            TRY_NEW(io,
                    cvz_file_handle_serial_port_attachment_new_with_file_handle_for_reading_file_handle_for_writing(
                        in, out, &e),
                    what);
            TRY_NEW(port, cvz_virtio_console_device_serial_port_configuration_new(&e), what);
            cvz_serial_port_configuration *base =
                cvz_virtio_console_device_serial_port_configuration_as_serial_port_configuration(port);
            TRY(cvz_serial_port_configuration_set_attachment(
                    base, cvz_file_handle_serial_port_attachment_as_serial_port_attachment(io), &e),
                what);
            ports[nports++] = base;
            break;
        }
        default:
            fail(err, "cannot use %s: cvz cannot build it with this libcvz yet", what);
            goto out;
        }
    }
    if (ndisks)
        TRY(cvz_virtual_machine_configuration_set_storage_devices(b->config, disks, ndisks, &e), "storage devices");
    if (nnets)
        TRY(cvz_virtual_machine_configuration_set_network_devices(b->config, nets, nnets, &e), "network devices");
    if (nrngs)
        TRY(cvz_virtual_machine_configuration_set_entropy_devices(b->config, rngs, nrngs, &e), "entropy devices");
    if (nports)
        TRY(cvz_virtual_machine_configuration_set_serial_ports(b->config, ports, nports, &e), "serial ports");
    if (cvz_virtual_machine_configuration_validate(b->config, &e) != 0) {
        char *text = build_error_text(e);
        fail(err, "%s", text);
        free(text);
        cvz_error_free(e);
        goto out;
    }
    rc = 0;
out:
    free(what);
    free(disks);
    free(nets);
    free(rngs);
    free(ports);
    return rc;
}

void build_free(struct built_vm *b)
{
    /* released in reverse order: the configuration (first) goes last */
    for (size_t i = b->nhandles; i > 0; i--)
        cvz_release(b->handles[i - 1]);
    free(b->handles);
    for (size_t i = 0; i < b->nfds; i++)
        close(b->fds[i]);
    free(b->fds);
    memset(b, 0, sizeof *b);
}
