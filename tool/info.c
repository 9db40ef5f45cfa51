/* SPDX-License-Identifier: Apache-2.0 */
/*
 * info.c - `cvz info [--json] [NAME]`: the host, and for every class libcvz
 * knows (the API names without '[' or '.'), whether it is available here and
 * libcvz's reason when it is not; with NAME, one class and its members.
 */
#include "info.h"

#include "help.h"
#include "json.h"
#include "util.h"
#include "version.h"

#include <cvz/cvz.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct answer {
    const char *name;
    bool available;
    version_t introduced; /* 0 unknown */
    const char *status;
    char *reason;
};

static struct answer ask(const char *name)
{
    struct answer a = {name, false, cvz_api_introduced(name), "CVZ_OK", NULL};
    cvz_error *why = NULL;
    a.available = cvz_api_available(name, &why);
    if (!a.available) {
        a.status = cvz_status_name(cvz_error_status(why));
        a.reason = xstrdup(why ? cvz_error_message(why) : "unavailable");
    }
    cvz_error_free(why);
    return a;
}

static bool is_class(const char *name)
{
    return !strchr(name, '[') && !strchr(name, '.');
}

/* Whether `name` is a member of `cls`: -[C sel], +[C sel], C.property. */
static bool is_member_of(const char *name, const char *cls)
{
    size_t n = strlen(cls);
    if ((name[0] == '-' || name[0] == '+') && name[1] == '[')
        return strncmp(name + 2, cls, n) == 0 && name[2 + n] == ' ';
    return strncmp(name, cls, n) == 0 && name[n] == '.';
}

static void text_line(const struct answer *a, int width)
{
    char since[16];
    if (a->available)
        printf("  %-*s  available (macOS %s)\n", width, a->name, format_version(a->introduced, since));
    else
        printf("  %-*s  unavailable: %s\n", width, a->name, a->reason);
}

static void json_answer(struct strbuf *sb, const struct answer *a)
{
    struct json_obj o;
    json_begin(&o, sb);
    json_str(&o, "name", a->name);
    char since[16];
    json_str(&o, "introduced", format_version(a->introduced, since));
    json_bool(&o, "available", a->available);
    if (!a->available) {
        json_str(&o, "status", a->status);
        json_str(&o, "reason", a->reason);
    }
    json_end(&o);
}

static void json_host(struct json_obj *o)
{
    json_key(o, "host");
    struct json_obj h;
    json_begin(&h, o->sb);
    char v[16];
    json_str(&h, "macos", format_version(cvz_host_macos_version(), v));
    json_str(&h, "arch", cvz_host_arch());
    json_end(&h);
    json_str(o, "libcvz", cvz_version());
}

static void print_host(void)
{
    char v[16];
    printf("host: macOS %s, %s\n", format_version(cvz_host_macos_version(), v), cvz_host_arch());
    printf("libcvz: %s, cvz: %s\n", cvz_version(), CVZ_TOOL_VERSION);
}

static int all_classes(bool json)
{
    size_t count = cvz_api_count(), nclasses = 0, navailable = 0;
    struct answer *answers = xcalloc(count, sizeof *answers);
    int width = 0;
    for (size_t i = 0; i < count; i++) {
        const char *name = cvz_api_name(i);
        if (!name || !is_class(name))
            continue;
        answers[nclasses] = ask(name);
        navailable += answers[nclasses].available;
        if ((int)strlen(name) > width)
            width = (int)strlen(name);
        nclasses++;
    }
    if (json) {
        struct strbuf sb = {0};
        struct json_obj o;
        json_begin(&o, &sb);
        json_host(&o);
        json_key(&o, "classes");
        sb_addc(&sb, '[');
        for (size_t i = 0; i < nclasses; i++) {
            if (i)
                sb_addc(&sb, ',');
            json_answer(&sb, &answers[i]);
        }
        sb_addc(&sb, ']');
        json_end(&o);
        puts(sb.data);
        sb_free(&sb);
    } else {
        print_host();
        printf("classes: %zu, %zu available here\n", nclasses, navailable);
        for (size_t i = 0; i < nclasses; i++)
            text_line(&answers[i], width);
    }
    for (size_t i = 0; i < nclasses; i++)
        free(answers[i].reason);
    free(answers);
    return 0;
}

static int one_name(const char *name, bool json)
{
    const char *known = NULL;
    for (size_t i = 0; i < cvz_api_count() && !known; i++)
        if (strcmp(cvz_api_name(i), name) == 0)
            known = cvz_api_name(i);
    if (!known) {
        cvz_error *why = NULL;
        cvz_api_available(name, &why);
        fprintf(stderr, "cvz: %s\n", why ? cvz_error_message(why) : "unknown name");
        cvz_error_free(why);
        return 2;
    }
    struct answer top = ask(known);
    size_t count = cvz_api_count(), nmembers = 0;
    struct answer *members = xcalloc(count, sizeof *members);
    int width = 0;
    if (is_class(known)) {
        for (size_t i = 0; i < count; i++) {
            const char *m = cvz_api_name(i);
            if (!is_member_of(m, known))
                continue;
            /* a property with a setter is listed once */
            bool seen = false;
            for (size_t k = 0; k < nmembers; k++)
                seen |= strcmp(members[k].name, m) == 0;
            if (seen)
                continue;
            members[nmembers++] = ask(m);
            if ((int)strlen(m) > width)
                width = (int)strlen(m);
        }
    }
    if (json) {
        struct strbuf sb = {0};
        struct json_obj o;
        json_begin(&o, &sb);
        json_host(&o);
        json_key(&o, is_class(known) ? "class" : "member");
        json_answer(&sb, &top);
        if (is_class(known)) {
            sb.len--; /* reopen the class object for its members */
            sb_adds(&sb, ",\"members\":[");
            for (size_t i = 0; i < nmembers; i++) {
                if (i)
                    sb_addc(&sb, ',');
                json_answer(&sb, &members[i]);
            }
            sb_adds(&sb, "]}");
        }
        json_end(&o);
        puts(sb.data);
        sb_free(&sb);
    } else {
        print_host();
        if (top.available) {
            char since[16];
            printf("%s: available (macOS %s)\n", known, format_version(top.introduced, since));
        } else
            printf("%s: unavailable: %s\n", known, top.reason);
        if (is_class(known)) {
            printf("members: %zu\n", nmembers);
            for (size_t i = 0; i < nmembers; i++)
                text_line(&members[i], width);
        }
    }
    free(top.reason);
    for (size_t i = 0; i < nmembers; i++)
        free(members[i].reason);
    free(members);
    return 0;
}

int cmd_info(int argc, char **argv)
{
    bool json = false;
    const char *name = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(help_info, stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] && argv[i][1] != '[') { /* "-[VZ... sel:]" is a name */
            fprintf(stderr, "cvz: unknown flag: %s\n", argv[i]);
            return 2;
        } else if (name) {
            fprintf(stderr, "cvz: info takes at most one name, got \"%s\" and \"%s\"\n", name, argv[i]);
            return 2;
        } else {
            name = argv[i];
        }
    }
    return name ? one_name(name, json) : all_classes(json);
}
