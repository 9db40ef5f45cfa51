/* SPDX-License-Identifier: Apache-2.0 */
/*
 * availability.h - is an API item usable on this host, and if not, why.
 */
#ifndef CVZ_AVAILABILITY_H
#define CVZ_AVAILABILITY_H

#include <stdbool.h>

#include "cvz-internal.h"

/*
 * Checks an item once (the answer is cached, thread-safely) and returns 0 or
 * the failure's status, setting *error to a one-line explanation.
 */
int cvz__item_check(struct cvz__item *item, cvz_error **error);
/* The check for a class itself: version, architecture, framework, presence.  0 or a status. */
int cvz__class_check(int class_index, cvz_error **error);
/* The runtime class of a class-table entry, resolved once; Nil when absent. */
Class cvz__class_resolve(int class_index);
/*
 * The checks that need no runtime: host version and architecture, then the
 * framework.  api_name names the item in the message.  0 or a status.
 */
int cvz__level_check(const char *api_name, int introduced, bool arm64_only, cvz_error **error);

#endif
