/*
 * unixsock.c - see unixsock.h.
 */
#include "unixsock.h"

#include "portable.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
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

int unix_listen(const char *path, char **err)
{
    struct sockaddr_un addr;
    if (make_address("listen", path, &addr, err) != 0)
        return -1;
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
        unlink(path); /* a stale socket of an earlier run */
    int fd = socket_cloexec(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return fail(err, "listen unix %s: socket: %s", path, go_errno_text(errno));
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 64) != 0) {
        int saved = errno;
        close(fd);
        return fail(err, "listen unix %s: bind: %s", path, go_errno_text(saved));
    }
    set_nonblock(fd);
    return fd;
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
