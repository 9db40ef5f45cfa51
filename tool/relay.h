/*
 * relay.h - copies bytes both ways between two connected stream sockets
 * (a vsock connection and a unix socket), driven by the run loop's poll().
 *
 * As vfkit's forwarding does, the pair lives as long as both directions do:
 * end-of-file (a half-close included) or an error on either side ends the
 * relay, once every byte already read from that side has been written to
 * the other.  Nothing read is dropped while the other side still takes it.
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
