/* SPDX-License-Identifier: Apache-2.0 */
/*
 * build_storage.c - virtio-blk (disk image, block device, deviceId), nvme,
 * usb-mass-storage and nbd, as vfkit builds them (pkg/vf/virtio.go).
 */
#include "build_internal.h"
#include "goconv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The attachment: a disk image, or (type=dev) a block device opened here;
 * libcvz dup()s the descriptor, cvz closes its own at the end. */
static int disk_attachment(struct build_ctx *c, const struct device *d, cvz_storage_device_attachment **out)
{
    if (d->disk_type && strcmp(d->disk_type, "dev") == 0) {
        int fd = open(d->path, (d->readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
        if (fd < 0) {
            char *why = go_path_error("open", d->path, errno);
            build_fail(c, "%s", why);
            free(why);
            return -1;
        }
        build_keep_fd(c, fd);
        cvz_disk_block_device_storage_device_attachment *dev;
        BUILD_NEW(c, dev,
                  cvz_disk_block_device_storage_device_attachment_new_with_file_handle_read_only_synchronization_mode(
                      fd, d->readonly, CVZ_DISK_SYNCHRONIZATION_MODE_FULL, e));
        *out = cvz_disk_block_device_storage_device_attachment_as_storage_device_attachment(dev);
        return 0;
    }
    cvz_disk_image_storage_device_attachment *image;
    BUILD_NEW(c, image, cvz_disk_image_storage_device_attachment_new_with_url_read_only(d->path, d->readonly, e));
    *out = cvz_disk_image_storage_device_attachment_as_storage_device_attachment(image);
    return 0;
}

static int nbd_attachment(struct build_ctx *c, const struct device *d, cvz_storage_device_attachment **out)
{
    cvz_network_block_device_storage_device_attachment *nbd;
    BUILD_NEW(c, nbd,
              cvz_network_block_device_storage_device_attachment_new_with_url_timeout_forced_read_only_synchronization_mode(
                  d->uri, (double)d->timeout_ms / 1000.0, d->readonly,
                  d->sync_none ? CVZ_DISK_SYNCHRONIZATION_MODE_NONE : CVZ_DISK_SYNCHRONIZATION_MODE_FULL, e));
    *out = cvz_network_block_device_storage_device_attachment_as_storage_device_attachment(nbd);
    return 0;
}

int build_storage(struct build_ctx *c, const struct device *d)
{
    cvz_storage_device_attachment *attachment = NULL;
    if ((d->kind == DEV_NBD ? nbd_attachment(c, d, &attachment) : disk_attachment(c, d, &attachment)) != 0)
        return -1;
    switch (d->kind) {
    case DEV_NVME: {
        cvz_nvm_express_controller_device_configuration *nvme;
        BUILD_NEW(c, nvme, cvz_nvm_express_controller_device_configuration_new_with_attachment(attachment, e));
        build_add(c, LIST_STORAGE, cvz_nvm_express_controller_device_configuration_as_storage_device_configuration(nvme));
        return 0;
    }
    case DEV_USB_MASS_STORAGE: {
        cvz_usb_mass_storage_device_configuration *usb;
        BUILD_NEW(c, usb, cvz_usb_mass_storage_device_configuration_new_with_attachment(attachment, e));
        build_add(c, LIST_STORAGE, cvz_usb_mass_storage_device_configuration_as_storage_device_configuration(usb));
        return 0;
    }
    default: { /* virtio-blk, nbd */
        cvz_virtio_block_device_configuration *blk;
        BUILD_NEW(c, blk, cvz_virtio_block_device_configuration_new_with_attachment(attachment, e));
        if (d->device_id && *d->device_id)
            BUILD_DO(c, cvz_virtio_block_device_configuration_set_block_device_identifier(blk, d->device_id, e));
        build_add(c, LIST_STORAGE, cvz_virtio_block_device_configuration_as_storage_device_configuration(blk));
        return 0;
    }
    }
}
