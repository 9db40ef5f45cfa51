/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html.c - text made safe for HTML (see html.h).
 */
#include "html.h"

#include <stdlib.h>

/* The character reference standing for c, or NULL when c stands for itself. */
static const char *reference(char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return NULL;
    }
}

char *html_escape(const char *text)
{
    struct strbuf out;
    sb_init(&out);
    for (const char *c = text; *c; c++) {
        const char *r = reference(*c);
        if (r)
            sb_adds(&out, r);
        else
            sb_addc(&out, *c);
    }
    return sb_detach(&out);
}

void tctx_set_html(struct tctx *ctx, const char *name, const char *text)
{
    char *escaped = html_escape(text);
    tctx_set(ctx, name, escaped);
    free(escaped);
}
