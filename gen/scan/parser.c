/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parser.c - the top level of a header:
 *
 *   [VZ_EXPORT] [API_AVAILABLE(…)] @interface Name[<T>] : Super <P, Q> … @end
 *   [API_AVAILABLE(…)] @interface Name (Category) … @end
 *   [VZ_EXPORT] [API_AVAILABLE(…)] @protocol Name <P> … @optional … @end
 *   @class A, B;   @protocol P;                         forward declarations
 *   typedef NS_ENUM(…) { … } MACROS;                   enums.c
 *   typedef Type Name;  typedef void (^Name)(…);         skipped silently
 *   VZ_EXPORT/extern Type const Name MACROS;             constants
 *   NS_ASSUME_NONNULL_BEGIN, NS_HEADER_AUDIT_BEGIN(…)    ignored
 *
 * C functions, struct definitions and other declarations the schema can't
 * hold are skipped with a warning; anything that isn't a declaration at all
 * is an error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

size_t p_find_semicolon(const struct parser *p)
{
    const struct token_list *tl = p->tl;
    int depth = 0;
    for (size_t i = p->pos; i < tl->count; i++) {
        const struct token *t = &tl->v[i];
        if (t->kind == T_EOF || t->kind == T_AT)
            return i;
        if (tok_is(t, "(") || tok_is(t, "[") || tok_is(t, "{"))
            depth++;
        else if (tok_is(t, ")") || tok_is(t, "]") || tok_is(t, "}"))
            depth--;
        else if (depth <= 0 && tok_is(t, ";"))
            return i;
    }
    return tl->count - 1;
}

static bool is_export(const struct token *t)
{
    return t->kind == T_IDENT && (strcmp(t->text, "VZ_EXPORT") == 0 || strcmp(t->text, "extern") == 0 ||
                                  strcmp(t->text, "FOUNDATION_EXPORT") == 0 ||
                                  strcmp(t->text, "FOUNDATION_EXTERN") == 0 || strcmp(t->text, "OBJC_EXPORT") == 0);
}

/* ---- containers ------------------------------------------------------------ */

static void add_member(struct container *c, struct member *m)
{
    c->members = xrealloc(c->members, (c->member_count + 1) * sizeof *c->members);
    c->members[c->member_count++] = *m;
}

/* Skips a balanced <…> at p->pos, if there is one. */
static void skip_angles(struct parser *p)
{
    if (!tok_is(p_cur(p), "<"))
        return;
    int depth = 0;
    while (!p_at_eof(p)) {
        const struct token *t = p_cur(p);
        if (t->kind == T_AT)
            return;
        depth += tok_is(t, "<") - tok_is(t, ">");
        p->pos++;
        if (depth == 0)
            return;
    }
}

static void parse_container(struct parser *p, struct annotations *an)
{
    const struct token_list *tl = p->tl;
    const struct token *kw = p_cur(p);
    bool is_protocol = tok_is(kw, "@protocol");
    struct container c = {.kind = is_protocol ? C_PROTOCOL : C_CLASS, .at = p_loc(p, kw), .file = p->file, .an = *an};
    *an = (struct annotations){0};
    c.an.av.arm64 = kw->arm64;
    p->pos++;
    if (p_cur(p)->kind != T_IDENT) {
        diag_error(c.at, "%s without a name", kw->text);
        avail_free(&c.an.av);
        return;
    }
    c.name = xstrdup(p_cur(p)->text);
    p->pos++;
    if (is_protocol) {
        skip_angles(p); /* adopted protocols */
    } else {
        skip_angles(p); /* type parameters: @interface VZFoo<ObjectType> */
        if (tok_is(p_cur(p), "(")) {
            c.kind = C_CATEGORY;
            size_t close = skip_parens(tl, p->pos, tl->count) - 1;
            c.category = close == p->pos + 2 ? xstrdup(tl->v[p->pos + 1].text) : xstrdup("");
            p->pos = close + 1;
        } else if (tok_is(p_cur(p), ":")) {
            p->pos++;
            if (p_cur(p)->kind != T_IDENT) {
                diag_error(c.at, "@interface %s: expected a superclass after ':'", c.name);
            } else {
                c.superclass = xstrdup(p_cur(p)->text);
                p->pos++;
            }
        }
        skip_angles(p); /* adopted protocols */
    }
    if (tok_is(p_cur(p), "{")) {
        scan_warning(p_loc(p, p_cur(p)), "instance variables of %s skipped", c.name);
        int depth = 0;
        do {
            depth += tok_is(p_cur(p), "{") - tok_is(p_cur(p), "}");
            p->pos++;
        } while (depth > 0 && !p_at_eof(p));
    }
    bool optional = false;
    struct annotations pending = {0};
    for (;;) {
        const struct token *t = p_cur(p);
        if (t->kind == T_EOF || tok_is(t, "@interface") || tok_is(t, "@protocol") || tok_is(t, "@implementation")) {
            diag_error(c.at, "%s %s has no matching @end", kw->text, c.name);
            break;
        }
        if (tok_is(t, "@end")) {
            p->pos++;
            break;
        }
        struct member m = {.optional = optional, .file = p->file};
        bool ok = false;
        if (tok_is(t, "@optional") || tok_is(t, "@required")) {
            if (!is_protocol)
                diag_error(p_loc(p, t), "%s outside a @protocol", t->text);
            optional = tok_is(t, "@optional");
            p->pos++;
            continue;
        } else if (tok_is(t, ";")) {
            p->pos++;
            continue;
        } else if (annot_take(tl, &p->pos, tl->count, &pending)) {
            continue;
        } else if (tok_is(t, "@property")) {
            m.an = pending;
            ok = parse_property(p, &m);
        } else if (tok_is(t, "-") || tok_is(t, "+")) {
            m.an = pending;
            ok = parse_method(p, &m);
        } else {
            diag_error(p_loc(p, t), "unexpected '%s' in %s %s", t->text, kw->text, c.name);
            size_t semi = p_find_semicolon(p);
            p->pos = semi + (tok_is(&tl->v[semi], ";") ? 1 : 0);
            if (p->pos == semi && !tok_is(&tl->v[semi], "@end") && tl->v[semi].kind != T_EOF &&
                !tok_is(&tl->v[semi], "@interface") && !tok_is(&tl->v[semi], "@protocol"))
                p->pos++;
            continue;
        }
        pending = (struct annotations){0};
        if (ok && !m.an.av.unavailable_macos)
            add_member(&c, &m);
        else
            member_free(&m);
    }
    avail_free(&pending.av);
    if (c.an.av.unavailable_macos) {
        container_free(&c);
        return;
    }
    struct scan *s = p->scan;
    s->containers = xrealloc(s->containers, (s->container_count + 1) * sizeof *s->containers);
    s->containers[s->container_count++] = c;
}

/* ---- other top-level declarations ----------------------------------------- */

static void add_constant(struct parser *p, size_t b, size_t e, struct annotations *an, const struct token *first)
{
    const struct token_list *tl = p->tl;
    size_t name = SIZE_MAX;
    for (size_t i = b; i < e;) {
        if (annot_take(tl, &i, e, an))
            continue;
        if (tl->v[i].kind == T_IDENT)
            name = i;
        i++;
    }
    if (name == SIZE_MAX || name == b) {
        diag_error(p_loc(p, first), "expected 'Type Name' in the exported declaration");
        return;
    }
    struct constant k = {.at = p_loc(p, &tl->v[name]), .file = p->file, .name = xstrdup(tl->v[name].text), .an = *an};
    *an = (struct annotations){0};
    k.type = type_text_constant(tl, b, name);
    k.an.av.arm64 = first->arm64;
    if (k.an.av.unavailable_macos || !type_ok(k.at, k.type, "the constant")) {
        free(k.name);
        free(k.type);
        avail_free(&k.an.av);
        return;
    }
    struct scan *s = p->scan;
    s->constants = xrealloc(s->constants, (s->constant_count + 1) * sizeof *s->constants);
    s->constants[s->constant_count++] = k;
}

/* The name a skipped declaration is reported under: the identifier before
 * its first '(' outside braces (a function), or else its last identifier
 * outside braces and parentheses ("typedef struct { … } Name"). */
static const char *decl_name(const struct token_list *tl, size_t b, size_t e)
{
    const char *last = NULL;
    int depth = 0;
    for (size_t i = b; i < e; i++) {
        const struct token *t = &tl->v[i];
        if (annot_is_macro(t)) {
            if (i + 1 < e && tok_is(&tl->v[i + 1], "("))
                i = skip_parens(tl, i + 1, e) - 1;
            continue;
        }
        if (depth == 0 && tok_is(t, "(") && last)
            return last;
        if (tok_is(t, "(") || tok_is(t, "{") || tok_is(t, "["))
            depth++;
        else if (tok_is(t, ")") || tok_is(t, "}") || tok_is(t, "]"))
            depth--;
        else if (depth == 0 && t->kind == T_IDENT)
            last = t->text;
    }
    return last ? last : "?";
}

/* A declaration that isn't an @-construct, from p->pos (past leading macros). */
static void parse_declaration(struct parser *p, struct annotations *an, bool exported, const struct token *first)
{
    const struct token_list *tl = p->tl;
    size_t b = p->pos;
    const struct token *t = p_cur(p);
    if (t->kind != T_IDENT) {
        diag_error(p_loc(p, t), "expected a declaration, found '%s'", t->text);
        p->pos++;
        return;
    }
    /* A function definition ends at its closing brace, not at a ';'. */
    bool saw_paren = false;
    size_t e = b;
    int depth = 0;
    for (; e < tl->count; e++) {
        const struct token *u = &tl->v[e];
        if (u->kind == T_EOF || u->kind == T_AT)
            break;
        if (depth == 0 && tok_is(u, ";"))
            break;
        if (tok_is(u, "(") && depth == 0 && (e == b || !annot_is_macro(&tl->v[e - 1])))
            saw_paren = true;
        if (tok_is(u, "(") || tok_is(u, "[") || tok_is(u, "{"))
            depth++;
        else if (tok_is(u, ")") || tok_is(u, "]") || tok_is(u, "}")) {
            if (--depth < 0)
                break;
            if (depth == 0 && tok_is(u, "}") && saw_paren) {
                scan_warning(p_loc(p, first), "function definition '%s' skipped", decl_name(tl, b, e));
                p->pos = e + 1;
                return;
            }
        }
    }
    if (!tok_is(&tl->v[e], ";")) {
        diag_error(p_loc(p, first), "declaration starting with '%s' is not terminated by ';' (found '%s')",
                   first->text, tl->v[e].kind == T_EOF ? "end of file" : tl->v[e].text);
        p->pos = e;
        if (tl->v[e].kind != T_EOF && tl->v[e].kind != T_AT)
            p->pos++;
        return;
    }
    p->pos = e + 1;
    bool has_body = false, has_call = false;
    for (size_t i = b; i < e; i++) {
        if (tok_is(&tl->v[i], "{"))
            has_body = true;
        if (tok_is(&tl->v[i], "(") && (i == b || !annot_is_macro(&tl->v[i - 1])))
            has_call = true;
        if (annot_is_macro(&tl->v[i]) && i + 1 < e && tok_is(&tl->v[i + 1], "("))
            i = skip_parens(tl, i + 1, e) - 1;
    }
    if (strcmp(t->text, "typedef") == 0) {
        if (has_body)
            scan_warning(p_loc(p, first), "typedef '%s' with a body skipped", decl_name(tl, b, e));
        return; /* typedef Type Name; typedef void (^Name)(…); */
    }
    if (has_body) {
        scan_warning(p_loc(p, first), "declaration '%s' with a body skipped", decl_name(tl, b, e));
    } else if (has_call) {
        scan_warning(p_loc(p, first), "C function '%s' skipped", decl_name(tl, b, e));
    } else if (exported) {
        add_constant(p, b, e, an, first);
    } else {
        scan_warning(p_loc(p, first), "declaration '%s' skipped (not exported)", decl_name(tl, b, e));
    }
}

static bool is_forward_declaration(const struct parser *p)
{
    const struct token *t = p_cur(p);
    if (tok_is(t, "@class") || tok_is(t, "@import"))
        return true;
    return tok_is(t, "@protocol") && (tok_is(p_peek(p, 2), ";") || tok_is(p_peek(p, 2), ","));
}

static bool is_enum_typedef(const struct parser *p)
{
    const struct token *next = p_peek(p, 1);
    return tok_is(p_cur(p), "typedef") && next->kind == T_IDENT &&
           (tok_is(next, "NS_ENUM") || tok_is(next, "NS_OPTIONS") || tok_is(next, "NS_ERROR_ENUM") ||
            tok_is(next, "NS_CLOSED_ENUM"));
}

void parse_header(struct scan *scan, const struct token_list *tl, const char *base_name)
{
    struct parser p = {tl, 0, scan, base_name};
    while (!p_at_eof(&p)) {
        /* Leading macros and export keywords, then what they annotate. */
        struct annotations an = {0};
        bool exported = false;
        for (;;) {
            if (is_export(p_cur(&p))) {
                exported = true;
                p.pos++;
            } else if (!annot_take(tl, &p.pos, tl->count, &an)) {
                break;
            }
        }
        const struct token *t = p_cur(&p);
        if (tok_is(t, ";")) {
            p.pos++;
        } else if (is_forward_declaration(&p)) {
            p.pos++;
            p.pos = p_find_semicolon(&p);
            if (tok_is(p_cur(&p), ";"))
                p.pos++;
            else
                diag_error(p_loc(&p, t), "%s is not terminated by ';'", t->text);
        } else if (tok_is(t, "@interface") || tok_is(t, "@protocol")) {
            parse_container(&p, &an);
        } else if (tok_is(t, "@end")) {
            diag_error(p_loc(&p, t), "@end without @interface or @protocol");
            p.pos++;
        } else if (t->kind == T_AT) {
            diag_error(p_loc(&p, t), "unexpected '%s' at the top level", t->text);
            p.pos++;
        } else if (is_enum_typedef(&p)) {
            p.pos++;
            parse_enum(&p, &an, t);
        } else if (t->kind != T_EOF) {
            parse_declaration(&p, &an, exported, t);
        }
        avail_free(&an.av);
    }
}

/* ---- freeing ------------------------------------------------------------------ */

void member_free(struct member *m)
{
    free(m->selector);
    free(m->ret.name);
    free(m->ret.type);
    for (size_t i = 0; i < m->arg_count; i++) {
        free(m->args[i].name);
        free(m->args[i].type);
    }
    free(m->args);
    free(m->getter);
    free(m->setter);
    avail_free(&m->an.av);
}

void container_free(struct container *c)
{
    for (size_t i = 0; i < c->member_count; i++)
        member_free(&c->members[i]);
    free(c->members);
    free(c->name);
    free(c->superclass);
    free(c->category);
    avail_free(&c->an.av);
}

void scan_free(struct scan *scan)
{
    for (size_t i = 0; i < scan->constant_count; i++) {
        free(scan->constants[i].name);
        free(scan->constants[i].type);
        avail_free(&scan->constants[i].an.av);
    }
    free(scan->constants);
    for (size_t i = 0; i < scan->enum_count; i++) {
        struct enum_decl *e = &scan->enums[i];
        for (size_t j = 0; j < e->value_count; j++) {
            free(e->values[j].name);
            free(e->values[j].value);
            avail_free(&e->values[j].an.av);
        }
        free(e->values);
        free(e->name);
        free(e->type);
        free(e->error_domain);
        avail_free(&e->an.av);
    }
    free(scan->enums);
    for (size_t i = 0; i < scan->container_count; i++)
        container_free(&scan->containers[i]);
    free(scan->containers);
    for (size_t i = 0; i < scan->file_count; i++)
        free(scan->files[i]);
    free(scan->files);
    *scan = (struct scan){0};
}
