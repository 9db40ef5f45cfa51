/* SPDX-License-Identifier: Apache-2.0 */
/*
 * build_boot.c - the boot loader (Linux, EFI, macOS) and, for macOS, the
 * Mac platform, as vfkit builds them (pkg/vf/bootloader.go).
 */
#include "build_internal.h"
#include "error_text.h"
#include "userfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static int set_boot_loader(struct build_ctx *c, cvz_boot_loader *loader)
{
    BUILD_DO(c, cvz_virtual_machine_configuration_set_boot_loader(c->b->config, loader, e));
    return 0;
}

static int build_linux(struct build_ctx *c, const struct bootloader *bl)
{
    cvz_linux_boot_loader *boot;
    BUILD_NEW(c, boot, cvz_linux_boot_loader_new_with_kernel_url(bl->kernel, e));
    if (bl->initrd && *bl->initrd)
        BUILD_DO(c, cvz_linux_boot_loader_set_initial_ramdisk_url(boot, bl->initrd, e));
    BUILD_DO(c, cvz_linux_boot_loader_set_command_line(boot, bl->cmdline ? bl->cmdline : "", e));
    return set_boot_loader(c, cvz_linux_boot_loader_as_boot_loader(boot));
}

/* vfkit: create the store (overwriting, as Code-Hex/vz does) with `create`, else open it. */
static int build_efi(struct build_ctx *c, const struct bootloader *bl)
{
    cvz_efi_variable_store *store;
    cvz_efi_boot_loader *boot;
    if (bl->create)
        BUILD_NEW(c, store,
                  cvz_efi_variable_store_new_creating_variable_store_at_url_options(
                      bl->variable_store, CVZ_EFI_VARIABLE_STORE_INITIALIZATION_OPTION_ALLOW_OVERWRITE, e));
    else
        BUILD_NEW(c, store, cvz_efi_variable_store_new_with_url(bl->variable_store, e));
    BUILD_NEW(c, boot, cvz_efi_boot_loader_new(e));
    BUILD_DO(c, cvz_efi_boot_loader_set_variable_store(boot, store, e));
    return set_boot_loader(c, cvz_efi_boot_loader_as_boot_loader(boot));
}

/* A machine identifier or hardware model is a few hundred bytes of data. */
#define MAX_MODEL_DATA (1024 * 1024)

/* The whole file, malloc'ed; NULL with *c->err set. */
static char *read_all(struct build_ctx *c, const char *path, size_t *len)
{
    struct strbuf sb = {0};
    char *why = NULL;
    if (read_regular(path, MAX_MODEL_DATA, &sb, &why) != 0) {
        build_fail(c, "%s", why);
        free(why);
        sb_free(&sb);
        return NULL;
    }
    *len = sb.len;
    return sb_detach(&sb);
}

/* A hardware model or machine identifier from its data file; the framework refuses bad data. */
#define FROM_DATA(c, var, path, ctor, label)                                                                    \
    do {                                                                                                       \
        size_t len_ = 0;                                                                                       \
        char *data_ = read_all(c, path, &len_);                                                                \
        if (!data_)                                                                                            \
            return -1;                                                                                         \
        var = ctor(data_, len_, NULL);                                                                         \
        free(data_);                                                                                           \
        if (!var)                                                                                              \
            return build_fail(c, "invalid " label " in %s", path);                                             \
        build_keep(c, var);                                                                                    \
    } while (0)

static int build_macos(struct build_ctx *c, const struct bootloader *bl)
{
    cvz_mac_hardware_model *model;
    cvz_mac_machine_identifier *id;
    cvz_mac_auxiliary_storage *aux;
    cvz_mac_platform_configuration *platform;
    cvz_mac_os_boot_loader *boot;
    FROM_DATA(c, model, bl->hw_model_path, cvz_mac_hardware_model_new_with_data_representation, "hardware model");
    FROM_DATA(c, id, bl->machine_id_path, cvz_mac_machine_identifier_new_with_data_representation,
              "machine identifier");
    BUILD_NEW(c, aux, cvz_mac_auxiliary_storage_new_with_contents_of_url(bl->aux_image_path, e));
    BUILD_NEW(c, platform, cvz_mac_platform_configuration_new(e));
    BUILD_DO(c, cvz_mac_platform_configuration_set_hardware_model(platform, model, e));
    BUILD_DO(c, cvz_mac_platform_configuration_set_machine_identifier(platform, id, e));
    BUILD_DO(c, cvz_mac_platform_configuration_set_auxiliary_storage(platform, aux, e));
    BUILD_DO(c, cvz_virtual_machine_configuration_set_platform(
                    c->b->config, cvz_mac_platform_configuration_as_platform_configuration(platform), e));
    BUILD_NEW(c, boot, cvz_mac_os_boot_loader_new(e));
    return set_boot_loader(c, cvz_mac_os_boot_loader_as_boot_loader(boot));
}

/* vfkit: a generic platform with nested virtualization, where the host supports it (M3 and later, macOS 15). */
static int build_nested(struct build_ctx *c)
{
    cvz_generic_platform_configuration *platform;
    cvz_error *why = NULL;
    bool supported = cvz_generic_platform_configuration_nested_virtualization_supported(&why);
    if (why) {
        char *text = error_text(why);
        cvz_error_free(why);
        int rc = build_fail(c, "nested virtualization: %s", text);
        free(text);
        return rc;
    }
    if (!supported)
        return build_fail(c, "nested virtualization is not supported on this host");
    BUILD_NEW(c, platform, cvz_generic_platform_configuration_new(e));
    BUILD_DO(c, cvz_generic_platform_configuration_set_nested_virtualization_enabled(platform, true, e));
    BUILD_DO(c, cvz_virtual_machine_configuration_set_platform(
                    c->b->config, cvz_generic_platform_configuration_as_platform_configuration(platform), e));
    return 0;
}

int build_boot(struct build_ctx *c)
{
    const struct bootloader *bl = &c->vm->boot;
    if (c->vm->nested) {
        c->what = "--nested";
        if (build_nested(c) != 0)
            return -1;
    }
    switch (bl->kind) {
    case BOOT_LINUX: c->what = "kernel"; return build_linux(c, bl);
    case BOOT_EFI: c->what = "the EFI bootloader"; return build_efi(c, bl);
    case BOOT_MACOS: c->what = "the macOS bootloader"; return build_macos(c, bl);
    }
    return build_fail(c, "unknown bootloader");
}
