/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resturi.c - see resturi.h.  The URL grammar is the part of Go's net/url
 * that ParseRequestURI uses: scheme, optional //authority, path, ?query.
 */
#include "resturi.h"

#include "flags.h"
#include "goconv.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int url_error(const char *uri, const char *why, char **err)
{
    char *q = go_quote(uri);
    fail(err, "parse %s: %s", q, why);
    free(q);
    return -1;
}

static bool host_char_ok(char c)
{
    if (isalnum((unsigned char)c))
        return true;
    return strchr("-._~!$&'()*+,;=:[]<>\"%", c) != NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Go's unescape for a path: %XX decoded, a bad escape is an error. */
static int unescape(const char *uri, const char *s, char **out, char **err)
{
    struct strbuf sb = {0};
    for (const char *p = s; *p; p++) {
        if (*p == '%') {
            if (hexval(p[1]) < 0 || hexval(p[2]) < 0) {
                char *bad = xstrndup(p, p[1] ? (p[2] ? 3 : 2) : 1);
                char *q = go_quote(bad);
                char *why = xasprintf("invalid URL escape %s", q);
                url_error(uri, why, err);
                free(why);
                free(q);
                free(bad);
                sb_free(&sb);
                return -1;
            }
            sb_addc(&sb, (char)(hexval(p[1]) << 4 | hexval(p[2])));
            p += 2;
        } else {
            sb_addc(&sb, *p);
        }
    }
    *out = sb_detach(&sb);
    return 0;
}

int rest_uri_parse(const char *uri, struct rest_uri *out, char **err)
{
    memset(out, 0, sizeof *out);
    if (strcmp(uri, DEFAULT_RESTFUL_URI) == 0) {
        out->scheme = REST_NONE;
        return 0;
    }
    for (const char *p = uri; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return url_error(uri, "net/url: invalid control character in URL", err);
    if (*uri == '\0')
        return url_error(uri, "empty url", err);

    /* scheme */
    char *scheme = xstrdup("");
    const char *rest = uri;
    for (const char *p = uri; *p; p++) {
        if (isalpha((unsigned char)*p))
            continue;
        if (isdigit((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.') {
            if (p == uri)
                break;
            continue;
        }
        if (*p == ':') {
            if (p == uri) {
                free(scheme);
                return url_error(uri, "missing protocol scheme", err);
            }
            free(scheme);
            scheme = xstrndup(uri, (size_t)(p - uri));
            for (char *c = scheme; *c; c++)
                *c = (char)tolower((unsigned char)*c);
            rest = p + 1;
        }
        break;
    }

    char *work = xstrdup(rest);
    char *question = strchr(work, '?');
    if (question)
        *question = '\0';

    char *host = xstrdup("");
    char *path = NULL;
    int rc = -1;
    if (work[0] != '/') {
        if (*scheme == '\0') {
            url_error(uri, "invalid URI for request", err);
            goto out;
        }
        path = xstrdup(""); /* an opaque URL: no host, no path */
    } else {
        const char *p = work;
        if (*scheme && strncmp(p, "//", 2) == 0) {
            p += 2;
            const char *slash = strchr(p, '/');
            size_t alen = slash ? (size_t)(slash - p) : strlen(p);
            char *authority = xstrndup(p, alen);
            p += alen;
            const char *at = strrchr(authority, '@');
            free(host);
            host = xstrdup(at ? at + 1 : authority);
            free(authority);
            if (at) { /* Go would parse and vfkit ignore them: nothing checks credentials */
                fail(err, "invalid uri: user credentials are not supported (nothing would check them)");
                goto out;
            }
            const char *colon = strrchr(host, ':');
            if (colon && host[0] != '[') {
                for (const char *d = colon + 1; *d; d++) {
                    if (!isdigit((unsigned char)*d)) {
                        char *q = go_quote(colon);
                        char *why = xasprintf("invalid port %s after host", q);
                        url_error(uri, why, err);
                        free(why);
                        free(q);
                        goto out;
                    }
                }
            }
            for (const char *h = host; *h; h++) {
                if (!host_char_ok(*h)) {
                    char c[2] = {*h, 0};
                    char *q = go_quote(c);
                    char *why = xasprintf("invalid character %s in host name", q);
                    url_error(uri, why, err);
                    free(why);
                    free(q);
                    goto out;
                }
            }
        }
        if (unescape(uri, p, &path, err) != 0)
            goto out;
    }

    if (strcmp(scheme, "tcp") == 0 || strcmp(scheme, "http") == 0) {
        out->scheme = REST_TCP;
    } else if (strcmp(scheme, "unix") == 0) {
        out->scheme = REST_UNIX;
    } else if (strcmp(scheme, "none") == 0) {
        out->scheme = REST_NONE;
    } else {
        fail(err, "invalid scheme %s", scheme);
        goto out;
    }

    if (out->scheme == REST_TCP) {
        if (*host == '\0') {
            fail(err, "invalid TCP uri: missing host");
            goto out;
        }
        if (*path) {
            fail(err, "invalid TCP uri: path is forbidden");
            goto out;
        }
        /* Go's Port(): what follows the first ':' (or "]:" for IPv6) */
        const char *colon = host[0] == '[' ? strstr(host, "]:") : strchr(host, ':');
        if (colon && host[0] == '[')
            colon++;
        if (!colon || colon[1] == '\0') {
            fail(err, "invalid TCP uri: missing port");
            goto out;
        }
        /* getaddrinfo would wrap a port past 65535, or take a service name */
        const char *port = colon + 1;
        if (strspn(port, "0123456789") != strlen(port) || strlen(port) > 5 || atoi(port) > 65535) {
            char *q = go_quote(port);
            fail(err, "invalid TCP uri: port %s is not a number from 0 to 65535", q);
            free(q);
            goto out;
        }
        out->port = xstrdup(colon + 1);
        if (host[0] == '[')
            out->hostname = xstrndup(host + 1, (size_t)(colon - host - 2));
        else
            out->hostname = xstrndup(host, (size_t)(colon - host));
        out->host = xstrdup(host);
    } else if (out->scheme == REST_UNIX) {
        if (*path == '\0') {
            fail(err, "invalid unix uri: missing path");
            goto out;
        }
        if (*host) {
            fail(err, "invalid unix uri: host is forbidden");
            goto out;
        }
        if (strlen(path) > 103) {
            fail(err, "invalid unix uri: socket path length exceeds macOS limits");
            goto out;
        }
        out->path = xstrdup(path);
    }
    rc = 0;
out:
    free(scheme);
    free(work);
    free(host);
    free(path);
    if (rc != 0)
        rest_uri_free(out);
    return rc;
}

void rest_uri_free(struct rest_uri *u)
{
    free(u->host);
    free(u->hostname);
    free(u->port);
    free(u->path);
    memset(u, 0, sizeof *u);
}
