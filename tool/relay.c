/* SPDX-License-Identifier: Apache-2.0 */
/*
 * relay.c - see relay.h.
 */
#include "relay.h"

#include "unixsock.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

void relay_init(struct relay *r, int a, int b)
{
    r->fd[0] = a;
    r->fd[1] = b;
    for (int i = 0; i < 2; i++) {
        r->flow[i].len = r->flow[i].off = 0;
        r->flow[i].eof = false;
        r->flow[i].shut = false;
        r->flow[i].total = 0;
    }
    r->broken = false;
    set_nonblock(a);
    set_nonblock(b);
}

short relay_events(const struct relay *r, int side)
{
    short events = 0;
    const struct relay_flow *in = &r->flow[side], *out = &r->flow[1 - side];
    if (!in->eof && in->len == 0)
        events |= POLLIN; /* read the next bytes only once the last ones are written */
    if (out->off < out->len)
        events |= POLLOUT;
    return events;
}

static void fill(struct relay *r, int side)
{
    struct relay_flow *f = &r->flow[side];
    ssize_t n = recv(r->fd[side], f->buf, sizeof f->buf, 0);
    if (n > 0) {
        f->len = (size_t)n;
        f->off = 0;
        f->total += (uint64_t)n;
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        f->eof = true; /* end of file, or reset: nothing more comes from this side */
    }
}

static void drain(struct relay *r, int side)
{
    struct relay_flow *f = &r->flow[side];
    while (f->off < f->len) {
        ssize_t n = send(r->fd[1 - side], f->buf + f->off, f->len - f->off, MSG_NOSIGNAL);
        if (n > 0) {
            f->off += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            if (n < 0 && errno != EAGAIN)
                r->broken = true;
            return;
        }
    }
    f->len = f->off = 0;
}

bool relay_step(struct relay *r, short revents0, short revents1)
{
    short revents[2] = {revents0, revents1};
    for (int side = 0; side < 2; side++) {
        struct relay_flow *in = &r->flow[side];
        if (!in->eof && in->len == 0 && (revents[side] & (POLLIN | POLLHUP | POLLERR)))
            fill(r, side);
        if (in->len > in->off)
            drain(r, side); /* try at once: the other side usually has room */
    }
    /* a side that is done, its last bytes written: the other side learns it
     * (a half-close), and the other direction goes on until it ends too */
    for (int side = 0; side < 2; side++) {
        struct relay_flow *f = &r->flow[side];
        if (f->eof && f->off == f->len && !f->shut) {
            shutdown(r->fd[1 - side], SHUT_WR);
            f->shut = true;
        }
    }
    return !r->broken && !(r->flow[0].shut && r->flow[1].shut);
}
