/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pollset.h - the run loop's poll() array, rebuilt every turn: each part of
 * the loop (signals, REST, vsock, time sync) adds its descriptors and later
 * reads their revents back by the index it was given.
 */
#ifndef CVZ_TOOL_POLLSET_H
#define CVZ_TOOL_POLLSET_H

#include <poll.h>
#include <stddef.h>

struct pollset {
    struct pollfd *fds;
    size_t count;
    size_t cap;
};

/* Empties the set (keeps its memory). */
void pollset_clear(struct pollset *ps);
/* Adds one descriptor; returns its index. */
size_t pollset_add(struct pollset *ps, int fd, short events);
/* Room for `n` more entries at fds + count (the caller fills them and adds what it used to count). */
struct pollfd *pollset_reserve(struct pollset *ps, size_t n);
/* What poll() reported for the entry at `index`. */
short pollset_revents(const struct pollset *ps, size_t index);
void pollset_free(struct pollset *ps);

#endif
