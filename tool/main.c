/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - cvz: run virtual machines with vfkit's command line through
 * libcvz, and explain what the host supports.  See tool/README.md.
 */
#include "help.h"
#include "info.h"
#include "install.h"
#include "run.h"

#include <cvz/cvz.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *self = argc > 0 ? strrchr(argv[0], '/') : NULL;
    self = self ? self + 1 : (argc > 0 ? argv[0] : "cvz");
    /* Installed (or linked) as "vfkit", cvz is vfkit's command line. */
    if (strcmp(self, "vfkit") == 0) {
        help_set_vfkit();
        return cmd_run(argc - 1, argv + 1);
    }
    if (argc < 2) {
        fputs(help_main, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "install-macos") == 0)
        return cmd_install_macos(argc - 2, argv + 2);
    if (strcmp(cmd, "info") == 0)
        return cmd_info(argc - 2, argv + 2);
    if (strcmp(cmd, "help") == 0)
        return cmd_help(argc - 2, argv + 2);
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        fputs(help_main, stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "-v") == 0 || strcmp(cmd, "--version") == 0) {
        help_print_version();
        return 0;
    }
    if (cmd[0] == '-') /* vfkit's command line without a command */
        return cmd_run(argc - 1, argv + 1);
    fprintf(stderr, "cvz: unknown command \"%s\" for \"cvz\" (try `cvz help`)\n", cmd);
    return 2;
}
