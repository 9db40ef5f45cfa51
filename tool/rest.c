/*
 * rest.c - see rest.h.
 */
#include "rest.h"

#include "portable.h"
#include "unixsock.h"
#include "util.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CLIENTS 16
#define MAX_REQUEST (64 * 1024)
#define CLIENT_TIMEOUT_MS 10000

struct client {
    int fd;
    struct strbuf in;
    struct strbuf out; /* the response, written as the peer reads it */
    size_t sent;
    bool responding;
    int64_t since; /* accepted, or last progress of the response */
};

struct rest_server {
    int listen_fd;
    char *unix_path;
    struct client clients[MAX_CLIENTS];
};

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
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
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
    return fd;
}

int rest_server_open(const struct rest_uri *uri, struct rest_server **out, char **err)
{
    int fd = uri->scheme == REST_UNIX ? unix_listen(uri->path, err) : open_tcp(uri, err);
    if (fd < 0)
        return -1;
    set_nonblock(fd);
    struct rest_server *s = xcalloc(1, sizeof *s);
    s->listen_fd = fd;
    if (uri->scheme == REST_UNIX)
        s->unix_path = xstrdup(uri->path);
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
    sb_printf(&sb, "HTTP/1.1 %d %s\r\n", r->status, reason_phrase(r->status));
    if (len)
        sb_printf(&sb, "Content-Type: %s\r\n", r->content_type ? r->content_type : "application/json; charset=utf-8");
    sb_printf(&sb, "Content-Length: %zu\r\nConnection: close\r\n\r\n", len);
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

/* Decodes a chunked body in place; returns its length, -1 incomplete, -2 malformed. */
static long dechunk(const char *in, size_t len, struct strbuf *out)
{
    size_t pos = 0;
    for (;;) {
        const char *eol = memmem(in + pos, len - pos, "\r\n", 2);
        if (!eol)
            return -1;
        char *end;
        unsigned long size = strtoul(in + pos, &end, 16);
        if (end == in + pos)
            return -2;
        pos = (size_t)(eol - in) + 2;
        if (size == 0)
            return memmem(in + pos, len - pos, "\r\n", 2) ? (long)out->len : -1;
        if (size > MAX_REQUEST || len - pos < size + 2)
            return size > MAX_REQUEST ? -2 : -1;
        sb_addn(out, in + pos, size);
        pos += size + 2;
    }
}

/* Parses a complete request in c->in, or returns 1 when more data is needed. */
static int try_request(struct client *c, rest_handler handler, void *context)
{
    const char *data = c->in.data;
    const char *hdr_end = memmem(data, c->in.len, "\r\n\r\n", 4);
    if (!hdr_end)
        return c->in.len > MAX_REQUEST ? (respond_error(c, 413, "request too large"), 0) : 1;
    size_t head_len = (size_t)(hdr_end - data) + 4;
    char *head = xstrndup(data, head_len);
    char method[16] = "", target[1024] = "";
    if (sscanf(head, "%15s %1023s", method, target) != 2) {
        free(head);
        respond_error(c, 400, "malformed request line");
        return 0;
    }
    long content_length = 0;
    bool chunked = false;
    for (char *line = strstr(head, "\r\n"); line && line[2]; line = strstr(line + 2, "\r\n")) {
        char *h = line + 2;
        if (strncasecmp(h, "Content-Length:", 15) == 0)
            content_length = strtol(h + 15, NULL, 10);
        else if (strncasecmp(h, "Transfer-Encoding:", 18) == 0 && strstr(h, "chunked"))
            chunked = true;
    }
    free(head);
    const char *body = data + head_len;
    size_t avail = c->in.len - head_len;
    struct strbuf decoded = {0};
    size_t body_len;
    if (chunked) {
        long n = dechunk(body, avail, &decoded);
        if (n == -1) {
            sb_free(&decoded);
            return c->in.len > MAX_REQUEST ? (respond_error(c, 413, "request too large"), 0) : 1;
        }
        if (n < 0) {
            sb_free(&decoded);
            respond_error(c, 400, "malformed chunked body");
            return 0;
        }
        body = decoded.data ? decoded.data : "";
        body_len = (size_t)n;
    } else {
        if (content_length < 0 || content_length > MAX_REQUEST) {
            respond_error(c, 413, "request too large");
            return 0;
        }
        if (avail < (size_t)content_length)
            return 1;
        body_len = (size_t)content_length;
    }
    char *body_copy = xstrndup(body, body_len);
    sb_free(&decoded);
    char *query = strchr(target, '?');
    if (query)
        *query = '\0';
    struct rest_response r = {404, "text/plain", NULL, 0};
    handler(context, method, target, body_copy, body_len, &r);
    free(body_copy);
    respond(c, &r);
    free(r.body);
    return 0;
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
                struct client *slot = NULL;
                for (int k = 0; k < MAX_CLIENTS && !slot; k++)
                    if (s->clients[k].fd < 0)
                        slot = &s->clients[k];
                if (!slot) {
                    close(fd);
                    continue;
                }
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
            try_request(c, handler, context);
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
        unlink(s->unix_path);
        free(s->unix_path);
    }
    free(s);
}
