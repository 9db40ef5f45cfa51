/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rest.c - libFuzzer target: the REST server's request parser
 * (tool/restreq.c) and its JSON reader (tool/json.c).
 *
 * The input is what a client sends on the socket.  A request that parses is
 * checked against the server's rules for tcp://127.0.0.1 and for a unix
 * socket, its body is read for "state" and "path" as POST /vm/state and
 * /vm/save do, and its text goes through the log's quoting.  A refusal must
 * come with a 4xx status and its text; a parsed body is NUL-terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "log.h"
#include "restreq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_key(const struct rest_request *req, const char *key)
{
    char *value = NULL, *err = NULL;
    size_t len = 0;
    int rc = json_get_string(req->body, req->body_len, key, &value, &len, &err);
    if (rc == 0) {
        if (!value)
            abort();
        free(log_excerpt(value, len, 64));
    } else if (value || (rc < 0 && !err)) {
        abort(); /* an error without its message, or a value with an error */
    }
    free(value);
    free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the server parses its NUL-terminated buffer; the copy ends exactly where the input does */
    char *buf = malloc(size + 1);
    memcpy(buf, data, size);
    buf[size] = '\0';
    struct rest_request req;
    int status = 0;
    const char *why = NULL;
    int rc = rest_request_parse(buf, size, &req, &status, &why);
    if (rc < 0 && (status < 400 || !why))
        abort();
    if (rc == 0) {
        if (req.body[req.body_len] != '\0')
            abort();
        struct rest_uri tcp = {.scheme = REST_TCP, .hostname = "127.0.0.1"};
        struct rest_uri unix_socket = {.scheme = REST_UNIX};
        rest_request_allowed(&req, &tcp, &status, &why);
        rest_request_allowed(&req, &unix_socket, &status, &why);
        read_key(&req, "state");
        read_key(&req, "path");
        free(log_excerpt(req.path, strlen(req.path), 80));
        rest_request_free(&req);
    }
    free(buf);
    return 0;
}
