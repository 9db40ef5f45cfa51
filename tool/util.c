/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util.c - see util.h.
 */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void show_error(const char *msg)
{
    const char *line = msg;
    for (;;) {
        const char *end = strchr(line, '\n');
        int len = end ? (int)(end - line) : (int)strlen(line);
        fprintf(stderr, "cvz: %.*s\n", len, line);
        if (!end)
            return;
        line = end + 1;
    }
}

int fail(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    if (err) {
        free(*err);
        *err = msg;
    } else {
        free(msg);
    }
    return -1;
}
