/* SPDX-License-Identifier: Apache-2.0 */
/*
 * progress.c - NSProgress, the one Foundation class the API hands out
 * (VZMacOSInstaller.progress), as the cvz_progress handle of <cvz/cvz.h>.
 *
 * NSProgress is thread-safe, so its handles are not routed onto a queue.
 */
#include <stdint.h>

#include "barrier.h"
#include "cvz-internal.h"
#include "error.h"
#include "handle.h"
#include "objc.h"

/* An object answering NSProgress's messages: the simulated framework's stand-in
 * (GNUstep's NSProgress is unusable there); on macOS it is always an NSProgress. */
static bool progress_like(id obj)
{
    static const char *const selectors[] = {"fractionCompleted", "completedUnitCount", "totalUnitCount",
                                            "isFinished", "cancel"};
    for (size_t i = 0; i < sizeof selectors / sizeof *selectors; i++)
        if (!class_respondsToSelector(object_getClass(obj), sel_registerName(selectors[i])))
            return false;
    return true;
}

/* The NSProgress behind a live handle: 0, or the status with the error set. */
static int unwrap_progress(const cvz_progress *progress, const char *function, cvz_error **error, id *out)
{
    const struct cvz__handle *h = (const struct cvz__handle *)progress;
    const char *problem = cvz__handle_problem(h);
    *out = nil;
    if (problem) {
        cvz_status status = h ? CVZ_E_WRONG_HANDLE : CVZ_E_INVALID_ARGUMENT;
        cvz__error_give(error, cvz__error_new(status, "%s: progress %s", function, problem));
        return status;
    }
    if (!cvz__is_kind_of(h->object, cvz__foundation_class("NSProgress")) && !progress_like(h->object)) {
        cvz__error_give(error, cvz__error_new(CVZ_E_WRONG_HANDLE, "%s: progress is a %s, not an NSProgress",
                                              function, cvz__class_name_of(h->object)));
        return CVZ_E_WRONG_HANDLE;
    }
    *out = h->object;
    return 0;
}

double cvz_progress_fraction_completed(const cvz_progress *progress, cvz_error **error)
{
    id p;
    return unwrap_progress(progress, __func__, error, &p) == 0 ? cvz__get_double(p, "fractionCompleted") : 0.0;
}

int64_t cvz_progress_completed_unit_count(const cvz_progress *progress, cvz_error **error)
{
    id p;
    return unwrap_progress(progress, __func__, error, &p) == 0 ? (int64_t)cvz__get_long(p, "completedUnitCount") : 0;
}

int64_t cvz_progress_total_unit_count(const cvz_progress *progress, cvz_error **error)
{
    id p;
    return unwrap_progress(progress, __func__, error, &p) == 0 ? (int64_t)cvz__get_long(p, "totalUnitCount") : 0;
}

bool cvz_progress_finished(const cvz_progress *progress, cvz_error **error)
{
    id p;
    return unwrap_progress(progress, __func__, error, &p) == 0 && cvz__get_bool(p, "isFinished");
}

static void send_cancel(void *opaque)
{
    id p = opaque;
    SEL cancel = sel_registerName("cancel");
    ((void (*)(id, SEL))cvz__imp(p, cancel))(p, cancel);
}

int cvz_progress_cancel(cvz_progress *progress, cvz_error **error)
{
    id p;
    int status = unwrap_progress(progress, __func__, error, &p);
    if (status != 0)
        return status;
    id exception = cvz__barrier(send_cancel, p);
    if (exception) {
        cvz__release(exception);
        cvz__error_give(error, cvz__error_new(CVZ_E_EXCEPTION, "%s: -[NSProgress cancel] raised", __func__));
        return CVZ_E_EXCEPTION;
    }
    return 0;
}
