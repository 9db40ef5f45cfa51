/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vmcheck.c - what vfkit checks only when it turns the parsed configuration
 * into a framework configuration (pkg/vf), minus what needs the framework:
 * mandatory options the parser lets through, the files the bootloader reads,
 * the arm64 kernel format, host architecture, identifier limits.  Run by
 * --dry-run and before every real run.
 */
#include "goconv.h"
#include "paths.h"
#include "vmconfig.h"

#include "userfile.h"

#include <cvz/cvz.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool host_is_arm64(void)
{
    return strcmp(cvz_host_arch(), "arm64") == 0;
}

static int open_error(const char *op, const char *path, int errnum, char **err)
{
    char *why = go_path_error(op, path, errnum);
    fail(err, "%s", why);
    free(why);
    return -1;
}

static int check_readable(const char *path, char **err)
{
    int fd = open_regular(path, err);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

/* vfkit refuses a compressed kernel on arm64 (the VM would hang): the first
 * 2048 bytes must carry the arm64 Image magic "ARM\x64" ("ARMd") at 0x38.
 * vfkit's words, then how to get such a kernel. */
static int check_kernel(const char *kernel, char **err)
{
    if (!host_is_arm64())
        return check_regular(kernel, false, err);
    int fd = open_regular(kernel, err);
    if (fd < 0)
        return -1;
    unsigned char buf[2048];
    ssize_t n = read(fd, buf, sizeof buf);
    int saved = errno;
    close(fd);
    if (n < 0)
        return open_error("read", kernel, saved, err);
    if (n == 0)
        return fail(err, "read %s: EOF", kernel);
    if (n < 0x38 + 4 || memcmp(buf + 0x38, "ARMd", 4) != 0)
        return fail(err,
                    "kernel must be uncompressed, %s is a compressed file\n"
                    "an arm64 kernel must be a raw Image (magic \"ARM\\x64\" at offset 0x38): a vmlinuz is "
                    "usually a gzip of it (gunzip -c vmlinuz > Image), else use the kernel's "
                    "scripts/extract-vmlinux; a test placeholder needs those 4 bytes at 0x38",
                    kernel);
    return 0;
}

static int check_bootloader(const struct vmconfig *vm, char **err)
{
    const struct bootloader *b = &vm->boot;
    switch (b->kind) {
    case BOOT_LINUX:
        if (!b->kernel || !*b->kernel)
            return fail(err, "missing kernel path");
        if (check_kernel(b->kernel, err) != 0)
            return -1;
        if (b->initrd && *b->initrd)
            return check_regular(b->initrd, false, err);
        return 0;
    case BOOT_EFI:
        if (!b->variable_store || !*b->variable_store)
            return fail(err, "missing EFI store path");
        return check_regular(b->variable_store, b->create, err);
    case BOOT_MACOS:
        if (!host_is_arm64())
            return fail(err, "running macOS guests is only supported on ARM devices");
        if (vm->nested)
            return fail(err, "nested virtualization is not supported with the macOS bootloader");
        if (!b->machine_id_path || !*b->machine_id_path)
            return fail(err, "missing mandatory 'machineIdentifierPath' option for macOS bootloader");
        if (!b->hw_model_path || !*b->hw_model_path)
            return fail(err, "missing mandatory 'hardwareModelPath' option for macOS bootloader");
        if (!b->aux_image_path || !*b->aux_image_path)
            return fail(err, "missing mandatory 'auxImagePath' option for macOS bootloader");
        if (check_readable(b->machine_id_path, err) != 0 || check_readable(b->hw_model_path, err) != 0)
            return -1;
        return 0;
    }
    return 0;
}

static int check_disk(const struct device *dev, char **err)
{
    const char *name = dev_kind_name(dev->kind);
    if (!dev->path || !*dev->path)
        return fail(err, "missing mandatory 'path' option for %s device", name);
    if (dev->disk_type && strcmp(dev->disk_type, "dev") == 0) {
        struct stat st;
        if (lstat(dev->path, &st) != 0)
            return open_error("lstat", dev->path, errno, err);
        if (!S_ISBLK(st.st_mode))
            return fail(err, "%s is not a block device", dev->path);
        return 0;
    }
    if (dev->kind != DEV_VIRTIO_BLK && check_readable(dev->path, err) != 0)
        return -1;
    if (dev->device_id && *dev->device_id) {
        for (const char *p = dev->device_id; *p; p++)
            if ((unsigned char)*p > 0x7f)
                return fail(err, "invalid deviceId '%s': it must be ASCII", dev->device_id);
        if (strlen(dev->device_id) > 20)
            return fail(err, "invalid deviceId '%s': it must be at most 20 bytes", dev->device_id);
    }
    return 0;
}

static int check_nbd(const struct device *dev, char **err)
{
    static const char *const schemes[] = {"nbd", "nbds", "nbd+unix", "nbds+unix"};
    if (!dev->uri || !*dev->uri)
        return fail(err, "nbd devices need the uri to a remote block device");
    const char *sep = strstr(dev->uri, "://");
    bool ok = false;
    for (size_t i = 0; sep && i < 4; i++)
        if (strlen(schemes[i]) == (size_t)(sep - dev->uri) && strncmp(dev->uri, schemes[i], strlen(schemes[i])) == 0)
            ok = true;
    if (!ok)
        return fail(err, "invalid nbd uri '%s': the scheme must be nbd, nbds, nbd+unix or nbds+unix", dev->uri);
    if (!dev->device_id || !*dev->device_id)
        return fail(err, "missing mandatory 'deviceId' option for nbd device");
    if (strchr(dev->device_id, '/'))
        return fail(err, "invalid nbd deviceId '%s': it must not contain '/'", dev->device_id);
    if (strlen(dev->device_id) > 255)
        return fail(err, "invalid nbd deviceId '%s': it must be at most 255 bytes", dev->device_id);
    return 0;
}

static int check_net(const struct device *dev, char **err)
{
    if (dev->net != NET_UNIXGRAM)
        return 0;
    /* cvz binds its own datagram socket next to the peer's, as vfkit does */
    char *dir = path_dir(dev->unix_path);
    char *local = xasprintf("%s/cvz-%x-%08x.sock", dir, (unsigned)getpid(), 0u);
    free(dir);
    size_t len = strlen(local);
    int rc = 0;
    if (len >= 104)
        rc = fail(err, "unixgram path '%s' is too long: %zu bytes, the limit is 103", local, len);
    free(local);
    return rc;
}

static int check_device(const struct device *dev, char **err)
{
    switch (dev->kind) {
    case DEV_VIRTIO_BLK:
    case DEV_NVME:
    case DEV_USB_MASS_STORAGE: return check_disk(dev, err);
    case DEV_NBD: return check_nbd(dev, err);
    case DEV_VIRTIO_FS:
        if (!dev->shared_dir || !*dev->shared_dir)
            return fail(err, "missing mandatory 'sharedDir' option for virtio-fs device");
        return 0;
    case DEV_ROSETTA:
        /* vfkit says 'mountTage' here */
        if (!dev->mount_tag || !*dev->mount_tag)
            return fail(err, "missing mandatory 'mountTag' option for rosetta share");
        if (!host_is_arm64())
            return fail(err, "rosetta is unsupported on non-arm64 platforms");
        return 0;
    case DEV_VIRTIO_VSOCK:
        /* vfkit silently skips such an entry; cvz refuses it */
        if (dev->port == 0 || !dev->socket_url || !*dev->socket_url)
            return fail(err, "virtio-vsock needs both a port and a socket URL");
        return 0;
    case DEV_VIRTIO_NET: return check_net(dev, err);
    default: return 0;
    }
}

/* The files the VM reads or writes besides its serial logs. */
static void vm_files(const struct vmconfig *vm, struct strv *files)
{
    const struct bootloader *b = &vm->boot;
    const char *boot[] = {b->kernel, b->initrd, b->variable_store, b->machine_id_path, b->hw_model_path,
                          b->aux_image_path, vm->ignition};
    for (size_t i = 0; i < sizeof boot / sizeof boot[0]; i++)
        if (boot[i] && *boot[i])
            strv_push(files, boot[i]);
    for (size_t i = 0; i < vm->ndevices; i++) {
        const struct device *d = &vm->devices[i];
        if ((d->kind == DEV_VIRTIO_BLK || d->kind == DEV_NVME || d->kind == DEV_USB_MASS_STORAGE) && d->path &&
            *d->path)
            strv_push(files, d->path);
    }
}

/* The framework truncates a serial log file: it must be a regular file (or
 * new), and not one the VM uses (its disk, kernel...), compared by inode. */
static int check_log_files(const struct vmconfig *vm, char **err)
{
    struct strv files = {0};
    vm_files(vm, &files);
    int rc = 0;
    for (size_t i = 0; i < vm->ndevices && rc == 0; i++) {
        const char *log = vm->devices[i].log_file;
        struct stat ls, fs;
        if (!log || !*log || vm->devices[i].kind != DEV_VIRTIO_SERIAL)
            continue;
        rc = check_regular(log, true, err);
        if (rc != 0 || stat(log, &ls) != 0)
            continue;
        for (size_t k = 0; k < files.count && rc == 0; k++)
            if (stat(files.items[k], &fs) == 0 && same_file(&ls, &fs))
                rc = fail(err, "refusing to use %s as a serial log file: it is %s, which the VM uses (the log would "
                               "overwrite it)",
                          log, files.items[k]);
    }
    strv_free(&files);
    return rc;
}

int vmconfig_check(const struct vmconfig *vm, char **err)
{
    if (check_bootloader(vm, err) != 0)
        return -1;
    for (size_t i = 0; i < vm->ndevices; i++)
        if (check_device(&vm->devices[i], err) != 0)
            return -1;
    return check_log_files(vm, err);
}
