/* SPDX-License-Identifier: Apache-2.0 */
/*
 * host.c - the host's macOS version and architecture, and loading
 * Virtualization.framework at run time.
 *
 * The framework is loaded with dlopen rather than linked, so a program built
 * against libcvz starts (and can ask what is available) even where the
 * framework is missing: on a macOS older than 11, or on Linux where the
 * simulated framework stands in for it.
 */
#define _GNU_SOURCE
#include "host.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cvz/cvz.h"
#include "macos_version.h"

#if defined(__APPLE__)
#include <sys/sysctl.h>
#define DEFAULT_FRAMEWORK_PATH "/System/Library/Frameworks/Virtualization.framework/Virtualization"
#else
#ifndef CVZ_DEFAULT_FRAMEWORK_PATH
#define CVZ_DEFAULT_FRAMEWORK_PATH "/usr/local/lib/cvz/sim/libVirtualization.so"
#endif
#define DEFAULT_FRAMEWORK_PATH CVZ_DEFAULT_FRAMEWORK_PATH
#endif

static pthread_once_t host_once = PTHREAD_ONCE_INIT;
static int host_version;
static char host_version_text[128];
static bool host_arm64;

#if defined(__APPLE__)
/* A sysctl string, or NULL when it cannot be read. */
static const char *sysctl_text(const char *name, char *buf, size_t size)
{
    size_t len = size;
    if (sysctlbyname(name, buf, &len, NULL, 0) != 0 || len == 0 || len > size || buf[len - 1] != '\0')
        return NULL;
    return buf;
}

static void read_host(void)
{
    char release[64], product[64];
    /* The kernel's release tells the truth under every compatibility shim (macos_version.c). */
    host_version = cvz__macos_version(sysctl_text("kern.osrelease", release, sizeof release),
                                      sysctl_text("kern.osproductversion", product, sizeof product),
                                      host_version_text, sizeof host_version_text);
#if defined(__arm64__) || defined(__aarch64__)
    host_arm64 = true;
#endif
}
#else
static int parse_version(const char *text)
{
    int major, minor = 0, micro = 0;
    char extra;
    int n = sscanf(text, "%d.%d.%d%c", &major, &minor, &micro, &extra);
    if (n < 1 || n > 3 || major < 1 || major > 99 || minor < 0 || minor > 99)
        return 0;
    return major * 100 + minor;
}

static void read_host(void)
{
    /* The simulated host: the same variables the simulated framework reads. */
    const char *v = getenv("CVZ_SIM_MACOS_VERSION");
    if (!v || !*v)
        v = "27.0";
    host_version = parse_version(v);
    if (host_version)
        snprintf(host_version_text, sizeof host_version_text, "%d.%d", host_version / 100, host_version % 100);
    else
        snprintf(host_version_text, sizeof host_version_text, "an unknown version (CVZ_SIM_MACOS_VERSION=\"%.60s\")", v);
    const char *arch = getenv("CVZ_SIM_ARCH");
    host_arm64 = !arch || !*arch || strcmp(arch, "arm64") == 0;
}
#endif

int cvz__host_version(void)
{
    pthread_once(&host_once, read_host);
    return host_version;
}

const char *cvz__host_version_text(void)
{
    pthread_once(&host_once, read_host);
    return host_version_text;
}

bool cvz__host_is_arm64(void)
{
    pthread_once(&host_once, read_host);
    return host_arm64;
}

int cvz_host_macos_version(void)
{
    return cvz__host_version();
}

const char *cvz_host_arch(void)
{
    return cvz__host_is_arm64() ? "arm64" : "x86_64";
}

static pthread_once_t framework_once = PTHREAD_ONCE_INIT;
static char framework_error[512];
static bool framework_failed;
static const char *framework_path;

#if !defined(__APPLE__)
/* <folder of libcvz>/cvz/sim/libVirtualization.so: where `make install` puts the simulator. */
static char installed_path[1024];

static const char *installed_simulator(void)
{
    Dl_info info;
    if (!dladdr((void *)cvz__framework_path, &info) || !info.dli_fname)
        return NULL;
    const char *slash = strrchr(info.dli_fname, '/');
    if (!slash)
        return NULL;
    snprintf(installed_path, sizeof installed_path, "%.*s/cvz/sim/libVirtualization.so",
             (int)(slash - info.dli_fname), info.dli_fname);
    return access(installed_path, F_OK) == 0 ? installed_path : NULL;
}
#endif

/*
 * Where the framework comes from: $CVZ_FRAMEWORK_PATH; else on Apple the
 * system framework; else the simulator installed next to libcvz, or the one
 * in the build tree the library was built in.
 */
static const char *choose_framework_path(void)
{
    const char *path = getenv("CVZ_FRAMEWORK_PATH");
    if (path && *path)
        return path;
#if !defined(__APPLE__)
    const char *installed = installed_simulator();
    if (installed)
        return installed;
#endif
    return DEFAULT_FRAMEWORK_PATH;
}

static void load_framework(void)
{
    framework_path = choose_framework_path();
    /* Kept loaded for the life of the process: classes can't be unloaded. */
    if (!dlopen(framework_path, RTLD_NOW | RTLD_GLOBAL)) {
        const char *why = dlerror();
        snprintf(framework_error, sizeof framework_error, "Virtualization.framework could not be loaded from %s: %s",
                 framework_path, why ? why : "unknown error");
        framework_failed = true;
    }
}

const char *cvz__framework_load_error(void)
{
    pthread_once(&framework_once, load_framework);
    return framework_failed ? framework_error : NULL;
}

const char *cvz__framework_path(void)
{
    pthread_once(&framework_once, load_framework);
    return framework_path;
}
