/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parser.h - state shared by the parts of the header parser (parser.c:
 * top level and containers, members.c: methods and properties, enums.c:
 * NS_ENUM and friends).
 */
#ifndef CVZSCAN_PARSER_H
#define CVZSCAN_PARSER_H

#include "scan.h"

struct parser {
    const struct token_list *tl;
    size_t pos;
    struct scan *scan;
    const char *file; /* base name of the header */
};

static inline const struct token *p_cur(const struct parser *p)
{
    return &p->tl->v[p->pos];
}

static inline const struct token *p_peek(const struct parser *p, size_t ahead)
{
    size_t i = p->pos + ahead;
    return &p->tl->v[i < p->tl->count ? i : p->tl->count - 1];
}

static inline struct loc p_loc(const struct parser *p, const struct token *t)
{
    return (struct loc){p->tl->file, t->line};
}

static inline bool p_at_eof(const struct parser *p)
{
    return p_cur(p)->kind == T_EOF;
}

/* Index of the ';' ending the statement at p->pos (parentheses, brackets and
 * braces skipped), or of the first token that can't be part of it (an
 * @-keyword, EOF).  Never moves p->pos. */
size_t p_find_semicolon(const struct parser *p);

/* parser.c */
void member_free(struct member *m);
void container_free(struct container *c);

/* members.c */
bool parse_property(struct parser *p, struct member *m);
bool parse_method(struct parser *p, struct member *m);

/* enums.c: p->pos at NS_ENUM / NS_OPTIONS / NS_ERROR_ENUM / NS_CLOSED_ENUM */
void parse_enum(struct parser *p, struct annotations *leading, const struct token *typedef_tok);

#endif
