/* SPDX-License-Identifier: Apache-2.0 */
/*
 * install.c - see install.h.  The steps:
 *
 *   1. the command line (run's parser), refusing what only a running VM uses
 *   2. availability of every API installing needs, then of the VM's parts
 *   3. load the restore image; its most featureful configuration this host
 *      supports gives the hardware model and the minimum CPUs and memory
 *   4. create the hardware model, machine identifier and auxiliary storage
 *      files, then build and validate the configuration as `cvz run` would
 *   5. install, showing progress; a signal cancels through the progress
 */
#include "install.h"

#include "build.h"
#include "error_text.h"
#include "flags.h"
#include "goconv.h"
#include "help.h"
#include "log.h"
#include "progress.h"
#include "version.h"
#include "vmconfig.h"

#include <cvz/cvz.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024ull * 1024)
#define TICK_MS 100

static const char *const requirements[] = {
    CVZ_API_MAC_OS_RESTORE_IMAGE_LOAD_FILE_URL,
    "VZMacOSRestoreImage.mostFeaturefulSupportedConfiguration",
    "VZMacOSConfigurationRequirements.hardwareModel",
    "VZMacHardwareModel.dataRepresentation",
    "-[VZMacMachineIdentifier init]",
    "VZMacMachineIdentifier.dataRepresentation",
    CVZ_API_MAC_AUXILIARY_STORAGE_NEW_CREATING_STORAGE_AT_URL_HARDWARE_MODEL_OPTIONS,
    CVZ_API_MAC_OS_INSTALLER_NEW_WITH_VIRTUAL_MACHINE_RESTORE_IMAGE_URL,
    CVZ_API_MAC_OS_INSTALLER_INSTALL,
    "VZMacOSInstaller.progress",
    NULL,
};

const char *const *install_requirements(void)
{
    return requirements;
}

/* ---- waiting for a completion handler, and for signals ------------------------------------- */

/* Static: a completion may come after cvz gave up waiting (a signal). */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool done;
    void *handle; /* a reference of ours, or NULL */
    char *error;
} completion = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, NULL, NULL};

static volatile sig_atomic_t interrupted;

static void on_signal(int signo)
{
    (void)signo;
    interrupted = 1;
}

static void complete(const void *handle, const cvz_error *error)
{
    pthread_mutex_lock(&completion.lock);
    completion.handle = handle ? cvz_retain(handle) : NULL;
    completion.error = error ? error_text(error) : NULL;
    completion.done = true;
    pthread_cond_signal(&completion.cond);
    pthread_mutex_unlock(&completion.lock);
}

static void on_image(cvz_mac_os_restore_image *image, const cvz_error *error, void *context)
{
    (void)context;
    complete(image, error);
}

static void on_installed(const cvz_error *error, void *context)
{
    (void)context;
    complete(NULL, error);
}

static void completion_reset(void)
{
    pthread_mutex_lock(&completion.lock);
    completion.done = false;
    completion.handle = NULL;
    completion.error = NULL;
    pthread_mutex_unlock(&completion.lock);
}

/* Waits up to TICK_MS; true once the completion came. */
static bool completion_wait_tick(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += TICK_MS * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&completion.lock);
    if (!completion.done)
        pthread_cond_timedwait(&completion.cond, &completion.lock, &until);
    bool done = completion.done;
    pthread_mutex_unlock(&completion.lock);
    return done;
}

/* ---- the steps ------------------------------------------------------------------------------- */

struct install {
    struct run_options opts;
    struct vmconfig vm;
    const char *image_path;
    const char *disk;
    cvz_mac_os_restore_image *image;
    char *image_name; /* "macOS 14.0.0 (23A344)" */
    uint64_t min_cpus, min_memory;
    cvz_mac_hardware_model *model;
    char *created[3]; /* files cvz created, removed if the installation does not complete */
    size_t ncreated;
};

static int rejected(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int rejected(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("cvz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_INSTALL_REJECTED;
}

/* Flags of `cvz run` that mean nothing without a running VM. */
static const char *unused_flag(const struct run_options *o)
{
    if (o->kernel_set || o->initrd_set || o->cmdline_set)
        return "--kernel, --initrd and --kernel-cmdline";
    if (*o->timesync)
        return "--timesync";
    if (*o->ignition)
        return "--ignition";
    if (o->cloud_init.count)
        return "--cloud-init";
    if (strcmp(o->restful_uri, DEFAULT_RESTFUL_URI) != 0)
        return "--restful-uri";
    if (o->gui)
        return "--gui";
    if (o->nested)
        return "--nested";
    if (*o->pidfile)
        return "--pidfile";
    if (o->dry_run)
        return "--dry-run";
    return NULL;
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Step 1. */
static int check_command_line(struct install *in)
{
    char *err = NULL;
    const struct run_options *o = &in->opts;
    const char *unused = unused_flag(o);
    if (unused)
        return rejected("install-macos does not take %s (they are for `cvz run`)", unused);
    if (o->positional.count != 1)
        return rejected("install-macos needs one restore image: cvz install-macos [flags] RESTORE_IMAGE (%zu given)",
                        o->positional.count);
    in->image_path = o->positional.items[0];
    if (flags_check_groups(o, &err) != 0 || vmconfig_from_options(o, &in->vm, &err) != 0) {
        int rc = rejected("%s", err);
        free(err);
        return rc;
    }
    const struct bootloader *b = &in->vm.boot;
    if (b->kind != BOOT_MACOS || o->bootloader.count == 0)
        return rejected("install-macos needs --bootloader macos,machineIdentifierPath=P,hardwareModelPath=P,"
                        "auxImagePath=P (the files it creates)");
    const char *files[] = {b->machine_id_path, b->hw_model_path, b->aux_image_path};
    const char *names[] = {"machineIdentifierPath", "hardwareModelPath", "auxImagePath"};
    for (int i = 0; i < 3; i++) {
        if (!files[i] || !*files[i])
            return rejected("missing mandatory '%s' option for macOS bootloader", names[i]);
        if (exists(files[i]))
            return rejected("%s exists already: install-macos creates it (remove it, or choose another path)",
                            files[i]);
    }
    for (size_t i = 0; i < in->vm.ndevices && !in->disk; i++) {
        const struct device *d = &in->vm.devices[i];
        if ((d->kind == DEV_VIRTIO_BLK || d->kind == DEV_NVME || d->kind == DEV_USB_MASS_STORAGE) && d->path)
            in->disk = d->path;
    }
    if (!in->disk)
        return rejected("install-macos needs a disk to install onto: --device virtio-blk,path=DISK "
                        "(create it first, e.g. truncate -s 64G DISK)");
    return 0;
}

/* Step 2: installing, then every part of the VM. */
static int check_availability(struct install *in)
{
    for (size_t i = 0; requirements[i]; i++) {
        cvz_error *why = NULL;
        if (!cvz_api_available(requirements[i], &why)) {
            int rc = rejected("cannot install macOS: %s", why ? cvz_error_message(why) : requirements[i]);
            cvz_error_free(why);
            return rc;
        }
    }
    char *err = NULL;
    if (build_check(&in->vm, &err) != 0) {
        int rc = rejected("%s", err);
        free(err);
        return rc;
    }
    return 0;
}

/* Step 3. */
static int load_image(struct install *in)
{
    cvz_error *e = NULL;
    completion_reset();
    log_msg(LOG_DEBUG, "loading the restore image %s", in->image_path);
    if (cvz_mac_os_restore_image_load_file_url(in->image_path, on_image, NULL, &e) != 0) {
        char *text = error_text(e);
        cvz_error_free(e);
        int rc = rejected("cannot load the restore image %s: %s", in->image_path, text);
        free(text);
        return rc;
    }
    while (!completion_wait_tick())
        if (interrupted) {
            fprintf(stderr, "cvz: installation cancelled while loading the restore image\n");
            return EXIT_INSTALL_CANCELLED;
        }
    if (!completion.handle) {
        int rc = rejected("cannot load the restore image %s: %s", in->image_path, completion.error);
        free(completion.error);
        return rc;
    }
    in->image = completion.handle;
    char *build = cvz_mac_os_restore_image_build_version(in->image, NULL);
    cvz_os_version v = cvz_mac_os_restore_image_operating_system_version(in->image, NULL);
    in->image_name = xasprintf("macOS %lld.%lld.%lld (%s)", (long long)v.major, (long long)v.minor,
                               (long long)v.patch, build ? build : "unknown build");
    cvz_free(build);

    cvz_mac_os_configuration_requirements *req =
        cvz_mac_os_restore_image_most_featureful_supported_configuration(in->image, &e);
    if (!req) {
        char *why = e ? error_text(e) : NULL;
        cvz_error_free(e);
        char host[16];
        int rc = why ? rejected("restore image %s: %s", in->image_path, why)
                     : rejected("the restore image %s holds %s, which this host (macOS %s) does not support",
                                in->image_path, in->image_name, format_version(cvz_host_macos_version(), host));
        free(why);
        return rc;
    }
    in->model = cvz_mac_os_configuration_requirements_hardware_model(req, &e);
    in->min_cpus = cvz_mac_os_configuration_requirements_minimum_supported_cpu_count(req, NULL);
    in->min_memory = cvz_mac_os_configuration_requirements_minimum_supported_memory_size(req, NULL);
    cvz_release(req);
    if (!in->model || !cvz_mac_hardware_model_supported(in->model, NULL)) {
        cvz_error_free(e);
        return rejected("the restore image %s holds %s, whose hardware model this host does not support",
                        in->image_path, in->image_name);
    }
    return 0;
}

/* CPUs and memory: the user's, at least the image's minimums; else the minimums. */
static int size_vm(struct install *in)
{
    uint64_t min_mib = (in->min_memory + MIB - 1) / MIB;
    if (in->opts.cpus_set && in->vm.cpus < in->min_cpus)
        return rejected("--cpus %llu is below the minimum of %s: %llu", (unsigned long long)in->vm.cpus,
                        in->image_name, (unsigned long long)in->min_cpus);
    if (in->opts.memory_set && in->vm.memory_mib < min_mib)
        return rejected("--memory %llu is below the minimum of %s: %llu MiB", (unsigned long long)in->vm.memory_mib,
                        in->image_name, (unsigned long long)min_mib);
    if (!in->opts.cpus_set)
        in->vm.cpus = in->min_cpus;
    if (!in->opts.memory_set)
        in->vm.memory_mib = min_mib;
    return 0;
}

static int write_new_file(struct install *in, const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return rejected("cannot create %s: %s", path, go_errno_text(errno));
    in->created[in->ncreated++] = xstrdup(path);
    ssize_t n = write(fd, data, len);
    int saved = errno;
    if (close(fd) != 0 || n != (ssize_t)len)
        return rejected("cannot write %s: %s", path, go_errno_text(n < 0 ? saved : EIO));
    return 0;
}

/* Step 4: the three files of the macOS boot loader. */
static int create_files(struct install *in)
{
    const struct bootloader *b = &in->vm.boot;
    cvz_error *e = NULL;
    size_t len = 0;
    void *data = cvz_mac_hardware_model_data_representation(in->model, &len, &e);
    int rc = data ? write_new_file(in, b->hw_model_path, data, len) : -1;
    cvz_free(data);
    if (rc == 0) {
        cvz_mac_machine_identifier *id = cvz_mac_machine_identifier_new(&e);
        data = id ? cvz_mac_machine_identifier_data_representation(id, &len, &e) : NULL;
        rc = data ? write_new_file(in, b->machine_id_path, data, len) : -1;
        cvz_free(data);
        cvz_release(id);
    }
    if (rc == 0) {
        cvz_mac_auxiliary_storage *aux = cvz_mac_auxiliary_storage_new_creating_storage_at_url_hardware_model_options(
            b->aux_image_path, in->model, 0, &e);
        if (aux)
            in->created[in->ncreated++] = xstrdup(b->aux_image_path);
        else
            rc = -1;
        cvz_release(aux);
    }
    if (e) {
        char *text = error_text(e);
        cvz_error_free(e);
        rc = rejected("cannot create the macOS boot files: %s", text);
        free(text);
    }
    return rc;
}

static void remove_created(struct install *in)
{
    for (size_t i = 0; i < in->ncreated; i++) {
        unlink(in->created[i]);
        free(in->created[i]);
    }
    in->ncreated = 0;
}

/* Step 5. */
static int run_installer(struct install *in, cvz_virtual_machine *vm)
{
    cvz_error *e = NULL;
    cvz_mac_os_installer *installer = cvz_mac_os_installer_new_with_virtual_machine_restore_image_url(vm, in->image_path, &e);
    cvz_progress *progress = installer ? cvz_mac_os_installer_progress(installer, &e) : NULL;
    completion_reset();
    if (!progress || cvz_mac_os_installer_install(installer, on_installed, NULL, &e) != 0) {
        char *text = error_text(e);
        cvz_error_free(e);
        fprintf(stderr, "cvz: cannot install macOS: %s\n", text);
        free(text);
        cvz_release(progress);
        cvz_release(installer);
        return EXIT_INSTALL_FAILED;
    }
    fprintf(stderr, "cvz: installing %s from %s onto %s\n", in->image_name, in->image_path, in->disk);
    struct progress view;
    progress_init(&view, isatty(STDERR_FILENO));
    bool cancelling = false;
    progress_fraction(&view, "installing macOS", 0.0);
    while (!completion_wait_tick()) {
        if (interrupted && !cancelling) {
            cancelling = true;
            progress_end(&view, false);
            fprintf(stderr, "cvz: cancelling the installation\n");
            cvz_progress_cancel(progress, NULL);
        }
        if (!cancelling)
            progress_fraction(&view, "installing macOS", cvz_progress_fraction_completed(progress, NULL));
    }
    int status;
    if (!completion.error) {
        progress_fraction(&view, "installing macOS", 1.0);
        progress_end(&view, false);
        fprintf(stderr, "cvz: %s installed; boot it with the same --bootloader and --device flags and `cvz run`\n",
                in->image_name);
        status = EXIT_INSTALLED;
    } else if (cancelling) {
        progress_end(&view, false);
        log_msg(LOG_DEBUG, "the installer says: %s", completion.error);
        fprintf(stderr, "cvz: installation cancelled\n");
        status = EXIT_INSTALL_CANCELLED;
    } else {
        progress_end(&view, false);
        fprintf(stderr, "cvz: installation failed: %s\n", completion.error);
        status = EXIT_INSTALL_FAILED;
    }
    free(completion.error);
    cvz_release(progress);
    cvz_release(installer);
    return status;
}

static int install(struct install *in)
{
    int rc = check_command_line(in);
    if (rc != 0)
        return rc;
    log_set_level(strcmp(in->opts.log_level, "error") == 0   ? LOG_ERROR
                  : strcmp(in->opts.log_level, "debug") == 0 ? LOG_DEBUG
                                                             : LOG_INFO);
    if ((rc = check_availability(in)) != 0 || (rc = load_image(in)) != 0 || (rc = size_vm(in)) != 0)
        return rc;
    if (interrupted)
        return EXIT_INSTALL_CANCELLED;
    if ((rc = create_files(in)) != 0)
        return rc;
    struct built_vm built;
    char *err = NULL;
    if (build_configuration(&in->vm, &built, &err) != 0) {
        build_free(&built);
        rc = rejected("%s", err);
        free(err);
        return rc;
    }
    cvz_error *e = NULL;
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(built.config, &e);
    if (!vm) {
        char *text = error_text(e);
        cvz_error_free(e);
        fprintf(stderr, "cvz: cannot create the virtual machine: %s\n", text);
        free(text);
        build_free(&built);
        return EXIT_INSTALL_FAILED;
    }
    rc = run_installer(in, vm);
    cvz_release(vm);
    build_free(&built);
    return rc;
}

int cmd_install_macos(int argc, char **argv)
{
    struct install in;
    memset(&in, 0, sizeof in);
    char *err = NULL;
    if (flags_parse(argc, argv, &in.opts, &err) != 0) {
        flags_free(&in.opts);
        int rc = rejected("%s", err);
        free(err);
        return rc;
    }
    if (in.opts.help || in.opts.version) {
        if (in.opts.help)
            fputs(help_install_macos, stdout);
        else
            printf("cvz version: %s (libcvz %s)\n", CVZ_TOOL_VERSION, cvz_version());
        flags_free(&in.opts);
        return 0;
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    int status = install(&in);
    if (status != EXIT_INSTALLED)
        remove_created(&in);
    for (size_t i = 0; i < in.ncreated; i++)
        free(in.created[i]);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    cvz_release(in.model);
    cvz_release(in.image);
    free(in.image_name);
    vmconfig_free(&in.vm);
    flags_free(&in.opts);
    return status;
}
