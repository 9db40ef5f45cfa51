/*
 * template.c - parser and renderer for cvzgen's mustache subset (see template.h).
 */
#include "template.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- contexts ---------------------------------------------------------- */

enum tvalue_kind { TV_TEXT, TV_FLAG, TV_LIST };

struct tentry {
    char *name;
    enum tvalue_kind kind;
    char *text;
    bool flag;
    struct tctx **items;
    size_t count;
};

struct tctx {
    const struct tctx *parent;
    struct tentry *entries;
    size_t count;
};

struct tctx *tctx_new(void)
{
    return xcalloc(1, sizeof(struct tctx));
}

void tctx_free(struct tctx *ctx)
{
    if (!ctx)
        return;
    for (size_t i = 0; i < ctx->count; i++) {
        struct tentry *e = &ctx->entries[i];
        free(e->name);
        free(e->text);
        for (size_t j = 0; j < e->count; j++)
            tctx_free(e->items[j]);
        free(e->items);
    }
    free(ctx->entries);
    free(ctx);
}

static struct tentry *entry_for(struct tctx *ctx, const char *name, enum tvalue_kind kind)
{
    for (size_t i = 0; i < ctx->count; i++) {
        struct tentry *e = &ctx->entries[i];
        if (strcmp(e->name, name) == 0) {
            if (e->kind != kind || kind != TV_LIST) {
                free(e->text);
                e->text = NULL;
            }
            e->kind = kind;
            return e;
        }
    }
    ctx->entries = xrealloc(ctx->entries, (ctx->count + 1) * sizeof *ctx->entries);
    struct tentry *e = &ctx->entries[ctx->count++];
    memset(e, 0, sizeof *e);
    e->name = xstrdup(name);
    e->kind = kind;
    return e;
}

void tctx_set(struct tctx *ctx, const char *name, const char *value)
{
    entry_for(ctx, name, TV_TEXT)->text = xstrdup(value ? value : "");
}

void tctx_setf(struct tctx *ctx, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    entry_for(ctx, name, TV_TEXT)->text = s;
}

void tctx_flag(struct tctx *ctx, const char *name, bool value)
{
    entry_for(ctx, name, TV_FLAG)->flag = value;
}

void tctx_list(struct tctx *ctx, const char *name)
{
    entry_for(ctx, name, TV_LIST);
}

struct tctx *tctx_add(struct tctx *ctx, const char *name)
{
    struct tentry *e = entry_for(ctx, name, TV_LIST);
    struct tctx *item = tctx_new();
    item->parent = ctx;
    e->items = xrealloc(e->items, (e->count + 1) * sizeof *e->items);
    e->items[e->count++] = item;
    return item;
}

static const struct tentry *lookup(const struct tctx *ctx, const char *name)
{
    for (; ctx; ctx = ctx->parent)
        for (size_t i = 0; i < ctx->count; i++)
            if (strcmp(ctx->entries[i].name, name) == 0)
                return &ctx->entries[i];
    return NULL;
}

/* ---- parsing ----------------------------------------------------------- */

enum tnode_kind { TN_TEXT, TN_VAR, TN_SECTION, TN_INVERTED, TN_PARTIAL };

struct tnode {
    enum tnode_kind kind;
    char *text; /* literal text, or the tag's name */
    struct loc at;
    struct tnode *children; /* sections */
    size_t child_count;
};

struct template {
    char *name;
    char *path;
    struct tnode root;
    bool ok;
};

struct template_set {
    char *dir;
    struct template **items;
    size_t count;
};

static void node_append(struct tnode *parent, struct tnode node)
{
    parent->children = xrealloc(parent->children, (parent->child_count + 1) * sizeof node);
    parent->children[parent->child_count++] = node;
}

static void node_free(struct tnode *node)
{
    for (size_t i = 0; i < node->child_count; i++)
        node_free(&node->children[i]);
    free(node->children);
    free(node->text);
}

static int count_lines(const char *from, const char *to)
{
    int n = 0;
    for (; from < to; from++)
        n += *from == '\n';
    return n;
}

static bool is_blank(const char *from, const char *to)
{
    for (; from < to; from++)
        if (*from != ' ' && *from != '\t')
            return false;
    return true;
}

static bool valid_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!(*s == '_' || *s == '-' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

/*
 * Parses src into tmpl->root.  A stack of open sections gives nesting; each tag
 * that stands alone on its line (other than a variable) swallows that line.
 */
static bool parse_template(struct template *tmpl, const char *src)
{
    enum { MAX_DEPTH = 64 };
    struct tnode *stack[MAX_DEPTH];
    int depth = 0;
    stack[0] = &tmpl->root;
    const char *p = src;
    int line = 1;

    while (*p) {
        const char *open = strstr(p, "{{");
        if (!open) {
            node_append(stack[depth], (struct tnode){TN_TEXT, xstrdup(p), {tmpl->path, line}, NULL, 0});
            break;
        }
        const char *close = strstr(open + 2, "}}");
        int tag_line = line + count_lines(p, open);
        if (!close) {
            diag_error((struct loc){tmpl->path, tag_line}, "unterminated tag '{{'");
            return false;
        }
        char sigil = open[2];
        bool standalone_capable = sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>' || sigil == '!';
        const char *line_start = open;
        while (line_start > src && line_start[-1] != '\n')
            line_start--;
        const char *after = close + 2;
        const char *line_end = after;
        while (*line_end && *line_end != '\n')
            line_end++;
        bool standalone = standalone_capable && line_start >= p && is_blank(line_start, open) &&
                          is_blank(after, line_end);
        const char *text_end = standalone ? line_start : open;
        if (text_end > p)
            node_append(stack[depth], (struct tnode){TN_TEXT, strndup(p, (size_t)(text_end - p)),
                                                     {tmpl->path, line}, NULL, 0});
        const char *name_from = open + 2 + (standalone_capable ? 1 : 0);
        while (*name_from == ' ')
            name_from++;
        const char *name_to = close;
        while (name_to > name_from && name_to[-1] == ' ')
            name_to--;
        char *name = strndup(name_from, (size_t)(name_to - name_from));
        struct loc at = {tmpl->path, tag_line};

        if (sigil == '!') {
            free(name);
        } else if (!valid_name(name)) {
            diag_error(at, "bad tag name '%s'", name);
            free(name);
            return false;
        } else if (sigil == '#' || sigil == '^') {
            if (depth + 1 >= MAX_DEPTH) {
                diag_error(at, "sections nested deeper than %d", MAX_DEPTH);
                free(name);
                return false;
            }
            node_append(stack[depth], (struct tnode){sigil == '#' ? TN_SECTION : TN_INVERTED, name, at, NULL, 0});
            struct tnode *parent = stack[depth];
            stack[++depth] = &parent->children[parent->child_count - 1];
        } else if (sigil == '/') {
            if (depth == 0 || strcmp(stack[depth]->text, name) != 0) {
                diag_error(at, "'{{/%s}}' closes %s%s%s", name, depth ? "'" : "no open section",
                           depth ? stack[depth]->text : "", depth ? "'" : "");
                free(name);
                return false;
            }
            free(name);
            depth--;
        } else if (sigil == '>') {
            node_append(stack[depth], (struct tnode){TN_PARTIAL, name, at, NULL, 0});
        } else {
            node_append(stack[depth], (struct tnode){TN_VAR, name, at, NULL, 0});
        }
        line = tag_line + count_lines(open, standalone ? line_end : after);
        p = standalone ? (*line_end ? line_end + 1 : line_end) : after;
        if (standalone && *line_end)
            line++;
    }
    if (depth != 0) {
        diag_error(stack[depth]->at, "section '%s' is never closed", stack[depth]->text);
        return false;
    }
    return true;
}

struct template_set *template_set_new(const char *dir)
{
    struct template_set *set = xcalloc(1, sizeof *set);
    set->dir = xstrdup(dir);
    return set;
}

void template_set_free(struct template_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++) {
        node_free(&set->items[i]->root);
        free(set->items[i]->name);
        free(set->items[i]->path);
        free(set->items[i]);
    }
    free(set->items);
    free(set->dir);
    free(set);
}

static struct template *template_get(struct template_set *set, const char *name, struct loc from)
{
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->items[i]->name, name) == 0)
            return set->items[i]->ok ? set->items[i] : NULL;
    struct template *tmpl = xcalloc(1, sizeof *tmpl);
    tmpl->name = xstrdup(name);
    tmpl->path = xasprintf("%s/%s.tmpl", set->dir, name);
    set->items = xrealloc(set->items, (set->count + 1) * sizeof *set->items);
    set->items[set->count++] = tmpl;
    char *src = read_file(tmpl->path, NULL);
    if (!src) {
        if (from.file)
            diag_error(from, "unknown template '%s'", name);
        return NULL;
    }
    tmpl->ok = parse_template(tmpl, src);
    free(src);
    return tmpl->ok ? tmpl : NULL;
}

/* ---- rendering --------------------------------------------------------- */

struct render_state {
    struct template_set *set;
    struct strbuf *out;
    int partial_depth;
    /* Lists being iterated: entering one of them again would repeat it within itself. */
    const struct tentry *active[64];
    int active_count;
};

static bool render_nodes(struct render_state *st, const struct tnode *nodes, size_t count,
                         const struct tctx *ctx);

static bool truthy(const struct tentry *e)
{
    switch (e->kind) {
    case TV_TEXT:
        return e->text && *e->text;
    case TV_FLAG:
        return e->flag;
    case TV_LIST:
        return e->count > 0;
    }
    return false;
}

static bool render_node(struct render_state *st, const struct tnode *n, const struct tctx *ctx)
{
    if (n->kind == TN_TEXT) {
        sb_adds(st->out, n->text);
        return true;
    }
    if (n->kind == TN_PARTIAL) {
        if (st->partial_depth >= 16) {
            diag_error(n->at, "partial '%s' nested too deeply (recursive?)", n->text);
            return false;
        }
        struct template *t = template_get(st->set, n->text, n->at);
        if (!t)
            return false;
        st->partial_depth++;
        bool ok = render_nodes(st, t->root.children, t->root.child_count, ctx);
        st->partial_depth--;
        return ok;
    }
    const struct tentry *e = lookup(ctx, n->text);
    if (!e) {
        diag_error(n->at, "unknown tag '%s'", n->text);
        return false;
    }
    if (n->kind == TN_VAR) {
        if (e->kind != TV_TEXT) {
            diag_error(n->at, "'%s' is a %s, not text", n->text, e->kind == TV_LIST ? "list" : "flag");
            return false;
        }
        sb_adds(st->out, e->text);
        return true;
    }
    if (n->kind == TN_INVERTED)
        return truthy(e) ? true : render_nodes(st, n->children, n->child_count, ctx);
    if (e->kind != TV_LIST)
        return truthy(e) ? render_nodes(st, n->children, n->child_count, ctx) : true;
    for (int i = 0; i < st->active_count; i++)
        if (st->active[i] == e) {
            /* An item's lookup fell back to the list itself: output would grow as count^depth. */
            diag_error(n->at, "section '%s' is nested inside itself", n->text);
            return false;
        }
    if (st->active_count == (int)(sizeof st->active / sizeof *st->active)) {
        diag_error(n->at, "sections nested too deeply");
        return false;
    }
    st->active[st->active_count++] = e;
    bool ok = true;
    for (size_t i = 0; i < e->count && ok; i++)
        ok = render_nodes(st, n->children, n->child_count, e->items[i]);
    st->active_count--;
    return ok;
}

static bool render_nodes(struct render_state *st, const struct tnode *nodes, size_t count,
                         const struct tctx *ctx)
{
    for (size_t i = 0; i < count; i++)
        if (!render_node(st, &nodes[i], ctx))
            return false;
    return true;
}

int template_render(struct template_set *set, const char *name, const struct tctx *ctx,
                    struct strbuf *out)
{
    struct template *t = template_get(set, name, (struct loc){NULL, 0});
    if (!t)
        return -1;
    struct render_state st = {set, out, 0, {NULL}, 0};
    return render_nodes(&st, t->root.children, t->root.child_count, ctx) ? 0 : -1;
}
