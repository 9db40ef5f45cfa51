/* SPDX-License-Identifier: Apache-2.0 */
/*
 * goconv.c - see goconv.h.
 */
#include "goconv.h"

#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n;
    unsigned min;
    unsigned cp;
    if ((s[0] & 0xe0) == 0xc0) {
        n = 2, min = 0x80, cp = s[0] & 0x1f;
    } else if ((s[0] & 0xf0) == 0xe0) {
        n = 3, min = 0x800, cp = s[0] & 0x0f;
    } else if ((s[0] & 0xf8) == 0xf0) {
        n = 4, min = 0x10000, cp = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

char *go_quote(const char *s)
{
    struct strbuf sb = {0};
    sb_addc(&sb, '"');
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_len(p);
        if (n == 0) {
            sb_addf(&sb, "\\x%02x", *p);
            p++;
            continue;
        }
        if (n > 1) {
            sb_addn(&sb, (const char *)p, n);
            p += n;
            continue;
        }
        switch (*p) {
        case '"': sb_adds(&sb, "\\\""); break;
        case '\\': sb_adds(&sb, "\\\\"); break;
        case '\a': sb_adds(&sb, "\\a"); break;
        case '\b': sb_adds(&sb, "\\b"); break;
        case '\f': sb_adds(&sb, "\\f"); break;
        case '\n': sb_adds(&sb, "\\n"); break;
        case '\r': sb_adds(&sb, "\\r"); break;
        case '\t': sb_adds(&sb, "\\t"); break;
        case '\v': sb_adds(&sb, "\\v"); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                sb_addf(&sb, "\\x%02x", *p);
            else
                sb_addc(&sb, (char)*p);
        }
        p++;
    }
    sb_addc(&sb, '"');
    return sb_detach(&sb);
}

static int num_error(char **err, const char *fn, const char *s, const char *what)
{
    char *q = go_quote(s);
    fail(err, "strconv.%s: parsing %s: %s", fn, q, what);
    free(q);
    return -1;
}

/* Go's underscoreOK: underscores only between digits (or after a base prefix). */
static bool underscore_ok(const char *s)
{
    char saw = '^';
    size_t i = 0;
    if (s[0] == '-' || s[0] == '+')
        s++;
    bool hex = false;
    size_t len = strlen(s);
    if (len >= 2 && s[0] == '0') {
        char c = (char)(s[1] | 0x20);
        if (c == 'b' || c == 'o' || c == 'x') {
            i = 2;
            saw = '0';
            hex = c == 'x';
        }
    }
    for (; i < len; i++) {
        char c = s[i];
        char lc = (char)(c | 0x20);
        if ((c >= '0' && c <= '9') || (hex && lc >= 'a' && lc <= 'f')) {
            saw = '0';
            continue;
        }
        if (c == '_') {
            if (saw != '0')
                return false;
            saw = '_';
            continue;
        }
        if (saw == '_')
            return false;
        saw = '!';
    }
    return saw != '_';
}

/* The unsigned core shared by ParseUint and ParseInt: 1 syntax, 2 range. */
static int parse_digits(const char *s0, int base, uint64_t max, uint64_t *out)
{
    const char *s = s0;
    if (*s == '\0')
        return 1;
    bool base0 = base == 0;
    if (base == 0) {
        base = 10;
        if (s[0] == '0') {
            char c = (char)(s[1] | 0x20);
            if (strlen(s) >= 3 && c == 'b') {
                base = 2, s += 2;
            } else if (strlen(s) >= 3 && c == 'o') {
                base = 8, s += 2;
            } else if (strlen(s) >= 3 && c == 'x') {
                base = 16, s += 2;
            } else {
                base = 8, s += 1;
            }
        }
    }
    uint64_t n = 0;
    bool underscores = false;
    for (; *s; s++) {
        char c = *s;
        int d;
        if (c == '_' && base0) {
            underscores = true;
            continue;
        } else if (c >= '0' && c <= '9') {
            d = c - '0';
        } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
            d = (c | 0x20) - 'a' + 10;
        } else {
            return 1;
        }
        if (d >= base)
            return 1;
        if (n > (max - (uint64_t)d) / (uint64_t)base)
            return 2; /* Go reports the overflow at once */
        n = n * (uint64_t)base + (uint64_t)d;
    }
    if (underscores && !underscore_ok(s0))
        return 1;
    *out = n;
    return 0;
}

int go_parse_uint(const char *s, int base, int bits, uint64_t *out, char **err)
{
    uint64_t max = bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
    uint64_t v = 0;
    int rc = parse_digits(s, base, max, &v);
    if (rc == 1)
        return num_error(err, "ParseUint", s, "invalid syntax");
    if (rc == 2)
        return num_error(err, "ParseUint", s, "value out of range");
    *out = v;
    return 0;
}

static int parse_int_as(const char *fn, const char *s, int bits, int64_t *out, char **err)
{
    if (*s == '\0')
        return num_error(err, fn, s, "invalid syntax");
    bool neg = false;
    const char *digits = s;
    if (*digits == '+' || *digits == '-') {
        neg = *digits == '-';
        digits++;
    }
    uint64_t limit = (uint64_t)1 << (bits - 1); /* |min| */
    uint64_t v = 0;
    int rc = parse_digits(digits, 10, UINT64_MAX, &v);
    if (rc == 1)
        return num_error(err, fn, s, "invalid syntax");
    if (rc == 2 || (!neg && v >= limit) || (neg && v > limit))
        return num_error(err, fn, s, "value out of range");
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

int go_parse_int(const char *s, int bits, int64_t *out, char **err)
{
    return parse_int_as("ParseInt", s, bits, out, err);
}

int go_atoi(const char *s, int64_t *out, char **err)
{
    return parse_int_as("Atoi", s, 64, out, err);
}

int go_parse_bool(const char *s, bool *out, char **err)
{
    static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
    for (size_t i = 0; i < 6; i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return num_error(err, "ParseBool", s, "invalid syntax");
}

const char *go_errno_text(int errnum)
{
    /* Go's table (syscall/zerrors_*.go) is strerror with a lower-case first letter. */
    static char buf[256];
    const char *text = strerror(errnum);
    snprintf(buf, sizeof buf, "%s", text);
    if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
        buf[0] = (char)(buf[0] - 'A' + 'a');
    return buf;
}

char *go_path_error(const char *op, const char *path, int errnum)
{
    return xasprintf("%s %s: %s", op, path, go_errno_text(errnum));
}

char *trim_quotes(const char *s)
{
    size_t len = strlen(s);
    if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
        size_t start = 0, end = len;
        while (start < end && s[start] == '"')
            start++;
        while (end > start && s[end - 1] == '"')
            end--;
        return xstrndup(s + start, end - start);
    }
    return xstrdup(s);
}
