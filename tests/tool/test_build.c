/*
 * test_build.c - every name in cvz's availability table (tool/build.c) is an
 * API libcvz knows, so a typo cannot silently reject a part: each answers
 * available, or unavailable for a reason other than an unknown name (CVZ_E_INVALID_ARGUMENT), except
 * the two members --nested needs, which libcvz's API description lacks
 * (listed here, so the test fails once they are added and the table can rely
 * on them).
 */
#include "build.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static const char *const missing_from_libcvz[] = {
    "VZGenericPlatformConfiguration.nestedVirtualizationSupported",
    "VZGenericPlatformConfiguration.nestedVirtualizationEnabled",
};

static bool expected_missing(const char *name)
{
    for (size_t i = 0; i < sizeof missing_from_libcvz / sizeof missing_from_libcvz[0]; i++)
        if (strcmp(name, missing_from_libcvz[i]) == 0)
            return true;
    return false;
}

static void test_every_name_is_known(void **state)
{
    (void)state;
    size_t names = 0, missing = 0;
    for (const char *const *const *list = build_all_requirements(); *list; list++) {
        for (const char *const *name = *list; *name; name++) {
            cvz_error *why = NULL;
            bool available = cvz_api_available(*name, &why);
            bool unknown = !available && why && cvz_error_status(why) == CVZ_E_INVALID_ARGUMENT;
            if (unknown != expected_missing(*name))
                print_message("%s: %s\n", *name, why ? cvz_error_message(why) : "available");
            assert_int_equal(unknown, expected_missing(*name));
            missing += unknown;
            names++;
            cvz_error_free(why);
        }
    }
    assert_true(names > 100);
    assert_true(missing > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_name_is_known)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
