/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fixture.h - what the library suites share: scratch files (a kernel, an
 * initrd, disk images), assertions on cvz errors, a complete Linux VM
 * configuration, and waiting for a VM's state or a completion.
 */
#ifndef CVZ_TEST_FIXTURE_H
#define CVZ_TEST_FIXTURE_H

#include <pthread.h>
#include <sys/types.h>
#include <time.h>

#include <cvz/cvz.h>

#define MIB (1024ULL * 1024ULL)

/* Scratch directory and files made by setup_files, removed by teardown_files. */
extern char dir[64];
extern char kernel[128], initrd[128], disk[128], readonly_disk[128];
int setup_files(void **state);
int teardown_files(void **state);
void make_file(const char *path, long size, mode_t mode);

/* The simulated host's macOS version (major*100+minor). */
int host(void);

/* Asserts that a call failed with `status` and a message containing `text`; frees the error and
 * clears the variable, so the next call can set it again. */
#define assert_failed(error, status, text) \
    (assert_failed_at((error), (status), (text), __FILE__, __LINE__), (error) = NULL)
void assert_failed_at(cvz_error *error, cvz_status status, const char *text, const char *file, int line);
/* Asserts that no error was set (prints it otherwise). */
#define assert_ok(error) assert_ok_at((error), __FILE__, __LINE__)
void assert_ok_at(cvz_error *error, const char *file, int line);

/* A complete, valid Linux configuration; the parts are released by free_config. */
struct config {
    cvz_virtual_machine_configuration *config;
    cvz_linux_boot_loader *boot;
    cvz_disk_image_storage_device_attachment *image;
    cvz_virtio_block_device_configuration *block;
    cvz_nat_network_device_attachment *nat;
    cvz_virtio_network_device_configuration *net;
    cvz_virtio_entropy_device_configuration *entropy;
    cvz_file_handle_serial_port_attachment *console_io;
    cvz_virtio_console_device_serial_port_configuration *console;
    int console_pipe[2];  /* the guest's console output: read console_pipe[0] */
    int console_input[2]; /* its input, with make_config_with_input: write console_input[1]; else -1 */
};

void make_config(struct config *c);
/* The same, with a console the guest also reads (a pipe). */
void make_config_with_input(struct config *c);
void free_config(struct config *c);

/* How long a wait for something the test set in motion may take before the
 * test fails instead of hanging: generous, as valgrind on a loaded machine is
 * slow; a passing test never waits for it to run out. */
#define WAIT_MS 60000
/* Milliseconds since `start` (CLOCK_MONOTONIC). */
long ms_since(const struct timespec *start);
/* Polls `cond` every millisecond until it holds, for WAIT_MS at most. */
#define WAIT_UNTIL(cond)                                                                 \
    do {                                                                                 \
        struct timespec wait_start_;                                                     \
        clock_gettime(CLOCK_MONOTONIC, &wait_start_);                                    \
        while (!(cond) && ms_since(&wait_start_) < WAIT_MS)                              \
            nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);                         \
    } while (0)

/* The simulator's holds (sim/core/hold.m): with CVZ_SIM_HOLD naming a
 * transition ("start", "install-step", ...), it stays parked until released. */
int sim_release(const char *what);
int sim_wait_held(const char *what, int count, long ms);

/* Polls until the VM is in `want` (WAIT_MS at most); returns the last state seen. */
enum cvz_virtual_machine_state wait_state(cvz_virtual_machine *vm, enum cvz_virtual_machine_state want);

/* A completion callback's record: on_complete fills it (context: the struct). */
struct completion {
    pthread_mutex_t lock;
    int calls;
    cvz_status status;
    pthread_t thread;
};

void on_complete(const cvz_error *error, void *context);
int completion_calls(struct completion *c);

#endif
