/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/host.m - small facts about the simulated host shared by the device
 * layers: the simulated macOS version, port lists from the environment,
 * random numbers, and the files the framework creates for a client.
 */
#import "core/sim.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

int vzsim_host_level(void)
{
    /* The loader (libVirtualization.so) knows the version it was asked for;
     * the highest layer is only a lower bound (at 13.5 it is 13.0). */
    void *loader = dlopen("libVirtualization.so", RTLD_NOW | RTLD_NOLOAD);
    int major = 0, minor = 0, level = vzsim_api_level();

    if (loader != NULL) {
        int (*host_version)(int *, int *);
        *(void **)&host_version = dlsym(loader, "cvz_sim_host_version");
        if (host_version != NULL && host_version(&major, &minor) == 0)
            level = CVZ_SIM_LEVEL(major, minor);
        dlclose(loader);
    }
    return level;
}

size_t vzsim_env_ports(const char *name, uint32_t *ports, size_t max)
{
    const char *p = getenv(name);
    size_t count = 0;

    while (p != NULL && *p != '\0' && count < max) {
        char *end = NULL;
        unsigned long value;

        errno = 0;
        value = strtoul(p, &end, 10);
        if (errno != 0 || end == p || value > UINT32_MAX || (*end != ',' && *end != '\0')) {
            fprintf(stderr, "cvz-sim: ignoring an entry of %s='%s' (expected port numbers separated by commas)\n",
                    name, getenv(name));
            end = strchr(p, ',');
            if (end == NULL)
                break;
        } else {
            ports[count++] = (uint32_t)value;
        }
        p = *end == ',' ? end + 1 : end;
    }
    return count;
}

uint32_t vzsim_random_between(uint32_t low, uint32_t high)
{
    uint32_t r = 0;
    while (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
        ;
    return low + r % (high - low + 1);
}

BOOL vzsim_create_file(NSURL *url, NSData *contents, BOOL overwrite, NSString *failure, NSError **error)
{
    int fd = [url isFileURL] ? open([[url path] fileSystemRepresentation],
                                    O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL), 0600)
                             : -1;
    ssize_t written;
    int saved;

    if (fd < 0) {
        saved = [url isFileURL] ? errno : EINVAL;
        vzsim_set_error(error, vzsim_error_in(NSPOSIXErrorDomain, saved, failure,
                                              [NSString stringWithFormat:@"Creating %@ failed: %s.",
                                                                         [url absoluteString], strerror(saved)]));
        return NO;
    }
    written = write(fd, [contents bytes], [contents length]);
    saved = written < 0 ? errno : ENOSPC;
    close(fd);
    if (written != (ssize_t)[contents length]) {
        vzsim_set_error(error, vzsim_error_in(NSPOSIXErrorDomain, saved, failure,
                                              [NSString stringWithFormat:@"Writing %@ failed.", [url path]]));
        return NO;
    }
    return YES;
}
