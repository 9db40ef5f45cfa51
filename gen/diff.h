/* SPDX-License-Identifier: Apache-2.0 */
/*
 * diff.h - what changed between two API descriptions, grouped by macOS
 * version: the report a maintainer reads when Apple ships a new SDK.
 */
#ifndef CVZGEN_DIFF_H
#define CVZGEN_DIFF_H

#include "model.h"
#include "util.h"

/* Appends the report comparing `before` with `after` to out. */
void diff_apis(const struct api *before, const struct api *after, struct strbuf *out);

#endif
