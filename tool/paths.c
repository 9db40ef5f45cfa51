/* SPDX-License-Identifier: Apache-2.0 */
/*
 * paths.c - see paths.h.
 */
#include "paths.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

char *path_base(const char *path)
{
    if (*path == '\0')
        return xstrdup(".");
    size_t len = strlen(path);
    while (len > 0 && path[len - 1] == '/')
        len--;
    if (len == 0)
        return xstrdup("/");
    size_t start = len;
    while (start > 0 && path[start - 1] != '/')
        start--;
    return xstrndup(path + start, len - start);
}

char *path_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    size_t len = (size_t)(slash - path);
    while (len > 0 && path[len - 1] == '/')
        len--;
    if (len == 0)
        return xstrdup("/");
    return xstrndup(path, len);
}

const char *temp_dir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}
