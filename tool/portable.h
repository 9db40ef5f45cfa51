/* SPDX-License-Identifier: Apache-2.0 */
/*
 * portable.h - the few Linux system calls the tool uses that macOS lacks
 * (getrandom, SOCK_CLOEXEC, accept4, pipe2).  On Linux each is the atomic
 * call; on macOS the plain call followed by fcntl.  The window between the
 * two cannot leak a descriptor: the tool starts no other program.
 */
#ifndef CVZ_TOOL_PORTABLE_H
#define CVZ_TOOL_PORTABLE_H

#include <stddef.h>

/* socket(domain, type, protocol), close-on-exec. */
int socket_cloexec(int domain, int type, int protocol);
/* accept(fd), the new descriptor close-on-exec and non-blocking; -1 and errno on failure. */
int accept_cloexec_nonblock(int fd);
/* pipe(p), both ends close-on-exec and non-blocking; 0 or -1 and errno. */
int pipe_cloexec_nonblock(int p[2]);
/* Fills buf with n random bytes; 0, or -1 when the system had none to give. */
int random_bytes(void *buf, size_t n);

#endif
