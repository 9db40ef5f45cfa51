/* SPDX-License-Identifier: Apache-2.0 */
/*
 * portable.c - see portable.h.
 */
#include "portable.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <stdlib.h>
#else
#include <sys/random.h>
#endif

#if defined(__APPLE__)
static int set_flags(int fd, bool nonblock)
{
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
        return -1;
    if (nonblock) {
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0)
            return -1;
    }
    return 0;
}

/* Closes fd keeping errno: the flags could not be set. */
static int give_up(int fd)
{
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
}
#endif

int socket_cloexec(int domain, int type, int protocol)
{
#if defined(__APPLE__)
    int fd = socket(domain, type, protocol);
    if (fd >= 0 && set_flags(fd, false) != 0)
        return give_up(fd);
    return fd;
#else
    return socket(domain, type | SOCK_CLOEXEC, protocol);
#endif
}

int accept_cloexec_nonblock(int fd)
{
#if defined(__APPLE__)
    int client = accept(fd, NULL, NULL);
    if (client >= 0 && set_flags(client, true) != 0)
        return give_up(client);
    return client;
#else
    return accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
#endif
}

int pipe_cloexec_nonblock(int p[2])
{
#if defined(__APPLE__)
    if (pipe(p) != 0)
        return -1;
    if (set_flags(p[0], true) != 0 || set_flags(p[1], true) != 0) {
        int saved = errno;
        close(p[0]);
        close(p[1]);
        errno = saved;
        return -1;
    }
    return 0;
#else
    return pipe2(p, O_CLOEXEC | O_NONBLOCK);
#endif
}

int random_bytes(void *buf, size_t n)
{
#if defined(__APPLE__)
    arc4random_buf(buf, n); /* never fails */
    return 0;
#else
    return getrandom(buf, n, 0) == (ssize_t)n ? 0 : -1;
#endif
}
