/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_units.c - the generator's pieces on their own: naming rules, type
 * parsing and binding, the template engine (switch sections too), and the
 * render phase's contexts against the templates, C's, Go's and the reference
 * pages' (every key set is used, and every key used is set); the versions of
 * support/version.h.
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
#include "emit_go.h"
#include "layout.h"
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

/* The switch values each key may take: the capi.h name tables, and emit_go.h's go_conv. */
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
    for (int k = 0; k <= CAPI_ROLE_METHOD; k++)
        if (strcmp(name, "role") == 0 && strcmp(value, capi_role_name((enum capi_role)k)) == 0)
            return true;
    for (int k = 0; k < GO_CONV_NONE; k++)
        if (strcmp(name, "go_conv") == 0 && strcmp(value, go_conv_name((enum go_conv)k)) == 0)
            return true;
    return false;
}

static void note_used(const char *name, const char *value, void *data)
{
    struct seen_names *seen = data;
    note(&seen->used, seen, name);
    if (value && !known_switch_value(name, value))
        fail_msg("a template tests '%s=%s', a value no kind of capi.h or emit_go.h has", name, value);
}

/* The C API model of an API and its overrides, checked; capi_free() it, then model_free() *api. */
static struct capi *checked_capi(const char *xml, const char *overrides, struct api **api)
{
    *api = load_api(xml, "api/cvz-api.rng");
    assert_non_null(*api);
    assert_int_equal(apply_overrides(*api, overrides, "api/cvz-overrides.rng"), 0);
    assert_int_equal(resolve_model(*api), 0);
    assert_int_equal(check_model(*api), 0);
    struct capi *capi = capi_build(*api);
    assert_int_equal(check_capi(capi), 0);
    return capi;
}

/*
 * Renders the files from their contexts, then counts the names root binds
 * that no template places and the names a template places that root does not bind.
 */
static int unmatched_keys(const struct tctx *root, const char *template_dir, const struct emit_file *files,
                          size_t count)
{
    struct template_set *set = template_set_new(template_dir);
    for (size_t i = 0; i < count; i++) {
        struct strbuf out;
        sb_init(&out);
        assert_int_equal(template_render(set, files[i].template_name, files[i].ctx, &out), 0);
        sb_free(&out);
    }
    struct seen_names seen = {0};
    strmap_init(&seen.set);
    strmap_init(&seen.used);
    tctx_each_name(root, note_set, &seen);
    template_set_each_tag(set, note_used, &seen);
    int problems = 0;
    for (size_t i = 0; i < seen.count; i++) {
        const char *name = seen.owned[i];
        if (strmap_get(&seen.set, name) && !strmap_get(&seen.used, name)) {
            fprintf(stderr, "%s: context key '%s' is set but no template uses it\n", template_dir, name);
            problems++;
        } else if (!strmap_get(&seen.set, name) && strmap_get(&seen.used, name)) {
            fprintf(stderr, "%s: templates use '%s' but no context sets it\n", template_dir, name);
            problems++;
        }
    }
    for (size_t i = 0; i < seen.count; i++)
        free(seen.owned[i]);
    free(seen.owned);
    strmap_free(&seen.set);
    strmap_free(&seen.used);
    template_set_free(set);
    return problems;
}

/*
 * Every name the render phases bind is placed by some template, and every
 * name a template places is bound: a key nobody reads is dead code in emit.c
 * or emit_go*.c, and a key nobody sets renders only through a lookup that
 * falls back to an outer context by chance.  Rendered from tests/gen/mini.xml,
 * which uses every construct.
 */
static void test_context_keys_match_templates(void **state)
{
    (void)state;
    struct api *api;
    struct capi *capi = checked_capi("tests/gen/mini.xml", "tests/gen/mini-overrides.xml", &api);
    struct tctx *root = emit_context(capi);
    struct emit_file *files;
    size_t file_count = emit_files(capi, root, "out", &files);
    int problems = unmatched_keys(root, "templates", files, file_count);
    emit_files_free(files, file_count);
    tctx_free(root);

    root = emit_go_context(capi);
    struct emit_file go_files[8];
    assert_true(emit_go_output_count <= sizeof go_files / sizeof *go_files);
    for (size_t i = 0; i < emit_go_output_count; i++)
        go_files[i] = (struct emit_file){emit_go_outputs[i].template_name, root, NULL};
    problems += unmatched_keys(root, "templates/go", go_files, emit_go_output_count);
    tctx_free(root);

    assert_int_equal(problems, 0);
    capi_free(capi);
    model_free(api);
}

/* The reference pages' contexts against templates/docs; the mini API's skip reason reaches the index escaped. */
static void test_docs_context_keys_match_templates(void **state)
{
    (void)state;
    struct api *api;
    struct capi *capi = checked_capi("tests/gen/mini.xml", "tests/gen/mini-overrides.xml", &api);
    struct tctx *root = emit_docs_context(capi);
    struct emit_file *files;
    size_t count = emit_docs_files(capi, root, "out", &files);
    assert_int_equal(unmatched_keys(root, "templates/docs", files, count), 0);
    struct template_set *set = template_set_new("templates/docs");
    struct strbuf index;
    sb_init(&index);
    for (size_t i = 0; i < count; i++)
        if (strcmp(files[i].path, "out/index.html") == 0)
            assert_int_equal(template_render(set, files[i].template_name, files[i].ctx, &index), 0);
    assert_non_null(index.data);
    assert_non_null(strstr(index.data, "<td>kept out of the golden API to exercise skipping "
                                       "(&quot;quoted&quot;, a \\ backslash)</td>"));
    assert_non_null(strstr(index.data, "<code>-[VZWidget attachThing:error:]</code>"));
    assert_null(strstr(index.data, "\"quoted\""));
    sb_free(&index);
    template_set_free(set);
    emit_files_free(files, count);
    tctx_free(root);
    capi_free(capi);
    model_free(api);
}

/* Parameters named like these would not compile in C11, C23 or C++ (tests/gen/bad has the check errors). */
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

/* Summaries read as English made from Apple's names, for every kind of wrapper (the real API). */
static void test_summaries(void **state)
{
    (void)state;
    static const char *const expected[][2] = {
        {"cvz_virtual_machine_configuration_cpu_count", "the CPU count of the virtual machine configuration."},
        {"cvz_virtual_machine_configuration_set_cpu_count",
         "sets the CPU count of the virtual machine configuration."},
        {"cvz_virtual_machine_can_start", "whether the virtual machine can start."},
        {"cvz_virtual_machine_save_machine_state_to_url", "saves machine state to URL."},
        {"cvz_virtual_machine_pause", "pauses the virtual machine."},
        {"cvz_efi_boot_loader_new", "creates an EFI boot loader."},
        {"cvz_linux_boot_loader_new_with_kernel_url", "creates a Linux boot loader from kernel URL."},
        {"cvz_mac_os_restore_image_fetch_latest_supported", "fetches latest supported."},
        {"cvz_virtio_console_port_array_object_at_indexed_subscript", "returns the object at indexed subscript."},
        {"cvz_efi_signature_x509_certificate_new_with_certificate",
         "creates an EFI signature X.509 certificate from certificate."},
    };
    struct api *api;
    struct capi *capi = checked_capi("api/Virtualization.xml", "api/overrides.xml", &api);
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
        const struct capi_function *found = NULL;
        for (size_t j = 0; j < capi->function_count && !found; j++)
            if (strcmp(capi->functions[j].cname, expected[i][0]) == 0)
                found = &capi->functions[j];
        assert_non_null(found);
        char *line = NULL;
        assert_true(asprintf(&line, "%s: %s", expected[i][0], expected[i][1]) > 0);
        assert_string_equal(found->doc[0], line);
        free(line);
    }
    capi_free(capi);
    model_free(api);
}

/* Doc text wraps at word boundaries within the width; continuation lines are indented; a long word stays whole. */
static void test_layout_wrap(void **state)
{
    (void)state;
    char **lines;
    size_t n = layout_wrap("aaa bbb ccc ddd", 8, &lines);
    assert_int_equal(n, 3);
    assert_string_equal(lines[0], "aaa bbb");
    assert_string_equal(lines[1], "  ccc");
    assert_string_equal(lines[2], "  ddd");
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    n = layout_wrap("averyveryverylongword x", 8, &lines);
    assert_int_equal(n, 2);
    assert_string_equal(lines[0], "averyveryverylongword");
    assert_string_equal(lines[1], "  x");
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

/* The schema's MAJOR.MINOR, and the scanner's looser forms. */
static void test_versions(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        version_t strict, loose;
    } cases[] = {
        {"13.0", 1300, 1300}, {"0.5", 5, 5},      {"99.99", 9999, 9999}, {"11", -1, 1100},
        {"10.15.4", -1, 1015}, {"100.0", -1, -1}, {"13.100", -1, -1},    {" 13.0", -1, -1},
        {"+13.0", -1, -1},    {"13.", -1, -1},    {".5", -1, -1},        {"1.2.3.4", -1, -1},
        {"13.0x", -1, -1},    {"", -1, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        if (parse_version(cases[i].text) != cases[i].strict || parse_version_loose(cases[i].text) != cases[i].loose)
            fail_msg("\"%s\": %d and %d, want %d and %d", cases[i].text, parse_version(cases[i].text),
                     parse_version_loose(cases[i].text), cases[i].strict, cases[i].loose);
    }
    assert_int_equal(parse_version(NULL), -1);
    char buf[16];
    assert_string_equal(format_version(1203, buf), "12.3");
    assert_string_equal(format_version_suffix(2700, buf), "27_0");
    /* Written by hand, not by snprintf: every width of major and minor. */
    assert_string_equal(format_version(1015, buf), "10.15");
    assert_string_equal(format_version(905, buf), "9.5");
    assert_string_equal(format_version(10000, buf), "100.0");
    assert_string_equal(format_version(0, buf), "0.0");
    assert_string_equal(format_version_suffix(1100, buf), "11_0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snake_case),     cmocka_unit_test(test_names),
        cmocka_unit_test(test_method_names),   cmocka_unit_test(test_types),
        cmocka_unit_test(test_template_engine), cmocka_unit_test(test_template_switch),
        cmocka_unit_test(test_context_keys_match_templates),
        cmocka_unit_test(test_summaries),
        cmocka_unit_test(test_layout_wrap),
        cmocka_unit_test(test_docs_context_keys_match_templates),
        cmocka_unit_test(test_keywords),
        cmocka_unit_test(test_template_lookup_order), cmocka_unit_test(test_strmap),
        cmocka_unit_test(test_versions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
