/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_macos_version.c - the host's macOS version under every compatibility
 * shim (src/macos_version.c), fed with the sysctl strings each one gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>

#include "macos_version.h"

static void check(const char *osrelease, const char *product, int want, const char *want_text)
{
    char text[64];
    int got = cvz__macos_version(osrelease, product, text, sizeof text);
    if (got != want) /* say which case failed */
        print_error("kern.osrelease \"%s\", kern.osproductversion \"%s\": got %d, want %d\n",
                    osrelease ? osrelease : "(none)", product ? product : "(none)", got, want);
    assert_int_equal(got, want);
    assert_string_equal(text, want_text);
}

/* No shim: the product version, which alone has the exact minor and patch. */
static void test_plain(void **state)
{
    (void)state;
    check("20.1.0", "11.0.1", 1100, "11.0.1");
    check("21.4.0", "12.3", 1203, "12.3");
    check("24.4.0", "15.4.1", 1504, "15.4.1");
    check("25.0.0", "26.0", 2600, "26.0");
    check("26.1.0", "27.1", 2701, "27.1");
    check("19.6.0", "10.15.7", 1015, "10.15.7"); /* before macOS 11 there is no shim */
}

/* SYSTEM_VERSION_COMPAT=1, or a program built with an SDK older than 11: "10.16". */
static void test_compat_10_16(void **state)
{
    (void)state;
    check("20.1.0", "10.16", 1100, "11.0");
    check("21.4.0", "10.16", 1203, "12.3"); /* macOS 11 to 13: the kernel's minor runs one ahead */
    check("22.1.0", "10.16", 1300, "13.0");
    check("23.0.0", "10.16", 1400, "14.0");
    check("24.4.0", "10.16", 1504, "15.4");
    check("25.0.0", "10.16", 2600, "26.0");
    check("26.2.0", "10.16", 2702, "27.2");
}

/* macOS 26 to a program built with an SDK older than 26: "16.x". */
static void test_compat_16(void **state)
{
    (void)state;
    check("25.0.0", "16.0", 2600, "26.0");
    check("25.1.0", "16.1", 2601, "26.1");
    check("26.0.0", "17.0", 2700, "27.0");
}

/* Unreadable or malformed answers: the other one, or unknown. */
static void test_missing(void **state)
{
    (void)state;
    check(NULL, "15.4", 1504, "15.4");
    check("24.4.0", NULL, 1504, "15.4");
    check("24.4.0", "garbage", 1504, "15.4");
    check("garbage", "14.2", 1402, "14.2");
    check(NULL, NULL, 0, "an unknown version");
    check("", "", 0, "an unknown version");
    check("19.6.0", NULL, 0, "an unknown version");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_compat_10_16),
        cmocka_unit_test(test_compat_16),
        cmocka_unit_test(test_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
