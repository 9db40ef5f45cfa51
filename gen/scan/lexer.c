/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lexer.c - turns a header into tokens with line numbers.
 *
 * Comments (line, block and doc comments) vanish, leaving only the fact that
 * something separated two tokens.  Preprocessor lines are handled here:
 * #import/#include/#define/#pragma are dropped, and #if/#ifdef/#elif/#else/
 * #endif are tracked on a stack so that tokens inside the taken branch of an
 * arm64 test (__arm64__, __aarch64__, TARGET_CPU_ARM64) are marked arm64.
 * Every other conditional keeps its contents (all branches), as the brief of
 * a header scanner is to see every declaration.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"

struct cond {
    int line;
    bool arm64;     /* the current branch is an arm64-only branch */
    bool seen_else;
};

struct lexer {
    const char *file;
    const char *p;
    int line;
    bool space;
    bool line_start;
    struct cond *conds;
    size_t cond_count;
    struct token_list *out;
    int errors;
};

static void lex_error(struct lexer *lx, int line, const char *fmt, const char *arg)
{
    diag_error((struct loc){lx->file, line}, fmt, arg);
    lx->errors++;
}

static bool in_arm64(const struct lexer *lx)
{
    for (size_t i = 0; i < lx->cond_count; i++)
        if (lx->conds[i].arm64)
            return true;
    return false;
}

static void push_token(struct lexer *lx, enum tok_kind kind, const char *start, size_t len)
{
    struct token_list *tl = lx->out;
    tl->v = xrealloc(tl->v, (tl->count + 1) * sizeof *tl->v);
    struct token *t = &tl->v[tl->count++];
    t->kind = kind;
    t->text = xmalloc(len + 1);
    memcpy(t->text, start, len);
    t->text[len] = '\0';
    t->line = lx->line;
    t->space_before = lx->space;
    t->arm64 = in_arm64(lx);
    lx->space = false;
    lx->line_start = false;
}

static bool is_ident_start(int c)
{
    return isalpha(c) || c == '_';
}

static bool is_ident_char(int c)
{
    return isalnum(c) || c == '_';
}

/* Does the condition text mention an arm64 test, positively? */
static bool is_arm64_condition(const char *text)
{
    static const char *const names[] = {"__arm64__", "__aarch64__", "TARGET_CPU_ARM64", "__arm64"};
    if (strchr(text, '!') || strstr(text, "||"))
        return false;
    for (const char *p = text; *p;) {
        if (is_ident_start((unsigned char)*p)) {
            const char *s = p;
            while (is_ident_char((unsigned char)*p))
                p++;
            for (size_t i = 0; i < sizeof names / sizeof *names; i++)
                if ((size_t)(p - s) == strlen(names[i]) && strncmp(s, names[i], (size_t)(p - s)) == 0)
                    return true;
        } else {
            p++;
        }
    }
    return false;
}

/* Reads the rest of a directive line (continuations joined, comments removed). */
static char *directive_rest(struct lexer *lx)
{
    struct strbuf sb;
    sb_init(&sb);
    while (*lx->p && *lx->p != '\n') {
        if (lx->p[0] == '\\' && lx->p[1] == '\n') {
            lx->p += 2;
            lx->line++;
            sb_addc(&sb, ' ');
        } else if (lx->p[0] == '/' && lx->p[1] == '/') {
            while (*lx->p && *lx->p != '\n')
                lx->p++;
        } else if (lx->p[0] == '/' && lx->p[1] == '*') {
            const char *end = strstr(lx->p + 2, "*/");
            if (!end) {
                lex_error(lx, lx->line, "unterminated /* comment%s", "");
                lx->p += strlen(lx->p);
                break;
            }
            for (const char *q = lx->p; q < end; q++)
                if (*q == '\n')
                    lx->line++;
            lx->p = end + 2;
            sb_addc(&sb, ' ');
        } else {
            sb_addc(&sb, *lx->p++);
        }
    }
    return sb_detach(&sb);
}

static void directive(struct lexer *lx)
{
    int line = lx->line;
    lx->p++; /* '#' */
    while (*lx->p == ' ' || *lx->p == '\t')
        lx->p++;
    const char *s = lx->p;
    while (is_ident_char((unsigned char)*lx->p))
        lx->p++;
    char *name = xmalloc((size_t)(lx->p - s) + 1);
    memcpy(name, s, (size_t)(lx->p - s));
    name[lx->p - s] = '\0';
    char *rest = directive_rest(lx);

    if (strcmp(name, "if") == 0 || strcmp(name, "ifdef") == 0 || strcmp(name, "ifndef") == 0) {
        lx->conds = xrealloc(lx->conds, (lx->cond_count + 1) * sizeof *lx->conds);
        bool arm = strcmp(name, "ifndef") != 0 && is_arm64_condition(rest);
        lx->conds[lx->cond_count++] = (struct cond){line, arm, false};
    } else if (strcmp(name, "elif") == 0 || strcmp(name, "else") == 0 || strcmp(name, "endif") == 0) {
        if (lx->cond_count == 0) {
            lex_error(lx, line, "#%s without a matching #if", name);
        } else if (strcmp(name, "endif") == 0) {
            lx->cond_count--;
        } else {
            struct cond *c = &lx->conds[lx->cond_count - 1];
            if (c->seen_else)
                lex_error(lx, line, "#%s after #else", name);
            c->seen_else = strcmp(name, "else") == 0;
            c->arm64 = strcmp(name, "elif") == 0 && is_arm64_condition(rest);
        }
    } else if (strcmp(name, "import") && strcmp(name, "include") && strcmp(name, "include_next") &&
               strcmp(name, "define") && strcmp(name, "undef") && strcmp(name, "pragma") &&
               strcmp(name, "error") && strcmp(name, "warning") && strcmp(name, "line") &&
               strcmp(name, "ident") && name[0] != '\0') {
        lex_error(lx, line, "unknown preprocessor directive '#%s'", name);
    }
    free(name);
    free(rest);
    lx->space = true;
}

static void skip_quoted(struct lexer *lx, char quote)
{
    const char *start = lx->p;
    int line = lx->line;
    lx->p++;
    while (*lx->p && *lx->p != quote && *lx->p != '\n') {
        if (*lx->p == '\\' && lx->p[1])
            lx->p++;
        lx->p++;
    }
    if (*lx->p != quote) {
        lex_error(lx, line, quote == '"' ? "unterminated string literal%s" : "unterminated character literal%s", "");
        return;
    }
    lx->p++;
    push_token(lx, quote == '"' ? T_STRING : T_CHAR, start, (size_t)(lx->p - start));
}

int lex_file(const char *file, const char *text, struct token_list *out)
{
    struct lexer lx = {.file = file, .p = text, .line = 1, .space = true, .line_start = true, .out = out};
    out->v = NULL;
    out->count = 0;
    out->file = file;
    static const char punct[] = "{}()[]<>;:,*^=+-|&~!?./%";
    while (*lx.p) {
        unsigned char c = (unsigned char)*lx.p;
        if (c == '\n') {
            lx.line++;
            lx.p++;
            lx.space = true;
            lx.line_start = true;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            lx.p++;
            lx.space = true;
        } else if (c == '\\' && lx.p[1] == '\n') {
            lx.p += 2;
            lx.line++;
            lx.space = true;
        } else if (c == '/' && lx.p[1] == '/') {
            while (*lx.p && *lx.p != '\n')
                lx.p++;
            lx.space = true;
        } else if (c == '/' && lx.p[1] == '*') {
            const char *end = strstr(lx.p + 2, "*/");
            if (!end) {
                lex_error(&lx, lx.line, "unterminated /* comment%s", "");
                break;
            }
            for (const char *q = lx.p; q < end; q++)
                if (*q == '\n')
                    lx.line++;
            lx.p = end + 2;
            lx.space = true;
        } else if (c == '#' && lx.line_start) {
            directive(&lx);
        } else if (is_ident_start(c)) {
            const char *s = lx.p;
            while (is_ident_char((unsigned char)*lx.p))
                lx.p++;
            push_token(&lx, T_IDENT, s, (size_t)(lx.p - s));
        } else if (c == '@' && is_ident_start((unsigned char)lx.p[1])) {
            const char *s = lx.p++;
            while (is_ident_char((unsigned char)*lx.p))
                lx.p++;
            push_token(&lx, T_AT, s, (size_t)(lx.p - s));
        } else if (c == '@' && lx.p[1] == '"') {
            lx.p++;
            skip_quoted(&lx, '"');
        } else if (isdigit(c)) {
            const char *s = lx.p;
            while (is_ident_char((unsigned char)*lx.p) || *lx.p == '.')
                lx.p++;
            push_token(&lx, T_NUMBER, s, (size_t)(lx.p - s));
        } else if (c == '"' || c == '\'') {
            skip_quoted(&lx, (char)c);
        } else if (c == '<' && lx.p[1] == '<') {
            push_token(&lx, T_PUNCT, lx.p, 2);
            lx.p += 2;
        } else if (strchr(punct, c)) {
            push_token(&lx, T_PUNCT, lx.p, 1);
            lx.p++;
        } else {
            char what[32];
            if (c >= 0x20 && c < 0x7f)
                snprintf(what, sizeof what, "'%c'", c);
            else
                snprintf(what, sizeof what, "byte 0x%02x", c);
            lex_error(&lx, lx.line, "stray %s outside a comment", what);
            lx.p++;
        }
    }
    for (size_t i = 0; i < lx.cond_count; i++)
        lex_error(&lx, lx.conds[i].line, "unterminated #if%s (no matching #endif)", "");
    lx.cond_count = 0; /* the end-of-file token belongs to no conditional */
    free(lx.conds);
    lx.conds = NULL;
    push_token(&lx, T_EOF, "", 0);
    return lx.errors ? -1 : 0;
}

void token_list_free(struct token_list *tl)
{
    for (size_t i = 0; i < tl->count; i++)
        free(tl->v[i].text);
    free(tl->v);
    tl->v = NULL;
    tl->count = 0;
}

bool tok_is(const struct token *t, const char *text)
{
    return t->kind != T_EOF && strcmp(t->text, text) == 0;
}
