/* SPDX-License-Identifier: Apache-2.0 */
/*
 * error.h - the inside of cvz_error and how the core builds one.
 */
#ifndef CVZ_ERROR_H
#define CVZ_ERROR_H

#include <stdarg.h>

#include "cvz/cvz.h"

struct cvz_error {
    cvz_status status;
    char *message;
    char *ns_domain;
    long ns_code;
    char *description;
    char *failure_reason;
    char *exception_name;
    char *exception_reason;
};

/* Never NULL: an allocation failure yields a static CVZ_E_NO_MEMORY error. */
cvz_error *cvz__error_new(cvz_status status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
cvz_error *cvz__error_vnew(cvz_status status, const char *fmt, va_list ap);
cvz_error *cvz__error_copy(const cvz_error *src);
/* Replaces one of the error's text fields with a copy of value. */
void cvz__error_set_text(cvz_error *e, char **field, const char *value);
/* Stores e in *dst when the caller asked for errors and none is there yet; frees it otherwise. */
void cvz__error_give(cvz_error **dst, cvz_error *e);

#endif
