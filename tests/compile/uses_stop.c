/* SPDX-License-Identifier: Apache-2.0 */
/* Uses an API introduced in macOS 12.0 (the forced stop). */
#include <cvz/cvz.h>

int main(void)
{
    return cvz_virtual_machine_stop(NULL, NULL, NULL, NULL);
}
