/* SPDX-License-Identifier: Apache-2.0 */
/*
 * template.c - parser and renderer for cvzgen's mustache subset (see template.h).
 */
#include "template.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- contexts ---------------------------------------------------------- */

enum tvalue_kind { TV_TEXT, TV_FLAG, TV_LIST };

/*
 * A root context and everything bound in it (child contexts, names, texts,
 * arrays) live in one arena, freed at once with the root: the generator
 * builds hundreds of thousands of small values and frees them together.
 */
struct arena_chunk {
    struct arena_chunk *next;
    size_t used, size;
    max_align_t data[]; /* size bytes */
};

struct arena {
    struct arena_chunk *chunks;
};

static void *arena_alloc(struct arena *a, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    struct arena_chunk *c = a->chunks;
    if (!c || c->size - c->used < size) {
        size_t chunk = size > 65536 ? size : 65536;
        c = xmalloc(sizeof *c + chunk);
        c->used = 0;
        c->size = chunk;
        c->next = a->chunks;
        a->chunks = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    return p;
}

static char *arena_strndup(struct arena *a, const char *s, size_t len)
{
    char *copy = arena_alloc(a, len + 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

/*
 * Names are looked up by a hash first (computed once per tag at parse time and
 * once per name set), so a lookup compares integers, and a name only when the
 * hashes agree: rendering is dominated by lookups, a few per output line.
 */
struct tentry {
    const char *name;
    unsigned hash;
    enum tvalue_kind kind;
    const char *text;
    size_t text_len;
    bool flag;
    struct tctx **items;
    size_t count, cap;
};

struct tctx {
    const struct tctx *parent;
    struct arena *arena; /* the root's */
    struct tentry *entries;
    size_t count, cap;
    uint64_t bloom[2]; /* bit hash % 128 set for every name bound here: most misses need no scan */
};

static bool maybe_bound(const struct tctx *ctx, unsigned hash)
{
    return ctx->bloom[(hash >> 6) & 1] & (1ull << (hash & 63));
}

/* FNV-1a. */
static unsigned name_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Room for one more of an arena array that grows geometrically (the old one is left in the arena). */
static void *grow(struct arena *a, void *array, size_t count, size_t *cap, size_t size)
{
    if (count < *cap)
        return array;
    *cap = *cap ? *cap * 2 : 4;
    void *bigger = arena_alloc(a, *cap * size);
    if (count)
        memcpy(bigger, array, count * size);
    return bigger;
}

struct tctx *tctx_new(void)
{
    struct arena *arena = xcalloc(1, sizeof *arena);
    struct tctx *root = arena_alloc(arena, sizeof *root);
    *root = (struct tctx){NULL, arena, NULL, 0, 0, {0, 0}};
    return root;
}

void tctx_free(struct tctx *root)
{
    if (!root)
        return;
    struct arena *arena = root->arena;
    for (struct arena_chunk *c = arena->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(arena);
}

static struct tentry *entry_for(struct tctx *ctx, const char *name, enum tvalue_kind kind)
{
    unsigned hash = name_hash(name);
    size_t bound = maybe_bound(ctx, hash) ? ctx->count : 0;
    for (size_t i = 0; i < bound; i++) {
        struct tentry *e = &ctx->entries[i];
        if (e->hash == hash && strcmp(e->name, name) == 0) {
            if (e->kind != kind || kind != TV_LIST)
                e->text = NULL;
            e->kind = kind;
            return e;
        }
    }
    ctx->entries = grow(ctx->arena, ctx->entries, ctx->count, &ctx->cap, sizeof *ctx->entries);
    struct tentry *e = &ctx->entries[ctx->count++];
    memset(e, 0, sizeof *e);
    e->name = name; /* a string literal (template.h): hundreds of thousands are bound, none copied */
    e->hash = hash;
    e->kind = kind;
    ctx->bloom[(hash >> 6) & 1] |= 1ull << (hash & 63);
    return e;
}

/* Binds name to len bytes of text (copied). */
static void set_text(struct tctx *ctx, const char *name, const char *text, size_t len)
{
    struct tentry *e = entry_for(ctx, name, TV_TEXT);
    e->text = arena_strndup(ctx->arena, text, len);
    e->text_len = len;
}

void tctx_set(struct tctx *ctx, const char *name, const char *value)
{
    value = value ? value : "";
    set_text(ctx, name, value, strlen(value));
}

void tctx_setf(struct tctx *ctx, const char *name, const char *fmt, ...)
{
    /* Most values are short: one formatting pass into a stack buffer. */
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if ((size_t)n < sizeof buf) {
        set_text(ctx, name, buf, (size_t)n);
        return;
    }
    char *s = arena_alloc(ctx->arena, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    struct tentry *e = entry_for(ctx, name, TV_TEXT);
    e->text = s;
    e->text_len = (size_t)n;
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
    struct tctx *item = arena_alloc(ctx->arena, sizeof *item);
    *item = (struct tctx){ctx, ctx->arena, NULL, 0, 0, {0, 0}};
    e->items = grow(ctx->arena, e->items, e->count, &e->cap, sizeof *e->items);
    e->items[e->count++] = item;
    return item;
}

static bool is_entry(const struct tctx *ctx, size_t i, const char *name, unsigned hash)
{
    return ctx->entries[i].hash == hash && strcmp(ctx->entries[i].name, name) == 0;
}

const struct tctx *tctx_item(const struct tctx *ctx, const char *name, size_t i)
{
    unsigned hash = name_hash(name);
    for (size_t k = 0; k < ctx->count; k++)
        if (is_entry(ctx, k, name, hash))
            return ctx->entries[k].kind == TV_LIST && i < ctx->entries[k].count ? ctx->entries[k].items[i] : NULL;
    return NULL;
}

/* The entry a tag names, in ctx or its parents; *hint is tried first and updated. */
static const struct tentry *lookup(const struct tctx *ctx, const char *name, unsigned hash, size_t *hint)
{
    for (; ctx; ctx = ctx->parent) {
        if (!maybe_bound(ctx, hash))
            continue;
        if (*hint < ctx->count && is_entry(ctx, *hint, name, hash))
            return &ctx->entries[*hint];
        for (size_t i = 0; i < ctx->count; i++)
            if (is_entry(ctx, i, name, hash)) {
                *hint = i;
                return &ctx->entries[i];
            }
    }
    return NULL;
}

/* ---- parsing ----------------------------------------------------------- */

enum tnode_kind { TN_TEXT, TN_VAR, TN_SECTION, TN_INVERTED, TN_PARTIAL };

struct tnode {
    enum tnode_kind kind;
    char *text;  /* literal text, or the tag's name */
    char *match; /* a switch section ({{#name=value}}): the value name's text must equal; else NULL */
    struct loc at;
    struct tnode *children; /* sections */
    size_t child_count;
    size_t len;    /* of text */
    unsigned hash; /* of the tag's name */
    size_t hint;   /* where the name was found last: contexts of one kind bind names in one order */
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

/* Appends a node holding text (literal text or a tag's name, owned from now on). */
static void node_append(struct tnode *parent, enum tnode_kind kind, char *text, struct loc at)
{
    parent->children = xrealloc(parent->children, (parent->child_count + 1) * sizeof *parent->children);
    parent->children[parent->child_count++] =
        (struct tnode){kind, text, NULL, at, NULL, 0, strlen(text), name_hash(text), 0};
}

static void node_free(struct tnode *node)
{
    for (size_t i = 0; i < node->child_count; i++)
        node_free(&node->children[i]);
    free(node->children);
    free(node->text);
    free(node->match);
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
            node_append(stack[depth], TN_TEXT, xstrdup(p), (struct loc){tmpl->path, line});
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
            node_append(stack[depth], TN_TEXT, strndup(p, (size_t)(text_end - p)), (struct loc){tmpl->path, line});
        const char *name_from = open + 2 + (standalone_capable ? 1 : 0);
        while (*name_from == ' ')
            name_from++;
        const char *name_to = close;
        while (name_to > name_from && name_to[-1] == ' ')
            name_to--;
        char *name = strndup(name_from, (size_t)(name_to - name_from));
        struct loc at = {tmpl->path, tag_line};
        /* A switch section, {{#kind=object}}: its name and the value it tests. */
        char *match = NULL;
        char *equals = sigil == '#' || sigil == '^' || sigil == '/' ? strchr(name, '=') : NULL;
        if (equals) {
            *equals = '\0';
            match = xstrdup(equals + 1);
            if (!valid_name(match)) {
                diag_error(at, "bad tag name '%s=%s'", name, match);
                free(name);
                free(match);
                return false;
            }
        }

        if (sigil == '!') {
            free(name);
        } else if (!valid_name(name)) {
            diag_error(at, "bad tag name '%s'", name);
            free(name);
            free(match);
            return false;
        } else if (sigil == '#' || sigil == '^') {
            if (depth + 1 >= MAX_DEPTH) {
                diag_error(at, "sections nested deeper than %d", MAX_DEPTH);
                free(name);
                free(match);
                return false;
            }
            node_append(stack[depth], sigil == '#' ? TN_SECTION : TN_INVERTED, name, at);
            struct tnode *parent = stack[depth];
            stack[++depth] = &parent->children[parent->child_count - 1];
            stack[depth]->match = match;
            match = NULL;
        } else if (sigil == '/') {
            const struct tnode *open_node = stack[depth];
            bool same_switch = depth && (match && open_node->match ? strcmp(match, open_node->match) == 0
                                                                   : !match && !open_node->match);
            if (depth == 0 || strcmp(open_node->text, name) != 0 || !same_switch) {
                diag_error(at, "'{{/%s%s%s}}' closes %s%s%s%s%s", name, match ? "=" : "", match ? match : "",
                           depth ? "'" : "no open section", depth ? open_node->text : "",
                           depth && open_node->match ? "=" : "", depth && open_node->match ? open_node->match : "",
                           depth ? "'" : "");
                free(name);
                free(match);
                return false;
            }
            free(name);
            free(match);
            match = NULL;
            depth--;
        } else if (sigil == '>') {
            node_append(stack[depth], TN_PARTIAL, name, at);
        } else {
            node_append(stack[depth], TN_VAR, name, at);
        }
        free(match);
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

static bool render_nodes(struct render_state *st, struct tnode *nodes, size_t count, const struct tctx *ctx);

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

static bool render_node(struct render_state *st, struct tnode *n, const struct tctx *ctx)
{
    if (n->kind == TN_TEXT) {
        sb_addn(st->out, n->text, n->len);
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
    const struct tentry *e = lookup(ctx, n->text, n->hash, &n->hint);
    if (!e) {
        diag_error(n->at, "unknown tag '%s'", n->text);
        return false;
    }
    if (n->kind == TN_VAR) {
        if (e->kind != TV_TEXT) {
            diag_error(n->at, "'%s' is a %s, not text", n->text, e->kind == TV_LIST ? "list" : "flag");
            return false;
        }
        sb_addn(st->out, e->text, e->text_len);
        return true;
    }
    if (n->match) {
        if (e->kind != TV_TEXT) {
            diag_error(n->at, "'%s' is a %s, not text to compare with '%s'", n->text,
                       e->kind == TV_LIST ? "list" : "flag", n->match);
            return false;
        }
        bool equal = strlen(n->match) == e->text_len && memcmp(n->match, e->text, e->text_len) == 0;
        return equal == (n->kind == TN_SECTION) ? render_nodes(st, n->children, n->child_count, ctx) : true;
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

static bool render_nodes(struct render_state *st, struct tnode *nodes, size_t count, const struct tctx *ctx)
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

/* ---- what the templates and the contexts name ------------------------------ */

static void each_tag(const struct tnode *n, template_name_fn fn, void *data)
{
    if (n->kind == TN_VAR || n->kind == TN_SECTION || n->kind == TN_INVERTED)
        fn(n->text, n->match, data);
    for (size_t i = 0; i < n->child_count; i++)
        each_tag(&n->children[i], fn, data);
}

void template_set_each_tag(const struct template_set *set, template_name_fn fn, void *data)
{
    for (size_t i = 0; i < set->count; i++)
        if (set->items[i]->ok)
            each_tag(&set->items[i]->root, fn, data);
}

void tctx_each_name(const struct tctx *ctx, template_name_fn fn, void *data)
{
    for (size_t i = 0; i < ctx->count; i++) {
        const struct tentry *e = &ctx->entries[i];
        fn(e->name, e->kind == TV_TEXT ? e->text : NULL, data);
        for (size_t j = 0; e->kind == TV_LIST && j < e->count; j++)
            tctx_each_name(e->items[j], fn, data);
    }
}
