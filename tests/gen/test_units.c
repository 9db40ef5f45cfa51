/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_units.c - the generator's pieces on their own: naming rules, type
 * parsing and binding, the template engine (switch sections too), and the
 * render phase's contexts against the templates (every key set is used, and
 * every key used is set), for the C outputs and the reference pages.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi.h"
#include "emit.h"
#include "emit_docs.h"
#include "model.h"
#include "naming.h"
#include "strmap.h"
#include "template.h"
#include "types.h"

static void check_snake(const char *in, const char *want)
{
    char *got = snake_case(in);
    if (strcmp(got, want) != 0)
        fail_msg("snake_case(\"%s\") = \"%s\", want \"%s\"", in, got, want);
    free(got);
}

static void test_snake_case(void **state)
{
    (void)state;
    check_snake("CPUCount", "cpu_count");
    check_snake("memorySize", "memory_size");
    check_snake("MACAddress", "mac_address");
    check_snake("VirtualMachineConfiguration", "virtual_machine_configuration");
    check_snake("NATNetworkDeviceAttachment", "nat_network_device_attachment");
    check_snake("macOSRestoreImage", "macos_restore_image");
    check_snake("MacOSBootLoader", "mac_os_boot_loader");
    check_snake("USBMassStorageDevice", "usb_mass_storage_device");
    check_snake("EFIVariableStore", "efi_variable_store");
    check_snake("URL", "url");
    check_snake("readOnly", "read_only");
    check_snake("NVMeController", "nvme_controller");
    check_snake("IPv4Address", "ipv4_address");
    check_snake("UUID", "uuid");
    check_snake("SPICEAgentPortAttachment", "spice_agent_port_attachment");
    check_snake("virtio2DGraphics", "virtio2_d_graphics");
}

static void test_names(void **state)
{
    (void)state;
    char *s = enum_value_cname("VZVirtualMachineStateStopped");
    assert_string_equal(s, "CVZ_VIRTUAL_MACHINE_STATE_STOPPED");
    free(s);
    s = enum_value_cname("VZErrorInvalidVirtualMachineConfiguration");
    assert_string_equal(s, "CVZ_ERROR_INVALID_VIRTUAL_MACHINE_CONFIGURATION");
    free(s);
    s = class_stem("VZVirtioBlockDeviceConfiguration");
    assert_string_equal(s, "virtio_block_device_configuration");
    free(s);
}

static void check_method(const char *selector, bool is_class, const enum type_kind *kinds, size_t n, const char *want)
{
    struct arg args[4] = {0};
    for (size_t i = 0; i < n; i++)
        args[i].type.kind = kinds[i];
    struct method m = {0};
    m.selector = (char *)selector;
    m.is_class = is_class;
    m.args = args;
    m.arg_count = n;
    char *got = method_stem(&m);
    if (strcmp(got, want) != 0)
        fail_msg("method_stem(\"%s\") = \"%s\", want \"%s\"", selector, got, want);
    free(got);
}

static void test_method_names(void **state)
{
    (void)state;
    const enum type_kind url_bool_err[] = {TY_URL, TY_BOOL, TY_ERROR_OUT};
    const enum type_kind url[] = {TY_URL};
    const enum type_kind err[] = {TY_ERROR_OUT};
    const enum type_kind blk[] = {TY_BLOCK};
    const enum type_kind fh2[] = {TY_FILE_HANDLE, TY_FILE_HANDLE};
    check_method("init", false, NULL, 0, "new");
    check_method("initWithKernelURL:", false, url, 1, "new_with_kernel_url");
    check_method("initWithURL:readOnly:error:", false, url_bool_err, 3, "new_with_url_read_only");
    check_method("validateWithError:", false, err, 1, "validate");
    check_method("requestStopWithError:", false, err, 1, "request_stop");
    check_method("startWithCompletionHandler:", false, blk, 1, "start");
    check_method("randomLocallyAdministeredAddress", true, NULL, 0, "random_locally_administered_address");
    check_method("initWithFileHandleForReading:fileHandleForWriting:", false, fh2, 2,
                 "new_with_file_handle_for_reading_file_handle_for_writing");
    check_method("initialize", true, NULL, 0, "initialize");
}

static void check_type(const char *text, enum type_kind kind, const char *send_c)
{
    struct api api = {0};
    char *why = NULL;
    struct type t;
    if (!resolve_type_text(&api, text, &t, &why))
        fail_msg("resolve_type_text(\"%s\") failed: %s", text, why);
    assert_int_equal(t.kind, kind);
    assert_string_equal(t.send_c, send_c);
    type_clear(&t);
}

static void test_types(void **state)
{
    (void)state;
    check_type("NSUInteger", TY_SCALAR, "unsigned long");
    check_type("uint64_t", TY_SCALAR, "uint64_t");
    check_type("BOOL", TY_BOOL, "BOOL");
    check_type("NSString *", TY_STRING, "id");
    check_type("NSURL * _Nullable", TY_URL, "id");
    check_type("NSFileHandle *", TY_FILE_HANDLE, "id");
    check_type("NSError **", TY_ERROR_OUT, "id *");
    check_type("instancetype", TY_INSTANCETYPE, "id");
    check_type("void (^)(NSError * _Nullable errorOrNil)", TY_BLOCK, "void *");

    /* Parsing is syntax only: a name the API does not declare is found when binding. */
    struct api api = {0};
    char *why = NULL;
    struct type t;
    assert_true(parse_type("NSWidget *", &t, &why));
    assert_int_equal(t.kind, TY_OBJECT);
    assert_string_equal(t.class_name, "NSWidget");
    type_clear(&t);
    assert_false(resolve_type_text(&api, "NSWidget *", &t, &why));
    assert_non_null(strstr(why, "unknown type 'NSWidget*'"));
    free(why);
    assert_true(parse_type("VZWidgetKind", &t, &why));
    assert_int_equal(t.kind, TY_ENUM);
    type_clear(&t);
    assert_false(resolve_type_text(&api, "VZWidgetKind", &t, &why));
    assert_non_null(strstr(why, "unknown type 'VZWidgetKind'"));
    free(why);
    assert_false(parse_type("BOOL (^)(NSError *)", &t, &why));
    assert_non_null(strstr(why, "returns a value"));
    free(why);
    assert_false(resolve_type_text(&api, "NSArray<NSWidget *> *", &t, &why));
    assert_non_null(strstr(why, "unknown element type"));
    free(why);
    assert_false(parse_type("NSArray<int> *", &t, &why));
    assert_non_null(strstr(why, "unknown element type"));
    free(why);
}

static void remove_tree(const char *dir)
{
    char *cmd = xasprintf("rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static char *write_template(const char *dir, const char *name, const char *body)
{
    char *path = xasprintf("%s/%s.tmpl", dir, name);
    FILE *f = fopen(path, "w");
    fputs(body, f);
    fclose(f);
    return path;
}

static void test_template_engine(void **state)
{
    (void)state;
    char dir[] = "/tmp/cvz-tmpl-XXXXXX";
    assert_non_null(mkdtemp(dir));
    free(write_template(dir, "main",
                        "head {{title}}\n"
                        "  {{#items}}\n"
                        "- {{name}} of {{title}}{{#more}},{{/more}}\n"
                        "  {{/items}}\n"
                        "{{^items}}none{{/items}}{{^empty}}[no empty]{{/empty}}\n"
                        "{{#flag}}flag on{{/flag}}{{! a comment }}\n"
                        "{{>part}}\n"));
    free(write_template(dir, "part", "part says {{title}}"));
    struct tctx *root = tctx_new();
    tctx_set(root, "title", "T");
    tctx_flag(root, "flag", true);
    tctx_list(root, "empty");
    struct tctx *a = tctx_add(root, "items");
    tctx_set(a, "name", "a");
    tctx_flag(a, "more", true);
    struct tctx *b = tctx_add(root, "items");
    tctx_set(b, "name", "b");
    tctx_flag(b, "more", false);
    struct template_set *set = template_set_new(dir);
    struct strbuf out;
    sb_init(&out);
    assert_int_equal(template_render(set, "main", root, &out), 0);
    assert_string_equal(out.data, "head T\n- a of T,\n- b of T\n[no empty]\nflag on\npart says T");
    sb_free(&out);
    template_set_free(set);
    tctx_free(root);
    remove_tree(dir);
}

/* A switch section renders on one text value: templates test a kind, not a set of flags. */
static void test_template_switch(void **state)
{
    (void)state;
    char dir[] = "/tmp/cvz-tmpl-XXXXXX";
    assert_non_null(mkdtemp(dir));
    free(write_template(dir, "main",
                        "{{#items}}\n"
                        "{{#kind=object}}O{{/kind=object}}{{#kind=string}}S{{/kind=string}}{{^kind=object}}!{{/kind=object}}\n"
                        "{{/items}}\n"));
    free(write_template(dir, "crossed", "{{#kind=object}}x{{/kind=string}}"));
    free(write_template(dir, "flag", "{{#on=yes}}x{{/on=yes}}"));
    struct tctx *root = tctx_new();
    tctx_set(tctx_add(root, "items"), "kind", "object");
    tctx_set(tctx_add(root, "items"), "kind", "string");
    tctx_flag(root, "on", true);
    struct template_set *set = template_set_new(dir);
    struct strbuf out;
    sb_init(&out);
    assert_int_equal(template_render(set, "main", root, &out), 0);
    assert_string_equal(out.data, "O\nS!\n");
    int errors = diag_error_count();
    assert_int_equal(template_render(set, "crossed", root, &out), -1); /* closed by another value */
    assert_int_equal(template_render(set, "flag", root, &out), -1);    /* a flag is no text to compare */
    assert_int_equal(diag_error_count(), errors + 2);
    diag_reset();
    sb_free(&out);
    template_set_free(set);
    tctx_free(root);
    remove_tree(dir);
}

/* Names seen by the contexts-and-templates test, with what each side does with them. */
struct seen_names {
    struct strmap set, used; /* name -> the name (owned by the list below) */
    char **owned;
    size_t count;
};

static void note(struct strmap *map, struct seen_names *seen, const char *name)
{
    if (strmap_get(map, name))
        return;
    seen->owned = realloc(seen->owned, (seen->count + 1) * sizeof *seen->owned);
    char *copy = seen->owned[seen->count++] = xstrdup(name);
    strmap_add(map, copy, copy);
}

static void note_set(const char *name, const char *value, void *data)
{
    (void)value;
    struct seen_names *seen = data;
    note(&seen->set, seen, name);
}

/* The switch values each key may take: the capi.h name tables. */
static bool known_switch_value(const char *name, const char *value)
{
    for (int k = 0; k <= CAPI_ARG_BLOCK; k++)
        if (strcmp(name, "conv") == 0 && strcmp(value, capi_arg_kind_name((enum capi_arg_kind)k)) == 0)
            return true;
    for (int k = 0; k <= CAPI_RESULT_DICTIONARY; k++)
        if (strcmp(name, "result") == 0 && strcmp(value, capi_result_kind_name((enum capi_result_kind)k)) == 0)
            return true;
    for (int k = 0; k <= CAPI_WAIT_OBJECT; k++)
        if (strcmp(name, "wait") == 0 && strcmp(value, capi_wait_kind_name((enum capi_wait_kind)k)) == 0)
            return true;
    for (int k = 0; k <= CAPI_ANSWER_DATA; k++)
        if (strcmp(name, "answer") == 0 && strcmp(value, capi_answer_kind_name((enum capi_answer_kind)k)) == 0)
            return true;
    for (int k = 0; k <= CAPI_DELEGATE_ARG_VALUE; k++)
        if (strcmp(name, "kind") == 0 &&
            strcmp(value, capi_delegate_arg_kind_name((enum capi_delegate_arg_kind)k)) == 0)
            return true;
    for (int k = 0; k <= CAPI_CALLBACK_PARAM_VALUE; k++)
        if (strcmp(name, "kind") == 0 &&
            strcmp(value, capi_callback_param_kind_name((enum capi_callback_param_kind)k)) == 0)
            return true;
    return false;
}

static void note_used(const char *name, const char *value, void *data)
{
    struct seen_names *seen = data;
    note(&seen->used, seen, name);
    if (value && !known_switch_value(name, value))
        fail_msg("a template tests '%s=%s', a value no kind of capi.h has", name, value);
}

/*
 * Every name a context binds is placed by some template of the set, and every
 * name a template places is bound: a key nobody reads is dead code in the
 * emitter, and a key nobody sets renders only through a lookup that falls
 * back to an outer context by chance.
 */
static void check_keys_match(const struct tctx *root, const struct template_set *set)
{
    struct seen_names seen = {0};
    strmap_init(&seen.set);
    strmap_init(&seen.used);
    tctx_each_name(root, note_set, &seen);
    template_set_each_tag(set, note_used, &seen);
    int problems = 0;
    for (size_t i = 0; i < seen.count; i++) {
        const char *name = seen.owned[i];
        if (strmap_get(&seen.set, name) && !strmap_get(&seen.used, name)) {
            fprintf(stderr, "context key '%s' is set but no template uses it\n", name);
            problems++;
        } else if (!strmap_get(&seen.set, name) && strmap_get(&seen.used, name)) {
            fprintf(stderr, "templates use '%s' but no context sets it\n", name);
            problems++;
        }
    }
    assert_int_equal(problems, 0);
    for (size_t i = 0; i < seen.count; i++)
        free(seen.owned[i]);
    free(seen.owned);
    strmap_free(&seen.set);
    strmap_free(&seen.used);
}

/*
 * Renders the outputs of one set (its context and files) for the mini API
 * (tests/gen/mini.xml uses every construct) through the templates of
 * template_dir, and checks the keys (check_keys_match).
 * Returns the text of the file named `keep` (out/KEEP), which the caller
 * frees, or NULL.
 */
static char *check_output_set(emit_context_fn *context, emit_files_fn *files_of, const char *template_dir,
                              const char *keep)
{
    struct api *api = load_api("tests/gen/mini.xml", "api/cvz-api.rng");
    assert_non_null(api);
    assert_int_equal(apply_overrides(api, "tests/gen/mini-overrides.xml", "api/cvz-overrides.rng"), 0);
    assert_int_equal(resolve_model(api), 0);
    assert_int_equal(check_model(api), 0);
    struct capi *capi = capi_build(api);
    assert_int_equal(check_capi(capi), 0);
    struct tctx *root = context(capi);
    struct template_set *set = template_set_new(template_dir);
    struct emit_file *files;
    size_t count = files_of(capi, root, "out", &files);
    char *kept = NULL;
    for (size_t i = 0; i < count; i++) {
        struct strbuf out;
        sb_init(&out);
        assert_int_equal(template_render(set, files[i].template_name, files[i].ctx, &out), 0);
        if (keep && strcmp(files[i].path + strlen("out/"), keep) == 0)
            kept = sb_detach(&out);
        sb_free(&out);
    }
    emit_files_free(files, count);
    check_keys_match(root, set);
    template_set_free(set);
    tctx_free(root);
    capi_free(capi);
    model_free(api);
    return kept;
}

static void test_context_keys_match_templates(void **state)
{
    (void)state;
    check_output_set(emit_context, emit_files, "templates", NULL);
}

/*
 * The reference pages' keys too, and their escaping: the mini API's skip
 * reason (quotes, a backslash) reaches the index as character references.
 */
static void test_docs_context_keys_match_templates(void **state)
{
    (void)state;
    char *index = check_output_set(emit_docs_context, emit_docs_files, "templates/docs", "index.html");
    assert_non_null(index);
    assert_non_null(strstr(index, "<td>kept out of the golden API to exercise skipping "
                                  "(&quot;quoted&quot;, a \\ backslash)</td>"));
    assert_non_null(strstr(index, "<code>-[VZWidget attachThing:error:]</code>"));
    assert_null(strstr(index, "\"quoted\""));
    free(index);
}

static void test_keywords(void **state)
{
    (void)state;
    static const char *const words[] = {
        "_Alignas", "_Bool", "_Thread_local", "alignas", "and", "asm", "auto", "bool", "break", "case", "char",
        "class", "co_await", "const", "constexpr", "continue", "default", "delete", "do", "double", "else", "enum",
        "extern", "false", "float", "for", "goto", "if", "inline", "int", "long", "namespace", "new", "noreturn",
        "nullptr", "operator", "or", "register", "restrict", "return", "short", "signed", "sizeof", "static",
        "static_assert", "struct", "switch", "template", "this", "thread_local", "true", "typedef", "typeof",
        "typeof_unqual", "union", "unsigned", "void", "volatile", "wchar_t", "while", "xor_eq",
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!is_c_keyword(words[i]))
            fail_msg("'%s' is not recognised as a keyword", words[i]);
    static const char *const names[] = {"", "count", "Int", "integer", "_bool", "classes", "news", "zzz", "_"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (is_c_keyword(names[i]))
            fail_msg("'%s' is taken for a keyword", names[i]);
}

/* Contexts of one list that bind their names in different orders, and names found in parents. */
static void test_template_lookup_order(void **state)
{
    (void)state;
    char dir[] = "/tmp/cvz-tmpl-XXXXXX";
    assert_non_null(mkdtemp(dir));
    free(write_template(dir, "main", "{{#items}}{{x}}{{y}}{{title}};{{/items}}"));
    struct tctx *root = tctx_new();
    tctx_set(root, "title", "T");
    struct tctx *a = tctx_add(root, "items");
    tctx_set(a, "x", "1");
    tctx_set(a, "y", "2");
    struct tctx *b = tctx_add(root, "items");
    tctx_set(b, "y", "4");
    tctx_set(b, "x", "3");
    tctx_set(b, "x", "5"); /* set again: the last value counts */
    struct tctx *c = tctx_add(root, "items");
    tctx_set(c, "title", "U");
    tctx_set(c, "x", "6");
    tctx_set(c, "y", "7");
    struct template_set *set = template_set_new(dir);
    struct strbuf out;
    sb_init(&out);
    assert_int_equal(template_render(set, "main", root, &out), 0);
    assert_string_equal(out.data, "12T;54T;67U;");
    sb_free(&out);
    template_set_free(set);
    tctx_free(root);
    remove_tree(dir);
}

static void test_strmap(void **state)
{
    (void)state;
    enum { N = 5000 };
    static char keys[N][16];
    struct strmap m;
    strmap_init(&m);
    assert_null(strmap_get(&m, "absent"));
    for (size_t i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "k%zu", i);
        assert_ptr_equal(strmap_add(&m, keys[i], (void *)(i + 1)), (void *)(i + 1));
    }
    /* A key bound already keeps its first value. */
    assert_ptr_equal(strmap_add(&m, "k7", (void *)99), (void *)8);
    assert_int_equal(m.count, N);
    for (size_t i = 0; i < N; i++) {
        char probe[16];
        snprintf(probe, sizeof probe, "k%zu", i); /* another copy of the key: compared by text */
        assert_ptr_equal(strmap_get(&m, probe), (void *)(i + 1));
    }
    assert_null(strmap_get(&m, "k5000"));
    assert_null(strmap_get(&m, ""));
    strmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snake_case),     cmocka_unit_test(test_names),
        cmocka_unit_test(test_method_names),   cmocka_unit_test(test_types),
        cmocka_unit_test(test_template_engine), cmocka_unit_test(test_template_switch),
        cmocka_unit_test(test_context_keys_match_templates),
        cmocka_unit_test(test_docs_context_keys_match_templates),
        cmocka_unit_test(test_keywords),
        cmocka_unit_test(test_template_lookup_order), cmocka_unit_test(test_strmap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
