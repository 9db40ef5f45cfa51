/* SPDX-License-Identifier: Apache-2.0 */
/*
 * availability.c - the annotation macros Apple puts around declarations.
 *
 *   API_AVAILABLE(macos(11.0), ios(14.0))            introduced (macOS only)
 *   API_DEPRECATED("msg", macos(11.0, 12.0))         introduced, deprecated
 *   API_DEPRECATED_WITH_REPLACEMENT("new", macos(a, b))   … and replacement
 *   API_UNAVAILABLE(macos, ios)                      the item does not exist on macOS
 *   NS_UNAVAILABLE, NS_DESIGNATED_INITIALIZER        flags of a method
 *   NS_SWIFT_*, NS_REFINED_FOR_SWIFT, VZ_EXPORT, __attribute__((…)), …
 *                                                    meaningless for C: dropped
 *
 * Any other NS_/API_ macro is dropped with a warning, so a new Apple macro
 * is noticed instead of silently misread.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool annot_is_macro(const struct token *t)
{
    static const char *const prefixes[] = {"API_", "NS_", "VZ_", "CF_", "OBJC_", "__API_", "__OSX_",
                                           "__deprecated", "__unavailable"};
    static const char *const names[] = {"__attribute__", "FOUNDATION_EXPORT", "FOUNDATION_EXTERN",
                                        "DEPRECATED_ATTRIBUTE", "UNAVAILABLE_ATTRIBUTE"};
    static const char *const type_makers[] = {"NS_ENUM", "NS_OPTIONS", "NS_ERROR_ENUM", "NS_CLOSED_ENUM"};
    if (t->kind != T_IDENT)
        return false;
    for (size_t i = 0; i < sizeof type_makers / sizeof *type_makers; i++)
        if (strcmp(t->text, type_makers[i]) == 0)
            return false;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(t->text, names[i]) == 0)
            return true;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (has_prefix(t->text, prefixes[i]))
            return true;
    return false;
}

/* Macros that say nothing a C binding needs. */
static bool is_ignored(const char *name)
{
    static const char *const names[] = {
        "NS_REFINED_FOR_SWIFT",      "VZ_EXPORT",
        "NS_ASSUME_NONNULL_BEGIN",   "NS_ASSUME_NONNULL_END",
        "NS_HEADER_AUDIT_BEGIN",     "NS_HEADER_AUDIT_END",
        "NS_NOESCAPE",               "NS_TYPED_ENUM",
        "NS_TYPED_EXTENSIBLE_ENUM",  "NS_STRING_ENUM",
        "NS_EXTENSIBLE_STRING_ENUM", "NS_REQUIRES_SUPER",
        "NS_FORMAT_FUNCTION",        "NS_FORMAT_ARGUMENT",
        "NS_REQUIRES_NIL_TERMINATION", "FOUNDATION_EXPORT",
        "FOUNDATION_EXTERN",         "__attribute__",
        "NS_AUTOMATED_REFCOUNT_UNAVAILABLE", "OBJC_EXPORT",
        "NS_REQUIRES_PROPERTY_DEFINITIONS",
    };
    if (has_prefix(name, "NS_SWIFT_"))
        return true;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

size_t match_paren(const struct token_list *tl, size_t pos, size_t end)
{
    int depth = 0;
    for (size_t i = pos; i < end && tl->v[i].kind != T_EOF; i++) {
        if (tok_is(&tl->v[i], "("))
            depth++;
        else if (tok_is(&tl->v[i], ")") && --depth == 0)
            return i;
    }
    return SIZE_MAX;
}

size_t skip_parens(const struct token_list *tl, size_t pos, size_t end)
{
    size_t close = match_paren(tl, pos, end);
    if (close != SIZE_MAX)
        return close + 1;
    /* unbalanced: stop at `end`, or at the end-of-file token, never past it */
    size_t i = pos;
    while (i < end && tl->v[i].kind != T_EOF)
        i++;
    return i;
}

/* "11.0", "11" or "10.15.4" → 1100, 1100, 1015; -1 when it isn't a version (nor is 0.x). */
static version_t token_version(const struct token *t)
{
    if (t->kind != T_NUMBER)
        return -1;
    version_t v = parse_version_loose(t->text);
    return v < 100 ? -1 : v;
}

static bool is_macos(const char *platform)
{
    return strcmp(platform, "macos") == 0 || strcmp(platform, "macosx") == 0 || strcmp(platform, "macOS") == 0;
}

/*
 * Walks the platform groups "plat(v1[, v2])" between `begin` and `end`
 * (the macro's parentheses excluded).  For macos, stores up to two versions.
 * Returns false after reporting a malformed group.
 */
static bool macos_versions(const struct token_list *tl, size_t begin, size_t end, const char *macro,
                           version_t *first, version_t *second, bool *mentions_macos)
{
    for (size_t i = begin; i < end;) {
        const struct token *plat = &tl->v[i];
        if (tok_is(plat, ",")) {
            i++;
            continue;
        }
        if (plat->kind != T_IDENT) {
            diag_error((struct loc){tl->file, plat->line}, "%s: expected a platform name, found '%s'", macro,
                       plat->text);
            return false;
        }
        bool mac = is_macos(plat->text);
        if (mac)
            *mentions_macos = true;
        if (i + 1 >= end || !tok_is(&tl->v[i + 1], "(")) { /* API_UNAVAILABLE(macos, ios) */
            i++;
            continue;
        }
        size_t close = skip_parens(tl, i + 1, end) - 1;
        version_t vs[2] = {0, 0};
        int n = 0;
        for (size_t j = i + 2; j < close; j++) {
            const struct token *t = &tl->v[j];
            if (tok_is(t, ","))
                continue;
            version_t v = strcmp(t->text, "API_TO_BE_DEPRECATED") == 0 ? 0 : token_version(t);
            if (v < 0 || n == 2) {
                if (mac) {
                    diag_error((struct loc){tl->file, t->line}, "%s: malformed version '%s' for %s", macro,
                               t->text, plat->text);
                    return false;
                }
                continue;
            }
            vs[n++] = v;
        }
        if (mac) {
            *first = vs[0];
            *second = vs[1];
        }
        i = close + 1;
    }
    return true;
}

/* The unquoted text of a string literal token. */
static char *unquote(const struct token *t)
{
    size_t n = strlen(t->text);
    if (t->kind != T_STRING || n < 2)
        return xstrdup(t->text);
    char *s = xmalloc(n - 1);
    memcpy(s, t->text + 1, n - 2);
    s[n - 2] = '\0';
    return s;
}

/* What the schema and a plain XML attribute can hold without surprises. */
static bool printable_text(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] > 0x7e)
            return false;
    return n >= 1 && n <= 200;
}

static void availability_macro(const struct token_list *tl, size_t open, size_t close, const char *macro,
                               struct annotations *an)
{
    struct avail *av = &an->av;
    version_t a = 0, b = 0;
    bool mac = false;
    if (strcmp(macro, "API_AVAILABLE") == 0) {
        if (macos_versions(tl, open + 1, close, macro, &a, &b, &mac) && mac && a)
            av->introduced = a;
    } else if (strcmp(macro, "API_UNAVAILABLE") == 0) {
        if (macos_versions(tl, open + 1, close, macro, &a, &b, &mac) && mac)
            av->unavailable_macos = true;
    } else { /* API_DEPRECATED("msg", …) and API_DEPRECATED_WITH_REPLACEMENT("new", …) */
        size_t first_comma = open + 1;
        while (first_comma < close && !tok_is(&tl->v[first_comma], ","))
            first_comma++;
        if (!macos_versions(tl, first_comma, close, macro, &a, &b, &mac) || !mac)
            return;
        if (a)
            av->introduced = a;
        if (b)
            av->deprecated = b;
        if (strcmp(macro, "API_DEPRECATED_WITH_REPLACEMENT") == 0 && open + 1 < close) {
            free(av->replacement);
            av->replacement = unquote(&tl->v[open + 1]);
            if (!printable_text(av->replacement))
                diag_error((struct loc){tl->file, tl->v[open + 1].line},
                           "%s: the replacement must be 1 to 200 printable ASCII characters", macro);
        }
    }
}

bool annot_take(const struct token_list *tl, size_t *pos, size_t end, struct annotations *an)
{
    if (*pos >= end || !annot_is_macro(&tl->v[*pos]))
        return false;
    const struct token *t = &tl->v[*pos];
    size_t open = *pos + 1;
    size_t next = open;
    if (open < end && tok_is(&tl->v[open], "(") && !tok_is(t, "NS_UNAVAILABLE") &&
        !tok_is(t, "NS_DESIGNATED_INITIALIZER")) {
        next = skip_parens(tl, open, end);
        if (match_paren(tl, open, end) == SIZE_MAX) {
            diag_error((struct loc){tl->file, t->line}, "%s( is not closed by ')'", t->text);
            *pos = next;
            return true;
        }
    }
    *pos = next;
    struct annotations scratch = {0};
    if (!an)
        an = &scratch;
    const char *name = t->text;
    if (strcmp(name, "API_AVAILABLE") == 0 || strcmp(name, "API_UNAVAILABLE") == 0 ||
        strcmp(name, "API_DEPRECATED") == 0 || strcmp(name, "API_DEPRECATED_WITH_REPLACEMENT") == 0) {
        if (next == open)
            diag_error((struct loc){tl->file, t->line}, "%s without its (arguments)", name);
        else
            availability_macro(tl, open, next - 1, name, an);
    } else if (strcmp(name, "NS_UNAVAILABLE") == 0) {
        an->ns_unavailable = true;
    } else if (strcmp(name, "NS_DESIGNATED_INITIALIZER") == 0) {
        an->designated = true;
    } else if (!is_ignored(name)) {
        scan_warning((struct loc){tl->file, t->line}, "unknown macro '%s' ignored", name);
    }
    avail_free(&scratch.av);
    return true;
}

void avail_free(struct avail *a)
{
    free(a->replacement);
    a->replacement = NULL;
}
