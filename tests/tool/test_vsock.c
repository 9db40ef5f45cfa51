/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_vsock.c - `cvz run` forwarding vsock end to end against the simulated
 * framework, whose guest echoes every byte on its side of a connection
 * (sim/README.md):
 *
 *   listen   the sim's guest connects to port N (CVZ_SIM_GUEST_CONNECT_PORTS),
 *            says hello, then echoes; the test is the unix server cvz connects to.
 *   connect  the test is a client of the unix socket cvz listens on; cvz
 *            connects to the guest's port (CVZ_SIM_GUEST_VSOCK_PORTS), which echoes.
 *   ignition the file served over HTTP on $TMPDIR/cvz-ignition-<pid>.sock, where the
 *            guest's connections to vsock port 1024 are forwarded.
 *   timesync the guest-set-time command sent to the guest's port (the echo is
 *            the "reply"), at start and at SIGUSR1.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define D "@D@"
#define LINUX "--bootloader", "linux,kernel=" D "/vmlinuz,initrd=" D "/initrd,cmdline=console=hvc0"
#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ENV(...) ((const char *const[]){__VA_ARGS__, NULL})
#define HELLO "hello from the simulated guest\n"

/* ---- sockets ------------------------------------------------------------------------------ */

static struct sockaddr_un address(const char *path)
{
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    return a;
}

static int unix_server(const char *path)
{
    struct sockaddr_un a = address(path);
    unlink(path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 16), 0);
    return fd;
}

/* Waits (at most WAIT_MS) for a readable descriptor. */
static bool readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, WAIT_MS) == 1;
}

static int accept_one(int server)
{
    assert_true(readable(server));
    int fd = accept(server, NULL, NULL);
    assert_true(fd >= 0);
    return fd;
}

/* Connects to the socket cvz listens on, waiting for it to appear. */
static int unix_client(const char *path)
{
    struct sockaddr_un a = address(path);
    for (int tries = 0; tries < WAIT_MS / 10; tries++) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
            return fd;
        close(fd);
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    fail_msg("nobody listens on %s", path);
    return -1;
}

static void send_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        assert_true(n > 0);
        p += n;
        len -= (size_t)n;
    }
}

/* Reads exactly len bytes (failing on end of file or after WAIT_MS without data). */
static void recv_exact(int fd, void *data, size_t len)
{
    char *p = data;
    while (len > 0) {
        assert_true(readable(fd));
        ssize_t n = recv(fd, p, len, 0);
        if (n <= 0)
            fail_msg("connection ended with %zu bytes missing", len);
        p += n;
        len -= (size_t)n;
    }
}

/* Whether the peer ends the connection (end of file) within WAIT_MS, nothing else arriving. */
static bool ends(int fd)
{
    char c;
    return readable(fd) && recv(fd, &c, 1, 0) == 0;
}

/* Bytes that differ at every position and per connection. */
static char *pattern(size_t len, unsigned seed)
{
    char *p = malloc(len);
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        p[i] = (char)(x >> 16);
    }
    return p;
}

/* Sends `len` patterned bytes through fd and checks the guest's echo,
 * reading while sending (an echo never read fills every buffer on the way). */
static void echo_round(int fd, size_t len, unsigned seed)
{
    char *out = pattern(len, seed), *in = malloc(len);
    size_t sent = 0, got = 0;
    while (got < len) {
        struct pollfd p = {.fd = fd, .events = (short)(POLLIN | (sent < len ? POLLOUT : 0))};
        assert_int_equal(poll(&p, 1, WAIT_MS), 1);
        if ((p.revents & POLLOUT) && sent < len) {
            ssize_t n = send(fd, out + sent, len - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            assert_true(n > 0 || errno == EAGAIN);
            if (n > 0)
                sent += (size_t)n;
        }
        if (p.revents & (POLLIN | POLLHUP)) {
            ssize_t n = recv(fd, in + got, len - got, MSG_DONTWAIT);
            if (n == 0)
                fail_msg("connection ended with %zu bytes missing", len - got);
            if (n > 0)
                got += (size_t)n;
        }
    }
    assert_memory_equal(in, out, len);
    free(out);
    free(in);
}

/* Sends `len` patterned bytes through fd, then half-closes (as nc -N, socat
 * or an HTTP/1.0 client do): the guest's whole echo must still arrive, then
 * end-of-file.  Reads while sending, as echo_round. */
static void half_close_round(int fd, size_t len, unsigned seed)
{
    char *out = pattern(len, seed), *in = malloc(len + 1);
    size_t sent = 0, got = 0;
    bool shut = false;
    for (;;) {
        if (sent == len && !shut) {
            assert_int_equal(shutdown(fd, SHUT_WR), 0);
            shut = true;
        }
        struct pollfd p = {.fd = fd, .events = (short)(POLLIN | (sent < len ? POLLOUT : 0))};
        assert_int_equal(poll(&p, 1, WAIT_MS), 1);
        if ((p.revents & POLLOUT) && sent < len) {
            ssize_t n = send(fd, out + sent, len - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            assert_true(n > 0 || errno == EAGAIN);
            if (n > 0)
                sent += (size_t)n;
        }
        if (p.revents & (POLLIN | POLLHUP)) {
            ssize_t n = recv(fd, in + got, len + 1 - got, MSG_DONTWAIT);
            if (n == 0)
                break;
            if (n > 0)
                got += (size_t)n;
            assert_true(got <= len);
        }
    }
    if (got != len)
        fail_msg("%zu of %zu bytes echoed before the end", got, len);
    assert_memory_equal(in, out, len);
    free(out);
    free(in);
}

/* ---- cvz in the background --------------------------------------------------------------- */

struct cvz {
    pid_t pid;
    char *out, *err;
};

static void start(struct cvz *c, const char *const *argv, const char *const *env)
{
    c->pid = spawn_cvz(argv, env, &c->out, &c->err);
}

static bool says(struct cvz *c, const char *text)
{
    char *needle = expand(text);
    bool found = wait_for_text(c->err, needle, WAIT_MS);
    if (!found) {
        char *e = slurp(c->err);
        print_message("--- waited for: %s\n--- stderr\n%s", needle, e);
        free(e);
    }
    free(needle);
    return found;
}

/* SIGTERM, exit 0; returns stderr. */
static char *stop(struct cvz *c)
{
    kill(c->pid, SIGTERM);
    int status = wait_cvz(c->pid, WAIT_MS);
    char *text = slurp(c->err);
    if (status != 0)
        print_message("--- stderr\n%s", text);
    assert_int_equal(status, 0);
    unlink(c->out);
    unlink(c->err);
    free(c->out);
    free(c->err);
    return text;
}

static bool exists(const char *path)
{
    char *p = expand(path);
    struct stat st;
    bool found = stat(p, &st) == 0;
    free(p);
    return found;
}

/* ---- listen: the guest connects ------------------------------------------------------------ */

static void test_listen_forwards_both_ways(void **state)
{
    (void)state;
    char *path = expand(D "/listen.sock");
    int server = unix_server(path);
    struct cvz c;
    start(&c, ARGS("run", LINUX, "--log-level", "debug", "--device", "virtio-vsock,port=1025,socketURL=" D "/listen.sock"),
          ENV("CVZ_SIM_GUEST_CONNECT_PORTS=1025,1025,1025,1025"));

    /* four guest connections at once, each its own pair */
    int conn[4];
    char hello[sizeof HELLO - 1];
    for (int i = 0; i < 4; i++) {
        conn[i] = accept_one(server);
        recv_exact(conn[i], hello, sizeof hello);
        assert_memory_equal(hello, HELLO, sizeof hello);
    }
    /* more than the relay's 64 KiB buffer and the sockets' buffers, interleaved */
    for (int i = 0; i < 3; i++)
        echo_round(conn[i], 700 * 1024 + (size_t)i, (unsigned)i);
    echo_round(conn[0], 1, 9);

    /* the host closes one: the others go on */
    close(conn[0]);
    /* every byte counted: 700 KiB + 1 to the guest; its hello, the echo of both back */
    assert_true(says(&c, "cvz: vsock port 1025: connection closed (716801 bytes to the guest, 716832 from it)\n"));
    echo_round(conn[1], 4096, 11);
    /* a half-close from the host reaches the guest, whose whole answer still comes back */
    half_close_round(conn[2], 1000, 12);
    half_close_round(conn[3], 1000 * 1000, 13);

    char *err = stop(&c);
    assert_non_null(strstr(err, "cvz: vsock port 1025: the guest connected, forwarding to "));
    /* the open pair is closed at exit */
    assert_true(ends(conn[1]));
    assert_true(exists(D "/listen.sock")); /* the server's socket is not cvz's to remove */
    free(err);
    close(conn[1]);
    close(conn[2]);
    close(conn[3]);
    close(server);
    unlink(path);
    free(path);
}

static void test_listen_without_server(void **state)
{
    (void)state;
    struct cvz c;
    start(&c, ARGS("run", LINUX, "--device", "virtio-vsock,port=1025,socketURL=" D "/nobody.sock"),
          ENV("CVZ_SIM_GUEST_CONNECT_PORTS=1025"));
    assert_true(says(&c, "cvz: error: vsock port 1025: dial unix " D "/nobody.sock: connect: no such file or directory\n"));
    free(stop(&c)); /* the VM keeps running */
}

/* ---- connect: host clients --------------------------------------------------------------------- */

static void test_connect_forwards_both_ways(void **state)
{
    (void)state;
    char *path = expand(D "/connect.sock");
    struct cvz c;
    start(&c,
          ARGS("run", LINUX, "--log-level", "debug", "--device", "virtio-vsock,port=2000,socketURL=" D "/connect.sock,connect",
               "--device", "virtio-vsock,port=2001,socketURL=" D "/refused.sock,connect"),
          ENV("CVZ_SIM_GUEST_VSOCK_PORTS=2000"));

    /* eight clients at once (some may connect before the VM runs: they wait in the backlog) */
    int client[8];
    for (int i = 0; i < 8; i++)
        client[i] = unix_client(path);
    for (int i = 0; i < 8; i++)
        echo_round(client[i], 100 * 1024 * (size_t)(i + 1), (unsigned)(100 + i));
    for (int i = 7; i >= 0; i--)
        echo_round(client[i], 3, (unsigned)(200 + i));
    /* a client that sends and half-closes gets the guest's whole answer; the others are untouched */
    half_close_round(client[3], 1000, 302);
    half_close_round(client[5], 1000 * 1000, 303);
    echo_round(client[4], 10, 300);
    close(client[0]);
    assert_true(says(&c, "cvz: vsock port 2000: connection closed (102403 bytes to the guest, 102403 from it)\n"));
    echo_round(client[7], 10, 301);

    /* the guest does not listen on 2001: the client is closed, cvz says why */
    int refused = unix_client(expand(D "/refused.sock"));
    assert_true(ends(refused));
    assert_true(says(&c, "cvz: error: vsock port 2001: cannot connect to the guest: "));
    close(refused);

    char *err = stop(&c);
    assert_non_null(strstr(err, "cvz: vsock port 2000: client of " ));
    /* the sockets cvz created are gone, and its open pairs closed */
    assert_false(exists(D "/connect.sock"));
    assert_false(exists(D "/refused.sock"));
    assert_true(ends(client[7]));
    for (int i = 1; i < 8; i++)
        close(client[i]);
    free(err);
    free(path);
}

static void test_connect_socket_errors(void **state)
{
    (void)state;
    /* a path that is not a socket is left alone, and nothing starts */
    struct result r;
    run_cvz(ARGS("run", LINUX, "--device", "virtio-vsock,port=2000,socketURL=" D "/disk2.img,connect"), NULL, &r);
    assert_int_equal(r.status, 1);
    char *want = expand("cvz: error: listen unix " D "/disk2.img: bind: address already in use\n");
    assert_string_equal(r.err, want);
    assert_true(exists(D "/disk2.img"));
    free(want);
    result_free(&r);
}

/* ---- ignition -------------------------------------------------------------------------------------- */

/* One raw HTTP exchange on a unix socket: the whole answer, its length in *len. */
static char *raw_http(const char *path, const char *request, size_t *len)
{
    int fd = unix_client(path);
    send_all(fd, request, strlen(request));
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        assert_true(readable(fd));
        ssize_t got = recv(fd, buf + n, cap - n, 0);
        if (got <= 0)
            break;
        n += (size_t)got;
        assert_true(n < cap);
    }
    close(fd);
    *len = n;
    return buf;
}

static void check_served(const char *sock, const char *request, const char *data, size_t size)
{
    size_t len;
    char *answer = raw_http(sock, request, &len);
    char head[256];
    int hlen = snprintf(head, sizeof head,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %zu\r\n"
                        "Connection: close\r\n\r\n",
                        size);
    assert_int_equal(len, (size_t)hlen + size);
    assert_memory_equal(answer, head, (size_t)hlen);
    assert_memory_equal(answer + hlen, data, size);
    free(answer);
}

static void test_ignition_served_over_vsock(void **state)
{
    (void)state;
    /* every byte value, and more than a socket buffer holds */
    size_t size = 300 * 1024;
    char *data = pattern(size, 7);
    char *file = expand(D "/ignition.bin");
    write_file(file, data, size);
    struct cvz c;
    start(&c, ARGS("run", LINUX, "--log-level", "debug", "--ignition", D "/ignition.bin"),
          ENV("CVZ_SIM_GUEST_CONNECT_PORTS=1024"));
    /* the socket's name has cvz's pid: two cvz never share one */
    char *sock_name = NULL;
    assert_true(asprintf(&sock_name, D "/tmp/cvz-ignition-%ld.sock", (long)c.pid) > 0);
    char *sock = expand(sock_name);

    /* the guest's connection to port 1024 reaches the ignition server */
    char *line = NULL;
    assert_true(asprintf(&line, "cvz: vsock port 1024: the guest connected, forwarding to %s\n", sock) > 0);
    assert_true(says(&c, line));
    free(line);
    /* what the guest's Ignition asks gets the file, exactly; any path, as vfkit's "/" handler */
    check_served(sock, "GET /config.ign HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n", data, size);
    check_served(sock, "GET / HTTP/1.0\r\n\r\n", data, size);
    assert_true(says(&c, "cvz: ignition: GET /config.ign\n"));

    free(stop(&c));
    assert_false(exists(sock_name));
    unlink(file);
    free(file);
    free(sock);
    free(sock_name);
    free(data);
}

static void test_ignition_missing_file(void **state)
{
    (void)state;
    struct result r;
    run_cvz(ARGS("run", LINUX, "--ignition", D "/missing.ign"), NULL, &r);
    assert_int_equal(r.status, 1);
    char *want = expand("cvz: error: cannot serve the ignition file: open " D "/missing.ign: no such file or directory\n");
    assert_string_equal(r.err, want);
    free(want);
    result_free(&r);
}

/* A FIFO would block the read forever, /dev/zero never end, a huge file fill memory: one line each. */
static void test_ignition_file_refused(void **state)
{
    (void)state;
    char *big = expand(D "/big.ign");
    int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_int_equal(ftruncate(fd, 64 * 1024 * 1024 + 1), 0); /* sparse */
    close(fd);
    static const struct {
        const char *file, *line;
    } cases[] = {
        {D "/fifo", "cvz: error: cannot serve the ignition file: " D "/fifo is a FIFO, not a regular file\n"},
        {"/dev/zero", "cvz: error: cannot serve the ignition file: /dev/zero is a character device, not a regular file\n"},
        {D "/big.ign", "cvz: error: cannot serve the ignition file: " D "/big.ign is larger than 67108864 bytes\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct result r;
        run_cvz(ARGS("run", LINUX, "--ignition", cases[i].file), NULL, &r);
        char *want = expand(cases[i].line);
        assert_int_equal(r.status, 1);
        assert_string_equal(r.err, want);
        free(want);
        result_free(&r);
    }
    unlink(big);
    free(big);
}

/* A socket another process listens on is not taken over, and stays. */
static void test_live_socket_not_taken(void **state)
{
    (void)state;
    char *path = expand(D "/live.sock");
    int server = unix_server(path);
    struct result r;
    run_cvz(ARGS("run", LINUX, "--device", "virtio-vsock,port=2000,socketURL=" D "/live.sock,connect"), NULL, &r);
    char *want = expand("cvz: error: listen unix " D "/live.sock: bind: address already in use (another process "
                        "listens on it)\n");
    assert_int_equal(r.status, 1);
    assert_string_equal(r.err, want);
    free(want);
    result_free(&r);
    /* the test's server still gets its clients */
    int client = unix_client(path);
    int accepted = accept_one(server);
    close(accepted);
    close(client);
    close(server);
    unlink(path);
    free(path);
}

/* ---- time sync -------------------------------------------------------------------------------------- */

static int64_t realtime_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#define SENT "cvz: timesync: sending {\"execute\": \"guest-set-time\", \"arguments\": {\"time\": "
#define REPLIED "cvz: timesync: qemu-guest-agent replied: {\"execute\": \"guest-set-time\", \"arguments\": {\"time\": "

/* The time of the n-th (0-based) command in `err`, checked to be echoed back by the guest; -1 if absent. */
static long long nth_sync(const char *err, int n)
{
    const char *p = err;
    for (int i = 0; i <= n; i++) {
        p = strstr(p, SENT);
        if (!p)
            return -1;
        p += strlen(SENT);
    }
    char *end;
    long long t = strtoll(p, &end, 10);
    assert_true(strncmp(end, "}} to qemu-guest-agent\n", 23) == 0);
    char reply[256];
    snprintf(reply, sizeof reply, REPLIED "%lld}}\n", t);
    assert_non_null(strstr(err, reply));
    return t;
}

static void test_timesync(void **state)
{
    (void)state;
    int64_t before = realtime_ns();
    struct cvz c;
    start(&c, ARGS("run", LINUX, "--log-level", "debug", "--timesync", "vsockPort=1234"),
          ENV("CVZ_SIM_GUEST_VSOCK_PORTS=1234"));
    assert_true(says(&c, REPLIED));
    kill(c.pid, SIGUSR1);
    assert_true(says(&c, "captured SIGUSR1"));
    char *err = NULL;
    for (int tries = 0; tries < WAIT_MS / 10; tries++) {
        free(err);
        err = slurp(c.err);
        const char *first = strstr(err, REPLIED);
        if (first && strstr(first + 1, REPLIED))
            break;
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    int64_t after = realtime_ns();
    long long t1 = nth_sync(err, 0), t2 = nth_sync(err, 1);
    assert_true(t1 >= before && t1 <= after);
    assert_true(t2 >= t1 && t2 <= after);
    assert_non_null(strstr(err, "cvz: setting up host/guest time synchronization on vsock port 1234\n"));
    free(err);
    free(stop(&c));
}

static void test_timesync_guest_not_listening(void **state)
{
    (void)state;
    struct cvz c;
    start(&c, ARGS("run", LINUX, "--timesync", "vsockPort=1234"), NULL);
    assert_true(says(&c, "cvz: error: timesync: cannot connect to the guest's vsock port 1234: "));
    char *err = stop(&c); /* the VM runs on */
    assert_non_null(strstr(err, "cvz: VM is stopped\n"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_listen_forwards_both_ways),
        cmocka_unit_test(test_listen_without_server),
        cmocka_unit_test(test_connect_forwards_both_ways),
        cmocka_unit_test(test_connect_socket_errors),
        cmocka_unit_test(test_ignition_served_over_vsock),
        cmocka_unit_test(test_ignition_missing_file),
        cmocka_unit_test(test_ignition_file_refused),
        cmocka_unit_test(test_live_socket_not_taken),
        cmocka_unit_test(test_timesync),
        cmocka_unit_test(test_timesync_guest_not_listening),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
