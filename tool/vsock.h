/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vsock.h - vfkit's vsock forwarding (`--device virtio-vsock,port=N,socketURL=PATH[,listen|connect]`)
 * on the VM's VZVirtioSocketDevice, through libcvz only.
 *
 *   listen (vfkit's default): the guest connects to vsock port N; cvz accepts
 *     it (a VZVirtioSocketListener whose delegate is a libcvz C callback
 *     table), connects to the unix socket PATH, which must be listening
 *     already, and relays the bytes.
 *   connect: cvz listens on the unix socket PATH (created, removed at exit)
 *     and, for each client, connects to the guest's port N
 *     (-connectToPort:completionHandler:) and relays the bytes.
 *
 * Design: everything runs on the run loop's thread, in its poll(); the only
 * other thread involved is the VM's queue, where libcvz calls the listener's
 * delegate and the connect completions, and those only hand the new
 * connection to the loop through a pipe.  One poll() over every pair needs
 * no locks, no thread joins at shutdown, and stops with the loop; vsock
 * traffic (consoles, agents, ignition, port forwards) is I/O-bound, so a
 * single thread copying 64 KiB at a time keeps up with hundreds of pairs.
 */
#ifndef CVZ_TOOL_VSOCK_H
#define CVZ_TOOL_VSOCK_H

#include "pollset.h"
#include "vmconfig.h"

#include <cvz/cvz.h>

struct vsock;

/* Whether the configuration needs the VM's socket device (vsock devices, --timesync, --ignition). */
bool vsock_needed(const struct vmconfig *cfg);

/* Finds the VM's socket device and sets up every vsock port of `cfg`:
 * listeners for listen ports, unix sockets for connect ports.  Call it
 * before the VM starts, so no guest connection comes before its listener. */
int vsock_open(cvz_virtual_machine *vm, const struct vmconfig *cfg, struct vsock **out, char **err);

/* Host clients of connect ports are taken only while the VM runs (they wait
 * in the socket's backlog until then). */
void vsock_set_running(struct vsock *v, bool running);

/* Connects to the guest's `port`.  `done` runs later on the loop's thread,
 * from vsock_dispatch(): with the connection (the callee's, to close and
 * release) and its descriptor, or with NULL and the reason.  Not called if
 * vsock_close() comes first.  Returns 0, or -1 with *err set. */
typedef void (*vsock_connected)(void *context, cvz_virtio_socket_connection *conn, int fd, const char *error);
int vsock_connect_guest(struct vsock *v, uint32_t port, vsock_connected done, void *context, char **err);

void vsock_add_pollfds(struct vsock *v, struct pollset *ps);
void vsock_dispatch(struct vsock *v, const struct pollset *ps);

/* Removes the listeners, closes every connection and unix socket, removes
 * the socket files cvz created. */
void vsock_close(struct vsock *v);

#endif
