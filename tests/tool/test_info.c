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
    };
    scratch();
    return cmocka_run_group_tests_name("cvz info and help", tests, NULL, NULL);
}
