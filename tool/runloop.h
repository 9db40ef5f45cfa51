/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runloop.h - runs a built configuration until the VM stops: one thread,
 * poll() over the signal pipe, libcvz's completion events, the REST server,
 * vsock forwarding (vsock.c), the ignition server and time sync, with the
 * VM's state read every 20 ms (and a spinner while it starts or stops).
 *
 * SIGINT/SIGTERM: a stop request to the guest (as the power button), then,
 * after --stop-timeout (default 5s) or at a second signal, a forced stop.
 * SIGUSR1: a time sync (--timesync).
 */
#ifndef CVZ_TOOL_RUNLOOP_H
#define CVZ_TOOL_RUNLOOP_H

#include "build.h"
#include "flags.h"
#include "resturi.h"
#include "vmconfig.h"

/* Returns the process's exit code (run.h). */
int runloop_run(const struct vmconfig *vm, const struct run_options *opts, struct built_vm *built,
                const struct rest_uri *uri);

/* vz's names of the states: "VirtualMachineStateRunning". */
const char *state_name(enum cvz_virtual_machine_state state);

#endif
