/* SPDX-License-Identifier: Apache-2.0 */
/*
 * error_text.c - see error_text.h.
 */
#include "error_text.h"

#include "util.h"

#include <string.h>

char *error_text(const cvz_error *e)
{
    const char *msg = cvz_error_message(e);
    const char *reason = cvz_error_failure_reason(e);
    if (reason && *reason && !strstr(msg, reason))
        return xasprintf("%s: %s", msg, reason);
    return xstrdup(msg);
}
