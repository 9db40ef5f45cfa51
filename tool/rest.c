/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rest.c - see rest.h.
 */
#include "rest.h"

#include "clock.h"
#include "goconv.h"
#include "log.h"
#include "portable.h"
#include "restreq.h"
#include "unixsock.h"
#include "util.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* At most this many connections at once; a new one lets the longest idle go. */
#define MAX_CLIENTS 32
/* A client that sends or reads nothing for this long is let go. */
#define CLIENT_TIMEOUT_MS 10000

struct client {
    int fd;
    struct strbuf in;
    struct strbuf out; /* the response, written as the peer reads it */
    size_t sent;
    bool responding;
    int64_t since; /* accepted, or the last byte received or sent */
};

struct rest_server {
    int listen_fd;
    struct rest_uri bound; /* what requests' Host and Origin must name */
    char *unix_path;
    struct unix_bound unix_bound;
    struct client clients[MAX_CLIENTS];
};

static bool bound_to_loopback(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return false;
    if (ss.ss_family == AF_INET)
        return (ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr) >> 24) == 127;
    if (ss.ss_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)&ss)->sin6_addr);
    return false;
}

static int open_tcp(const struct rest_uri *uri, char **err)
{
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    const char *host = uri->hostname && *uri->hostname ? uri->hostname : NULL;
    int rc = getaddrinfo(host, uri->port, &hints, &res);
    if (rc != 0)
        return fail(err, "listen tcp %s: %s", uri->host, gai_strerror(rc));
    int fd = -1, last = 0;
    /* IPv4 first, as Go's net.Listen does: "localhost" on a machine whose /etc/hosts also
     * maps ::1 listens on 127.0.0.1, where vfkit's clients connect. */
    for (int pass = 0; pass < 2 && fd < 0; pass++)
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        if ((ai->ai_family == AF_INET) != (pass == 0))
            continue;
        fd = socket_cloexec(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            last = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 16) == 0)
            break;
        last = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return fail(err, "listen tcp %s: bind: %s", uri->host, go_errno_text(last));
    if (!bound_to_loopback(fd))
        log_msg(LOG_INFO, "warning: the REST API on tcp://%s can be reached from other machines, and anyone "
                          "who reaches it can stop the VM (bind 127.0.0.1 or use a unix socket)",
                uri->host);
    return fd;
}

int rest_server_open(const struct rest_uri *uri, struct rest_server **out, char **err)
{
    struct unix_bound bound = {0};
    int fd = uri->scheme == REST_UNIX ? unix_listen(uri->path, &bound, err) : open_tcp(uri, err);
    if (fd < 0)
        return -1;
    set_nonblock(fd);
    struct rest_server *s = xcalloc(1, sizeof *s);
    s->listen_fd = fd;
    s->bound.scheme = uri->scheme;
    if (uri->hostname)
        s->bound.hostname = xstrdup(uri->hostname);
    if (uri->scheme == REST_UNIX) {
        s->unix_path = xstrdup(uri->path);
        s->unix_bound = bound;
    }
    for (int i = 0; i < MAX_CLIENTS; i++)
        s->clients[i].fd = -1;
    *out = s;
    return 0;
}

size_t rest_server_pollfds(struct rest_server *s, struct pollfd *pfd, size_t max)
{
    size_t n = 0;
    if (n < max)
        pfd[n++] = (struct pollfd){.fd = s->listen_fd, .events = POLLIN};
    for (int i = 0; i < MAX_CLIENTS && n < max; i++)
        if (s->clients[i].fd >= 0)
            pfd[n++] = (struct pollfd){.fd = s->clients[i].fd, .events = s->clients[i].responding ? POLLOUT : POLLIN};
    return n;
}

static void drop(struct client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    sb_free(&c->in);
    sb_free(&c->out);
    c->sent = 0;
    c->responding = false;
}

static const char *reason_phrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 413: return "Request Entity Too Large";
    case 500: return "Internal Server Error";
    default: return "Unknown";
    }
}

/* Writes what the socket takes now; the client is dropped once all is sent or the peer is gone. */
static void flush(struct client *c)
{
    while (c->sent < c->out.len) {
        ssize_t n = send(c->fd, c->out.data + c->sent, c->out.len - c->sent, MSG_NOSIGNAL);
        if (n > 0) {
            c->sent += (size_t)n;
            c->since = now_ms();
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            return; /* the rest when poll() says the peer has read */
        } else {
            break;
        }
    }
    shutdown(c->fd, SHUT_WR);
    drop(c);
}

static void respond(struct client *c, const struct rest_response *r)
{
    size_t len = r->body ? (r->body_len ? r->body_len : strlen(r->body)) : 0;
    struct strbuf sb = {0};
    sb_addf(&sb, "HTTP/1.1 %d %s\r\n", r->status, reason_phrase(r->status));
    if (len)
        sb_addf(&sb, "Content-Type: %s\r\n", r->content_type ? r->content_type : "application/json; charset=utf-8");
    sb_addf(&sb, "Content-Length: %zu\r\nConnection: close\r\n\r\n", len);
    if (len)
        sb_addn(&sb, r->body, len);
    sb_free(&c->in);
    c->out = sb;
    c->sent = 0;
    c->responding = true;
    c->since = now_ms();
    flush(c);
}

static void respond_error(struct client *c, int status, const char *text)
{
    struct rest_response r = {status, "text/plain; charset=utf-8", xstrdup(text), 0};
    respond(c, &r);
    free(r.body);
}

/* Answers a complete request in c->in, or returns while more bytes are needed. */
static void try_request(struct rest_server *s, struct client *c, rest_handler handler, void *context)
{
    struct rest_request req;
    int status = 0;
    const char *why = NULL;
    int rc = rest_request_parse(c->in.data, c->in.len, &req, &status, &why);
    if (rc == 1)
        return;
    if (rc < 0 || !rest_request_allowed(&req, &s->bound, &status, &why)) {
        char *what = rc == 0 ? log_excerpt(req.path, strlen(req.path), 80) : NULL;
        log_msg(LOG_DEBUG, "REST: refused %s%s%s (%d %s)", rc == 0 ? req.method : "a request", rc == 0 ? " " : "",
                what ? what : "", status, why);
        free(what);
        if (rc == 0)
            rest_request_free(&req);
        respond_error(c, status, why);
        return;
    }
    struct rest_response r = {404, "text/plain", NULL, 0};
    handler(context, req.method, req.path, req.body, req.body_len, &r);
    rest_request_free(&req);
    respond(c, &r);
    free(r.body);
}

/* A slot for a new client: a free one, else the one idle the longest is let go,
 * so that clients that connect and say nothing cannot lock everyone out. */
static struct client *free_slot(struct rest_server *s)
{
    struct client *oldest = &s->clients[0];
    for (int k = 0; k < MAX_CLIENTS; k++) {
        if (s->clients[k].fd < 0)
            return &s->clients[k];
        if (s->clients[k].since < oldest->since)
            oldest = &s->clients[k];
    }
    log_msg(LOG_DEBUG, "REST: %d clients connected, letting the longest idle one go", MAX_CLIENTS);
    drop(oldest);
    return oldest;
}

void rest_server_dispatch(struct rest_server *s, const struct pollfd *pfd, size_t n, rest_handler handler,
                          void *context)
{
    for (size_t i = 0; i < n; i++) {
        if (!(pfd[i].revents & (POLLIN | POLLOUT | POLLHUP | POLLERR)))
            continue;
        if (pfd[i].fd == s->listen_fd) {
            for (;;) {
                int fd = accept_cloexec_nonblock(s->listen_fd);
                if (fd < 0)
                    break;
                struct client *slot = free_slot(s);
                slot->fd = fd;
                slot->since = now_ms();
            }
            continue;
        }
        for (int k = 0; k < MAX_CLIENTS; k++) {
            struct client *c = &s->clients[k];
            if (c->fd != pfd[i].fd)
                continue;
            if (c->responding) {
                flush(c);
                break;
            }
            char buf[4096];
            ssize_t got = recv(c->fd, buf, sizeof buf, 0);
            if (got < 0 && (errno == EAGAIN || errno == EINTR))
                break;
            if (got <= 0) {
                drop(c);
                break;
            }
            sb_addn(&c->in, buf, (size_t)got);
            c->since = now_ms(); /* idle time counts from the last byte */
            try_request(s, c, handler, context);
            break;
        }
    }
    int64_t now = now_ms();
    for (int k = 0; k < MAX_CLIENTS; k++)
        if (s->clients[k].fd >= 0 && now - s->clients[k].since > CLIENT_TIMEOUT_MS)
            drop(&s->clients[k]);
}

void rest_server_close(struct rest_server *s)
{
    if (!s)
        return;
    for (int k = 0; k < MAX_CLIENTS; k++)
        drop(&s->clients[k]);
    close(s->listen_fd);
    if (s->unix_path) {
        unix_unlink_bound(s->unix_path, &s->unix_bound);
        free(s->unix_path);
    }
    rest_uri_free(&s->bound);
    free(s);
}
