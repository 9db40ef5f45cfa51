/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan.h - cvzscan: Objective-C framework headers → API XML (api/cvz-api.rng).
 *
 * The pipeline is lexer (tokens, comments, preprocessor conditionals) →
 * parser (constants, enums, protocols, classes, categories) → resolve
 * (categories merged, effective availability, output order) → writer.
 * Every item keeps the file:line it came from for diagnostics.
 */
#ifndef CVZSCAN_SCAN_H
#define CVZSCAN_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "../util.h"
#include "version.h"

/* ---- diagnostics (errors go through diag_error in gen/util.h) ---------- */

void scan_warning(struct loc at, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int scan_warning_count(void);

/* ---- tokens ---------------------------------------------------------------- */

enum tok_kind {
    T_IDENT,  /* identifiers and keywords */
    T_AT,     /* @interface, @end, … (text includes the '@') */
    T_NUMBER, /* integer literals as written (0x10, 1ULL) */
    T_STRING, /* "…" with its quotes */
    T_CHAR,   /* '…' with its quotes */
    T_PUNCT,  /* one character, or "<<" */
    T_EOF,
};

struct token {
    enum tok_kind kind;
    char *text;
    int line;
    bool space_before; /* whitespace or a comment separated it from the previous token */
    bool arm64;        /* inside the taken branch of an arm64-only conditional */
};

struct token_list {
    struct token *v;
    size_t count;
    const char *file;
};

/* Tokenizes a whole header.  Returns -1 after reporting errors. */
int lex_file(const char *file, const char *text, struct token_list *out);
void token_list_free(struct token_list *tl);
bool tok_is(const struct token *t, const char *text);

/* ---- availability and annotation macros --------------------------------- */

/* Versions (support/version.h) are major * 100 + minor; 0 means "not stated". */

struct avail {
    version_t introduced;
    version_t deprecated;
    char *replacement;
    bool unavailable_macos; /* API_UNAVAILABLE(macos): the item is skipped */
    bool arm64;
};

/* What the macros around one declaration say. */
struct annotations {
    struct avail av;
    bool ns_unavailable; /* NS_UNAVAILABLE */
    bool designated;     /* NS_DESIGNATED_INITIALIZER */
};

/*
 * When tokens[*pos] is an annotation macro (API_AVAILABLE(…), NS_SWIFT_NAME(…),
 * NS_UNAVAILABLE, VZ_EXPORT, __attribute__((…)), …), consumes it and its
 * parenthesised arguments, records what it means in `an` (may be NULL) and
 * returns true.  Unknown NS_/API_ macros are consumed with a warning.
 */
bool annot_take(const struct token_list *tl, size_t *pos, size_t end, struct annotations *an);
/* True for the identifiers annot_take would consume. */
bool annot_is_macro(const struct token *t);
/* Index of the ')' closing the '(' at `pos`, or SIZE_MAX when it isn't closed
 * before `end` or the end of the file. */
size_t match_paren(const struct token_list *tl, size_t pos, size_t end);
/* Index just past that ')'; when unbalanced, `end` or the end-of-file
 * token's index, whichever comes first (never past the end of the list). */
size_t skip_parens(const struct token_list *tl, size_t pos, size_t end);

void avail_free(struct avail *a);

/* ---- model ------------------------------------------------------------------ */

struct arg {
    char *name;
    char *type;
    bool nullable;
};

enum member_kind { M_METHOD, M_PROPERTY };

struct member {
    enum member_kind kind;
    struct loc at;
    struct annotations an;
    bool optional;         /* @optional in a protocol */
    bool skip;             /* resolve: a duplicate, left out */
    const char *category;  /* the category it was declared in (borrowed), or NULL */
    const char *file;      /* the header's base name, for category comments */
    /* method */
    char *selector;
    bool is_class;
    struct arg ret;
    struct arg *args;
    size_t arg_count;
    /* property (name and type in `ret`) */
    bool readonly;
    bool class_property;
    char *getter;
    char *setter;
    const char *memory; /* "copy", "strong", "weak", "assign" or NULL */
};

enum container_kind { C_CLASS, C_PROTOCOL, C_CATEGORY };

struct container {
    enum container_kind kind;
    struct loc at;
    const char *file; /* base name of the header */
    char *name;
    char *superclass; /* classes */
    char *category;   /* categories: the category's name ("" for an extension) */
    struct annotations an;
    struct member *members;
    size_t member_count;
    bool skip; /* resolve: left out (no macOS version, duplicate, unknown class) */
    bool done; /* resolve: already placed in the output order */
    bool visiting;
    version_t inferred_introduced; /* resolve: from the earliest subclass, while the pass runs */
};

struct enum_value {
    struct loc at;
    char *name;
    char *value; /* as it will be written: "3", "0x10", "1 << 4" */
    long long number;
    struct annotations an;
};

struct enum_decl {
    struct loc at;
    const char *file;
    char *name;
    char *type;
    char *error_domain;
    bool options;
    struct annotations an;
    struct enum_value *values;
    size_t value_count;
    bool skip;
};

struct constant {
    struct loc at;
    const char *file;
    char *name;
    char *type;
    struct annotations an;
    bool skip;
};

struct scan {
    struct constant *constants;
    size_t constant_count;
    struct enum_decl *enums;
    size_t enum_count;
    struct container *containers; /* classes, protocols and categories in header order */
    size_t container_count;
    char **files; /* base names, owned */
    size_t file_count;
};

/* Parses one tokenized header into `scan`.  Errors go through diag_error. */
void parse_header(struct scan *scan, const struct token_list *tl, const char *base_name);

/* Builds a type's text from tokens[begin, end): annotation macros dropped,
 * nullability qualifiers outside parentheses and generics dropped (*nullable
 * set when one applies to the outermost pointer), whitespace normalised.
 * `skip` is one token index to leave out (a block property's name), or
 * SIZE_MAX.  type_text_constant also drops const/extern/static. */
char *type_text(const struct token_list *tl, size_t begin, size_t end, size_t skip, bool *nullable);
char *type_text_constant(const struct token_list *tl, size_t begin, size_t end);
/* Reports an empty type or one longer than the schema's 200 characters. */
bool type_ok(struct loc at, const char *type, const char *what);

/* Evaluates an enum value expression; false (and *why) when it can't. */
bool enum_eval(const struct token_list *tl, size_t begin, size_t end, const struct scan *scan,
               const struct enum_decl *current, long long *out, const char **why);

/* ---- resolve and write ------------------------------------------------------ */

/* One class with its categories merged, or one protocol, in output order. */
struct out_container {
    struct container *c;
    struct member **members; /* borrowed, in output order */
    size_t member_count;
};

struct resolved {
    struct out_container *protocols;
    size_t protocol_count;
    struct out_container *classes;
    size_t class_count;
    version_t max_version; /* the newest version any item states */
};

/* Effective availability of every item, categories merged, classes ordered.
 * Returns -1 after reporting errors. */
int resolve(struct scan *scan, struct resolved *out);
void resolved_free(struct resolved *r);

struct write_options {
    const char *framework;
    const char *sdk; /* "27.0" */
};

/* The whole document. */
char *write_xml(const struct scan *scan, const struct resolved *r, const struct write_options *opt);

void scan_free(struct scan *scan);

/* ---- replacing an API description (replace.c; cvzscan --replacing) -------- */

/* 0 when `dir` holds the umbrella header <framework>.h; else -1, reported. */
int check_umbrella(const char *dir, const char *framework);
/* 0 when the scanned document `xml` keeps at least half of the API items of
 * the file `previous` (or `previous` does not exist); else -1, reported. */
int check_replacement(const char *xml, const char *previous, const char *dir);

#endif
