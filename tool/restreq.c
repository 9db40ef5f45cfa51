/* SPDX-License-Identifier: Apache-2.0 */
/*
 * restreq.c - see restreq.h.
 */
#include "restreq.h"

#include "goconv.h"
#include "util.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int refuse(int code, const char *text, int *status, const char **why)
{
    *status = code;
    *why = text;
    return -1;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* A header's value without the blanks around it (malloc'ed). */
static char *trimmed(const char *s, const char *end)
{
    while (s < end && is_space(*s))
        s++;
    while (end > s && is_space(end[-1]))
        end--;
    return xstrndup(s, (size_t)(end - s));
}

/* The chunk size at the start of a chunk line (hex digits, then ';' or the line's end). */
static bool chunk_size(const char *s, const char *eol, size_t *out)
{
    size_t v = 0;
    const char *p = s;
    for (; p < eol && *p != ';' && !is_space(*p); p++) {
        int d = *p >= '0' && *p <= '9' ? *p - '0' : (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f' ? (*p | 0x20) - 'a' + 10 : -1;
        if (d < 0 || v > REST_MAX_REQUEST)
            return false;
        v = v * 16 + (size_t)d;
    }
    *out = v;
    return p > s;
}

/* Decodes a chunked body: 0 whole (into *out), 1 incomplete, -1 malformed, -2 too large. */
static int dechunk(const char *in, size_t len, struct strbuf *out)
{
    size_t pos = 0;
    for (;;) {
        const char *eol = memmem(in + pos, len - pos, "\r\n", 2);
        if (!eol)
            return 1;
        size_t size;
        if (!chunk_size(in + pos, eol, &size))
            return -1;
        pos = (size_t)(eol - in) + 2;
        if (size == 0) /* then trailers, up to an empty line */
            return pos + 2 <= len && memcmp(in + pos, "\r\n", 2) == 0 ? 0
                   : memmem(in + pos, len - pos, "\r\n\r\n", 4) ? 0 : 1;
        if (out->len + size > REST_MAX_REQUEST)
            return -2;
        if (len - pos < size + 2)
            return 1;
        if (memcmp(in + pos + size, "\r\n", 2) != 0)
            return -1;
        sb_addn(out, in + pos, size);
        pos += size + 2;
    }
}

/* "METHOD /target HTTP/1.x" */
static bool request_line(const char *s, const char *eol, struct rest_request *req)
{
    const char *p = s;
    while (p < eol && *p >= 'A' && *p <= 'Z')
        p++;
    size_t n = (size_t)(p - s);
    if (n == 0 || n >= sizeof req->method || p == eol || *p != ' ')
        return false;
    memcpy(req->method, s, n);
    const char *t = ++p;
    while (p < eol && *p != ' ' && *p != '?')
        p++;
    n = (size_t)(p - t);
    if (n == 0 || n >= sizeof req->path || *t != '/')
        return false;
    memcpy(req->path, t, n);
    while (p < eol && *p != ' ')
        p++;
    return eol - p == 9 && (memcmp(p, " HTTP/1.1", 9) == 0 || memcmp(p, " HTTP/1.0", 9) == 0);
}

int rest_request_parse(const char *data, size_t len, struct rest_request *req, int *status, const char **why)
{
    memset(req, 0, sizeof *req);
    const char *head_end = memmem(data, len, "\r\n\r\n", 4);
    if (!head_end)
        return len > REST_MAX_REQUEST ? refuse(413, "request too large", status, why) : 1;
    size_t head_len = (size_t)(head_end - data) + 4;
    if (head_len > REST_MAX_REQUEST)
        return refuse(413, "request too large", status, why);
    if (memchr(data, '\0', head_len))
        return refuse(400, "NUL byte in the request head", status, why);
    const char *eol = memmem(data, head_len, "\r\n", 2);
    if (!request_line(data, eol, req))
        return refuse(400, "malformed request line", status, why);

    int64_t content_length = -1;
    bool chunked = false;
    const char *bad = NULL;
    for (const char *line = eol + 2; line < head_end + 2 && !bad; line = eol + 2) {
        eol = memmem(line, (size_t)(head_end + 2 - line), "\r\n", 2);
        const char *colon = memchr(line, ':', (size_t)(eol - line));
        if (!colon || colon == line) {
            bad = "malformed header line";
            break;
        }
        for (const char *c = line; c < colon; c++)
            if (is_space(*c) || (unsigned char)*c < 0x21 || (unsigned char)*c > 0x7e)
                bad = "malformed header name";
        size_t nlen = (size_t)(colon - line);
        char **slot = nlen == 4 && strncasecmp(line, "Host", 4) == 0           ? &req->host
                      : nlen == 6 && strncasecmp(line, "Origin", 6) == 0       ? &req->origin
                      : nlen == 12 && strncasecmp(line, "Content-Type", 12) == 0 ? &req->content_type
                                                                                 : NULL;
        char *value = trimmed(colon + 1, eol);
        if (slot) {
            if (*slot)
                bad = "repeated header";
            else
                *slot = value, value = NULL;
        } else if (nlen == 14 && strncasecmp(line, "Content-Length", 14) == 0) {
            uint64_t v = 0;
            char *verr = NULL;
            if (content_length >= 0 || go_parse_uint(value, 10, 63, &v, &verr) != 0)
                bad = "bad Content-Length";
            else
                content_length = v > REST_MAX_REQUEST ? REST_MAX_REQUEST + 1 : (int64_t)v;
            free(verr);
        } else if (nlen == 17 && strncasecmp(line, "Transfer-Encoding", 17) == 0) {
            if (chunked || strcasecmp(value, "chunked") != 0)
                bad = "unsupported Transfer-Encoding";
            chunked = true;
        }
        free(value);
    }
    if (!bad && chunked && content_length >= 0)
        bad = "both Content-Length and Transfer-Encoding";
    if (bad) {
        rest_request_free(req);
        return refuse(400, bad, status, why);
    }

    const char *body = data + head_len;
    size_t avail = len - head_len;
    struct strbuf sb = {0};
    if (chunked) {
        int rc = dechunk(body, avail, &sb);
        if (rc != 0) {
            sb_free(&sb);
            rest_request_free(req);
            if (rc == 1)
                return len > REST_MAX_REQUEST ? refuse(413, "request too large", status, why) : 1;
            return rc == -2 ? refuse(413, "request too large", status, why)
                            : refuse(400, "malformed chunked body", status, why);
        }
    } else {
        if (content_length > REST_MAX_REQUEST) {
            rest_request_free(req);
            return refuse(413, "request too large", status, why);
        }
        size_t want = content_length > 0 ? (size_t)content_length : 0;
        if (avail < want) {
            rest_request_free(req);
            return 1;
        }
        sb_addn(&sb, body, want);
    }
    req->body_len = sb.len;
    req->body = sb_detach(&sb);
    return 0;
}

/* Whether a Host (or an Origin's host[:port]) names this server. */
static bool host_allowed(const char *hostport, const struct rest_uri *bound)
{
    const char *end;
    char *name;
    if (hostport[0] == '[') {
        end = strchr(hostport, ']');
        if (!end)
            return false;
        name = xstrndup(hostport + 1, (size_t)(end - hostport - 1));
        end++;
    } else {
        end = strchr(hostport, ':');
        if (!end)
            end = hostport + strlen(hostport);
        name = xstrndup(hostport, (size_t)(end - hostport));
    }
    bool ok = *end == '\0' || (*end == ':' && strspn(end + 1, "0123456789") == strlen(end + 1));
    unsigned char addr[16];
    /* a literal address cannot be rebound; a name must be ours */
    ok = ok && (inet_pton(AF_INET, name, addr) == 1 || inet_pton(AF_INET6, name, addr) == 1 ||
                strcasecmp(name, "localhost") == 0 ||
                (bound->hostname && *bound->hostname && strcasecmp(name, bound->hostname) == 0));
    free(name);
    return ok;
}

bool rest_request_allowed(const struct rest_request *req, const struct rest_uri *bound, int *status,
                          const char **why)
{
    if (memchr(req->body, '\0', req->body_len))
        return refuse(400, "NUL byte in the request body", status, why), false;
    if (strcmp(req->method, "POST") == 0) {
        const char *t = req->content_type;
        size_t n = strlen("application/json");
        if (!t || strncasecmp(t, "application/json", n) != 0 || (t[n] && t[n] != ';' && !is_space(t[n])))
            return refuse(415, "a POST needs Content-Type: application/json", status, why), false;
    }
    if (bound->scheme != REST_TCP)
        return true;
    if (req->host && !host_allowed(req->host, bound))
        return refuse(403, "the Host header does not name this server", status, why), false;
    if (req->origin) {
        const char *o = req->origin;
        bool ok = false;
        if (strncasecmp(o, "http://", 7) == 0 || strncasecmp(o, "https://", 8) == 0) {
            char *hostport = xstrdup(strstr(o, "//") + 2);
            hostport[strcspn(hostport, "/")] = '\0';
            ok = host_allowed(hostport, bound);
            free(hostport);
        }
        if (!ok)
            return refuse(403, "requests from another site's pages are refused", status, why), false;
    }
    return true;
}

void rest_request_free(struct rest_request *req)
{
    free(req->host);
    free(req->origin);
    free(req->content_type);
    free(req->body);
    req->host = req->origin = req->content_type = req->body = NULL;
    req->body_len = 0;
}
