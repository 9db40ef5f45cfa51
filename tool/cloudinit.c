/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cloudinit.c - see cloudinit.h.
 *
 * The image is the smallest valid ISO 9660: system area, primary volume
 * descriptor (sector 16), terminator (17), the two path tables (18, 19), the
 * root directory (20), then the files.  Names are written upper-case with the
 * ";1" version ("USER-DATA.;1"); Linux shows them as "user-data".
 */
#include "cloudinit.h"
#include "goconv.h"
#include "paths.h"
#include "portable.h"

#include "userfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SECTOR 2048

static void le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8), p[2] = (unsigned char)(v >> 16),
    p[3] = (unsigned char)(v >> 24);
}

static void be32(unsigned char *p, uint32_t v)
{
    p[3] = (unsigned char)v, p[2] = (unsigned char)(v >> 8), p[1] = (unsigned char)(v >> 16),
    p[0] = (unsigned char)(v >> 24);
}

static void both32(unsigned char *p, uint32_t v)
{
    le32(p, v);
    be32(p + 4, v);
}

static void both16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

static void padded(unsigned char *p, size_t width, const char *s)
{
    memset(p, ' ', width);
    size_t n = strlen(s);
    memcpy(p, s, n < width ? n : width);
}

/* A directory record; returns its length. */
static size_t dir_record(unsigned char *p, uint32_t extent, uint32_t size, bool dir, const unsigned char *id,
                         size_t id_len, const struct tm *t)
{
    size_t len = 33 + id_len + (id_len % 2 == 0 ? 1 : 0);
    memset(p, 0, len);
    p[0] = (unsigned char)len;
    both32(p + 2, extent);
    both32(p + 10, size);
    p[18] = (unsigned char)t->tm_year;
    p[19] = (unsigned char)(t->tm_mon + 1);
    p[20] = (unsigned char)t->tm_mday;
    p[21] = (unsigned char)t->tm_hour;
    p[22] = (unsigned char)t->tm_min;
    p[23] = (unsigned char)t->tm_sec;
    p[25] = dir ? 2 : 0;
    both16(p + 28, 1);
    p[32] = (unsigned char)id_len;
    memcpy(p + 33, id, id_len);
    return len;
}

static void long_date(unsigned char *p, const struct tm *t)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d00", t->tm_year + 1900, t->tm_mon + 1, t->tm_mday, t->tm_hour,
             t->tm_min, t->tm_sec);
    memcpy(p, buf, 16);
    p[16] = 0; /* UTC */
}

int iso9660_write(const char *path, const char *volume_id, const struct iso_file *files, size_t count, char **err)
{
    time_t now = time(NULL);
    struct tm t;
    gmtime_r(&now, &t);

    const uint32_t root = 20;
    uint32_t next = root + 1;
    uint32_t *extent = xcalloc(count, sizeof *extent);
    for (size_t i = 0; i < count; i++) {
        extent[i] = files[i].size ? next : 0;
        next += (uint32_t)((files[i].size + SECTOR - 1) / SECTOR);
    }
    size_t total = (size_t)next * SECTOR;
    unsigned char *img = xcalloc(total, 1);

    /* root directory */
    unsigned char *dir = img + (size_t)root * SECTOR;
    size_t off = 0;
    unsigned char self = 0, parent = 1;
    off += dir_record(dir + off, root, SECTOR, true, &self, 1, &t);
    off += dir_record(dir + off, root, SECTOR, true, &parent, 1, &t);
    for (size_t i = 0; i < count; i++) {
        char id[64];
        snprintf(id, sizeof id, "%s.;1", files[i].name);
        off += dir_record(dir + off, extent[i], (uint32_t)files[i].size, false, (const unsigned char *)id, strlen(id),
                          &t);
        if (files[i].size)
            memcpy(img + (size_t)extent[i] * SECTOR, files[i].data, files[i].size);
    }

    /* path tables: the root only */
    unsigned char *lpt = img + 18 * SECTOR, *mpt = img + 19 * SECTOR;
    lpt[0] = mpt[0] = 1;
    le32(lpt + 2, root);
    be32(mpt + 2, root);
    lpt[6] = 1, mpt[7] = 1;

    /* primary volume descriptor */
    unsigned char *pvd = img + 16 * SECTOR;
    pvd[0] = 1;
    memcpy(pvd + 1, "CD001", 5);
    pvd[6] = 1;
    padded(pvd + 8, 32, "LINUX");
    padded(pvd + 40, 32, volume_id);
    both32(pvd + 80, next);
    both16(pvd + 120, 1);
    both16(pvd + 124, 1);
    both16(pvd + 128, SECTOR);
    both32(pvd + 132, 10);
    le32(pvd + 140, 18);
    be32(pvd + 148, 19);
    dir_record(pvd + 156, root, SECTOR, true, &self, 1, &t);
    padded(pvd + 190, 128, "");
    padded(pvd + 318, 128, "");
    padded(pvd + 446, 128, "");
    padded(pvd + 574, 128, "CVZ");
    padded(pvd + 702, 37, "");
    padded(pvd + 739, 37, "");
    padded(pvd + 776, 37, "");
    long_date(pvd + 813, &t);
    long_date(pvd + 830, &t);
    memset(pvd + 847, '0', 16);
    memset(pvd + 864, '0', 16);
    pvd[881] = 1;

    /* terminator */
    unsigned char *term = img + 17 * SECTOR;
    term[0] = 255;
    memcpy(term + 1, "CD001", 5);
    term[6] = 1;

    int rc = 0;
    /* a new file: whatever is at that name (a link planted in $TMPDIR) is never written through */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        char *why = go_path_error("open", path, errno);
        rc = fail(err, "unable to create temporary cloud-init ISO file: %s", why);
        free(why);
    } else {
        size_t done = 0;
        while (done < total) {
            ssize_t n = write(fd, img + done, total - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                rc = fail(err, "failed to write cloud-init ISO image: %s", go_errno_text(errno));
                break;
            }
            done += (size_t)n;
        }
        if (close(fd) != 0 && rc == 0)
            rc = fail(err, "failed to write cloud-init ISO image: %s", go_errno_text(errno));
        if (rc != 0)
            unlink(path);
    }
    free(img);
    free(extent);
    return rc;
}

/* Removes images left by cvz processes that no longer exist. */
static void clean_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long pid;
        char rest[64];
        if (sscanf(e->d_name, "cvz-cloudinit-%ld-%63s", &pid, rest) != 2 || pid <= 0)
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        unlink(p);
        free(p);
    }
    closedir(d);
}

/* The ISO is built in memory: each file is bounded. */
#define MAX_CLOUD_INIT_FILE (64 * 1024 * 1024)

int cloudinit_make_iso(const struct strv *files, char **iso_path, char **err)
{
    static const char *const names[] = {"meta-data", "network-config", "user-data"}; /* ISO order */
    *iso_path = NULL;
    if (files->count == 0)
        return 0;
    unsigned char *data[3] = {NULL, NULL, NULL};
    size_t size[3] = {0, 0, 0};
    bool have_config = false;
    int rc = -1;
    for (size_t i = 0; i < files->count; i++) {
        const char *path = files->items[i];
        if (*path == '\0')
            continue;
        int fd = open_regular(path, err); /* a FIFO would block, a device never end */
        if (fd < 0)
            goto out;
        close(fd);
        char *base = path_base(path);
        int which = -1;
        for (int k = 0; k < 3; k++)
            if (strcmp(base, names[k]) == 0)
                which = k;
        free(base);
        if (which >= 0) {
            free(data[which]);
            data[which] = NULL;
            struct strbuf sb = {0};
            if (read_regular(path, MAX_CLOUD_INIT_FILE, &sb, err) != 0) {
                sb_free(&sb);
                goto out;
            }
            size[which] = sb.len;
            data[which] = (unsigned char *)sb_detach(&sb);
            if (which != 1)
                have_config = true;
        }
    }
    if (!have_config) {
        fail(err, "cloud-init needs user-data and meta-data files to work");
        goto out;
    }
    char *dir = xasprintf("%s/cvz-cloudinit", temp_dir());
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        char *why = go_path_error("mkdir", dir, errno);
        fail(err, "unable to create temporary cloud-init ISO file: %s", why);
        free(why);
        free(dir);
        goto out;
    }
    clean_stale(dir);
    uint32_t random = 0;
    if (random_bytes(&random, sizeof random) != 0)
        random = (uint32_t)time(NULL) ^ (uint32_t)getpid();
    char *path = xasprintf("%s/cvz-cloudinit-%ld-%08x.iso", dir, (long)getpid(), random);
    free(dir);
    struct iso_file iso[3];
    static const char *const iso_names[] = {"META-DATA", "NETWORK-CONFIG", "USER-DATA"};
    for (int k = 0; k < 3; k++)
        iso[k] = (struct iso_file){iso_names[k], data[k], size[k]};
    if (iso9660_write(path, "cidata", iso, 3, err) != 0) {
        free(path);
        goto out;
    }
    *iso_path = path;
    rc = 0;
out:
    for (int k = 0; k < 3; k++)
        free(data[k]);
    return rc;
}
