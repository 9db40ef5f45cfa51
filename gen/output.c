/* SPDX-License-Identifier: Apache-2.0 */
/*
 * output.c - a set of output files written all or nothing (see output.h).
 */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static const int cleanup_signals[] = {SIGHUP, SIGINT, SIGPIPE, SIGTERM};
#define CLEANUP_SIGNAL_COUNT (sizeof cleanup_signals / sizeof *cleanup_signals)

/* The temporaries that exist, or are about to: what the signal handler removes. */
static char **volatile temps;
static volatile sig_atomic_t temp_count;

static void remove_temps_and_die(int sig)
{
    for (sig_atomic_t i = 0; i < temp_count; i++)
        unlink(temps[i]);
    /* SA_RESETHAND restored the default action; the signal is blocked until we return. */
    raise(sig);
}

static void cleanup_signal_set(sigset_t *set)
{
    sigemptyset(set);
    for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++)
        sigaddset(set, cleanup_signals[i]);
}

static void install_handlers(struct sigaction old[CLEANUP_SIGNAL_COUNT])
{
    struct sigaction sa = {.sa_handler = remove_temps_and_die, .sa_flags = SA_RESETHAND};
    cleanup_signal_set(&sa.sa_mask);
    for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++) {
        sigaction(cleanup_signals[i], NULL, &old[i]);
        /* A signal the caller ignores (nohup) stays ignored. */
        if (old[i].sa_handler != SIG_IGN)
            sigaction(cleanup_signals[i], &sa, NULL);
    }
}

static void restore_handlers(const struct sigaction old[CLEANUP_SIGNAL_COUNT])
{
    for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++)
        sigaction(cleanup_signals[i], &old[i], NULL);
}

/* 1: path holds exactly data; 0: it does not exist or differs; -1: it is not a regular file (reported). */
static int compare_target(const char *path, const char *data, size_t len)
{
    /* O_NONBLOCK: opening a FIFO someone put there must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        struct stat st;
        if (errno == ENOENT || (lstat(path, &st) == 0 && S_ISREG(st.st_mode)))
            return 0;
        diag_error((struct loc){path, 0}, "cannot write: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        diag_error((struct loc){path, 0}, "cannot write: not a regular file");
        return -1;
    }
    bool same = (size_t)st.st_size == len;
    char chunk[8192];
    size_t off = 0;
    ssize_t n;
    while (same && (n = read(fd, chunk, sizeof chunk)) > 0) {
        same = off + (size_t)n <= len && memcmp(chunk, data + off, (size_t)n) == 0;
        off += (size_t)n;
    }
    close(fd);
    return same && off == len;
}

static int write_temp(const char *tmp, const struct output *f)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < f->len) {
        ssize_t n = write(fd, f->data + off, f->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int saved = n < 0 ? errno : ENOSPC;
            close(fd);
            errno = saved;
            return -1;
        }
        off += (size_t)n;
    }
    return close(fd);
}

/* Renames the written temporaries over their targets, with the cleanup signals held off. */
static int rename_all(char **tmp, const struct output **target, size_t count)
{
    int rc = 0;
    size_t done = 0;
    for (; done < count; done++)
        if (rename(tmp[done], target[done]->path) != 0) {
            diag_error((struct loc){target[done]->path, 0}, "cannot write: %s (%zu of the %zu changed outputs "
                       "were already replaced)", strerror(errno), done, count);
            rc = -1;
            break;
        }
    for (size_t i = done; i < count; i++)
        unlink(tmp[i]);
    return rc;
}

int write_outputs(const struct output *files, size_t count)
{
    /* Which targets change; refuse targets that are not regular files before writing anything. */
    const struct output **changed = xcalloc(count, sizeof *changed);
    char **tmp = xcalloc(count, sizeof *tmp);
    size_t m = 0;
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
        int same = compare_target(files[i].path, files[i].data, files[i].len);
        if (same < 0)
            rc = -1;
        else if (!same) {
            changed[m] = &files[i];
            tmp[m++] = xasprintf("%s.tmp.%ld", files[i].path, (long)getpid());
        }
    }

    struct sigaction old[CLEANUP_SIGNAL_COUNT];
    sigset_t held, before;
    cleanup_signal_set(&held);
    install_handlers(old);
    temps = tmp;
    for (size_t i = 0; rc == 0 && i < m; i++) {
        temp_count = (sig_atomic_t)(i + 1); /* before it exists: a signal right after open() removes it */
        if (write_temp(tmp[i], changed[i]) != 0) {
            diag_error((struct loc){changed[i]->path, 0}, "cannot write: %s", strerror(errno));
            rc = -1;
        }
    }
    sigprocmask(SIG_BLOCK, &held, &before);
    if (rc == 0)
        rc = rename_all(tmp, changed, m);
    else
        for (sig_atomic_t i = 0; i < temp_count; i++)
            unlink(tmp[i]);
    temp_count = 0;
    restore_handlers(old);
    sigprocmask(SIG_SETMASK, &before, NULL);

    for (size_t i = 0; i < m; i++)
        free(tmp[i]);
    free(tmp);
    free(changed);
    return rc;
}

static bool generated_by(const char *path, const char *marker)
{
    char head[1024];
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, head, sizeof head - 1);
    close(fd);
    if (n <= 0)
        return false;
    head[n] = '\0';
    return strstr(head, marker) != NULL;
}

int remove_stale_outputs(const char *dir, const char *suffix, const char *marker, const struct output *files,
                         size_t count)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0; /* nothing generated there yet */
    int rc = 0;
    size_t suffix_len = strlen(suffix);
    for (struct dirent *ent; (ent = readdir(d));) {
        size_t len = strlen(ent->d_name);
        if (len <= suffix_len || strcmp(ent->d_name + len - suffix_len, suffix) != 0)
            continue;
        char *path = xasprintf("%s/%s", dir, ent->d_name);
        bool kept = false;
        for (size_t i = 0; i < count && !kept; i++)
            kept = strcmp(files[i].path, path) == 0;
        if (!kept && generated_by(path, marker) && unlink(path) != 0) {
            fprintf(stderr, "%s: error: cannot remove this stale generated file: %s\n", path, strerror(errno));
            rc = -1;
        }
        free(path);
    }
    closedir(d);
    return rc;
}
