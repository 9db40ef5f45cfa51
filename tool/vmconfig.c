/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vmconfig.c - from `cvz run` options to the VM description, in vfkit's
 * order (cmd/vfkit/root.go and main.go newVMConfiguration), and the canonical
 * command line printed by --dry-run.
 */
#include "vmconfig.h"

#include "cloudinit.h"
#include "flags.h"
#include "goconv.h"
#include "paths.h"
#include "split.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IGNITION_VSOCK_PORT 1024

static struct device *add_device(struct vmconfig *vm)
{
    vm->devices = xrealloc(vm->devices, (vm->ndevices + 1) * sizeof *vm->devices);
    struct device *dev = &vm->devices[vm->ndevices++];
    memset(dev, 0, sizeof *dev);
    return dev;
}

static int timesync_parse(const char *value, struct vmconfig *vm, char **err)
{
    if (*value == '\0')
        return 0;
    struct strv parts = {0};
    split_plain(value, &parts);
    struct options opts;
    options_from_strv(&parts, 0, &opts);
    int rc = 0;
    uint64_t port = 0;
    for (size_t i = 0; i < opts.count && rc == 0; i++) {
        if (strcmp(opts.items[i].key, "vsockPort") == 0)
            rc = go_parse_uint(opts.items[i].value, 10, 32, &port, err);
        else
            rc = fail(err, "unknown option for timesync parameter: %s", opts.items[i].key);
    }
    if (rc == 0 && port == 0)
        rc = fail(err, "missing 'vsockPort' option for timesync parameter");
    if (rc == 0) {
        vm->has_timesync = true;
        vm->timesync_port = (uint32_t)port;
    }
    options_free(&opts);
    strv_free(&parts);
    return rc;
}

static int add_parsed_device(struct vmconfig *vm, const char *value, bool automatic, char **err)
{
    struct device *dev = add_device(vm);
    if (device_parse(value, dev, err) != 0) {
        device_free(dev);
        vm->ndevices--;
        return -1;
    }
    dev->automatic = automatic;
    return 0;
}

int vmconfig_from_options(const struct run_options *o, struct vmconfig *vm, char **err)
{
    memset(vm, 0, sizeof *vm);

    /* 1. log level */
    if (*o->log_level && strcmp(o->log_level, "debug") != 0 && strcmp(o->log_level, "info") != 0 &&
        strcmp(o->log_level, "error") != 0)
        return fail(err, "unknown log level: %s", o->log_level);

    /* 2. bootloader: the legacy trio when any of it is non-empty, else --bootloader */
    if (*o->kernel || *o->initrd || *o->cmdline) {
        vm->boot.kind = BOOT_LINUX;
        vm->boot.kernel = xstrdup(o->kernel);
        vm->boot.initrd = xstrdup(o->initrd);
        vm->boot.cmdline = xstrdup(o->cmdline);
    } else if (bootloader_from_list(&o->bootloader, &vm->boot, err) != 0) {
        return -1;
    }

    /* 3. resources; 4. nested (whether the host supports it is asked before running) */
    vm->cpus = o->cpus;
    vm->memory_mib = o->memory_mib;
    vm->nested = o->nested;

    /* 5. time sync */
    if (timesync_parse(o->timesync, vm, err) != 0)
        return -1;

    /* 6. cloud-init: the ISO goes after the user's devices */
    if (cloudinit_make_iso(&o->cloud_init, &vm->cloud_init_iso, err) != 0)
        return -1;

    /* 7. the pid file is written by `cvz run` once everything is checked */

    /* 8. devices, in order */
    for (size_t i = 0; i < o->devices.count; i++)
        if (add_parsed_device(vm, o->devices.items[i], false, err) != 0)
            return -1;
    if (vm->cloud_init_iso) {
        char *spec = xasprintf("virtio-blk,path=%s", vm->cloud_init_iso);
        int rc = add_parsed_device(vm, spec, true, err);
        free(spec);
        if (rc != 0)
            return -1;
    }

    /* 9. --gui: a display and a keyboard when none was given; the first display opens the window */
    vm->gui = o->gui;
    if (o->gui) {
        struct device *gpu = NULL;
        bool input = false;
        for (size_t i = 0; i < vm->ndevices; i++) {
            if (vm->devices[i].kind == DEV_VIRTIO_GPU && !gpu)
                gpu = &vm->devices[i];
            if (vm->devices[i].kind == DEV_VIRTIO_INPUT)
                input = true;
        }
        if (gpu) {
            gpu->uses_gui = true;
        } else {
            if (add_parsed_device(vm, "virtio-gpu", true, err) != 0)
                return -1;
            vm->devices[vm->ndevices - 1].uses_gui = true;
        }
        if (!input && add_parsed_device(vm, "virtio-input,keyboard", true, err) != 0)
            return -1;
    }

    /* 10. ignition: served to the guest on vsock port 1024 */
    if (*o->ignition) {
        if (strchr(o->ignition, ','))
            return fail(err, "ignition only accepts one option in command line argument");
        vm->ignition = xstrdup(o->ignition);
        /* vfkit's fixed ignition.sock would let two cvz take it from each other */
        vm->ignition_socket = xasprintf("%s/cvz-ignition-%ld.sock", temp_dir(), (long)getpid());
        struct device *dev = add_device(vm);
        dev->kind = DEV_VIRTIO_VSOCK;
        dev->automatic = true;
        dev->port = IGNITION_VSOCK_PORT;
        dev->socket_url = xstrdup(vm->ignition_socket);
        dev->listen = true;
        dev->spec = xasprintf("virtio-vsock,port=%d,socketURL=%s,listen", IGNITION_VSOCK_PORT, vm->ignition_socket);
    }
    return 0;
}

/* A value as printed: raw, or "" when empty so the line keeps its shape. */
static const char *shown(const char *v)
{
    return v && *v ? v : "\"\"";
}

int vmconfig_print(const struct vmconfig *vm, const struct run_options *o, struct strbuf *out, char **err)
{
    sb_addf(out, "--cpus %llu\n", (unsigned long long)vm->cpus);
    sb_addf(out, "--memory %llu\n", (unsigned long long)vm->memory_mib);
    const struct bootloader *b = &vm->boot;
    switch (b->kind) {
    case BOOT_LINUX:
        /* vfkit's LinuxBootloader.ToCmdLine emits the legacy flags */
        if (!b->kernel || !*b->kernel)
            return fail(err, "missing kernel path");
        sb_addf(out, "--kernel %s\n", b->kernel);
        if (b->initrd && *b->initrd)
            sb_addf(out, "--initrd %s\n", b->initrd);
        sb_addf(out, "--kernel-cmdline %s\n", shown(b->cmdline));
        break;
    case BOOT_EFI:
        if (!b->variable_store || !*b->variable_store)
            return fail(err, "missing EFI store path");
        sb_addf(out, "--bootloader efi,variable-store=%s%s\n", b->variable_store, b->create ? ",create" : "");
        break;
    case BOOT_MACOS:
        /* vfkit prints nothing for macOS; cvz prints a form it can read back */
        sb_addf(out, "--bootloader macos,machineIdentifierPath=%s,hardwareModelPath=%s,auxImagePath=%s\n",
                b->machine_id_path, b->hw_model_path, b->aux_image_path);
        break;
    }
    for (size_t i = 0; i < vm->ndevices; i++) {
        char *canonical = NULL;
        if (device_canonical(&vm->devices[i], &canonical, err) != 0)
            return -1;
        sb_addf(out, "--device %s\n", canonical);
        free(canonical);
    }
    if (vm->has_timesync)
        sb_addf(out, "--timesync vsockPort=%u\n", vm->timesync_port);
    if (vm->ignition)
        sb_addf(out, "--ignition %s\n", vm->ignition);
    if (vm->nested)
        sb_adds(out, "--nested\n");
    if (vm->gui)
        sb_adds(out, "--gui\n");
    if (strcmp(o->restful_uri, DEFAULT_RESTFUL_URI) != 0)
        sb_addf(out, "--restful-uri %s\n", o->restful_uri);
    if (*o->pidfile)
        sb_addf(out, "--pidfile %s\n", o->pidfile);
    if (*o->log_level)
        sb_addf(out, "--log-level %s\n", o->log_level);
    return 0;
}

void vmconfig_free(struct vmconfig *vm)
{
    bootloader_free(&vm->boot);
    for (size_t i = 0; i < vm->ndevices; i++)
        device_free(&vm->devices[i]);
    free(vm->devices);
    free(vm->ignition);
    free(vm->ignition_socket);
    if (vm->cloud_init_iso) {
        unlink(vm->cloud_init_iso);
        free(vm->cloud_init_iso);
    }
    memset(vm, 0, sizeof *vm);
}
