/* SPDX-License-Identifier: Apache-2.0 */
/* A program built against an installed libcvz with `pkg-config --cflags --libs cvz` alone. */
#include <cvz/cvz.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
    const char *mismatch = cvz_check_version(CVZ_VERSION_MAJOR, CVZ_VERSION_MINOR, CVZ_VERSION_MICRO);
    if (mismatch) {
        fprintf(stderr, "consumer: %s\n", mismatch);
        return 1;
    }
    cvz_error *error = NULL;
    if (!cvz_api_available(CVZ_CLASS_VIRTUAL_MACHINE, &error)) {
        fprintf(stderr, "consumer: %s\n", cvz_error_message(error));
        return 1;
    }
    cvz_virtual_machine_configuration *config = cvz_virtual_machine_configuration_new(&error);
    if (!config || cvz_virtual_machine_configuration_set_cpu_count(config, 2, &error) != 0)
        return 1;
    int rc = cvz_virtual_machine_configuration_validate(config, &error);
    cvz_release(config);
    /* No boot loader: validation must fail, and say so. */
    if (rc != CVZ_E_FRAMEWORK || !strstr(cvz_error_failure_reason(error), "boot loader")) {
        fprintf(stderr, "consumer: unexpected validation result %d: %s\n", rc, cvz_error_message(error));
        return 1;
    }
    printf("consumer: libcvz %s works (%s)\n", cvz_version(), cvz_error_message(error));
    cvz_error_free(error);
    return 0;
}
