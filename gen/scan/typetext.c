/* SPDX-License-Identifier: Apache-2.0 */
/*
 * typetext.c - the text of a type as the API XML writes it.
 *
 * The header's own spelling is kept ("NSArray<VZFoo *> *", "id<VZBar>",
 * "void (^)(NSError * _Nullable error)"), with three changes:
 *   - annotation macros vanish everywhere (NS_SWIFT_SENDABLE inside a block
 *     type, NS_NOESCAPE before one);
 *   - nullability qualifiers outside parentheses and <generics> vanish, and
 *     so does a block pointer's own ("void (^ _Nullable)(…)"); the one that
 *     applies to the outermost pointer makes the item nullable ("nullable
 *     NSURL *", "NSURL * _Nullable"), an inner one does not ("NSError *
 *     _Nullable *" → "NSError **"); ARC qualifiers outside parentheses
 *     (__autoreleasing, __strong, …) vanish too;
 *   - any run of whitespace (newlines in multi-line declarations, a dropped
 *     token) becomes one space, and none is left inside "()", "<>", "**" or
 *     before "," and "<"; a '*' after a name or '>' always has one before it
 *     ("id <P>" → "id<P>", "void*" → "void *").
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"

static bool is_nullability(const char *s)
{
    static const char *const words[] = {"nullable", "_Nullable", "__nullable", "nonnull",
                                        "_Nonnull", "__nonnull", "null_unspecified", "_Null_unspecified",
                                        "__null_unspecified", "null_resettable"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    return false;
}

/* ARC ownership qualifiers mean nothing to C ("NSError * __autoreleasing *"). */
static bool is_arc_qualifier(const char *s)
{
    return strcmp(s, "__autoreleasing") == 0 || strcmp(s, "__strong") == 0 || strcmp(s, "__weak") == 0 ||
           strcmp(s, "__unsafe_unretained") == 0;
}

static bool says_nullable(const char *s)
{
    return strcmp(s, "nullable") == 0 || strcmp(s, "_Nullable") == 0 || strcmp(s, "__nullable") == 0;
}

static bool is_word(const struct token *t)
{
    return t->kind == T_IDENT || t->kind == T_NUMBER;
}

static bool needs_space(const struct token *prev, const struct token *cur, bool gap)
{
    if (tok_is(prev, "(") || tok_is(prev, "<") || tok_is(prev, "["))
        return false;
    if (tok_is(cur, ")") || tok_is(cur, ">") || tok_is(cur, "]") || tok_is(cur, ","))
        return false;
    if (tok_is(prev, "*") && tok_is(cur, "*"))
        return false;
    if (tok_is(cur, "<")) /* id<P>, NSArray<T *> whatever the header's spacing */
        return false;
    if (tok_is(cur, "*") && (is_word(prev) || tok_is(prev, ">"))) /* void* → void * */
        return true;
    if (is_word(prev) && is_word(cur))
        return true;
    return gap;
}

static char *build(const struct token_list *tl, size_t begin, size_t end, size_t skip, bool *nullable,
                   bool constant)
{
    /* Which tokens stay: macros and outer nullability go. */
    bool *keep = xcalloc(end > begin ? end - begin : 1, sizeof *keep);
    int paren = 0, angle = 0;
    bool outer_nullable = false;
    for (size_t i = begin; i < end;) {
        const struct token *t = &tl->v[i];
        if (annot_is_macro(t)) { /* read (and warned about) by the declaration's parser */
            i++;
            if (i < end && tok_is(&tl->v[i], "("))
                i = skip_parens(tl, i, end);
            continue;
        }
        if (i == skip) {
            i++;
            continue;
        }
        if (tok_is(t, "("))
            paren++;
        else if (tok_is(t, ")"))
            paren--;
        else if (tok_is(t, "<"))
            angle++;
        else if (tok_is(t, ">"))
            angle--;
        bool outer = paren == 0 && angle == 0;
        /* "void (^ _Nullable)(…)": the block pointer's own nullability */
        bool block_pointer = paren == 1 && angle == 0 && i > begin && tok_is(&tl->v[i - 1], "^");
        if (outer && t->kind == T_IDENT && is_arc_qualifier(t->text)) {
            i++;
            continue;
        }
        if (block_pointer && t->kind == T_IDENT && is_nullability(t->text)) {
            if (says_nullable(t->text))
                outer_nullable = true;
            i++;
            continue;
        }
        if (outer && t->kind == T_IDENT && is_nullability(t->text)) {
            if (says_nullable(t->text)) {
                /* applies to the outermost pointer unless another '*' follows */
                bool star_after = false;
                int p2 = 0, a2 = 0;
                for (size_t j = i + 1; j < end; j++) {
                    const struct token *u = &tl->v[j];
                    p2 += tok_is(u, "(") - tok_is(u, ")");
                    a2 += tok_is(u, "<") - tok_is(u, ">");
                    if (p2 == 0 && a2 == 0 && tok_is(u, "*"))
                        star_after = true;
                }
                if (!star_after || strcmp(t->text, "nullable") == 0 || i == begin)
                    outer_nullable = true;
            }
            i++;
            continue;
        }
        if (constant && outer && t->kind == T_IDENT &&
            (strcmp(t->text, "const") == 0 || strcmp(t->text, "extern") == 0 || strcmp(t->text, "static") == 0)) {
            i++;
            continue;
        }
        keep[i - begin] = true;
        i++;
    }
    struct strbuf sb;
    sb_init(&sb);
    const struct token *prev = NULL;
    bool gap = false;
    for (size_t i = begin; i < end; i++) {
        const struct token *t = &tl->v[i];
        gap = gap || t->space_before;
        if (!keep[i - begin])
            continue;
        if (prev && needs_space(prev, t, gap))
            sb_addc(&sb, ' ');
        sb_adds(&sb, t->text);
        prev = t;
        gap = false;
    }
    free(keep);
    if (nullable)
        *nullable = outer_nullable;
    return sb_detach(&sb);
}

char *type_text(const struct token_list *tl, size_t begin, size_t end, size_t skip, bool *nullable)
{
    return build(tl, begin, end, skip, nullable, false);
}

char *type_text_constant(const struct token_list *tl, size_t begin, size_t end)
{
    return build(tl, begin, end, SIZE_MAX, NULL, true);
}

bool type_ok(struct loc at, const char *type, const char *what)
{
    size_t n = strlen(type);
    if (n == 0) {
        diag_error(at, "%s has no type", what);
        return false;
    }
    for (const char *c = type; *c; c++) {
        if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e) {
            diag_error(at, "the type of %s holds a character outside printable ASCII", what);
            return false;
        }
    }
    if (n > 200) {
        diag_error(at, "the type of %s is longer than the schema allows (%zu characters, at most 200)", what, n);
        return false;
    }
    return true;
}
