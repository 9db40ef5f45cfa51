/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html.h - text made safe for HTML, for the reference pages' contexts
 * (emit_docs.c): the generator escapes every value, the templates place it.
 */
#ifndef CVZGEN_HTML_H
#define CVZGEN_HTML_H

#include "template.h"

/* `text` with & < > " ' as character references: safe in element content and in quoted attributes. */
char *html_escape(const char *text);
/* Binds `name` to html_escape(text). */
void tctx_set_html(struct tctx *ctx, const char *name, const char *text);

#endif
