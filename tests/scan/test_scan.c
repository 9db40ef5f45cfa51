/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_scan.c - cvzscan end to end.
 *
 *   - one folder of invented headers per construct (tests/scan/cases/NAME/)
 *     gives exactly tests/scan/expected/NAME.xml, which xmllint validates
 *     against api/cvz-api.rng; the warnings printed are exactly the expected
 *     ones (most cases print none);
 *   - every kind of bad header (tests/scan/bad/NAME.h) is rejected with one line
 *     "NAME.h:LINE: error: MESSAGE", exit status 1, and nothing written;
 *   - --out writes atomically and the same bytes as standard output, runs are
 *     deterministic, --schema validates, usage errors exit 2.
 *
 * Run from the repository root (make check-scan does).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *cvzscan = "build/cvzscan";
static const char *schema = "api/cvz-api.rng";

struct run {
    int status;
    char *out; /* standard output */
    char *err; /* standard error */
};

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t cap = 0;
    ssize_t n = getdelim(&text, &cap, '\0', f);
    fclose(f);
    if (n < 0) {
        free(text);
        text = strdup("");
    }
    return text;
}

static char *temp_file(void)
{
    char *path = strdup("/tmp/cvzscan-test-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    return path;
}

static char *temp_dir(void)
{
    char *dir = strdup("/tmp/cvzscan-dir-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void remove_tree(char *dir)
{
    char *cmd;
    assert_true(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(dir);
}

/* Runs cvzscan with `args`; captures both streams. */
static struct run run_scan(const char *args)
{
    char *out = temp_file(), *err = temp_file();
    char *cmd;
    assert_true(asprintf(&cmd, "%s %s >%s 2>%s", cvzscan, args, out, err) > 0);
    int rc = system(cmd);
    free(cmd);
    struct run r = {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(out), slurp(err)};
    assert_non_null(r.out);
    assert_non_null(r.err);
    unlink(out);
    unlink(err);
    free(out);
    free(err);
    return r;
}

static void run_free(struct run *r)
{
    free(r->out);
    free(r->err);
}

static int count_lines(const char *text)
{
    int n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* xmllint --relaxng on a document held in memory. */
static void assert_validates(const char *xml)
{
    char *path = temp_file();
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(xml, f);
    fclose(f);
    char *cmd;
    assert_true(asprintf(&cmd, "xmllint --noout --nonet --relaxng %s %s 2>/dev/null", schema, path) > 0);
    int rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, "xmllint rejects the document:\n%s\n", xml);
    assert_int_equal(rc, 0);
    free(cmd);
    unlink(path);
    free(path);
}

/* ---- golden cases ---------------------------------------------------------- */

struct golden_case {
    const char *name;
    const char *warnings[16]; /* each printed line, "FILE:LINE: warning: text" after the folder */
};

static const struct golden_case golden_cases[] = {
    {"interface", {NULL}},
    {"category", {NULL}},
    {"protocol", {NULL}},
    {"property", {NULL}},
    {"method", {NULL}},
    {"blocks", {NULL}},
    {"nserror", {NULL}},
    {"enum", {NULL}},
    {"options", {NULL}},
    {"error_enum", {NULL}},
    {"availability", {NULL}},
    {"initializers", {NULL}},
    {"swift_macros", {NULL}},
    {"conditionals", {NULL}},
    {"nullability", {NULL}},
    {"types", {NULL}},
    {"comments", {NULL}},
    {"forward_typedefs", {NULL}},
    {"order", {NULL}},
    {"undated_base",
     {"VZGadget.h:15: warning: @interface VZGadgetBase has no API_AVAILABLE(macos(\u2026)); taken as available since "
      "its earliest subclass, VZEarlyGadget (12.0)",
      "VZGadget.h:21: warning: @interface VZGadgetMiddle has no API_AVAILABLE(macos(\u2026)); taken as available since "
      "its earliest subclass, VZLateGadget (14.0)",
      "VZGadget.h:37: warning: @interface VZLoneGadget has no API_AVAILABLE(macos(\u2026)); taken as available since "
      "the framework's first version (11.0)",
      NULL}},
    {"warnings",
     {"VZWidget.h:4: warning: C function 'VZWidgetReset' skipped",
      "VZWidget.h:5: warning: function definition 'VZWidgetDouble' skipped",
      "VZWidget.h:6: warning: typedef 'VZWidgetPoint' with a body skipped",
      "VZWidget.h:7: warning: declaration 'VZWidgetCounter' skipped (not exported)",
      "VZWidget.h:10: warning: instance variables of VZWidget skipped",
      "VZWidget.h:13: warning: unknown macro 'NS_FANCY_NEW_MACRO' ignored",
      "VZWidget.h:14: warning: unknown @property attribute 'fancy' ignored",
      "VZWidget.h:15: warning: variadic method 'log:' skipped",
      "VZWidget.h:16: warning: method 'pair::' has an unnamed selector part; skipped",
      "VZWidget.h:17: warning: NS_UNAVAILABLE property 'hidden' skipped",
      "VZWidget.h:18: warning: method 'spin' of VZWidget is declared again (first at line 13)",
      "VZWidget.h:21: warning: category VZMissing(VZMissingExtras): class 'VZMissing' is not in the scanned headers",
      "VZWidget.h:26: warning: @interface VZUndated has no API_AVAILABLE(macos(",
      NULL}},
};

static void check_golden(const struct golden_case *c)
{
    char *args;
    assert_true(asprintf(&args, "--sdk-version 27.0 tests/scan/cases/%s", c->name) > 0);
    struct run r = run_scan(args);
    free(args);
    if (r.status != 0)
        fprintf(stderr, "case %s:\n%s", c->name, r.err);
    assert_int_equal(r.status, 0);

    char *expected_path;
    assert_true(asprintf(&expected_path, "tests/scan/expected/%s.xml", c->name) > 0);
    char *expected = slurp(expected_path);
    if (!expected)
        fail_msg("missing golden file %s (make scan-golden, then review it)", expected_path);
    if (strcmp(expected, r.out) != 0)
        fprintf(stderr, "case %s: output differs from %s:\n%s", c->name, expected_path, r.out);
    assert_string_equal(expected, r.out);
    assert_validates(r.out);

    /* Exactly the expected warnings, each once. */
    int expected_warnings = 0;
    for (; c->warnings[expected_warnings]; expected_warnings++) {
        char *line;
        assert_true(asprintf(&line, "tests/scan/cases/%s/%s", c->name, c->warnings[expected_warnings]) > 0);
        if (!strstr(r.err, line))
            fail_msg("case %s: missing warning\n  %s\nin\n%s", c->name, line, r.err);
        free(line);
    }
    if (count_lines(r.err) != expected_warnings)
        fail_msg("case %s: %d warning line(s) expected, got:\n%s", c->name, expected_warnings, r.err);
    free(expected);
    free(expected_path);
    run_free(&r);
}

static void test_golden_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof golden_cases / sizeof *golden_cases; i++)
        check_golden(&golden_cases[i]);
}

/* Every case folder has its golden file and is in the table, and the other way round. */
static void test_every_case_is_checked(void **state)
{
    (void)state;
    DIR *d = opendir("tests/scan/cases");
    assert_non_null(d);
    struct dirent *e;
    int folders = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        folders++;
        bool listed = false;
        for (size_t i = 0; i < sizeof golden_cases / sizeof *golden_cases; i++)
            listed = listed || strcmp(golden_cases[i].name, e->d_name) == 0;
        if (!listed)
            fail_msg("tests/scan/cases/%s is not in golden_cases", e->d_name);
    }
    closedir(d);
    assert_int_equal(folders, (int)(sizeof golden_cases / sizeof *golden_cases));
    assert_int_equal(count_entries("tests/scan/expected"), folders);
}

/* ---- bad headers -------------------------------------------------------------- */

struct bad_case {
    const char *file;
    int line;
    const char *message;
};

static const struct bad_case bad_cases[] = {
    {"unterminated_interface.h", 5, "@interface VZWidget has no matching @end"},
    {"unterminated_protocol.h", 3, "@protocol VZWidgetDelegate has no matching @end"},
    {"nested_interface.h", 3, "@interface VZWidget has no matching @end"},
    {"missing_endif.h", 4, "unterminated #if (no matching #endif)"},
    {"unterminated_if_eof.h", 1, "unterminated #if (no matching #endif)"},
    {"stray_endif.h", 5, "#endif without a matching #if"},
    {"else_twice.h", 6, "#else after #else"},
    {"elif_after_else.h", 6, "#elif after #else"},
    {"unknown_directive.h", 2, "unknown preprocessor directive '#frobnicate'"},
    {"garbage_char.h", 4, "stray '$' outside a comment"},
    {"garbage_text.h", 3, "declaration starting with 'This' is not terminated by ';' (found 'end of file')"},
    {"stray_brace.h", 3, "expected a declaration, found '}'"},
    {"stray_end.h", 4, "@end without @interface or @protocol"},
    {"unterminated_comment.h", 3, "unterminated /* comment"},
    {"unterminated_string.h", 4, "unterminated string literal"},
    {"unclosed_macro.h", 2, "API_AVAILABLE( is not closed by ')'"},
    {"bad_version.h", 2, "API_AVAILABLE: malformed version 'eleven' for macos"},
    {"method_without_semicolon.h", 4, "method declaration is not terminated by ';'"},
    {"property_without_name.h", 4, "@property needs a type and a name"},
    {"parameter_without_name.h", 4, "expected a parameter name after 'moveTo:', found 'API_AVAILABLE'"},
    {"enum_unclosed.h", 2, "enum 'VZWidgetState' is not closed with '}'"},
    {"enum_bad_value.h", 4, "cannot evaluate the value of 'VZWidgetStateHuge' (unknown name)"},
    {"enum_divide_overflow.h", 4, "cannot evaluate the value of 'VZWidgetStateLowest' (overflow in '/')"},
    {"enum_divide_by_zero.h", 4, "cannot evaluate the value of 'VZWidgetStateNone' (division by zero)"},
    {"enum_negative_shift.h", 4, "cannot evaluate the value of 'VZWidgetOptionOdd' (negative shift count)"},
    {"enum_wide_shift.h", 4, "cannot evaluate the value of 'VZWidgetOptionGone' (shift count of 64 or more)"},
    {"enum_shift_overflow.h", 4, "cannot evaluate the value of 'VZWidgetOptionLost' (overflow in '<<')"},
    {"enum_add_overflow.h", 4, "cannot evaluate the value of 'VZWidgetStateTooFar' (overflow in '+')"},
    {"enum_mul_overflow.h", 4, "cannot evaluate the value of 'VZWidgetStateTriple' (overflow in '*')"},
    {"enum_sub_overflow.h", 4, "cannot evaluate the value of 'VZWidgetStateBelow' (overflow in '-')"},
    {"enum_negate_overflow.h", 4, "cannot evaluate the value of 'VZWidgetStateOpposite' (overflow in unary '-')"},
    {"enum_implicit_overflow.h", 4, "the value of 'VZWidgetStateNext' (one more than 'VZWidgetStateHighest') overflows"},
    {"duplicate_class.h", 7, "@interface VZWidget is declared twice (first at line 3)"},
    {"superclass_cycle.h", 3, "the superclass chain of 'VZWidget' loops back on itself"},
    {"optional_outside_protocol.h", 4, "@optional outside a @protocol"},
    {"error_after_comment.h", 11, "@property needs a type and a name"},
    {"error_domain_not_identifier.h", 2, "NS_ERROR_ENUM: the error domain must be one identifier"},
    {"long_type.h", 4, "the type of the return value is longer than the schema allows (338 characters, at most 200)"},
};

/* Scans `dir` with --out into a fresh folder; the folder must stay empty. */
static struct run scan_expecting_failure(const char *dir)
{
    char *out_dir = temp_dir();
    char *args;
    assert_true(asprintf(&args, "--sdk-version 27.0 --out %s/api.xml %s", out_dir, dir) > 0);
    struct run r = run_scan(args);
    free(args);
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "");
    assert_int_equal(count_entries(out_dir), 0); /* no output, no temporary file left */
    remove_tree(out_dir);
    return r;
}

static void test_bad_headers(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const struct bad_case *c = &bad_cases[i];
        /* In a folder of its own, next to a good header that must not rescue it. */
        char *dir = temp_dir();
        char *cmd;
        assert_true(asprintf(&cmd, "cp tests/scan/bad/%s tests/scan/cases/options/VZWidgetOptions.h %s/", c->file,
                             dir) > 0);
        assert_int_equal(system(cmd), 0);
        free(cmd);
        struct run r = scan_expecting_failure(dir);
        char *want;
        assert_true(asprintf(&want, "%s/%s:%d: error: %s", dir, c->file, c->line, c->message) > 0);
        if (!strstr(r.err, want) || count_lines(r.err) != 1)
            fail_msg("%s: expected only\n  %s\ngot\n%s", c->file, want, r.err);
        free(want);
        run_free(&r);
        remove_tree(dir);
    }
}

/* Every bad header is in the table. */
static void test_every_bad_header_is_checked(void **state)
{
    (void)state;
    assert_int_equal(count_entries("tests/scan/bad"), (int)(sizeof bad_cases / sizeof *bad_cases));
}

static void test_nul_byte(void **state)
{
    (void)state;
    char *dir = temp_dir();
    char *path;
    assert_true(asprintf(&path, "%s/VZBinary.h", dir) > 0);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite("typedef int VZ\0Widget;\n", 1, 23, f);
    fclose(f);
    struct run r = scan_expecting_failure(dir);
    char *want;
    assert_true(asprintf(&want, "%s: error: contains a NUL byte", path) > 0);
    assert_non_null(strstr(r.err, want));
    free(want);
    free(path);
    run_free(&r);
    remove_tree(dir);
}

static void test_empty_and_missing_folders(void **state)
{
    (void)state;
    char *dir = temp_dir();
    struct run r = scan_expecting_failure(dir);
    assert_non_null(strstr(r.err, "error: no .h files in the header folder"));
    run_free(&r);
    remove_tree(dir);

    r = scan_expecting_failure("/nonexistent/cvzscan-headers");
    assert_non_null(strstr(r.err, "/nonexistent/cvzscan-headers: error: cannot open the header folder"));
    run_free(&r);
}

/* ---- options and output ------------------------------------------------------- */

static void test_out_matches_stdout_and_is_atomic(void **state)
{
    (void)state;
    struct run to_stdout = run_scan("--sdk-version 27.0 tests/scan/cases/order");
    assert_int_equal(to_stdout.status, 0);

    char *dir = temp_dir();
    char *args;
    assert_true(asprintf(&args, "--sdk-version 27.0 --out %s/api.xml tests/scan/cases/order", dir) > 0);
    struct run to_file = run_scan(args);
    assert_int_equal(to_file.status, 0);
    assert_string_equal(to_file.out, "");
    char *path;
    assert_true(asprintf(&path, "%s/api.xml", dir) > 0);
    char *written = slurp(path);
    assert_non_null(written);
    assert_string_equal(written, to_stdout.out);
    assert_int_equal(count_entries(dir), 1); /* no temporary file left behind */

    /* A failing run leaves an existing output untouched. */
    char *bad_args;
    assert_true(asprintf(&bad_args, "--sdk-version 27.0 --out %s tests/scan/bad", path) > 0);
    struct run failed = run_scan(bad_args);
    assert_int_equal(failed.status, 1);
    char *after = slurp(path);
    assert_string_equal(after, written);
    assert_int_equal(count_entries(dir), 1);

    free(after);
    free(bad_args);
    run_free(&failed);
    free(written);
    free(path);
    free(args);
    run_free(&to_file);
    run_free(&to_stdout);
    remove_tree(dir);
}

static void test_deterministic(void **state)
{
    (void)state;
    struct run a = run_scan("--sdk-version 27.0 tests/scan/cases/category");
    struct run b = run_scan("--sdk-version 27.0 tests/scan/cases/category");
    assert_int_equal(a.status, 0);
    assert_string_equal(a.out, b.out);
    run_free(&a);
    run_free(&b);
}

static void test_options(void **state)
{
    (void)state;
    /* --framework and --sdk-version land on <api>. */
    struct run r = run_scan("--framework Gadgets --sdk-version 15.4 tests/scan/cases/interface");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "<api framework=\"Gadgets\" sdk=\"15.4\">"));
    run_free(&r);

    /* Without --sdk-version, the newest version the headers state. */
    r = run_scan("tests/scan/cases/availability");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "<api framework=\"Virtualization\" sdk=\"15.0\">"));
    run_free(&r);

    /* --schema validates before writing. */
    r = run_scan("--schema api/cvz-api.rng --sdk-version 27.0 tests/scan/cases/enum");
    assert_int_equal(r.status, 0);
    assert_string_not_equal(r.out, "");
    run_free(&r);

    static const char *const usage[] = {
        "",
        "--sdk-version",
        "--sdk-version 27 tests/scan/cases/enum",
        "--sdk-version 27.0.1 tests/scan/cases/enum",
        "--framework 9lives tests/scan/cases/enum",
        "--bogus tests/scan/cases/enum",
        "tests/scan/cases/enum tests/scan/cases/order",
    };
    for (size_t i = 0; i < sizeof usage / sizeof *usage; i++) {
        r = run_scan(usage[i]);
        if (r.status != 2)
            fail_msg("'cvzscan %s' exited %d, expected 2", usage[i], r.status);
        assert_string_equal(r.out, "");
        run_free(&r);
    }
}

/* ---- --replacing: what make api runs ----------------------------------------------- */

/* Writes `dir`/NAME.h declaring classes VZ<names[i]> (11.0) and returns nothing. */
static void write_classes(const char *dir, const char *name, const char *const *classes, size_t n)
{
    char *path;
    assert_true(asprintf(&path, "%s/%s.h", dir, name) > 0);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "API_AVAILABLE(macos(11.0))\n@interface VZ%s : NSObject\n@end\n\n", classes[i]);
    assert_int_equal(fclose(f), 0);
    free(path);
}

/* A scan that would replace an API description refuses an incomplete
 * framework (no umbrella header) and one that would remove most of the API
 * (more than half of its items), each in one line, writing nothing; half or
 * less is a real SDK change and goes through. */
static void test_replacing(void **state)
{
    (void)state;
    static const char *const four[] = {"Alpha", "Beta", "Gamma", "Delta"};
    char *before = temp_dir(), *after = temp_dir(), *out = temp_dir();
    char *api, *args, *reference;
    assert_true(asprintf(&api, "%s/Virtualization.xml", out) > 0);

    /* The API to replace: four classes, from a complete framework. */
    write_classes(before, "Classes", four, 4);
    write_classes(before, "Virtualization", NULL, 0); /* the umbrella header */
    assert_true(asprintf(&args, "--sdk-version 27.0 --replacing %s --out %s %s", api, api, before) > 0);
    struct run r = run_scan(args); /* nothing to replace yet: written */
    assert_int_equal(r.status, 0);
    run_free(&r);
    reference = slurp(api);
    assert_non_null(strstr(reference, "<class name=\"VZDelta\""));
    free(args);

    /* No umbrella header: refused before scanning. */
    write_classes(after, "Classes", four, 4);
    assert_true(asprintf(&args, "--sdk-version 27.0 --replacing %s --out %s %s", api, api, after) > 0);
    r = run_scan(args);
    assert_int_equal(r.status, 1);
    char *want;
    assert_true(asprintf(&want, "%s: error: not a complete framework: no umbrella header Virtualization.h (point at "
                                "Virtualization.framework/Headers of an SDK); nothing written\n",
                         after) > 0);
    assert_string_equal(r.err, want);
    free(want);
    run_free(&r);
    char *now = slurp(api);
    assert_string_equal(now, reference);
    free(now);

    /* With it, three of four classes gone: refused. */
    write_classes(after, "Virtualization", NULL, 0);
    write_classes(after, "Classes", four, 1);
    r = run_scan(args);
    assert_int_equal(r.status, 1);
    assert_true(asprintf(&want, "%s: error: refusing to replace %s: the scan would remove 3 of its 4 API items (more "
                                "than half); is this the complete framework's Headers folder? nothing written\n",
                         after, api) > 0);
    assert_string_equal(r.err, want);
    free(want);
    run_free(&r);
    now = slurp(api);
    assert_string_equal(now, reference);
    free(now);
    assert_int_equal(count_entries(out), 1); /* no temporary file either */

    /* Two of four gone (half): an SDK may do that; written. */
    write_classes(after, "Classes", four, 2);
    r = run_scan(args);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    run_free(&r);
    now = slurp(api);
    assert_null(strstr(now, "VZGamma"));
    assert_non_null(strstr(now, "<class name=\"VZBeta\""));
    free(now);

    /* Without --replacing, cvzscan scans any folder, as before. */
    free(args);
    assert_true(asprintf(&args, "--sdk-version 27.0 tests/scan/cases/interface") > 0);
    r = run_scan(args);
    assert_int_equal(r.status, 0);
    run_free(&r);

    free(args);
    free(reference);
    free(api);
    remove_tree(before);
    remove_tree(after);
    remove_tree(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_cases),
        cmocka_unit_test(test_every_case_is_checked),
        cmocka_unit_test(test_bad_headers),
        cmocka_unit_test(test_every_bad_header_is_checked),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_empty_and_missing_folders),
        cmocka_unit_test(test_out_matches_stdout_and_is_atomic),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_replacing),
    };
    return cmocka_run_group_tests_name("cvzscan", tests, NULL, NULL);
}
