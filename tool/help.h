/* SPDX-License-Identifier: Apache-2.0 */
/*
 * help.h - the help texts of cvz and its subcommands.
 */
#ifndef CVZ_TOOL_HELP_H
#define CVZ_TOOL_HELP_H

#include <cvz/cvz.h>

#define CVZ_TOOL_STR2(x) #x
#define CVZ_TOOL_STR(x) CVZ_TOOL_STR2(x)
#define CVZ_TOOL_VERSION                                                                                       \
    CVZ_TOOL_STR(CVZ_VERSION_MAJOR) "." CVZ_TOOL_STR(CVZ_VERSION_MINOR) "." CVZ_TOOL_STR(CVZ_VERSION_MICRO)

/* The vfkit release whose command line cvz accepts: what `--version` reports
 * when cvz runs as `vfkit` (see tool/README.md, "Running as vfkit"). */
#define CVZ_VFKIT_VERSION "v0.6.4"

extern const char help_main[];
extern const char help_run[];
extern const char help_info[];
extern const char help_install_macos[];

/* `cvz run --help`, `cvz help run`. */
void help_print_run(void);

/* main(): the program runs under the name `vfkit`. */
void help_set_vfkit(void);
/* --version: cvz's line ("cvz version: 0.1.0 (libcvz 0.1.0)"), or, as vfkit,
 * vfkit's ("vfkit version: v0.6.4"), which vfkit users' checks parse. */
void help_print_version(void);

/* `cvz help [COMMAND]`. */
int cmd_help(int argc, char **argv);

#endif
