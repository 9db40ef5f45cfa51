/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capi_summary.c - the first line of a wrapper's doc comment: what it does, in
 * words made from Apple's names, since the API description carries no prose
 * (Apple's own text stays in the SDK).  "VZVirtualMachineConfiguration" and
 * "CPUCount" give "the CPU count of the virtual machine configuration";
 * "saveMachineStateToURL:completionHandler:" gives "saves machine state to URL".
 */
#include "capi_build.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Words written their own way: proper names and standards. */
static const char *proper(const char *word, size_t n)
{
    static const char *const names[][2] = {
        {"linux", "Linux"}, {"mac", "Mac"},       {"rosetta", "Rosetta"}, {"spice", "SPICE"},
        {"x509", "X.509"},  {"sha256", "SHA-256"}, {"url", "URL"},         {"express", "Express"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i][0]) == n && strncasecmp(word, names[i][0], n) == 0)
            return names[i][1];
    return NULL;
}

/* Words of a camel-case name: "CPUCount" → "CPU count", "macOSVersion" → "macOS version". */
static void add_words(struct strbuf *out, const char *name)
{
    const char *p = name;
    while (*p) {
        const char *start = p;
        if (strncmp(p, "macOS", 5) == 0 || strncmp(p, "MacOS", 5) == 0)
            p += 5;
        else if (isupper((unsigned char)p[0]) && isupper((unsigned char)p[1])) {
            /* An acronym: its capitals, but not the first capital of the next word ("URLForm" → "URL"). */
            while (isupper((unsigned char)*p) && !(p[1] && islower((unsigned char)p[1])))
                p++;
            while (isdigit((unsigned char)*p))
                p++;
        } else {
            p++;
            while (*p && !isupper((unsigned char)*p))
                p++;
        }
        if (p == start) /* "URLs" ends on a lower-case letter after the acronym */
            p++;
        if (out->len)
            sb_addc(out, ' ');
        bool acronym = p - start > 1 && isupper((unsigned char)start[1]);
        if (strncmp(start, "MacOS", 5) == 0 || strncmp(start, "macOS", 5) == 0) {
            sb_adds(out, "macOS");
            continue;
        }
        const char *as_written = proper(start, (size_t)(p - start));
        if (as_written) {
            sb_adds(out, as_written);
            continue;
        }
        char word[128];
        size_t n = (size_t)(p - start) < sizeof word ? (size_t)(p - start) : sizeof word;
        for (size_t i = 0; i < n; i++)
            word[i] = acronym ? start[i] : (char)tolower((unsigned char)start[i]);
        sb_addn(out, word, n);
    }
}

char *capi_words(const char *name)
{
    struct strbuf sb;
    sb_init(&sb);
    add_words(&sb, strncmp(name, "VZ", 2) == 0 && isupper((unsigned char)name[2]) ? name + 2 : name);
    return sb_detach(&sb);
}

/* The verbs that start the selectors of the API; any other start names what the method returns. */
static bool is_verb(const char *word)
{
    static const char *const verbs[] = {
        "add",     "attach",  "close",  "connect",  "detach",  "disable", "enable",   "enroll",
        "fetch",   "get",     "install", "load",    "map",     "pause",   "peek",     "read",
        "reconfigure", "remove", "request", "reset", "restore", "resume", "return", "save",
        "set",     "start",   "stop",   "unmap",    "update",  "validate", "write",
    };
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
        if (strcmp(word, verbs[i]) == 0)
            return true;
    return false;
}

/* "start" → "starts", "fetch" → "fetches". */
static void add_third_person(struct strbuf *out, const char *verb)
{
    size_t n = strlen(verb);
    sb_adds(out, verb);
    if (n && (verb[n - 1] == 's' || verb[n - 1] == 'x' || verb[n - 1] == 'z' ||
              (n > 1 && verb[n - 1] == 'h' && (verb[n - 2] == 'c' || verb[n - 2] == 's'))))
        sb_adds(out, "es");
    else
        sb_addc(out, 's');
}

/* The words of a selector's first part, up to "With…" (which names the first argument). */
static char *selector_phrase(const char *selector)
{
    size_t n = strcspn(selector, ":");
    char *part = xasprintf("%.*s", (int)n, selector);
    char *with = strstr(part, "With");
    if (with && with != part && isupper((unsigned char)with[4]))
        *with = '\0';
    char *phrase = capi_words(part);
    free(part);
    return phrase;
}

/* "a" or "an" before these words. */
static const char *article(const char *phrase)
{
    size_t n = strcspn(phrase, " ");
    bool acronym = n > 1 && isupper((unsigned char)phrase[0]) && isupper((unsigned char)phrase[1]);
    if (acronym && strncmp(phrase, "MAC ", 4) != 0 && strncmp(phrase, "NAT ", 4) != 0)
        return strchr("AEFHILMNORSX", phrase[0]) ? "an" : "a";
    return strchr("aeio", tolower((unsigned char)phrase[0])) ? "an" : "a";
}

/* A BOOL property reads as a question: "whether the virtual machine can start". */
static void add_whether(struct strbuf *out, const char *owner, const struct capi_wrapper *wr, const char *prop)
{
    static const char *const leads[] = {"can ", "is ", "has ", "supports ", "should ", "uses ", "allows "};
    bool led = false;
    for (size_t i = 0; i < sizeof leads / sizeof *leads; i++)
        led = led || strncmp(prop, leads[i], strlen(leads[i])) == 0;
    sb_addf(out, "whether %s%s %s%s", wr->class_receiver ? "" : "the ", owner, led ? "" : "is ", prop);
}

char *capi_summary(const struct capi_wrapper *wr)
{
    const char *owner = wr->owner_words;
    struct strbuf sb;
    sb_init(&sb);
    switch (wr->role) {
    case CAPI_ROLE_GETTER:
    case CAPI_ROLE_SETTER: {
        const struct arg *value = wr->role == CAPI_ROLE_GETTER ? wr->ret : &wr->args[0];
        char *prop = capi_words(value->name);
        if (wr->role == CAPI_ROLE_SETTER)
            sb_adds(&sb, "sets ");
        if (value->type.kind == TY_BOOL)
            add_whether(&sb, owner, wr, prop);
        else
            sb_addf(&sb, "the %s of %s%s", prop, wr->class_receiver ? "" : "the ", owner);
        if (wr->class_receiver)
            sb_adds(&sb, " (a class property)");
        free(prop);
        break;
    }
    case CAPI_ROLE_NEW:
        sb_addf(&sb, "creates %s %s with its default settings", article(owner), owner);
        break;
    case CAPI_ROLE_INIT: {
        sb_addf(&sb, "creates %s %s", article(owner), owner);
        size_t named = 0;
        for (size_t i = 0; i < wr->arg_count; i++) {
            if (wr->args[i].type.kind == TY_ERROR_OUT || wr->args[i].type.kind == TY_QUEUE)
                continue;
            char *w = capi_words(wr->args[i].name);
            sb_addf(&sb, "%s%s", named == 0 ? " from " : ", ", w);
            named++;
            free(w);
        }
        break;
    }
    case CAPI_ROLE_METHOD: {
        char *phrase = selector_phrase(wr->selector);
        size_t n = strcspn(phrase, " ");
        char *verb = xasprintf("%.*s", (int)n, phrase);
        if (is_verb(verb)) {
            add_third_person(&sb, verb);
            if (phrase[n])
                sb_adds(&sb, phrase + n);
            else
                sb_addf(&sb, " the %s", owner);
        } else
            sb_addf(&sb, "returns the %s", phrase);
        free(verb);
        free(phrase);
        break;
    }
    }
    sb_addc(&sb, '.');
    return sb_detach(&sb);
}
