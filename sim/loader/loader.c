/* SPDX-License-Identifier: Apache-2.0 */
/*
 * loader/loader.c - libVirtualization.so, the entry point of the simulated
 * Virtualization.framework.
 *
 * A client dlopen()s this library as it would load the real framework.  Its
 * constructor decides which API to present and loads, from the directory this
 * library lives in, the layer libraries that make it up:
 *
 *   libVirtualization-<X.Y>.so        every layer with X.Y <= the simulated
 *                                     version, in ascending order;
 *   libVirtualization-<X.Y>-arm64.so  the same, only when the simulated
 *                                     architecture is arm64 (loaded after the
 *                                     generic layer of the same version).
 *
 * Each layer adds the classes (and, as categories, the members) that macOS
 * X.Y introduced, so anything newer than the simulated version is absent from
 * the Objective-C runtime.  Layers are loaded RTLD_NOW | RTLD_GLOBAL, so data
 * symbols such as VZErrorDomain are found with dlsym(RTLD_DEFAULT, ...).
 *
 * Environment (read once, when this library is loaded):
 *   CVZ_SIM_MACOS_VERSION  MAJOR.MINOR, default 27.0.  Below 11.0 nothing is
 *                          loaded (the framework did not exist).
 *   CVZ_SIM_ARCH           arm64 (default) or x86_64.
 * An unparsable value prints one line on stderr and loads nothing.
 *
 * Sim-only API (not in Apple's framework), for a client that wants to know
 * which host is simulated (e.g. instead of asking the OS for its version):
 *   int cvz_sim_host_version(int *major, int *minor);   0, or -1 if invalid
 *   const char *cvz_sim_host_arch(void);               "arm64", "x86_64" or NULL
 *
 * Plain C on purpose.  It is linked against GNUstep Base (and so libobjc),
 * without using it, so that Foundation is present at every simulated
 * version, even below 11.0, as it is on any macOS.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CVZ_SIM_DEFAULT_VERSION "27.0"
#define CVZ_SIM_DEFAULT_ARCH "arm64"
#define CVZ_SIM_MAX_LAYERS 128

static int cvz_sim_valid;
static int cvz_sim_major, cvz_sim_minor;
static const char *cvz_sim_arch_name;

int cvz_sim_host_version(int *major, int *minor)
{
    if (!cvz_sim_valid)
        return -1;
    if (major != NULL)
        *major = cvz_sim_major;
    if (minor != NULL)
        *minor = cvz_sim_minor;
    return 0;
}

const char *cvz_sim_host_arch(void)
{
    return cvz_sim_valid ? cvz_sim_arch_name : NULL;
}

struct cvz_sim_layer {
    int major, minor;
    int arm64; /* 1 for a -arm64 layer */
    char name[NAME_MAX + 1];
};

/* Strict "MAJOR.MINOR": digits, one dot, digits; no sign, no spaces. */
static int cvz_sim_parse_version(const char *text, int *major, int *minor)
{
    const char *p = text;
    long value[2];
    int part;

    for (part = 0; part < 2; part++) {
        long v = 0;
        const char *start = p;
        while (*p >= '0' && *p <= '9') {
            v = v * 10 + (*p - '0');
            if (v > 9999)
                return -1;
            p++;
        }
        if (p == start)
            return -1;
        value[part] = v;
        if (part == 0) {
            if (*p != '.')
                return -1;
            p++;
        }
    }
    if (*p != '\0')
        return -1;
    *major = (int)value[0];
    *minor = (int)value[1];
    return 0;
}

/* "libVirtualization-12.0.so" or "libVirtualization-12.0-arm64.so". */
static int cvz_sim_parse_layer(const char *name, struct cvz_sim_layer *layer)
{
    static const char prefix[] = "libVirtualization-";
    char version[32];
    const char *p, *end;
    size_t len;

    if (strncmp(name, prefix, sizeof prefix - 1) != 0)
        return -1;
    p = name + sizeof prefix - 1;
    len = strlen(p);
    layer->arm64 = 0;
    if (len > strlen("-arm64.so") && strcmp(p + len - strlen("-arm64.so"), "-arm64.so") == 0) {
        end = p + len - strlen("-arm64.so");
        layer->arm64 = 1;
    } else if (len > strlen(".so") && strcmp(p + len - strlen(".so"), ".so") == 0) {
        end = p + len - strlen(".so");
    } else {
        return -1;
    }
    if ((size_t)(end - p) >= sizeof version)
        return -1;
    memcpy(version, p, (size_t)(end - p));
    version[end - p] = '\0';
    if (cvz_sim_parse_version(version, &layer->major, &layer->minor) != 0)
        return -1;
    if (strlen(name) >= sizeof layer->name)
        return -1;
    strcpy(layer->name, name);
    return 0;
}

static int cvz_sim_layer_cmp(const void *a, const void *b)
{
    const struct cvz_sim_layer *x = a, *y = b;
    if (x->major != y->major)
        return x->major < y->major ? -1 : 1;
    if (x->minor != y->minor)
        return x->minor < y->minor ? -1 : 1;
    return x->arm64 - y->arm64;
}

/* Directory of this library, from dladdr. */
static int cvz_sim_own_dir(char *dir, size_t size)
{
    Dl_info info;
    const char *slash;
    size_t len;

    if (dladdr((void *)&cvz_sim_own_dir, &info) == 0 || info.dli_fname == NULL)
        return -1;
    slash = strrchr(info.dli_fname, '/');
    if (slash == NULL) {
        if (size < 2)
            return -1;
        strcpy(dir, ".");
        return 0;
    }
    len = (size_t)(slash - info.dli_fname);
    if (len == 0)
        len = 1; /* "/" */
    if (len >= size)
        return -1;
    memcpy(dir, info.dli_fname, len);
    dir[len] = '\0';
    return 0;
}

/*
 * The skeleton (generated from the API description) then makes every other
 * class and selector of the simulated version exist, answering zeros.
 */
static void cvz_sim_load_skeleton(const char *dir, int level, int arm64)
{
    char path[PATH_MAX];
    void *skeleton;
    void (*register_skeleton)(int, int);

    if ((size_t)snprintf(path, sizeof path, "%s/libVirtualization-skeleton.so", dir) >= sizeof path)
        return;
    skeleton = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (skeleton == NULL) {
        fprintf(stderr, "cvz-sim: cannot load %s: %s\n", path, dlerror());
        return;
    }
    *(void **)&register_skeleton = dlsym(skeleton, "vzsim_skeleton_register");
    if (register_skeleton != NULL)
        register_skeleton(level, arm64);
}

__attribute__((constructor)) static void cvz_sim_loader(void)
{
    const char *version = getenv("CVZ_SIM_MACOS_VERSION");
    const char *arch = getenv("CVZ_SIM_ARCH");
    struct cvz_sim_layer layers[CVZ_SIM_MAX_LAYERS];
    size_t count = 0, i;
    char dir[PATH_MAX];
    int major, minor, arm64;
    DIR *d;
    struct dirent *entry;

    if (version == NULL || *version == '\0')
        version = CVZ_SIM_DEFAULT_VERSION;
    if (arch == NULL || *arch == '\0')
        arch = CVZ_SIM_DEFAULT_ARCH;
    if (cvz_sim_parse_version(version, &major, &minor) != 0) {
        fprintf(stderr, "cvz-sim: invalid CVZ_SIM_MACOS_VERSION '%s' (expected MAJOR.MINOR, e.g. 12.0); "
                        "no Virtualization API loaded\n", version);
        return;
    }
    if (strcmp(arch, "arm64") == 0) {
        arm64 = 1;
    } else if (strcmp(arch, "x86_64") == 0) {
        arm64 = 0;
    } else {
        fprintf(stderr, "cvz-sim: invalid CVZ_SIM_ARCH '%s' (expected arm64 or x86_64); "
                        "no Virtualization API loaded\n", arch);
        return;
    }
    cvz_sim_major = major;
    cvz_sim_minor = minor;
    cvz_sim_arch_name = arm64 ? "arm64" : "x86_64";
    cvz_sim_valid = 1;
    if (major < 11)
        return; /* Virtualization.framework appeared in macOS 11.0 */

    if (cvz_sim_own_dir(dir, sizeof dir) != 0) {
        fprintf(stderr, "cvz-sim: cannot find the directory of libVirtualization.so; "
                        "no Virtualization API loaded\n");
        return;
    }
    d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "cvz-sim: cannot list %s; no Virtualization API loaded\n", dir);
        return;
    }
    while ((entry = readdir(d)) != NULL && count < CVZ_SIM_MAX_LAYERS) {
        struct cvz_sim_layer layer;
        if (cvz_sim_parse_layer(entry->d_name, &layer) != 0)
            continue;
        if (layer.major > major || (layer.major == major && layer.minor > minor))
            continue;
        if (layer.arm64 && !arm64)
            continue;
        layers[count++] = layer;
    }
    closedir(d);
    qsort(layers, count, sizeof layers[0], cvz_sim_layer_cmp);

    for (i = 0; i < count; i++) {
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, layers[i].name) >= sizeof path) {
            fprintf(stderr, "cvz-sim: path too long for layer %s\n", layers[i].name);
            return;
        }
        if (dlopen(path, RTLD_NOW | RTLD_GLOBAL) == NULL) {
            /* Later layers depend on earlier ones: stop here. */
            fprintf(stderr, "cvz-sim: cannot load %s: %s\n", path, dlerror());
            return;
        }
    }
    cvz_sim_load_skeleton(dir, major * 100 + minor, arm64);
}
