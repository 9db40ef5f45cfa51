/* SPDX-License-Identifier: Apache-2.0 */
/*
 * userfile.c - see userfile.h.
 */
#include "userfile.h"

#include "goconv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static const char *kind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

static int not_regular(const char *path, mode_t mode, char **err)
{
    return fail(err, "%s is %s, not a regular file", path, kind(mode));
}

static int path_error(const char *op, const char *path, int errnum, char **err)
{
    char *why = go_path_error(op, path, errnum);
    fail(err, "%s", why);
    free(why);
    return -1;
}

int check_regular(const char *path, bool may_be_missing, char **err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return may_be_missing && errno == ENOENT ? 0 : path_error("stat", path, errno, err);
    return S_ISREG(st.st_mode) ? 0 : not_regular(path, st.st_mode, err);
}

int open_regular(const char *path, char **err)
{
    /* stat first: a device is never even opened (opening some has effects);
     * the descriptor is checked again in case the name changed meanwhile */
    struct stat st;
    if (stat(path, &st) != 0)
        return path_error("open", path, errno, err); /* worded as the open vfkit makes */
    if (!S_ISREG(st.st_mode))
        return not_regular(path, st.st_mode, err);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return path_error("open", path, errno, err);
    if (fstat(fd, &st) != 0) {
        int saved = errno;
        close(fd);
        return path_error("stat", path, saved, err);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return not_regular(path, st.st_mode, err);
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

int read_regular(const char *path, size_t max, struct strbuf *sb, char **err)
{
    int fd = open_regular(path, err);
    if (fd < 0)
        return -1;
    size_t start = sb->len;
    char buf[16384];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            close(fd);
            return path_error("read", path, saved, err);
        }
        if (n == 0)
            break;
        if (sb->len - start + (size_t)n > max) { /* a file that grows while read, too */
            close(fd);
            return fail(err, "%s is larger than %zu bytes", path, max);
        }
        sb_addn(sb, buf, (size_t)n);
    }
    close(fd);
    return 0;
}

bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}
