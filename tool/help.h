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

extern const char help_main[];
extern const char help_run[];
extern const char help_info[];
extern const char help_install_macos[];

/* `cvz run --help`, `cvz help run`. */
void help_print_run(void);

/* `cvz help [COMMAND]`. */
int cmd_help(int argc, char **argv);

#endif
