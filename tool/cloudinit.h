/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cloudinit.h - --cloud-init: the user's user-data / meta-data /
 * network-config files packed into an ISO 9660 image labelled "cidata"
 * (cloud-init's NoCloud data source), as vfkit does it.
 */
#ifndef CVZ_TOOL_CLOUDINIT_H
#define CVZ_TOOL_CLOUDINIT_H

#include "util.h"

/* Opens every path of `files` (empty ones skipped), keeps those whose base
 * name is user-data, meta-data or network-config, and writes the image to
 * $TMPDIR/cvz-cloudinit/cvz-cloudinit-<pid>-<random>.iso (stale images of
 * dead processes are removed first).  *iso_path is NULL when `files` is
 * empty.  Errors are vfkit's: the open error, or "cloud-init needs user-data
 * and meta-data files to work". */
int cloudinit_make_iso(const struct strv *files, char **iso_path, char **err);

/* Writes an ISO 9660 image holding `count` files in its root directory.
 * Names must be ISO level-2 identifiers without the ";1" (the function adds it). */
struct iso_file {
    const char *name;
    const unsigned char *data;
    size_t size;
};
int iso9660_write(const char *path, const char *volume_id, const struct iso_file *files, size_t count, char **err);

#endif
