/* SPDX-License-Identifier: Apache-2.0 */
/*
 * version.c - see version.h.
 */
#include "version.h"

#include <stdio.h>

/* Up to three dot-separated parts of one or two digits each into part[]: how many
 * there were, or -1 when text is anything else. */
static int split_version(const char *text, int part[3])
{
    int count = 0;
    const char *s = text;
    for (;;) {
        int digits = 0, value = 0;
        while (digits < 3 && *s >= '0' && *s <= '9') {
            value = value * 10 + (*s++ - '0');
            digits++;
        }
        if (digits == 0 || digits > 2 || count == 3)
            return -1;
        part[count++] = value;
        if (*s == '\0')
            return count;
        if (*s++ != '.')
            return -1;
    }
}

version_t parse_version(const char *text)
{
    int part[3];
    if (!text || split_version(text, part) != 2)
        return -1;
    return part[0] * 100 + part[1];
}

version_t parse_version_loose(const char *text)
{
    int part[3];
    int n = text ? split_version(text, part) : -1;
    if (n < 1)
        return -1;
    return part[0] * 100 + (n > 1 ? part[1] : 0);
}

/* "MAJOR<sep>MINOR" by hand: cvzgen formats a version for every item, and snprintf costs ten times more. */
static const char *format_with(version_t v, char sep, char *buf)
{
    if (v < 0 || v >= 100000) {
        snprintf(buf, 16, "%d%c%d", v / 100, sep, v % 100);
        return buf;
    }
    char *p = buf;
    int major = v / 100, minor = v % 100;
    if (major >= 100)
        *p++ = (char)('0' + major / 100);
    if (major >= 10)
        *p++ = (char)('0' + major / 10 % 10);
    *p++ = (char)('0' + major % 10);
    *p++ = sep;
    if (minor >= 10)
        *p++ = (char)('0' + minor / 10);
    *p++ = (char)('0' + minor % 10);
    *p = '\0';
    return buf;
}

const char *format_version(version_t v, char *buf)
{
    return format_with(v, '.', buf);
}

const char *format_version_suffix(version_t v, char *buf)
{
    return format_with(v, '_', buf);
}
