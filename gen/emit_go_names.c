/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit_go_names.c - Go's names and types for the API's (see emit_go_internal.h).
 */
#include "emit_go_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Words spelled as Go spells initialisms ("cpu" → "CPU"), or as Apple mixes them. */
static const struct {
    const char *word, *go;
} go_words[] = {
    {"api", "API"},   {"cpu", "CPU"},     {"dns", "DNS"},       {"efi", "EFI"},   {"fd", "FD"},
    {"id", "ID"},     {"io", "IO"},       {"ios", "IOS"},       {"ip", "IP"},     {"ipv4", "IPv4"},
    {"ipv6", "IPv6"}, {"mac", "MAC"},     {"macos", "MacOS"},   {"nat", "NAT"},   {"nbd", "NBD"},
    {"nvme", "NVMe"}, {"os", "OS"},       {"sha256", "SHA256"}, {"spice", "SPICE"}, {"url", "URL"},
    {"usb", "USB"},   {"uuid", "UUID"},   {"vm", "VM"},         {"x509", "X509"}, {"xhci", "XHCI"},
};

/* "cpu_count" → "CPUCount", "new_with_kernel_url" → "NewWithKernelURL". */
char *go_camel(const char *snake)
{
    struct strbuf sb;
    sb_init(&sb);
    const char *p = snake;
    while (*p) {
        size_t n = strcspn(p, "_");
        size_t k = 0;
        while (k < sizeof go_words / sizeof *go_words &&
               (strlen(go_words[k].word) != n || strncmp(go_words[k].word, p, n) != 0))
            k++;
        if (k < sizeof go_words / sizeof *go_words)
            sb_adds(&sb, go_words[k].go);
        else if (n) {
            sb_addc(&sb, (char)toupper((unsigned char)p[0]));
            sb_addn(&sb, p + 1, n - 1);
        }
        p += n;
        if (*p == '_')
            p++;
    }
    return sb_detach(&sb);
}

/*
 * The Go name of an Apple name: the framework's prefix dropped
 * ("VZLinuxBootLoader" → "LinuxBootLoader"); NSProgress is go/cvz's Progress.
 */
const char *go_type_name(const char *apple)
{
    if (strcmp(apple, "NSProgress") == 0)
        return "Progress";
    return strncmp(apple, "VZ", 2) == 0 ? apple + 2 : apple;
}

/* A Go parameter name from Apple's ("URL" → "url", "kernelURL" stays); keywords and the wrappers' locals renamed. */
char *go_param(const char *apple)
{
    static const char *const taken[] = {"break", "case", "chan", "const", "continue", "default", "defer", "else",
                                        "fallthrough", "for", "func", "go", "goto", "if", "import", "interface",
                                        "map", "package", "range", "return", "select", "struct", "switch", "type",
                                        "var", "x", "self", "err", "cErr", "cRes", "ctx", "done", "timeout",
                                        "error", "string", "len", "cap", "nil", "true", "false", "unsafe",
                                        "runtime", "context", "time", "os", "C"};
    char *name = xstrdup(apple);
    size_t upper = 0;
    while (isupper((unsigned char)name[upper]))
        upper++;
    /* "URLs" → "urls"; "MACAddress" → "macAddress": the last capital of a run starts the next word. */
    size_t lower_to = upper > 1 && name[upper] && islower((unsigned char)name[upper]) && name[upper] != 's' ? upper - 1 : upper;
    for (size_t i = 0; i < lower_to; i++)
        name[i] = (char)tolower((unsigned char)name[i]);
    for (size_t i = 0; i < sizeof taken / sizeof *taken; i++)
        if (strcmp(name, taken[i]) == 0) {
            char *renamed = xasprintf("%sArg", name);
            free(name);
            return renamed;
        }
    return name;
}

/* The Go twins of scalars' public C types. */
static const struct {
    const char *c, *go;
} go_scalars[] = {
    {"uint64_t", "uint64"}, {"int64_t", "int64"}, {"uint32_t", "uint32"}, {"int32_t", "int32"},
    {"uint16_t", "uint16"}, {"uint8_t", "uint8"},  {"size_t", "uint64"},   {"int", "int32"},
    {"double", "float64"},  {"float", "float32"},  {"bool", "bool"},
};

/* C structs passed by value: their Go twins and conversions (go/cvz/convert.go). */
static const struct go_struct go_structs[] = {
    {"cvz_size", "Size", "cSize", "goSize"},
    {"cvz_ether_address", "EtherAddress", "cEtherAddress", "goEtherAddress"},
    {"cvz_os_version", "OSVersion", "cOSVersion", "goOSVersion"},
};

const struct go_struct *go_struct(const char *public_c)
{
    for (size_t i = 0; i < sizeof go_structs / sizeof *go_structs; i++)
        if (public_c && strcmp(go_structs[i].c, public_c) == 0)
            return &go_structs[i];
    return NULL;
}

const char *go_value_type(const char *apple_type, const char *public_c)
{
    if (apple_type)
        return go_type_name(apple_type);
    if (strcmp(public_c, "void *") == 0)
        return "unsafe.Pointer";
    for (size_t i = 0; i < sizeof go_scalars / sizeof *go_scalars; i++)
        if (strcmp(go_scalars[i].c, public_c) == 0)
            return go_scalars[i].go;
    return NULL;
}

/* cgo's name of a C type: "C.uint64_t", "C.enum_cvz_foo", "*C.struct_cvz_foo", "unsafe.Pointer" (const dropped). */
char *cgo_type(const char *c_type)
{
    if (strncmp(c_type, "const ", 6) == 0)
        c_type += 6;
    if (strcmp(c_type, "void *") == 0)
        return xstrdup("unsafe.Pointer");
    size_t n = strlen(c_type);
    bool pointer = n > 2 && strcmp(c_type + n - 2, " *") == 0;
    char *base = xasprintf("%.*s", (int)(pointer ? n - 2 : n), c_type);
    char *space = strchr(base, ' '); /* "enum cvz_foo" → "enum_cvz_foo", as cgo spells it */
    if (space)
        *space = '_';
    char *t = xasprintf("%sC.%s", pointer ? "*" : "", base);
    free(base);
    return t;
}

/* "cvz_error_callback" → "cvzgoErrorCallback": the exported Go trampoline of a C callback type. */
char *go_trampoline(const char *callback_cname)
{
    char *camel = go_camel(callback_cname + strlen("cvz_"));
    char *name = xasprintf("cvzgo%s", camel);
    free(camel);
    return name;
}

/* The Go type of a completion handler: "func(error)", or "func(*MacOSRestoreImage, error)" when it delivers one. */
char *go_handler_type(const char *object_apple_type)
{
    if (!object_apple_type)
        return xstrdup("func(error)");
    return xasprintf("func(*%s, error)", go_type_name(object_apple_type));
}
