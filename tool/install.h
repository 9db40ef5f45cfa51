/* SPDX-License-Identifier: Apache-2.0 */
/*
 * install.h - `cvz install-macos [flags] RESTORE_IMAGE`: installs macOS from
 * a restore image (.ipsw) onto a disk, creating the files that
 * `cvz run --bootloader macos,...` then boots from.
 *
 * The flags are `cvz run`'s (the same parser): `--bootloader
 * macos,machineIdentifierPath=P,hardwareModelPath=P,auxImagePath=P` names the
 * three files the installer creates (none may exist), `--device` gives the
 * disk (the first storage device; create it first, e.g. `truncate -s 64G`)
 * and any other device, `--cpus` and `--memory` default to the image's
 * minimums, `--log-level` as for run.  Flags that only make sense for a
 * running VM are refused.
 *
 * Progress goes to stderr: a bar redrawn in place on a terminal, else one
 * line per 10 %.  SIGINT/SIGTERM cancel the installation.
 *
 * Exit codes:
 *   0  macOS was installed
 *   1  the installation failed (the VM or the installer reported an error)
 *   2  nothing was done: the command line, a file that exists already, the
 *      restore image (unreadable, or not supported on this host), or an API
 *      this host or libcvz does not have (e.g. an x86_64 or pre-12.0 host)
 *   3  the installation was cancelled by SIGINT/SIGTERM
 * Unless macOS was installed, the files cvz created are removed again.
 */
#ifndef CVZ_TOOL_INSTALL_H
#define CVZ_TOOL_INSTALL_H

#define EXIT_INSTALLED 0
#define EXIT_INSTALL_FAILED 1
#define EXIT_INSTALL_REJECTED 2
#define EXIT_INSTALL_CANCELLED 3

/* argv: the arguments after "install-macos". */
int cmd_install_macos(int argc, char **argv);

/* The framework names installing needs beyond the macOS boot loader (NULL-terminated), for the tests. */
const char *const *install_requirements(void);

#endif
