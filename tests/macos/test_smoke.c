/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_smoke.c - libcvz and cvz against the real Virtualization.framework.
 *
 * macOS only (`make check` on a Mac, tests/macos/smoke.sh); what the Linux
 * suites cannot see because the simulator stands in for it there:
 *   - the host version the library reads is the true one, also under the
 *     compatibility shims (the smoke script runs this suite a second time
 *     with SYSTEM_VERSION_COMPAT=1), and the architecture is the build's;
 *   - every API the XML says this Mac has is present in the framework that
 *     was loaded from /System: available, or refused only for its
 *     architecture;
 *   - the framework's own validation of a configuration, both ways;
 *   - `cvz run --dry-run` ($CVZ_TOOL) accepts a Linux guest and refuses a bad
 *     flag with one line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cvz/cvz.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* The macOS major version of a Darwin kernel: 20 → 11 … 24 → 15, then 25 → 26 (the year-based names). */
static int macos_major_of_darwin(int darwin)
{
    return darwin < 25 ? darwin - 9 : darwin + 1;
}

static void host_version_is_the_kernels(void **state)
{
    (void)state;
    char release[64];
    size_t len = sizeof release;
    assert_int_equal(sysctlbyname("kern.osrelease", release, &len, NULL, 0), 0);
    int darwin = atoi(release);
    assert_true(darwin >= 20);
    int version = cvz_host_macos_version();
    if (version / 100 != macos_major_of_darwin(darwin))
        fail_msg("libcvz reads macOS %d.%d; Darwin %s is macOS %d (SYSTEM_VERSION_COMPAT=%s)", version / 100,
                 version % 100, release, macos_major_of_darwin(darwin),
                 getenv("SYSTEM_VERSION_COMPAT") ? getenv("SYSTEM_VERSION_COMPAT") : "unset");
}

static void host_arch_is_the_builds(void **state)
{
    (void)state;
#if defined(__arm64__)
    assert_string_equal(cvz_host_arch(), "arm64");
#else
    assert_string_equal(cvz_host_arch(), "x86_64");
#endif
}

static void every_api_of_this_mac_is_in_the_framework(void **state)
{
    (void)state;
    int host = cvz_host_macos_version();
    size_t n = cvz_api_count(), here = 0, missing = 0;
    assert_true(n > 100);
    for (size_t i = 0; i < n; i++) {
        const char *name = cvz_api_name(i);
        cvz_error *why = NULL;
        bool ok = cvz_api_available(name, &why);
        if (cvz_api_introduced(name) > host) {
            assert_false(ok);
            assert_int_equal(cvz_error_status(why), CVZ_E_OS_TOO_OLD);
        } else if (ok) {
            here++;
        } else if (cvz_error_status(why) != CVZ_E_WRONG_ARCH) {
            print_message("not in this Mac's framework: %s: %s\n", name, cvz_error_message(why));
            missing++;
        }
        cvz_error_free(why);
    }
    print_message("%zu of %zu APIs available on macOS %d.%d %s\n", here, n, host / 100, host % 100, cvz_host_arch());
    assert_true(cvz_api_available("VZVirtualMachine", NULL));
    assert_int_equal(missing, 0);
}

/* A 4 KiB file with the arm64 Image magic (cvz refuses compressed kernels); removed by the caller. */
static void make_file(char *path, size_t size, const char *name)
{
    static unsigned char image[4096];
    memcpy(image + 0x38, "ARMd", 4);
    snprintf(path, size, "%s/cvz-smoke-%s-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, image, sizeof image), (ssize_t)sizeof image);
    close(fd);
}

static void the_framework_validates_a_configuration(void **state)
{
    (void)state;
    cvz_error *error = NULL;
    cvz_virtual_machine_configuration *config = cvz_virtual_machine_configuration_new(&error);
    assert_non_null(config);

    /* No boot loader: the framework's own validation refuses it, with its message. */
    assert_int_equal(cvz_virtual_machine_configuration_validate(config, &error), CVZ_E_FRAMEWORK);
    assert_string_equal(cvz_error_ns_domain(error), "VZErrorDomain");
    assert_true(strlen(cvz_error_message(error)) > 0);
    cvz_error_free(error);
    error = NULL;

    char kernel[256];
    make_file(kernel, sizeof kernel, "kernel");
    cvz_linux_boot_loader *boot = cvz_linux_boot_loader_new_with_kernel_url(kernel, &error);
    assert_non_null(boot);
    assert_int_equal(cvz_virtual_machine_configuration_set_boot_loader(config, cvz_linux_boot_loader_as_boot_loader(boot),
                                                                       &error),
                     0);
    assert_int_equal(cvz_virtual_machine_configuration_set_cpu_count(
                         config, cvz_virtual_machine_configuration_minimum_allowed_cpu_count(NULL), &error),
                     0);
    assert_int_equal(cvz_virtual_machine_configuration_set_memory_size(
                         config, cvz_virtual_machine_configuration_minimum_allowed_memory_size(NULL), &error),
                     0);
    int rc = cvz_virtual_machine_configuration_validate(config, &error);
    if (rc != 0 && cvz_virtual_machine_supported(NULL))
        fail_msg("a minimal Linux configuration does not validate: %s", cvz_error_message(error));
    if (rc != 0) {
        /* Hosted CI Macs are virtual machines without nested virtualization. */
        print_message("this Mac cannot run virtual machines (VZVirtualMachine.isSupported is NO): %s\n",
                      cvz_error_message(error));
        cvz_error_free(error);
        error = NULL;
    }

    /* More CPUs than the framework allows: refused again. */
    assert_int_equal(cvz_virtual_machine_configuration_set_cpu_count(
                         config, cvz_virtual_machine_configuration_maximum_allowed_cpu_count(NULL) + 1, &error),
                     0);
    assert_int_equal(cvz_virtual_machine_configuration_validate(config, &error), CVZ_E_FRAMEWORK);
    cvz_error_free(error);
    cvz_release(boot);
    cvz_release(config);
    unlink(kernel);
}

/* Runs $CVZ_TOOL with args; its stdout and stderr (first 4 KiB each) into out and err. */
static int run_tool(const char *const *args, char *out, char *err, size_t size)
{
    const char *tool = getenv("CVZ_TOOL");
    if (!tool)
        fail_msg("set CVZ_TOOL to the cvz to test");
    char out_path[256], err_path[256];
    make_file(out_path, sizeof out_path, "out");
    make_file(err_path, sizeof err_path, "err");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(out_path, O_WRONLY | O_TRUNC), e = open(err_path, O_WRONLY | O_TRUNC);
        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(127);
        const char *argv[16] = {tool};
        for (size_t i = 0; args[i] && i < 14; i++)
            argv[i + 1] = args[i];
        execv(tool, (char *const *)argv);
        _exit(127);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    const char *paths[2] = {out_path, err_path};
    char *bufs[2] = {out, err};
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(paths[i], "r");
        assert_non_null(f);
        size_t n = fread(bufs[i], 1, size - 1, f);
        bufs[i][n] = '\0';
        fclose(f);
        unlink(paths[i]);
    }
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void cvz_dry_run_checks_a_linux_guest(void **state)
{
    (void)state;
    char kernel[256], initrd[256], spec[640], expected[1024], out[4096], err[4096];
    make_file(kernel, sizeof kernel, "vmlinuz");
    make_file(initrd, sizeof initrd, "initrd");
    snprintf(spec, sizeof spec, "linux,kernel=%s,initrd=%s,cmdline=console=hvc0", kernel, initrd);

    const char *const good[] = {"run", "--dry-run", "--cpus", "2", "--memory", "1024", "--bootloader", spec, NULL};
    assert_int_equal(run_tool(good, out, err, sizeof out), 0);
    snprintf(expected, sizeof expected, "--cpus 2\n--memory 1024\n--kernel %s\n--initrd %s\n--kernel-cmdline console=hvc0\n",
             kernel, initrd);
    assert_string_equal(out, expected);
    assert_string_equal(err, "");

    const char *const bad[] = {"run", "--dry-run", "--cpus", "abc", "--bootloader", spec, NULL};
    assert_int_equal(run_tool(bad, out, err, sizeof out), 2);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "cvz: invalid argument \"abc\" for \"-c, --cpus\" flag"));
    assert_ptr_equal(strchr(err, '\n'), err + strlen(err) - 1);
    unlink(kernel);
    unlink(initrd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(host_version_is_the_kernels),
        cmocka_unit_test(host_arch_is_the_builds),
        cmocka_unit_test(every_api_of_this_mac_is_in_the_framework),
        cmocka_unit_test(the_framework_validates_a_configuration),
        cmocka_unit_test(cvz_dry_run_checks_a_linux_guest),
    };
    return cmocka_run_group_tests_name("libcvz and cvz on this Mac's Virtualization.framework", tests, NULL, NULL);
}
