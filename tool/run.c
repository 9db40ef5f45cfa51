/* SPDX-License-Identifier: Apache-2.0 */
/*
 * run.c - `cvz run`: the order of the steps and their exit codes.
 *
 *   1. parse the flags (pflag's errors), --help, --version, cobra's flag groups
 *   2. the VM description in vfkit's order (vmconfig.c)
 *   3. what vfkit checks when it builds the VM (vmcheck.c), then --restful-uri
 *   4. --dry-run: print the canonical command line and stop here
 *   5. availability of every part on this host (build.c)
 *   6. build and validate the libcvz configuration, the pid file, then run it (runloop.c)
 */
#include "run.h"

#include "build.h"
#include "flags.h"
#include "goconv.h"
#include "help.h"
#include "log.h"
#include "resturi.h"
#include "runloop.h"
#include "userfile.h"
#include "vmconfig.h"

#include <cvz/cvz.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

/* Whether the file at path is a pid file whose process is gone (an earlier
 * cvz killed before it could remove it): a regular file of digits and a newline. */
static bool stale_pidfile(const char *path, char **why)
{
    struct strbuf sb = {0};
    char *err = NULL;
    bool stale = false;
    if (check_regular(path, false, &err) != 0) {
        *why = xasprintf("%s (a pid file is a regular file of a few bytes)", err);
    } else if (read_regular(path, 32, &sb, &err) != 0) {
        *why = xasprintf("%s exists and is not a pid file", path);
    } else {
        char *end = NULL;
        long pid = sb.len ? strtol(sb.data, &end, 10) : 0;
        if (pid <= 0 || !end || (*end && strcmp(end, "\n") != 0) || sb.data[0] < '0' || sb.data[0] > '9')
            *why = xasprintf("%s exists and is not a pid file", path);
        else if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            *why = xasprintf("%s names process %ld, which is running", path, pid);
        else
            stale = true;
    }
    free(err);
    sb_free(&sb);
    return stale;
}

/* Creates the pid file; a file already there is never truncated: only a
 * stale pid file is replaced.  *made identifies the file for its removal. */
static int write_pidfile(const char *path, struct stat *made, char **err)
{
    for (int attempt = 0;; attempt++) {
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd >= 0) {
            char text[32];
            int n = snprintf(text, sizeof text, "%ld\n", (long)getpid());
            bool ok = write(fd, text, (size_t)n) == n && fstat(fd, made) == 0;
            int saved = errno;
            if (close(fd) != 0 || !ok) {
                unlink(path);
                return fail(err, "could not write PID: write %s: %s", path, go_errno_text(ok ? errno : saved));
            }
            return 0;
        }
        if (errno != EEXIST || attempt > 0) {
            char *why = go_path_error("open", path, errno);
            fail(err, "could not write PID: %s", why);
            free(why);
            return -1;
        }
        char *why = NULL;
        if (!stale_pidfile(path, &why)) {
            fail(err, "could not write PID: %s", why);
            free(why);
            return -1;
        }
        unlink(path);
    }
}

/* Removes the pid file if it is still the one written and names this process. */
static void remove_pidfile(const char *path, const struct stat *made)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !same_file(&st, made))
        return;
    struct strbuf sb = {0};
    char *err = NULL;
    if (read_regular(path, 32, &sb, &err) == 0 && sb.len && atol(sb.data) == (long)getpid())
        unlink(path);
    free(err);
    sb_free(&sb);
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
    struct built_vm built;
    if (build_configuration(&vm, &built, &err) != 0) {
        build_free(&built);
        status = rejected(err);
        goto out;
    }
    /* after the build: a run refused for its configuration leaves no pid file */
    struct stat pidfile;
    if (*opts.pidfile && write_pidfile(opts.pidfile, &pidfile, &err) != 0) {
        build_free(&built);
        status = rejected(err);
        goto out;
    }
    if (vm.gui) {
        /* the display and input devices are built and validated; nothing can show them */
        status = rejected(xstrdup("cannot use --gui: cvz has no window to show the virtio-gpu display in"));
    } else {
        status = runloop_run(&vm, &opts, &built, &uri);
    }
    build_free(&built);
    if (*opts.pidfile)
        remove_pidfile(opts.pidfile, &pidfile);
out:
    rest_uri_free(&uri);
    vmconfig_free(&vm);
    flags_free(&opts);
    return status;
}
