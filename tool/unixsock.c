/* SPDX-License-Identifier: Apache-2.0 */
/*
 * unixsock.c - see unixsock.h.
 */
#include "unixsock.h"

#include "goconv.h"
#include "portable.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <stdbool.h>
#include <unistd.h>

int set_nonblock(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static int make_address(const char *op, const char *path, struct sockaddr_un *addr, char **err)
{
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr->sun_path)
        return fail(err, "%s unix %s: path too long", op, path);
    strcpy(addr->sun_path, path);
    return 0;
}

#ifdef __APPLE__
#define CHANGE_TIME(st) ((st).st_ctimespec)
#else
#define CHANGE_TIME(st) ((st).st_ctim)
#endif

/* Whether a process accepts connections on the socket file at addr. */
static bool socket_alive(const struct sockaddr_un *addr)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0); /* closed at once: no close-on-exec needed */
    if (fd < 0)
        return false;
    bool alive = connect(fd, (const struct sockaddr *)addr, sizeof *addr) == 0 || errno == EAGAIN;
    close(fd);
    return alive;
}

int unix_listen(const char *path, struct unix_bound *bound, char **err)
{
    struct sockaddr_un addr;
    if (make_address("listen", path, &addr, err) != 0)
        return -1;
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        if (socket_alive(&addr))
            return fail(err, "listen unix %s: bind: address already in use (another process listens on it)", path);
        unlink(path); /* a stale socket of an earlier run */
    }
    int fd = socket_cloexec(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return fail(err, "listen unix %s: socket: %s", path, go_errno_text(errno));
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 64) != 0 || lstat(path, &st) != 0) {
        int saved = errno;
        close(fd);
        return fail(err, "listen unix %s: bind: %s", path, go_errno_text(saved));
    }
    bound->dev = st.st_dev;
    bound->ino = st.st_ino;
    bound->ctime = CHANGE_TIME(st);
    set_nonblock(fd);
    return fd;
}

void unix_unlink_bound(const char *path, const struct unix_bound *bound)
{
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_dev == bound->dev && st.st_ino == bound->ino &&
        CHANGE_TIME(st).tv_sec == bound->ctime.tv_sec && CHANGE_TIME(st).tv_nsec == bound->ctime.tv_nsec)
        unlink(path);
}

int unix_connect(const char *path, char **err)
{
    struct sockaddr_un addr;
    if (make_address("dial", path, &addr, err) != 0)
        return -1;
    int fd = socket_cloexec(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return fail(err, "dial unix %s: socket: %s", path, go_errno_text(errno));
    /* blocking: connecting to a local listener does not wait for the peer to accept */
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        int saved = errno;
        close(fd);
        return fail(err, "dial unix %s: connect: %s", path, go_errno_text(saved));
    }
    set_nonblock(fd);
    return fd;
}
