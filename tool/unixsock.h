/*
 * unixsock.h - stream sockets on unix paths, shared by the REST server, the
 * ignition server and vsock forwarding.  Errors are worded as Go's net
 * package words them ("listen unix /p: bind: address already in use"), as
 * vfkit reports them.
 */
#ifndef CVZ_TOOL_UNIXSOCK_H
#define CVZ_TOOL_UNIXSOCK_H

/* A listening, non-blocking, close-on-exec socket at `path`.  A socket file
 * already there (a stale one of an earlier run) is replaced; any other file
 * is an error.  Returns the descriptor, or -1 with *err set. */
int unix_listen(const char *path, char **err);

/* A connected, non-blocking, close-on-exec socket to `path`; -1 with *err set. */
int unix_connect(const char *path, char **err);

/* O_NONBLOCK on; 0 or -1. */
int set_nonblock(int fd);

#endif
