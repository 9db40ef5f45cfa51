/* SPDX-License-Identifier: Apache-2.0 */
/*
 * writer.c - the API XML, laid out like api/Virtualization.xml: two-space
 * indentation, a blank line between top-level items, a comment naming the
 * header before the first item taken from it and before the members each
 * category adds, attributes in a fixed order per element.
 */
#include <stdlib.h>
#include <string.h>

#include "scan.h"

static void escaped(struct strbuf *sb, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': sb_adds(sb, "&amp;"); break;
        case '<': sb_adds(sb, "&lt;"); break;
        case '>': sb_adds(sb, "&gt;"); break;
        case '"': sb_adds(sb, "&quot;"); break;
        default: sb_addc(sb, *s);
        }
    }
}

static void attr(struct strbuf *sb, const char *name, const char *value)
{
    if (!value)
        return;
    sb_addf(sb, " %s=\"", name);
    escaped(sb, value);
    sb_addc(sb, '"');
}

static void attr_true(struct strbuf *sb, const char *name, bool yes)
{
    if (yes)
        attr(sb, name, "true");
}

/* A comment's text may not hold "--" (nor end with '-'); a file name's
 * bytes outside printable ASCII become '?'. */
static void comment(struct strbuf *sb, const char *indent, const char *text)
{
    sb_addf(sb, "%s<!-- ", indent);
    for (const char *s = text; *s; s++) {
        unsigned char c = (unsigned char)*s;
        sb_addc(sb, c >= 0x20 && c < 0x7f ? (char)c : '?');
        if (s[0] == '-' && (s[1] == '-' || s[1] == '\0'))
            sb_addc(sb, ' ');
    }
    sb_adds(sb, " -->\n");
}

static void availability(struct strbuf *sb, const struct avail *a)
{
    char buf[16];
    attr(sb, "introduced", format_version(a->introduced, buf));
    if (a->deprecated)
        attr(sb, "deprecated", format_version(a->deprecated, buf));
    attr(sb, "replacement", a->replacement);
    if (a->arm64)
        attr(sb, "arch", "arm64");
}

struct writer {
    struct strbuf sb;
    const char *last_file;
};

/* Blank line between top-level items; the header's name when it changes. */
static void top_level_start(struct writer *w, const char *file)
{
    sb_addc(&w->sb, '\n');
    if (!w->last_file || strcmp(w->last_file, file) != 0) {
        comment(&w->sb, "  ", file);
        w->last_file = file;
    }
}

static void write_method(struct strbuf *sb, const struct member *m)
{
    sb_adds(sb, "    <method");
    attr(sb, "selector", m->selector);
    attr(sb, "kind", m->is_class ? "class" : "instance");
    availability(sb, &m->an.av);
    attr_true(sb, "unavailable", m->an.ns_unavailable);
    attr_true(sb, "designated", m->an.designated);
    attr_true(sb, "optional", m->optional);
    sb_adds(sb, ">\n      <return");
    attr(sb, "type", m->ret.type);
    attr_true(sb, "nullable", m->ret.nullable);
    sb_adds(sb, "/>\n");
    for (size_t i = 0; i < m->arg_count; i++) {
        sb_adds(sb, "      <arg");
        attr(sb, "name", m->args[i].name);
        attr(sb, "type", m->args[i].type);
        attr_true(sb, "nullable", m->args[i].nullable);
        sb_adds(sb, "/>\n");
    }
    sb_adds(sb, "    </method>\n");
}

/* Property attributes in api/Virtualization.xml's order: what the property
 * is, then its availability. */
static void write_property(struct strbuf *sb, const struct member *m)
{
    sb_adds(sb, "    <property");
    attr(sb, "name", m->ret.name);
    attr(sb, "type", m->ret.type);
    attr_true(sb, "readonly", m->readonly);
    attr_true(sb, "class", m->class_property);
    attr_true(sb, "nullable", m->ret.nullable);
    attr(sb, "getter", m->getter);
    attr(sb, "setter", m->setter);
    attr(sb, "memory", m->memory);
    availability(sb, &m->an.av);
    attr_true(sb, "optional", m->optional);
    sb_adds(sb, "/>\n");
}

static void write_members(struct strbuf *sb, const struct out_container *oc)
{
    const char *category = NULL;
    for (size_t i = 0; i < oc->member_count; i++) {
        const struct member *m = oc->members[i];
        if (m->category && (!category || strcmp(category, m->category) != 0)) {
            char *text;
            if (m->category[0] == '\0')
                text = xstrdup("class extension");
            else
                text = xasprintf("category %s", m->category);
            if (strcmp(m->file, oc->c->file) != 0) {
                char *with_file = xasprintf("%s (%s)", text, m->file);
                free(text);
                text = with_file;
            }
            comment(sb, "    ", text);
            free(text);
        }
        category = m->category;
        if (m->kind == M_METHOD)
            write_method(sb, m);
        else
            write_property(sb, m);
    }
}

static void write_container(struct writer *w, const struct out_container *oc)
{
    const struct container *c = oc->c;
    struct strbuf *sb = &w->sb;
    top_level_start(w, c->file);
    bool protocol = c->kind == C_PROTOCOL;
    sb_adds(sb, protocol ? "  <protocol" : "  <class");
    attr(sb, "name", c->name);
    if (!protocol)
        attr(sb, "superclass", c->superclass);
    availability(sb, &c->an.av);
    if (oc->member_count == 0) {
        sb_adds(sb, "/>\n");
        return;
    }
    sb_adds(sb, ">\n");
    write_members(sb, oc);
    sb_adds(sb, protocol ? "  </protocol>\n" : "  </class>\n");
}

static void write_enum(struct writer *w, const struct enum_decl *e)
{
    struct strbuf *sb = &w->sb;
    top_level_start(w, e->file);
    sb_adds(sb, "  <enum");
    attr(sb, "name", e->name);
    attr(sb, "type", e->type);
    availability(sb, &e->an.av);
    /* A domain the lexer took for a macro leaves nothing to name: write no attribute. */
    attr(sb, "error-domain", e->error_domain && *e->error_domain ? e->error_domain : NULL);
    attr_true(sb, "options", e->options);
    sb_adds(sb, ">\n");
    for (size_t i = 0; i < e->value_count; i++) {
        const struct enum_value *v = &e->values[i];
        if (v->an.av.unavailable_macos)
            continue;
        sb_adds(sb, "    <value");
        attr(sb, "name", v->name);
        attr(sb, "value", v->value);
        availability(sb, &v->an.av);
        sb_adds(sb, "/>\n");
    }
    sb_adds(sb, "  </enum>\n");
}

char *write_xml(const struct scan *scan, const struct resolved *r, const struct write_options *opt)
{
    struct writer w = {.last_file = NULL};
    sb_init(&w.sb);
    sb_adds(&w.sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    char *head = xasprintf("cvz API description: %s.framework, facts from the macOS %s SDK headers (written by cvzscan).",
                           opt->framework, opt->sdk);
    comment(&w.sb, "", head);
    free(head);
    sb_adds(&w.sb, "<api");
    attr(&w.sb, "framework", opt->framework);
    attr(&w.sb, "sdk", opt->sdk);
    sb_adds(&w.sb, ">\n");
    for (size_t i = 0; i < scan->constant_count; i++) {
        const struct constant *k = &scan->constants[i];
        if (k->skip)
            continue;
        top_level_start(&w, k->file);
        sb_adds(&w.sb, "  <constant");
        attr(&w.sb, "name", k->name);
        attr(&w.sb, "type", k->type);
        availability(&w.sb, &k->an.av);
        sb_adds(&w.sb, "/>\n");
    }
    for (size_t i = 0; i < scan->enum_count; i++)
        if (!scan->enums[i].skip)
            write_enum(&w, &scan->enums[i]);
    for (size_t i = 0; i < r->protocol_count; i++)
        write_container(&w, &r->protocols[i]);
    for (size_t i = 0; i < r->class_count; i++)
        write_container(&w, &r->classes[i]);
    sb_adds(&w.sb, "\n</api>\n");
    return sb_detach(&w.sb);
}
