/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rest.c - the REST server (tool/rest.c, restreq.c), its JSON reader
 * (tool/json.c) and the log's quoting of client text (tool/util.c), in
 * process: the test is the server's run loop (it polls the server's
 * descriptors and dispatches) and its client, so every step happens when
 * the test says, with no thread and no timing.
 */
#include "harness.h"
#include "json.h"
#include "log.h"
#include "rest.h"
#include "restreq.h"
#include "unixsock.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

/* ---- the server under test, and what its handler saw ------------------------------------ */

struct seen {
    int calls;
    char method[16];
    char path[1024];
    size_t body_len;
};

static void handler(void *context, const char *method, const char *path, const char *body, size_t len,
                    struct rest_response *r)
{
    struct seen *seen = context;
    seen->calls++;
    snprintf(seen->method, sizeof seen->method, "%s", method);
    snprintf(seen->path, sizeof seen->path, "%s", path);
    seen->body_len = len;
    (void)body;
    r->status = 200;
    r->content_type = "text/plain";
    r->body = xstrdup("handled");
}

/* Listens on `uri_text` (malloc'ed, freed here). */
static struct rest_server *open_server(char *uri_text)
{
    struct rest_uri uri;
    char *err = NULL;
    if (rest_uri_parse(uri_text, &uri, &err) != 0)
        fail_msg("%s", err);
    struct rest_server *s = NULL;
    if (rest_server_open(&uri, &s, &err) != 0)
        fail_msg("%s", err);
    rest_uri_free(&uri);
    free(uri_text);
    return s;
}

/* One round of the server's loop: poll its descriptors (and `client`, whose
 * revents are returned), then dispatch. */
static short pump(struct rest_server *s, struct seen *seen, int client)
{
    struct pollfd pfd[65];
    size_t n = rest_server_pollfds(s, pfd, 64);
    pfd[n] = (struct pollfd){.fd = client, .events = POLLIN};
    int ready = poll(pfd, n + 1, 5000);
    assert_true(ready > 0); /* something always happens: a connection, a request, an answer */
    rest_server_dispatch(s, pfd, n, handler, seen);
    return pfd[n].revents;
}

static int connect_unix(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

static int connect_tcp(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Sends `len` bytes of `request` on `fd` and runs the server until it has
 * answered and closed; returns the status, the answer's body in *body. */
static int exchange_on(struct rest_server *s, struct seen *seen, int fd, const char *request, size_t len, char **body)
{
    assert_int_equal(send(fd, request, len, MSG_NOSIGNAL), (ssize_t)len);
    struct strbuf answer = {0};
    for (;;) {
        short revents = pump(s, seen, fd);
        if (!(revents & (POLLIN | POLLHUP)))
            continue;
        char buf[4096];
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        sb_addn(&answer, buf, (size_t)n);
    }
    close(fd);
    int status = -1;
    char *text = sb_detach(&answer);
    sscanf(text, "HTTP/1.1 %d", &status);
    char *sep = strstr(text, "\r\n\r\n");
    *body = xstrdup(sep ? sep + 4 : "");
    free(text);
    return status;
}

static int exchange(struct rest_server *s, struct seen *seen, const char *sock, const char *request, size_t len,
                    char **body)
{
    return exchange_on(s, seen, connect_unix(sock), request, len, body);
}

static char *sock_path(const char *name)
{
    return xasprintf("%s/%s", scratch(), name);
}

/* ---- bodies: a NUL is refused, the handler gets exactly the bytes sent ------------------------ */

static void test_nul_in_body_refused(void **state)
{
    (void)state;
    char *sock = sock_path("nul.sock");
    struct rest_server *s = open_server(xasprintf("unix://%s", sock));
    struct seen seen = {0};
    /* the reproducer: {"a":[ NUL and 200 A's, which once made the JSON reader run past the copy */
    char req[512];
    char body[207] = "{\"a\":[";
    memset(body + 7, 'A', 200);
    int hl = snprintf(req, sizeof req,
                      "POST /vm/state HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                      sizeof body);
    memcpy(req + hl, body, sizeof body);
    char *answer = NULL;
    assert_int_equal(exchange(s, &seen, sock, req, (size_t)hl + sizeof body, &answer), 400);
    assert_string_equal(answer, "NUL byte in the request body");
    assert_int_equal(seen.calls, 0);
    free(answer);

    /* the same through chunks */
    static const char chunked[] = "POST /vm/state HTTP/1.1\r\nContent-Type: application/json\r\n"
                                  "Transfer-Encoding: chunked\r\n\r\n3\r\n{\"\0\r\n0\r\n\r\n";
    assert_int_equal(exchange(s, &seen, sock, chunked, sizeof chunked - 1, &answer), 400);
    assert_int_equal(seen.calls, 0);
    free(answer);

    /* a body without NUL reaches the handler whole */
    static const char ok[] = "POST /vm/state?x=1 HTTP/1.1\r\nContent-Type: application/json; charset=utf-8\r\n"
                             "Content-Length: 16\r\n\r\n{\"state\":\"Stop\"}";
    assert_int_equal(exchange(s, &seen, sock, ok, sizeof ok - 1, &answer), 200);
    assert_int_equal(seen.calls, 1);
    assert_string_equal(seen.path, "/vm/state");
    assert_int_equal(seen.body_len, 16);
    free(answer);
    rest_server_close(s);
    free(sock);
}

/* ---- POSTs only as application/json (a form or text/plain POST needs no CORS preflight) ---------- */

static void test_post_needs_json(void **state)
{
    (void)state;
    char *sock = sock_path("ctype.sock");
    struct rest_server *s = open_server(xasprintf("unix://%s", sock));
    struct seen seen = {0};
    char *answer = NULL;
    static const char *const refused[] = {
        "POST /vm/state HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}",
        "POST /vm/state HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}",
        "POST /vm/state HTTP/1.1\r\nContent-Type: application/jsonx\r\nContent-Length: 2\r\n\r\n{}",
        "POST /vm/state HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 2\r\n\r\n{}",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        assert_int_equal(exchange(s, &seen, sock, refused[i], strlen(refused[i]), &answer), 415);
        assert_string_equal(answer, "a POST needs Content-Type: application/json");
        free(answer);
    }
    assert_int_equal(seen.calls, 0);
    static const char upper[] = "POST /vm/state HTTP/1.1\r\ncontent-type: Application/JSON\r\nContent-Length: 2\r\n\r\n{}";
    assert_int_equal(exchange(s, &seen, sock, upper, sizeof upper - 1, &answer), 200);
    free(answer);
    /* a GET needs no content type */
    static const char get[] = "GET /vm/state HTTP/1.1\r\n\r\n";
    assert_int_equal(exchange(s, &seen, sock, get, sizeof get - 1, &answer), 200);
    free(answer);
    assert_int_equal(seen.calls, 2);
    rest_server_close(s);
    free(sock);
}

/* ---- tcp: Host and Origin must name the server (DNS rebinding, cross-site requests) ----------- */

static void test_host_and_origin_checked(void **state)
{
    (void)state;
    int port = free_port();
    struct rest_server *s = open_server(xasprintf("tcp://localhost:%d", port));
    struct seen seen = {0};
    char *answer = NULL;
    struct {
        const char *headers;
        int status;
    } cases[] = {
        {"Host: evil.example:%d\r\n", 403},                                    /* a rebound name */
        {"Host: localhost.evil.example\r\n", 403},
        {"Host: localhost:%d\r\nOrigin: http://evil.example\r\n", 403},        /* a page elsewhere */
        {"Host: localhost:%d\r\nOrigin: null\r\n", 403},                       /* a sandboxed page, a file */
        {"Host: 127.0.0.1:%d\r\nOrigin: http://127.0.0.1.evil.example:%d\r\n", 403},
        {"Host: localhost:%d\r\nOrigin: http://localhost:%d\r\n", 200},        /* the server's own origin */
        {"Host: LOCALHOST:%d\r\n", 200},
        {"Host: 127.0.0.1:%d\r\n", 200},                                       /* an address cannot be rebound */
        {"Host: [::1]:%d\r\n", 200},
        {"", 200},                                                             /* no browser omits Host */
    };
    int handled = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char headers[256], req[512];
        snprintf(headers, sizeof headers, cases[i].headers, port, port);
        int n = snprintf(req, sizeof req, "POST /vm/state HTTP/1.1\r\n%sContent-Type: application/json\r\n"
                                          "Content-Length: 2\r\n\r\n{}", headers);
        int status = exchange_on(s, &seen, connect_tcp(port), req, (size_t)n, &answer);
        if (status != cases[i].status)
            fail_msg("%s: %d, want %d", headers, status, cases[i].status);
        handled += status == 200;
        free(answer);
    }
    assert_int_equal(seen.calls, handled);
    rest_server_close(s);

    /* a unix socket is no browser's: no Host rule there */
    char *sock = sock_path("host.sock");
    s = open_server(xasprintf("unix://%s", sock));
    static const char req[] = "GET /vm/state HTTP/1.1\r\nHost: evil.example\r\n\r\n";
    assert_int_equal(exchange(s, &seen, sock, req, sizeof req - 1, &answer), 200);
    free(answer);
    rest_server_close(s);
    free(sock);
}

/* ---- binding every interface warns (and a loopback address does not) ----------------------------- */

static char *stderr_of_open(char *uri)
{
    char *path = sock_path("stderr.txt");
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, STDERR_FILENO);
    close(fd);
    struct rest_server *s = open_server(uri);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rest_server_close(s);
    char *text = slurp(path);
    unlink(path);
    free(path);
    return text;
}

static void test_warns_on_every_interface(void **state)
{
    (void)state;
    int port = free_port();
    char *said = stderr_of_open(xasprintf("tcp://:%d", port));
    char *want = xasprintf("cvz: warning: the REST API on tcp://:%d can be reached from other machines, and anyone "
                           "who reaches it can stop the VM (bind 127.0.0.1 or use a unix socket)\n", port);
    assert_string_equal(said, want);
    free(want);
    free(said);
    said = stderr_of_open(xasprintf("tcp://127.0.0.1:%d", port));
    assert_string_equal(said, "");
    free(said);
}

/* ---- idle clients cannot lock the API ------------------------------------------------------- */

static void test_idle_clients_do_not_lock_out(void **state)
{
    (void)state;
    char *sock = sock_path("idle.sock");
    struct rest_server *s = open_server(xasprintf("unix://%s", sock));
    struct seen seen = {0};
    /* more silent clients than the server keeps, each accepted before the next connects */
    enum { IDLE = 40 };
    int idle[IDLE];
    for (int i = 0; i < IDLE; i++) {
        idle[i] = connect_unix(sock);
        pump(s, &seen, -1);
    }
    /* a real client still gets its answer */
    static const char req[] = "GET /vm/state HTTP/1.1\r\n\r\n";
    char *answer = NULL;
    assert_int_equal(exchange(s, &seen, sock, req, sizeof req - 1, &answer), 200);
    assert_string_equal(answer, "handled");
    free(answer);
    /* the longest idle were let go: their connections end */
    char byte;
    assert_int_equal(recv(idle[0], &byte, 1, MSG_DONTWAIT), 0);
    for (int i = 0; i < IDLE; i++)
        close(idle[i]);
    rest_server_close(s);
    free(sock);
}

/* ---- malformed requests: one answer each, no handler call ------------------------------------ */

static void test_malformed_requests(void **state)
{
    (void)state;
    char *sock = sock_path("bad.sock");
    struct rest_server *s = open_server(xasprintf("unix://%s", sock));
    struct seen seen = {0};
    struct {
        const char *req;
        size_t len;
        int status;
        const char *why;
    } cases[] = {
#define C(text, status, why) {text, sizeof text - 1, status, why}
        C("GET /vm/state\0 HTTP/1.1\r\n\r\n", 400, "NUL byte in the request head"),
        C("GET vm/state HTTP/1.1\r\n\r\n", 400, "malformed request line"),
        C("GET /vm/state HTTP/2\r\n\r\n", 400, "malformed request line"),
        C("GET /vm/state HTTP/1.1\r\nno colon\r\n\r\n", 400, "malformed header line"),
        C("POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400, "bad Content-Length"),
        C("POST /x HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}", 400, "bad Content-Length"),
        C("POST /x HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400, "bad Content-Length"),
        C("POST /x HTTP/1.1\r\nContent-Length: 70000\r\n\r\n", 413, "request too large"),
        C("POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "unsupported Transfer-Encoding"),
        C("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n", 400,
          "both Content-Length and Transfer-Encoding"),
        C("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "malformed chunked body"),
        C("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", 400, "malformed chunked body"),
        C("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n", 400,
          "malformed chunked body"),
        C("GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "repeated header"),
#undef C
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *answer = NULL;
        int status = exchange(s, &seen, sock, cases[i].req, cases[i].len, &answer);
        if (status != cases[i].status || strcmp(answer, cases[i].why) != 0)
            fail_msg("case %zu: %d %s", i, status, answer);
        free(answer);
    }
    assert_int_equal(seen.calls, 0);
    rest_server_close(s);
    free(sock);
}

/* ---- the parser alone: prefixes of a request want more bytes, never an answer ----------------- */

static void test_parse_prefixes(void **state)
{
    (void)state;
    static const char req[] = "POST /vm/state HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: "
                              "chunked\r\n\r\n5\r\n{\"sta\r\n0b\r\nte\":\"Stop\"}\r\n0\r\n\r\n";
    for (size_t len = 0; len < sizeof req - 1; len++) {
        struct rest_request r;
        int status = 0;
        const char *why = NULL;
        char *copy = xstrndup(req, len);
        assert_int_equal(rest_request_parse(copy, len, &r, &status, &why), 1);
        free(copy);
    }
    struct rest_request r;
    int status = 0;
    const char *why = NULL;
    assert_int_equal(rest_request_parse(req, sizeof req - 1, &r, &status, &why), 0);
    assert_int_equal(r.body_len, 16);
    assert_string_equal(r.body, "{\"state\":\"Stop\"}");
    assert_string_equal(r.content_type, "application/json");
    rest_request_free(&r);
}

/* ---- JSON: a \u0000 stays in the value; containers are checked, not counted ------------------- */

static int get(const char *json, char **value, size_t *len, char **err)
{
    *value = NULL;
    *err = NULL;
    return json_get_string(json, strlen(json), "state", value, len, err);
}

static void test_json_reader(void **state)
{
    (void)state;
    char *v, *err;
    size_t len;
    assert_int_equal(get("{\"state\":\"Stop\\u0000junk\"}", &v, &len, &err), 0);
    assert_int_equal(len, 9);
    assert_memory_equal(v, "Stop\0junk", 9);
    free(v);
    /* a surrogate pair is one character; a lone one is U+FFFD, as Go decodes them */
    assert_int_equal(get("{\"state\":\"\\ud83d\\ude00\\ud800x\"}", &v, &len, &err), 0);
    assert_string_equal(v, "\xf0\x9f\x98\x80\xef\xbf\xbdx");
    free(v);
    /* other values are skipped by their grammar */
    assert_int_equal(get("{\"a\":{\"b\":[1,-2.5e+3,true,false,null,{}]},\"state\":\"Stop\",\"c\":[]}", &v, &len, &err), 0);
    assert_string_equal(v, "Stop");
    free(v);
    static const struct {
        const char *json, *err;
    } bad[] = {
        {"{\"a\":[}", "invalid character '}' looking for beginning of value"},
        {"{\"a\":[1 2]}", "invalid character '2' after array element"},
        {"{\"a\":{\"b\"}}", "invalid character '}' after object key"},
        {"{\"a\":+1}", "invalid character '+' looking for beginning of value"},
        {"{\"a\":01}", "invalid character '1' after object key:value pair"},
        {"{\"a\":1.}", "invalid character '}' after decimal point in numeric literal"},
        {"{\"a\":tru}", "invalid character '}' in literal (expecting a letter of true, false or null)"},
        {"{\"a\":[", "unexpected end of JSON input"},
        {"{\"a\":\"\x1b\"}", "invalid character '\\x1b' in string literal"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (get(bad[i].json, &v, &len, &err) != -1 || strcmp(err, bad[i].err) != 0)
            fail_msg("%s: %s", bad[i].json, err ? err : "(accepted)");
        assert_null(v);
        free(err);
    }
    /* nesting is bounded */
    struct strbuf deep = {0};
    sb_adds(&deep, "{\"a\":");
    for (int i = 0; i < 5000; i++)
        sb_addc(&deep, '[');
    assert_int_equal(get(deep.data, &v, &len, &err), -1);
    assert_string_equal(err, "exceeded max depth");
    free(err);
    sb_free(&deep);
}

/* ---- log lines: client text quoted, control characters escaped -------------------------------- */

static void test_log_quoting(void **state)
{
    (void)state;
    char *q = log_excerpt("Stop\0\n\x1b[2J", 10, 64);
    assert_string_equal(q, "\"Stop\\x00\\n\\x1b[2J\"");
    free(q);
    char big[5000];
    memset(big, 'A', sizeof big);
    q = log_excerpt(big, sizeof big, 8);
    assert_string_equal(q, "\"AAAAAAAA\"... (5000 bytes)");
    free(q);

    char *path = sock_path("log.txt");
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, STDERR_FILENO);
    close(fd);
    log_msg(LOG_INFO, "state %s", "a\nfake: line\r\x1b]0;title\x07\xc2\x9b" "31m");
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    char *text = slurp(path);
    assert_string_equal(text, "cvz: state a\\nfake: line\\r\\x1b]0;title\\x07\\u009b31m\n");
    free(text);
    unlink(path);
    free(path);
}

/* ---- unix sockets: a live one is not taken over; only our own is removed -------------------- */

static void test_unix_socket_ownership(void **state)
{
    (void)state;
    char *path = sock_path("own.sock");
    struct unix_bound first_bound, second_bound;
    char *err = NULL;
    int first = unix_listen(path, &first_bound, &err);
    assert_true(first >= 0);
    /* another listener on a live socket is refused */
    assert_int_equal(unix_listen(path, &second_bound, &err), -1);
    char *want = xasprintf("listen unix %s: bind: address already in use (another process listens on it)", path);
    assert_string_equal(err, want);
    free(want);
    free(err);
    err = NULL;
    /* once the first is gone (its file left behind, as a killed process leaves it), it is replaced */
    close(first);
    int second = unix_listen(path, &second_bound, &err);
    assert_true(second >= 0);
    /* the first one's cleanup leaves the second's socket alone */
    unix_unlink_bound(path, &first_bound);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    unix_unlink_bound(path, &second_bound);
    assert_int_equal(stat(path, &st), -1);
    close(second);
    /* a file that is not a socket is never removed */
    write_file(path, "data", 4);
    assert_int_equal(unix_listen(path, &second_bound, &err), -1);
    assert_non_null(strstr(err, "address already in use"));
    free(err);
    assert_int_equal(stat(path, &st), 0);
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nul_in_body_refused),
        cmocka_unit_test(test_post_needs_json),
        cmocka_unit_test(test_host_and_origin_checked),
        cmocka_unit_test(test_warns_on_every_interface),
        cmocka_unit_test(test_idle_clients_do_not_lock_out),
        cmocka_unit_test(test_malformed_requests),
        cmocka_unit_test(test_parse_prefixes),
        cmocka_unit_test(test_json_reader),
        cmocka_unit_test(test_log_quoting),
        cmocka_unit_test(test_unix_socket_ownership),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
