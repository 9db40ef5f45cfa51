/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rest.h - a small HTTP/1.1 server for vfkit's REST API, driven by the run
 * loop's poll(): one request per connection (answered with
 * "Connection: close"), Content-Length or chunked bodies up to 64 KiB;
 * responses are written as the peer reads them, never blocking the loop.
 * Requests are parsed and checked by restreq.c before a handler sees them;
 * at most 32 clients at once, a new one letting the longest idle go, and a
 * client idle for 10 s after its last byte is let go.
 */
#ifndef CVZ_TOOL_REST_H
#define CVZ_TOOL_REST_H

#include "resturi.h"

#include <poll.h>
#include <stddef.h>

struct rest_server;

/* The answer to one request; body is malloc'ed (or NULL for none), body_len
 * its length (0: up to its NUL). */
struct rest_response {
    int status;
    const char *content_type;
    char *body;
    size_t body_len;
};

typedef void (*rest_handler)(void *context, const char *method, const char *path, const char *body, size_t body_len,
                             struct rest_response *response);

/* Listens on tcp://host:port (a warning when the address is not loopback) or
 * unix:///path (a stale socket file is replaced, a live one refused). */
int rest_server_open(const struct rest_uri *uri, struct rest_server **out, char **err);

/* Adds the server's descriptors to pfd (at most `max`); returns how many. */
size_t rest_server_pollfds(struct rest_server *s, struct pollfd *pfd, size_t max);

/* Handles whatever poll() reported on those descriptors. */
void rest_server_dispatch(struct rest_server *s, const struct pollfd *pfd, size_t n, rest_handler handler,
                          void *context);

/* Closes everything and removes the unix socket if it is still the server's. */
void rest_server_close(struct rest_server *s);

#endif
