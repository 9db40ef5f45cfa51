/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enums.c - typedef NS_ENUM(NSInteger, Name) { … } MACROS;  and its kin:
 *
 *   NS_ENUM / NS_CLOSED_ENUM (Type, Name)   type as written
 *   NS_OPTIONS (Type, Name)                 options="true"
 *   NS_ERROR_ENUM (Domain, Name)            type NSInteger, error-domain="Domain"
 *
 * Values are kept as written when they are a literal ("3", "0x10", "-1") or
 * a literal shift ("1 << 4"); implicit values continue from the previous
 * one; any other expression (A | B, earlier enumerators) is evaluated and
 * written in decimal.
 *
 * Evaluation is in 64-bit two's complement (NSInteger; an NSUInteger literal
 * above INT64_MAX keeps its bits), and checked: an overflowing + - * / or
 * unary minus, a division by zero, a shift count outside 0..63 and a left
 * shift that loses set bits are errors, never a wrong value written.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

/* ---- values ------------------------------------------------------------- */

struct eval {
    const struct token_list *tl;
    size_t pos, end;
    const struct scan *scan;
    const struct enum_decl *current;
    const char *why;
};

static bool parse_number(const char *text, long long *out)
{
    char buf[64];
    size_t n = strlen(text);
    if (n >= sizeof buf)
        return false;
    memcpy(buf, text, n + 1);
    while (n && strchr("uUlL", buf[n - 1]))
        buf[--n] = '\0';
    errno = 0;
    char *endp;
    unsigned long long v = strtoull(buf, &endp, 0);
    if (errno || *endp || n == 0)
        return false;
    *out = (long long)v;
    return true;
}

static bool lookup(const struct eval *ev, const char *name, long long *out)
{
    for (size_t i = 0; i < ev->current->value_count; i++)
        if (strcmp(ev->current->values[i].name, name) == 0) {
            *out = ev->current->values[i].number;
            return true;
        }
    for (size_t e = 0; e < ev->scan->enum_count; e++)
        for (size_t i = 0; i < ev->scan->enums[e].value_count; i++)
            if (strcmp(ev->scan->enums[e].values[i].name, name) == 0) {
                *out = ev->scan->enums[e].values[i].number;
                return true;
            }
    return false;
}

static const struct token *ev_cur(const struct eval *ev)
{
    return ev->pos < ev->end ? &ev->tl->v[ev->pos] : NULL;
}

static bool ev_is(const struct eval *ev, const char *text)
{
    const struct token *t = ev_cur(ev);
    return t && tok_is(t, text);
}

static bool expr(struct eval *ev, int level, long long *out);

static bool primary(struct eval *ev, long long *out)
{
    const struct token *t = ev_cur(ev);
    if (!t) {
        ev->why = "missing value";
        return false;
    }
    ev->pos++;
    if (tok_is(t, "-") || tok_is(t, "~") || tok_is(t, "+")) {
        long long v;
        if (!primary(ev, &v))
            return false;
        if (tok_is(t, "-") && __builtin_sub_overflow(0LL, v, out)) {
            ev->why = "overflow in unary '-'";
            return false;
        }
        if (!tok_is(t, "-"))
            *out = tok_is(t, "~") ? ~v : v;
        return true;
    }
    if (tok_is(t, "(")) {
        if (!expr(ev, 0, out))
            return false;
        if (!ev_is(ev, ")")) {
            ev->why = "missing ')'";
            return false;
        }
        ev->pos++;
        return true;
    }
    if (t->kind == T_NUMBER) {
        if (parse_number(t->text, out))
            return true;
        ev->why = "malformed number";
        return false;
    }
    if (t->kind == T_IDENT && lookup(ev, t->text, out))
        return true;
    ev->why = t->kind == T_IDENT ? "unknown name" : "unexpected token";
    return false;
}

/* Precedence climbing: | ^ & (<< >>) (+ -) (* /), lowest first. */
static int precedence(const struct eval *ev, size_t *width)
{
    const struct token *t = ev_cur(ev);
    *width = 1;
    if (!t)
        return -1;
    if (tok_is(t, "|"))
        return 0;
    if (tok_is(t, "^"))
        return 1;
    if (tok_is(t, "&"))
        return 2;
    if (tok_is(t, "<<"))
        return 3;
    if (tok_is(t, ">") && ev->pos + 1 < ev->end && tok_is(&ev->tl->v[ev->pos + 1], ">")) {
        *width = 2;
        return 3;
    }
    if (tok_is(t, "+") || tok_is(t, "-"))
        return 4;
    if (tok_is(t, "*") || tok_is(t, "/"))
        return 5;
    return -1;
}

/* *lhs = *lhs OP rhs, or false with ev->why set where C would overflow, divide by zero or shift out of range. */
static bool apply(struct eval *ev, const char *op, long long *lhs, long long rhs)
{
    bool overflow;
    if (strcmp(op, "|") == 0 || strcmp(op, "^") == 0 || strcmp(op, "&") == 0) {
        *lhs = op[0] == '|' ? *lhs | rhs : op[0] == '^' ? *lhs ^ rhs : *lhs & rhs;
        return true;
    }
    if (strcmp(op, "<<") == 0 || strcmp(op, ">>") == 0) {
        if (rhs < 0 || rhs > 63) {
            ev->why = rhs < 0 ? "negative shift count" : "shift count of 64 or more";
            return false;
        }
        unsigned long long bits = (unsigned long long)*lhs;
        /* Left: the bits shifted out must all be zero (1 << 63 is allowed, for NSUInteger options). */
        overflow = op[0] == '<' && rhs > 0 && bits >> (64 - rhs) != 0;
        *lhs = op[0] == '<' ? (long long)(bits << rhs) : *lhs >> rhs;
    } else if (strcmp(op, "+") == 0) {
        overflow = __builtin_add_overflow(*lhs, rhs, lhs);
    } else if (strcmp(op, "-") == 0) {
        overflow = __builtin_sub_overflow(*lhs, rhs, lhs);
    } else if (strcmp(op, "*") == 0) {
        overflow = __builtin_mul_overflow(*lhs, rhs, lhs);
    } else if (rhs == 0) {
        ev->why = "division by zero";
        return false;
    } else {
        overflow = *lhs == LLONG_MIN && rhs == -1;
        if (!overflow)
            *lhs /= rhs;
    }
    if (overflow)
        ev->why = op[0] == '<' ? "overflow in '<<'" : op[0] == '+' ? "overflow in '+'"
                : op[0] == '-' ? "overflow in '-'" : op[0] == '*' ? "overflow in '*'" : "overflow in '/'";
    return !overflow;
}

static bool expr(struct eval *ev, int level, long long *out)
{
    if (!primary(ev, out))
        return false;
    for (;;) {
        size_t width;
        int prec = precedence(ev, &width);
        if (prec < level)
            return true;
        const char *op = ev_cur(ev)->text;
        bool shift_right = width == 2;
        ev->pos += width;
        long long rhs;
        if (!expr(ev, prec + 1, &rhs))
            return false;
        if (!apply(ev, shift_right ? ">>" : op, out, rhs))
            return false;
    }
}

bool enum_eval(const struct token_list *tl, size_t begin, size_t end, const struct scan *scan,
               const struct enum_decl *current, long long *out, const char **why)
{
    struct eval ev = {tl, begin, end, scan, current, NULL};
    if (!expr(&ev, 0, out) || ev.pos != end) {
        *why = ev.why ? ev.why : "unexpected token";
        return false;
    }
    return true;
}

/* A literal without its suffix, hex kept as hex, anything else in decimal. */
static char *literal_text(const struct token *t, long long value)
{
    char *s = xstrdup(t->text);
    size_t n = strlen(s);
    while (n && strchr("uUlL", s[n - 1]))
        s[--n] = '\0';
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s[1] = 'x';
        return s;
    }
    free(s);
    return xasprintf("%lld", value);
}

/* How the value is written: as in the header when the schema allows it. */
static char *value_text(const struct token_list *tl, size_t b, size_t e, long long value)
{
    const struct token *v = tl->v;
    if (e - b == 1 && v[b].kind == T_NUMBER)
        return literal_text(&v[b], value);
    if (e - b == 2 && tok_is(&v[b], "-") && v[b + 1].kind == T_NUMBER && !strchr(v[b + 1].text, 'x') &&
        !strchr(v[b + 1].text, 'X'))
        return xasprintf("%lld", value);
    if (e - b == 3 && v[b].kind == T_NUMBER && tok_is(&v[b + 1], "<<") && v[b + 2].kind == T_NUMBER) {
        long long l, r;
        if (parse_number(v[b].text, &l) && parse_number(v[b + 2].text, &r) && l >= 0 && r >= 0 &&
            !strpbrk(v[b].text, "xX") && !strpbrk(v[b + 2].text, "xX") && v[b].text[0] != '0')
            return xasprintf("%lld << %lld", l, r);
    }
    return xasprintf("%lld", value);
}

/* ---- the typedef ---------------------------------------------------------- */

/* One enumerator: NAME [MACROS] [= EXPR] [MACROS], tokens [b, e). */
static void parse_value(struct parser *p, struct enum_decl *en, size_t b, size_t e)
{
    const struct token_list *tl = p->tl;
    const struct token *name = &tl->v[b];
    if (name->kind != T_IDENT) {
        diag_error(p_loc(p, name), "expected an enumerator name in '%s', found '%s'", en->name, name->text);
        return;
    }
    struct enum_value val = {.at = p_loc(p, name), .name = xstrdup(name->text)};
    size_t i = b + 1;
    size_t expr_b = 0, expr_e = 0;
    while (i < e) {
        if (annot_take(tl, &i, e, &val.an))
            continue;
        if (tok_is(&tl->v[i], "=") && expr_b == 0) {
            expr_b = ++i;
            while (i < e && !annot_is_macro(&tl->v[i]))
                i++;
            expr_e = i;
            continue;
        }
        diag_error(p_loc(p, &tl->v[i]), "unexpected '%s' after enumerator '%s'", tl->v[i].text, val.name);
        break;
    }
    if (expr_b) {
        const char *why;
        if (expr_b == expr_e) {
            diag_error(val.at, "enumerator '%s' has '=' but no value", val.name);
        } else if (!enum_eval(tl, expr_b, expr_e, p->scan, en, &val.number, &why)) {
            diag_error(val.at, "cannot evaluate the value of '%s' (%s)", val.name, why);
        } else {
            val.value = value_text(tl, expr_b, expr_e, val.number);
        }
    } else if (en->value_count && __builtin_add_overflow(en->values[en->value_count - 1].number, 1, &val.number)) {
        diag_error(val.at, "the value of '%s' (one more than '%s') overflows", val.name,
                   en->values[en->value_count - 1].name);
    }
    if (!val.value)
        val.value = xasprintf("%lld", val.number);
    /* An API_UNAVAILABLE(macos) value is kept here for the numbering of the
     * next one; the writer leaves it out. */
    val.an.av.arm64 = name->arm64;
    en->values = xrealloc(en->values, (en->value_count + 1) * sizeof *en->values);
    en->values[en->value_count++] = val;
}

void parse_enum(struct parser *p, struct annotations *leading, const struct token *typedef_tok)
{
    const struct token_list *tl = p->tl;
    const struct token *maker = p_cur(p);
    struct enum_decl en = {.at = p_loc(p, typedef_tok), .file = p->file, .an = *leading};
    *leading = (struct annotations){0};
    p->pos++;
    if (!tok_is(p_cur(p), "(")) {
        diag_error(p_loc(p, maker), "%s without (Type, Name)", maker->text);
        p->pos = p_find_semicolon(p);
        return;
    }
    size_t open = p->pos, close = match_paren(tl, open, tl->count);
    if (close == SIZE_MAX) {
        diag_error(p_loc(p, maker), "%s( is not closed by ')'", maker->text);
        p->pos = skip_parens(tl, open, tl->count);
        return;
    }
    size_t comma = open + 1;
    while (comma < close && !tok_is(&tl->v[comma], ","))
        comma++;
    if (comma + 2 != close || tl->v[comma + 1].kind != T_IDENT || comma == open + 1) {
        diag_error(p_loc(p, maker), "%s: expected (Type, Name)", maker->text);
        p->pos = p_find_semicolon(p);
        return;
    }
    en.name = xstrdup(tl->v[comma + 1].text);
    if (strcmp(maker->text, "NS_ERROR_ENUM") == 0) {
        en.type = xstrdup("NSInteger");
        if (comma != open + 2 || tl->v[open + 1].kind != T_IDENT)
            diag_error(p_loc(p, maker), "NS_ERROR_ENUM: the error domain must be one identifier");
        en.error_domain = type_text(tl, open + 1, comma, SIZE_MAX, NULL);
    } else {
        en.type = type_text(tl, open + 1, comma, SIZE_MAX, NULL);
        en.options = strcmp(maker->text, "NS_OPTIONS") == 0;
        type_ok(p_loc(p, maker), en.type, "the enum");
    }
    p->pos = close + 1;
    if (!tok_is(p_cur(p), "{")) { /* a forward declaration: typedef NS_ENUM(NSInteger, X); */
        p->pos = p_find_semicolon(p);
        if (tok_is(p_cur(p), ";"))
            p->pos++;
        free(en.name);
        free(en.type);
        free(en.error_domain);
        avail_free(&en.an.av);
        return;
    }
    p->pos++;
    /* Enumerators up to the closing brace. */
    for (;;) {
        size_t b = p->pos, e = b;
        int depth = 0;
        while (e < tl->count && tl->v[e].kind != T_EOF) {
            const struct token *t = &tl->v[e];
            if (depth == 0 && (tok_is(t, ",") || tok_is(t, "}")))
                break;
            if (t->kind == T_AT || tok_is(t, ";") || tok_is(t, "{"))
                break;
            depth += tok_is(t, "(") - tok_is(t, ")");
            e++;
        }
        const struct token *stop = &tl->v[e];
        if (!tok_is(stop, ",") && !tok_is(stop, "}")) {
            diag_error(p_loc(p, maker), "enum '%s' is not closed with '}'", en.name);
            p->pos = e;
            break;
        }
        if (e > b)
            parse_value(p, &en, b, e);
        p->pos = e + 1;
        if (tok_is(stop, "}"))
            break;
    }
    /* } MACROS ; */
    while (!tok_is(p_cur(p), ";") && !p_at_eof(p)) {
        if (annot_take(tl, &p->pos, tl->count, &en.an))
            continue;
        diag_error(p_loc(p, p_cur(p)), "unexpected '%s' after enum '%s' (expected ';')", p_cur(p)->text, en.name);
        break;
    }
    if (tok_is(p_cur(p), ";"))
        p->pos++;
    en.an.av.arm64 = typedef_tok->arm64;
    struct scan *s = p->scan;
    s->enums = xrealloc(s->enums, (s->enum_count + 1) * sizeof *s->enums);
    s->enums[s->enum_count++] = en;
}
