/* SPDX-License-Identifier: Apache-2.0 */
/*
 * relay.h - copies bytes both ways between two connected stream sockets
 * (a vsock connection and a unix socket), driven by the run loop's poll().
 *
 * Each direction ends on its own: at end-of-file (or a read error) on one
 * side, once every byte read from it has been written to the other, the
 * other side is shut down for writing (it sees end-of-file: a half-close
 * passes through), while the other direction goes on.  The pair is over
 * when both directions have ended, or at once when a write fails.  So a
 * client that sends its request and half-closes (nc -N, socat, HTTP/1.0
 * tools) still gets the whole answer.
 */
#ifndef CVZ_TOOL_RELAY_H
#define CVZ_TOOL_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RELAY_BUFFER (64 * 1024)

/* Bytes read from one side, waiting to be written to the other. */
struct relay_flow {
    char buf[RELAY_BUFFER];
    size_t len; /* bytes in buf */
    size_t off; /* of which written */
    bool eof;   /* the side it reads from is done */
    bool shut;  /* and the side it writes to was told (shutdown for writing) */
    uint64_t total;
};

struct relay {
    int fd[2];                /* borrowed: the owner closes them */
    struct relay_flow flow[2]; /* flow[i]: from fd[i] to fd[1 - i] */
    bool broken;               /* a write failed: the pair is over */
};

/* Starts relaying between a and b (made non-blocking). */
void relay_init(struct relay *r, int a, int b);

/* The poll() events wanted on side i (0 or 1). */
short relay_events(const struct relay *r, int side);

/* Moves what poll() reported (revents of side 0 and side 1).  Returns false
 * once the relay is over and both descriptors can be closed. */
bool relay_step(struct relay *r, short revents0, short revents1);

#endif
