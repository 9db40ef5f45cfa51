/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vsock.c - see vsock.h.
 */
#include "vsock.h"

#include "error_text.h"
#include "goconv.h"
#include "log.h"
#include "portable.h"
#include "relay.h"
#include "unixsock.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- the mailbox: from the VM's queue to the run loop ------------------------------------- */

/* What a callback on the VM's queue hands over. */
struct message {
    char kind;      /* 'A': the guest connected to a listen port; 'C': a connect to the guest finished */
    uint32_t port;  /* 'A' */
    uintptr_t id;   /* 'C': the request */
    cvz_virtio_socket_connection *conn; /* a reference of the message's own, or NULL */
    int fd;         /* conn's descriptor */
    char *error;    /* 'C' without a connection: why */
};

/* One pipe for the process (cvz runs one VM); it outlives every vsock so
 * that a callback late after vsock_close() still has somewhere to write. */
static int mailbox[2] = {-1, -1};
static atomic_bool mailbox_open;

static void message_discard(struct message *m)
{
    if (m->conn) {
        cvz_virtio_socket_connection_close(m->conn, NULL);
        cvz_release(m->conn);
    }
    free(m->error);
}

/* Returns whether the run loop will get the message; if not, its connection is closed. */
static bool post(struct message *m)
{
    if (atomic_load(&mailbox_open) && write(mailbox[1], m, sizeof *m) == (ssize_t)sizeof *m)
        return true;
    message_discard(m);
    return false;
}

static void take_connection(struct message *m, cvz_virtio_socket_connection *conn)
{
    m->conn = cvz_retain(conn); /* lent for the call only */
    cvz_error *e = NULL;
    m->fd = m->conn ? cvz_virtio_socket_connection_file_descriptor(m->conn, &e) : -1;
    if (e) {
        m->error = error_text(e);
        cvz_error_free(e);
    }
}

/* The listener's delegate, on the VM's queue: accept, and let the loop connect the unix side. */
static bool on_guest_connection(cvz_virtio_socket_listener *listener, cvz_virtio_socket_connection *conn,
                                cvz_virtio_socket_device *device, void *context)
{
    (void)listener;
    (void)device;
    struct message m;
    memset(&m, 0, sizeof m); /* no uninitialised padding through the pipe */
    m.kind = 'A';
    m.port = (uint32_t)(uintptr_t)context;
    take_connection(&m, conn);
    return post(&m);
}

/* -connectToPort:'s completion, on the VM's queue. */
static void on_connect_done(cvz_virtio_socket_connection *conn, const cvz_error *error, void *context)
{
    struct message m;
    memset(&m, 0, sizeof m);
    m.kind = 'C';
    m.id = (uintptr_t)context;
    if (conn)
        take_connection(&m, conn);
    else
        m.error = error ? error_text(error) : xstrdup("no connection");
    post(&m);
}

/* ---- state ------------------------------------------------------------------------------------ */

struct port {
    uint32_t number;
    char *path;
    bool listen;
    int listen_fd; /* connect mode: the unix socket cvz listens on */
    struct unix_bound bound;
    size_t poll_index;
    bool polled;
    cvz_virtio_socket_listener *listener;             /* listen mode */
    struct cvz_virtio_socket_listener_delegate *delegate;
};

/* One forwarded connection, or one waiting for its guest side. */
struct link {
    uint32_t port;
    int unix_fd;
    cvz_virtio_socket_connection *conn; /* NULL while connecting */
    struct relay relay;
    size_t poll_index;
    bool polled;
};

/* A connect to the guest in flight. */
struct request {
    uintptr_t id;
    struct link *link;    /* a host client waiting, or NULL */
    vsock_connected done; /* or a caller of vsock_connect_guest() */
    void *context;
};

struct vsock {
    cvz_virtio_socket_device *device;
    struct port *ports;
    size_t nports;
    struct link **links;
    size_t nlinks;
    struct request *requests;
    size_t nrequests;
    uintptr_t next_id;
    bool running;
    size_t mailbox_index;
};

bool vsock_needed(const struct vmconfig *cfg)
{
    for (size_t i = 0; i < cfg->ndevices; i++)
        if (cfg->devices[i].kind == DEV_VIRTIO_VSOCK)
            return true;
    return cfg->has_timesync;
}

/* ---- links ------------------------------------------------------------------------------------ */

static struct link *link_new(struct vsock *v, uint32_t port, int unix_fd)
{
    struct link *l = xcalloc(1, sizeof *l);
    l->port = port;
    l->unix_fd = unix_fd;
    v->links = xrealloc(v->links, (v->nlinks + 1) * sizeof *v->links);
    v->links[v->nlinks++] = l;
    return l;
}

static void link_attach(struct link *l, cvz_virtio_socket_connection *conn, int fd)
{
    l->conn = conn;
    relay_init(&l->relay, l->unix_fd, fd); /* side 0: the host's unix socket, side 1: the guest */
}

static void link_free(struct link *l)
{
    if (l->conn) {
        log_msg(LOG_DEBUG, "vsock port %u: connection closed (%llu bytes to the guest, %llu from it)", l->port,
                (unsigned long long)l->relay.flow[0].total, (unsigned long long)l->relay.flow[1].total);
        cvz_virtio_socket_connection_close(l->conn, NULL);
        cvz_release(l->conn);
    }
    if (l->unix_fd >= 0)
        close(l->unix_fd);
    free(l);
}

static void link_remove(struct vsock *v, struct link *l)
{
    for (size_t i = 0; i < v->nlinks; i++)
        if (v->links[i] == l) {
            v->links[i] = v->links[--v->nlinks];
            break;
        }
    link_free(l);
}

/* ---- setting up ----------------------------------------------------------------------------- */

static cvz_virtio_socket_device *find_device(cvz_virtual_machine *vm, char **err)
{
    size_t count = 0;
    cvz_error *e = NULL;
    cvz_socket_device **devices = cvz_virtual_machine_socket_devices(vm, &count, &e);
    if (!devices) {
        char *text = error_text(e);
        cvz_error_free(e);
        fail(err, "cannot set up vsock: %s", text);
        free(text);
        return NULL;
    }
    /* the configuration has one VZVirtioSocketDeviceConfiguration, so this is a VZVirtioSocketDevice */
    cvz_virtio_socket_device *device = count ? (cvz_virtio_socket_device *)cvz_retain(devices[0]) : NULL;
    cvz_handle_array_free((void **)devices, count);
    if (!device)
        fail(err, "cannot set up vsock: the virtual machine has no socket device (VZVirtualMachine.socketDevices is empty)");
    return device;
}

static int listen_guest_port(struct vsock *v, struct port *p, char **err)
{
    cvz_error *e = NULL;
    struct cvz_virtio_socket_listener_delegate_callbacks cb = {
        .size = sizeof cb,
        .listener_should_accept_new_connection_from_socket_device = on_guest_connection,
    };
    p->delegate = cvz_virtio_socket_listener_delegate_new(&cb, (void *)(uintptr_t)p->number, NULL, &e);
    if (p->delegate)
        p->listener = cvz_virtio_socket_listener_new(&e);
    if (p->listener && cvz_virtio_socket_listener_set_delegate(p->listener, p->delegate, &e) == 0 &&
        cvz_virtio_socket_device_set_socket_listener_for_port(v->device, p->listener, p->number, &e) == 0)
        return 0;
    char *text = error_text(e);
    cvz_error_free(e);
    fail(err, "cannot listen on vsock port %u: %s", p->number, text);
    free(text);
    return -1;
}

static int listen_host_socket(struct port *p, char **err)
{
    p->listen_fd = unix_listen(p->path, &p->bound, err);
    return p->listen_fd < 0 ? -1 : 0;
}

static bool ensure_mailbox(char **err)
{
    if (mailbox[0] < 0 && pipe_cloexec_nonblock(mailbox) != 0) {
        fail(err, "cannot set up vsock: pipe: %s", go_errno_text(errno));
        return false;
    }
    atomic_store(&mailbox_open, true);
    return true;
}

int vsock_open(cvz_virtual_machine *vm, const struct vmconfig *cfg, struct vsock **out, char **err)
{
    *out = NULL;
    if (!ensure_mailbox(err))
        return -1;
    struct vsock *v = xcalloc(1, sizeof *v);
    v->next_id = 1;
    v->device = find_device(vm, err);
    if (!v->device) {
        vsock_close(v);
        return -1;
    }
    for (size_t i = 0; i < cfg->ndevices; i++) {
        const struct device *d = &cfg->devices[i];
        if (d->kind != DEV_VIRTIO_VSOCK)
            continue;
        v->ports = xrealloc(v->ports, (v->nports + 1) * sizeof *v->ports);
        struct port *p = &v->ports[v->nports++];
        memset(p, 0, sizeof *p);
        p->number = d->port;
        p->path = xstrdup(d->socket_url);
        p->listen = d->listen;
        p->listen_fd = -1;
        if ((p->listen ? listen_guest_port(v, p, err) : listen_host_socket(p, err)) != 0) {
            vsock_close(v);
            return -1;
        }
        if (p->listen)
            log_msg(LOG_DEBUG, "vsock port %u: guest connections go to %s", p->number, p->path);
        else
            log_msg(LOG_DEBUG, "vsock port %u: clients of %s go to the guest", p->number, p->path);
    }
    *out = v;
    return 0;
}

void vsock_set_running(struct vsock *v, bool running)
{
    v->running = running;
}

/* ---- connecting to the guest ---------------------------------------------------------------------- */

static int start_connect(struct vsock *v, uint32_t port, struct link *link, vsock_connected done, void *context,
                         char **err)
{
    uintptr_t id = v->next_id++;
    v->requests = xrealloc(v->requests, (v->nrequests + 1) * sizeof *v->requests);
    v->requests[v->nrequests++] = (struct request){id, link, done, context};
    cvz_error *e = NULL;
    if (cvz_virtio_socket_device_connect_to_port(v->device, port, on_connect_done, (void *)id, &e) == 0)
        return 0;
    v->nrequests--;
    char *text = error_text(e);
    cvz_error_free(e);
    fail(err, "cannot connect to the guest's vsock port %u: %s", port, text);
    free(text);
    return -1;
}

int vsock_connect_guest(struct vsock *v, uint32_t port, vsock_connected done, void *context, char **err)
{
    return start_connect(v, port, NULL, done, context, err);
}

static void accept_clients(struct vsock *v, struct port *p)
{
    for (;;) {
        int fd = accept_cloexec_nonblock(p->listen_fd);
        if (fd < 0)
            return;
        log_msg(LOG_DEBUG, "vsock port %u: client of %s, connecting to the guest", p->number, p->path);
        struct link *l = link_new(v, p->number, fd);
        char *err = NULL;
        if (start_connect(v, p->number, l, NULL, NULL, &err) != 0) {
            log_msg(LOG_ERROR, "%s", err);
            free(err);
            link_remove(v, l);
        }
    }
}

/* ---- the loop ------------------------------------------------------------------------------------- */

static struct port *find_port(struct vsock *v, uint32_t number, bool listen)
{
    for (size_t i = 0; i < v->nports; i++)
        if (v->ports[i].number == number && v->ports[i].listen == listen)
            return &v->ports[i];
    return NULL;
}

/* The guest connected to a listen port: connect its unix socket. */
static void guest_connected(struct vsock *v, struct message *m)
{
    struct port *p = find_port(v, m->port, true);
    if (!p || !m->conn || m->fd < 0) {
        log_msg(LOG_ERROR, "vsock port %u: cannot take the guest's connection: %s", m->port,
                m->error ? m->error : "no listener");
        message_discard(m);
        return;
    }
    char *err = NULL;
    int fd = unix_connect(p->path, &err);
    if (fd < 0) {
        log_msg(LOG_ERROR, "vsock port %u: %s", p->number, err);
        free(err);
        message_discard(m);
        return;
    }
    log_msg(LOG_DEBUG, "vsock port %u: the guest connected, forwarding to %s", p->number, p->path);
    link_attach(link_new(v, p->number, fd), m->conn, m->fd);
    free(m->error);
}

static void connect_finished(struct vsock *v, struct message *m)
{
    size_t i = 0;
    while (i < v->nrequests && v->requests[i].id != m->id)
        i++;
    if (i == v->nrequests) {
        message_discard(m);
        return;
    }
    struct request r = v->requests[i];
    v->requests[i] = v->requests[--v->nrequests];
    if (r.done) {
        r.done(r.context, m->conn, m->fd, m->error);
        free(m->error);
        return;
    }
    if (!m->conn || m->fd < 0) {
        log_msg(LOG_ERROR, "vsock port %u: cannot connect to the guest: %s", r.link->port,
                m->error ? m->error : "no connection");
        message_discard(m);
        link_remove(v, r.link);
        return;
    }
    link_attach(r.link, m->conn, m->fd);
    free(m->error);
}

void vsock_add_pollfds(struct vsock *v, struct pollset *ps)
{
    v->mailbox_index = pollset_add(ps, mailbox[0], POLLIN);
    for (size_t i = 0; i < v->nports; i++) {
        struct port *p = &v->ports[i];
        p->polled = p->listen_fd >= 0 && v->running;
        if (p->polled)
            p->poll_index = pollset_add(ps, p->listen_fd, POLLIN);
    }
    for (size_t i = 0; i < v->nlinks; i++) {
        struct link *l = v->links[i];
        l->polled = l->conn != NULL;
        if (l->polled) {
            l->poll_index = pollset_add(ps, l->relay.fd[0], relay_events(&l->relay, 0));
            pollset_add(ps, l->relay.fd[1], relay_events(&l->relay, 1));
        }
    }
}

void vsock_dispatch(struct vsock *v, const struct pollset *ps)
{
    /* relays first: the links made below were not polled this turn */
    for (size_t i = 0; i < v->nlinks;) {
        struct link *l = v->links[i];
        if (l->polled && !relay_step(&l->relay, pollset_revents(ps, l->poll_index),
                                     pollset_revents(ps, l->poll_index + 1))) {
            link_remove(v, l); /* swaps the last link into i */
            continue;
        }
        i++;
    }
    struct message m;
    while (read(mailbox[0], &m, sizeof m) == (ssize_t)sizeof m) {
        if (m.kind == 'A')
            guest_connected(v, &m);
        else
            connect_finished(v, &m);
    }
    for (size_t i = 0; i < v->nports; i++)
        if (v->ports[i].polled && (pollset_revents(ps, v->ports[i].poll_index) & POLLIN))
            accept_clients(v, &v->ports[i]);
}

void vsock_close(struct vsock *v)
{
    if (!v)
        return;
    atomic_store(&mailbox_open, false); /* later callbacks close their connections themselves */
    for (size_t i = 0; i < v->nports; i++) {
        struct port *p = &v->ports[i];
        if (p->listener)
            cvz_virtio_socket_device_remove_socket_listener_for_port(v->device, p->number, NULL);
        cvz_release(p->listener);
        cvz_release(p->delegate);
        if (p->listen_fd >= 0) {
            close(p->listen_fd);
            unix_unlink_bound(p->path, &p->bound);
        }
        free(p->path);
    }
    free(v->ports);
    for (size_t i = 0; i < v->nlinks; i++)
        link_free(v->links[i]);
    free(v->links);
    free(v->requests);
    struct message m;
    while (mailbox[0] >= 0 && read(mailbox[0], &m, sizeof m) == (ssize_t)sizeof m)
        message_discard(&m);
    cvz_release(v->device);
    free(v);
}
