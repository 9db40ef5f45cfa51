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
            sb_add(sb, "\\n");
        } else if (c == '\r') {
            sb_add(sb, "\\r");
        } else if (c == '\t') {
            sb_add(sb, "\\t");
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            sb_add(sb, esc);
        } else if (c == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
            sb_add(sb, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
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
    sb_printf(o->sb, "%llu", value);
}

void json_int(struct json_obj *o, const char *key, long long value)
{
    json_key(o, key);
    sb_printf(o->sb, "%lld", value);
}

void json_bool(struct json_obj *o, const char *key, bool value)
{
    json_key(o, key);
    sb_add(o->sb, value ? "true" : "false");
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
    return fail(r->err, "invalid character '%c' %s", *r->p, what);
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

static int read_string(struct reader *r, char **out)
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
                add_utf8(&sb, cp);
                r->p += 4;
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
    *out = sb_take(&sb);
    return 0;
}

/* Skips any value; nested containers are counted, strings honoured. */
static int skip_value(struct reader *r)
{
    skip_ws(r);
    if (r->p >= r->end)
        return bad(r, "");
    char c = *r->p;
    if (c == '"') {
        char *s = NULL;
        int rc = read_string(r, &s);
        free(s);
        return rc;
    }
    if (c == '{' || c == '[') {
        int depth = 0;
        while (r->p < r->end) {
            c = *r->p;
            if (c == '"') {
                char *s = NULL;
                if (read_string(r, &s) != 0)
                    return -1;
                free(s);
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            if (c == '}' || c == ']')
                depth--;
            r->p++;
            if (depth == 0)
                return 0;
        }
        return bad(r, "");
    }
    const char *start = r->p;
    while (r->p < r->end && strchr(",}] \t\r\n", *r->p) == NULL)
        r->p++;
    size_t n = (size_t)(r->p - start);
    if (n == 0)
        return bad(r, "looking for beginning of value");
    if ((n == 4 && (strncmp(start, "true", 4) == 0 || strncmp(start, "null", 4) == 0)) ||
        (n == 5 && strncmp(start, "false", 5) == 0))
        return 0;
    for (const char *q = start; q < r->p; q++)
        if (!strchr("0123456789+-.eE", *q)) {
            r->p = q;
            return bad(r, "looking for beginning of value");
        }
    return 0;
}

int json_get_string(const char *text, size_t len, const char *key, char **value, char **err)
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
            if (read_string(&r, &k) != 0)
                goto invalid;
            skip_ws(&r);
            if (r.p >= r.end || *r.p != ':') {
                free(k);
                bad(&r, "after object key");
                goto invalid;
            }
            r.p++;
            skip_ws(&r);
            if (strcmp(k, key) == 0 && r.p < r.end && *r.p == '"') {
                free(*value);
                *value = NULL;
                if (read_string(&r, value) != 0) {
                    free(k);
                    goto invalid;
                }
                free(type_error);
                type_error = NULL;
                found = 0;
            } else {
                if (strcmp(k, key) == 0) {
                    free(type_error);
                    type_error = xasprintf("json: cannot unmarshal non-string into the field %s of type string", key);
                    free(*value);
                    *value = NULL;
                    found = 1;
                }
                if (skip_value(&r) != 0) {
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
