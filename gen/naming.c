/* SPDX-License-Identifier: Apache-2.0 */
/*
 * naming.c - the naming rules of cvz (see naming.h).
 */
#include "naming.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Words whose capitals don't follow the usual camel-case boundaries. */
static const struct {
    const char *spelling;
    const char *word;
} mixed_case_words[] = {
    {"macOS", "macos"},
    {"NVMe", "nvme"},
    {"IPv4", "ipv4"},
    {"IPv6", "ipv6"},
    {"iOS", "ios"},
};

static const char framework_prefix[] = "VZ";

/*
 * Words a C parameter name cannot be in the C11/C23 and C++ translation units
 * that include cvz-api.h: keywords, C++'s alternative tokens, and the C names
 * <stdbool.h>, <stdalign.h>, <stdnoreturn.h>, <assert.h> and <iso646.h> define
 * as macros.  Sorted for bsearch.
 */
static const char *const keywords[] = {
    "_Alignas", "_Alignof", "_Atomic", "_BitInt", "_Bool", "_Complex", "_Decimal128", "_Decimal32", "_Decimal64",
    "_Generic", "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local", "alignas", "alignof", "and",
    "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char", "char16_t", "char32_t",
    "char8_t", "class", "co_await", "co_return", "co_yield", "compl", "concept", "const", "const_cast", "consteval",
    "constexpr", "constinit", "continue", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else",
    "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int",
    "long", "mutable", "namespace", "new", "noexcept", "noreturn", "not", "not_eq", "nullptr", "operator", "or",
    "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires", "restrict", "return",
    "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch", "template", "this",
    "thread_local", "throw", "true", "try", "typedef", "typeid", "typename", "typeof", "typeof_unqual", "union",
    "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
};

static int compare_words(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool is_c_keyword(const char *name)
{
    return bsearch(&name, keywords, sizeof keywords / sizeof *keywords, sizeof *keywords, compare_words) != NULL;
}

char *snake_case(const char *s)
{
    struct strbuf sb;
    sb_init(&sb);
    size_t n = strlen(s);
    size_t i = 0;
    while (i < n) {
        if (s[i] == '_') {
            i++;
            continue;
        }
        if (sb.len)
            sb_addc(&sb, '_');
        bool special = false;
        for (size_t k = 0; k < sizeof mixed_case_words / sizeof *mixed_case_words; k++) {
            size_t len = strlen(mixed_case_words[k].spelling);
            if (strncmp(s + i, mixed_case_words[k].spelling, len) == 0 && !islower((unsigned char)s[i + len])) {
                sb_adds(&sb, mixed_case_words[k].word);
                i += len;
                special = true;
                break;
            }
        }
        if (special)
            continue;
        size_t start = i;
        if (isupper((unsigned char)s[i])) {
            /* A run of capitals: an acronym, minus the capital that starts the next word. */
            size_t j = i;
            while (j < n && (isupper((unsigned char)s[j]) || isdigit((unsigned char)s[j])))
                j++;
            if (j - i > 1 && j < n && islower((unsigned char)s[j]))
                j--;
            if (j == i + 1 || j == i) {
                j = i + 1;
                while (j < n && (islower((unsigned char)s[j]) || isdigit((unsigned char)s[j])))
                    j++;
            }
            i = j;
        } else {
            while (i < n && (islower((unsigned char)s[i]) || isdigit((unsigned char)s[i])))
                i++;
        }
        for (size_t k = start; k < i; k++)
            sb_addc(&sb, (char)tolower((unsigned char)s[k]));
    }
    return sb_detach(&sb);
}

char *class_stem(const char *class_name)
{
    size_t p = strlen(framework_prefix);
    if (strncmp(class_name, framework_prefix, p) == 0 && isupper((unsigned char)class_name[p]))
        class_name += p;
    return snake_case(class_name);
}

char *class_cname(const struct class_decl *c)
{
    if (c->cname)
        return xstrdup(c->cname);
    char *stem = class_stem(c->name);
    char *name = xconcat("cvz_", stem, (const char *)NULL);
    free(stem);
    return name;
}

char *enum_cname(const struct enum_decl *e)
{
    char *stem = class_stem(e->name);
    char *name = xconcat("cvz_", stem, (const char *)NULL);
    free(stem);
    return name;
}

char *enum_value_cname(const char *value_name)
{
    char *stem = class_stem(value_name);
    for (char *p = stem; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    char *name = xasprintf("CVZ_%s", stem);
    free(stem);
    return name;
}

/* Removes `suffix` from the end of part when present; true if removed. */
static bool strip_suffix(char *part, const char *suffix)
{
    size_t n = strlen(part), m = strlen(suffix);
    if (n >= m && strcmp(part + n - m, suffix) == 0) {
        part[n - m] = '\0';
        return true;
    }
    return false;
}

char *method_stem(const struct method *m)
{
    if (m->cname)
        return xstrdup(m->cname);
    struct strbuf sb;
    sb_init(&sb);
    const char *p = m->selector;
    size_t index = 0;
    while (*p) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        char *part = strndup(p, len);
        const struct arg *a = colon && index < m->arg_count ? &m->args[index] : NULL;
        /* Error out-parameters and completion handlers are not named in C. */
        if (a && a->type.kind == TY_ERROR_OUT) {
            if (!strip_suffix(part, "WithError"))
                strip_suffix(part, "error");
        } else if (a && a->type.kind == TY_BLOCK) {
            if (!strip_suffix(part, "WithCompletionHandler"))
                strip_suffix(part, "completionHandler");
        }
        if (index == 0 && !m->is_class && strncmp(part, "init", 4) == 0 &&
            (part[4] == '\0' || isupper((unsigned char)part[4]))) {
            /* -initWithFoo: → new_with_foo: the C function allocates and initializes. */
            sb_adds(&sb, "new");
            if (part[4]) {
                char *rest = snake_case(part + 4);
                sb_addf(&sb, "_%s", rest);
                free(rest);
            }
        } else if (*part) {
            char *words = snake_case(part);
            sb_addf(&sb, "%s%s", sb.len ? "_" : "", words);
            free(words);
        }
        free(part);
        p += len + (colon ? 1 : 0);
        index++;
    }
    return sb_detach(&sb);
}

char *callback_cname(const struct block_sig *b)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, "cvz");
    if (b->param_count == 0)
        sb_adds(&sb, "_void");
    for (size_t i = 0; i < b->param_count; i++) {
        const struct type *t = &b->params[i].type;
        char *word;
        if (t->class_name && strcmp(t->class_name, "NSError") == 0)
            word = xstrdup("error");
        else if (t->class_name)
            word = class_stem(t->class_name);
        else if (t->enum_name)
            word = class_stem(t->enum_name);
        else if (t->kind == TY_BOOL)
            word = xstrdup("bool");
        else
            word = snake_case(t->public_c);
        sb_addf(&sb, "_%s", word);
        free(word);
    }
    sb_adds(&sb, "_callback");
    return sb_detach(&sb);
}

/* "virtual_machine_stop" → "VIRTUAL_MACHINE_STOP"; the caller frees. */
static char *upper_case(const char *s)
{
    char *u = xstrdup(s);
    for (char *p = u; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return u;
}

/* A C name without its "cvz_" (every function and class name has it: naming rules or the overrides' cname). */
static const char *without_prefix(const char *cname)
{
    return strlen(cname) > 4 ? cname + 4 : cname;
}

char *protocol_cname(const char *protocol_name)
{
    char *stem = class_stem(protocol_name);
    char *name = xconcat("cvz_", stem, (const char *)NULL);
    free(stem);
    return name;
}

char *constant_cname(const char *constant_name)
{
    return protocol_cname(constant_name); /* the same rule: VZFooErrorDomain → cvz_foo_error_domain */
}

/* "cvz_foo" + infix + the property's stem (the XML's cname, or its name in snake case). */
static char *accessor_cname(const char *container_cname, const char *infix, const struct property *p)
{
    char *stem = p->cname ? xstrdup(p->cname) : snake_case(p->name);
    char *name = xasprintf("%s_%s%s", container_cname, infix, stem);
    free(stem);
    return name;
}

char *property_getter_cname(const char *container_cname, const struct property *p)
{
    return accessor_cname(container_cname, "", p);
}

char *property_setter_cname(const char *container_cname, const struct property *p)
{
    return accessor_cname(container_cname, "set_", p);
}

char *upcast_cname(const char *class_cname, const struct class_decl *superclass)
{
    char *stem = class_stem(superclass->name);
    char *name = xasprintf("%s_as_%s", class_cname, stem);
    free(stem);
    return name;
}

char *method_cname(const char *class_cname, const struct method *m)
{
    char *stem = method_stem(m);
    char *name = xasprintf("%s_%s", class_cname, stem);
    free(stem);
    return name;
}

char *new_cname(const char *cname)
{
    return xasprintf("%s_new", cname);
}

char *delegate_class_name(const char *protocol_name)
{
    size_t p = strlen(framework_prefix);
    return xasprintf("CVZ%s", strncmp(protocol_name, framework_prefix, p) == 0 ? protocol_name + p : protocol_name);
}

char *wait_cname(const char *function_cname)
{
    return xasprintf("%s_and_wait", function_cname);
}

/* prefix + words in capitals: ("CVZ_API_", "foo_start") → "CVZ_API_FOO_START"; the caller frees. */
static char *constant_name(const char *prefix, const char *words)
{
    char *u = upper_case(words);
    char *name = xconcat(prefix, u, (const char *)NULL);
    free(u);
    return name;
}

char *api_macro(const char *function_cname)
{
    return constant_name("CVZ_API_", without_prefix(function_cname));
}

char *class_macro(const char *class_cname)
{
    return constant_name("CVZ_CLASS_", without_prefix(class_cname));
}

char *item_id(const char *function_cname)
{
    return constant_name("CVZ__ITEM_ID_", without_prefix(function_cname));
}

char *class_id(const char *class_cname)
{
    return constant_name("CVZ__CLASS_ID_", without_prefix(class_cname));
}

char *socket_kind_macro(const char *socket_kind)
{
    return constant_name("CVZ__SOCKET_", socket_kind);
}

char *param_name(const char *objc_name)
{
    /* The generated wrappers' own locals and parameters (templates/source_wrapper.tmpl). */
    static const char *const reserved[] = {"self", "error", "c", "scope", "result", "block", "count", "length",
                                           "callback", "context", "timeout_ms", "w", "rc"};
    char *name = snake_case(objc_name);
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (strcmp(name, reserved[i]) == 0) {
            char *renamed = xasprintf("%s_arg", name);
            free(name);
            return renamed;
        }
    return name;
}
