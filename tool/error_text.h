/* SPDX-License-Identifier: Apache-2.0 */
/*
 * error_text.h - how the tool words a libcvz error on one line.
 */
#ifndef CVZ_TOOL_ERROR_TEXT_H
#define CVZ_TOOL_ERROR_TEXT_H

#include <cvz/cvz.h>

/* The error's message, plus the framework's failure reason when it has one
 * that the message does not already say.  Returns a new string. */
char *error_text(const cvz_error *e);

#endif
