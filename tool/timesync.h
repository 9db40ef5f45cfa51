/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timesync.h - `--timesync vsockPort=N`: sets the guest's clock through the
 * qemu-guest-agent listening on the guest's vsock port N, as vfkit does:
 * cvz connects to the port, sends
 *   {"execute": "guest-set-time", "arguments": {"time": <ns since the epoch>}}
 * and reads the agent's one-line reply (logged at --log-level debug).
 *
 * vfkit syncs after each host wake-up; cvz has no sleep/wake notification
 * (there is none on Linux, and cvz does not subscribe to IOKit's on macOS),
 * so it syncs once the VM is running and again at each SIGUSR1 (send one
 * after the host wakes up, e.g. from a sleepwatcher hook).
 */
#ifndef CVZ_TOOL_TIMESYNC_H
#define CVZ_TOOL_TIMESYNC_H

#include "pollset.h"
#include "vsock.h"

#include <stdint.h>

struct timesync;

struct timesync *timesync_new(struct vsock *v, uint32_t port);
/* Starts one sync (ignored, with a debug line, while one is still going on). */
void timesync_sync(struct timesync *t);
void timesync_add_pollfds(struct timesync *t, struct pollset *ps);
void timesync_dispatch(struct timesync *t, const struct pollset *ps);
void timesync_free(struct timesync *t);

/* The command for `ns` nanoseconds since the epoch; a new string. */
char *timesync_command(int64_t ns);

#endif
