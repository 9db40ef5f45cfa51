/*
 * test_build.c - every name in cvz's availability table (tool/build.c) is an
 * API libcvz knows, so a typo cannot silently reject a part: each answers
 * available, or unavailable for a reason other than an unknown name
 * (CVZ_E_INVALID_ARGUMENT).
 */
#include "build.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static void test_every_name_is_known(void **state)
{
    (void)state;
    size_t names = 0;
    for (const char *const *const *list = build_all_requirements(); *list; list++) {
        for (const char *const *name = *list; *name; name++) {
            cvz_error *why = NULL;
            bool available = cvz_api_available(*name, &why);
            bool unknown = !available && why && cvz_error_status(why) == CVZ_E_INVALID_ARGUMENT;
            if (unknown)
                print_message("%s: %s\n", *name, cvz_error_message(why));
            assert_false(unknown);
            names++;
            cvz_error_free(why);
        }
    }
    assert_true(names > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_name_is_known)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
