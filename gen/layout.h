/* SPDX-License-Identifier: Apache-2.0 */
/*
 * layout.h - line breaks of the generated headers (100 columns): wrapped doc
 * text and broken prototypes.  See layout.c.
 */
#ifndef CVZGEN_LAYOUT_H
#define CVZGEN_LAYOUT_H

#include <stddef.h>

#include "util.h"

/* `text` in lines of at most `width` columns (a longer word stays whole); returns the count, caller frees. */
size_t layout_wrap(const char *text, size_t width, char ***lines_out);
/*
 * The breaks of a prototype `HEAD(P1, P2…);` whose HEAD is head_len columns
 * and whose parameter i is lens[i] columns: returns what follows "(" ("" or a
 * newline and indent) and sets seps[i], what follows the comma after
 * parameter i (count - 1 of them).  The texts are constants.
 */
const char *layout_params(size_t head_len, const size_t *lens, size_t count, const char **seps);

#endif
