/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capi_callbacks.c - the part of the C API model that calls C from the
 * framework: the methods of delegate protocols (a callbacks struct and the
 * methods implementing them) and completion handlers (one C callback type
 * and block trampoline per block signature), with the type encodings the
 * runtime registers them under.
 */
#include <stdlib.h>
#include <string.h>

#include "capi_build.h"
#include "naming.h"
#include "strmap.h"

/* ---- type encodings ---------------------------------------------------------- */

/*
 * A type's Objective-C encoding, appended to the text of a C string literal
 * being built in sb.  BOOL's depends on the target (@encode(BOOL) is "B" on
 * arm64 Apple, "c" on x86_64 Apple, "C" with the GNU runtime), so for it the
 * literal is split around the core's CVZ__ENCODE_BOOL (src/runtime.h).
 */
static void add_encoding(struct strbuf *sb, const struct type *t)
{
    if (t->kind == TY_BOOL)
        sb_adds(sb, "\" CVZ__ENCODE_BOOL \"");
    else if (t->kind == TY_BOOL_OUT)
        sb_adds(sb, "^\" CVZ__ENCODE_BOOL \"");
    else
        sb_adds(sb, t->encoding);
}

/* The C expression for a literal whose text add_encoding() built: quoted, empty pieces dropped. */
static char *encoding_literal(const struct strbuf *sb)
{
    char *lit = xasprintf("\"%s\"", sb->data ? sb->data : "");
    size_t len = strlen(lit);
    if (len > 3 && strcmp(lit + len - 3, " \"\"") == 0)
        lit[len - 3] = '\0';
    if (strncmp(lit, "\"\" ", 3) == 0)
        memmove(lit, lit + 3, strlen(lit + 3) + 1);
    return lit;
}

/* ---- delegates -------------------------------------------------------------------- */

static void build_delegate_arg(const struct api *api, const struct arg *a, size_t i, struct capi_delegate_arg *da)
{
    const struct type *t = &a->type;
    da->kind = t->kind == TY_OBJECT   ? CAPI_DELEGATE_ARG_OBJECT
               : t->kind == TY_ERROR  ? CAPI_DELEGATE_ARG_ERROR
               : t->kind == TY_STRING ? CAPI_DELEGATE_ARG_STRING
               : t->kind == TY_DATA   ? CAPI_DELEGATE_ARG_DATA
               : t->kind == TY_BOOL   ? CAPI_DELEGATE_ARG_BOOL
                                      : CAPI_DELEGATE_ARG_VALUE;
    da->send_c = t->send_c;
    da->type = t->kind == TY_STRING ? xstrdup("const char *")
               : t->kind == TY_DATA ? xstrdup("const void *")
                                    : capi_public_type(api, t, NULL);
    da->decl_type = capi_decl_type(da->type);
    da->param = param_name(a->name);
    da->objc_name = a->name;
    da->apple_type = t->kind == TY_OBJECT ? t->class_name : t->enum_name;
    da->src = xasprintf("a%zu", i);
    da->var = xasprintf("v%zu", i);
}

static void build_delegate_method(const struct api *api, const struct capi_protocol *pc, const struct method *m,
                                  struct capi_delegate_method *dm)
{
    dm->decl = m;
    dm->field = method_stem(m);
    dm->imp = xasprintf("%s_%s_imp", pc->cname, dm->field);
    dm->answer = m->ret.type.kind == TY_BOOL ? CAPI_ANSWER_BOOL
                 : m->ret.type.kind == TY_DATA ? CAPI_ANSWER_DATA
                                               : CAPI_ANSWER_NONE;
    struct strbuf types;
    sb_init(&types);
    add_encoding(&types, &m->ret.type);
    sb_adds(&types, "@:");
    dm->args = xcalloc(m->arg_count, sizeof *dm->args);
    dm->arg_count = m->arg_count;
    for (size_t j = 0; j < m->arg_count; j++) {
        add_encoding(&types, &m->args[j].type);
        build_delegate_arg(api, &m->args[j], j, &dm->args[j]);
    }
    dm->types = encoding_literal(&types);
    sb_free(&types);
}

static void build_callback(const struct api *api, const struct block_sig *b, struct capi_callback *cb)
{
    cb->block = b;
    cb->cname = callback_cname(b);
    cb->params = xcalloc(b->param_count, sizeof *cb->params);
    cb->param_count = b->param_count;
    cb->error_param = -1;
    /* Encoding with frame offsets, as clang writes it: v16@?0@8 for void (^)(id);
     * a BOOL takes the 4 bytes of the int it is promoted to, the rest 8. */
    size_t frame = 8;
    for (size_t p = 0; p < b->param_count; p++)
        frame += b->params[p].type.kind == TY_BOOL ? 4 : 8;
    struct strbuf sig;
    sb_init(&sig);
    sb_addf(&sig, "v%zu@?0", frame);
    size_t offset = 8;
    for (size_t p = 0; p < b->param_count; p++) {
        const struct type *t = &b->params[p].type;
        struct capi_callback_param *cp = &cb->params[p];
        cp->kind = t->kind == TY_ERROR    ? CAPI_CALLBACK_PARAM_ERROR
                   : t->kind == TY_OBJECT ? CAPI_CALLBACK_PARAM_OBJECT
                                          : CAPI_CALLBACK_PARAM_VALUE;
        cp->send_c = t->send_c;
        cp->type = capi_public_type(api, t, NULL);
        cp->src = xasprintf("p%zu", p);
        if (cp->kind == CAPI_CALLBACK_PARAM_OBJECT) {
            cp->var = xasprintf("h%zu", p);
            cp->apple_type = t->class_name;
        }
        if (cp->kind == CAPI_CALLBACK_PARAM_ERROR)
            cb->error_param = (int)p;
        add_encoding(&sig, t);
        sb_addf(&sig, "%zu", offset);
        offset += t->kind == TY_BOOL ? 4 : 8;
    }
    cb->signature = encoding_literal(&sig);
    sb_free(&sig);
    cb->wait = capi_block_wait_kind(b);
    cb->delivers_object = cb->wait == CAPI_WAIT_OBJECT;
    if (cb->delivers_object)
        cb->object_type = capi_public_type(api, &b->params[0].type, NULL);
}

/* ---- completion callbacks ----------------------------------------------------------- */

/* One callback per block signature, in the order the classes' methods first take them. */
void capi_build_callbacks(const struct api *api, struct capi *capi)
{
    struct strmap seen;
    strmap_init(&seen);
    for (size_t i = 0; i < api->class_count; i++) {
        const struct class_decl *c = &api->classes[i];
        for (size_t j = 0; j < c->method_count; j++) {
            const struct method *m = &c->methods[j];
            for (size_t k = 0; k < m->arg_count; k++) {
                const struct block_sig *b = m->args[k].type.block;
                if (!b || m->unavailable || strmap_get(&seen, b->key))
                    continue;
                strmap_add(&seen, b->key, (void *)b);
                capi->callbacks = xrealloc(capi->callbacks, (capi->callback_count + 1) * sizeof *capi->callbacks);
                memset(&capi->callbacks[capi->callback_count], 0, sizeof *capi->callbacks);
                build_callback(api, b, &capi->callbacks[capi->callback_count++]);
            }
        }
    }
    strmap_free(&seen);
}

void capi_build_delegate_methods(const struct api *api, struct capi_protocol *pc)
{
    const struct protocol_decl *p = pc->decl;
    pc->methods = xcalloc(p->method_count, sizeof *pc->methods);
    for (size_t i = 0; i < p->method_count; i++)
        if (!p->methods[i].skip_reason)
            build_delegate_method(api, pc, &p->methods[i], &pc->methods[pc->method_count++]);
}

void capi_free_delegate_methods(struct capi_protocol *p)
{
    for (size_t j = 0; j < p->method_count; j++) {
        struct capi_delegate_method *m = &p->methods[j];
        for (size_t k = 0; k < m->arg_count; k++) {
            free(m->args[k].type);
            free(m->args[k].decl_type);
            free(m->args[k].param);
            free(m->args[k].src);
            free(m->args[k].var);
        }
        free(m->args);
        free(m->field);
        free(m->imp);
        free(m->types);
    }
    free(p->methods);
}

void capi_free_callbacks(struct capi *capi)
{
    for (size_t i = 0; i < capi->callback_count; i++) {
        struct capi_callback *cb = &capi->callbacks[i];
        for (size_t j = 0; j < cb->param_count; j++) {
            free(cb->params[j].type);
            free(cb->params[j].src);
            free(cb->params[j].var);
        }
        free(cb->params);
        free(cb->cname);
        free(cb->signature);
        free(cb->object_type);
    }
    free(capi->callbacks);
}
