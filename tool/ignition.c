/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ignition.c - see ignition.h.
 */
#include "ignition.h"

#include "log.h"
#include "rest.h"
#include "userfile.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ignition {
    char *data;
    size_t len;
    struct rest_server *server;
    size_t first;
    size_t count;
};

/* Ignition configurations are small; the file is served from memory. */
#define MAX_IGNITION (64 * 1024 * 1024)

static int read_file(const char *path, struct strbuf *sb, char **err)
{
    char *why = NULL;
    if (read_regular(path, MAX_IGNITION, sb, &why) != 0) {
        fail(err, "cannot serve the ignition file: %s", why);
        free(why);
        return -1;
    }
    return 0;
}

int ignition_open(const char *path, const char *socket_path, struct ignition **out, char **err)
{
    struct strbuf sb = {0};
    *out = NULL;
    if (read_file(path, &sb, err) != 0) {
        sb_free(&sb);
        return -1;
    }
    struct ignition *g = xcalloc(1, sizeof *g);
    g->len = sb.len;
    g->data = sb_detach(&sb);
    struct rest_uri uri = {.scheme = REST_UNIX, .path = (char *)socket_path};
    char *why = NULL;
    if (rest_server_open(&uri, &g->server, &why) != 0) {
        fail(err, "cannot serve the ignition file: %s", why);
        free(why);
        ignition_close(g);
        return -1;
    }
    log_msg(LOG_DEBUG, "ignition: serving %s (%zu bytes) on %s", path, g->len, socket_path);
    *out = g;
    return 0;
}

/* vfkit's handler is registered on "/": every request gets the file. */
static void serve(void *context, const char *method, const char *path, const char *body, size_t len,
                  struct rest_response *r)
{
    struct ignition *g = context;
    (void)body;
    (void)len;
    log_msg(LOG_DEBUG, "ignition: %s %s", method, path);
    r->status = 200;
    r->content_type = "application/octet-stream";
    r->body = xmalloc(g->len + 1);
    memcpy(r->body, g->data, g->len);
    r->body[g->len] = '\0';
    r->body_len = g->len;
}

void ignition_add_pollfds(struct ignition *g, struct pollset *ps)
{
    struct pollfd *room = pollset_reserve(ps, 64);
    g->first = ps->count;
    g->count = rest_server_pollfds(g->server, room, 64);
    ps->count += g->count;
}

void ignition_dispatch(struct ignition *g, const struct pollset *ps)
{
    rest_server_dispatch(g->server, ps->fds + g->first, g->count, serve, g);
}

void ignition_close(struct ignition *g)
{
    if (!g)
        return;
    rest_server_close(g->server);
    free(g->data);
    free(g);
}
