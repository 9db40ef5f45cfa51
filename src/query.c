/* SPDX-License-Identifier: Apache-2.0 */
/*
 * query.c - the public availability queries: by Apple's API name (or a
 * wrapper's C name), with the same checks the wrappers make.
 *
 * A name is found in cvz__names, the hash table cvzgen lays out in
 * generated/cvz-api.c (FNV-1a, linear probing): O(1), nothing built at run
 * time.  The list of names (cvz_api_name) is the class table's and the item
 * table's; a property's getter and setter share one name, so it skips the
 * repeat.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "availability.h"
#include "cvz-internal.h"
#include "error.h"

static pthread_once_t names_once = PTHREAD_ONCE_INIT;
static const char **names; /* classes, then distinct item API names */
static size_t name_count;

static void build_names(void)
{
    names = calloc(cvz__class_count + cvz__item_count, sizeof *names);
    if (!names)
        return;
    for (size_t i = 0; i < cvz__class_count; i++)
        names[name_count++] = cvz__classes[i].name;
    for (size_t i = 0; i < cvz__item_count; i++)
        if (i == 0 || strcmp(cvz__items[i].api_name, cvz__items[i - 1].api_name) != 0)
            names[name_count++] = cvz__items[i].api_name;
}

size_t cvz_api_count(void)
{
    pthread_once(&names_once, build_names);
    return name_count;
}

const char *cvz_api_name(size_t index)
{
    pthread_once(&names_once, build_names);
    return index < name_count ? names[index] : NULL;
}

/* The table entry of a class or item name, or NULL. */
static const struct cvz__name *find(const char *name)
{
    uint32_t hash = 2166136261u; /* FNV-1a, as cvzgen (gen/name_table.c) computed it */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        hash = (hash ^ *p) * 16777619u;
    size_t mask = cvz__name_slot_count - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const struct cvz__name *n = &cvz__names[i];
        if (!n->name)
            return NULL;
        if (n->hash == hash && strcmp(n->name, name) == 0)
            return n;
    }
}

bool cvz_api_available(const char *name, cvz_error **why)
{
    if (!name) {
        cvz__error_give(why, cvz__error_new(CVZ_E_INVALID_ARGUMENT, "cvz_api_available: name is NULL"));
        return false;
    }
    const struct cvz__name *n = find(name);
    if (n && n->index < 0)
        return cvz__class_check(-1 - n->index, why) == 0;
    if (n)
        return cvz__item_check(&cvz__items[n->index], why) == 0;
    cvz__error_give(why, cvz__error_new(CVZ_E_INVALID_ARGUMENT,
                                        "cvz_api_available: '%s' is not an API this libcvz knows "
                                        "(expected e.g. \"VZVirtualMachine\", \"VZVirtualMachine.state\" or "
                                        "\"-[VZVirtualMachine startWithCompletionHandler:]\")",
                                        name));
    return false;
}

int cvz_api_introduced(const char *name)
{
    if (!name)
        return 0;
    const struct cvz__name *n = find(name);
    if (!n)
        return 0;
    return n->index < 0 ? cvz__classes[-1 - n->index].introduced : cvz__items[n->index].introduced;
}
