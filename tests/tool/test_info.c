/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_info.c - `cvz info` at several simulated macOS versions and
 * architectures, with and without --json, for all classes and for one; and
 * the help and version texts of every subcommand.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ENV(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Classes of the Linux slice every libcvz knows; newer ones may be added. */
static const char *const slice[] = {
    "VZBootLoader", "VZLinuxBootLoader", "VZDiskImageStorageDeviceAttachment", "VZVirtioBlockDeviceConfiguration",
    "VZNATNetworkDeviceAttachment", "VZMACAddress", "VZVirtioNetworkDeviceConfiguration",
    "VZVirtioEntropyDeviceConfiguration", "VZFileHandleSerialPortAttachment",
    "VZVirtioConsoleDeviceSerialPortConfiguration", "VZVirtualMachineConfiguration", "VZVirtualMachine",
};
#define NSLICE (sizeof slice / sizeof slice[0])

static void info(const char *version, const char *arch, const char *const *args, struct result *r)
{
    char env_version[64], env_arch[64];
    snprintf(env_version, sizeof env_version, "CVZ_SIM_MACOS_VERSION=%s", version);
    snprintf(env_arch, sizeof env_arch, "CVZ_SIM_ARCH=%s", arch);
    run_cvz(args, ENV(env_version, env_arch), r);
    if (r->status != 0)
        print_message("exit %d\n%s%s", r->status, r->out, r->err);
    assert_int_equal(r->status, 0);
    assert_string_equal(r->err, "");
}

/* The line of `name` in the text listing. */
static char *line_of(const char *text, const char *name)
{
    char needle[256];
    snprintf(needle, sizeof needle, "\n  %s ", name);
    const char *at = strstr(text, needle);
    if (!at)
        return NULL;
    at += 1;
    return strndup(at, strcspn(at, "\n"));
}

static void test_10_15_nothing_available(void **state)
{
    (void)state;
    struct result r;
    info("10.15", "arm64", ARGS("info"), &r);
    assert_true(matches("host: macOS 10.15, arm64\nlibcvz: @ANY@\nclasses: @ANY@, 0 available here\n@ANYLINES@", r.out));
    for (size_t i = 0; i < NSLICE; i++) {
        char *line = line_of(r.out, slice[i]);
        assert_non_null(line);
        char want[256];
        snprintf(want, sizeof want, "unavailable: %s requires macOS 11.0; this host runs 10.15", slice[i]);
        assert_non_null(strstr(line, want));
        free(line);
    }
    /* no class line says available */
    assert_null(strstr(r.out, "  available"));
    result_free(&r);
}

static void test_11_0(void **state)
{
    (void)state;
    struct result r;
    info("11.0", "arm64", ARGS("info"), &r);
    assert_true(matches("host: macOS 11.0, arm64\n@ANYLINES@", r.out));
    for (size_t i = 0; i < NSLICE; i++) {
        char *line = line_of(r.out, slice[i]);
        assert_non_null(line);
        assert_true(matches("@ANY@  available (macOS 11.0)", line));
        free(line);
    }
    result_free(&r);

    info("11.0", "arm64", ARGS("info", "VZVirtualMachine"), &r);
    assert_true(matches("host: macOS 11.0, arm64\nlibcvz: @ANY@\nVZVirtualMachine: available (macOS 11.0)\nmembers: @ANYLINES@",
                        r.out));
    char *stop = line_of(r.out, "-[VZVirtualMachine stopWithCompletionHandler:]");
    assert_non_null(stop);
    assert_true(matches("@ANY@unavailable: -[VZVirtualMachine stopWithCompletionHandler:] requires macOS 12.0; this "
                        "host runs 11.0",
                        stop));
    free(stop);
    char *start = line_of(r.out, "-[VZVirtualMachine startWithCompletionHandler:]");
    assert_non_null(start);
    assert_true(matches("@ANY@  available (macOS 11.0)", start));
    free(start);
    char *can_stop = line_of(r.out, "VZVirtualMachine.canStop");
    assert_non_null(can_stop);
    assert_true(matches("@ANY@unavailable: VZVirtualMachine.canStop requires macOS 12.0; this host runs 11.0", can_stop));
    free(can_stop);
    result_free(&r);

    /* one member on its own */
    info("11.0", "arm64", ARGS("info", "-[VZVirtualMachine stopWithCompletionHandler:]"), &r);
    assert_true(matches("@ANYLINES@\n-[VZVirtualMachine stopWithCompletionHandler:]: unavailable: -[VZVirtualMachine "
                        "stopWithCompletionHandler:] requires macOS 12.0; this host runs 11.0\n",
                        r.out));
    result_free(&r);
}

static void test_12_0_and_27_0(void **state)
{
    (void)state;
    struct result r;
    info("12.0", "x86_64", ARGS("info", "VZVirtualMachine"), &r);
    assert_true(matches("host: macOS 12.0, x86_64\n@ANYLINES@", r.out));
    char *stop = line_of(r.out, "-[VZVirtualMachine stopWithCompletionHandler:]");
    assert_non_null(stop);
    assert_true(matches("@ANY@  available (macOS 12.0)", stop));
    free(stop);
    result_free(&r);

    info("27.0", "arm64", ARGS("info"), &r);
    for (size_t i = 0; i < NSLICE; i++) {
        char *line = line_of(r.out, slice[i]);
        assert_non_null(line);
        assert_true(matches("@ANY@  available (macOS 11.0)", line));
        free(line);
    }
    result_free(&r);
}

static void test_json(void **state)
{
    (void)state;
    struct result r;
    info("11.0", "arm64", ARGS("info", "--json"), &r);
    assert_true(matches("{\"host\":{\"macos\":\"11.0\",\"arch\":\"arm64\"},\"libcvz\":\"@ANY@\",\"classes\":[@ANY@]}\n",
                        r.out));
    assert_non_null(strstr(r.out, "{\"name\":\"VZVirtualMachine\",\"introduced\":\"11.0\",\"available\":true}"));
    result_free(&r);

    info("10.15", "x86_64", ARGS("info", "--json"), &r);
    assert_non_null(strstr(r.out, "{\"name\":\"VZVirtualMachine\",\"introduced\":\"11.0\",\"available\":false,"
                                  "\"status\":\"CVZ_E_OS_TOO_OLD\",\"reason\":\"VZVirtualMachine requires macOS "
                                  "11.0; this host runs 10.15\"}"));
    assert_null(strstr(r.out, "\"available\":true"));
    result_free(&r);

    info("11.0", "arm64", ARGS("info", "--json", "VZVirtualMachine"), &r);
    assert_true(matches("{\"host\":{@ANY@},\"libcvz\":\"@ANY@\",\"class\":{\"name\":\"VZVirtualMachine\","
                        "\"introduced\":\"11.0\",\"available\":true,\"members\":[@ANY@]}}\n",
                        r.out));
    assert_non_null(strstr(r.out, "{\"name\":\"-[VZVirtualMachine stopWithCompletionHandler:]\",\"introduced\":"
                                  "\"12.0\",\"available\":false,\"status\":\"CVZ_E_OS_TOO_OLD\",\"reason\":"
                                  "\"-[VZVirtualMachine stopWithCompletionHandler:] requires macOS 12.0; this host "
                                  "runs 11.0\"}"));
    result_free(&r);
}

static void test_no_framework(void **state)
{
    (void)state;
    struct result r;
    run_cvz(ARGS("info", "VZVirtualMachine"), ENV("CVZ_FRAMEWORK_PATH=/nonexistent/Virtualization.so"), &r);
    assert_int_equal(r.status, 0);
    assert_true(matches("@ANYLINES@\nVZVirtualMachine: unavailable: @ANYLINES@", r.out));
    result_free(&r);
}

static void test_errors(void **state)
{
    (void)state;
    struct result r;
    run_cvz(ARGS("info", "VZNoSuchThing"), NULL, &r);
    assert_int_equal(r.status, 2);
    assert_true(matches("cvz: cvz_api_available: 'VZNoSuchThing' is not an API this libcvz knows@ANY@\n", r.err));
    result_free(&r);
    run_cvz(ARGS("info", "--xml"), NULL, &r);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "cvz: unknown flag: --xml\n");
    result_free(&r);
    run_cvz(ARGS("info", "A", "B"), NULL, &r);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "cvz: info takes at most one name, got \"A\" and \"B\"\n");
    result_free(&r);
}

/* ---- help and version ----------------------------------------------------------------------- */

static void expect_help(const char *const *argv, const char *first_line, int status)
{
    struct result r;
    run_cvz(argv, NULL, &r);
    assert_int_equal(r.status, status);
    const char *text = status == 0 ? r.out : r.err;
    assert_int_equal(strncmp(text, first_line, strlen(first_line)), 0);
    result_free(&r);
}

static void test_help_and_version(void **state)
{
    (void)state;
    const char *main_help = "cvz runs virtual machines with Apple's Virtualization framework";
    const char *run_help = "cvz run starts a virtual machine";
    const char *info_help = "cvz info shows the host's macOS version";
    expect_help(ARGS("help"), main_help, 0);
    expect_help(ARGS("--help"), main_help, 0);
    expect_help(ARGS("-h"), main_help, 0);
    expect_help(ARGS("help", "run"), run_help, 0);
    expect_help(ARGS("run", "--help"), run_help, 0);
    expect_help(ARGS("run", "-h", "--cpus", "2"), run_help, 0);
    expect_help(ARGS("help", "info"), info_help, 0);
    expect_help(ARGS("info", "--help"), info_help, 0);
    expect_help(ARGS(NULL), main_help, 2);

    /* every vfkit flag is in `cvz run --help` */
    struct result r;
    run_cvz(ARGS("run", "--help"), NULL, &r);
    static const char *const flags[] = {"-b, --bootloader", "--cloud-init", "-c, --cpus", "-d, --device", "--gui",
                                        "--ignition", "-i, --initrd", "-k, --kernel", "-C, --kernel-cmdline",
                                        "--log-level", "-m, --memory", "-n, --nested", "--pidfile", "--restful-uri",
                                        "-t, --timesync", "-v, --version", "--dry-run", "--stop-timeout"};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        if (!strstr(r.out, flags[i]))
            fail_msg("`cvz run --help` does not mention %s", flags[i]);
    }
    static const char *const devices[] = {"virtio-blk", "nvme", "usb-mass-storage", "nbd", "virtio-fs", "rosetta",
                                          "virtio-vsock", "virtio-rng", "virtio-balloon", "virtio-serial",
                                          "virtio-net", "virtio-input", "virtio-gpu"};
    for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
        if (!strstr(r.out, devices[i]))
            fail_msg("`cvz run --help` does not mention %s", devices[i]);
    }
    result_free(&r);

    run_cvz(ARGS("--version"), NULL, &r);
    assert_int_equal(r.status, 0);
    assert_true(matches("cvz version: @ANY@ (libcvz @ANY@)\n", r.out));
    result_free(&r);
    run_cvz(ARGS("run", "-v"), NULL, &r);
    assert_int_equal(r.status, 0);
    assert_true(matches("cvz version: @ANY@ (libcvz @ANY@)\n", r.out));
    result_free(&r);

    run_cvz(ARGS("frobnicate"), NULL, &r);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "cvz: unknown command \"frobnicate\" for \"cvz\" (try `cvz help`)\n");
    result_free(&r);
}

/* Runs `link_name ARG` where link_name is a symbolic link to cvz, as a user
 * who installed it under that name would; returns its stdout. */
static char *run_linked(const char *link_name, const char *arg)
{
    char *dir = expand("@D@/bin");
    char *path = NULL;
    assert_true(asprintf(&path, "%s/%s", dir, link_name) > 0);
    mkdir(dir, 0755);
    unlink(path);
    assert_int_equal(symlink(getenv("CVZ_TOOL"), path), 0);
    int out[2];
    assert_int_equal(pipe(out), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        execl(path, path, arg, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    char buf[4096];
    ssize_t n;
    while ((n = read(out[0], buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)n, m);
    fclose(m);
    close(out[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    unlink(path);
    free(path);
    free(dir);
    return text;
}

/* Installed or linked as vfkit, --version prints vfkit's line (cobra's
 * template, "vfkit version: v0.6.4"), which podman's and gvproxy's checks
 * parse; podman also looks for --cloud-init in --help (vfkit >= 0.6.1). */
static void test_version_as_vfkit(void **state)
{
    (void)state;
    char *text = run_linked("vfkit", "--version");
    assert_string_equal(text, "vfkit version: v0.6.4\n");
    free(text);
    text = run_linked("vfkit", "-v");
    assert_string_equal(text, "vfkit version: v0.6.4\n");
    free(text);
    text = run_linked("vfkit", "--help");
    assert_non_null(strstr(text, "--cloud-init"));
    free(text);
    /* Under its own name (a link called cvz too), cvz's own line. */
    text = run_linked("cvz", "--version");
    assert_true(matches("cvz version: @ANY@ (libcvz @ANY@)\n", text));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_10_15_nothing_available),
        cmocka_unit_test(test_11_0),
        cmocka_unit_test(test_12_0_and_27_0),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_no_framework),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_version_as_vfkit),
    };
    scratch();
    return cmocka_run_group_tests_name("cvz info and help", tests, NULL, NULL);
}
