/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nserror.c - an NSError the framework returned, as a cvz_error: the message
 * names the API, and the domain, code, description and failure reason are
 * kept for cvz_error_ns_domain() and the other accessors.
 */
#include "cvz-internal.h"
#include "error.h"
#include "objc.h"

cvz_error *cvz__error_from_nserror(id nserror, const char *api_name)
{
    const char *domain = cvz__utf8(cvz__get_object(nserror, "domain"));
    long code = cvz__get_long(nserror, "code");
    const char *description = cvz__utf8(cvz__get_object(nserror, "localizedDescription"));
    const char *reason = cvz__utf8(cvz__get_object(nserror, "localizedFailureReason"));
    cvz_error *e = cvz__error_new(CVZ_E_FRAMEWORK, "%s failed: %s (%s error %ld)", api_name,
                                  description ? description : "no description", domain ? domain : "unknown domain",
                                  code);
    cvz__error_set_text(e, &e->ns_domain, domain);
    cvz__error_set_text(e, &e->description, description);
    cvz__error_set_text(e, &e->failure_reason, reason);
    if (e->status == CVZ_E_FRAMEWORK)
        e->ns_code = code;
    return e;
}
