/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inspect.c - the configuration as vfkit's JSON (pkg/config/json.go), the
 * body of GET /vm/inspect.  Field names, kinds and which fields are omitted
 * when empty follow vfkit's JSON tests; cvz adds "fd" for virtio-net on a
 * file descriptor (vfkit cannot serialise that one).
 */
#include "vmconfig.h"

#include "json.h"
#include "mac.h"

#include <stdlib.h>

static void bootloader_json(struct strbuf *sb, const struct bootloader *b)
{
    struct json_obj o;
    json_begin(&o, sb);
    switch (b->kind) {
    case BOOT_LINUX:
        json_str(&o, "kind", "linuxBootloader");
        json_str(&o, "vmlinuzPath", b->kernel);
        json_str(&o, "kernelCmdLine", b->cmdline);
        json_str(&o, "initrdPath", b->initrd);
        break;
    case BOOT_EFI:
        json_str(&o, "kind", "efiBootloader");
        json_str(&o, "efiVariableStorePath", b->variable_store);
        json_bool(&o, "createVariableStore", b->create);
        break;
    case BOOT_MACOS:
        json_str(&o, "kind", "macosBootloader");
        json_str(&o, "machineIdentifierPath", b->machine_id_path);
        json_str(&o, "hardwareModelPath", b->hw_model_path);
        json_str(&o, "auxImagePath", b->aux_image_path);
        break;
    }
    json_end(&o);
}

static void opt_str(struct json_obj *o, const char *key, const char *value)
{
    if (value && *value)
        json_str(o, key, value);
}

static void disk_json(struct json_obj *o, const struct device *d, const char *kind)
{
    json_str(o, "kind", kind);
    json_str(o, "devName", dev_kind_name(d->kind));
    json_str(o, "imagePath", d->path);
    if (d->readonly)
        json_bool(o, "readOnly", true);
    opt_str(o, "type", d->disk_type);
}

static void device_json(struct strbuf *sb, const struct device *d)
{
    struct json_obj o;
    json_begin(&o, sb);
    switch (d->kind) {
    case DEV_VIRTIO_BLK:
        disk_json(&o, d, "virtioblk");
        opt_str(&o, "deviceIdentifier", d->device_id);
        break;
    case DEV_NVME: disk_json(&o, d, "nvme"); break;
    case DEV_USB_MASS_STORAGE: disk_json(&o, d, "usbmassstorage"); break;
    case DEV_NBD:
        json_str(&o, "kind", "nbd");
        json_str(&o, "DeviceIdentifier", d->device_id);
        json_str(&o, "devName", "nbd");
        json_str(&o, "uri", d->uri);
        if (d->readonly)
            json_bool(&o, "readOnly", true);
        json_str(&o, "SynchronizationMode", d->sync_none ? "none" : "full");
        json_int(&o, "Timeout", (long long)d->timeout_ms * 1000000LL); /* a Go time.Duration, in ns */
        break;
    case DEV_VIRTIO_FS:
        json_str(&o, "kind", "virtiofs");
        opt_str(&o, "mountTag", d->mount_tag);
        json_str(&o, "sharedDir", d->shared_dir);
        break;
    case DEV_ROSETTA:
        json_str(&o, "kind", "rosetta");
        json_str(&o, "mountTag", d->mount_tag);
        json_bool(&o, "installRosetta", d->install);
        json_bool(&o, "ignoreIfMissing", d->ignore_if_missing);
        break;
    case DEV_VIRTIO_VSOCK:
        json_str(&o, "kind", "virtiosock");
        json_uint(&o, "port", d->port);
        json_str(&o, "socketURL", d->socket_url);
        if (d->listen)
            json_bool(&o, "listen", true);
        break;
    case DEV_VIRTIO_RNG: json_str(&o, "kind", "virtiorng"); break;
    case DEV_VIRTIO_BALLOON: json_str(&o, "kind", "virtioballoon"); break;
    case DEV_VIRTIO_SERIAL:
        json_str(&o, "kind", "virtioserial");
        opt_str(&o, "logFile", d->log_file);
        if (d->pty)
            json_bool(&o, "usesPty", true);
        if (d->stdio)
            json_bool(&o, "usesStdio", true);
        break;
    case DEV_VIRTIO_NET:
        json_str(&o, "kind", "virtionet");
        json_bool(&o, "nat", d->nat);
        opt_str(&o, "unixSocketPath", d->unix_path);
        if (d->net == NET_UNIXGRAM)
            json_bool(&o, "vfkitMagic", d->vfkit_magic);
        if (d->has_mac) {
            char mac[18];
            mac_format(d->mac, mac);
            json_str(&o, "macAddress", mac);
        }
        if (d->net == NET_FD)
            json_int(&o, "fd", (long long)d->fd);
        break;
    case DEV_VIRTIO_INPUT:
        json_str(&o, "kind", "virtioinput");
        json_str(&o, "inputType", d->input_type);
        break;
    case DEV_VIRTIO_GPU:
        json_str(&o, "kind", "virtiogpu");
        json_bool(&o, "usesGUI", d->uses_gui);
        json_int(&o, "width", (long long)d->width);
        json_int(&o, "height", (long long)d->height);
        break;
    default: break;
    }
    json_end(&o);
}

char *vmconfig_json(const struct vmconfig *vm)
{
    struct strbuf sb = {0};
    struct json_obj o;
    json_begin(&o, &sb);
    json_uint(&o, "vcpus", vm->cpus);
    json_uint(&o, "memoryBytes", vm->memory_mib * 1024ULL * 1024ULL);
    json_key(&o, "bootloader");
    bootloader_json(&sb, &vm->boot);
    if (vm->ndevices) {
        json_key(&o, "devices");
        sb_addc(&sb, '[');
        for (size_t i = 0; i < vm->ndevices; i++) {
            if (i)
                sb_addc(&sb, ',');
            device_json(&sb, &vm->devices[i]);
        }
        sb_addc(&sb, ']');
    }
    if (vm->has_timesync) {
        json_key(&o, "timesync");
        struct json_obj t;
        json_begin(&t, &sb);
        json_uint(&t, "vsockPort", vm->timesync_port);
        json_end(&t);
    }
    if (vm->ignition) {
        json_key(&o, "ignition");
        struct json_obj g;
        json_begin(&g, &sb);
        json_str(&g, "kind", "ignition");
        json_str(&g, "configPath", vm->ignition);
        json_str(&g, "socketPath", vm->ignition_socket);
        json_end(&g);
    }
    if (vm->nested)
        json_bool(&o, "nested", true);
    json_end(&o);
    return sb_detach(&sb);
}
