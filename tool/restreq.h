/* SPDX-License-Identifier: Apache-2.0 */
/*
 * restreq.h - one HTTP/1.1 request read from the bytes a client sent (no
 * I/O, so that the parser can be fuzzed alone), and the rules a request must
 * follow before the REST server hands it to a handler.
 */
#ifndef CVZ_TOOL_RESTREQ_H
#define CVZ_TOOL_RESTREQ_H

#include "resturi.h"

#include <stdbool.h>
#include <stddef.h>

/* A request line, its head and its body may take this much together. */
#define REST_MAX_REQUEST (64 * 1024)

struct rest_request {
    char method[16];
    char path[1024];    /* the target without its ?query */
    char *host;         /* the headers cvz looks at, NULL when absent */
    char *origin;
    char *content_type;
    char *body;         /* malloc'ed, NUL-terminated (a NUL inside is refused by rest_request_allowed) */
    size_t body_len;
};

/* Parses data[0..len), everything a client sent so far:
 *   0  a whole request is in *req (free it with rest_request_free),
 *   1  more bytes are needed,
 *  -1  refused: *status is the HTTP status to answer, *why its text. */
int rest_request_parse(const char *data, size_t len, struct rest_request *req, int *status, const char **why);

/* Whether a parsed request may reach a handler of a server listening on
 * `bound`: no NUL in the body, a POST only with Content-Type application/json,
 * and on tcp a Host and an Origin that name the server (a literal address,
 * localhost or the host name of --restful-uri), so that a web page cannot
 * drive the API (DNS rebinding, cross-site POSTs).  Returns true, or false
 * with *status and *why set. */
bool rest_request_allowed(const struct rest_request *req, const struct rest_uri *bound, int *status,
                          const char **why);

void rest_request_free(struct rest_request *req);

#endif
