/* SPDX-License-Identifier: Apache-2.0 */
/*
 * split.c - see split.h.
 */
#include "split.h"

#include "goconv.h"

#include <stdlib.h>
#include <string.h>

int split_quoted(const char *value, struct strv *out, char **err)
{
    struct strv parts = {0};
    struct strbuf cur = {0};
    bool quoted = false;
    for (const char *p = value; *p; p++) {
        if (quoted) {
            if (*p == '"')
                quoted = false;
            sb_addc(&cur, *p);
        } else if (*p == ',') {
            char *s = sb_detach(&cur);
            strv_push_owned(&parts, trim_quotes(s));
            free(s);
        } else {
            if (*p == '"')
                quoted = true;
            sb_addc(&cur, *p);
        }
    }
    if (quoted) {
        sb_free(&cur);
        strv_free(&parts);
        return fail(err, "mismatched \"");
    }
    char *last = sb_detach(&cur);
    if (parts.count > 0 || *last)
        strv_push_owned(&parts, trim_quotes(last));
    free(last);
    for (size_t i = 0; i < parts.count; i++)
        strv_push_owned(out, parts.items[i]);
    free(parts.items);
    return 0;
}

void split_plain(const char *value, struct strv *out)
{
    const char *start = value;
    for (;;) {
        const char *comma = strchr(start, ',');
        if (!comma) {
            strv_push(out, start);
            return;
        }
        strv_push_owned(out, xstrndup(start, (size_t)(comma - start)));
        start = comma + 1;
    }
}

void options_from_strv(const struct strv *v, size_t first, struct options *out)
{
    out->items = xcalloc(v->count, sizeof *out->items);
    out->count = 0;
    for (size_t i = first; i < v->count; i++) {
        const char *s = v->items[i];
        if (*s == '\0')
            continue;
        struct option *o = &out->items[out->count++];
        const char *eq = strchr(s, '=');
        if (eq) {
            o->key = xstrndup(s, (size_t)(eq - s));
            o->value = xstrdup(eq + 1);
            o->has_value = true;
        } else {
            o->key = xstrdup(s);
            o->value = xstrdup("");
            o->has_value = false;
        }
    }
}

void options_free(struct options *o)
{
    for (size_t i = 0; i < o->count; i++) {
        free(o->items[i].key);
        free(o->items[i].value);
    }
    free(o->items);
    o->items = NULL;
    o->count = 0;
}

char *options_go_string(const struct options *o)
{
    struct strbuf sb = {0};
    sb_addc(&sb, '[');
    for (size_t i = 0; i < o->count; i++)
        sb_addf(&sb, "%s{%s %s}", i ? " " : "", o->items[i].key, o->items[i].value);
    sb_addc(&sb, ']');
    return sb_detach(&sb);
}
