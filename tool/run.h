/* SPDX-License-Identifier: Apache-2.0 */
/*
 * run.h - `cvz run`: dry run, or build, start and watch the virtual machine.
 *
 * Exit codes:
 *   0  the VM ran and stopped: the guest powered off, or a stop was asked for
 *      (SIGINT/SIGTERM honoured in time, REST Stop or HardStop); also a
 *      successful --dry-run, --help and --version
 *   1  the VM could not be created or started, failed while running (error
 *      state), or the REST server, a vsock socket or the ignition server
 *      could not be set up
 *   2  nothing was started: the command line or the configuration was
 *      rejected (by cvz, or by the framework's validation), or something it
 *      needs is unavailable on this host
 *   3  after SIGINT/SIGTERM the guest did not power off within
 *      --stop-timeout and the VM was force-stopped
 */
#ifndef CVZ_TOOL_RUN_H
#define CVZ_TOOL_RUN_H

#define EXIT_STOPPED 0
#define EXIT_VM_FAILED 1
#define EXIT_REJECTED 2
#define EXIT_FORCED 3

/* argv: the arguments after "run". `program` names the tool in messages. */
int cmd_run(int argc, char **argv);

#endif
