/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_duration.c - libFuzzer target: --stop-timeout's durations
 * (parse_duration_ms in tool/flags.c, Go's time.ParseDuration).
 *
 * The input, up to its first NUL, is the flag's value.  A duration that
 * parses must not be negative beyond what Go can hold, and a message must
 * come with every refusal.  UBSan catches an overflow in the arithmetic.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flags.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = strndup((const char *)data, size);
    int64_t ms = 0;
    char *err = NULL;
    if (parse_duration_ms(text, &ms, &err) == 0) {
        /* Go's Duration is int64 nanoseconds: at most about 9223372036854 ms either way */
        if (err || ms > INT64_MAX / 1000000 + 1 || ms < INT64_MIN / 1000000 - 1)
            abort();
    } else if (!err) {
        abort();
    }
    free(err);
    free(text);
    return 0;
}
