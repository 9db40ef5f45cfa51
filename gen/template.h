/* SPDX-License-Identifier: Apache-2.0 */
/*
 * template.h - the logic-less template language of cvzgen (a mustache subset).
 *
 *   {{name}}            the value of `name` in the current context chain
 *   {{#name}}…{{/name}} a list: once per item; a flag or text: once if true/non-empty
 *   {{^name}}…{{/name}} once if `name` is false, empty text or an empty list
 *   {{#name=value}}…{{/name=value}}  a switch: once if the text of `name` is `value`
 *   {{^name=value}}…{{/name=value}}  once if it is not
 *   {{>name}}           the template file `name.tmpl` from the same folder
 *   {{! comment }}      nothing
 *
 * A line holding only a section, partial or comment tag disappears entirely, so
 * templates can be indented like code.  Every name must be defined in the
 * context chain when it is used; a missing name is an error naming the
 * template's file and line, as are unbalanced sections and unknown partials.
 * The generator computes every value; templates only place them.
 */
#ifndef CVZGEN_TEMPLATE_H
#define CVZGEN_TEMPLATE_H

#include <stdbool.h>

#include "util.h"

/*
 * A rendering context: names bound to text, flags or lists.  A name is kept,
 * not copied: it must outlive the context (the generator binds string
 * literals).  Values are copied.
 */
struct tctx;

struct tctx *tctx_new(void);
/* Frees a context made by tctx_new and every context and value in it. */
void tctx_free(struct tctx *root);
void tctx_set(struct tctx *ctx, const char *name, const char *value);
void tctx_setf(struct tctx *ctx, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tctx_flag(struct tctx *ctx, const char *name, bool value);
/* Declares `name` as a list (possibly empty) without adding an item. */
void tctx_list(struct tctx *ctx, const char *name);
/* Appends an item to the list `name` and returns it; lookups fall back to ctx. */
struct tctx *tctx_add(struct tctx *ctx, const char *name);
/* Item i of the list `name` bound in ctx itself; NULL when there is none. */
const struct tctx *tctx_item(const struct tctx *ctx, const char *name, size_t i);

struct template_set; /* templates parsed from one folder, loaded on demand */

struct template_set *template_set_new(const char *dir);
void template_set_free(struct template_set *set);

/* Renders template `name` (file dir/name.tmpl) into out; 0 or -1 after diagnostics. */
int template_render(struct template_set *set, const char *name, const struct tctx *ctx,
                    struct strbuf *out);

/* Called with a name and, for a switch section or a text value, the value; else NULL. */
typedef void (*template_name_fn)(const char *name, const char *value, void *data);
/* Every tag of the templates the set has loaded (a switch section gives its value). */
void template_set_each_tag(const struct template_set *set, template_name_fn fn, void *data);
/* Every name bound in ctx and in the items of its lists (a text gives its value). */
void tctx_each_name(const struct tctx *ctx, template_name_fn fn, void *data);

#endif
