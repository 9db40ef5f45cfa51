/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_install.c - `cvz install-macos` end to end against the simulated
 * framework (restore images and the installer: 12.0, arm64; see
 * sim/README.md): an installation with plain progress lines whose files
 * `cvz run` then boots, the image's minimums, and every refusal (command
 * line, existing files, a missing or unsupported image, x86_64, 11.0) and a
 * cancellation by SIGINT, each leaving no file behind; and, on a terminal,
 * the redrawn progress bar and `cvz run`'s spinner.
 */
#include "harness.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define D "@D@"
#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ENV(...) ((const char *const[]){__VA_ARGS__, NULL})
#define BOOT "--bootloader", "macos,machineIdentifierPath=" D "/m-id,hardwareModelPath=" D "/m-hw,auxImagePath=" D "/m-aux"
#define DISK "--device", "virtio-blk,path=" D "/disk.img"
#define IMAGE D "/image.ipsw"
#define NAME "macOS 14.0.0 (23A344)"

static void write_image(void)
{
    static const char text[] = "cvz-sim-restore-image 1\nbuild: 23A344\nversion: 14.0.0\n"
                               "hardware-model: VirtualMac2,1\nminimum-cpus: 2\nminimum-memory: 4294967296\n";
    char *path = expand(IMAGE);
    write_file(path, text, sizeof text - 1);
    free(path);
}

static bool exists(const char *path)
{
    char *p = expand(path);
    struct stat st;
    bool found = stat(p, &st) == 0;
    free(p);
    return found;
}

static void remove_boot_files(void)
{
    const char *files[] = {D "/m-id", D "/m-hw", D "/m-aux"};
    for (int i = 0; i < 3; i++) {
        char *p = expand(files[i]);
        unlink(p);
        free(p);
    }
}

static void assert_no_boot_files(void)
{
    assert_false(exists(D "/m-id"));
    assert_false(exists(D "/m-hw"));
    assert_false(exists(D "/m-aux"));
}

/* Runs install-macos and checks the exit code and the whole of stderr (a pattern, "@D@" expanded). */
static void expect(const char *const *argv, const char *const *env, int status, const char *err)
{
    struct result r;
    write_image();
    run_cvz(argv, env, &r);
    char *want = expand(err);
    if (r.status != status || !matches(want, r.err))
        print_message("--- exit %d, stderr:\n%s--- wanted %d:\n%s", r.status, r.err, status, want);
    assert_int_equal(r.status, status);
    assert_true(matches(want, r.err));
    assert_string_equal(r.out, "");
    free(want);
    result_free(&r);
}

static void test_install_then_boot(void **state)
{
    (void)state;
    remove_boot_files();
    write_image();
    struct result r;
    run_cvz(ARGS("install-macos", BOOT, DISK, IMAGE), ENV("CVZ_SIM_INSTALL_DURATION_MS=1000"), &r);
    if (r.status != 0)
        print_message("%s", r.err);
    assert_int_equal(r.status, 0);
    char *want = expand("cvz: installing " NAME " from " IMAGE " onto " D "/disk.img\n"
                        "cvz: installing macOS: 0%\n"
                        "@ANYLINES@"
                        "cvz: installing macOS: 100%\n"
                        "cvz: " NAME " installed; boot it with the same --bootloader and --device flags and `cvz run`\n");
    assert_true(matches(want, r.err));
    free(want);
    /* plain lines: no carriage return, each a higher 10 % step */
    assert_null(strchr(r.err, '\r'));
    int last = -10, lines = 0;
    for (const char *p = r.err; (p = strstr(p, "cvz: installing macOS: ")); p++) {
        int percent = atoi(p + strlen("cvz: installing macOS: "));
        assert_true(percent > last && percent % 10 == 0);
        last = percent;
        lines++;
    }
    assert_true(lines >= 2);
    result_free(&r);

    /* the boot files: the image's hardware model, a machine identifier, the auxiliary storage */
    char *hw_path = expand(D "/m-hw"), *id_path = expand(D "/m-id");
    char *hw = slurp(hw_path), *id = slurp(id_path);
    assert_string_equal(hw, "VirtualMac2,1");
    assert_true(strlen(id) > 0);
    assert_true(exists(D "/m-aux"));
    free(hw);
    free(id);
    free(hw_path);
    free(id_path);

    /* and `cvz run` boots them */
    char *out, *err, *log = expand(D "/m-console.log");
    unlink(log);
    pid_t pid = spawn_cvz(ARGS("run", BOOT, DISK, "--cpus", "2", "--memory", "4096", "--device",
                               "virtio-serial,logFilePath=" D "/m-console.log"),
                          NULL, &out, &err);
    assert_true(wait_for_text(log, "Welcome to the simulated guest", WAIT_MS));
    kill(pid, SIGTERM);
    assert_int_equal(wait_cvz(pid, WAIT_MS), 0);
    unlink(out);
    unlink(err);
    free(out);
    free(err);
    free(log);

    /* a second installation does not overwrite them */
    expect(ARGS("install-macos", BOOT, DISK, IMAGE), NULL, 2,
           "cvz: " D "/m-id exists already: install-macos creates it (remove it, or choose another path)\n");
    remove_boot_files();
}

static void test_minimums(void **state)
{
    (void)state;
    remove_boot_files();
    expect(ARGS("install-macos", BOOT, DISK, "--cpus", "1", IMAGE), NULL, 2,
           "cvz: --cpus 1 is below the minimum of " NAME ": 2\n");
    expect(ARGS("install-macos", BOOT, DISK, "--memory", "2048", IMAGE), NULL, 2,
           "cvz: --memory 2048 is below the minimum of " NAME ": 4096 MiB\n");
    assert_no_boot_files();
    /* at or above them, and by default, it installs */
    expect(ARGS("install-macos", BOOT, DISK, "-c", "4", "-m", "8192", IMAGE), NULL, 0, "@ANYLINES@ installed; @ANY@\n");
    remove_boot_files();
}

static void test_refusals(void **state)
{
    (void)state;
    remove_boot_files();
    expect(ARGS("install-macos", BOOT, DISK), NULL, 2,
           "cvz: install-macos needs one restore image: cvz install-macos [flags] RESTORE_IMAGE (0 given)\n");
    expect(ARGS("install-macos", BOOT, DISK, "--gui", IMAGE), NULL, 2,
           "cvz: install-macos does not take --gui (they are for `cvz run`)\n");
    expect(ARGS("install-macos", BOOT, DISK, "--timesync", "vsockPort=1", IMAGE), NULL, 2,
           "cvz: install-macos does not take --timesync (they are for `cvz run`)\n");
    expect(ARGS("install-macos", "--bootloader", "linux,kernel=" D "/vmlinuz", DISK, IMAGE), NULL, 2,
           "cvz: install-macos needs --bootloader macos,machineIdentifierPath=P,hardwareModelPath=P,"
           "auxImagePath=P (the files it creates)\n");
    expect(ARGS("install-macos", "--bootloader", "macos,machineIdentifierPath=" D "/m-id,auxImagePath=" D "/m-aux", DISK,
                IMAGE),
           NULL, 2, "cvz: missing mandatory 'hardwareModelPath' option for macOS bootloader\n");
    expect(ARGS("install-macos", BOOT, IMAGE), NULL, 2,
           "cvz: install-macos needs a disk to install onto: --device virtio-blk,path=DISK "
           "(create it first, e.g. truncate -s 64G DISK)\n");
    expect(ARGS("install-macos", BOOT, "--device", "virtio-blk,path=" D "/none.img", IMAGE), NULL, 2,
           "cvz: failed to open file " D "/none.img: open " D "/none.img: no such file or directory\n");
    expect(ARGS("install-macos", BOOT, DISK, "--cpus", "x", IMAGE), NULL, 2,
           "cvz: invalid argument \"x\" for \"-c, --cpus\" flag: strconv.ParseUint: parsing \"x\": invalid syntax\n");
    assert_no_boot_files();
}

static void test_image_and_host_errors(void **state)
{
    (void)state;
    remove_boot_files();
    expect(ARGS("install-macos", BOOT, DISK, D "/missing.ipsw"), NULL, 2,
           "cvz: cannot load the restore image " D "/missing.ipsw: @ANY@No such file or directory@ANY@\n");
    expect(ARGS("install-macos", BOOT, DISK, D "/disk.img"), NULL, 2,
           "cvz: cannot load the restore image " D "/disk.img: @ANY@\n");
    expect(ARGS("install-macos", BOOT, DISK, IMAGE), ENV("CVZ_SIM_MACOS_VERSION=13.0"), 2,
           "cvz: the restore image " IMAGE " holds " NAME ", which this host (macOS 13.0) does not support\n");
    expect(ARGS("install-macos", BOOT, DISK, IMAGE), ENV("CVZ_SIM_ARCH=x86_64"), 2,
           "cvz: cannot install macOS: +[VZMacOSRestoreImage loadFileURL:completionHandler:] is available on arm64 "
           "only; this host is x86_64\n");
    expect(ARGS("install-macos", BOOT, DISK, IMAGE), ENV("CVZ_SIM_MACOS_VERSION=11.0"), 2,
           "cvz: cannot install macOS: +[VZMacOSRestoreImage loadFileURL:completionHandler:] requires macOS 12.0; "
           "this host runs 11.0\n");
    assert_no_boot_files();
}

static void test_cancel_with_sigint(void **state)
{
    (void)state;
    remove_boot_files();
    write_image();
    char *out, *err;
    pid_t pid = spawn_cvz(ARGS("install-macos", BOOT, DISK, IMAGE), ENV("CVZ_SIM_INSTALL_DURATION_MS=20000"), &out, &err);
    assert_true(wait_for_text(err, "cvz: installing macOS: 10%", WAIT_MS));
    assert_true(exists(D "/m-aux"));
    kill(pid, SIGINT);
    assert_int_equal(wait_cvz(pid, WAIT_MS), 3);
    char *text = slurp(err);
    assert_true(matches("cvz: installing " NAME "@ANYLINES@cvz: cancelling the installation\ncvz: installation cancelled\n",
                        text));
    assert_null(strstr(text, "100%"));
    assert_no_boot_files();
    free(text);
    unlink(out);
    unlink(err);
    free(out);
    free(err);
}

/* Runs cvz with stderr on a new terminal (stdout: /dev/null); returns what the
 * terminal showed and the exit code. */
/* Runs cvz with stderr on a terminal; returns what it showed there.  With
 * `release_on`, cvz runs with the simulator's start held (CVZ_SIM_HOLD=start)
 * until the terminal shows that text, then released through a FIFO. */
static char *run_on_terminal(const char *const *argv, const char *const *env, const char *release_on, int *status)
{
    char *fifo = expand(D "/hold.fifo");
    char *fifo_env = NULL;
    bool released = release_on == NULL;
    if (!released) {
        unlink(fifo);
        assert_int_equal(mkfifo(fifo, 0600), 0);
        assert_true(asprintf(&fifo_env, "CVZ_SIM_HOLD_FIFO=%s", fifo) > 0);
    }
    int master, slave;
    assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
    char *args[16] = {"cvz"};
    size_t n = 0;
    while (argv[n] && n < 14) {
        args[n + 1] = expand(argv[n]);
        n++;
    }
    char *tmp = expand(D "/tmp");
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("TMPDIR", tmp, 1);
        for (size_t i = 0; env[i]; i++)
            putenv((char *)env[i]);
        if (fifo_env != NULL) {
            putenv(fifo_env);
            putenv((char *)"CVZ_SIM_HOLD=start");
        }
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(slave, 2);
        close(master);
        execv(getenv("CVZ_TOOL"), args);
        _exit(127);
    }
    close(slave);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    char buf[4096];
    for (;;) {
        struct pollfd p = {.fd = master, .events = POLLIN};
        if (poll(&p, 1, WAIT_MS) != 1)
            break;
        ssize_t got = read(master, buf, sizeof buf);
        if (got <= 0)
            break; /* EIO once the child is gone */
        fwrite(buf, 1, (size_t)got, m);
        fflush(m);
        if (!released && strstr(text, release_on) != NULL) {
            int fd = open(fifo, O_WRONLY); /* meets the simulator's reader */
            assert_true(fd >= 0);
            assert_int_equal(write(fd, "start\n", 6), 6);
            close(fd);
            released = true;
        }
    }
    fclose(m);
    assert_true(released);
    unlink(fifo);
    free(fifo);
    free(fifo_env);
    close(master);
    int wstatus;
    waitpid(pid, &wstatus, 0);
    *status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    for (size_t i = 0; i < n; i++)
        free(args[i + 1]);
    free(tmp);
    return text;
}

static void test_progress_bar_on_a_terminal(void **state)
{
    (void)state;
    remove_boot_files();
    write_image();
    int status;
    char *shown = run_on_terminal(ARGS("install-macos", BOOT, DISK, IMAGE), ENV("CVZ_SIM_INSTALL_DURATION_MS=500"), NULL,
                                  &status);
    assert_int_equal(status, 0);
    /* redrawn in place: each frame erases the line; the last is the full bar */
    assert_non_null(strstr(shown, "\r\033[Kcvz: installing macOS [..............................]   0%"));
    assert_non_null(strstr(shown, "\r\033[Kcvz: installing macOS [##############################] 100%\r\n"));
    assert_null(strstr(shown, "cvz: installing macOS: "));
    assert_non_null(strstr(shown, " installed; "));
    free(shown);
    remove_boot_files();

    /* cvz run: a spinner while the VM starts, erased by the next message (the guest crashes: exit 1) */
    shown = run_on_terminal(ARGS("run", "--bootloader", "linux,kernel=" D "/vmlinuz,initrd=" D "/initrd,cmdline=x"),
                            ENV("CVZ_SIM_GUEST_CRASH_AFTER_MS=50"), "cvz: starting the virtual machine |", &status);
    assert_int_equal(status, 1);
    assert_true(matches("\r\033[Kcvz: starting the virtual machine |@ANY@"
                        "\r\033[Kcvz: virtual machine is running\r\n@ANYLINES@",
                        shown));
    free(shown);
}

static void test_help(void **state)
{
    (void)state;
    struct result r;
    run_cvz(ARGS("help", "install-macos"), NULL, &r);
    assert_int_equal(r.status, 0);
    assert_true(matches("cvz install-macos installs macOS from a restore image@ANYLINES@"
                        "  3  cancelled by SIGINT/SIGTERM\n@ANYLINES@",
                        r.out));
    char *help = strdup(r.out);
    result_free(&r);
    run_cvz(ARGS("install-macos", "--help"), NULL, &r);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, help);
    free(help);
    result_free(&r);
    run_cvz(ARGS("help"), NULL, &r);
    assert_non_null(strstr(r.out, "  cvz install-macos [flags] IMAGE"));
    result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_install_then_boot),
        cmocka_unit_test(test_minimums),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_image_and_host_errors),
        cmocka_unit_test(test_cancel_with_sigint),
        cmocka_unit_test(test_progress_bar_on_a_terminal),
        cmocka_unit_test(test_help),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
