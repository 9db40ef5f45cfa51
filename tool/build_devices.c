/* SPDX-License-Identifier: Apache-2.0 */
/*
 * build_devices.c - serial ports (stdio, log file, pty), directory shares
 * (virtio-fs, rosetta) and the devices without an attachment (virtio-rng,
 * virtio-balloon, virtio-vsock, virtio-input, virtio-gpu), as vfkit builds
 * them (pkg/vf/virtio.go, rosetta_arm64.go).
 */
#include "build_internal.h"
#include "error_text.h"
#include "goconv.h"
#include "log.h"
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* ---- serial ports ---------------------------------------------------------------------------- */

static int add_serial_port(struct build_ctx *c, cvz_serial_port_attachment *attachment)
{
    cvz_virtio_console_device_serial_port_configuration *port;
    BUILD_NEW(c, port, cvz_virtio_console_device_serial_port_configuration_new(e));
    cvz_serial_port_configuration *base = cvz_virtio_console_device_serial_port_configuration_as_serial_port_configuration(port);
    BUILD_DO(c, cvz_serial_port_configuration_set_attachment(base, attachment, e));
    build_add(c, LIST_SERIAL, base);
    return 0;
}

/* A new pty, raw, both ends kept open for the VM's lifetime; the guest's
 * console is its master side.  Returns the master, or -1. */
static int open_pty(struct build_ctx *c, char **name)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        return build_fail(c, "cannot open a pty: %s", go_errno_text(errno));
    build_keep_fd(c, master);
    const char *slave_name = grantpt(master) == 0 && unlockpt(master) == 0 ? ptsname(master) : NULL;
    if (!slave_name)
        return build_fail(c, "cannot open a pty: %s", go_errno_text(errno));
    int slave = open(slave_name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0)
        return build_fail(c, "cannot open %s: %s", slave_name, go_errno_text(errno));
    build_keep_fd(c, slave);
    struct termios t;
    if (tcgetattr(slave, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(slave, TCSANOW, &t);
    }
    *name = xstrdup(slave_name);
    return master;
}

/* vfkit: a virtio console device whose port 0 is the console, on the pty's master. */
static int build_pty(struct build_ctx *c)
{
    char *name = NULL;
    int master = open_pty(c, &name);
    if (master < 0)
        return -1;
    log_msg(LOG_INFO, "Using PTY (pty path: %s)", name);
    c->b->pty_name = name;
    cvz_file_handle_serial_port_attachment *io;
    cvz_virtio_console_port_configuration *port;
    cvz_virtio_console_device_configuration *console;
    cvz_virtio_console_port_configuration_array *ports;
    BUILD_NEW(c, io,
              cvz_file_handle_serial_port_attachment_new_with_file_handle_for_reading_file_handle_for_writing(
                  master, master, e));
    BUILD_NEW(c, port, cvz_virtio_console_port_configuration_new(e));
    BUILD_DO(c, cvz_console_port_configuration_set_attachment(
                    cvz_virtio_console_port_configuration_as_console_port_configuration(port),
                    cvz_file_handle_serial_port_attachment_as_serial_port_attachment(io), e));
    BUILD_DO(c, cvz_virtio_console_port_configuration_set_is_console(port, true, e));
    BUILD_NEW(c, console, cvz_virtio_console_device_configuration_new(e));
    BUILD_NEW(c, ports, cvz_virtio_console_device_configuration_ports(console, e));
    BUILD_DO(c, cvz_virtio_console_port_configuration_array_set_object_at_indexed_subscript(ports, port, 0, e));
    build_add(c, LIST_CONSOLE, cvz_virtio_console_device_configuration_as_console_device_configuration(console));
    return 0;
}

int build_serial(struct build_ctx *c, const struct device *d)
{
    if (d->pty)
        return build_pty(c);
    if (d->log_file) { /* vfkit: truncated, not appended */
        cvz_file_serial_port_attachment *file;
        BUILD_NEW(c, file, cvz_file_serial_port_attachment_new_with_url_append(d->log_file, false, e));
        return add_serial_port(c, cvz_file_serial_port_attachment_as_serial_port_attachment(file));
    }
    cvz_file_handle_serial_port_attachment *io;
    BUILD_NEW(c, io,
              cvz_file_handle_serial_port_attachment_new_with_file_handle_for_reading_file_handle_for_writing(
                  STDIN_FILENO, STDOUT_FILENO, e));
    return add_serial_port(c, cvz_file_handle_serial_port_attachment_as_serial_port_attachment(io));
}

/* ---- directory shares -------------------------------------------------------------------------- */

/* vfkit's Rosetta checks: unsupported, not installed (install it with `install`). */
static int rosetta_share(struct build_ctx *c, const struct device *d, cvz_directory_share **out)
{
    cvz_error *why = NULL;
    enum cvz_linux_rosetta_availability availability = cvz_linux_rosetta_directory_share_availability(&why);
    if (why)
        return build_lib_fail(c, why);
    if (availability == CVZ_LINUX_ROSETTA_AVAILABILITY_NOT_SUPPORTED)
        return fail(c->err, "rosetta is not supported");
    if (availability == CVZ_LINUX_ROSETTA_AVAILABILITY_NOT_INSTALLED) {
        if (!d->install)
            return fail(c->err, "rosetta is not installed");
        log_msg(LOG_DEBUG, "installing rosetta");
        if (cvz_linux_rosetta_directory_share_install_rosetta_and_wait(-1, &why) != 0) {
            char *text = error_text(why);
            cvz_error_free(why);
            if (!d->ignore_if_missing) {
                fail(c->err, "failed to install rosetta: %s", text);
                free(text);
                return -1;
            }
            log_msg(LOG_INFO, "failed to install rosetta: %s; continuing without it", text);
            free(text);
            *out = NULL;
            return 0;
        }
        log_msg(LOG_DEBUG, "rosetta installed");
    }
    cvz_linux_rosetta_directory_share *share;
    BUILD_NEW(c, share, cvz_linux_rosetta_directory_share_new(e));
    *out = cvz_linux_rosetta_directory_share_as_directory_share(share);
    return 0;
}

static int directory_share(struct build_ctx *c, const struct device *d, cvz_directory_share **out)
{
    cvz_shared_directory *dir;
    cvz_single_directory_share *share;
    BUILD_NEW(c, dir, cvz_shared_directory_new_with_url_read_only(d->shared_dir, false, e));
    BUILD_NEW(c, share, cvz_single_directory_share_new_with_directory(dir, e));
    *out = cvz_single_directory_share_as_directory_share(share);
    return 0;
}

int build_sharing(struct build_ctx *c, const struct device *d)
{
    cvz_directory_share *share = NULL;
    if ((d->kind == DEV_ROSETTA ? rosetta_share(c, d, &share) : directory_share(c, d, &share)) != 0)
        return -1;
    if (!share)
        return 0; /* rosetta with ignore-if-missing */
    /* vfkit: an empty mountTag is the shared directory's base name */
    char *tag = d->mount_tag && *d->mount_tag ? xstrdup(d->mount_tag) : path_base(d->shared_dir);
    cvz_virtio_file_system_device_configuration *fs;
    cvz_error *why = NULL;
    fs = cvz_virtio_file_system_device_configuration_new_with_tag(tag, &why);
    free(tag);
    if (!fs)
        return build_lib_fail(c, why);
    build_keep(c, fs);
    BUILD_DO(c, cvz_virtio_file_system_device_configuration_set_share(fs, share, e));
    build_add(c, LIST_SHARING, cvz_virtio_file_system_device_configuration_as_directory_sharing_device_configuration(fs));
    return 0;
}

/* ---- devices without an attachment ------------------------------------------------------------ */

static int build_gpu(struct build_ctx *c, const struct device *d)
{
    cvz_virtio_graphics_scanout_configuration *scanout;
    cvz_virtio_graphics_device_configuration *gpu;
    BUILD_NEW(c, scanout,
              cvz_virtio_graphics_scanout_configuration_new_with_width_in_pixels_height_in_pixels(d->width, d->height, e));
    BUILD_NEW(c, gpu, cvz_virtio_graphics_device_configuration_new(e));
    BUILD_DO(c, cvz_virtio_graphics_device_configuration_set_scanouts(gpu, &scanout, 1, e));
    build_add(c, LIST_GRAPHICS, cvz_virtio_graphics_device_configuration_as_graphics_device_configuration(gpu));
    return 0;
}

int build_simple_device(struct build_ctx *c, const struct device *d)
{
    switch (d->kind) {
    case DEV_VIRTIO_RNG: {
        cvz_virtio_entropy_device_configuration *rng;
        BUILD_NEW(c, rng, cvz_virtio_entropy_device_configuration_new(e));
        build_add(c, LIST_ENTROPY, cvz_virtio_entropy_device_configuration_as_entropy_device_configuration(rng));
        return 0;
    }
    case DEV_VIRTIO_BALLOON: {
        cvz_virtio_traditional_memory_balloon_device_configuration *balloon;
        BUILD_NEW(c, balloon, cvz_virtio_traditional_memory_balloon_device_configuration_new(e));
        build_add(c, LIST_BALLOON,
                  cvz_virtio_traditional_memory_balloon_device_configuration_as_memory_balloon_device_configuration(balloon));
        return 0;
    }
    case DEV_VIRTIO_VSOCK: {
        /* vfkit: one socket device carries every vsock port */
        if (c->lists[LIST_SOCKET].count)
            return 0;
        cvz_virtio_socket_device_configuration *sock;
        BUILD_NEW(c, sock, cvz_virtio_socket_device_configuration_new(e));
        build_add(c, LIST_SOCKET, cvz_virtio_socket_device_configuration_as_socket_device_configuration(sock));
        return 0;
    }
    case DEV_VIRTIO_INPUT:
        if (d->input_type && strcmp(d->input_type, "pointing") == 0) {
            cvz_usb_screen_coordinate_pointing_device_configuration *pointing;
            BUILD_NEW(c, pointing, cvz_usb_screen_coordinate_pointing_device_configuration_new(e));
            build_add(c, LIST_POINTING,
                      cvz_usb_screen_coordinate_pointing_device_configuration_as_pointing_device_configuration(pointing));
            return 0;
        } else {
            cvz_usb_keyboard_configuration *keyboard;
            BUILD_NEW(c, keyboard, cvz_usb_keyboard_configuration_new(e));
            build_add(c, LIST_KEYBOARD, cvz_usb_keyboard_configuration_as_keyboard_configuration(keyboard));
            return 0;
        }
    case DEV_VIRTIO_GPU: return build_gpu(c, d);
    default: return build_fail(c, "cvz cannot build this device");
    }
}
