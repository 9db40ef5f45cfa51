/* SPDX-License-Identifier: Apache-2.0 */
/*
 * split.h - vfkit's two ways of splitting a value into a list, and its
 * key[=value] options.
 *
 *   --bootloader, --cloud-init  quote-aware: ',' inside "..." does not split;
 *                               an element that starts and ends with '"' loses
 *                               its quotes; an unbalanced quote is an error.
 *   --device, --timesync        plain split on every ','.
 */
#ifndef CVZ_TOOL_SPLIT_H
#define CVZ_TOOL_SPLIT_H

#include "util.h"

/* Appends the elements of `value` to `out`.  "" adds nothing; "a," adds "a"
 * and "".  Fails with `mismatched "`. */
int split_quoted(const char *value, struct strv *out, char **err);

/* Splits on every ',' (Go's strings.Split: "" gives one empty element). */
void split_plain(const char *value, struct strv *out);

/* One key[=value] option: split at the first '='.  has_value tells "k" from "k=". */
struct option {
    char *key;
    char *value; /* "" when absent */
    bool has_value;
};

struct options {
    struct option *items;
    size_t count;
};

/* vfkit's strvToOptions: every element from `first` on, empty ones skipped. */
void options_from_strv(const struct strv *v, size_t first, struct options *out);
void options_free(struct options *o);

/* Go's fmt "%s" of vfkit's []option: "[{k v} {k2 }]". */
char *options_go_string(const struct options *o);

#endif
