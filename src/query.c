/*
 * query.c - the public availability queries: by Apple's API name (or a
 * wrapper's C name), with the same checks the wrappers make.
 *
 * The names are the class table's and the item table's; a property's getter
 * and setter share one name, so the list of names skips the repeat.
 */
#include <pthread.h>
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

static int find_class(const char *name)
{
    for (size_t i = 0; i < cvz__class_count; i++)
        if (strcmp(cvz__classes[i].name, name) == 0)
            return (int)i;
    return -1;
}

static struct cvz__item *find_item(const char *name)
{
    for (size_t i = 0; i < cvz__item_count; i++)
        if (strcmp(cvz__items[i].api_name, name) == 0 || strcmp(cvz__items[i].c_function, name) == 0)
            return &cvz__items[i];
    return NULL;
}

bool cvz_api_available(const char *name, cvz_error **why)
{
    if (!name) {
        cvz__error_give(why, cvz__error_new(CVZ_E_INVALID_ARGUMENT, "cvz_api_available: name is NULL"));
        return false;
    }
    int cls = find_class(name);
    if (cls >= 0)
        return cvz__class_check(cls, why) == 0;
    struct cvz__item *item = find_item(name);
    if (item)
        return cvz__item_check(item, why) == 0;
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
    int cls = find_class(name);
    if (cls >= 0)
        return cvz__classes[cls].introduced;
    const struct cvz__item *item = find_item(name);
    return item ? item->introduced : 0;
}
