/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capi_areas.c - the areas of the C API: which classes and protocols each
 * area's header (<cvz/NAME.h>) and reference page declare, and in what order.
 * A class comes after its superclass when both are in the area (base-first, so
 * the header reads from the general to the particular); otherwise the order is
 * the overrides file's.  Without areas in the overrides the API is one area.
 */
#include "capi_build.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const struct area whole_api = {{NULL, 0}, "api", "The whole API", NULL, 0};

struct placing {
    const struct api *api;
    struct capi_area *area;
    bool *placed; /* by class index */
};

static void place_class(struct placing *pl, const struct class_decl *c)
{
    size_t i = (size_t)(c - pl->api->classes);
    if (pl->placed[i])
        return;
    pl->placed[i] = true;
    if (c->superclass && c->superclass->area == c->area)
        place_class(pl, c->superclass);
    pl->area->classes[pl->area->class_count++] = i;
}

static void place_member(struct placing *pl, const char *name)
{
    const struct class_decl *c = find_class(pl->api, name);
    if (c) {
        place_class(pl, c);
        return;
    }
    const struct protocol_decl *p = find_protocol(pl->api, name);
    pl->area->protocols[pl->area->protocol_count++] = (size_t)(p - pl->api->protocols);
}

static char *guard_of(const char *name)
{
    char *guard = xasprintf("CVZ_%s_H", name);
    for (char *c = guard; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    return guard;
}

static void build_area(const struct api *api, const struct area *from, struct capi_area *to, bool *placed)
{
    to->name = from->name;
    to->title = from->title;
    to->guard = guard_of(from->name);
    to->classes = xcalloc(api->class_count + 1, sizeof *to->classes);
    to->protocols = xcalloc(api->protocol_count + 1, sizeof *to->protocols);
    struct placing pl = {api, to, placed};
    if (from == &whole_api) {
        for (size_t i = 0; i < api->class_count; i++)
            place_class(&pl, &api->classes[i]);
        for (size_t i = 0; i < api->protocol_count; i++)
            to->protocols[to->protocol_count++] = i;
        return;
    }
    for (size_t i = 0; i < from->member_count; i++)
        place_member(&pl, from->members[i]);
}

void capi_build_areas(const struct api *api, struct capi *capi)
{
    bool *placed = xcalloc(api->class_count + 1, sizeof *placed);
    capi->area_count = api->area_count ? api->area_count : 1;
    capi->areas = xcalloc(capi->area_count, sizeof *capi->areas);
    for (size_t i = 0; i < capi->area_count; i++)
        build_area(api, api->area_count ? &api->areas[i] : &whole_api, &capi->areas[i], placed);
    free(placed);
}

void capi_free_areas(struct capi *capi)
{
    for (size_t i = 0; i < capi->area_count; i++) {
        free(capi->areas[i].guard);
        free(capi->areas[i].classes);
        free(capi->areas[i].protocols);
    }
    free(capi->areas);
}
