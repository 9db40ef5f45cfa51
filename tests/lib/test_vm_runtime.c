/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_vm_runtime.c - libcvz's runtime device wrappers against the simulated
 * framework: vsock connections and listeners, the memory balloon,
 * save/restore (macOS 14.0, arm64) and macOS restore images and installation
 * (12.0, arm64).  Run once per simulated host, like test_lib; where the host
 * lacks a member, the wrapper must say so (CVZ_E_OS_TOO_OLD, CVZ_E_WRONG_ARCH).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cvz/cvz.h>

#include "fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int level, arm64;

/* The host, then the fixture's scratch files (a kernel among them). */
static int setup(void **state)
{
    level = cvz_host_macos_version();
    arm64 = strcmp(cvz_host_arch(), "arm64") == 0;
    return setup_files(state);
}

static void path_in_dir(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

/* The error is a framework error in `domain` with `code`; frees it. */
static void assert_ns_error(cvz_error *e, const char *domain, long code)
{
    assert_non_null(e);
    assert_int_equal(cvz_error_status(e), CVZ_E_FRAMEWORK);
    assert_string_equal(cvz_error_ns_domain(e), domain);
    assert_int_equal(cvz_error_ns_code(e), code);
    cvz_error_free(e);
}

/* The error has `status` (availability); frees it. */
static void assert_status(cvz_error *e, cvz_status status)
{
    assert_non_null(e);
    assert_int_equal(cvz_error_status(e), status);
    cvz_error_free(e);
}

/* What the host's lack of save/restore or macOS installation reports. */
static cvz_status missing_status(int introduced)
{
    return level < introduced ? CVZ_E_OS_TOO_OLD : CVZ_E_WRONG_ARCH;
}

/* ---- a machine with a socket and a balloon device --------------------------- */

struct vm {
    cvz_virtual_machine_configuration *config;
    cvz_linux_boot_loader *boot;
    cvz_virtio_socket_device_configuration *socket;
    cvz_virtio_traditional_memory_balloon_device_configuration *balloon;
    cvz_mac_platform_configuration *platform; /* only for the installer */
    cvz_mac_hardware_model *model;
    cvz_mac_machine_identifier *identifier;
    cvz_mac_auxiliary_storage *aux;
    cvz_virtual_machine *vm;
};

static void make_vm_config(struct vm *m, uint64_t memory)
{
    cvz_error *e = NULL;
    memset(m, 0, sizeof *m);
    m->boot = cvz_linux_boot_loader_new_with_kernel_url(kernel, &e);
    assert_ok(e);
    m->socket = cvz_virtio_socket_device_configuration_new(&e);
    assert_ok(e);
    m->balloon = cvz_virtio_traditional_memory_balloon_device_configuration_new(&e);
    assert_ok(e);
    m->config = cvz_virtual_machine_configuration_new(&e);
    assert_ok(e);
    cvz_virtual_machine_configuration_set_cpu_count(m->config, 2, &e);
    cvz_virtual_machine_configuration_set_memory_size(m->config, memory, &e);
    cvz_virtual_machine_configuration_set_boot_loader(m->config, cvz_linux_boot_loader_as_boot_loader(m->boot), &e);
    cvz_socket_device_configuration *sockets[] = {
        cvz_virtio_socket_device_configuration_as_socket_device_configuration(m->socket)};
    cvz_virtual_machine_configuration_set_socket_devices(m->config, sockets, 1, &e);
    cvz_memory_balloon_device_configuration *balloons[] = {
        cvz_virtio_traditional_memory_balloon_device_configuration_as_memory_balloon_device_configuration(m->balloon)};
    cvz_virtual_machine_configuration_set_memory_balloon_devices(m->config, balloons, 1, &e);
    assert_ok(e);
}

static void make_vm(struct vm *m, uint64_t memory)
{
    cvz_error *e = NULL;
    make_vm_config(m, memory);
    m->vm = cvz_virtual_machine_new_with_configuration(m->config, &e);
    assert_ok(e);
}

/* A machine with a Mac platform (12.0, arm64), which the installer requires. */
static void make_mac_vm(struct vm *m, uint64_t memory)
{
    cvz_error *e = NULL;
    char aux[128];
    make_vm_config(m, memory);
    path_in_dir(aux, sizeof aux, "aux.img");
    close(open(aux, O_CREAT | O_WRONLY | O_TRUNC, 0644));
    m->model = cvz_mac_hardware_model_new_with_data_representation("model", 5, &e);
    assert_ok(e);
    m->identifier = cvz_mac_machine_identifier_new(&e);
    assert_ok(e);
    m->aux = cvz_mac_auxiliary_storage_new_with_contents_of_url(aux, &e);
    assert_ok(e);
    m->platform = cvz_mac_platform_configuration_new(&e);
    assert_ok(e);
    cvz_mac_platform_configuration_set_hardware_model(m->platform, m->model, &e);
    cvz_mac_platform_configuration_set_machine_identifier(m->platform, m->identifier, &e);
    cvz_mac_platform_configuration_set_auxiliary_storage(m->platform, m->aux, &e);
    cvz_virtual_machine_configuration_set_platform(
        m->config, cvz_mac_platform_configuration_as_platform_configuration(m->platform), &e);
    assert_ok(e);
    m->vm = cvz_virtual_machine_new_with_configuration(m->config, &e);
    assert_ok(e);
}

static void free_vm(struct vm *m)
{
    cvz_release(m->vm);
    cvz_release(m->config);
    cvz_release(m->boot);
    cvz_release(m->socket);
    cvz_release(m->balloon);
    cvz_release(m->platform);
    cvz_release(m->model);
    cvz_release(m->identifier);
    cvz_release(m->aux);
}

/* The machine's only socket device (a new handle). */
static cvz_virtio_socket_device *socket_device(struct vm *m)
{
    cvz_error *e = NULL;
    size_t count = 0;
    cvz_socket_device **devices = cvz_virtual_machine_socket_devices(m->vm, &count, &e);
    assert_ok(e);
    assert_int_equal(count, 1);
    /* Handles are untyped underneath: the device is a VZVirtioSocketDevice. */
    cvz_virtio_socket_device *device = cvz_retain(devices[0]);
    cvz_handle_array_free(devices, count);
    return device;
}

/* ---- waiting for a callback ------------------------------------------------------- */

struct callback_wait {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int calls;
    void *handle; /* retained */
    int failed;   /* the callback got an error: */
    cvz_status status;
    char domain[64];
    long code;
};

static void wait_init(struct callback_wait *w)
{
    memset(w, 0, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
}

static void wait_record(struct callback_wait *w, void *handle, const cvz_error *error)
{
    pthread_mutex_lock(&w->mu);
    w->calls++;
    w->handle = handle ? cvz_retain(handle) : NULL;
    w->failed = error != NULL;
    if (error) {
        w->status = cvz_error_status(error);
        snprintf(w->domain, sizeof w->domain, "%s", cvz_error_ns_domain(error));
        w->code = cvz_error_ns_code(error);
    }
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

static int wait_done(struct callback_wait *w, int calls)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WAIT_MS / 1000;
    pthread_mutex_lock(&w->mu);
    while (w->calls < calls && pthread_cond_timedwait(&w->cv, &w->mu, &deadline) == 0)
        ;
    int got = w->calls;
    pthread_mutex_unlock(&w->mu);
    return got >= calls;
}

static void wait_destroy(struct callback_wait *w)
{
    cvz_release(w->handle);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
}

/* The callback got a framework error in `domain` with `code`. */
static void assert_wait_error(struct callback_wait *w, const char *domain, long code)
{
    assert_true(w->failed);
    assert_null(w->handle);
    assert_int_equal(w->status, CVZ_E_FRAMEWORK);
    assert_string_equal(w->domain, domain);
    assert_int_equal(w->code, code);
}

static void on_connection(cvz_virtio_socket_connection *connection, const cvz_error *error, void *context)
{
    wait_record(context, connection, error);
}

static void on_image(cvz_mac_os_restore_image *image, const cvz_error *error, void *context)
{
    wait_record(context, image, error);
}

static int read_exactly(int fd, char *out, size_t length)
{
    size_t got = 0;
    while (got < length) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 2000) != 1)
            return -1;
        ssize_t n = read(fd, out + got, length - got);
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    out[got] = '\0';
    return 0;
}

/* ---- vsock ---------------------------------------------------------------------- */

static void test_vsock_connect(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    struct vm m;
    struct callback_wait w;
    char buffer[32];

    setenv("CVZ_SIM_GUEST_VSOCK_PORTS", "1024", 1);
    make_vm(&m, 512 * MIB);
    cvz_virtio_socket_device *device = socket_device(&m);

    /* A stopped machine has no guest to talk to. */
    wait_init(&w);
    assert_int_equal(cvz_virtio_socket_device_connect_to_port(device, 1024, on_connection, &w, &e), 0);
    assert_true(wait_done(&w, 1));
    assert_wait_error(&w, "VZErrorDomain", CVZ_ERROR_INVALID_VIRTUAL_MACHINE_STATE);
    wait_destroy(&w);

    assert_int_equal(cvz_virtual_machine_start_and_wait(m.vm, WAIT_MS, &e), 0);
    assert_ok(e);
    wait_init(&w);
    assert_int_equal(cvz_virtio_socket_device_connect_to_port(device, 1024, on_connection, &w, &e), 0);
    assert_true(wait_done(&w, 1));
    assert_false(w.failed);
    cvz_virtio_socket_connection *connection = w.handle;
    assert_int_equal(cvz_virtio_socket_connection_destination_port(connection, &e), 1024);
    assert_true(cvz_virtio_socket_connection_source_port(connection, &e) >= 49152);
    int fd = cvz_virtio_socket_connection_file_descriptor(connection, &e);
    assert_ok(e);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "hello, guest", 12), 12);
    assert_int_equal(read_exactly(fd, buffer, 12), 0);
    assert_string_equal(buffer, "hello, guest");
    assert_int_equal(cvz_virtio_socket_connection_close(connection, &e), 0);
    assert_int_equal(cvz_virtio_socket_connection_file_descriptor(connection, &e), -1);
    wait_destroy(&w);

    /* Nobody listens on 1025: the guest resets the connection. */
    wait_init(&w);
    assert_int_equal(cvz_virtio_socket_device_connect_to_port(device, 1025, on_connection, &w, &e), 0);
    assert_true(wait_done(&w, 1));
    assert_wait_error(&w, "NSPOSIXErrorDomain", 54);
    wait_destroy(&w);

    unsetenv("CVZ_SIM_GUEST_VSOCK_PORTS");
    cvz_release(device);
    free_vm(&m);
}

/* The blocking variant returns the connection, or the completion's error. */
static void test_vsock_connect_and_wait(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    struct vm m;
    char buffer[8] = {0};

    setenv("CVZ_SIM_GUEST_VSOCK_PORTS", "1024", 1);
    make_vm(&m, 512 * MIB);
    cvz_virtio_socket_device *device = socket_device(&m);
    assert_null(cvz_virtio_socket_device_connect_to_port_and_wait(device, 1024, WAIT_MS, &e));
    assert_failed(e, CVZ_E_FRAMEWORK, "");

    assert_int_equal(cvz_virtual_machine_start_and_wait(m.vm, WAIT_MS, &e), 0);
    cvz_virtio_socket_connection *connection = cvz_virtio_socket_device_connect_to_port_and_wait(device, 1024, WAIT_MS, &e);
    assert_ok(e);
    assert_non_null(connection);
    assert_int_equal(cvz_virtio_socket_connection_destination_port(connection, &e), 1024);
    int fd = cvz_virtio_socket_connection_file_descriptor(connection, &e);
    assert_int_equal(write(fd, "ping", 4), 4);
    assert_int_equal(read_exactly(fd, buffer, 4), 0);
    assert_string_equal(buffer, "ping");
    cvz_release(connection);

    assert_null(cvz_virtio_socket_device_connect_to_port_and_wait(device, 1025, WAIT_MS, &e));
    assert_non_null(e);
    assert_int_equal(cvz_error_ns_code(e), 54);
    assert_failed(e, CVZ_E_FRAMEWORK, "");
    assert_null(cvz_virtio_socket_device_connect_to_port_and_wait(NULL, 1024, WAIT_MS, &e));
    assert_failed(e, CVZ_E_INVALID_ARGUMENT, "self");

    unsetenv("CVZ_SIM_GUEST_VSOCK_PORTS");
    cvz_release(device);
    free_vm(&m);
}

/* When the guest stops, its ends of the connections go: the host's descriptor
 * reads end of file, and a new connection needs a running machine. */
static void test_vsock_reset_on_stop(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    struct vm m;
    struct callback_wait w;
    char byte;

    setenv("CVZ_SIM_GUEST_VSOCK_PORTS", "1024", 1);
    make_vm(&m, 512 * MIB);
    cvz_virtio_socket_device *device = socket_device(&m);
    assert_int_equal(cvz_virtual_machine_start_and_wait(m.vm, WAIT_MS, &e), 0);
    wait_init(&w);
    assert_int_equal(cvz_virtio_socket_device_connect_to_port(device, 1024, on_connection, &w, &e), 0);
    assert_true(wait_done(&w, 1));
    assert_false(w.failed);
    int fd = cvz_virtio_socket_connection_file_descriptor(w.handle, &e);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_request_stop(m.vm, &e), 0);
    assert_int_equal(wait_state(m.vm, CVZ_VIRTUAL_MACHINE_STATE_STOPPED), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    struct pollfd p = {fd, POLLIN, 0};
    assert_int_equal(poll(&p, 1, 2000), 1);
    assert_int_equal(read(fd, &byte, 1), 0);
    wait_destroy(&w); /* releasing the connection closes its descriptor */

    wait_init(&w);
    assert_int_equal(cvz_virtio_socket_device_connect_to_port(device, 1024, on_connection, &w, &e), 0);
    assert_true(wait_done(&w, 1));
    assert_wait_error(&w, "VZErrorDomain", CVZ_ERROR_INVALID_VIRTUAL_MACHINE_STATE);
    wait_destroy(&w);
    unsetenv("CVZ_SIM_GUEST_VSOCK_PORTS");
    cvz_release(device);
    free_vm(&m);
}

struct accept_ctx {
    struct callback_wait wait;
    uint32_t accept_port;
    cvz_virtio_socket_connection *accepted; /* retained */
};

static bool should_accept(cvz_virtio_socket_listener *listener, cvz_virtio_socket_connection *connection,
                          cvz_virtio_socket_device *device, void *context)
{
    (void)listener;
    (void)device;
    struct accept_ctx *ctx = context;
    bool accept = cvz_virtio_socket_connection_destination_port(connection, NULL) == ctx->accept_port;
    if (accept)
        ctx->accepted = cvz_retain(connection); /* handles are only lent to callbacks */
    wait_record(&ctx->wait, NULL, NULL);
    return accept;
}

static void test_vsock_listener(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    struct vm m;
    struct accept_ctx ctx = {.accept_port = 6000};
    char buffer[64];

    wait_init(&ctx.wait);
    setenv("CVZ_SIM_GUEST_CONNECT_PORTS", "6000,6001", 1);
    make_vm(&m, 512 * MIB);
    cvz_virtio_socket_device *device = socket_device(&m);
    cvz_virtio_socket_listener *listener = cvz_virtio_socket_listener_new(&e);
    assert_ok(e);
    struct cvz_virtio_socket_listener_delegate_callbacks callbacks = {
        .size = sizeof callbacks, .listener_should_accept_new_connection_from_socket_device = should_accept};
    struct cvz_virtio_socket_listener_delegate *delegate =
        cvz_virtio_socket_listener_delegate_new(&callbacks, &ctx, NULL, &e);
    assert_ok(e);
    assert_int_equal(cvz_virtio_socket_listener_set_delegate(listener, delegate, &e), 0);
    assert_int_equal(cvz_virtio_socket_device_set_socket_listener_for_port(device, listener, 6000, &e), 0);
    assert_int_equal(cvz_virtio_socket_device_set_socket_listener_for_port(device, listener, 6001, &e), 0);
    assert_ok(e);

    assert_int_equal(cvz_virtual_machine_start_and_wait(m.vm, WAIT_MS, &e), 0);
    assert_true(wait_done(&ctx.wait, 2)); /* asked about both; accepted one */
    assert_non_null(ctx.accepted);
    int fd = cvz_virtio_socket_connection_file_descriptor(ctx.accepted, &e);
    assert_int_equal(read_exactly(fd, buffer, strlen("hello from the simulated guest\n")), 0);
    assert_string_equal(buffer, "hello from the simulated guest\n");
    assert_int_equal(write(fd, "echo?", 5), 5);
    assert_int_equal(read_exactly(fd, buffer, 5), 0);
    assert_string_equal(buffer, "echo?");

    assert_int_equal(cvz_virtio_socket_device_remove_socket_listener_for_port(device, 6000, &e), 0);
    assert_int_equal(cvz_virtio_socket_device_remove_socket_listener_for_port(device, 6001, &e), 0);
    assert_ok(e);
    unsetenv("CVZ_SIM_GUEST_CONNECT_PORTS");
    cvz_release(ctx.accepted);
    cvz_release(delegate);
    cvz_release(listener);
    cvz_release(device);
    free_vm(&m);
    wait_destroy(&ctx.wait);
}

/* ---- balloon ---------------------------------------------------------------------- */

static void test_balloon(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    struct vm m;
    size_t count = 0;

    make_vm(&m, 1024 * MIB);
    cvz_memory_balloon_device **devices = cvz_virtual_machine_memory_balloon_devices(m.vm, &count, &e);
    assert_ok(e);
    assert_int_equal(count, 1);
    cvz_virtio_traditional_memory_balloon_device *balloon = (cvz_virtio_traditional_memory_balloon_device *)devices[0];
    assert_int_equal(cvz_virtio_traditional_memory_balloon_device_target_virtual_machine_memory_size(balloon, &e),
                     1024 * MIB);
    cvz_virtio_traditional_memory_balloon_device_set_target_virtual_machine_memory_size(balloon, 300 * MIB + 7, &e);
    assert_int_equal(cvz_virtio_traditional_memory_balloon_device_target_virtual_machine_memory_size(balloon, &e),
                     300 * MIB);
    cvz_virtio_traditional_memory_balloon_device_set_target_virtual_machine_memory_size(balloon, 8192 * MIB, &e);
    assert_int_equal(cvz_virtio_traditional_memory_balloon_device_target_virtual_machine_memory_size(balloon, &e),
                     1024 * MIB);
    cvz_virtio_traditional_memory_balloon_device_set_target_virtual_machine_memory_size(balloon, 0, &e);
    assert_int_equal(cvz_virtio_traditional_memory_balloon_device_target_virtual_machine_memory_size(balloon, &e),
                     128 * MIB);
    assert_ok(e);
    cvz_handle_array_free(devices, count);
    free_vm(&m);
}

/* ---- save / restore --------------------------------------------------------------- */

static void test_save_restore(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    struct vm m, same, other;
    char path[128], corrupt[128];

    path_in_dir(path, sizeof path, "state.vzsave");
    path_in_dir(corrupt, sizeof corrupt, "corrupt.vzsave");
    make_vm(&m, 512 * MIB);
    if (level < 1400 || !arm64) {
        assert_int_equal(cvz_virtual_machine_save_machine_state_to_url_and_wait(m.vm, path, 1000, &e),
                         missing_status(1400));
        assert_status(e, missing_status(1400));
        e = NULL;
        assert_int_equal(cvz_virtual_machine_configuration_validate_save_restore_support(m.config, &e),
                         missing_status(1400));
        assert_status(e, missing_status(1400));
        free_vm(&m);
        return;
    }
    assert_int_equal(cvz_virtual_machine_configuration_validate_save_restore_support(m.config, &e), 0);
    assert_ok(e);

    /* Only a paused machine saves. */
    assert_int_equal(cvz_virtual_machine_save_machine_state_to_url_and_wait(m.vm, path, WAIT_MS, &e), CVZ_E_FRAMEWORK);
    assert_ns_error(e, "VZErrorDomain", CVZ_ERROR_INVALID_VIRTUAL_MACHINE_STATE);
    e = NULL;
    assert_int_equal(cvz_virtual_machine_start_and_wait(m.vm, WAIT_MS, &e), 0);
    assert_int_equal(cvz_virtual_machine_pause_and_wait(m.vm, WAIT_MS, &e), 0);
    assert_int_equal(cvz_virtual_machine_save_machine_state_to_url_and_wait(m.vm, path, WAIT_MS, &e), 0);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_state(m.vm, &e), CVZ_VIRTUAL_MACHINE_STATE_PAUSED);
    assert_int_equal(access(path, R_OK), 0);

    /* The same configuration restores, paused. */
    make_vm(&same, 512 * MIB);
    assert_int_equal(cvz_virtual_machine_restore_machine_state_from_url_and_wait(same.vm, path, WAIT_MS, &e), 0);
    assert_ok(e);
    assert_int_equal(cvz_virtual_machine_state(same.vm, &e), CVZ_VIRTUAL_MACHINE_STATE_PAUSED);
    /* ...but not twice: restoring needs a stopped machine. */
    assert_int_equal(cvz_virtual_machine_restore_machine_state_from_url_and_wait(same.vm, path, WAIT_MS, &e),
                     CVZ_E_FRAMEWORK);
    assert_ns_error(e, "VZErrorDomain", CVZ_ERROR_INVALID_VIRTUAL_MACHINE_STATE_TRANSITION);
    e = NULL;

    /* Another configuration, a corrupt file and a missing one are refused. */
    make_vm(&other, 1024 * MIB);
    assert_int_equal(cvz_virtual_machine_restore_machine_state_from_url_and_wait(other.vm, path, WAIT_MS, &e),
                     CVZ_E_FRAMEWORK);
    assert_ns_error(e, "VZErrorDomain", CVZ_ERROR_RESTORE);
    e = NULL;
    FILE *f = fopen(corrupt, "w");
    assert_non_null(f);
    fputs("cvz-sim-save 1\ngarbage\n", f);
    fclose(f);
    assert_int_equal(cvz_virtual_machine_restore_machine_state_from_url_and_wait(other.vm, corrupt, WAIT_MS, &e),
                     CVZ_E_FRAMEWORK);
    assert_ns_error(e, "VZErrorDomain", CVZ_ERROR_RESTORE);
    e = NULL;
    path_in_dir(corrupt, sizeof corrupt, "missing.vzsave");
    assert_int_equal(cvz_virtual_machine_restore_machine_state_from_url_and_wait(other.vm, corrupt, WAIT_MS, &e),
                     CVZ_E_FRAMEWORK);
    assert_ns_error(e, "VZErrorDomain", CVZ_ERROR_RESTORE);
    e = NULL;
    assert_int_equal(cvz_virtual_machine_state(other.vm, &e), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);

    free_vm(&other);
    free_vm(&same);
    free_vm(&m);
}

/* ---- macOS restore images and installation ----------------------------------------- */

static void write_image(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#define IMAGE_TEXT                                                                                             \
    "cvz-sim-restore-image 1\nbuild: 21A559\nversion: 12.0.1\nhardware-model: VirtualMac2,1\nminimum-cpus: 2\n" \
    "minimum-memory: 4294967296\n"

static void test_restore_image(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    struct callback_wait w;
    char path[128], missing[128];

    path_in_dir(path, sizeof path, "image.ipsw");
    path_in_dir(missing, sizeof missing, "missing.ipsw");
    write_image(path, IMAGE_TEXT);
    wait_init(&w);
    if (level < 1200 || !arm64) {
        assert_int_equal(cvz_mac_os_restore_image_load_file_url(path, on_image, &w, &e), missing_status(1200));
        assert_status(e, missing_status(1200));
        wait_destroy(&w);
        return;
    }
    assert_int_equal(cvz_mac_os_restore_image_load_file_url(path, on_image, &w, &e), 0);
    assert_true(wait_done(&w, 1));
    assert_false(w.failed);
    char *build = cvz_mac_os_restore_image_build_version(w.handle, &e);
    assert_string_equal(build, "21A559");
    cvz_free(build);
    cvz_mac_os_configuration_requirements *requirements =
        cvz_mac_os_restore_image_most_featureful_supported_configuration(w.handle, &e);
    assert_ok(e);
    assert_int_equal(cvz_mac_os_configuration_requirements_minimum_supported_cpu_count(requirements, &e), 2);
    assert_int_equal(cvz_mac_os_configuration_requirements_minimum_supported_memory_size(requirements, &e), 4096 * MIB);
    cvz_release(requirements);
    wait_destroy(&w);

    /* The blocking variant hands the image back, or the completion's error. */
    cvz_mac_os_restore_image *image = cvz_mac_os_restore_image_load_file_url_and_wait(path, WAIT_MS, &e);
    assert_ok(e);
    build = cvz_mac_os_restore_image_build_version(image, &e);
    assert_string_equal(build, "21A559");
    cvz_free(build);
    cvz_release(image);
    assert_null(cvz_mac_os_restore_image_load_file_url_and_wait(missing, WAIT_MS, &e));
    assert_failed(e, CVZ_E_FRAMEWORK, "");

    wait_init(&w);
    assert_int_equal(cvz_mac_os_restore_image_load_file_url(missing, on_image, &w, &e), 0);
    assert_true(wait_done(&w, 1));
    assert_wait_error(&w, "VZErrorDomain", level >= 1300 ? CVZ_ERROR_RESTORE_IMAGE_LOAD_FAILED : CVZ_ERROR_INTERNAL);
    wait_destroy(&w);
}

static void test_installer(void **state)
{
    (void)state;
    cvz_error *e = NULL;
    struct vm m;
    char path[128];

    path_in_dir(path, sizeof path, "install.ipsw");
    write_image(path, IMAGE_TEXT);
    if (level >= 1200 && arm64)
        make_mac_vm(&m, 512 * MIB);
    else
        make_vm(&m, 512 * MIB);
    cvz_mac_os_installer *installer = cvz_mac_os_installer_new_with_virtual_machine_restore_image_url(m.vm, path, &e);
    if (level < 1200 || !arm64) {
        assert_null(installer);
        assert_status(e, missing_status(1200));
        free_vm(&m);
        return;
    }
    assert_ok(e);
    char *url = cvz_mac_os_installer_restore_image_url(installer, &e);
    assert_non_null(strstr(url, "install.ipsw"));
    cvz_free(url);
    cvz_progress *progress = cvz_mac_os_installer_progress(installer, &e);
    assert_ok(e);
    assert_true(cvz_progress_fraction_completed(progress, &e) == 0.0);
    /* The installer starts the machine, which runs while it installs, and
     * stops it before the completion. */
    setenv("CVZ_SIM_HOLD", "install-step", 1); /* running, 1 step of 10 done, until released */
    struct completion done = {PTHREAD_MUTEX_INITIALIZER, 0, CVZ_E_TIMEOUT, 0};
    assert_int_equal(cvz_mac_os_installer_install(installer, on_complete, &done, &e), 0);
    assert_ok(e);
    assert_true(sim_wait_held("install-step", 1, WAIT_MS));
    assert_int_equal(cvz_virtual_machine_state(m.vm, &e), CVZ_VIRTUAL_MACHINE_STATE_RUNNING);
    assert_true(cvz_progress_fraction_completed(progress, &e) < 1.0);
    assert_int_equal(completion_calls(&done), 0);
    unsetenv("CVZ_SIM_HOLD");
    assert_int_equal(sim_release("install-step"), 1);
    WAIT_UNTIL(completion_calls(&done) > 0);
    assert_int_equal(completion_calls(&done), 1);
    assert_int_equal(done.status, CVZ_OK);
    assert_int_equal(cvz_virtual_machine_state(m.vm, &e), CVZ_VIRTUAL_MACHINE_STATE_STOPPED);
    assert_ok(e);
    /* The progress the installer reported reached the end. */
    assert_true(cvz_progress_fraction_completed(progress, &e) == 1.0);
    assert_true(cvz_progress_finished(progress, &e));
    assert_true(cvz_progress_completed_unit_count(progress, &e) == cvz_progress_total_unit_count(progress, &e));
    assert_ok(e);
    cvz_release(progress);
    /* Once only. */
    assert_int_equal(cvz_mac_os_installer_install_and_wait(installer, WAIT_MS, &e), CVZ_E_EXCEPTION);
    assert_status(e, CVZ_E_EXCEPTION);
    cvz_release(installer);
    free_vm(&m);
}

int main(void)
{
    if (cvz_host_macos_version() < 1100) {
        cvz_error *e = NULL;
        /* No framework on this host: nothing to drive, and the wrappers say why. */
        cvz_virtio_socket_listener *listener = cvz_virtio_socket_listener_new(&e);
        int ok_status = listener == NULL && e && cvz_error_status(e) == CVZ_E_OS_TOO_OLD;
        cvz_error_free(e);
        printf("runtime wrappers below macOS 11: %s\n", ok_status ? "CVZ_E_OS_TOO_OLD" : "unexpected");
        return ok_status ? 0 : 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vsock_connect),
        cmocka_unit_test(test_vsock_connect_and_wait),
        cmocka_unit_test(test_vsock_reset_on_stop),
        cmocka_unit_test(test_vsock_listener),
        cmocka_unit_test(test_balloon),       cmocka_unit_test(test_save_restore),
        cmocka_unit_test(test_restore_image), cmocka_unit_test(test_installer),
    };
    return cmocka_run_group_tests(tests, setup, teardown_files);
}
