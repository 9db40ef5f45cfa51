/* SPDX-License-Identifier: Apache-2.0 */
/*
 * build_net.c - virtio-net with NAT, an inherited datagram socket (fd=) or
 * a unixgram socket cvz connects to the peer's path (pkg/vf/virtionet.go).
 */
#include "build_internal.h"
#include "clock.h"
#include "goconv.h"
#include "paths.h"
#include "portable.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int net_error(struct build_ctx *c, const char *op, const char *path, int errnum)
{
    return build_fail(c, "%s unixgram %s: %s", op, path, go_errno_text(errnum));
}

/* vfkit binds its own datagram socket next to the peer's (<dir>/cvz-<pid>-<random>.sock),
 * connects it, sizes its buffers (1 MiB send, 4 MiB receive) and, with
 * vfkitMagic, first sends "VFKT" (gvproxy's convention).  Returns the fd. */
static int connect_unixgram(struct build_ctx *c, const struct device *d)
{
    struct sockaddr_un local = {.sun_family = AF_UNIX}, remote = {.sun_family = AF_UNIX};
    if (strlen(d->unix_path) >= sizeof remote.sun_path)
        return build_fail(c, "unixgram path '%s' is too long", d->unix_path);
    strcpy(remote.sun_path, d->unix_path);
    uint32_t rnd = 0;
    if (random_bytes(&rnd, sizeof rnd) != 0)
        rnd = (uint32_t)now_ms();
    char *dir = path_dir(d->unix_path);
    snprintf(local.sun_path, sizeof local.sun_path, "%s/cvz-%x-%08x.sock", dir, (unsigned)getpid(), rnd);
    free(dir);

    int fd = socket_cloexec(AF_UNIX, SOCK_DGRAM, 0);
    if (fd < 0)
        return net_error(c, "socket", local.sun_path, errno);
    if (bind(fd, (struct sockaddr *)&local, sizeof local) != 0) {
        int saved = errno;
        close(fd);
        return net_error(c, "bind", local.sun_path, saved);
    }
    c->b->unlink_paths = xrealloc(c->b->unlink_paths, (c->b->nunlink + 1) * sizeof *c->b->unlink_paths);
    c->b->unlink_paths[c->b->nunlink++] = xstrdup(local.sun_path);
    build_keep_fd(c, fd);
    if (connect(fd, (struct sockaddr *)&remote, sizeof remote) != 0)
        return net_error(c, "dial", d->unix_path, errno);
    int sndbuf = 1 << 20, rcvbuf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (d->vfkit_magic && send(fd, "VFKT", 4, 0) != 4)
        return net_error(c, "write", d->unix_path, errno);
    return fd;
}

static int attachment(struct build_ctx *c, const struct device *d, cvz_network_device_attachment **out)
{
    if (d->net == NET_NAT) {
        cvz_nat_network_device_attachment *nat;
        BUILD_NEW(c, nat, cvz_nat_network_device_attachment_new(e));
        *out = cvz_nat_network_device_attachment_as_network_device_attachment(nat);
        return 0;
    }
    int fd = d->net == NET_FD ? (int)d->fd : connect_unixgram(c, d);
    if (fd < 0)
        return -1;
    cvz_file_handle_network_device_attachment *fh;
    BUILD_NEW(c, fh, cvz_file_handle_network_device_attachment_new_with_file_handle(fd, e));
    *out = cvz_file_handle_network_device_attachment_as_network_device_attachment(fh);
    return 0;
}

int build_network(struct build_ctx *c, const struct device *d)
{
    cvz_network_device_attachment *att = NULL;
    cvz_virtio_network_device_configuration *net;
    if (attachment(c, d, &att) != 0)
        return -1;
    BUILD_NEW(c, net, cvz_virtio_network_device_configuration_new(e));
    cvz_network_device_configuration *base = cvz_virtio_network_device_configuration_as_network_device_configuration(net);
    BUILD_DO(c, cvz_network_device_configuration_set_attachment(base, att, e));
    if (d->has_mac) {
        char text[18];
        snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", d->mac[0], d->mac[1], d->mac[2], d->mac[3],
                 d->mac[4], d->mac[5]);
        cvz_mac_address *mac;
        BUILD_NEW(c, mac, cvz_mac_address_new_with_string(text, e));
        BUILD_DO(c, cvz_network_device_configuration_set_mac_address(base, mac, e));
    }
    build_add(c, LIST_NETWORK, base);
    return 0;
}
