/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_run.c - `cvz run` end to end against the simulated framework: start,
 * guest console on stdout through virtio-serial, the REST API over TCP and a
 * unix socket with a real socket client, SIGTERM/SIGINT and the forced stop,
 * the pid file, the cloud-init ISO, availability and validation failures,
 * and the exit codes of tool/run.h.
 */
#include "harness.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define D "@D@"
#define LINUX "--bootloader", "linux,kernel=" D "/vmlinuz,initrd=" D "/initrd,cmdline=console=hvc0"
#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ENV(...) ((const char *const[]){__VA_ARGS__, NULL})

#define BOOT_TEXT "Welcome to the simulated guest"

struct proc {
    pid_t pid;
    char *out;
    char *err;
};

static void start(struct proc *p, const char *const *argv, const char *const *env)
{
    p->pid = spawn_cvz(argv, env, &p->out, &p->err);
}

static int finish(struct proc *p, int timeout_ms)
{
    return wait_cvz(p->pid, timeout_ms);
}

static void proc_free(struct proc *p)
{
    unlink(p->out);
    unlink(p->err);
    free(p->out);
    free(p->err);
}

static void show(struct proc *p)
{
    char *o = slurp(p->out), *e = slurp(p->err);
    print_message("--- stdout\n%s--- stderr\n%s---\n", o, e);
    free(o);
    free(e);
}

/* Waits until the REST server answers and the VM is running. */
static void wait_running(int port, const char *unix_path)
{
    for (int i = 0; i < WAIT_MS / 10; i++) {
        char *body = NULL;
        int status = http(port, unix_path, "GET", "/vm/state", NULL, &body);
        bool running = status == 200 && strstr(body, "\"state\":\"VirtualMachineStateRunning\"");
        free(body);
        if (running)
            return;
        usleep(10000);
    }
    fail_msg("the VM never reported VirtualMachineStateRunning");
}

static char *arg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    assert_true(vasprintf(&s, fmt, ap) >= 0);
    va_end(ap);
    return s;
}

/* ---- console, REST over TCP, pid file --------------------------------------------------- */

static void test_console_rest_tcp_pidfile(void **state)
{
    (void)state;
    int port = free_port();
    char *uri = arg("tcp://127.0.0.1:%d", port);
    char *pidfile = expand(D "/cvz.pid");
    struct proc p;
    start(&p, ARGS("run", "--cpus", "2", "--memory", "1024", LINUX, "--device", "virtio-blk,path=" D "/disk.img",
                   "--device", "virtio-net,nat,mac=52:54:00:70:2B:71", "--device", "virtio-rng", "--device",
                   "virtio-serial,stdio", "--restful-uri", uri, "--pidfile", pidfile),
          NULL);
    wait_running(port, NULL);

    /* the guest's console arrives on stdout */
    assert_true(wait_for_text(p.out, BOOT_TEXT, WAIT_MS));
    char *console = slurp(p.out);
    assert_non_null(strstr(console, "Command line: console=hvc0"));
    assert_non_null(strstr(console, "Memory: 1024 MiB, CPUs: 2"));
    free(console);

    /* the pid file names the process */
    char *pid_text = slurp(pidfile);
    assert_int_equal(atol(pid_text), (long)p.pid);
    free(pid_text);

    char *body = NULL;
    assert_int_equal(http(port, NULL, "GET", "/vm/state", NULL, &body), 200);
    assert_string_equal(body, "{\"canHardStop\":true,\"canPause\":true,\"canResume\":false,\"canStart\":false,"
                              "\"canStop\":true,\"state\":\"VirtualMachineStateRunning\"}");
    free(body);

    char *want = expand("{\"vcpus\":2,\"memoryBytes\":1073741824,\"bootloader\":{\"kind\":\"linuxBootloader\","
                        "\"vmlinuzPath\":\"" D "/vmlinuz\",\"kernelCmdLine\":\"console=hvc0\",\"initrdPath\":\"" D
                        "/initrd\"},\"devices\":[{\"kind\":\"virtioblk\",\"devName\":\"virtio-blk\",\"imagePath\":\"" D
                        "/disk.img\"},{\"kind\":\"virtionet\",\"nat\":true,\"macAddress\":\"52:54:00:70:2b:71\"},"
                        "{\"kind\":\"virtiorng\"},{\"kind\":\"virtioserial\",\"usesStdio\":true}]}");
    assert_int_equal(http(port, NULL, "GET", "/vm/inspect", NULL, &body), 200);
    assert_string_equal(body, want);
    free(body);
    free(want);

    /* errors: unknown path, bad JSON, unknown state, Pause/Resume without the API */
    assert_int_equal(http(port, NULL, "GET", "/vm/nothing", NULL, &body), 404);
    assert_string_equal(body, "404 page not found");
    free(body);
    assert_int_equal(http(port, NULL, "POST", "/vm/state", "{\"state\":", &body), 400);
    assert_non_null(strstr(body, "\"error\":"));
    free(body);
    assert_int_equal(http(port, NULL, "POST", "/vm/state", "{\"state\":\"Reboot\"}", &body), 500);
    assert_string_equal(body, "{\"error\":\"invalid new VMState: Reboot\"}");
    free(body);
    /* Pause and resume round trip; resuming a running machine is an illegal transition. */
    assert_int_equal(http(port, NULL, "POST", "/vm/state", "{\"state\":\"Pause\"}", &body), 202);
    free(body);
    assert_int_equal(http(port, NULL, "GET", "/vm/state", NULL, &body), 200);
    assert_non_null(strstr(body, "\"canResume\":true"));
    assert_non_null(strstr(body, "\"state\":\"VirtualMachineStatePaused\""));
    free(body);
    assert_int_equal(http(port, NULL, "POST", "/vm/state", "{\"state\":\"Resume\"}", &body), 202);
    free(body);
    assert_int_equal(http(port, NULL, "POST", "/vm/state", "{\"state\":\"Resume\"}", &body), 500);
    assert_non_null(strstr(body, "{\"error\":\"cannot resume: "));
    free(body);

    /* a stop request: the guest powers off, cvz exits 0 and removes its pid file */
    assert_int_equal(http(port, NULL, "POST", "/vm/state", "{\"state\":\"Stop\"}", &body), 202);
    assert_string_equal(body, "");
    free(body);
    int status = finish(&p, WAIT_MS);
    if (status != 0)
        show(&p);
    assert_int_equal(status, 0);
    assert_true(wait_for_text(p.out, "reboot: Power down", 100));
    struct stat st;
    assert_int_not_equal(stat(pidfile, &st), 0);
    proc_free(&p);
    free(pidfile);
    free(uri);
}

/* ---- REST: what a web page, a bad body or a client's text cannot do; save ------------------- */

static int raw(int port, const char *request, char **body)
{
    return http_raw(port, NULL, request, strlen(request), body);
}

static void test_rest_refusals_and_save(void **state)
{
    (void)state;
    int port = free_port();
    char *uri = arg("tcp://127.0.0.1:%d", port);
    struct proc p;
    start(&p, ARGS("run", LINUX, "--restful-uri", uri, "--log-level", "debug"), NULL);
    wait_running(port, NULL);
    char *body = NULL;

    /* a page on another site: a CORS "simple" POST, then one with a rebound name */
    assert_int_equal(raw(port, "POST /vm/state HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\n"
                               "Content-Type: text/plain\r\nContent-Length: 20\r\n\r\n{\"state\":\"HardStop\"}", &body),
                     415);
    free(body);
    assert_int_equal(raw(port, "POST /vm/state HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\n"
                               "Content-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"state\":\"HardStop\"}",
                         &body),
                     403);
    free(body);
    assert_int_equal(raw(port, "GET /vm/inspect HTTP/1.1\r\nHost: rebound.evil.example\r\n\r\n", &body), 403);
    free(body);
    /* a NUL in the body (the reproducer once read past the heap copy) */
    static const char nul[] = "POST /vm/state HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n"
                              "{\"a\":[\0AA";
    assert_int_equal(http_raw(port, NULL, nul, sizeof nul - 1, &body), 400);
    free(body);
    /* a \u0000 does not end the state's name, as vfkit */
    assert_int_equal(http(port, NULL, "POST", "/vm/state", "{\"state\":\"Stop\\u0000junk\"}", &body), 500);
    assert_string_equal(body, "{\"error\":\"invalid new VMState: \\\"Stop\\\\x00junk\\\"\"}");
    free(body);
    /* what a client sends is one escaped, bounded log line */
    assert_int_equal(http(port, NULL, "POST", "/vm/state", "{\"state\":\"x\\nfake: line\\u001b[2J\"}", &body), 500);
    free(body);
    assert_true(wait_for_text(p.err, "cvz: error: failed action \"x\\nfake: line\\x1b[2J\": ", 2000));
    char *big = malloc(6000);
    strcpy(big, "{\"state\":\"");
    memset(big + 10, 'A', 5000);
    strcpy(big + 5010, "\"}");
    assert_int_equal(http(port, NULL, "POST", "/vm/state", big, &body), 500);
    free(body);
    free(big);
    assert_true(wait_for_text(p.err, "AAAA\"... (5000 bytes): ", 2000));
    char *log = slurp(p.err);
    assert_null(strchr(log, '\x1b'));
    assert_null(strstr(log, "\nfake: line"));
    free(log);

    /* save: the framework wants the VM paused; then a file that exists is never overwritten */
    char *save = expand(D "/vm.save");
    char *save_body = arg("{\"path\":\"%s\"}", save);
    unlink(save);
    assert_int_equal(http(port, NULL, "POST", "/vm/save", save_body, &body), 500);
    assert_non_null(strstr(body, "{\"error\":\"cannot save the machine state: "));
    free(body);
    assert_int_equal(http(port, NULL, "POST", "/vm/state", "{\"state\":\"Pause\"}", &body), 202);
    free(body);
    assert_int_equal(http(port, NULL, "POST", "/vm/save", save_body, &body), 202);
    free(body);
    struct stat st;
    assert_int_equal(stat(save, &st), 0);
    assert_true(st.st_size > 0);
    assert_int_equal(http(port, NULL, "POST", "/vm/save", save_body, &body), 400);
    char *exists = arg("{\"error\":\"cannot save to %s: the file exists\"}", save);
    assert_string_equal(body, exists);
    free(exists);
    free(body);
    assert_int_equal(http(port, NULL, "POST", "/vm/save", "{\"state\":\"x\"}", &body), 400);
    assert_string_equal(body, "{\"error\":\"missing \\\"path\\\"\"}");
    free(body);
    /* restore: the framework wants a stopped VM */
    assert_int_equal(http(port, NULL, "POST", "/vm/restore", save_body, &body), 500);
    assert_non_null(strstr(body, "{\"error\":\"cannot restore the machine state: "));
    free(body);
    assert_int_equal(http(port, NULL, "GET", "/vm/state", NULL, &body), 200);
    assert_non_null(strstr(body, "\"state\":\"VirtualMachineStatePaused\""));
    free(body);

    assert_int_equal(http(port, NULL, "POST", "/vm/state", "{\"state\":\"HardStop\"}", &body), 202);
    free(body);
    int status = finish(&p, 5000);
    if (status != 0)
        show(&p);
    assert_int_equal(status, 0);
    unlink(save);
    free(save);
    free(save_body);
    proc_free(&p);
    free(uri);
}

/* ---- REST over a unix socket, HardStop ------------------------------------------------ */

static void test_rest_unix_hardstop(void **state)
{
    (void)state;
    char *sock = expand(D "/rest.sock");
    char *uri = arg("unix://%s", sock);
    char *log = expand(D "/console.log");
    struct proc p;
    start(&p, ARGS("run", LINUX, "--device", "virtio-serial,logFilePath=" D "/console.log", "--restful-uri", uri),
          NULL);
    wait_running(0, sock);
    assert_true(wait_for_text(log, BOOT_TEXT, WAIT_MS));
    char *body = NULL;
    assert_int_equal(http(0, sock, "POST", "/vm/state", "{\"state\": \"HardStop\"}", &body), 202);
    free(body);
    assert_int_equal(finish(&p, WAIT_MS), 0);
    /* a forced stop gives the guest no chance to print */
    char *text = slurp(log);
    assert_null(strstr(text, "reboot: Power down"));
    free(text);
    /* the socket is gone */
    struct stat st;
    assert_int_not_equal(stat(sock, &st), 0);
    proc_free(&p);
    free(sock);
    free(uri);
    free(log);
}

/* ---- HardStop where the API is missing (11.0) ------------------------------------------- */

static void test_rest_hardstop_unavailable(void **state)
{
    (void)state;
    int port = free_port();
    char *uri = arg("tcp://127.0.0.1:%d", port);
    struct proc p;
    start(&p, ARGS("run", LINUX, "--restful-uri", uri), ENV("CVZ_SIM_MACOS_VERSION=11.0"));
    wait_running(port, NULL);
    char *body = NULL;
    assert_int_equal(http(port, NULL, "GET", "/vm/state", NULL, &body), 200);
    assert_non_null(strstr(body, "\"canHardStop\":false"));
    free(body);
    assert_int_equal(http(port, NULL, "POST", "/vm/state", "{\"state\":\"HardStop\"}", &body), 500);
    assert_string_equal(body, "{\"error\":\"-[VZVirtualMachine stopWithCompletionHandler:] requires macOS 12.0; "
                              "this host runs 11.0\"}");
    free(body);
    assert_int_equal(http(port, NULL, "POST", "/vm/state", "{\"state\":\"Stop\"}", &body), 202);
    free(body);
    assert_int_equal(finish(&p, WAIT_MS), 0);
    proc_free(&p);
    free(uri);
}

/* ---- signals ------------------------------------------------------------------------------ */

static void test_sigterm_clean_stop(void **state)
{
    (void)state;
    struct proc p;
    start(&p, ARGS("run", LINUX, "--device", "virtio-serial,stdio"), NULL);
    assert_true(wait_for_text(p.out, BOOT_TEXT, WAIT_MS));
    assert_true(wait_for_text(p.err, "cvz: virtual machine is running\n", WAIT_MS)); /* cvz knows */
    kill(p.pid, SIGTERM);
    int status = finish(&p, WAIT_MS);
    if (status != 0)
        show(&p);
    assert_int_equal(status, 0);
    assert_true(wait_for_text(p.out, "reboot: Power down", 100));
    assert_true(wait_for_text(p.err, "captured SIGTERM, stopping the virtual machine", 100));
    assert_true(wait_for_text(p.err, "VM is stopped", 100));
    proc_free(&p);
}

static void test_sigterm_forced_after_timeout(void **state)
{
    (void)state;
    struct proc p;
    start(&p, ARGS("run", LINUX, "--device", "virtio-serial,stdio", "--stop-timeout", "300ms"),
          ENV("CVZ_SIM_GUEST_SHUTDOWN_DELAY_MS=-1"));
    assert_true(wait_for_text(p.out, BOOT_TEXT, WAIT_MS));
    assert_true(wait_for_text(p.err, "cvz: virtual machine is running\n", WAIT_MS)); /* cvz knows */
    kill(p.pid, SIGTERM);
    assert_int_equal(finish(&p, WAIT_MS), 3);
    assert_true(wait_for_text(p.err, "the guest did not stop within 300 ms, forcing the stop", 100));
    proc_free(&p);
}

static void test_second_sigint_forces(void **state)
{
    (void)state;
    struct proc p;
    start(&p, ARGS("run", LINUX, "--device", "virtio-serial,stdio", "--stop-timeout", "1m"),
          ENV("CVZ_SIM_GUEST_SHUTDOWN_DELAY_MS=-1"));
    assert_true(wait_for_text(p.out, BOOT_TEXT, WAIT_MS));
    assert_true(wait_for_text(p.err, "cvz: virtual machine is running\n", WAIT_MS)); /* cvz knows */
    kill(p.pid, SIGINT);
    assert_true(wait_for_text(p.err, "captured SIGINT, stopping the virtual machine", WAIT_MS));
    kill(p.pid, SIGINT);
    assert_int_equal(finish(&p, WAIT_MS), 3);
    assert_true(wait_for_text(p.err, "captured SIGINT again, forcing the stop", 100));
    proc_free(&p);
}

static void test_forced_stop_unavailable(void **state)
{
    (void)state;
    struct proc p;
    start(&p, ARGS("run", LINUX, "--device", "virtio-serial,stdio", "--stop-timeout", "200ms"),
          ENV("CVZ_SIM_GUEST_SHUTDOWN_DELAY_MS=-1", "CVZ_SIM_MACOS_VERSION=11.0"));
    assert_true(wait_for_text(p.out, BOOT_TEXT, WAIT_MS));
    assert_true(wait_for_text(p.err, "cvz: virtual machine is running\n", WAIT_MS)); /* cvz knows */
    kill(p.pid, SIGTERM);
    assert_int_equal(finish(&p, WAIT_MS), 1);
    assert_true(wait_for_text(p.err,
                              "cvz: error: failed to force stop VM: -[VZVirtualMachine stopWithCompletionHandler:] "
                              "requires macOS 12.0; this host runs 11.0",
                              100));
    proc_free(&p);
}

/* ---- cloud-init: the ISO exists while the VM runs, is removed afterwards ---------------- */

static void test_cloud_init_iso(void **state)
{
    (void)state;
    int port = free_port();
    char *uri = arg("tcp://127.0.0.1:%d", port);
    struct proc p;
    start(&p, ARGS("run", LINUX, "--cloud-init", D "/cloud/user-data," D "/cloud/meta-data," D "/cloud/network-config",
                   "--restful-uri", uri),
          NULL);
    wait_running(port, NULL);
    char *body = NULL;
    assert_int_equal(http(port, NULL, "GET", "/vm/inspect", NULL, &body), 200);
    const char *at = strstr(body, "\"imagePath\":\"");
    assert_non_null(at);
    at += strlen("\"imagePath\":\"");
    char *iso = strndup(at, (size_t)(strchr(at, '"') - at));
    free(body);
    char *dir = expand(D "/tmp/cvz-cloudinit/cvz-cloudinit-");
    assert_int_equal(strncmp(iso, dir, strlen(dir)), 0);
    free(dir);

    /* an ISO 9660 image labelled cidata, holding the three files */
    char *image = NULL;
    size_t len = 0;
    FILE *f = fopen(iso, "rb");
    assert_non_null(f);
    FILE *m = open_memstream(&image, &len);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, m);
    fclose(f);
    fclose(m);
    assert_true(len >= 21 * 2048);
    assert_memory_equal(image + 16 * 2048 + 1, "CD001", 5);
    assert_memory_equal(image + 16 * 2048 + 40, "cidata ", 7);
    assert_non_null(memmem(image + 20 * 2048, 2048, "USER-DATA.;1", 12));
    assert_non_null(memmem(image + 20 * 2048, 2048, "META-DATA.;1", 12));
    assert_non_null(memmem(image + 20 * 2048, 2048, "NETWORK-CONFIG.;1", 17));
    assert_non_null(memmem(image, len, "#cloud-config\n", 14));
    assert_non_null(memmem(image, len, "instance-id: cvz\n", 17));
    free(image);

    assert_int_equal(http(port, NULL, "POST", "/vm/state", "{\"state\":\"Stop\"}", &body), 202);
    free(body);
    assert_int_equal(finish(&p, WAIT_MS), 0);
    struct stat st;
    assert_int_not_equal(stat(iso, &st), 0);
    free(iso);
    proc_free(&p);
    free(uri);
}

/* ---- refusals before anything starts: exit 2 -------------------------------------------- */

static void expect_rejected(const char *const *argv, const char *const *env, const char *line)
{
    struct result r;
    run_cvz(argv, env, &r);
    char *want = expand(line);
    if (r.status != 2 || !matches(want, r.err))
        print_message("exit %d\n--- stderr\n%s--- want\n%s", r.status, r.err, want);
    assert_int_equal(r.status, 2);
    assert_true(matches(want, r.err));
    assert_string_equal(r.out, "");
    free(want);
    result_free(&r);
}

static void test_unavailable_device(void **state)
{
    (void)state;
    /* Too new for the host: libcvz's reason, by version. */
    expect_rejected(ARGS("run", LINUX, "--device", "nvme,path=" D "/disk.img"), ENV("CVZ_SIM_MACOS_VERSION=13.0"),
                    "cvz: cannot use --device nvme,path=" D "/disk.img: VZNVMExpressControllerDeviceConfiguration "
                    "requires macOS 14.0; this host runs 13.0\n");
    expect_rejected(ARGS("run", "--bootloader", "efi,variable-store=" D "/efi-store"), ENV("CVZ_SIM_MACOS_VERSION=12.0"),
                    "cvz: cannot use the efi bootloader: VZEFIBootLoader requires macOS 13.0; this host runs 12.0\n");
    expect_rejected(ARGS("run", LINUX), ENV("CVZ_SIM_MACOS_VERSION=10.15"),
                    "cvz: cannot use a virtual machine: VZVirtualMachineConfiguration requires macOS 11.0; this host "
                    "runs 10.15\n");
    expect_rejected(ARGS("run", LINUX), ENV("CVZ_FRAMEWORK_PATH=/nonexistent/Virtualization.so"),
                    "cvz: cannot use a virtual machine: @ANY@\n");
}

static void test_validation_failure(void **state)
{
    (void)state;
    expect_rejected(ARGS("run", "--memory", "64", LINUX), NULL,
                    "cvz: -[VZVirtualMachineConfiguration validateWithError:] failed: Invalid virtual machine "
                    "configuration. The memory size (67108864 bytes) is less than the minimum allowed (134217728 "
                    "bytes).@ANY@\n");
    expect_rejected(ARGS("run", "--cpus", "0", LINUX), NULL,
                    "cvz: -[VZVirtualMachineConfiguration validateWithError:] failed: @ANY@The number of CPUs (0) is "
                    "less than the minimum allowed (1).@ANY@\n");
}

static void test_pidfile_unwritable(void **state)
{
    (void)state;
    expect_rejected(ARGS("run", LINUX, "--pidfile", D "/no/such/dir/cvz.pid"), NULL,
                    "cvz: could not write PID: open " D "/no/such/dir/cvz.pid: no such file or directory\n");
}

/* ---- the pid file never overwrites a file; a stale one is replaced -------------------------- */

static void test_pidfile_never_overwrites(void **state)
{
    (void)state;
    /* the VM's own disk, given as the pid file: refused, the disk untouched */
    char *disk = expand(D "/disk.img");
    char *before = slurp(disk);
    struct stat st;
    assert_int_equal(stat(disk, &st), 0);
    expect_rejected(ARGS("run", LINUX, "--device", "virtio-blk,path=" D "/disk.img", "--pidfile", D "/disk.img"), NULL,
                    "cvz: could not write PID: " D "/disk.img exists and is not a pid file\n");
    struct stat after;
    assert_int_equal(stat(disk, &after), 0);
    assert_int_equal(after.st_size, st.st_size);
    free(before);
    free(disk);
    /* a FIFO: refused at once, nothing blocks */
    expect_rejected(ARGS("run", LINUX, "--pidfile", D "/fifo"), NULL,
                    "cvz: could not write PID: " D "/fifo is a FIFO, not a regular file (a pid file is a regular file "
                    "of a few bytes)\n");
    /* the pid of a live process (this test's) */
    char *pidfile = expand(D "/live.pid");
    char text[32];
    int n = snprintf(text, sizeof text, "%ld\n", (long)getpid());
    write_file(pidfile, text, (size_t)n);
    char *want = arg("cvz: could not write PID: %s names process %ld, which is running\n", pidfile, (long)getpid());
    expect_rejected(ARGS("run", LINUX, "--pidfile", D "/live.pid"), NULL, want);
    free(want);
    char *kept = slurp(pidfile);
    assert_string_equal(kept, text);
    free(kept);
    unlink(pidfile);
    free(pidfile);

    /* a stale pid file (its process gone) is replaced, then removed at exit */
    pidfile = expand(D "/stale.pid");
    pid_t gone = fork();
    if (gone == 0)
        _exit(0);
    waitpid(gone, NULL, 0);
    n = snprintf(text, sizeof text, "%ld\n", (long)gone);
    write_file(pidfile, text, (size_t)n);
    struct proc p;
    start(&p, ARGS("run", LINUX, "--device", "virtio-serial,stdio", "--pidfile", D "/stale.pid"), NULL);
    assert_true(wait_for_text(p.out, BOOT_TEXT, 3000));
    char *mine = slurp(pidfile);
    assert_int_equal(atol(mine), (long)p.pid);
    free(mine);
    kill(p.pid, SIGTERM);
    assert_int_equal(finish(&p, 5000), 0);
    assert_int_not_equal(stat(pidfile, &st), 0);
    proc_free(&p);
    free(pidfile);
}

/* ---- the REST server cannot listen: exit 1 ----------------------------------------------- */

static void test_rest_port_in_use(void **state)
{
    (void)state;
    int port = free_port();
    char *uri = arg("tcp://127.0.0.1:%d", port);
    struct proc first, second;
    start(&first, ARGS("run", LINUX, "--restful-uri", uri), NULL);
    wait_running(port, NULL);
    start(&second, ARGS("run", LINUX, "--restful-uri", uri), NULL);
    assert_int_equal(finish(&second, WAIT_MS), 1);
    char *want = arg("cvz: error: listen tcp 127.0.0.1:%d: bind: address already in use\n", port);
    char *err = slurp(second.err);
    assert_string_equal(err, want);
    free(err);
    free(want);
    kill(first.pid, SIGTERM);
    assert_int_equal(finish(&first, WAIT_MS), 0);
    proc_free(&first);
    proc_free(&second);
    free(uri);
}

/* ---- vfkit's command line without the `run` command ---------------------------------------- */

static void test_without_run_command(void **state)
{
    (void)state;
    struct proc p;
    start(&p, ARGS("--cpus", "1", LINUX, "--device", "virtio-serial,stdio", "--log-level", "error"), NULL);
    assert_true(wait_for_text(p.out, BOOT_TEXT, WAIT_MS));
    kill(p.pid, SIGTERM);
    assert_int_equal(finish(&p, WAIT_MS), 0);
    char *err = slurp(p.err);
    assert_string_equal(err, ""); /* --log-level error: nothing but errors */
    free(err);
    proc_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_console_rest_tcp_pidfile),
        cmocka_unit_test(test_rest_refusals_and_save),
        cmocka_unit_test(test_rest_unix_hardstop),
        cmocka_unit_test(test_rest_hardstop_unavailable),
        cmocka_unit_test(test_sigterm_clean_stop),
        cmocka_unit_test(test_sigterm_forced_after_timeout),
        cmocka_unit_test(test_second_sigint_forces),
        cmocka_unit_test(test_forced_stop_unavailable),
        cmocka_unit_test(test_cloud_init_iso),
        cmocka_unit_test(test_unavailable_device),
        cmocka_unit_test(test_validation_failure),
        cmocka_unit_test(test_pidfile_unwritable),
        cmocka_unit_test(test_pidfile_never_overwrites),
        cmocka_unit_test(test_rest_port_in_use),
        cmocka_unit_test(test_without_run_command),
    };
    scratch();
    return cmocka_run_group_tests_name("cvz run", tests, NULL, NULL);
}
