/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vmconfig.h - the virtual machine as vfkit's command line describes it:
 * bootloader, devices, time sync, ignition.  Parsed from `cvz run` options
 * in vfkit's order (vmconfig.c), printed back in vfkit's canonical form,
 * checked as vfkit checks it when it builds the VM (vmcheck.c), shown as
 * vfkit's JSON (inspect.c) and turned into a libcvz configuration (build.c).
 */
#ifndef CVZ_TOOL_VMCONFIG_H
#define CVZ_TOOL_VMCONFIG_H

#include "util.h"

#include <stdbool.h>
#include <stdint.h>

struct run_options;

enum boot_kind { BOOT_LINUX, BOOT_EFI, BOOT_MACOS };

struct bootloader {
    enum boot_kind kind;
    /* linux */
    char *kernel;
    char *initrd;
    char *cmdline;
    /* efi */
    char *variable_store;
    bool create;
    /* macos */
    char *machine_id_path;
    char *hw_model_path;
    char *aux_image_path;
};

enum dev_kind {
    DEV_VIRTIO_BLK,
    DEV_NVME,
    DEV_USB_MASS_STORAGE,
    DEV_NBD,
    DEV_VIRTIO_FS,
    DEV_ROSETTA,
    DEV_VIRTIO_VSOCK,
    DEV_VIRTIO_RNG,
    DEV_VIRTIO_BALLOON,
    DEV_VIRTIO_SERIAL,
    DEV_VIRTIO_NET,
    DEV_VIRTIO_INPUT,
    DEV_VIRTIO_GPU,
    DEV_KIND_COUNT
};

/* The device type as written on the command line ("virtio-blk"). */
const char *dev_kind_name(enum dev_kind kind);

enum net_mode { NET_NONE, NET_NAT, NET_FD, NET_UNIXGRAM };

struct device {
    enum dev_kind kind;
    char *spec;     /* the --device value this came from, or the canonical form of an automatic device */
    bool automatic; /* added by cvz itself (cloud-init, --gui, --ignition) */

    /* virtio-blk, nvme, usb-mass-storage; nbd shares path-less fields */
    char *path;
    char *disk_type; /* "", "image" or "dev" */
    bool readonly;
    char *device_id; /* virtio-blk, nbd */
    /* nbd */
    char *uri;
    int64_t timeout_ms;
    bool sync_none;
    /* virtio-fs, rosetta */
    char *shared_dir;
    char *mount_tag;
    bool install;
    bool ignore_if_missing;
    /* virtio-vsock */
    uint32_t port;
    char *socket_url;
    bool listen;
    /* virtio-serial */
    char *log_file;
    bool stdio;
    bool pty;
    /* virtio-net */
    enum net_mode net;
    bool nat;
    bool has_fd;
    int64_t fd;
    char *unix_path; /* unixSocketPath= or path= */
    bool vfkit_magic;
    bool has_mac;
    uint8_t mac[6];
    /* virtio-input: "pointing" or "keyboard" */
    const char *input_type;
    /* virtio-gpu */
    int64_t width;
    int64_t height;
    bool uses_gui;
};

struct vmconfig {
    uint64_t cpus;
    uint64_t memory_mib;
    struct bootloader boot;
    struct device *devices;
    size_t ndevices;
    bool has_timesync;
    uint32_t timesync_port;
    char *ignition;        /* path, or NULL */
    char *ignition_socket; /* the unix socket of its automatic vsock device */
    bool nested;
    bool gui;
    char *cloud_init_iso; /* the ISO cvz wrote, removed by vmconfig_free() */
};

/* Builds the configuration from parsed options, in vfkit's order: log level,
 * bootloader, CPUs/memory, nested, time sync, cloud-init (writes the ISO),
 * devices, --gui devices, ignition.  Stops at the first error. */
int vmconfig_from_options(const struct run_options *opts, struct vmconfig *vm, char **err);

/* What vfkit checks when it builds the VM (missing mandatory options, files,
 * the arm64 kernel format, limits...), every check that needs no framework. */
int vmconfig_check(const struct vmconfig *vm, char **err);

/* The canonical command line, one option per line. */
int vmconfig_print(const struct vmconfig *vm, const struct run_options *opts, struct strbuf *out, char **err);

/* vfkit's JSON (pkg/config/json.go), as GET /vm/inspect serves it. */
char *vmconfig_json(const struct vmconfig *vm);

void vmconfig_free(struct vmconfig *vm);

/* ---- parts (bootloader.c, device.c) ---- */

/* vfkit's BootloaderFromCmdLine: the (already split) --bootloader list. */
int bootloader_from_list(const struct strv *list, struct bootloader *boot, char **err);
void bootloader_free(struct bootloader *boot);

/* One --device value; `dev` is zeroed first. */
int device_parse(const char *value, struct device *dev, char **err);
/* The device's canonical --device value (ToCmdLine), or an error. */
int device_canonical(const struct device *dev, char **out, char **err);
void device_free(struct device *dev);

#endif
