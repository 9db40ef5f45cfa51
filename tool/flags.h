/* SPDX-License-Identifier: Apache-2.0 */
/*
 * flags.h - `cvz run`'s command line, parsed the way vfkit's cobra/pflag
 * parses it: --flag value, --flag=value, -x value, -xvalue, -x=value, bundled
 * boolean shorthands, "--" ending the flags, positional arguments accepted
 * and ignored, the last occurrence of a scalar flag winning, and pflag's and
 * cobra's error messages (including the flag groups of --kernel, --initrd,
 * --kernel-cmdline and --bootloader).
 */
#ifndef CVZ_TOOL_FLAGS_H
#define CVZ_TOOL_FLAGS_H

#include "util.h"

#include <stdbool.h>
#include <stdint.h>

#define DEFAULT_RESTFUL_URI "none://"
#define DEFAULT_STOP_TIMEOUT_MS 5000

struct run_options {
    uint64_t cpus;       /* --cpus, default 1 */
    uint64_t memory_mib; /* --memory, default 512 */
    char *kernel;        /* --kernel (legacy) */
    char *initrd;
    char *cmdline;
    struct strv bootloader; /* --bootloader, split and appended */
    struct strv devices;    /* --device, one value each */
    char *timesync;
    char *restful_uri; /* default "none://" */
    char *log_level;
    bool gui;
    char *ignition;
    struct strv cloud_init; /* --cloud-init, split and appended */
    bool nested;
    char *pidfile;
    bool help;
    bool version;
    /* cvz's own */
    bool dry_run;
    int64_t stop_timeout_ms;

    /* which flags were given (cobra's "Changed") */
    bool kernel_set, initrd_set, cmdline_set, bootloader_set;
    bool cpus_set, memory_set; /* install-macos: else the restore image's minimums */
    struct strv positional; /* accepted and ignored, as vfkit does */
};

/* Parses argv[0..argc) (the arguments after "run").  Fills defaults first.
 * Returns 0, or -1 with *err set to pflag's/cobra's message. */
int flags_parse(int argc, char **argv, struct run_options *opts, char **err);

/* cobra's flag-group checks, run after help/version are handled. */
int flags_check_groups(const struct run_options *opts, char **err);

void flags_free(struct run_options *opts);

/* Go's time.ParseDuration ("5s", "500ms", "1m30s", "-1.5h"; the units ns, us,
 * µs, ms, s, m, h), with its range (an int64 of nanoseconds, about 2562047h)
 * and its error messages; the result rounded to milliseconds. */
int parse_duration_ms(const char *s, int64_t *ms, char **err);

#endif
