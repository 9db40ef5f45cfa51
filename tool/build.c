/* SPDX-License-Identifier: Apache-2.0 */
/*
 * build.c - see build.h.  The availability table, the checks, and the
 * order of building; each area's builder is in build_<area>.c.
 */
#include "build_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- what each part needs, as cvz_api_available() names it --------------------------------- */

#define NEEDS(name, ...) static const char *const name[] = {__VA_ARGS__, NULL}

NEEDS(vm_needs, "VZVirtualMachineConfiguration", "-[VZVirtualMachineConfiguration init]",
      "-[VZVirtualMachineConfiguration validateWithError:]", "VZVirtualMachine",
      "-[VZVirtualMachine initWithConfiguration:queue:]", "-[VZVirtualMachine startWithCompletionHandler:]",
      "-[VZVirtualMachine requestStopWithError:]", "VZVirtualMachine.state");
NEEDS(needs_linux_boot, "VZLinuxBootLoader", "-[VZLinuxBootLoader initWithKernelURL:]", "VZLinuxBootLoader.commandLine",
      "VZLinuxBootLoader.initialRamdiskURL", "VZVirtualMachineConfiguration.bootLoader");
NEEDS(needs_efi_boot, "VZEFIBootLoader", "-[VZEFIBootLoader init]", "VZEFIBootLoader.variableStore",
      "VZEFIVariableStore", "-[VZEFIVariableStore initWithURL:]",
      "-[VZEFIVariableStore initCreatingVariableStoreAtURL:options:error:]", "VZVirtualMachineConfiguration.bootLoader");
NEEDS(needs_macos_boot, "VZMacOSBootLoader", "-[VZMacOSBootLoader init]", "VZMacPlatformConfiguration",
      "-[VZMacPlatformConfiguration init]", "VZMacPlatformConfiguration.hardwareModel",
      "VZMacPlatformConfiguration.machineIdentifier", "VZMacPlatformConfiguration.auxiliaryStorage",
      "VZMacHardwareModel", "-[VZMacHardwareModel initWithDataRepresentation:]", "VZMacMachineIdentifier",
      "-[VZMacMachineIdentifier initWithDataRepresentation:]", "VZMacAuxiliaryStorage",
      "-[VZMacAuxiliaryStorage initWithContentsOfURL:]", "VZVirtualMachineConfiguration.platform",
      "VZVirtualMachineConfiguration.bootLoader");
NEEDS(needs_nested, "VZGenericPlatformConfiguration", "-[VZGenericPlatformConfiguration init]",
      "VZVirtualMachineConfiguration.platform", "VZGenericPlatformConfiguration.nestedVirtualizationSupported",
      "VZGenericPlatformConfiguration.nestedVirtualizationEnabled");
NEEDS(needs_storage, "VZVirtualMachineConfiguration.storageDevices");
NEEDS(needs_image, "VZDiskImageStorageDeviceAttachment",
      "-[VZDiskImageStorageDeviceAttachment initWithURL:readOnly:error:]");
NEEDS(needs_block_dev, "VZDiskBlockDeviceStorageDeviceAttachment",
      "-[VZDiskBlockDeviceStorageDeviceAttachment initWithFileHandle:readOnly:synchronizationMode:error:]");
NEEDS(needs_virtio_blk, "VZVirtioBlockDeviceConfiguration", "-[VZVirtioBlockDeviceConfiguration initWithAttachment:]");
NEEDS(needs_device_id, "VZVirtioBlockDeviceConfiguration.blockDeviceIdentifier");
NEEDS(needs_nvme, "VZNVMExpressControllerDeviceConfiguration",
      "-[VZNVMExpressControllerDeviceConfiguration initWithAttachment:]");
NEEDS(needs_usb_storage, "VZUSBMassStorageDeviceConfiguration",
      "-[VZUSBMassStorageDeviceConfiguration initWithAttachment:]");
NEEDS(needs_nbd, "VZNetworkBlockDeviceStorageDeviceAttachment",
      "-[VZNetworkBlockDeviceStorageDeviceAttachment initWithURL:timeout:forcedReadOnly:synchronizationMode:error:]");
NEEDS(needs_fs, "VZVirtioFileSystemDeviceConfiguration", "-[VZVirtioFileSystemDeviceConfiguration initWithTag:]",
      "VZVirtioFileSystemDeviceConfiguration.share", "VZVirtualMachineConfiguration.directorySharingDevices");
NEEDS(needs_shared_dir, "VZSharedDirectory", "-[VZSharedDirectory initWithURL:readOnly:]", "VZSingleDirectoryShare",
      "-[VZSingleDirectoryShare initWithDirectory:]");
NEEDS(needs_rosetta, "VZLinuxRosettaDirectoryShare", "-[VZLinuxRosettaDirectoryShare initWithError:]",
      "VZLinuxRosettaDirectoryShare.availability",
      "+[VZLinuxRosettaDirectoryShare installRosettaWithCompletionHandler:]");
NEEDS(needs_vsock, "VZVirtioSocketDeviceConfiguration", "-[VZVirtioSocketDeviceConfiguration init]",
      "VZVirtualMachineConfiguration.socketDevices", "VZVirtualMachine.socketDevices", "VZVirtioSocketDevice",
      "-[VZVirtioSocketDevice setSocketListener:forPort:]", "-[VZVirtioSocketDevice connectToPort:completionHandler:]",
      "VZVirtioSocketListener", "-[VZVirtioSocketListener init]", "VZVirtioSocketListener.delegate",
      "VZVirtioSocketConnection.fileDescriptor");
NEEDS(needs_rng, "VZVirtioEntropyDeviceConfiguration", "-[VZVirtioEntropyDeviceConfiguration init]",
      "VZVirtualMachineConfiguration.entropyDevices");
NEEDS(needs_balloon, "VZVirtioTraditionalMemoryBalloonDeviceConfiguration",
      "-[VZVirtioTraditionalMemoryBalloonDeviceConfiguration init]", "VZVirtualMachineConfiguration.memoryBalloonDevices");
NEEDS(needs_serial_port, "VZVirtioConsoleDeviceSerialPortConfiguration",
      "-[VZVirtioConsoleDeviceSerialPortConfiguration init]", "VZSerialPortConfiguration.attachment",
      "VZVirtualMachineConfiguration.serialPorts");
NEEDS(needs_file_handle_io, "VZFileHandleSerialPortAttachment",
      "-[VZFileHandleSerialPortAttachment initWithFileHandleForReading:fileHandleForWriting:]");
NEEDS(needs_log_file, "VZFileSerialPortAttachment", "-[VZFileSerialPortAttachment initWithURL:append:error:]");
NEEDS(needs_console_port, "VZVirtioConsoleDeviceConfiguration", "-[VZVirtioConsoleDeviceConfiguration init]",
      "VZVirtioConsoleDeviceConfiguration.ports", "VZVirtioConsolePortConfigurationArray",
      "-[VZVirtioConsolePortConfigurationArray setObject:atIndexedSubscript:]", "VZVirtioConsolePortConfiguration",
      "-[VZVirtioConsolePortConfiguration init]", "VZVirtioConsolePortConfiguration.isConsole",
      "VZConsolePortConfiguration.attachment", "VZVirtualMachineConfiguration.consoleDevices");
NEEDS(needs_net, "VZVirtioNetworkDeviceConfiguration", "-[VZVirtioNetworkDeviceConfiguration init]", "VZMACAddress",
      "-[VZMACAddress initWithString:]", "VZNetworkDeviceConfiguration.attachment",
      "VZNetworkDeviceConfiguration.MACAddress", "VZVirtualMachineConfiguration.networkDevices");
NEEDS(needs_nat, "VZNATNetworkDeviceAttachment", "-[VZNATNetworkDeviceAttachment init]");
NEEDS(needs_net_file_handle, "VZFileHandleNetworkDeviceAttachment",
      "-[VZFileHandleNetworkDeviceAttachment initWithFileHandle:]");
NEEDS(needs_pointing, "VZUSBScreenCoordinatePointingDeviceConfiguration",
      "-[VZUSBScreenCoordinatePointingDeviceConfiguration init]", "VZVirtualMachineConfiguration.pointingDevices");
NEEDS(needs_keyboard, "VZUSBKeyboardConfiguration", "-[VZUSBKeyboardConfiguration init]",
      "VZVirtualMachineConfiguration.keyboards");
NEEDS(needs_gpu, "VZVirtioGraphicsDeviceConfiguration", "-[VZVirtioGraphicsDeviceConfiguration init]",
      "VZVirtioGraphicsDeviceConfiguration.scanouts", "VZVirtioGraphicsScanoutConfiguration",
      "-[VZVirtioGraphicsScanoutConfiguration initWithWidthInPixels:heightInPixels:]",
      "VZVirtualMachineConfiguration.graphicsDevices");

/* Every list above, for `cvz info --requirements`-style checks in the tests. */
static const char *const *const all_needs[] = {
    vm_needs, needs_linux_boot, needs_efi_boot, needs_macos_boot, needs_nested, needs_storage, needs_image,
    needs_block_dev, needs_virtio_blk, needs_device_id, needs_nvme, needs_usb_storage, needs_nbd, needs_fs,
    needs_shared_dir, needs_rosetta, needs_vsock, needs_rng, needs_balloon, needs_serial_port, needs_file_handle_io,
    needs_log_file, needs_console_port, needs_net, needs_nat, needs_net_file_handle, needs_pointing, needs_keyboard,
    needs_gpu, NULL,
};

const char *const *const *build_all_requirements(void)
{
    return all_needs;
}

#define MAX_NEEDS 4

/* The lists a device needs (NULL-terminated). */
static void device_needs(const struct device *d, const char *const *out[MAX_NEEDS + 1])
{
    size_t n = 0;
    bool dev = d->disk_type && strcmp(d->disk_type, "dev") == 0;
    bool id = d->device_id && *d->device_id;
    switch (d->kind) {
    case DEV_VIRTIO_BLK:
    case DEV_NVME:
    case DEV_USB_MASS_STORAGE:
        out[n++] = d->kind == DEV_NVME ? needs_nvme : d->kind == DEV_USB_MASS_STORAGE ? needs_usb_storage : needs_virtio_blk;
        out[n++] = dev ? needs_block_dev : needs_image;
        if (id && d->kind == DEV_VIRTIO_BLK)
            out[n++] = needs_device_id;
        out[n++] = needs_storage;
        break;
    case DEV_NBD:
        out[n++] = needs_nbd;
        out[n++] = needs_virtio_blk;
        out[n++] = needs_device_id;
        out[n++] = needs_storage;
        break;
    case DEV_VIRTIO_FS:
        out[n++] = needs_fs;
        out[n++] = needs_shared_dir;
        break;
    case DEV_ROSETTA:
        out[n++] = needs_rosetta;
        out[n++] = needs_fs;
        break;
    case DEV_VIRTIO_VSOCK: out[n++] = needs_vsock; break;
    case DEV_VIRTIO_RNG: out[n++] = needs_rng; break;
    case DEV_VIRTIO_BALLOON: out[n++] = needs_balloon; break;
    case DEV_VIRTIO_SERIAL:
        if (d->pty) {
            out[n++] = needs_console_port;
            out[n++] = needs_file_handle_io;
        } else {
            out[n++] = d->stdio ? needs_file_handle_io : needs_log_file;
            out[n++] = needs_serial_port;
        }
        break;
    case DEV_VIRTIO_NET:
        out[n++] = d->net == NET_NAT ? needs_nat : needs_net_file_handle;
        out[n++] = needs_net;
        break;
    case DEV_VIRTIO_INPUT:
        out[n++] = d->input_type && strcmp(d->input_type, "pointing") == 0 ? needs_pointing : needs_keyboard;
        break;
    case DEV_VIRTIO_GPU: out[n++] = needs_gpu; break;
    default: out[n++] = vm_needs; break;
    }
    out[n] = NULL;
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

static int check_part(const char *what, const char *const *const *lists, char **err)
{
    for (size_t i = 0; lists[i]; i++) {
        char *why = unavailable(lists[i]);
        if (why) {
            fail(err, "cannot use %s: %s", what, why);
            free(why);
            return -1;
        }
    }
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
    const char *const *lists[MAX_NEEDS + 1] = {vm_needs, NULL};
    if (check_part("a virtual machine", lists, err) != 0)
        return -1;
    static const char *const boot_names[] = {"linux", "efi", "macos"};
    lists[0] = vm->boot.kind == BOOT_EFI ? needs_efi_boot : vm->boot.kind == BOOT_MACOS ? needs_macos_boot : needs_linux_boot;
    char *what = xasprintf("the %s bootloader", boot_names[vm->boot.kind]);
    int rc = check_part(what, lists, err);
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
    }
    for (size_t i = 0; i < vm->ndevices; i++) {
        device_needs(&vm->devices[i], lists);
        what = device_label(&vm->devices[i]);
        rc = check_part(what, lists, err);
        free(what);
        if (rc != 0)
            return -1;
    }
    lists[0] = needs_vsock;
    lists[1] = NULL;
    if (vm->has_timesync && check_part("--timesync", lists, err) != 0)
        return -1;
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

void *build_keep(struct build_ctx *c, void *handle)
{
    struct built_vm *b = c->b;
    b->handles = xrealloc(b->handles, (b->nhandles + 1) * sizeof *b->handles);
    b->handles[b->nhandles++] = handle;
    return handle;
}

void build_keep_fd(struct build_ctx *c, int fd)
{
    struct built_vm *b = c->b;
    b->fds = xrealloc(b->fds, (b->nfds + 1) * sizeof *b->fds);
    b->fds[b->nfds++] = fd;
}

void build_add(struct build_ctx *c, enum build_list list, void *device)
{
    struct handle_list *l = &c->lists[list];
    l->items = xrealloc(l->items, (l->count + 1) * sizeof *l->items);
    l->items[l->count++] = device;
}

int build_lib_fail(struct build_ctx *c, cvz_error *e)
{
    char *text = build_error_text(e);
    fail(c->err, "%s: %s", c->what, text);
    free(text);
    cvz_error_free(e);
    return -1;
}

int build_fail(struct build_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    fail(c->err, "%s: %s", c->what, msg ? msg : fmt);
    free(msg);
    return -1;
}

static int build_device(struct build_ctx *c, const struct device *d)
{
    switch (d->kind) {
    case DEV_VIRTIO_BLK:
    case DEV_NVME:
    case DEV_USB_MASS_STORAGE:
    case DEV_NBD: return build_storage(c, d);
    case DEV_VIRTIO_NET: return build_network(c, d);
    case DEV_VIRTIO_SERIAL: return build_serial(c, d);
    case DEV_VIRTIO_FS:
    case DEV_ROSETTA: return build_sharing(c, d);
    default: return build_simple_device(c, d);
    }
}

/* Each non-empty list into its configuration property. */
static int set_lists(struct build_ctx *c)
{
    cvz_virtual_machine_configuration *cfg = c->b->config;
    struct handle_list *l = c->lists;
#define SET(list, setter, type)                                                                                \
    if (l[list].count)                                                                                         \
        BUILD_DO(c, setter(cfg, (type *const *)l[list].items, l[list].count, e));
    c->what = "storage devices";
    SET(LIST_STORAGE, cvz_virtual_machine_configuration_set_storage_devices, cvz_storage_device_configuration)
    c->what = "network devices";
    SET(LIST_NETWORK, cvz_virtual_machine_configuration_set_network_devices, cvz_network_device_configuration)
    c->what = "entropy devices";
    SET(LIST_ENTROPY, cvz_virtual_machine_configuration_set_entropy_devices, cvz_entropy_device_configuration)
    c->what = "serial ports";
    SET(LIST_SERIAL, cvz_virtual_machine_configuration_set_serial_ports, cvz_serial_port_configuration)
    c->what = "directory sharing devices";
    SET(LIST_SHARING, cvz_virtual_machine_configuration_set_directory_sharing_devices,
        cvz_directory_sharing_device_configuration)
    c->what = "socket devices";
    SET(LIST_SOCKET, cvz_virtual_machine_configuration_set_socket_devices, cvz_socket_device_configuration)
    c->what = "memory balloon devices";
    SET(LIST_BALLOON, cvz_virtual_machine_configuration_set_memory_balloon_devices,
        cvz_memory_balloon_device_configuration)
    c->what = "console devices";
    SET(LIST_CONSOLE, cvz_virtual_machine_configuration_set_console_devices, cvz_console_device_configuration)
    c->what = "keyboards";
    SET(LIST_KEYBOARD, cvz_virtual_machine_configuration_set_keyboards, cvz_keyboard_configuration)
    c->what = "pointing devices";
    SET(LIST_POINTING, cvz_virtual_machine_configuration_set_pointing_devices, cvz_pointing_device_configuration)
    c->what = "graphics devices";
    SET(LIST_GRAPHICS, cvz_virtual_machine_configuration_set_graphics_devices, cvz_graphics_device_configuration)
#undef SET
    return 0;
}

static int build_all(struct build_ctx *c)
{
    const struct vmconfig *vm = c->vm;
    c->what = "configuration";
    BUILD_NEW(c, c->b->config, cvz_virtual_machine_configuration_new(e));
    c->what = "CPU count";
    BUILD_DO(c, cvz_virtual_machine_configuration_set_cpu_count(c->b->config, vm->cpus, e));
    c->what = "memory size";
    if (vm->memory_mib > UINT64_MAX >> 20)
        return build_fail(c, "%llu MiB does not fit in 64 bits", (unsigned long long)vm->memory_mib);
    BUILD_DO(c, cvz_virtual_machine_configuration_set_memory_size(c->b->config, vm->memory_mib << 20, e));
    if (build_boot(c) != 0)
        return -1;
    for (size_t i = 0; i < vm->ndevices; i++) {
        char *what = device_label(&vm->devices[i]);
        c->what = what;
        int rc = build_device(c, &vm->devices[i]);
        free(what);
        if (rc != 0)
            return -1;
    }
    if (vm->has_timesync && c->lists[LIST_SOCKET].count == 0) {
        /* vfkit adds the socket device the time sync talks through */
        struct device socket_device = {.kind = DEV_VIRTIO_VSOCK};
        c->what = "--timesync";
        if (build_simple_device(c, &socket_device) != 0)
            return -1;
    }
    if (set_lists(c) != 0)
        return -1;
    cvz_error *e = NULL;
    if (cvz_virtual_machine_configuration_validate(c->b->config, &e) != 0) {
        char *text = build_error_text(e);
        fail(c->err, "%s", text);
        free(text);
        cvz_error_free(e);
        return -1;
    }
    return 0;
}

int build_configuration(const struct vmconfig *vm, struct built_vm *b, char **err)
{
    memset(b, 0, sizeof *b);
    struct build_ctx c = {.vm = vm, .b = b, .err = err};
    int rc = build_all(&c);
    for (size_t i = 0; i < LIST_COUNT; i++)
        free(c.lists[i].items);
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
    for (size_t i = 0; i < b->nunlink; i++) {
        unlink(b->unlink_paths[i]);
        free(b->unlink_paths[i]);
    }
    free(b->unlink_paths);
    free(b->pty_name);
    memset(b, 0, sizeof *b);
}
