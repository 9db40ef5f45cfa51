/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.c - see json.h.
 */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void json_string(struct strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    sb_addc(sb, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            sb_addc(sb, '\\');
            sb_addc(sb, (char)c);
        } else if (c == '\n') {
            sb_adds(sb, "\\n");
        } else if (c == '\r') {
            sb_adds(sb, "\\r");
        } else if (c == '\t') {
            sb_adds(sb, "\\t");
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            sb_adds(sb, esc);
        } else if (c == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
            sb_adds(sb, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
            p += 2;
        } else {
            sb_addc(sb, (char)c);
        }
    }
    sb_addc(sb, '"');
}

void json_begin(struct json_obj *o, struct strbuf *sb)
{
    o->sb = sb;
    o->first = true;
    sb_addc(sb, '{');
}

void json_end(struct json_obj *o)
{
    sb_addc(o->sb, '}');
}

void json_key(struct json_obj *o, const char *key)
{
    if (!o->first)
        sb_addc(o->sb, ',');
    o->first = false;
    json_string(o->sb, key);
    sb_addc(o->sb, ':');
}

void json_str(struct json_obj *o, const char *key, const char *value)
{
    json_key(o, key);
    json_string(o->sb, value ? value : "");
}

void json_uint(struct json_obj *o, const char *key, unsigned long long value)
{
    json_key(o, key);
    sb_addf(o->sb, "%llu", value);
}

void json_int(struct json_obj *o, const char *key, long long value)
{
    json_key(o, key);
    sb_addf(o->sb, "%lld", value);
}

void json_bool(struct json_obj *o, const char *key, bool value)
{
    json_key(o, key);
    sb_adds(o->sb, value ? "true" : "false");
}

/* ---- reader ------------------------------------------------------------------ */

struct reader {
    const char *p;
    const char *end;
    char **err;
};

static void skip_ws(struct reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int bad(struct reader *r, const char *what)
{
    if (r->p >= r->end)
        return fail(r->err, "unexpected end of JSON input");
    unsigned char c = (unsigned char)*r->p;
    if (c < 0x20 || c >= 0x7f) /* Go quotes the character; no raw control byte in a message */
        return fail(r->err, "invalid character '\\x%02x' %s", c, what);
    return fail(r->err, "invalid character '%c' %s", c, what);
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            v |= (unsigned)((c | 0x20) - 'a' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static void add_utf8(struct strbuf *sb, unsigned cp)
{
    char buf[4];
    if (cp < 0x80) {
        sb_addc(sb, (char)cp);
    } else if (cp < 0x800) {
        buf[0] = (char)(0xc0 | cp >> 6), buf[1] = (char)(0x80 | (cp & 0x3f));
        sb_addn(sb, buf, 2);
    } else if (cp < 0x10000) {
        buf[0] = (char)(0xe0 | cp >> 12), buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f)), buf[2] = (char)(0x80 | (cp & 0x3f));
        sb_addn(sb, buf, 3);
    } else {
        buf[0] = (char)(0xf0 | cp >> 18), buf[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        buf[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), buf[3] = (char)(0x80 | (cp & 0x3f));
        sb_addn(sb, buf, 4);
    }
}

/* A string literal; *out gets its bytes (a \u0000 among them) and *len their count. */
static int read_string(struct reader *r, char **out, size_t *len)
{
    if (r->p >= r->end || *r->p != '"')
        return bad(r, "looking for beginning of value");
    r->p++;
    struct strbuf sb = {0};
    while (r->p < r->end && *r->p != '"') {
        unsigned char c = (unsigned char)*r->p;
        if (c < 0x20) {
            sb_free(&sb);
            return bad(r, "in string literal");
        }
        if (c == '\\') {
            r->p++;
            if (r->p >= r->end)
                break;
            char e = *r->p;
            unsigned cp;
            switch (e) {
            case '"': case '\\': case '/': sb_addc(&sb, e); break;
            case 'b': sb_addc(&sb, '\b'); break;
            case 'f': sb_addc(&sb, '\f'); break;
            case 'n': sb_addc(&sb, '\n'); break;
            case 'r': sb_addc(&sb, '\r'); break;
            case 't': sb_addc(&sb, '\t'); break;
            case 'u':
                if (r->end - r->p < 5 || hex4(r->p + 1, &cp) != 0) {
                    sb_free(&sb);
                    return bad(r, "in \\u hexadecimal character escape");
                }
                r->p += 4;
                if (cp >= 0xd800 && cp < 0xdc00 && r->end - r->p >= 7 && r->p[1] == '\\' && r->p[2] == 'u') {
                    unsigned lo;
                    if (hex4(r->p + 3, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                        r->p += 6;
                    }
                }
                add_utf8(&sb, cp >= 0xd800 && cp < 0xe000 ? 0xfffd : cp); /* a lone surrogate: U+FFFD, as Go */
                break;
            default:
                sb_free(&sb);
                return bad(r, "in string escape code");
            }
            r->p++;
            continue;
        }
        sb_addc(&sb, (char)c);
        r->p++;
    }
    if (r->p >= r->end) {
        sb_free(&sb);
        return bad(r, "");
    }
    r->p++;
    *len = sb.len;
    *out = sb_detach(&sb);
    return 0;
}

/* JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int skip_number(struct reader *r)
{
    if (r->p < r->end && *r->p == '-')
        r->p++;
    if (r->p >= r->end || *r->p < '0' || *r->p > '9')
        return bad(r, "in numeric literal");
    if (*r->p == '0')
        r->p++;
    else
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    if (r->p < r->end && *r->p == '.') {
        r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9')
            return bad(r, "after decimal point in numeric literal");
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
            r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9')
            return bad(r, "in exponent of numeric literal");
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    return 0;
}

static int skip_literal(struct reader *r, const char *word)
{
    for (const char *w = word; *w; w++, r->p++)
        if (r->p >= r->end || *r->p != *w)
            return bad(r, "in literal (expecting a letter of true, false or null)");
    return 0;
}

/* Deeper nesting is refused (Go allows 10000; cvz's requests are flat, and
 * the recursion stays well within the stack, sanitizers included). */
#define MAX_DEPTH 1000

/* Skips any value, checking it as Go's decoder would. */
static int skip_value(struct reader *r, int depth)
{
    skip_ws(r);
    if (r->p >= r->end)
        return bad(r, "");
    char c = *r->p;
    if (c == '"') {
        char *s = NULL;
        size_t n;
        int rc = read_string(r, &s, &n);
        free(s);
        return rc;
    }
    if (c == '{' || c == '[') {
        if (depth >= MAX_DEPTH)
            return fail(r->err, "exceeded max depth");
        char close = c == '{' ? '}' : ']';
        r->p++;
        skip_ws(r);
        if (r->p < r->end && *r->p == close) {
            r->p++;
            return 0;
        }
        for (;;) {
            skip_ws(r);
            if (close == '}') {
                char *k = NULL;
                size_t n;
                if (read_string(r, &k, &n) != 0)
                    return -1;
                free(k);
                skip_ws(r);
                if (r->p >= r->end || *r->p != ':')
                    return bad(r, "after object key");
                r->p++;
            }
            if (skip_value(r, depth + 1) != 0)
                return -1;
            skip_ws(r);
            if (r->p < r->end && *r->p == ',') {
                r->p++;
                continue;
            }
            if (r->p < r->end && *r->p == close) {
                r->p++;
                return 0;
            }
            return bad(r, close == '}' ? "after object key:value pair" : "after array element");
        }
    }
    if (c == 't')
        return skip_literal(r, "true");
    if (c == 'f')
        return skip_literal(r, "false");
    if (c == 'n')
        return skip_literal(r, "null");
    if (c == '-' || (c >= '0' && c <= '9'))
        return skip_number(r);
    return bad(r, "looking for beginning of value");
}

int json_get_string(const char *text, size_t len, const char *key, char **value, size_t *value_len, char **err)
{
    struct reader r = {text, text + len, err};
    *value = NULL;
    skip_ws(&r);
    if (r.p >= r.end)
        return fail(err, "EOF"), -1;
    if (*r.p != '{')
        return bad(&r, "looking for beginning of value"), -1;
    r.p++;
    skip_ws(&r);
    int found = 1;
    char *type_error = NULL;
    if (r.p < r.end && *r.p == '}') {
        r.p++;
    } else {
        for (;;) {
            skip_ws(&r);
            char *k = NULL;
            size_t klen;
            if (read_string(&r, &k, &klen) != 0)
                goto invalid;
            skip_ws(&r);
            if (r.p >= r.end || *r.p != ':') {
                free(k);
                bad(&r, "after object key");
                goto invalid;
            }
            r.p++;
            skip_ws(&r);
            bool is_key = klen == strlen(key) && strcmp(k, key) == 0;
            if (is_key && r.p < r.end && *r.p == '"') {
                free(*value);
                *value = NULL;
                if (read_string(&r, value, value_len) != 0) {
                    free(k);
                    goto invalid;
                }
                free(type_error);
                type_error = NULL;
                found = 0;
            } else {
                if (is_key) {
                    free(type_error);
                    type_error = xasprintf("json: cannot unmarshal non-string into the field %s of type string", key);
                    free(*value);
                    *value = NULL;
                    found = 1;
                }
                if (skip_value(&r, 1) != 0) {
                    free(k);
                    goto invalid;
                }
            }
            free(k);
            skip_ws(&r);
            if (r.p < r.end && *r.p == ',') {
                r.p++;
                continue;
            }
            if (r.p < r.end && *r.p == '}') {
                r.p++;
                break;
            }
            bad(&r, "after object key:value pair");
            goto invalid;
        }
    }
    skip_ws(&r);
    if (r.p < r.end) {
        bad(&r, "after top-level value");
        goto invalid;
    }
    if (type_error) {
        fail(err, "%s", type_error);
        free(type_error);
        return 1;
    }
    return found;
invalid:
    free(type_error);
    free(*value);
    *value = NULL;
    return -1;
}
