/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scale.c - many objects through libcvz on the simulated framework, and the
 * memory they leave behind.
 *
 *   scale CONFIGS VMS KERNEL_PATH     (CVZ_FRAMEWORK_PATH names the framework)
 *
 * Phase 1: CONFIGS configurations created and configured (CPU count, memory
 * size, a Linux boot loader), all alive at once, then all released.
 * Phase 2: VMS virtual machines alive at once: created, started (blocking),
 * asked to stop, waited for until stopped, released.
 *
 * Resident memory (/proc/self/statm) and the thread count are read before,
 * at the peak and after each phase; before reading "after", malloc_trim(0)
 * hands freed heap pages back, so what remains is what is still allocated
 * (or fragmented).  A small warm-up run first pays the one-time costs
 * (framework, classes, caches) so they don't count as growth.  Each phase
 * then runs a second time: its *_repeat_delta (resident memory after the
 * second run minus after the first) is what one more round of the same
 * objects leaves behind — a leak grows it, the high-water marks of the
 * allocator and of thread stacks reached by the first round don't.
 *
 * Prints one line per figure: name value unit.  Exit status 1 on any failure.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cvz/cvz.h>

static const char *kernel;

static void fail(const char *what, cvz_error *error)
{
    fprintf(stderr, "scale: %s: %s\n", what, error ? cvz_error_message(error) : "failed");
    exit(1);
}

static double rss_kib(void)
{
    long pages_total = 0, pages_resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2)
        fail("reading /proc/self/statm", NULL);
    fclose(f);
    return (double)pages_resident * (double)sysconf(_SC_PAGESIZE) / 1024.0;
}

static int threads(void)
{
    char line[256];
    int n = -1;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %d", &n) == 1)
            break;
    if (f)
        fclose(f);
    return n;
}

static double settled_rss_kib(void)
{
    malloc_trim(0);
    return rss_kib();
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static cvz_virtual_machine_configuration *make_config(void)
{
    cvz_error *error = NULL;
    cvz_virtual_machine_configuration *config = cvz_virtual_machine_configuration_new(&error);
    if (!config)
        fail("cvz_virtual_machine_configuration_new", error);
    cvz_linux_boot_loader *loader = cvz_linux_boot_loader_new_with_kernel_url(kernel, &error);
    if (!loader)
        fail("cvz_linux_boot_loader_new_with_kernel_url", error);
    if (cvz_virtual_machine_configuration_set_cpu_count(config, 2, &error) ||
        cvz_virtual_machine_configuration_set_memory_size(config, 512ull << 20, &error) ||
        cvz_virtual_machine_configuration_set_boot_loader(config, cvz_linux_boot_loader_as_boot_loader(loader),
                                                          &error))
        fail("configuring", error);
    cvz_release(loader);
    return config;
}

static double configs(int count, bool report)
{
    cvz_virtual_machine_configuration **all = calloc((size_t)count, sizeof *all);
    if (!all)
        fail("calloc", NULL);
    double before = settled_rss_kib(), t0 = now_s();
    for (int i = 0; i < count; i++)
        all[i] = make_config();
    double t1 = now_s(), peak = rss_kib();
    for (int i = 0; i < count; i++)
        cvz_release(all[i]);
    double t2 = now_s();
    free(all);
    double after = settled_rss_kib();
    if (!report)
        return after;
    printf("scale_configs_count %d configs\n", count);
    printf("scale_configs_create_per_s %.0f configs/s\n", count / (t1 - t0));
    printf("scale_configs_release_per_s %.0f configs/s\n", count / (t2 - t1));
    printf("scale_configs_rss_before %.0f KiB\n", before);
    printf("scale_configs_rss_peak %.0f KiB\n", peak);
    printf("scale_configs_rss_per_config %.2f KiB\n", (peak - before) / count);
    printf("scale_configs_rss_after %.0f KiB\n", after);
    printf("scale_configs_rss_delta %.0f KiB\n", after - before);
    return after;
}

static enum cvz_virtual_machine_state wait_state(cvz_virtual_machine *vm, enum cvz_virtual_machine_state want)
{
    enum cvz_virtual_machine_state now = CVZ_VIRTUAL_MACHINE_STATE_ERROR;
    for (int i = 0; i < 2000; i++) {
        now = cvz_virtual_machine_state(vm, NULL);
        if (now == want)
            break;
        nanosleep(&(struct timespec){0, 2 * 1000 * 1000}, NULL);
    }
    return now;
}

static double vms(int count, bool report)
{
    cvz_virtual_machine **all = calloc((size_t)count, sizeof *all);
    if (!all)
        fail("calloc", NULL);
    cvz_error *error = NULL;
    int threads_before = threads();
    double before = settled_rss_kib(), t0 = now_s();
    for (int i = 0; i < count; i++) {
        cvz_virtual_machine_configuration *config = make_config();
        all[i] = cvz_virtual_machine_new_with_configuration(config, &error);
        if (!all[i])
            fail("cvz_virtual_machine_new_with_configuration", error);
        cvz_release(config); /* the machine keeps its own copy */
    }
    for (int i = 0; i < count; i++)
        if (cvz_virtual_machine_start_and_wait(all[i], 10000, &error) != 0)
            fail("cvz_virtual_machine_start_and_wait", error);
    double t1 = now_s(), peak = rss_kib();
    int threads_peak = threads();
    for (int i = 0; i < count; i++)
        if (cvz_virtual_machine_request_stop(all[i], &error) != 0)
            fail("cvz_virtual_machine_request_stop", error);
    for (int i = 0; i < count; i++)
        if (wait_state(all[i], CVZ_VIRTUAL_MACHINE_STATE_STOPPED) != CVZ_VIRTUAL_MACHINE_STATE_STOPPED)
            fail("waiting for the stopped state", NULL);
    double t2 = now_s();
    for (int i = 0; i < count; i++)
        cvz_release(all[i]);
    free(all);
    double t3 = now_s();
    /* Worker threads end when their machine is released; give the last ones a moment. */
    for (int i = 0; i < 500 && threads() > threads_before; i++)
        nanosleep(&(struct timespec){0, 2 * 1000 * 1000}, NULL);
    double after = settled_rss_kib();
    int threads_after = threads();
    if (!report)
        return after;
    printf("scale_vms_count %d vms\n", count);
    printf("scale_vms_create_start_s %.3f s\n", t1 - t0);
    printf("scale_vms_stop_s %.3f s\n", t2 - t1);
    printf("scale_vms_release_s %.3f s\n", t3 - t2);
    printf("scale_vms_rss_before %.0f KiB\n", before);
    printf("scale_vms_rss_peak %.0f KiB\n", peak);
    printf("scale_vms_rss_per_vm %.1f KiB\n", (peak - before) / count);
    printf("scale_vms_rss_after %.0f KiB\n", after);
    printf("scale_vms_rss_delta %.0f KiB\n", after - before);
    printf("scale_vms_threads_before %d threads\n", threads_before);
    printf("scale_vms_threads_peak %d threads\n", threads_peak);
    printf("scale_vms_threads_after %d threads\n", threads_after);
    return after;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: scale CONFIGS VMS KERNEL_PATH\n", stderr);
        return 2;
    }
    int n_configs = atoi(argv[1]), n_vms = atoi(argv[2]);
    kernel = argv[3];
    /* Short simulated delays: this measures the library, not the simulated boot. */
    setenv("CVZ_SIM_START_DELAY_MS", "1", 0);
    setenv("CVZ_SIM_GUEST_SHUTDOWN_DELAY_MS", "1", 0);
    setenv("CVZ_SIM_STOP_DELAY_MS", "1", 0);
    configs(100, false);
    vms(2, false);
    double after = configs(n_configs, true);
    printf("scale_configs_repeat_delta %.0f KiB\n", configs(n_configs, false) - after);
    after = vms(n_vms, true);
    printf("scale_vms_repeat_delta %.0f KiB\n", vms(n_vms, false) - after);
    return 0;
}
