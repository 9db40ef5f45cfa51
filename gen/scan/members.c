/* SPDX-License-Identifier: Apache-2.0 */
/*
 * members.c - the members of an @interface or @protocol:
 *
 *   @property (attrs) Type name MACROS;
 *   @property (copy) void (^name)(Args) MACROS;          (block-typed)
 *   - (Type)selector MACROS;
 *   + (Type)part:(Type)arg part:(Type)arg MACROS;        (may span lines)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

static void property_attributes(struct parser *p, size_t begin, size_t end, struct member *m, bool *nullable)
{
    const struct token_list *tl = p->tl;
    for (size_t i = begin; i < end; i++) {
        const struct token *t = &tl->v[i];
        if (tok_is(t, ","))
            continue;
        if (t->kind != T_IDENT) {
            diag_error(p_loc(p, t), "unexpected '%s' in @property attributes", t->text);
            return;
        }
        const char *a = t->text;
        if ((strcmp(a, "getter") == 0 || strcmp(a, "setter") == 0) && i + 2 < end &&
            tok_is(&tl->v[i + 1], "=") && tl->v[i + 2].kind == T_IDENT) {
            if (a[0] == 'g') {
                free(m->getter);
                m->getter = xstrdup(tl->v[i + 2].text);
                i += 2;
            } else {
                free(m->setter);
                m->setter = xasprintf("%s:", tl->v[i + 2].text);
                i += 2 + (i + 3 < end && tok_is(&tl->v[i + 3], ":"));
            }
        } else if (strcmp(a, "readonly") == 0) {
            m->readonly = true;
        } else if (strcmp(a, "class") == 0) {
            m->class_property = true;
        } else if (strcmp(a, "copy") == 0 || strcmp(a, "strong") == 0 || strcmp(a, "weak") == 0 ||
                   strcmp(a, "assign") == 0) {
            m->memory = strcmp(a, "copy") == 0     ? "copy"
                        : strcmp(a, "strong") == 0 ? "strong"
                        : strcmp(a, "weak") == 0   ? "weak"
                                                   : "assign";
        } else if (strcmp(a, "retain") == 0) {
            m->memory = "strong";
        } else if (strcmp(a, "unsafe_unretained") == 0) {
            m->memory = "assign";
        } else if (strcmp(a, "nullable") == 0) {
            *nullable = true;
        } else if (strcmp(a, "readwrite") && strcmp(a, "atomic") && strcmp(a, "nonatomic") &&
                   strcmp(a, "nonnull") && strcmp(a, "null_unspecified") && strcmp(a, "null_resettable") &&
                   strcmp(a, "direct")) {
            scan_warning(p_loc(p, t), "unknown @property attribute '%s' ignored", a);
        }
    }
}

bool parse_property(struct parser *p, struct member *m)
{
    const struct token_list *tl = p->tl;
    const struct token *kw = p_cur(p);
    m->kind = M_PROPERTY;
    m->at = p_loc(p, kw);
    p->pos++;
    size_t semi = p_find_semicolon(p);
    if (!tok_is(&tl->v[semi], ";")) {
        diag_error(m->at, "@property is not terminated by ';'");
        p->pos = semi;
        return false;
    }
    bool nullable = false;
    if (tok_is(p_cur(p), "(")) {
        size_t close = skip_parens(tl, p->pos, semi) - 1;
        property_attributes(p, p->pos + 1, close, m, &nullable);
        p->pos = close + 1;
    }
    size_t b = p->pos, e = semi;
    size_t name = SIZE_MAX, block_name = SIZE_MAX;
    int depth = 0;
    for (size_t i = b; i < e;) {
        const struct token *t = &tl->v[i];
        if (annot_is_macro(t)) {
            if (depth == 0) {
                annot_take(tl, &i, e, &m->an);
            } else {
                i++;
                if (i < e && tok_is(&tl->v[i], "("))
                    i = skip_parens(tl, i, e);
            }
            continue;
        }
        if (tok_is(t, "(")) {
            depth++;
            /* "(^name)" or "(*name)": a block or function pointer property */
            if (block_name == SIZE_MAX && i + 1 < e && (tok_is(&tl->v[i + 1], "^") || tok_is(&tl->v[i + 1], "*"))) {
                for (size_t j = i + 2; j < e && !tok_is(&tl->v[j], ")"); j++)
                    if (tl->v[j].kind == T_IDENT && !annot_is_macro(&tl->v[j]))
                        block_name = j;
            }
        } else if (tok_is(t, ")")) {
            depth--;
        } else if (depth == 0 && t->kind == T_IDENT) {
            name = i;
        }
        i++;
    }
    if (block_name != SIZE_MAX)
        name = block_name;
    if (name == SIZE_MAX || name == b) {
        diag_error(m->at, "@property needs a type and a name");
        p->pos = semi + 1;
        return false;
    }
    bool type_nullable = false;
    m->ret.name = xstrdup(tl->v[name].text);
    if (block_name != SIZE_MAX)
        m->ret.type = type_text(tl, b, e, block_name, &type_nullable);
    else
        m->ret.type = type_text(tl, b, name, SIZE_MAX, &type_nullable);
    m->ret.nullable = nullable || type_nullable;
    m->an.av.arm64 = kw->arm64;
    p->pos = semi + 1;
    if (!type_ok(m->at, m->ret.type, "the property"))
        return false;
    if (m->an.ns_unavailable) {
        scan_warning(m->at, "NS_UNAVAILABLE property '%s' skipped (the schema has no unavailable properties)",
                     m->ret.name);
        return false;
    }
    return true;
}

/* "(Type)" at p->pos, or nothing (then the type is id). */
static char *paren_type(struct parser *p, size_t limit, bool *nullable)
{
    *nullable = false;
    if (!tok_is(p_cur(p), "("))
        return xstrdup("id");
    size_t open = p->pos, close = skip_parens(p->tl, open, limit) - 1;
    p->pos = close + 1;
    return type_text(p->tl, open + 1, close, SIZE_MAX, nullable);
}

static void add_arg(struct member *m, char *name, char *type, bool nullable)
{
    m->args = xrealloc(m->args, (m->arg_count + 1) * sizeof *m->args);
    m->args[m->arg_count++] = (struct arg){name, type, nullable};
}

bool parse_method(struct parser *p, struct member *m)
{
    const struct token_list *tl = p->tl;
    const struct token *sign = p_cur(p);
    m->kind = M_METHOD;
    m->at = p_loc(p, sign);
    m->is_class = tok_is(sign, "+");
    m->an.av.arm64 = sign->arm64;
    p->pos++;
    size_t semi = p_find_semicolon(p);
    if (!tok_is(&tl->v[semi], ";")) {
        diag_error(m->at, "method declaration is not terminated by ';'");
        p->pos = semi;
        return false;
    }
    m->ret.type = paren_type(p, semi, &m->ret.nullable);
    struct strbuf sel;
    sb_init(&sel);
    bool unnamed_part = false;
    for (bool first = true;; first = false) {
        const struct token *t = p_cur(p);
        if (t->kind == T_IDENT && tok_is(p_peek(p, 1), ":") && p->pos + 1 < semi) {
            sb_adds(&sel, t->text);
            sb_addc(&sel, ':');
            p->pos += 2;
        } else if (tok_is(t, ":")) {
            sb_addc(&sel, ':');
            p->pos++;
            unnamed_part = true;
        } else {
            if (first && t->kind == T_IDENT && !annot_is_macro(t) && p->pos < semi) {
                sb_adds(&sel, t->text);
                p->pos++;
            }
            break;
        }
        bool nullable;
        char *type = paren_type(p, semi, &nullable);
        const struct token *name = p_cur(p);
        if (name->kind != T_IDENT || annot_is_macro(name) || p->pos >= semi) {
            diag_error(p_loc(p, name), "expected a parameter name after '%s', found '%s'", sel.data, name->text);
            free(type);
            sb_free(&sel);
            p->pos = semi + 1;
            return false;
        }
        add_arg(m, xstrdup(name->text), type, nullable);
        p->pos++;
    }
    m->selector = sb_detach(&sel);
    if (m->selector[0] == '\0') {
        diag_error(m->at, "expected a selector after '%s(…)'", sign->text);
        p->pos = semi + 1;
        return false;
    }
    bool types_ok = type_ok(m->at, m->ret.type, "the return value");
    for (size_t i = 0; i < m->arg_count; i++)
        types_ok = type_ok(m->at, m->args[i].type, "a parameter") && types_ok;
    if (!types_ok) {
        p->pos = semi + 1;
        return false;
    }
    if (tok_is(p_cur(p), ",")) {
        scan_warning(m->at, "variadic method '%s' skipped", m->selector);
        p->pos = semi + 1;
        return false;
    }
    if (unnamed_part) {
        scan_warning(m->at, "method '%s' has an unnamed selector part; skipped (the schema names every part)",
                     m->selector);
        p->pos = semi + 1;
        return false;
    }
    while (p->pos < semi) {
        if (annot_take(tl, &p->pos, semi, &m->an))
            continue;
        diag_error(p_loc(p, p_cur(p)), "unexpected '%s' in the declaration of %s%s", p_cur(p)->text, sign->text,
                   m->selector);
        p->pos = semi + 1;
        return false;
    }
    p->pos = semi + 1;
    return true;
}
