/* SPDX-License-Identifier: Apache-2.0 */
/*
 * flags.c - see flags.h.  The flag table mirrors vfkit's pkg/cmdline.
 */
#include "flags.h"

#include "goconv.h"
#include "split.h"

#include <stdlib.h>
#include <string.h>

enum flag_type { F_STRING, F_UINT, F_BOOL, F_ARRAY, F_QLIST, F_DURATION };

struct flag {
    const char *name;
    char shorthand; /* 0: none */
    enum flag_type type;
    size_t offset;     /* into struct run_options */
    size_t set_offset; /* its "Changed" bool, or 0 */
};

#define OFF(field) offsetof(struct run_options, field)

static const struct flag flags[] = {
    {"kernel", 'k', F_STRING, OFF(kernel), OFF(kernel_set)},
    {"kernel-cmdline", 'C', F_STRING, OFF(cmdline), OFF(cmdline_set)},
    {"initrd", 'i', F_STRING, OFF(initrd), OFF(initrd_set)},
    {"bootloader", 'b', F_QLIST, OFF(bootloader), OFF(bootloader_set)},
    {"gui", 0, F_BOOL, OFF(gui), 0},
    {"cpus", 'c', F_UINT, OFF(cpus), OFF(cpus_set)},
    {"memory", 'm', F_UINT, OFF(memory_mib), OFF(memory_set)},
    {"timesync", 't', F_STRING, OFF(timesync), 0},
    {"device", 'd', F_ARRAY, OFF(devices), 0},
    {"log-level", 0, F_STRING, OFF(log_level), 0},
    {"restful-uri", 0, F_STRING, OFF(restful_uri), 0},
    {"ignition", 0, F_STRING, OFF(ignition), 0},
    {"cloud-init", 0, F_QLIST, OFF(cloud_init), 0},
    {"nested", 'n', F_BOOL, OFF(nested), 0},
    {"pidfile", 0, F_STRING, OFF(pidfile), 0},
    {"help", 'h', F_BOOL, OFF(help), 0},
    {"version", 'v', F_BOOL, OFF(version), 0},
    {"dry-run", 0, F_BOOL, OFF(dry_run), 0},
    {"stop-timeout", 0, F_DURATION, OFF(stop_timeout_ms), 0},
};

#define NFLAGS (sizeof flags / sizeof flags[0])

static const struct flag *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < NFLAGS; i++)
        if (strlen(flags[i].name) == len && strncmp(flags[i].name, name, len) == 0)
            return &flags[i];
    return NULL;
}

static const struct flag *find_short(char c)
{
    for (size_t i = 0; i < NFLAGS; i++)
        if (flags[i].shorthand == c)
            return &flags[i];
    return NULL;
}

/* pflag's flag name in messages: "-c, --cpus" or "--gui". */
static char *display_name(const struct flag *f)
{
    if (f->shorthand)
        return xasprintf("-%c, --%s", f->shorthand, f->name);
    return xasprintf("--%s", f->name);
}

static int invalid_argument(const struct flag *f, const char *value, char *why, char **err)
{
    char *q = go_quote(value);
    char *name = display_name(f);
    fail(err, "invalid argument %s for \"%s\" flag: %s", q, name, why);
    free(q);
    free(name);
    free(why);
    return -1;
}

static int set_flag(struct run_options *o, const struct flag *f, const char *value, char **err)
{
    char *base = (char *)o;
    char *why = NULL;
    switch (f->type) {
    case F_STRING: {
        char **field = (char **)(void *)(base + f->offset);
        free(*field);
        *field = xstrdup(value);
        break;
    }
    case F_UINT: {
        uint64_t v;
        if (go_parse_uint(value, 0, 64, &v, &why) != 0)
            return invalid_argument(f, value, why, err);
        *(uint64_t *)(void *)(base + f->offset) = v;
        break;
    }
    case F_BOOL: {
        bool v;
        if (go_parse_bool(value, &v, &why) != 0)
            return invalid_argument(f, value, why, err);
        *(bool *)(void *)(base + f->offset) = v;
        break;
    }
    case F_ARRAY:
        strv_push((struct strv *)(void *)(base + f->offset), value);
        break;
    case F_QLIST: {
        struct strv *list = (struct strv *)(void *)(base + f->offset);
        struct strv parsed = {0};
        if (split_quoted(value, &parsed, &why) != 0)
            return invalid_argument(f, value, why, err);
        for (size_t i = 0; i < parsed.count; i++)
            strv_push_owned(list, parsed.items[i]);
        free(parsed.items);
        break;
    }
    case F_DURATION: {
        int64_t ms;
        if (parse_duration_ms(value, &ms, &why) != 0)
            return invalid_argument(f, value, why, err);
        *(int64_t *)(void *)(base + f->offset) = ms;
        break;
    }
    }
    if (f->set_offset)
        *(bool *)(void *)(base + f->set_offset) = true;
    return 0;
}

static void set_defaults(struct run_options *o)
{
    memset(o, 0, sizeof *o);
    o->cpus = 1;
    o->memory_mib = 512;
    o->kernel = xstrdup("");
    o->initrd = xstrdup("");
    o->cmdline = xstrdup("");
    o->timesync = xstrdup("");
    o->restful_uri = xstrdup(DEFAULT_RESTFUL_URI);
    o->log_level = xstrdup("");
    o->ignition = xstrdup("");
    o->pidfile = xstrdup("");
    o->stop_timeout_ms = DEFAULT_STOP_TIMEOUT_MS;
}

/* --name[=value]: returns how many extra arguments were consumed, or -1. */
static int parse_long(struct run_options *o, const char *arg, int remaining, char **next, char **err)
{
    const char *name = arg + 2;
    if (*name == '-' || *name == '=')
        return fail(err, "bad flag syntax: %s", arg);
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const struct flag *f = find_long(name, len);
    if (!f)
        return fail(err, "unknown flag: --%.*s", (int)len, name);
    if (eq)
        return set_flag(o, f, eq + 1, err) == 0 ? 0 : -1;
    if (f->type == F_BOOL)
        return set_flag(o, f, "true", err) == 0 ? 0 : -1;
    if (remaining > 0)
        return set_flag(o, f, next[0], err) == 0 ? 1 : -1;
    return fail(err, "flag needs an argument: --%s", f->name);
}

/* -abc: each character a shorthand; a non-boolean one takes the rest (or the next argument). */
static int parse_short(struct run_options *o, const char *arg, int remaining, char **next, char **err)
{
    const char *shorthands = arg + 1;
    for (const char *p = shorthands; *p; p++) {
        const struct flag *f = find_short(*p);
        if (!f) {
            return fail(err, "unknown shorthand flag: '%c' in -%s", *p, shorthands);
        }
        if (p[1] == '=') {
            return set_flag(o, f, p + 2, err) == 0 ? 0 : -1;
        }
        if (f->type == F_BOOL) {
            if (set_flag(o, f, "true", err) != 0)
                return -1;
            continue;
        }
        if (p[1])
            return set_flag(o, f, p + 1, err) == 0 ? 0 : -1;
        if (remaining > 0)
            return set_flag(o, f, next[0], err) == 0 ? 1 : -1;
        return fail(err, "flag needs an argument: '%c' in -%s", *p, shorthands);
    }
    return 0;
}

int flags_parse(int argc, char **argv, struct run_options *o, char **err)
{
    set_defaults(o);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        int used;
        if (strcmp(arg, "--") == 0) {
            for (i++; i < argc; i++)
                strv_push(&o->positional, argv[i]);
            break;
        }
        if (arg[0] != '-' || arg[1] == '\0') {
            strv_push(&o->positional, arg);
            continue;
        }
        if (arg[1] == '-')
            used = parse_long(o, arg, argc - i - 1, argv + i + 1, err);
        else
            used = parse_short(o, arg, argc - i - 1, argv + i + 1, err);
        if (used < 0)
            return -1;
        i += used;
    }
    return 0;
}

int flags_check_groups(const struct run_options *o, char **err)
{
    /* MarkFlagsRequiredTogether("kernel", "initrd", "kernel-cmdline") */
    int set = o->kernel_set + o->initrd_set + o->cmdline_set;
    if (set > 0 && set < 3) {
        /* cobra sorts the names: initrd < kernel < kernel-cmdline */
        struct strbuf sorted = {0};
        if (!o->initrd_set)
            sb_adds(&sorted, "initrd");
        if (!o->kernel_set)
            sb_addf(&sorted, "%skernel", sorted.len ? " " : "");
        if (!o->cmdline_set)
            sb_addf(&sorted, "%skernel-cmdline", sorted.len ? " " : "");
        fail(err, "if any flags in the group [kernel initrd kernel-cmdline] are set they must all be set; missing [%s]",
             sorted.data);
        sb_free(&sorted);
        return -1;
    }
    /* MarkFlagsMutuallyExclusive(x, "bootloader"), checked in sorted group order */
    if (o->bootloader_set) {
        if (o->initrd_set)
            return fail(err, "if any flags in the group [initrd bootloader] are set none of the others can be; "
                             "[bootloader initrd] were all set");
        if (o->kernel_set)
            return fail(err, "if any flags in the group [kernel bootloader] are set none of the others can be; "
                             "[bootloader kernel] were all set");
        if (o->cmdline_set)
            return fail(err, "if any flags in the group [kernel-cmdline bootloader] are set none of the others can "
                             "be; [bootloader kernel-cmdline] were all set");
    }
    return 0;
}

void flags_free(struct run_options *o)
{
    free(o->kernel);
    free(o->initrd);
    free(o->cmdline);
    strv_free(&o->bootloader);
    strv_free(&o->devices);
    free(o->timesync);
    free(o->restful_uri);
    free(o->log_level);
    free(o->ignition);
    strv_free(&o->cloud_init);
    free(o->pidfile);
    strv_free(&o->positional);
    memset(o, 0, sizeof *o);
}

static int invalid_duration(const char *s, char **err)
{
    char *q = go_quote(s);
    fail(err, "time: invalid duration %s", q);
    free(q);
    return -1;
}

#define DURATION_LIMIT ((uint64_t)1 << 63) /* Go's Duration is int64 nanoseconds */

/* Go's time.ParseDuration, in integer nanoseconds with its overflow checks,
 * then rounded to milliseconds. */
int parse_duration_ms(const char *s, int64_t *ms, char **err)
{
    static const struct {
        const char *unit;
        uint64_t ns;
    } units[] = {{"ns", 1},           {"us", 1000},          {"\xc2\xb5s", 1000}, {"\xce\xbcs", 1000},
                 {"ms", 1000000},     {"s", 1000000000},     {"m", 60000000000},  {"h", 3600000000000}};
    const char *p = s;
    uint64_t d = 0;
    bool neg = false;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (strcmp(p, "0") == 0) {
        *ms = 0;
        return 0;
    }
    if (*p == '\0')
        return invalid_duration(s, err);
    while (*p) {
        if (!(*p == '.' || (*p >= '0' && *p <= '9')))
            return invalid_duration(s, err);
        const char *start = p;
        uint64_t v = 0;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (v > DURATION_LIMIT / 10)
                return invalid_duration(s, err);
            v = v * 10 + (uint64_t)(*p - '0');
            if (v > DURATION_LIMIT)
                return invalid_duration(s, err);
        }
        bool pre = p != start, post = false;
        uint64_t f = 0;
        double scale = 1;
        if (*p == '.') {
            const char *fs = ++p;
            bool overflow = false;
            for (; *p >= '0' && *p <= '9'; p++) {
                if (overflow || f > (DURATION_LIMIT - 1) / 10) {
                    overflow = true; /* further digits are below what a nanosecond holds */
                    continue;
                }
                f = f * 10 + (uint64_t)(*p - '0');
                scale *= 10;
            }
            post = p != fs;
        }
        if (!pre && !post)
            return invalid_duration(s, err);
        size_t n = strcspn(p, ".0123456789");
        if (n == 0) {
            char *q = go_quote(s);
            fail(err, "time: missing unit in duration %s", q);
            free(q);
            return -1;
        }
        uint64_t unit = 0;
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
            if (strlen(units[i].unit) == n && strncmp(p, units[i].unit, n) == 0)
                unit = units[i].ns;
        if (unit == 0) {
            char *u = xstrndup(p, n), *qu = go_quote(u), *q = go_quote(s);
            fail(err, "time: unknown unit %s in duration %s", qu, q);
            free(q);
            free(qu);
            free(u);
            return -1;
        }
        p += n;
        if (v > DURATION_LIMIT / unit)
            return invalid_duration(s, err);
        v *= unit;
        if (f > 0) {
            v += (uint64_t)((double)f * ((double)unit / scale));
            if (v > DURATION_LIMIT)
                return invalid_duration(s, err);
        }
        d += v;
        if (d > DURATION_LIMIT)
            return invalid_duration(s, err);
    }
    if (!neg && d > DURATION_LIMIT - 1)
        return invalid_duration(s, err);
    /* to milliseconds, half away from zero; |d| <= 2^63 so nothing overflows */
    int64_t whole = (int64_t)(d / 1000000) + (d % 1000000 >= 500000);
    *ms = neg ? -whole : whole;
    return 0;
}
