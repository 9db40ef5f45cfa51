/* SPDX-License-Identifier: Apache-2.0 */
/*
 * userfile.h - files the user names where cvz needs a regular file (kernel,
 * initrd, disk images, machine identifier, cloud-init, ignition, pid file,
 * serial log).  A FIFO would block an open() or a read() forever and a
 * device could be read without end: they are refused with a one-line
 * message before anything waits, and reads are bounded.
 */
#ifndef CVZ_TOOL_USERFILE_H
#define CVZ_TOOL_USERFILE_H

#include "util.h"

#include <stddef.h>
#include <sys/stat.h>

/* 0 when path is a regular file (or, with may_be_missing, absent); else -1
 * with *err: Go's stat error, or "PATH is a FIFO, not a regular file". */
int check_regular(const char *path, bool may_be_missing, char **err);

/* Opens path read-only, only when it is a regular file: checked with stat()
 * before (a device is never opened), and on the descriptor after; the open
 * does not wait on a FIFO put there meanwhile (O_NONBLOCK).
 * Returns the (blocking, close-on-exec) descriptor, or -1 with *err set. */
int open_regular(const char *path, char **err);

/* Appends the whole regular file to *sb; a file larger than `max` bytes is
 * refused ("PATH is larger than N bytes").  0, or -1 with *err set. */
int read_regular(const char *path, size_t max, struct strbuf *sb, char **err);

/* Whether the two stat results are the same file. */
bool same_file(const struct stat *a, const struct stat *b);

#endif
