/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_flags.c - libFuzzer target: `cvz run`'s command line (tool/flags.c)
 * and the device strings (tool/device.c, tool/bootloader.c, tool/vmconfig.c).
 *
 * The input is the argument list after "run", its arguments separated by NUL
 * bytes.  It is parsed as cvz parses it, then turned into a VM configuration
 * and printed as --dry-run does (without --cloud-init, which writes an ISO
 * image), and each argument is also parsed as one --device value.  Nothing
 * is started and no file is written.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flags.h"
#include "vmconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    for (size_t at = 0; at <= size && argc < MAX_ARGS; at += strlen(text + at) + 1)
        argv[argc++] = text + at;
    argv[argc] = NULL;

    for (int i = 0; i < argc; i++) {
        struct device dev;
        char *err = NULL, *canonical = NULL;
        memset(&dev, 0, sizeof dev);
        if (device_parse(argv[i], &dev, &err) == 0) {
            if (device_canonical(&dev, &canonical, &err) == 0)
                free(canonical);
        } else if (!err) {
            abort();
        }
        device_free(&dev);
        free(err);
    }

    struct run_options opts;
    struct vmconfig vm;
    memset(&vm, 0, sizeof vm);
    char *err = NULL;
    if (flags_parse(argc, argv, &opts, &err) == 0 && !opts.help && !opts.version &&
        flags_check_groups(&opts, &err) == 0 && opts.cloud_init.count == 0 &&
        vmconfig_from_options(&opts, &vm, &err) == 0) {
        struct strbuf out = {0};
        if (vmconfig_print(&vm, &opts, &out, &err) == 0)
            free(vmconfig_json(&vm));
        sb_free(&out);
    }
    vmconfig_free(&vm);
    flags_free(&opts);
    free(err);
    free(text);
    return 0;
}
