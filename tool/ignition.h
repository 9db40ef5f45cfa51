/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ignition.h - `--ignition PATH`, served as vfkit serves it: the file is
 * read when the VM is set up (a regular file of at most 64 MiB), and an HTTP
 * server on the unix socket $TMPDIR/cvz-ignition-PID.sock (one per process)
 * answers every request (any path; POSTs only as JSON) with 200 and the
 * file's bytes.  The automatic device
 * `virtio-vsock,port=1024,socketURL=$TMPDIR/cvz-ignition-PID.sock,listen` forwards
 * the guest's connections to vsock port 1024 (where Ignition looks) to it.
 */
#ifndef CVZ_TOOL_IGNITION_H
#define CVZ_TOOL_IGNITION_H

#include "pollset.h"

#include <stddef.h>

struct ignition;

/* Reads `path` and listens on `socket_path`; -1 with *err set. */
int ignition_open(const char *path, const char *socket_path, struct ignition **out, char **err);
void ignition_add_pollfds(struct ignition *g, struct pollset *ps);
void ignition_dispatch(struct ignition *g, const struct pollset *ps);
/* Stops serving and removes the socket. */
void ignition_close(struct ignition *g);

#endif
