/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log.c - see log.h.
 */
#include "log.h"

#include "goconv.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum log_level current_level = LOG_INFO;
static bool raw_terminal;
static bool status_line;

void log_set_status_line(bool drawn)
{
    status_line = drawn;
}

void log_set_raw_terminal(bool raw)
{
    raw_terminal = raw;
}

void log_set_level(enum log_level level)
{
    current_level = level;
}

static char *escape_controls(const char *s)
{
    struct strbuf sb = {0};
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n')
            sb_adds(&sb, "\\n");
        else if (*p == '\r')
            sb_adds(&sb, "\\r");
        else if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
            sb_addf(&sb, "\\x%02x", *p);
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* U+0080..U+009F, the C1 controls */
            sb_addf(&sb, "\\u%04x", *++p);
        else
            sb_addc(&sb, (char)*p);
    }
    return sb_detach(&sb);
}

char *log_excerpt(const char *s, size_t len, size_t max)
{
    size_t n = len < max ? len : max;
    struct strbuf sb = {0};
    sb_addc(&sb, '"');
    for (size_t i = 0; i <= n;) { /* the NUL-free runs quoted, a \x00 between them */
        size_t run = strnlen(s + i, n - i);
        char *part = xmalloc(run + 1); /* not strndup: s need not be NUL-terminated */
        memcpy(part, s + i, run);
        part[run] = '\0';
        char *q = go_quote(part);
        sb_addn(&sb, q + 1, strlen(q) - 2);
        free(q);
        free(part);
        i += run + 1;
        if (i <= n)
            sb_adds(&sb, "\\x00");
    }
    sb_addc(&sb, '"');
    if (n < len)
        sb_addf(&sb, "... (%zu bytes)", len);
    return sb_detach(&sb);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    if (level > current_level)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) >= 0) {
        char *line = escape_controls(msg);
        if (status_line)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "cvz: %s%s%s", level == LOG_ERROR ? "error: " : "", line, raw_terminal ? "\r\n" : "\n");
        free(line);
        free(msg);
    }
    va_end(ap);
}
