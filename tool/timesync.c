/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timesync.c - see timesync.h.
 */
#include "timesync.h"

#include "clock.h"
#include "goconv.h"
#include "log.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* How long the agent has to answer. */
#define REPLY_TIMEOUT_MS 2000
#define MAX_REPLY 4096

struct timesync {
    struct vsock *vsock;
    uint32_t port;
    bool busy;                          /* connecting, or waiting for the reply */
    cvz_virtio_socket_connection *conn; /* while waiting for the reply */
    int fd;
    int64_t deadline;
    struct strbuf reply;
    size_t poll_index;
    bool polled;
};

char *timesync_command(int64_t ns)
{
    return xasprintf("{\"execute\": \"guest-set-time\", \"arguments\": {\"time\": %lld}}", (long long)ns);
}

struct timesync *timesync_new(struct vsock *v, uint32_t port)
{
    struct timesync *t = xcalloc(1, sizeof *t);
    t->vsock = v;
    t->port = port;
    t->fd = -1;
    return t;
}

static void finish(struct timesync *t)
{
    if (t->conn) {
        cvz_virtio_socket_connection_close(t->conn, NULL);
        cvz_release(t->conn);
    }
    t->conn = NULL;
    t->fd = -1;
    t->busy = false;
    sb_free(&t->reply);
}

static bool send_all(int fd, const char *data, size_t len)
{
    int64_t end = now_ms() + REPLY_TIMEOUT_MS;
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n > 0) {
            data += n;
            len -= (size_t)n;
        } else if (n < 0 && (errno == EINTR || errno == EAGAIN) && now_ms() < end) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            poll(&p, 1, 10); /* the command is a few dozen bytes: an empty socket takes it at once */
        } else {
            return false;
        }
    }
    return true;
}

/* On the loop's thread: connected (or not); send the command. */
static void connected(void *context, cvz_virtio_socket_connection *conn, int fd, const char *error)
{
    struct timesync *t = context;
    if (!conn) {
        log_msg(LOG_ERROR, "timesync: cannot connect to the guest's vsock port %u: %s", t->port, error);
        finish(t);
        return;
    }
    t->conn = conn;
    t->fd = fd;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char *cmd = timesync_command((int64_t)now.tv_sec * 1000000000 + now.tv_nsec);
    log_msg(LOG_DEBUG, "timesync: sending %s to qemu-guest-agent", cmd);
    bool sent = send_all(fd, cmd, strlen(cmd));
    free(cmd);
    if (!sent) {
        log_msg(LOG_ERROR, "timesync: cannot send to the guest's vsock port %u: %s", t->port, go_errno_text(errno));
        finish(t);
        return;
    }
    t->deadline = now_ms() + REPLY_TIMEOUT_MS;
}

void timesync_sync(struct timesync *t)
{
    if (t->busy) {
        log_msg(LOG_DEBUG, "timesync: a sync is still in progress");
        return;
    }
    char *err = NULL;
    t->busy = true;
    if (vsock_connect_guest(t->vsock, t->port, connected, t, &err) != 0) {
        log_msg(LOG_ERROR, "timesync: %s", err);
        free(err);
        finish(t);
    }
}

void timesync_add_pollfds(struct timesync *t, struct pollset *ps)
{
    t->polled = t->conn != NULL;
    if (t->polled)
        t->poll_index = pollset_add(ps, t->fd, POLLIN);
}

/* Whether `s` holds one whole JSON object (qemu-guest-agent ends it with a
 * newline; an agent that does not still gets its reply read at once). */
static bool whole_object(const char *s, size_t len)
{
    int depth = 0;
    bool in_string = false, escaped = false, started = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{') {
            depth++;
            started = true;
        } else if (c == '}' && --depth == 0 && started) {
            return true;
        }
    }
    return false;
}

/* The reply without its end of line. */
static void log_reply(struct timesync *t)
{
    size_t len = t->reply.len;
    while (len > 0 && (t->reply.data[len - 1] == '\n' || t->reply.data[len - 1] == '\r'))
        len--;
    log_msg(LOG_DEBUG, "timesync: qemu-guest-agent replied: %.*s", (int)len, t->reply.data ? t->reply.data : "");
}

void timesync_dispatch(struct timesync *t, const struct pollset *ps)
{
    if (!t->polled || !t->conn)
        return;
    if (pollset_revents(ps, t->poll_index) & (POLLIN | POLLHUP | POLLERR)) {
        char buf[512];
        ssize_t n = recv(t->fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0)
            sb_addn(&t->reply, buf, (size_t)n);
        bool whole = t->reply.len && whole_object(t->reply.data, t->reply.len);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) || whole || t->reply.len >= MAX_REPLY) {
            if (t->reply.len)
                log_reply(t);
            else
                log_msg(LOG_ERROR, "timesync: qemu-guest-agent on vsock port %u closed without a reply", t->port);
            finish(t);
            return;
        }
    }
    if (now_ms() >= t->deadline) {
        if (t->reply.len)
            log_reply(t);
        else
            log_msg(LOG_ERROR, "timesync: no reply from qemu-guest-agent on vsock port %u within %d ms", t->port,
                    REPLY_TIMEOUT_MS);
        finish(t);
    }
}

void timesync_free(struct timesync *t)
{
    if (!t)
        return;
    finish(t);
    free(t);
}
