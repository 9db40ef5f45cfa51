/* SPDX-License-Identifier: Apache-2.0 */
/*
 * build.c - see build.h.  The availability table, the checks, and the
 * order of building; each area's builder is in build_<area>.c.
 */
#include "build_internal.h"
#include "error_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- what each part needs, by the generated names: a misspelt item fails to compile --------- */

#define NEEDS(name, ...) static const char *const name[] = {__VA_ARGS__, NULL}

NEEDS(vm_needs, CVZ_CLASS_VIRTUAL_MACHINE_CONFIGURATION, CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_NEW,
      CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_VALIDATE, CVZ_CLASS_VIRTUAL_MACHINE,
      CVZ_API_VIRTUAL_MACHINE_NEW_WITH_CONFIGURATION, CVZ_API_VIRTUAL_MACHINE_START,
      CVZ_API_VIRTUAL_MACHINE_REQUEST_STOP, CVZ_API_VIRTUAL_MACHINE_STATE);
NEEDS(needs_linux_boot, CVZ_CLASS_LINUX_BOOT_LOADER, CVZ_API_LINUX_BOOT_LOADER_NEW_WITH_KERNEL_URL,
      CVZ_API_LINUX_BOOT_LOADER_COMMAND_LINE, CVZ_API_LINUX_BOOT_LOADER_INITIAL_RAMDISK_URL,
      CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_BOOT_LOADER);
NEEDS(needs_efi_boot, CVZ_CLASS_EFI_BOOT_LOADER, CVZ_API_EFI_BOOT_LOADER_NEW, CVZ_API_EFI_BOOT_LOADER_VARIABLE_STORE,
      CVZ_CLASS_EFI_VARIABLE_STORE, CVZ_API_EFI_VARIABLE_STORE_NEW_WITH_URL,
      CVZ_API_EFI_VARIABLE_STORE_NEW_CREATING_VARIABLE_STORE_AT_URL_OPTIONS,
      CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_BOOT_LOADER);
NEEDS(needs_macos_boot, CVZ_CLASS_MAC_OS_BOOT_LOADER, CVZ_API_MAC_OS_BOOT_LOADER_NEW,
      CVZ_CLASS_MAC_PLATFORM_CONFIGURATION, CVZ_API_MAC_PLATFORM_CONFIGURATION_NEW,
      CVZ_API_MAC_PLATFORM_CONFIGURATION_HARDWARE_MODEL, CVZ_API_MAC_PLATFORM_CONFIGURATION_MACHINE_IDENTIFIER,
      CVZ_API_MAC_PLATFORM_CONFIGURATION_AUXILIARY_STORAGE, CVZ_CLASS_MAC_HARDWARE_MODEL,
      CVZ_API_MAC_HARDWARE_MODEL_NEW_WITH_DATA_REPRESENTATION, CVZ_CLASS_MAC_MACHINE_IDENTIFIER,
      CVZ_API_MAC_MACHINE_IDENTIFIER_NEW_WITH_DATA_REPRESENTATION, CVZ_CLASS_MAC_AUXILIARY_STORAGE,
      CVZ_API_MAC_AUXILIARY_STORAGE_NEW_WITH_CONTENTS_OF_URL, CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_PLATFORM,
      CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_BOOT_LOADER);
NEEDS(needs_nested, CVZ_CLASS_GENERIC_PLATFORM_CONFIGURATION, CVZ_API_GENERIC_PLATFORM_CONFIGURATION_NEW,
      CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_PLATFORM,
      CVZ_API_GENERIC_PLATFORM_CONFIGURATION_NESTED_VIRTUALIZATION_SUPPORTED,
      CVZ_API_GENERIC_PLATFORM_CONFIGURATION_NESTED_VIRTUALIZATION_ENABLED);
NEEDS(needs_storage, CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_STORAGE_DEVICES);
NEEDS(needs_image, CVZ_CLASS_DISK_IMAGE_STORAGE_DEVICE_ATTACHMENT,
      CVZ_API_DISK_IMAGE_STORAGE_DEVICE_ATTACHMENT_NEW_WITH_URL_READ_ONLY);
NEEDS(needs_block_dev, CVZ_CLASS_DISK_BLOCK_DEVICE_STORAGE_DEVICE_ATTACHMENT,
      CVZ_API_DISK_BLOCK_DEVICE_STORAGE_DEVICE_ATTACHMENT_NEW_WITH_FILE_HANDLE_READ_ONLY_SYNCHRONIZATION_MODE);
NEEDS(needs_virtio_blk, CVZ_CLASS_VIRTIO_BLOCK_DEVICE_CONFIGURATION,
      CVZ_API_VIRTIO_BLOCK_DEVICE_CONFIGURATION_NEW_WITH_ATTACHMENT);
NEEDS(needs_device_id, CVZ_API_VIRTIO_BLOCK_DEVICE_CONFIGURATION_BLOCK_DEVICE_IDENTIFIER);
NEEDS(needs_nvme, CVZ_CLASS_NVM_EXPRESS_CONTROLLER_DEVICE_CONFIGURATION,
      CVZ_API_NVM_EXPRESS_CONTROLLER_DEVICE_CONFIGURATION_NEW_WITH_ATTACHMENT);
NEEDS(needs_usb_storage, CVZ_CLASS_USB_MASS_STORAGE_DEVICE_CONFIGURATION,
      CVZ_API_USB_MASS_STORAGE_DEVICE_CONFIGURATION_NEW_WITH_ATTACHMENT);
NEEDS(needs_nbd, CVZ_CLASS_NETWORK_BLOCK_DEVICE_STORAGE_DEVICE_ATTACHMENT,
      CVZ_API_NETWORK_BLOCK_DEVICE_STORAGE_DEVICE_ATTACHMENT_NEW_WITH_URL_TIMEOUT_FORCED_READ_ONLY_SYNCHRONIZATION_MODE);
NEEDS(needs_fs, CVZ_CLASS_VIRTIO_FILE_SYSTEM_DEVICE_CONFIGURATION,
      CVZ_API_VIRTIO_FILE_SYSTEM_DEVICE_CONFIGURATION_NEW_WITH_TAG,
      CVZ_API_VIRTIO_FILE_SYSTEM_DEVICE_CONFIGURATION_SHARE,
      CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_DIRECTORY_SHARING_DEVICES);
NEEDS(needs_shared_dir, CVZ_CLASS_SHARED_DIRECTORY, CVZ_API_SHARED_DIRECTORY_NEW_WITH_URL_READ_ONLY,
      CVZ_CLASS_SINGLE_DIRECTORY_SHARE, CVZ_API_SINGLE_DIRECTORY_SHARE_NEW_WITH_DIRECTORY);
NEEDS(needs_rosetta, CVZ_CLASS_LINUX_ROSETTA_DIRECTORY_SHARE, CVZ_API_LINUX_ROSETTA_DIRECTORY_SHARE_NEW,
      CVZ_API_LINUX_ROSETTA_DIRECTORY_SHARE_AVAILABILITY, CVZ_API_LINUX_ROSETTA_DIRECTORY_SHARE_INSTALL_ROSETTA);
NEEDS(needs_vsock, CVZ_CLASS_VIRTIO_SOCKET_DEVICE_CONFIGURATION, CVZ_API_VIRTIO_SOCKET_DEVICE_CONFIGURATION_NEW,
      CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_SOCKET_DEVICES, CVZ_API_VIRTUAL_MACHINE_SOCKET_DEVICES,
      CVZ_CLASS_VIRTIO_SOCKET_DEVICE, CVZ_API_VIRTIO_SOCKET_DEVICE_SET_SOCKET_LISTENER_FOR_PORT,
      CVZ_API_VIRTIO_SOCKET_DEVICE_CONNECT_TO_PORT, CVZ_CLASS_VIRTIO_SOCKET_LISTENER,
      CVZ_API_VIRTIO_SOCKET_LISTENER_NEW, CVZ_API_VIRTIO_SOCKET_LISTENER_DELEGATE,
      CVZ_API_VIRTIO_SOCKET_CONNECTION_FILE_DESCRIPTOR);
NEEDS(needs_rng, CVZ_CLASS_VIRTIO_ENTROPY_DEVICE_CONFIGURATION, CVZ_API_VIRTIO_ENTROPY_DEVICE_CONFIGURATION_NEW,
      CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_ENTROPY_DEVICES);
NEEDS(needs_balloon, CVZ_CLASS_VIRTIO_TRADITIONAL_MEMORY_BALLOON_DEVICE_CONFIGURATION,
      CVZ_API_VIRTIO_TRADITIONAL_MEMORY_BALLOON_DEVICE_CONFIGURATION_NEW,
      CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_MEMORY_BALLOON_DEVICES);
NEEDS(needs_serial_port, CVZ_CLASS_VIRTIO_CONSOLE_DEVICE_SERIAL_PORT_CONFIGURATION,
      CVZ_API_VIRTIO_CONSOLE_DEVICE_SERIAL_PORT_CONFIGURATION_NEW, CVZ_API_SERIAL_PORT_CONFIGURATION_ATTACHMENT,
      CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_SERIAL_PORTS);
NEEDS(needs_file_handle_io, CVZ_CLASS_FILE_HANDLE_SERIAL_PORT_ATTACHMENT,
      CVZ_API_FILE_HANDLE_SERIAL_PORT_ATTACHMENT_NEW_WITH_FILE_HANDLE_FOR_READING_FILE_HANDLE_FOR_WRITING);
NEEDS(needs_log_file, CVZ_CLASS_FILE_SERIAL_PORT_ATTACHMENT, CVZ_API_FILE_SERIAL_PORT_ATTACHMENT_NEW_WITH_URL_APPEND);
NEEDS(needs_console_port, CVZ_CLASS_VIRTIO_CONSOLE_DEVICE_CONFIGURATION,
      CVZ_API_VIRTIO_CONSOLE_DEVICE_CONFIGURATION_NEW, CVZ_API_VIRTIO_CONSOLE_DEVICE_CONFIGURATION_PORTS,
      CVZ_CLASS_VIRTIO_CONSOLE_PORT_CONFIGURATION_ARRAY,
      CVZ_API_VIRTIO_CONSOLE_PORT_CONFIGURATION_ARRAY_SET_OBJECT_AT_INDEXED_SUBSCRIPT,
      CVZ_CLASS_VIRTIO_CONSOLE_PORT_CONFIGURATION, CVZ_API_VIRTIO_CONSOLE_PORT_CONFIGURATION_NEW,
      CVZ_API_VIRTIO_CONSOLE_PORT_CONFIGURATION_IS_CONSOLE, CVZ_API_CONSOLE_PORT_CONFIGURATION_ATTACHMENT,
      CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_CONSOLE_DEVICES);
NEEDS(needs_net, CVZ_CLASS_VIRTIO_NETWORK_DEVICE_CONFIGURATION, CVZ_API_VIRTIO_NETWORK_DEVICE_CONFIGURATION_NEW,
      CVZ_CLASS_MAC_ADDRESS, CVZ_API_MAC_ADDRESS_NEW_WITH_STRING, CVZ_API_NETWORK_DEVICE_CONFIGURATION_ATTACHMENT,
      CVZ_API_NETWORK_DEVICE_CONFIGURATION_MAC_ADDRESS, CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_NETWORK_DEVICES);
NEEDS(needs_nat, CVZ_CLASS_NAT_NETWORK_DEVICE_ATTACHMENT, CVZ_API_NAT_NETWORK_DEVICE_ATTACHMENT_NEW);
NEEDS(needs_net_file_handle, CVZ_CLASS_FILE_HANDLE_NETWORK_DEVICE_ATTACHMENT,
      CVZ_API_FILE_HANDLE_NETWORK_DEVICE_ATTACHMENT_NEW_WITH_FILE_HANDLE);
NEEDS(needs_pointing, CVZ_CLASS_USB_SCREEN_COORDINATE_POINTING_DEVICE_CONFIGURATION,
      CVZ_API_USB_SCREEN_COORDINATE_POINTING_DEVICE_CONFIGURATION_NEW,
      CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_POINTING_DEVICES);
NEEDS(needs_keyboard, CVZ_CLASS_USB_KEYBOARD_CONFIGURATION, CVZ_API_USB_KEYBOARD_CONFIGURATION_NEW,
      CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_KEYBOARDS);
NEEDS(needs_gpu, CVZ_CLASS_VIRTIO_GRAPHICS_DEVICE_CONFIGURATION, CVZ_API_VIRTIO_GRAPHICS_DEVICE_CONFIGURATION_NEW,
      CVZ_API_VIRTIO_GRAPHICS_DEVICE_CONFIGURATION_SCANOUTS, CVZ_CLASS_VIRTIO_GRAPHICS_SCANOUT_CONFIGURATION,
      CVZ_API_VIRTIO_GRAPHICS_SCANOUT_CONFIGURATION_NEW_WITH_WIDTH_IN_PIXELS_HEIGHT_IN_PIXELS,
      CVZ_API_VIRTUAL_MACHINE_CONFIGURATION_GRAPHICS_DEVICES);

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
    char *text = error_text(e);
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
        char *text = error_text(e);
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
