/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_build.c - every name in cvz's availability table (tool/build.c) and
 * in install-macos's requirements (tool/install.c) is an API libcvz knows, so a typo cannot silently reject a part: each answers
 * available, or unavailable for a reason other than an unknown name
 * (CVZ_E_INVALID_ARGUMENT).
 */
#include "build.h"
#include "install.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* Checks every name of a NULL-terminated list; returns how many. */
static size_t check_names(const char *const *names)
{
    size_t n = 0;
    for (const char *const *name = names; *name; name++, n++) {
        cvz_error *why = NULL;
        bool available = cvz_api_available(*name, &why);
        bool unknown = !available && why && cvz_error_status(why) == CVZ_E_INVALID_ARGUMENT;
        if (unknown)
            print_message("%s: %s\n", *name, cvz_error_message(why));
        assert_false(unknown);
        cvz_error_free(why);
    }
    return n;
}

static void test_every_name_is_known(void **state)
{
    (void)state;
    size_t names = 0;
    for (const char *const *const *list = build_all_requirements(); *list; list++)
        names += check_names(*list);
    assert_true(names > 100);
    assert_true(check_names(install_requirements()) >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_name_is_known)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
