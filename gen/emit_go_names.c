/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emit_go_names.c - Go's names and types for the API's (see emit_go_internal.h).
 */
#include "emit_go_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "naming.h"

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

/* The Go name of an Apple name: the framework's prefix dropped ("VZLinuxBootLoader" → "LinuxBootLoader"). */
const char *go_type_name(const char *apple)
{
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

/* Go and cgo types of a scalar's public C type. */
static const struct go_scalar go_scalars[] = {
    {"uint64_t", "uint64", "C.uint64_t"}, {"int64_t", "int64", "C.int64_t"}, {"uint32_t", "uint32", "C.uint32_t"},
    {"int32_t", "int32", "C.int32_t"},    {"uint16_t", "uint16", "C.uint16_t"}, {"uint8_t", "uint8", "C.uint8_t"},
    {"size_t", "uint64", "C.size_t"},     {"int", "int32", "C.int"},           {"double", "float64", "C.double"},
    {"float", "float32", "C.float"},      {"bool", "bool", "C.bool"},
};

/* C structs passed by value: their Go twins and conversions (go/cvz/convert.go). */
static const struct go_struct go_structs[] = {
    {"cvz_size", "Size", "cSize", "goSize"},
    {"cvz_ether_address", "EtherAddress", "cEtherAddress", "goEtherAddress"},
    {"cvz_os_version", "OSVersion", "cOSVersion", "goOSVersion"},
};

const struct go_scalar *go_scalar(const char *public_c)
{
    for (size_t i = 0; i < sizeof go_scalars / sizeof *go_scalars; i++)
        if (public_c && strcmp(go_scalars[i].c, public_c) == 0)
            return &go_scalars[i];
    return NULL;
}

const struct go_struct *go_struct(const char *public_c)
{
    for (size_t i = 0; i < sizeof go_structs / sizeof *go_structs; i++)
        if (public_c && strcmp(go_structs[i].c, public_c) == 0)
            return &go_structs[i];
    return NULL;
}

/* The cgo type of a handle of t's class, or of its protocol: "cvz_boot_loader", "struct_cvz_usb_device". */
char *handle_ctype(const struct go_emitter *g, const struct type *t)
{
    if (t->kind != TY_PROTOCOL && !t->of_protocol)
        return class_cname(find_class(g->api, t->class_name));
    char *stem = class_stem(t->class_name);
    char *ct = xasprintf("struct_cvz_%s", stem);
    free(stem);
    return ct;
}
