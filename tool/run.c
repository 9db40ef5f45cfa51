/*
 * run.c - `cvz run`: the order of the steps and their exit codes.
 *
 *   1. parse the flags (pflag's errors), --help, --version, cobra's flag groups
 *   2. the VM description in vfkit's order (vmconfig.c)
 *   3. what vfkit checks when it builds the VM (vmcheck.c), then --restful-uri
 *   4. --dry-run: print the canonical command line and stop here
 *   5. availability of every part on this host (build.c), the pid file
 *   6. build and validate the libcvz configuration, then run it (runloop.c)
 */
#include "run.h"

#include "build.h"
#include "flags.h"
#include "help.h"
#include "resturi.h"
#include "runloop.h"
#include "vmconfig.h"

#include <cvz/cvz.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int rejected(char *err)
{
    show_error(err);
    free(err);
    return EXIT_REJECTED;
}

static int write_pidfile(const char *path, char **err)
{
    FILE *f = fopen(path, "w");
    if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
        int saved = errno;
        char *why = go_path_error("open", path, saved);
        fail(err, "could not write PID: %s", why);
        free(why);
        return -1;
    }
    return 0;
}

/* Removes the pid file if it still names this process. */
static void remove_pidfile(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    long pid = 0;
    int n = fscanf(f, "%ld", &pid);
    fclose(f);
    if (n == 1 && pid == (long)getpid())
        unlink(path);
}

int cmd_run(int argc, char **argv)
{
    struct run_options opts;
    struct vmconfig vm;
    struct rest_uri uri;
    char *err = NULL;
    int status;
    memset(&vm, 0, sizeof vm);
    memset(&uri, 0, sizeof uri);

    if (flags_parse(argc, argv, &opts, &err) != 0) {
        flags_free(&opts);
        return rejected(err);
    }
    if (opts.help) {
        help_print_run();
        flags_free(&opts);
        return 0;
    }
    if (opts.version) {
        help_print_version();
        flags_free(&opts);
        return 0;
    }
    if (flags_check_groups(&opts, &err) != 0 || vmconfig_from_options(&opts, &vm, &err) != 0 ||
        vmconfig_check(&vm, &err) != 0 || rest_uri_parse(opts.restful_uri, &uri, &err) != 0) {
        status = rejected(err);
        goto out;
    }

    if (opts.dry_run) {
        struct strbuf out = {0};
        if (vmconfig_print(&vm, &opts, &out, &err) != 0) {
            sb_free(&out);
            status = rejected(err);
            goto out;
        }
        fputs(out.data, stdout);
        sb_free(&out);
        status = 0;
        goto out;
    }

    log_set_level(strcmp(opts.log_level, "error") == 0   ? LOG_ERROR
                  : strcmp(opts.log_level, "debug") == 0 ? LOG_DEBUG
                                                         : LOG_INFO);
    if (build_check(&vm, &err) != 0) {
        status = rejected(err);
        goto out;
    }
    if (*opts.pidfile && write_pidfile(opts.pidfile, &err) != 0) {
        status = rejected(err);
        goto out;
    }
    struct built_vm built;
    if (build_configuration(&vm, &built, &err) != 0) {
        build_free(&built);
        status = rejected(err);
    } else if (vm.gui) {
        /* the display and input devices are built and validated; nothing can show them */
        build_free(&built);
        status = rejected(xstrdup("cannot use --gui: cvz has no window to show the virtio-gpu display in"));
    } else {
        status = runloop_run(&vm, &opts, &built, &uri);
        build_free(&built);
    }
    if (*opts.pidfile)
        remove_pidfile(opts.pidfile);
out:
    rest_uri_free(&uri);
    vmconfig_free(&vm);
    flags_free(&opts);
    return status;
}
