/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capi_sim.c - the simulated framework's skeleton: every class and selector of
 * the API the simulator registers at run time at its macOS level, with the
 * stub that answers it (behaviour is hand-written in sim/ where the docs
 * define it; the rest answers zeros).  Skipped items and NS_UNAVAILABLE
 * methods are left out.
 */
#include "capi_build.h"

#include <stdlib.h>
#include <string.h>

/* How the skeleton stubs a selector: by the kind of value it returns. */
static const char *stub_kind(const struct method *m, const struct type *ret)
{
    if (m && !m->is_class && strncmp(m->selector, "init", 4) == 0)
        return "VZSIM_STUB_INIT";
    if (ret->kind == TY_VOID)
        return "VZSIM_STUB_VOID";
    if (ret->kind == TY_STRUCT)
        return struct_info_for(ret->public_c)->sim_stub;
    if (ret->kind == TY_SCALAR && (strcmp(ret->send_c, "double") == 0 || strcmp(ret->send_c, "float") == 0))
        return "VZSIM_STUB_DOUBLE";
    return "VZSIM_STUB_ZERO";
}

static void add_member(struct capi *capi, size_t *cap, const struct class_decl *c, const char *selector,
                       bool is_class, const struct availability *a, const char *stub, char *types)
{
    if (capi->sim_member_count == *cap) {
        *cap = *cap ? 2 * *cap : 256;
        capi->sim_members = xrealloc(capi->sim_members, *cap * sizeof *capi->sim_members);
    }
    capi->sim_members[capi->sim_member_count++] = (struct capi_sim_member){
        c, selector, is_class, a->introduced > c->avail.introduced ? a->introduced : c->avail.introduced,
        a->arm64_only || c->avail.arm64_only, stub, types};
}

void capi_build_sim(const struct api *api, struct capi *capi)
{
    size_t cap = 0;
    for (size_t i = 0; i < api->class_count; i++) {
        const struct class_decl *c = &api->classes[i];
        if (c->skip_reason)
            continue;
        for (size_t j = 0; j < c->method_count; j++) {
            const struct method *m = &c->methods[j];
            if (m->unavailable || m->skip_reason)
                continue;
            struct strbuf types;
            sb_init(&types);
            sb_addf(&types, "%s@:", m->ret.type.encoding);
            for (size_t k = 0; k < m->arg_count; k++)
                sb_adds(&types, m->args[k].type.encoding);
            add_member(capi, &cap, c, m->selector, m->is_class, &m->avail, stub_kind(m, &m->ret.type),
                       sb_detach(&types));
        }
        for (size_t j = 0; j < c->property_count; j++) {
            const struct property *p = &c->properties[j];
            if (p->skip_reason)
                continue;
            add_member(capi, &cap, c, p->getter, p->is_class, &p->avail, stub_kind(NULL, &p->type),
                       xasprintf("%s@:", p->type.encoding));
            if (p->setter)
                add_member(capi, &cap, c, p->setter, p->is_class, &p->avail, "VZSIM_STUB_VOID",
                           xasprintf("v@:%s", p->type.encoding));
        }
    }
}

void capi_free_sim(struct capi *capi)
{
    for (size_t i = 0; i < capi->sim_member_count; i++)
        free(capi->sim_members[i].types);
    free(capi->sim_members);
}
