/* SPDX-License-Identifier: Apache-2.0 */
/* Uses macOS 11.0 API only. */
#include <cvz/cvz.h>

int main(void)
{
    cvz_virtual_machine_configuration *config = cvz_virtual_machine_configuration_new(NULL);
    cvz_release(config);
    return CVZ_CHECK_VERSION(0, 1, 0) ? 0 : 1;
}
