/* SPDX-License-Identifier: Apache-2.0 */
/*
 * macos_version.c - see macos_version.h.
 *
 * kern.osproductversion is shimmed: it answers "10.16" to a process run with
 * SYSTEM_VERSION_COMPAT=1 or built with an SDK older than macOS 11, and
 * "16.x" on macOS 26 to a program built with an SDK older than 26.  Taken at
 * its word, every newer API would be refused as "OS too old".  The Darwin
 * kernel's release (kern.osrelease) is never shimmed: Darwin 20 is macOS 11,
 * up to 24 for macOS 15; then 25 is macOS 26 and each later Darwin major one
 * more.  The product version is used when its major agrees with the kernel's
 * (it alone has the exact minor and patch); otherwise the major comes from
 * the kernel and the minor from the shimmed answer when that keeps it (16.x),
 * else from the kernel's minor: Darwin 24.4 is macOS 15.4, while on macOS 11
 * to 13 the kernel's minor runs one ahead (Darwin 21.4 is macOS 12.3).  At
 * worst that errs low (Darwin 21.6 is 12.5 and 12.6), never claiming API the
 * host lacks.
 */
#include "macos_version.h"

#include <stdbool.h>
#include <stdio.h>

/* "M", "M.m" or "M.m.p" with nothing after; false otherwise. */
static bool parse(const char *text, int *major, int *minor)
{
    int patch;
    char extra;
    *minor = 0;
    if (!text)
        return false;
    int n = sscanf(text, "%d.%d.%d%c", major, minor, &patch, &extra);
    return n >= 1 && n <= 3 && *major >= 1 && *major <= 999 && *minor >= 0 && *minor <= 99;
}

/* The macOS major of a Darwin major; 0 before macOS 11 (Darwin 20). */
static int macos_major_of_darwin(int darwin)
{
    if (darwin < 20)
        return 0;
    return darwin <= 24 ? darwin - 9 : darwin + 1;
}

int cvz__macos_version(const char *osrelease, const char *osproductversion, char *text, size_t size)
{
    int darwin, darwin_minor, product, product_minor;
    bool have_product = parse(osproductversion, &product, &product_minor);
    int major = parse(osrelease, &darwin, &darwin_minor) ? macos_major_of_darwin(darwin) : 0;
    if (have_product && (major == 0 || product == major)) {
        /* Agreeing with the kernel, or before macOS 11 where no shim exists. */
        snprintf(text, size, "%s", osproductversion);
        return product * 100 + product_minor;
    }
    if (major == 0) {
        snprintf(text, size, "an unknown version");
        return 0;
    }
    int minor;
    if (have_product && product == major - 10)
        minor = product_minor; /* 16.x for 26.x */
    else if (major <= 13)
        minor = darwin_minor > 0 ? darwin_minor - 1 : 0;
    else
        minor = darwin_minor;
    snprintf(text, size, "%d.%d", major, minor);
    return major * 100 + minor;
}
