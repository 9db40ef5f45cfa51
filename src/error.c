/* SPDX-License-Identifier: Apache-2.0 */
/*
 * error.c - cvz_error: a status, a one-line message and the NSError or
 * exception details behind it.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

/* Used when even the error can't be allocated: a static error freeing nothing. */
static cvz_error out_of_memory = {CVZ_E_NO_MEMORY, (char *)"out of memory", (char *)"", 0, (char *)"", (char *)"",
                                  (char *)"", (char *)""};

cvz_error *cvz__error_vnew(cvz_status status, const char *fmt, va_list ap)
{
    cvz_error *e = calloc(1, sizeof *e);
    char *message = NULL;
    if (!e || vasprintf(&message, fmt, ap) < 0) {
        free(e);
        return &out_of_memory;
    }
    e->status = status;
    e->message = message;
    e->ns_domain = dup_or_empty(NULL);
    e->description = dup_or_empty(NULL);
    e->failure_reason = dup_or_empty(NULL);
    e->exception_name = dup_or_empty(NULL);
    e->exception_reason = dup_or_empty(NULL);
    if (!e->ns_domain || !e->description || !e->failure_reason || !e->exception_name || !e->exception_reason) {
        cvz_error_free(e);
        return &out_of_memory;
    }
    return e;
}

cvz_error *cvz__error_new(cvz_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cvz_error *e = cvz__error_vnew(status, fmt, ap);
    va_end(ap);
    return e;
}

void cvz__error_set_text(cvz_error *e, char **field, const char *value)
{
    if (e == &out_of_memory)
        return;
    char *copy = dup_or_empty(value);
    if (copy) {
        free(*field);
        *field = copy;
    }
}

void cvz__error_give(cvz_error **dst, cvz_error *e)
{
    if (dst && !*dst)
        *dst = e;
    else
        cvz_error_free(e);
}

cvz_error *cvz__error_copy(const cvz_error *src)
{
    if (!src)
        return NULL;
    cvz_error *e = cvz__error_new(src->status, "%s", src->message);
    cvz__error_set_text(e, &e->ns_domain, src->ns_domain);
    cvz__error_set_text(e, &e->description, src->description);
    cvz__error_set_text(e, &e->failure_reason, src->failure_reason);
    cvz__error_set_text(e, &e->exception_name, src->exception_name);
    cvz__error_set_text(e, &e->exception_reason, src->exception_reason);
    if (e != &out_of_memory)
        e->ns_code = src->ns_code;
    return e;
}

void cvz_error_free(cvz_error *e)
{
    if (!e || e == &out_of_memory)
        return;
    free(e->message);
    free(e->ns_domain);
    free(e->description);
    free(e->failure_reason);
    free(e->exception_name);
    free(e->exception_reason);
    free(e);
}

cvz_status cvz_error_status(const cvz_error *e)
{
    return e ? e->status : CVZ_E_INVALID_ARGUMENT;
}

const char *cvz_error_message(const cvz_error *e)
{
    return e ? e->message : "no error (NULL)";
}

const char *cvz_error_ns_domain(const cvz_error *e)
{
    return e ? e->ns_domain : "";
}

long cvz_error_ns_code(const cvz_error *e)
{
    return e ? e->ns_code : 0;
}

const char *cvz_error_description(const cvz_error *e)
{
    return e ? e->description : "";
}

const char *cvz_error_failure_reason(const cvz_error *e)
{
    return e ? e->failure_reason : "";
}

const char *cvz_error_exception_name(const cvz_error *e)
{
    return e ? e->exception_name : "";
}

const char *cvz_error_exception_reason(const cvz_error *e)
{
    return e ? e->exception_reason : "";
}

const char *cvz_status_name(cvz_status status)
{
    switch (status) {
    case CVZ_OK: return "CVZ_OK";
    case CVZ_E_INVALID_ARGUMENT: return "CVZ_E_INVALID_ARGUMENT";
    case CVZ_E_WRONG_HANDLE: return "CVZ_E_WRONG_HANDLE";
    case CVZ_E_OS_TOO_OLD: return "CVZ_E_OS_TOO_OLD";
    case CVZ_E_WRONG_ARCH: return "CVZ_E_WRONG_ARCH";
    case CVZ_E_MISSING: return "CVZ_E_MISSING";
    case CVZ_E_NO_FRAMEWORK: return "CVZ_E_NO_FRAMEWORK";
    case CVZ_E_FRAMEWORK: return "CVZ_E_FRAMEWORK";
    case CVZ_E_EXCEPTION: return "CVZ_E_EXCEPTION";
    case CVZ_E_TIMEOUT: return "CVZ_E_TIMEOUT";
    case CVZ_E_NO_MEMORY: return "CVZ_E_NO_MEMORY";
    case CVZ_E_SYSTEM: return "CVZ_E_SYSTEM";
    case CVZ_E_DROPPED: return "CVZ_E_DROPPED";
    case CVZ_E_NOT_BUILT_IN: return "CVZ_E_NOT_BUILT_IN";
    case CVZ_E_WRONG_THREAD: return "CVZ_E_WRONG_THREAD";
    }
    return "unknown cvz_status";
}
