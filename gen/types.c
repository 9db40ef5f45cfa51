/* SPDX-License-Identifier: Apache-2.0 */
/*
 * types.c - parsing of the Objective-C type texts found in the API XML.
 */
#include "types.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct scalar_info {
    const char *name;
    const char *send_c;
    const char *public_c;
    const char *encoding;
};

/* NSInteger/NSUInteger are long/unsigned long on every 64-bit Apple and GNUstep target. */
static const struct scalar_info scalars[] = {
    {"NSUInteger", "unsigned long", "uint64_t", "Q"},
    {"NSInteger", "long", "int64_t", "q"},
    {"uint64_t", "uint64_t", "uint64_t", "Q"},
    {"size_t", "size_t", "size_t", "Q"},
    {"int64_t", "int64_t", "int64_t", "q"},
    {"uint32_t", "uint32_t", "uint32_t", "I"},
    {"int32_t", "int32_t", "int32_t", "i"},
    {"uint16_t", "uint16_t", "uint16_t", "S"},
    {"uint8_t", "uint8_t", "uint8_t", "C"},
    {"int", "int", "int", "i"},
    {"double", "double", "double", "d"},
    {"float", "float", "float", "f"},
    {"CGFloat", "double", "double", "d"},
    {"NSTimeInterval", "double", "double", "d"},
};

static const struct struct_info structs[] = {
    /* Two doubles, returned in registers on arm64 and x86_64 alike. */
    {{"CGSize", "NSSize"}, "cvz_size", "{CGSize=dd}", "(cvz_size){0, 0}", "VZSIM_STUB_SIZE", 16},
    {{"ether_addr_t", NULL}, "cvz_ether_address", "{ether_addr=[6C]}", "(cvz_ether_address){{0}}",
     "VZSIM_STUB_ETHER_ADDRESS", 6},
    {{"NSOperatingSystemVersion", NULL}, "cvz_os_version", "{?=qqq}", "(cvz_os_version){0, 0, 0}",
     "VZSIM_STUB_OS_VERSION", 24},
};

const struct struct_info *struct_info_for(const char *c_type)
{
    for (size_t i = 0; i < sizeof structs / sizeof *structs; i++)
        if (c_type && strcmp(structs[i].c_type, c_type) == 0)
            return &structs[i];
    return NULL;
}

/* Removes nullability and __kindof words and squeezes blanks; caller frees. */
static char *normalize(const char *text)
{
    static const char *const drop[] = {"_Nullable", "_Nonnull", "_Null_unspecified", "__kindof",
                                       "nullable", "nonnull", "__strong", "__autoreleasing"};
    struct strbuf sb;
    sb_init(&sb);
    const char *p = text;
    while (*p) {
        if (isalpha((unsigned char)*p) || *p == '_') {
            const char *w = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            size_t n = (size_t)(p - w);
            bool skip = false;
            for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
                if (strlen(drop[i]) == n && strncmp(drop[i], w, n) == 0)
                    skip = true;
            if (!skip) {
                if (sb.len && (isalnum((unsigned char)sb.data[sb.len - 1]) || sb.data[sb.len - 1] == '_'))
                    sb_addc(&sb, ' ');
                sb_addn(&sb, w, n);
            }
        } else if (isspace((unsigned char)*p)) {
            p++;
        } else {
            sb_addc(&sb, *p++);
        }
    }
    return sb_detach(&sb);
}

static bool is_identifier(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

/* "VZFoo*" → "VZFoo" when text is exactly an identifier followed by one '*'. */
static char *object_class(const char *norm)
{
    size_t n = strlen(norm);
    if (n < 2 || norm[n - 1] != '*')
        return NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (!(isalnum((unsigned char)norm[i]) || norm[i] == '_'))
            return NULL;
    return strndup(norm, n - 1);
}

static bool fail(char **why, char *msg)
{
    *why = msg;
    return false;
}

static bool parse_normalized(const char *norm, struct type *out, char **why);

/* Splits "a,b<c,d>,e" at top-level commas. */
static size_t split_params(const char *s, char ***parts)
{
    size_t count = 0;
    int depth = 0;
    const char *start = s;
    *parts = NULL;
    for (const char *p = s;; p++) {
        if (*p == '<' || *p == '(')
            depth++;
        else if (*p == '>' || *p == ')')
            depth--;
        if ((*p == ',' && depth == 0) || *p == '\0') {
            *parts = xrealloc(*parts, (count + 1) * sizeof **parts);
            (*parts)[count++] = strndup(start, (size_t)(p - start));
            start = p + 1;
        }
        if (*p == '\0')
            break;
    }
    return count;
}

static void block_free(struct block_sig *b)
{
    if (!b)
        return;
    type_clear(&b->ret);
    for (size_t i = 0; i < b->param_count; i++)
        type_clear(&b->params[i].type);
    free(b->params);
    free(b->key);
    free(b);
}

/* One block parameter, written "Type name", "Type *name" or just "Type". */
static bool parse_block_param(const char *raw, struct block_param *out, char **why)
{
    char *norm = normalize(raw);
    out->nullable = strstr(raw, "_Nullable") || strstr(raw, "nullable");
    if (parse_normalized(norm, &out->type, why)) {
        out->type.spelling = norm;
        return true;
    }
    /* Drop a trailing parameter name and retry. */
    size_t n = strlen(norm);
    while (n && (isalnum((unsigned char)norm[n - 1]) || norm[n - 1] == '_'))
        n--;
    while (n && norm[n - 1] == ' ')
        n--;
    if (n == 0 || n == strlen(norm)) {
        free(norm);
        return false;
    }
    free(*why);
    *why = NULL;
    norm[n] = '\0';
    bool ok = parse_normalized(norm, &out->type, why);
    if (ok)
        out->type.spelling = norm;
    else
        free(norm);
    return ok;
}

static bool parse_block(const char *norm, struct type *out, char **why)
{
    const char *caret = strstr(norm, "(^)(");
    size_t len = strlen(norm);
    if (!caret || norm[len - 1] != ')')
        return fail(why, xasprintf("malformed block type '%s'", norm));
    struct block_sig *b = xcalloc(1, sizeof *b);
    char *ret_text = strndup(norm, (size_t)(caret - norm));
    bool ok = parse_normalized(ret_text, &b->ret, why);
    free(ret_text);
    if (!ok) {
        block_free(b);
        return false;
    }
    char *inner = strndup(caret + 4, len - (size_t)(caret + 4 - norm) - 1);
    char **parts;
    size_t count = split_params(inner, &parts);
    free(inner);
    if (count == 1 && (parts[0][0] == '\0' || strcmp(parts[0], "void") == 0))
        count = 0, free(parts[0]);
    b->params = xcalloc(count, sizeof *b->params);
    for (size_t i = 0; i < count; i++) {
        if (ok && !parse_block_param(parts[i], &b->params[i], why))
            ok = false;
        else if (ok)
            b->param_count++;
        free(parts[i]);
    }
    free(parts);
    if (!ok) {
        block_free(b);
        return false;
    }
    if (b->ret.kind != TY_VOID) {
        block_free(b);
        return fail(why, xasprintf("block type '%s' returns a value; only void blocks are supported", norm));
    }
    for (size_t i = 0; i < b->param_count; i++) {
        enum type_kind k = b->params[i].type.kind;
        /* What the generated trampolines convert (templates/source_callback.tmpl). */
        if (k != TY_OBJECT && k != TY_ERROR && k != TY_SCALAR && k != TY_BOOL && k != TY_ENUM) {
            block_free(b);
            return fail(why, xasprintf("block parameter of kind %s in '%s' is not supported",
                                       type_kind_name(k), norm));
        }
    }
    *out = (struct type){TY_BLOCK, "void *", NULL, "@?", NULL, NULL, b, false, NULL};
    return true;
}

/* The element of an NSArray: a class, id<Protocol>, or NSData (resolve.c checks the names). */
static bool parse_array(const char *elem_text, struct type *out)
{
    if (strcmp(elem_text, "NSData*") == 0) {
        *out = (struct type){TY_DATA_ARRAY, "id", "cvz_bytes *", "@", NULL, NULL, NULL, false, NULL};
        return true;
    }
    size_t n = strlen(elem_text);
    if (strncmp(elem_text, "id<", 3) == 0 && n > 4 && elem_text[n - 1] == '>') {
        char *proto = strndup(elem_text + 3, n - 4);
        *out = (struct type){TY_ARRAY, "id", NULL, "@", proto, NULL, NULL, true, NULL};
        return true;
    }
    char *elem = object_class(elem_text);
    if (!elem)
        return false;
    *out = (struct type){TY_ARRAY, "id", NULL, "@", elem, NULL, NULL, false, NULL};
    return true;
}

static bool parse_normalized(const char *norm, struct type *out, char **why)
{
    memset(out, 0, sizeof *out);
    if (strstr(norm, "(^"))
        return parse_block(norm, out, why);
    if (strcmp(norm, "void") == 0) {
        *out = (struct type){TY_VOID, "void", "void", "v", NULL, NULL, NULL, false, NULL};
        return true;
    }
    if (strcmp(norm, "BOOL") == 0) {
        *out = (struct type){TY_BOOL, "BOOL", "bool", "B", NULL, NULL, NULL, false, NULL};
        return true;
    }
    for (size_t i = 0; i < sizeof scalars / sizeof *scalars; i++)
        if (strcmp(norm, scalars[i].name) == 0) {
            *out = (struct type){TY_SCALAR, scalars[i].send_c, scalars[i].public_c, scalars[i].encoding,
                                 NULL, NULL, NULL, false, NULL};
            return true;
        }
    /* C pointers and opaque Core Foundation style references cross unchanged. */
    static const char *const opaque[] = {"void*", "const void*", "SecCertificateRef", "vmnet_network_ref"};
    for (size_t i = 0; i < sizeof opaque / sizeof *opaque; i++)
        if (strcmp(norm, opaque[i]) == 0) {
            *out = (struct type){TY_POINTER, "void *", "void *", "^v", NULL, NULL, NULL, false, NULL};
            return true;
        }
    for (size_t i = 0; i < sizeof structs / sizeof *structs; i++)
        for (size_t j = 0; j < 2; j++)
            if (structs[i].objc_names[j] && strcmp(norm, structs[i].objc_names[j]) == 0) {
                *out = (struct type){TY_STRUCT, structs[i].c_type, structs[i].c_type, structs[i].encoding, NULL, NULL,
                                     NULL, false, NULL};
                return true;
            }
    if (strcmp(norm, "dispatch_queue_t") == 0) {
        *out = (struct type){TY_QUEUE, "id", NULL, "@", NULL, NULL, NULL, false, NULL};
        return true;
    }
    if (strcmp(norm, "instancetype") == 0) {
        *out = (struct type){TY_INSTANCETYPE, "id", NULL, "@", NULL, NULL, NULL, false, NULL};
        return true;
    }
    if (strcmp(norm, "NSError**") == 0) {
        *out = (struct type){TY_ERROR_OUT, "id *", NULL, "^@", NULL, NULL, NULL, false, NULL};
        return true;
    }
    if (strcmp(norm, "NSErrorDomain") == 0) {
        *out = (struct type){TY_ERROR_DOMAIN, "id", "const char *", "@", NULL, NULL, NULL, false, NULL};
        return true;
    }
    if (strncmp(norm, "id<", 3) == 0 && norm[strlen(norm) - 1] == '>') {
        char *proto = strndup(norm + 3, strlen(norm) - 4);
        *out = (struct type){TY_PROTOCOL, "id", NULL, "@", proto, NULL, NULL, false, NULL};
        return true;
    }
    if (strcmp(norm, "BOOL*") == 0) {
        *out = (struct type){TY_BOOL_OUT, "BOOL *", "bool *", "^B", NULL, NULL, NULL, false, NULL};
        return true;
    }
    if (strncmp(norm, "NSArray<", 8) == 0 && strcmp(norm + strlen(norm) - 2, ">*") == 0) {
        char *elem_text = strndup(norm + 8, strlen(norm) - 10);
        bool ok = parse_array(elem_text, out);
        free(elem_text);
        return ok ? true : fail(why, xasprintf("unknown element type in '%s' (arrays of API classes, of "
                                               "id<Protocol> and of NSData are supported)", norm));
    }
    if (strncmp(norm, "NSDictionary<", 13) == 0 && strcmp(norm + strlen(norm) - 2, ">*") == 0) {
        bool string_keys = strncmp(norm + 13, "NSString*,", 10) == 0;
        char *value_text = string_keys ? strndup(norm + 23, strlen(norm) - 25) : NULL;
        char *value = value_text ? object_class(value_text) : NULL;
        free(value_text);
        if (!value)
            return fail(why, dictionary_problem(norm));
        *out = (struct type){TY_DICTIONARY, "id", NULL, "@", value, NULL, NULL, false, NULL};
        return true;
    }
    char *cls = object_class(norm);
    if (cls) {
        if (strcmp(cls, "NSData") == 0)
            *out = (struct type){TY_DATA, "id", NULL, "@", cls, NULL, NULL, false, NULL};
        else if (strcmp(cls, "NSUUID") == 0)
            *out = (struct type){TY_UUID, "id", NULL, "@", cls, NULL, NULL, false, NULL};
        else if (strcmp(cls, "NSError") == 0)
            *out = (struct type){TY_ERROR, "id", "const cvz_error *", "@", cls, NULL, NULL, false, NULL};
        else if (strcmp(cls, "NSString") == 0)
            *out = (struct type){TY_STRING, "id", NULL, "@", cls, NULL, NULL, false, NULL};
        else if (strcmp(cls, "NSURL") == 0)
            *out = (struct type){TY_URL, "id", NULL, "@", cls, NULL, NULL, false, NULL};
        else if (strcmp(cls, "NSProgress") == 0)
            *out = (struct type){TY_PROGRESS, "id", "cvz_progress *", "@", cls, NULL, NULL, false, NULL};
        else if (strcmp(cls, "NSFileHandle") == 0)
            *out = (struct type){TY_FILE_HANDLE, "id", "int", "@", cls, NULL, NULL, false, NULL};
        else
            *out = (struct type){TY_OBJECT, "id", NULL, "@", cls, NULL, NULL, false, NULL};
        return true;
    }
    /* Any other identifier names an enum of the API (resolve.c binds it and sets its C types). */
    if (is_identifier(norm)) {
        *out = (struct type){TY_ENUM, NULL, NULL, NULL, NULL, xstrdup(norm), NULL, false, NULL};
        return true;
    }
    return fail(why, xasprintf("unknown type '%s'", norm));
}

bool parse_type(const char *text, struct type *out, char **why)
{
    *why = NULL;
    char *norm = normalize(text);
    bool ok = parse_normalized(norm, out, why);
    if (ok)
        out->spelling = norm;
    else
        free(norm);
    return ok;
}

char *dictionary_problem(const char *spelling)
{
    return xasprintf("unsupported dictionary type '%s' (dictionaries from NSString to an API class are supported)",
                     spelling);
}

char *block_key(const struct block_sig *b)
{
    struct strbuf key;
    sb_init(&key);
    sb_addf(&key, "%s(", b->ret.encoding);
    for (size_t i = 0; i < b->param_count; i++)
        sb_addf(&key, "%s%s", i ? "," : "",
                b->params[i].type.class_name ? b->params[i].type.class_name : b->params[i].type.encoding);
    sb_addc(&key, ')');
    return sb_detach(&key);
}

void type_clear(struct type *t)
{
    free(t->spelling);
    free(t->class_name);
    free(t->enum_name);
    block_free(t->block);
    memset(t, 0, sizeof *t);
}

const char *type_kind_name(enum type_kind kind)
{
    static const char *const names[] = {"void",   "BOOL",  "scalar",    "enum",         "object",
                                        "instancetype", "string", "URL", "file handle", "array",
                                        "error out-parameter", "error", "error domain", "block", "protocol object",
                                        "data", "UUID", "pointer", "struct", "progress", "dispatch queue",
                                        "BOOL out-parameter", "array of data", "dictionary"};
    return names[kind];
}
