/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resturi.h - --restful-uri, checked as vfkit checks it (Go's
 * url.ParseRequestURI, then pkg/rest's rules).
 */
#ifndef CVZ_TOOL_RESTURI_H
#define CVZ_TOOL_RESTURI_H

enum rest_scheme { REST_NONE, REST_TCP, REST_UNIX };

struct rest_uri {
    enum rest_scheme scheme;
    char *host; /* tcp: "host:port" as written (host may be empty: all addresses) */
    char *hostname;
    char *port;
    char *path; /* unix: the socket path */
};

/* "none://" (the default, compared literally) gives REST_NONE without parsing. */
int rest_uri_parse(const char *uri, struct rest_uri *out, char **err);
void rest_uri_free(struct rest_uri *u);

#endif
