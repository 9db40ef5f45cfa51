/* SPDX-License-Identifier: Apache-2.0 */
/*
 * availability-report.c - prints, for every class and member libcvz knows,
 * whether it can be used on this host and, if not, why.
 *
 * usage: availability-report [NAME...]   (no NAME: everything)
 *
 * Each line says one of:
 *   yes      usable here (with the macOS version that introduced it)
 *   skipped  not wrapped by cvz on purpose (the reason, from api/overrides.xml):
 *            whether this host has it does not matter to a cvz program
 *   n/a      not for this host: it needs a newer macOS, or the other architecture
 *   MISSING  this host's macOS and architecture should have it, but the
 *            framework loaded lacks it (or none could be loaded)
 * Exit status: 0 on a complete host (nothing MISSING), 1 otherwise.
 */
#include <cvz/cvz.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name, *reason;
} not_wrapped[] = {CVZ_API_NOT_WRAPPED};

static const char *skip_reason(const char *name)
{
    for (size_t i = 0; i < sizeof not_wrapped / sizeof not_wrapped[0]; i++)
        if (strcmp(not_wrapped[i].name, name) == 0)
            return not_wrapped[i].reason;
    return NULL;
}

struct counts {
    int usable, not_here, skipped, missing;
};

/* Prints the line for `name` and counts it. */
static void report(const char *name, struct counts *n)
{
    cvz_error *why = NULL;
    int introduced = cvz_api_introduced(name);
    const char *reason = skip_reason(name);
    if (reason) {
        printf("  skipped  %-70s on purpose: %s\n", name, reason);
        n->skipped++;
    } else if (cvz_api_available(name, &why)) {
        printf("  yes      %-70s macOS %d.%d\n", name, introduced / 100, introduced % 100);
        n->usable++;
    } else {
        cvz_status status = cvz_error_status(why);
        bool expected = status == CVZ_E_OS_TOO_OLD || status == CVZ_E_WRONG_ARCH;
        printf("  %-8s %-70s %s: %s\n", expected ? "n/a" : "MISSING", name, cvz_status_name(status),
               cvz_error_message(why));
        if (expected)
            n->not_here++;
        else
            n->missing++;
        cvz_error_free(why);
    }
}

int main(int argc, char **argv)
{
    int host = cvz_host_macos_version();
    printf("libcvz %s on macOS %d.%d (%s)\n", cvz_version(), host / 100, host % 100, cvz_host_arch());
    struct counts n = {0, 0, 0, 0};
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            report(argv[i], &n);
    } else {
        for (size_t i = 0; i < cvz_api_count(); i++)
            report(cvz_api_name(i), &n);
        printf("%zu APIs: %d usable, %d not for this host (a later macOS or the other architecture), "
               "%d skipped on purpose, %d missing\n",
               cvz_api_count(), n.usable, n.not_here, n.skipped, n.missing);
    }
    return n.missing ? 1 : 0;
}
