/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bootloader.c - --bootloader linux|efi|macos,... (vfkit's
 * pkg/config/bootloader.go as summarised in the reference) and its canonical
 * form.
 */
#include "goconv.h"
#include "vmconfig.h"

#include "split.h"

#include <stdlib.h>
#include <string.h>

static void set(char **field, const char *value)
{
    free(*field);
    *field = xstrdup(value);
}

static int linux_options(struct bootloader *boot, const struct options *opts, char **err)
{
    for (size_t i = 0; i < opts->count; i++) {
        const struct option *o = &opts->items[i];
        if (strcmp(o->key, "kernel") == 0) {
            set(&boot->kernel, o->value);
        } else if (strcmp(o->key, "initrd") == 0) {
            set(&boot->initrd, o->value);
        } else if (strcmp(o->key, "cmdline") == 0) {
            /* the only value that loses its surrounding quotes */
            free(boot->cmdline);
            boot->cmdline = trim_quotes(o->value);
        } else {
            return fail(err, "unknown option for Linux bootloaders: %s", o->key);
        }
    }
    return 0;
}

static int efi_options(struct bootloader *boot, const struct options *opts, char **err)
{
    for (size_t i = 0; i < opts->count; i++) {
        const struct option *o = &opts->items[i];
        if (strcmp(o->key, "variable-store") == 0) {
            set(&boot->variable_store, o->value);
        } else if (strcmp(o->key, "create") == 0) {
            if (*o->value)
                return fail(err, "unexpected value for EFI bootloader 'create' option: %s", o->value);
            boot->create = true;
        } else {
            return fail(err, "unknown option for EFI bootloaders: %s", o->key);
        }
    }
    return 0;
}

static int macos_options(struct bootloader *boot, const struct options *opts, char **err)
{
    for (size_t i = 0; i < opts->count; i++) {
        const struct option *o = &opts->items[i];
        if (strcmp(o->key, "machineIdentifierPath") == 0)
            set(&boot->machine_id_path, o->value);
        else if (strcmp(o->key, "hardwareModelPath") == 0)
            set(&boot->hw_model_path, o->value);
        else if (strcmp(o->key, "auxImagePath") == 0)
            set(&boot->aux_image_path, o->value);
        else
            return fail(err, "unknown option for macOS bootloaders: %s", o->key);
    }
    return 0;
}

int bootloader_from_list(const struct strv *list, struct bootloader *boot, char **err)
{
    memset(boot, 0, sizeof *boot);
    if (list->count < 1)
        return fail(err, "empty option list in --bootloader command line argument");
    const char *type = list->items[0];
    struct options opts;
    options_from_strv(list, 1, &opts);
    int rc;
    if (strcmp(type, "linux") == 0) {
        boot->kind = BOOT_LINUX;
        rc = linux_options(boot, &opts, err);
    } else if (strcmp(type, "efi") == 0) {
        boot->kind = BOOT_EFI;
        rc = efi_options(boot, &opts, err);
    } else if (strcmp(type, "macos") == 0) {
        boot->kind = BOOT_MACOS;
        rc = macos_options(boot, &opts, err);
    } else {
        rc = fail(err, "unknown bootloader type: %s", type);
    }
    options_free(&opts);
    return rc;
}

void bootloader_free(struct bootloader *boot)
{
    free(boot->kernel);
    free(boot->initrd);
    free(boot->cmdline);
    free(boot->variable_store);
    free(boot->machine_id_path);
    free(boot->hw_model_path);
    free(boot->aux_image_path);
    memset(boot, 0, sizeof *boot);
}
