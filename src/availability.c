/* SPDX-License-Identifier: Apache-2.0 */
/*
 * availability.c - the run-time availability check every wrapper makes, in
 * order: host macOS version, architecture, framework loaded, class present,
 * selector present.  The verdict is cached per item; a failure is re-explained
 * (cheaply) each time it is reported.
 */
#include "availability.h"

#include <stdio.h>

#include "error.h"
#include "host.h"

static void version_text(int v, char *buf, size_t size)
{
    snprintf(buf, size, "%d.%d", v / 100, v % 100);
}

int cvz__level_check(const char *api_name, int introduced, bool arm64_only, cvz_error **error)
{
    if (cvz__host_version() < introduced) {
        char need[16]; /* formatted on failure only: the queries take this path on every call */
        version_text(introduced, need, sizeof need);
        cvz__error_give(error, cvz__error_new(CVZ_E_OS_TOO_OLD, "%s requires macOS %s; this host runs %s", api_name,
                                              need, cvz__host_version_text()));
        return CVZ_E_OS_TOO_OLD;
    }
    if (arm64_only && !cvz__host_is_arm64()) {
        cvz__error_give(error, cvz__error_new(CVZ_E_WRONG_ARCH, "%s is available on arm64 only; this host is x86_64",
                                              api_name));
        return CVZ_E_WRONG_ARCH;
    }
    const char *why = cvz__framework_load_error();
    if (why) {
        cvz__error_give(error, cvz__error_new(CVZ_E_NO_FRAMEWORK, "%s: %s", api_name, why));
        return CVZ_E_NO_FRAMEWORK;
    }
    return 0;
}

static int not_built_in(const char *api_name, int introduced, cvz_error **error)
{
    cvz__error_give(error, cvz__error_new(CVZ_E_NOT_BUILT_IN,
                                          "%s (macOS %d.%d) is newer than the API cut-off this libcvz was built with",
                                          api_name, introduced / 100, introduced % 100));
    return CVZ_E_NOT_BUILT_IN;
}

int cvz__class_check(int class_index, cvz_error **error)
{
    const struct cvz__class *c = &cvz__classes[class_index];
    if (!c->built_in)
        return not_built_in(c->name, c->introduced, error);
    int rc = cvz__level_check(c->name, c->introduced, c->arm64_only, error);
    if (rc)
        return rc;
    if (cvz__class_resolve(class_index))
        return 0;
    cvz__error_give(error, cvz__error_new(CVZ_E_MISSING,
                                          "%s is missing from the Virtualization.framework loaded from %s, although "
                                          "this host runs macOS %s",
                                          c->name, cvz__framework_path(), cvz__host_version_text()));
    return CVZ_E_MISSING;
}

Class cvz__class_resolve(int class_index)
{
    struct cvz__class *c = &cvz__classes[class_index];
    Class cls = atomic_load_explicit(&c->resolved, memory_order_acquire);
    if (!cls && !cvz__framework_load_error()) {
        cls = objc_getClass(c->name);
        if (cls)
            atomic_store_explicit(&c->resolved, cls, memory_order_release);
    }
    return cls;
}

/* The uncached check: returns 1 or a negative status, filling item->sel. */
static int resolve(struct cvz__item *item)
{
    if (item->kind == CVZ__PROTOCOL_METHOD) {
        /* No class to look in: the receiver is checked to answer the selector at call time. */
        int rc = cvz__level_check(item->api_name, item->introduced, item->arm64_only, NULL);
        if (rc)
            return rc;
        item->sel = sel_registerName(item->selector);
        return 1;
    }
    const struct cvz__class *c = &cvz__classes[item->class_index];
    int introduced = item->introduced > c->introduced ? item->introduced : c->introduced;
    int rc = cvz__level_check(item->api_name, introduced, item->arm64_only || c->arm64_only, NULL);
    if (rc)
        return rc;
    Class cls = cvz__class_resolve(item->class_index);
    if (!cls)
        return CVZ_E_MISSING;
    SEL sel = sel_registerName(item->selector);
    Method m = item->kind == CVZ__CLASS_METHOD ? class_getClassMethod(cls, sel) : class_getInstanceMethod(cls, sel);
    if (!m)
        return CVZ_E_MISSING;
    item->sel = sel;
    return 1;
}

int cvz__item_check(struct cvz__item *item, cvz_error **error)
{
    if (!item->built_in) /* not cached: fixed at build time, and one branch */
        return not_built_in(item->api_name, item->introduced, error);
    int state = atomic_load_explicit(&item->state, memory_order_acquire);
    if (state == 0) {
        /* Racing threads compute the same answer; the release store publishes item->sel. */
        state = resolve(item);
        atomic_store_explicit(&item->state, state, memory_order_release);
    }
    if (state == 1)
        return 0;
    if (!error)
        return state;
    if (state == CVZ_E_MISSING) {
        const struct cvz__class *c = &cvz__classes[item->class_index];
        if (!cvz__class_resolve(item->class_index))
            cvz__error_give(error, cvz__error_new(CVZ_E_MISSING,
                                                  "%s: class %s is missing from the Virtualization.framework loaded "
                                                  "from %s, although this host runs macOS %s",
                                                  item->api_name, c->name, cvz__framework_path(),
                                                  cvz__host_version_text()));
        else
            cvz__error_give(error, cvz__error_new(CVZ_E_MISSING,
                                                  "%s is missing from the Virtualization.framework loaded from %s, "
                                                  "although this host runs macOS %s",
                                                  item->api_name, cvz__framework_path(), cvz__host_version_text()));
        return state;
    }
    if (item->kind == CVZ__PROTOCOL_METHOD)
        return cvz__level_check(item->api_name, item->introduced, item->arm64_only, error);
    const struct cvz__class *c = &cvz__classes[item->class_index];
    int introduced = item->introduced > c->introduced ? item->introduced : c->introduced;
    return cvz__level_check(item->api_name, introduced, item->arm64_only || c->arm64_only, error);
}
