/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_resturi.c - libFuzzer target: --restful-uri (tool/resturi.c).
 *
 * The input, up to its first NUL, is the flag's value.  A URI that parses
 * must say where to listen: a tcp one a port of digits no greater than
 * 65535, a unix one a path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "resturi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = strndup((const char *)data, size);
    struct rest_uri uri;
    char *err = NULL;
    if (rest_uri_parse(text, &uri, &err) == 0) {
        if (err)
            abort();
        if (uri.scheme == REST_TCP &&
            (!uri.port || !*uri.port || strspn(uri.port, "0123456789") != strlen(uri.port) || atol(uri.port) > 65535))
            abort();
        if (uri.scheme == REST_UNIX && (!uri.path || !*uri.path))
            abort();
        rest_uri_free(&uri);
    } else if (!err) {
        abort();
    }
    free(err);
    free(text);
    return 0;
}
