/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_devices.c - `cvz run` end to end against the simulated framework for
 * every part beyond the Linux slice: EFI (created variable store), macOS,
 * nvme, usb-mass-storage, virtio-fs, rosetta, balloon, gpu and input, the
 * serial log file and pty, file-handle networking over unixgram, and what
 * is refused (older hosts, x86_64, framework validation, --gui).
 * vsock forwarding, ignition and time sync are in test_vsock.c.
 */
#include "harness.h"

#include <fcntl.h>
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
#include <unistd.h>

#include <cmocka.h>

#define D "@D@"
#define LINUX "--bootloader", "linux,kernel=" D "/vmlinuz,initrd=" D "/initrd,cmdline=console=hvc0"
#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ENV(...) ((const char *const[]){__VA_ARGS__, NULL})
#define BOOT_TEXT "Welcome to the simulated guest\r\n"

/* Runs cvz until the guest has written its boot text to `log` (a file in the
 * scratch directory) and cvz has seen the VM running (the guest writes before
 * cvz hears of it), then SIGTERM: a clean stop, exit 0.  Returns stderr. */
static char *boot_and_stop(const char *const *argv, const char *const *env, const char *log)
{
    char *out, *err;
    char *path = expand(log);
    unlink(path); /* only this run's text counts */
    pid_t pid = spawn_cvz(argv, env, &out, &err);
    bool booted = wait_for_text(path, BOOT_TEXT, WAIT_MS);
    if (!booted) {
        char *e = slurp(err);
        print_message("--- stderr\n%s", e);
        free(e);
    }
    assert_true(booted);
    assert_true(wait_for_text(err, "cvz: virtual machine is running\n", WAIT_MS));
    kill(pid, SIGTERM);
    assert_int_equal(wait_cvz(pid, WAIT_MS), 0);
    char *text = slurp(err);
    unlink(out);
    unlink(err);
    free(out);
    free(err);
    free(path);
    return text;
}

static void expect_exit(const char *const *argv, const char *const *env, int status, const char *line)
{
    struct result r;
    run_cvz(argv, env, &r);
    char *want = expand(line);
    if (r.status != status || !matches(want, r.err))
        print_message("exit %d\n--- stderr\n%s--- want\n%s", r.status, r.err, want);
    assert_int_equal(r.status, status);
    assert_true(matches(want, r.err));
    free(want);
    result_free(&r);
}

/* ---- boot loaders ------------------------------------------------------------------------------ */

static void test_efi_created_store_and_log_file(void **state)
{
    (void)state;
    char *store = expand(D "/new-efi-store"), *log = expand(D "/efi.log");
    unlink(store);
    write_file(log, "old text\n", 9); /* truncated, as vfkit does */
    char *err = boot_and_stop(ARGS("run", "--bootloader", "efi,variable-store=" D "/new-efi-store,create", "--device",
                                   "virtio-blk,path=" D "/disk.img", "--device", "virtio-serial,logFilePath=" D "/efi.log"),
                              NULL, D "/efi.log");
    assert_string_equal(err, "cvz: virtual machine is running\ncvz: captured SIGTERM, stopping the virtual machine\n"
                             "cvz: VM is stopped\n");
    char *text = slurp(log);
    assert_string_equal(text, "[    0.000000] Linux version 6.1.0 (cvz simulated guest)\r\n"
                              "[    0.000000] Booted by VZEFIBootLoader\r\n"
                              "[    0.000000] Memory: 512 MiB, CPUs: 1\r\n"
                              "[    0.100000] Run /sbin/init as init process\r\n" BOOT_TEXT "reboot: Power down\r\n");
    struct stat st;
    assert_int_equal(stat(store, &st), 0);
    assert_int_equal(st.st_size, 128 * 1024);
    char *data = slurp(store);
    assert_memory_equal(data, "CVZSIM-EFI-VARIABLE-STORE-1\n", 28);
    free(data);
    /* the existing store is opened (not created) without `create` */
    free(err);
    err = boot_and_stop(ARGS("run", "--bootloader", "efi,variable-store=" D "/new-efi-store", "--device",
                             "virtio-serial,logFilePath=" D "/efi.log"),
                        NULL, D "/efi.log");
    free(err);
    free(text);
    free(store);
    free(log);
}

static void test_macos_boot(void **state)
{
    (void)state;
    char *err = boot_and_stop(ARGS("run", "--bootloader",
                                   "macos,machineIdentifierPath=" D "/machine-id,hardwareModelPath=" D
                                   "/hw-model,auxImagePath=" D "/aux.img",
                                   "--memory", "4096", "--device", "virtio-serial,logFilePath=" D "/mac.log"),
                              NULL, D "/mac.log");
    free(err);
    char *log = expand(D "/mac.log");
    char *text = slurp(log);
    assert_non_null(strstr(text, "Booted by VZMacOSBootLoader\r\n"));
    assert_non_null(strstr(text, "Memory: 4096 MiB"));
    free(text);
    free(log);
    /* an empty hardware model is refused by the framework */
    char *empty = expand(D "/empty-model");
    write_file(empty, "", 0);
    expect_exit(ARGS("run", "--bootloader",
                     "macos,machineIdentifierPath=" D "/machine-id,hardwareModelPath=" D "/empty-model,auxImagePath=" D
                     "/aux.img"),
                NULL, 2, "cvz: the macOS bootloader: invalid hardware model in " D "/empty-model\n");
    free(empty);
    expect_exit(ARGS("run", "--bootloader",
                     "macos,machineIdentifierPath=" D "/machine-id,hardwareModelPath=" D "/hw-model,auxImagePath=" D
                     "/aux.img"),
                ENV("CVZ_SIM_MACOS_VERSION=11.0"), 2,
                "cvz: cannot use the macos bootloader: VZMacOSBootLoader requires macOS 12.0; this host runs 11.0\n");
}

/* ---- devices ------------------------------------------------------------------------------------- */

static void test_every_device_kind(void **state)
{
    (void)state;
    char *err = boot_and_stop(
        ARGS("run", LINUX, "--device", "nvme,path=" D "/disk.img", "--device", "usb-mass-storage,path=" D "/disk2.img,readonly",
             "--device", "virtio-blk,path=" D "/disk.img,deviceId=disk0", "--device", "virtio-fs,sharedDir=" D "/share",
             "--device", "virtio-fs,sharedDir=" D "/share,mountTag=tagged", "--device", "rosetta,mountTag=rosetta",
             "--device", "virtio-balloon", "--device", "virtio-rng", "--device", "virtio-gpu,width=1024,height=768",
             "--device", "virtio-input,keyboard", "--device", "virtio-input,pointing", "--device",
             "virtio-net,nat,mac=52:54:00:70:2b:71", "--device", "virtio-serial,logFilePath=" D "/all.log"),
        NULL, D "/all.log");
    assert_string_equal(err, "cvz: virtual machine is running\ncvz: captured SIGTERM, stopping the virtual machine\n"
                             "cvz: VM is stopped\n");
    free(err);
}

static void test_framework_validation(void **state)
{
    (void)state;
    expect_exit(ARGS("run", LINUX, "--device", "virtio-balloon", "--device", "virtio-balloon"), NULL, 2,
                "cvz: -[VZVirtualMachineConfiguration validateWithError:] failed: Invalid virtual machine "
                "configuration. At most 1 memory balloon device is allowed (found 2).@ANY@\n");
    expect_exit(ARGS("run", LINUX, "--device", "virtio-fs,sharedDir=" D "/no-such-dir,mountTag=x"), NULL, 2,
                "cvz: -[VZVirtualMachineConfiguration validateWithError:] failed: @ANY@The shared directory (" D
                "/no-such-dir) is not an existing directory.@ANY@\n");
    expect_exit(ARGS("run", LINUX, "--device", "virtio-fs,sharedDir=" D "/share,mountTag=a-tag-that-is-longer-than-thirty-six-bytes"),
                NULL, 2, "cvz: --device virtio-fs,sharedDir=" D "/share,mountTag=a-tag-that-is-longer-than-thirty-six-bytes: @ANY@"
                         "is 42 bytes long; the maximum is 36.@ANY@\n");
}

static void test_rosetta(void **state)
{
    (void)state;
    const char *const argv[] = {"run", LINUX, "--device", "rosetta,mountTag=ro", "--device",
                                "virtio-serial,logFilePath=" D "/ro.log", NULL};
    expect_exit(argv, ENV("CVZ_SIM_ARCH=x86_64"), 2, "cvz: rosetta is unsupported on non-arm64 platforms\n");
    expect_exit(argv, ENV("CVZ_SIM_MACOS_VERSION=12.0"), 2,
                "cvz: cannot use --device rosetta,mountTag=ro: VZLinuxRosettaDirectoryShare requires macOS 13.0; "
                "this host runs 12.0\n");
    expect_exit(argv, ENV("CVZ_SIM_ROSETTA=not-supported"), 2, "cvz: rosetta is not supported\n");
    expect_exit(argv, ENV("CVZ_SIM_ROSETTA=not-installed"), 2, "cvz: rosetta is not installed\n");
    expect_exit(ARGS("run", LINUX, "--device", "rosetta,mountTag=ro,install"), ENV("CVZ_SIM_ROSETTA=install-fails"), 2,
                "cvz: failed to install rosetta: @ANY@The simulated installation failed@ANY@\n");
    /* installed on demand */
    char *err = boot_and_stop(ARGS("run", LINUX, "--device", "rosetta,mountTag=ro,install", "--device",
                                   "virtio-serial,logFilePath=" D "/ro.log"),
                              ENV("CVZ_SIM_ROSETTA=not-installed"), D "/ro.log");
    free(err);
    /* ignore-if-missing: a failed install is logged and the VM runs without the share */
    err = boot_and_stop(ARGS("run", LINUX, "--device", "rosetta,mountTag=ro,install,ignore-if-missing", "--device",
                             "virtio-serial,logFilePath=" D "/ro.log"),
                        ENV("CVZ_SIM_ROSETTA=install-fails"), D "/ro.log");
    assert_true(matches("cvz: failed to install rosetta: @ANY@; continuing without it\n@ANYLINES@", err));
    free(err);
}

static void test_serial_pty(void **state)
{
    (void)state;
    char *out, *err;
    pid_t pid = spawn_cvz(ARGS("run", LINUX, "--device", "virtio-serial,pty"), NULL, &out, &err);
    assert_true(wait_for_text(err, "cvz: Using PTY (pty path: /dev/pts/", WAIT_MS));
    char *text = slurp(err);
    char *start = strstr(text, "(pty path: ") + strlen("(pty path: ");
    char *end = strchr(start, ')');
    assert_non_null(end);
    *end = '\0';
    int fd = open(start, O_RDONLY | O_NOCTTY);
    assert_true(fd >= 0);
    char buf[4096];
    size_t got = 0;
    for (int i = 0; i < 200 && (got < sizeof buf - 1); i++) {
        ssize_t n = read(fd, buf + got, sizeof buf - 1 - got);
        if (n > 0)
            got += (size_t)n;
        buf[got] = '\0';
        if (strstr(buf, BOOT_TEXT))
            break;
    }
    close(fd);
    assert_non_null(strstr(buf, "Command line: console=hvc0\r\n"));
    assert_non_null(strstr(buf, BOOT_TEXT));
    kill(pid, SIGTERM);
    assert_int_equal(wait_cvz(pid, WAIT_MS), 0);
    free(text);
    unlink(out);
    unlink(err);
    free(out);
    free(err);
}

static void test_unixgram_network(void **state)
{
    (void)state;
    char *peer = expand(D "/gvproxy.sock");
    unlink(peer);
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strcpy(addr.sun_path, peer);
    assert_int_equal(bind(s, (struct sockaddr *)&addr, sizeof addr), 0);
    char *err = boot_and_stop(ARGS("run", LINUX, "--device", "virtio-net,type=unixgram,path=" D "/gvproxy.sock", "--device",
                                   "virtio-serial,logFilePath=" D "/net.log"),
                              NULL, D "/net.log");
    free(err);
    /* vfkit's magic from cvz's own socket, bound next to the peer's and removed at exit */
    char buf[16];
    struct sockaddr_un from;
    socklen_t len = sizeof from;
    ssize_t n = recvfrom(s, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &len);
    assert_int_equal(n, 4);
    assert_memory_equal(buf, "VFKT", 4);
    char *dir = expand(D "/cvz-");
    assert_int_equal(strncmp(from.sun_path, dir, strlen(dir)), 0);
    assert_int_not_equal(access(from.sun_path, F_OK), 0);
    free(dir);
    /* vfkitMagic=off: nothing is sent */
    err = boot_and_stop(ARGS("run", LINUX, "--device", "virtio-net,type=unixgram,path=" D "/gvproxy.sock,vfkitMagic=off",
                             "--device", "virtio-serial,logFilePath=" D "/net.log"),
                        NULL, D "/net.log");
    free(err);
    assert_true(recv(s, buf, sizeof buf, MSG_DONTWAIT) < 0);
    close(s);
    unlink(peer);
    free(peer);
    /* no peer: connecting fails with one line */
    expect_exit(ARGS("run", LINUX, "--device", "virtio-net,type=unixgram,path=" D "/nobody.sock"), NULL, 2,
                "cvz: --device virtio-net,type=unixgram,path=" D "/nobody.sock: dial unixgram " D
                "/nobody.sock: no such file or directory\n");
    /* fd= must be a connected datagram socket: stdin (/dev/null) is not */
    expect_exit(ARGS("run", LINUX, "--device", "virtio-net,fd=0"), NULL, 2,
                "cvz: --device virtio-net,fd=0: cvz_file_handle_network_device_attachment_new_with_file_handle: "
                "file_handle (0) is not a socket (Socket operation on non-socket); a datagram socket is needed\n");
}

/* ---- refusals -------------------------------------------------------------------------------------- */

static void test_availability_by_version(void **state)
{
    (void)state;
    expect_exit(ARGS("run", LINUX, "--device", "usb-mass-storage,path=" D "/disk.img"), ENV("CVZ_SIM_MACOS_VERSION=12.0"),
                2, "cvz: cannot use --device usb-mass-storage,path=" D "/disk.img: VZUSBMassStorageDeviceConfiguration "
                   "requires macOS 13.0; this host runs 12.0\n");
    expect_exit(ARGS("run", LINUX, "--device", "virtio-fs,sharedDir=" D "/share"), ENV("CVZ_SIM_MACOS_VERSION=11.0"), 2,
                "cvz: cannot use --device virtio-fs,sharedDir=" D "/share: VZVirtioFileSystemDeviceConfiguration "
                "requires macOS 12.0; this host runs 11.0\n");
    expect_exit(ARGS("run", LINUX, "--device", "virtio-serial,pty"), ENV("CVZ_SIM_MACOS_VERSION=12.0"), 2,
                "cvz: cannot use --device virtio-serial,pty: VZVirtioConsoleDeviceConfiguration requires macOS 13.0; "
                "this host runs 12.0\n");
    expect_exit(ARGS("run", LINUX, "--device", "nbd,uri=nbd://localhost:10809/x,deviceId=nbd0"),
                ENV("CVZ_SIM_MACOS_VERSION=13.0"), 2,
                "cvz: cannot use --device nbd,uri=nbd://localhost:10809/x,deviceId=nbd0: "
                "VZNetworkBlockDeviceStorageDeviceAttachment requires macOS 14.0; this host runs 13.0\n");
    /* balloon and the log file exist from 11.0 */
    char *err = boot_and_stop(ARGS("run", LINUX, "--device", "virtio-balloon", "--device",
                                   "virtio-serial,logFilePath=" D "/v11.log"),
                              ENV("CVZ_SIM_MACOS_VERSION=11.0"), D "/v11.log");
    free(err);
    /* nested virtualization: macOS 15.0, and then only where the host supports it (the sim's doesn't) */
    expect_exit(ARGS("run", LINUX, "--nested"), ENV("CVZ_SIM_MACOS_VERSION=14.0"), 2,
                "cvz: nested virtualization is not supported: VZGenericPlatformConfiguration.nestedVirtualizationSupported "
                "requires macOS 15.0; this host runs 14.0\n");
    expect_exit(ARGS("run", LINUX, "--nested"), NULL, 2,
                "cvz: --nested: nested virtualization is not supported on this host\n");
}

static void test_gui_refused(void **state)
{
    (void)state;
    expect_exit(ARGS("run", LINUX, "--gui"), NULL, 2,
                "cvz: cannot use --gui: cvz has no window to show the virtio-gpu display in\n");
    expect_exit(ARGS("run", LINUX, "--gui"), ENV("CVZ_SIM_MACOS_VERSION=12.0"), 2,
                "cvz: cannot use --device virtio-gpu (added by cvz): "
                "VZVirtioGraphicsDeviceConfiguration requires macOS 13.0; this host runs 12.0\n");
}

/* The arm64 refusal of a compressed kernel keeps vfkit's words and says what
 * to do on a second line; doing it (gunzip) gives a kernel cvz accepts. */
static void test_compressed_kernel_advice(void **state)
{
    (void)state;
    char *cmd = expand("gzip -c @D@/vmlinuz > @D@/real-vmlinuz.gz");
    assert_int_equal(system(cmd), 0);
    free(cmd);
    struct result r;
    run_cvz(ARGS("run", "--dry-run", "--bootloader", "linux,kernel=" D "/real-vmlinuz.gz"), ENV("CVZ_SIM_ARCH=arm64"), &r);
    assert_int_equal(r.status, 2);
    char *want = expand("cvz: kernel must be uncompressed, @D@/real-vmlinuz.gz is a compressed file\n"
                        "cvz: an arm64 kernel must be a raw Image (magic \"ARM\\x64\" at offset 0x38): a vmlinuz is "
                        "usually a gzip of it (gunzip -c vmlinuz > Image), else use the kernel's "
                        "scripts/extract-vmlinux; a test placeholder needs those 4 bytes at 0x38\n");
    assert_string_equal(r.err, want);
    free(want);
    result_free(&r);

    cmd = expand("gunzip -c @D@/real-vmlinuz.gz > @D@/real-Image");
    assert_int_equal(system(cmd), 0);
    free(cmd);
    run_cvz(ARGS("run", "--dry-run", "--bootloader", "linux,kernel=" D "/real-Image"), ENV("CVZ_SIM_ARCH=arm64"), &r);
    assert_int_equal(r.status, 0);
    result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_efi_created_store_and_log_file),
        cmocka_unit_test(test_macos_boot),
        cmocka_unit_test(test_every_device_kind),
        cmocka_unit_test(test_framework_validation),
        cmocka_unit_test(test_rosetta),
        cmocka_unit_test(test_serial_pty),
        cmocka_unit_test(test_unixgram_network),
        cmocka_unit_test(test_availability_by_version),
        cmocka_unit_test(test_gui_refused),
        cmocka_unit_test(test_compressed_kernel_advice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
