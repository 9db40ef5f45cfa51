/* SPDX-License-Identifier: Apache-2.0 */
/*
 * device.c - one --device value: vfkit's parsing (pkg/config/virtio.go, as
 * summarised in the reference) and its canonical ToCmdLine form.
 *
 * The value is split on every ','; the first element is the type; the rest
 * are key[=value] options split at the first '=', empty ones skipped, the
 * last of a repeated option winning.
 */
#include "goconv.h"
#include "vmconfig.h"

#include "mac.h"
#include "split.h"
#include "userfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const kind_names[DEV_KIND_COUNT] = {
    [DEV_VIRTIO_BLK] = "virtio-blk",
    [DEV_NVME] = "nvme",
    [DEV_USB_MASS_STORAGE] = "usb-mass-storage",
    [DEV_NBD] = "nbd",
    [DEV_VIRTIO_FS] = "virtio-fs",
    [DEV_ROSETTA] = "rosetta",
    [DEV_VIRTIO_VSOCK] = "virtio-vsock",
    [DEV_VIRTIO_RNG] = "virtio-rng",
    [DEV_VIRTIO_BALLOON] = "virtio-balloon",
    [DEV_VIRTIO_SERIAL] = "virtio-serial",
    [DEV_VIRTIO_NET] = "virtio-net",
    [DEV_VIRTIO_INPUT] = "virtio-input",
    [DEV_VIRTIO_GPU] = "virtio-gpu",
};

const char *dev_kind_name(enum dev_kind kind)
{
    return kind < DEV_KIND_COUNT ? kind_names[kind] : "?";
}

static void set(char **field, const char *value)
{
    free(*field);
    *field = xstrdup(value);
}

/* ---- disks: virtio-blk, nvme, usb-mass-storage ------------------------------- */

/* virtio-blk reads the image's first bytes while parsing: a missing or empty
 * file and a qcow2 image fail here. */
static int check_image_header(const char *path, char **err)
{
    char *open_why = NULL;
    int fd = open_regular(path, &open_why); /* a FIFO would block, a device is no image */
    if (fd < 0) {
        fail(err, "failed to open file %s: %s", path, open_why);
        free(open_why);
        return -1;
    }
    unsigned char header[4];
    ssize_t n = read(fd, header, sizeof header);
    int saved = errno;
    close(fd);
    if (n < 0) {
        char *why = go_path_error("read", path, saved);
        fail(err, "failed to read the header of file %s: %s", path, why);
        free(why);
        return -1;
    }
    if (n == 0)
        return fail(err, "failed to read the header of file %s: EOF", path);
    if (n == 4 && memcmp(header, "QFI\xfb", 4) == 0)
        return fail(err, "cvz does not support qcow2 image format");
    return 0;
}

static int parse_disk(struct device *dev, const struct options *opts, char **err)
{
    const char *name = dev_kind_name(dev->kind);
    dev->disk_type = xstrdup("");
    for (size_t i = 0; i < opts->count; i++) {
        const struct option *o = &opts->items[i];
        if (strcmp(o->key, "path") == 0) {
            set(&dev->path, o->value);
        } else if (strcmp(o->key, "type") == 0) {
            if (*o->value && strcmp(o->value, "image") != 0 && strcmp(o->value, "dev") != 0)
                return fail(err, "unexpected value for disk 'type' option: %s", o->value);
            set(&dev->disk_type, o->value);
        } else if (strcmp(o->key, "readonly") == 0) {
            /* vfkit always says "virtio-blk" here; cvz names the device. */
            if (*o->value)
                return fail(err, "unexpected value for %s 'readonly' option: %s", name, o->value);
            dev->readonly = true;
        } else if (strcmp(o->key, "deviceId") == 0 && dev->kind == DEV_VIRTIO_BLK) {
            set(&dev->device_id, o->value);
        } else {
            return fail(err, "unknown option for %s devices: %s", name, o->key);
        }
    }
    if (dev->kind == DEV_VIRTIO_BLK)
        return check_image_header(dev->path ? dev->path : "", err);
    return 0;
}

/* ---- nbd ----------------------------------------------------------------------------- */

static int parse_nbd(struct device *dev, const struct options *opts, char **err)
{
    dev->timeout_ms = 15000;
    for (size_t i = 0; i < opts->count; i++) {
        const struct option *o = &opts->items[i];
        if (strcmp(o->key, "uri") == 0) {
            set(&dev->uri, o->value);
        } else if (strcmp(o->key, "deviceId") == 0) {
            set(&dev->device_id, o->value);
        } else if (strcmp(o->key, "timeout") == 0) {
            if (go_parse_int(o->value, 32, &dev->timeout_ms, err) != 0)
                return -1;
        } else if (strcmp(o->key, "sync") == 0) {
            if (strcmp(o->value, "full") == 0)
                dev->sync_none = false;
            else if (strcmp(o->value, "none") == 0)
                dev->sync_none = true;
            else
                return fail(err, "invalid sync mode: %s, must be 'full' or 'none'", o->value);
        } else if (strcmp(o->key, "readonly") == 0) {
            if (*o->value)
                return fail(err, "unexpected value for nbd 'readonly' option: %s", o->value);
            dev->readonly = true;
        } else {
            return fail(err, "unknown option for nbd devices: %s", o->key);
        }
    }
    return 0;
}

/* ---- directory shares ----------------------------------------------------------------- */

static int parse_fs(struct device *dev, const struct options *opts, char **err)
{
    for (size_t i = 0; i < opts->count; i++) {
        const struct option *o = &opts->items[i];
        if (strcmp(o->key, "sharedDir") == 0)
            set(&dev->shared_dir, o->value);
        else if (strcmp(o->key, "mountTag") == 0)
            set(&dev->mount_tag, o->value);
        else
            return fail(err, "unknown option for virtio-fs devices: %s", o->key);
    }
    return 0;
}

static int parse_rosetta(struct device *dev, const struct options *opts, char **err)
{
    for (size_t i = 0; i < opts->count; i++) {
        const struct option *o = &opts->items[i];
        if (strcmp(o->key, "mountTag") == 0)
            set(&dev->mount_tag, o->value);
        else if (strcmp(o->key, "install") == 0)
            dev->install = true; /* a value is ignored, as vfkit does */
        else if (strcmp(o->key, "ignore-if-missing") == 0)
            dev->ignore_if_missing = true;
        else
            return fail(err, "unknown option for rosetta share: %s", o->key);
    }
    return 0;
}

/* ---- vsock ------------------------------------------------------------------------------------ */

static int parse_vsock(struct device *dev, const struct options *opts, char **err)
{
    dev->listen = true; /* vfkit's default, for backwards compatibility */
    for (size_t i = 0; i < opts->count; i++) {
        const struct option *o = &opts->items[i];
        if (strcmp(o->key, "port") == 0) {
            uint64_t port;
            if (go_parse_uint(o->value, 10, 32, &port, err) != 0)
                return -1;
            dev->port = (uint32_t)port;
        } else if (strcmp(o->key, "socketURL") == 0) {
            set(&dev->socket_url, o->value);
        } else if (strcmp(o->key, "listen") == 0) {
            dev->listen = true;
        } else if (strcmp(o->key, "connect") == 0) {
            dev->listen = false;
        } else {
            return fail(err, "unknown option for virtio-vsock devices: %s", o->key);
        }
    }
    return 0;
}

/* ---- devices without options ------------------------------------------------------------------ */

static int parse_no_options(struct device *dev, const struct options *opts, char **err)
{
    if (opts->count == 0)
        return 0;
    char *list = options_go_string(opts);
    fail(err, "unknown options for %s devices: %s", dev_kind_name(dev->kind), list);
    free(list);
    return -1;
}

/* ---- serial ------------------------------------------------------------------------------------- */

static int parse_serial(struct device *dev, const struct options *opts, char **err)
{
    for (size_t i = 0; i < opts->count; i++) {
        const struct option *o = &opts->items[i];
        if (strcmp(o->key, "logFilePath") == 0) {
            set(&dev->log_file, o->value);
        } else if (strcmp(o->key, "stdio") == 0) {
            if (*o->value)
                return fail(err, "unexpected value for virtio-serial 'stdio' option: %s", o->value);
            dev->stdio = true;
        } else if (strcmp(o->key, "pty") == 0) {
            dev->pty = true; /* a value is ignored, as vfkit does */
        } else {
            return fail(err, "unknown option for virtio-serial devices: %s", o->key);
        }
    }
    bool log = dev->log_file && *dev->log_file;
    if (log && dev->stdio)
        return fail(err, "'logFilePath' and 'stdio' cannot be set at the same time");
    if (log && dev->pty)
        return fail(err, "'logFilePath' and 'pty' cannot be set at the same time");
    if (dev->stdio && dev->pty)
        return fail(err, "'stdio' and 'pty' cannot be set at the same time");
    if (!log && !dev->stdio && !dev->pty)
        return fail(err, "one of 'logFilePath', 'stdio' or 'pty' must be set");
    return 0;
}

/* ---- network -------------------------------------------------------------------------------------- */

static int parse_net(struct device *dev, const struct options *opts, char **err)
{
    bool has_type = false, has_magic = false;
    const char *needs_type = NULL; /* the first of path=/offloading= given */
    char *socket_path = NULL; /* unixSocketPath= or its new spelling path=; the last one wins */
    int rc = -1;
    for (size_t i = 0; i < opts->count; i++) {
        const struct option *o = &opts->items[i];
        if (strcmp(o->key, "nat") == 0) {
            if (*o->value) {
                fail(err, "unexpected value for virtio-net 'nat' option: %s", o->value);
                goto out;
            }
            dev->nat = true;
        } else if (strcmp(o->key, "mac") == 0) {
            if (mac_parse(o->value, dev->mac, err) != 0)
                goto out;
            dev->has_mac = true;
        } else if (strcmp(o->key, "fd") == 0) {
            int64_t fd;
            if (go_atoi(o->value, &fd, err) != 0)
                goto out;
            if (fd < 0 || fd > 2147483647) {
                fail(err, "invalid file descriptor: %lld", (long long)fd);
                goto out;
            }
            dev->fd = fd;
            dev->has_fd = true;
        } else if (strcmp(o->key, "unixSocketPath") == 0) {
            set(&socket_path, o->value);
        } else if (strcmp(o->key, "type") == 0) {
            if (strcmp(o->value, "unixgram") != 0) {
                fail(err, "unsupported virtio-net type: %s (only 'unixgram' is supported)", o->value);
                goto out;
            }
            has_type = true;
        } else if (strcmp(o->key, "path") == 0) {
            set(&socket_path, o->value);
            if (!needs_type)
                needs_type = "path";
        } else if (strcmp(o->key, "vfkitMagic") == 0) {
            if (strcmp(o->value, "on") == 0) {
                dev->vfkit_magic = true;
            } else if (strcmp(o->value, "off") == 0) {
                dev->vfkit_magic = false;
            } else {
                fail(err, "invalid value for vfkitMagic: %s (expected on/off)", o->value);
                goto out;
            }
            has_magic = true;
        } else if (strcmp(o->key, "offloading") == 0) {
            if (strcmp(o->value, "off") != 0) {
                fail(err, "invalid value for offloading: %s (only 'off' is supported)", o->value);
                goto out;
            }
            if (!needs_type)
                needs_type = "offloading";
        } else {
            fail(err, "unknown option for virtio-net devices: %s", o->key);
            goto out;
        }
    }
    if (has_type && !(socket_path && *socket_path)) {
        fail(err, "'type' option requires 'path' to be specified");
        goto out;
    }
    if (!has_type && needs_type) {
        fail(err, "'%s' option requires 'type' to be specified", needs_type);
        goto out;
    }
    bool has_unix = socket_path && *socket_path;
    if (has_unix)
        dev->unix_path = xstrdup(socket_path);
    if (!has_magic)
        dev->vfkit_magic = has_unix;
    if (dev->nat && dev->has_fd) {
        fail(err, "'nat' and 'fd' cannot be set at the same time");
        goto out;
    }
    if (dev->nat && has_unix) {
        fail(err, "'nat' and 'unixSocketPath' cannot be set at the same time");
        goto out;
    }
    if (dev->has_fd && has_unix) {
        fail(err, "'fd' and 'unixSocketPath' cannot be set at the same time");
        goto out;
    }
    if (!dev->nat && !dev->has_fd && !has_unix) {
        fail(err, "one of 'nat' or 'fd' or 'unixSocketPath' must be set");
        goto out;
    }
    dev->net = dev->nat ? NET_NAT : dev->has_fd ? NET_FD : NET_UNIXGRAM;
    rc = 0;
out:
    free(socket_path);
    return rc;
}

/* ---- input and graphics ---------------------------------------------------------------------------- */

static int parse_input(struct device *dev, const struct options *opts, char **err)
{
    for (size_t i = 0; i < opts->count; i++) {
        const struct option *o = &opts->items[i];
        if (strcmp(o->key, "pointing") == 0 || strcmp(o->key, "keyboard") == 0) {
            const char *type = strcmp(o->key, "pointing") == 0 ? "pointing" : "keyboard";
            if (*o->value)
                return fail(err, "unexpected value for virtio-input %s option: %s", type, o->value);
            dev->input_type = type;
        } else {
            return fail(err, "unknown option for virtio-input devices: %s", o->key);
        }
    }
    if (!dev->input_type)
        return fail(err, "unknown option for virtio-input devices: ");
    return 0;
}

static int parse_gpu(struct device *dev, const struct options *opts, char **err)
{
    bool has_width = false, has_height = false;
    for (size_t i = 0; i < opts->count; i++) {
        const struct option *o = &opts->items[i];
        bool width = strcmp(o->key, "width") == 0;
        if (width || strcmp(o->key, "height") == 0) {
            int64_t v;
            char *ignored = NULL;
            if (go_atoi(o->value, &v, &ignored) != 0 || v < 1) {
                free(ignored);
                return fail(err, "invalid value for virtio-gpu %s: %s", o->key, o->value);
            }
            if (width) {
                dev->width = v;
                has_width = true;
            } else {
                dev->height = v;
                has_height = true;
            }
        } else {
            return fail(err, "unknown option for virtio-gpu devices: %s", o->key);
        }
    }
    if (!has_width && !has_height) {
        dev->width = 800;
        dev->height = 600;
    } else if (!has_width || !has_height) {
        return fail(err, "invalid dimensions for virtio-gpu device resolution: %lldx%lld", (long long)dev->width,
                    (long long)dev->height);
    }
    return 0;
}

/* ---- entry points ----------------------------------------------------------------------------------- */

int device_parse(const char *value, struct device *dev, char **err)
{
    memset(dev, 0, sizeof *dev);
    dev->spec = xstrdup(value);
    struct strv parts = {0};
    split_plain(value, &parts);
    const char *type = parts.items[0];
    int kind = -1;
    for (int k = 0; k < DEV_KIND_COUNT; k++)
        if (strcmp(type, kind_names[k]) == 0)
            kind = k;
    if (kind < 0) {
        fail(err, "unknown device type: %s", type);
        strv_free(&parts);
        return -1;
    }
    dev->kind = (enum dev_kind)kind;
    struct options opts;
    options_from_strv(&parts, 1, &opts);
    int rc;
    switch (dev->kind) {
    case DEV_VIRTIO_BLK:
    case DEV_NVME:
    case DEV_USB_MASS_STORAGE: rc = parse_disk(dev, &opts, err); break;
    case DEV_NBD: rc = parse_nbd(dev, &opts, err); break;
    case DEV_VIRTIO_FS: rc = parse_fs(dev, &opts, err); break;
    case DEV_ROSETTA: rc = parse_rosetta(dev, &opts, err); break;
    case DEV_VIRTIO_VSOCK: rc = parse_vsock(dev, &opts, err); break;
    case DEV_VIRTIO_RNG:
    case DEV_VIRTIO_BALLOON: rc = parse_no_options(dev, &opts, err); break;
    case DEV_VIRTIO_SERIAL: rc = parse_serial(dev, &opts, err); break;
    case DEV_VIRTIO_NET: rc = parse_net(dev, &opts, err); break;
    case DEV_VIRTIO_INPUT: rc = parse_input(dev, &opts, err); break;
    case DEV_VIRTIO_GPU: rc = parse_gpu(dev, &opts, err); break;
    default: rc = fail(err, "unknown device type: %s", type); break;
    }
    options_free(&opts);
    strv_free(&parts);
    return rc;
}

int device_canonical(const struct device *dev, char **out, char **err)
{
    struct strbuf sb = {0};
    const char *name = dev_kind_name(dev->kind);
    sb_adds(&sb, name);
    switch (dev->kind) {
    case DEV_VIRTIO_BLK:
    case DEV_NVME:
    case DEV_USB_MASS_STORAGE:
        if (!dev->path || !*dev->path) {
            sb_free(&sb);
            return fail(err, "%s devices need the path to a disk image", name);
        }
        sb_addf(&sb, ",path=%s", dev->path);
        if (dev->disk_type && *dev->disk_type)
            sb_addf(&sb, ",type=%s", dev->disk_type);
        if (dev->readonly)
            sb_adds(&sb, ",readonly");
        if (dev->kind == DEV_VIRTIO_BLK && dev->device_id && *dev->device_id)
            sb_addf(&sb, ",deviceId=%s", dev->device_id);
        break;
    case DEV_NBD:
        if (!dev->uri || !*dev->uri) {
            sb_free(&sb);
            return fail(err, "nbd devices need the uri to a remote block device");
        }
        sb_addf(&sb, ",uri=%s", dev->uri);
        if (dev->readonly)
            sb_adds(&sb, ",readonly");
        if (dev->device_id && *dev->device_id)
            sb_addf(&sb, ",deviceId=%s", dev->device_id);
        if (dev->timeout_ms > 0)
            sb_addf(&sb, ",timeout=%lld", (long long)dev->timeout_ms);
        sb_addf(&sb, ",sync=%s", dev->sync_none ? "none" : "full");
        break;
    case DEV_VIRTIO_FS:
        if (!dev->shared_dir || !*dev->shared_dir) {
            sb_free(&sb);
            return fail(err, "virtio-fs needs the path to the directory to share");
        }
        sb_addf(&sb, ",sharedDir=%s", dev->shared_dir);
        if (dev->mount_tag && *dev->mount_tag)
            sb_addf(&sb, ",mountTag=%s", dev->mount_tag);
        break;
    case DEV_ROSETTA:
        if (!dev->mount_tag || !*dev->mount_tag) {
            sb_free(&sb);
            return fail(err, "rosetta shares require a mount tag to be specified");
        }
        sb_addf(&sb, ",mountTag=%s", dev->mount_tag);
        if (dev->install)
            sb_adds(&sb, ",install");
        if (dev->ignore_if_missing)
            sb_adds(&sb, ",ignore-if-missing");
        break;
    case DEV_VIRTIO_VSOCK:
        if (dev->port == 0 || !dev->socket_url || !*dev->socket_url) {
            sb_free(&sb);
            return fail(err, "virtio-vsock needs both a port and a socket URL");
        }
        sb_addf(&sb, ",port=%u,socketURL=%s,%s", dev->port, dev->socket_url, dev->listen ? "listen" : "connect");
        break;
    case DEV_VIRTIO_RNG:
    case DEV_VIRTIO_BALLOON:
        break;
    case DEV_VIRTIO_SERIAL:
        if (dev->stdio)
            sb_adds(&sb, ",stdio");
        else if (dev->pty)
            sb_adds(&sb, ",pty");
        else
            sb_addf(&sb, ",logFilePath=%s", dev->log_file);
        break;
    case DEV_VIRTIO_NET:
        if (dev->net == NET_NAT)
            sb_adds(&sb, ",nat");
        else if (dev->net == NET_FD)
            sb_addf(&sb, ",fd=%lld", (long long)dev->fd);
        else if (dev->vfkit_magic)
            sb_addf(&sb, ",unixSocketPath=%s", dev->unix_path);
        else
            sb_addf(&sb, ",type=unixgram,path=%s,vfkitMagic=off", dev->unix_path);
        if (dev->has_mac) {
            char mac[18];
            mac_format(dev->mac, mac);
            sb_addf(&sb, ",mac=%s", mac);
        }
        break;
    case DEV_VIRTIO_INPUT:
        sb_addf(&sb, ",%s", dev->input_type);
        break;
    case DEV_VIRTIO_GPU:
        sb_addf(&sb, ",width=%lld,height=%lld", (long long)dev->width, (long long)dev->height);
        break;
    default:
        break;
    }
    *out = sb_detach(&sb);
    return 0;
}

void device_free(struct device *dev)
{
    free(dev->spec);
    free(dev->path);
    free(dev->disk_type);
    free(dev->device_id);
    free(dev->uri);
    free(dev->shared_dir);
    free(dev->mount_tag);
    free(dev->socket_url);
    free(dev->log_file);
    free(dev->unix_path);
    memset(dev, 0, sizeof *dev);
}
