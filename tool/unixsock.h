/* SPDX-License-Identifier: Apache-2.0 */
/*
 * unixsock.h - stream sockets on unix paths, shared by the REST server, the
 * ignition server and vsock forwarding.  Errors are worded as Go's net
 * package words them ("listen unix /p: bind: address already in use"), as
 * vfkit reports them.
 */
#ifndef CVZ_TOOL_UNIXSOCK_H
#define CVZ_TOOL_UNIXSOCK_H

#include <sys/types.h>
#include <time.h>

/* The socket file a listener made, to remove it only while it is still that
 * one.  The inode number alone is not enough: a file system gives a freed
 * number to the next file, so the change time is compared too. */
struct unix_bound {
    dev_t dev;
    ino_t ino;
    struct timespec ctime;
};

/* A listening, non-blocking, close-on-exec socket at `path`.  A stale socket
 * file there (nobody accepts on it: an earlier run's) is replaced; a live
 * one (another process listens) or any other file is an error.  Returns the
 * descriptor and fills *bound, or -1 with *err set. */
int unix_listen(const char *path, struct unix_bound *bound, char **err);

/* Removes the socket file at `path` if it is still the one unix_listen made
 * (another process may have replaced it since). */
void unix_unlink_bound(const char *path, const struct unix_bound *bound);

/* A connected, non-blocking, close-on-exec socket to `path`; -1 with *err set. */
int unix_connect(const char *path, char **err);

/* O_NONBLOCK on; 0 or -1. */
int set_nonblock(int fd);

#endif
