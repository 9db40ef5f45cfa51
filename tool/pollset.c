/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pollset.c - see pollset.h.
 */
#include "pollset.h"

#include "util.h"

#include <stdlib.h>

void pollset_clear(struct pollset *ps)
{
    ps->count = 0;
}

struct pollfd *pollset_reserve(struct pollset *ps, size_t n)
{
    if (ps->count + n > ps->cap) {
        ps->cap = (ps->count + n) * 2;
        ps->fds = xrealloc(ps->fds, ps->cap * sizeof *ps->fds);
    }
    return ps->fds + ps->count;
}

size_t pollset_add(struct pollset *ps, int fd, short events)
{
    struct pollfd *p = pollset_reserve(ps, 1);
    *p = (struct pollfd){.fd = fd, .events = events};
    return ps->count++;
}

short pollset_revents(const struct pollset *ps, size_t index)
{
    return index < ps->count ? ps->fds[index].revents : 0;
}

void pollset_free(struct pollset *ps)
{
    free(ps->fds);
    ps->fds = NULL;
    ps->count = ps->cap = 0;
}
