/* SPDX-License-Identifier: Apache-2.0 */
/*
 * info.h - `cvz info`.
 */
#ifndef CVZ_TOOL_INFO_H
#define CVZ_TOOL_INFO_H

/* argv: the arguments after "info".  Returns the exit code. */
int cmd_info(int argc, char **argv);

#endif
