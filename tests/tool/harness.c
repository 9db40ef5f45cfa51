/* SPDX-License-Identifier: Apache-2.0 */
/*
 * harness.c - see harness.h.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

static char scratch_dir[256];
static pid_t scratch_owner;

static void remove_scratch(void)
{
    if (!scratch_dir[0] || getpid() != scratch_owner || getenv("CVZ_TEST_KEEP"))
        return;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", scratch_dir);
}

void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

static void make(const char *name, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", scratch_dir, name);
    write_file(path, data, len);
}

static void make_dir(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", scratch_dir, name);
    if (mkdir(path, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "cannot create %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

const char *scratch(void)
{
    if (scratch_dir[0])
        return scratch_dir;
    snprintf(scratch_dir, sizeof scratch_dir, "/tmp/cvz-tool-test-XXXXXX");
    if (!mkdtemp(scratch_dir)) {
        perror("mkdtemp");
        exit(1);
    }
    scratch_owner = getpid();
    atexit(remove_scratch);
    static unsigned char kernel[4096];
    memcpy(kernel + 0x38, "ARMd", 4); /* an uncompressed arm64 Image */
    make("vmlinuz", kernel, sizeof kernel);
    static const unsigned char gz[64] = {0x1f, 0x8b, 0x08};
    make("vmlinuz.gz", gz, sizeof gz);
    make("initrd", "initrd", 6);
    static unsigned char disk[64 * 1024];
    make("disk.img", disk, sizeof disk);
    make("disk2.img", disk, sizeof disk);
    make("empty.img", "", 0);
    make("qcow2.img", "QFI\xfb\0\0\0\3", 8);
    make("efi-store", "efi", 3);
    make("machine-id", "id", 2);
    make("hw-model", "hw", 2);
    make("aux.img", "aux", 3);
    make("ign.json", "{\"ignition\":{\"version\":\"3.2.0\"}}", 32);
    make_dir("cloud");
    make("cloud/user-data", "#cloud-config\n", 14);
    make("cloud/meta-data", "instance-id: cvz\n", 17);
    make("cloud/network-config", "version: 2\n", 11);
    make("cloud/other", "other\n", 6);
    make_dir("share");
    make_dir("tmp");
    char fifo[320];
    snprintf(fifo, sizeof fifo, "%s/fifo", scratch_dir);
    if (mkfifo(fifo, 0600) != 0) {
        perror(fifo);
        exit(1);
    }
    return scratch_dir;
}

char *expand(const char *s)
{
    const char *dir = scratch();
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, "@D@")); p += 3)
        n++;
    char *out = malloc(strlen(s) + n * strlen(dir) + 1);
    char *o = out;
    for (const char *p = s; *p;) {
        if (strncmp(p, "@D@", 3) == 0) {
            o = stpcpy(o, dir);
            p += 3;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return strdup("");
    char *data = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&data, &len);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, m);
    fclose(f);
    fclose(m);
    return data;
}

static int64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

bool wait_for_text(const char *path, const char *needle, int timeout_ms)
{
    int64_t end = ms_now() + timeout_ms;
    do {
        char *text = slurp(path);
        bool found = strstr(text, needle) != NULL;
        free(text);
        if (found)
            return true;
        nap(10);
    } while (ms_now() < end);
    return false;
}

static const char *tool(void)
{
    const char *t = getenv("CVZ_TOOL");
    if (!t) {
        fprintf(stderr, "CVZ_TOOL is not set (the path of the cvz binary)\n");
        exit(1);
    }
    return t;
}

static void child(const char *path, const char *const *argv, const char *const *env, const char *out, const char *err)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s/tmp", scratch());
    setenv("TMPDIR", tmp, 1);
    for (size_t i = 0; env && env[i]; i++) {
        char *e = expand(env[i]);
        putenv(e);
    }
    int in = open("/dev/null", O_RDONLY);
    int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || o < 0 || e < 0)
        _exit(126);
    dup2(in, 0);
    dup2(o, 1);
    dup2(e, 2);
    size_t n = 0;
    while (argv[n])
        n++;
    char **args = calloc(n + 2, sizeof *args);
    args[0] = (char *)"cvz";
    for (size_t i = 0; i < n; i++)
        args[i + 1] = expand(argv[i]);
    execv(path, args);
    _exit(127);
}

static int spawn_count;

pid_t spawn_cvz(const char *const *argv, const char *const *env, char **out_path, char **err_path)
{
    char out[512], err[512];
    int id = ++spawn_count;
    snprintf(out, sizeof out, "%s/out.%d.%d", scratch(), (int)getpid(), id);
    snprintf(err, sizeof err, "%s/err.%d.%d", scratch(), (int)getpid(), id);
    const char *path = tool();
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        child(path, argv, env, out, err);
    *out_path = strdup(out);
    *err_path = strdup(err);
    return pid;
}

int wait_cvz(pid_t pid, int timeout_ms)
{
    int64_t end = ms_now() + timeout_ms;
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (ms_now() > end) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            fail_msg("cvz did not exit within %d ms", timeout_ms);
        }
        nap(5);
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

void run_cvz(const char *const *argv, const char *const *env, struct result *r)
{
    char *out, *err;
    pid_t pid = spawn_cvz(argv, env, &out, &err);
    r->status = wait_cvz(pid, WAIT_MS);
    r->out = slurp(out);
    r->err = slurp(err);
    unlink(out);
    unlink(err);
    free(out);
    free(err);
}

void result_free(struct result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

bool matches(const char *pattern, const char *text)
{
    const char *any = strstr(pattern, "@ANY@");
    const char *lines = strstr(pattern, "@ANYLINES@");
    bool multi = lines && (!any || lines < any);
    const char *wild = multi ? lines : any;
    if (!wild)
        return strcmp(pattern, text) == 0;
    size_t head = (size_t)(wild - pattern);
    if (strncmp(pattern, text, head) != 0)
        return false;
    const char *rest = wild + (multi ? 10 : 5);
    /* try every end of the wildcard: on the current line, or anywhere for @ANYLINES@ */
    for (const char *t = text + head;; t++) {
        if (matches(rest, t))
            return true;
        if (*t == '\0' || (*t == '\n' && !multi))
            return false;
    }
}

static int connect_to(int port, const char *unix_path)
{
    int fd;
    if (unix_path) {
        struct sockaddr_un a = {0};
        a.sun_family = AF_UNIX;
        snprintf(a.sun_path, sizeof a.sun_path, "%s", unix_path);
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
            close(fd);
            return -1;
        }
    } else {
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons((uint16_t)port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
            close(fd);
            return -1;
        }
    }
    return fd;
}

int http_raw(int port, const char *unix_path, const char *request, size_t len, char **response)
{
    *response = NULL;
    int fd = connect_to(port, unix_path);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t n = send(fd, request + done, len - done, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    char *data = NULL;
    size_t dlen = 0;
    FILE *m = open_memstream(&data, &dlen);
    char buf[4096];
    int64_t end = ms_now() + WAIT_MS;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 100) > 0) {
            ssize_t n = recv(fd, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            fwrite(buf, 1, (size_t)n, m);
        }
        if (ms_now() > end)
            break;
    }
    fclose(m);
    close(fd);
    int status = -1;
    if (data && sscanf(data, "HTTP/1.1 %d", &status) == 1) {
        char *sep = strstr(data, "\r\n\r\n");
        *response = strdup(sep ? sep + 4 : "");
    }
    free(data);
    return status;
}

int http(int port, const char *unix_path, const char *method, const char *path, const char *body, char **response)
{
    char *req = NULL;
    size_t blen = body ? strlen(body) : 0;
    *response = NULL;
    if (asprintf(&req,
                 "%s %s HTTP/1.1\r\nHost: localhost\r\nUser-Agent: cvz-test\r\nContent-Type: application/json\r\n"
                 "Content-Length: %zu\r\n\r\n%s",
                 method, path, blen, body ? body : "") < 0)
        return -1;
    int status = http_raw(port, unix_path, req, strlen(req), response);
    free(req);
    return status;
}

int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        close(fd);
        return 0;
    }
    int port = ntohs(a.sin_port);
    close(fd);
    return port;
}
