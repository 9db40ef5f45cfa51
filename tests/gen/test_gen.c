/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_gen.c - cvzgen end to end: every kind of bad input is rejected with
 * file:line: error: and nothing is written; the outputs are replaced all or
 * none (a failed write or a signal leaves the old set and no temporary); the
 * golden API renders exactly the committed expected files; adding items to
 * it changes only their lines.
 *
 * Run from the repository root (make check-gen does).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *cvzgen = "build/cvzgen";

struct run {
    int status;
    char *err;
};

/* Runs cvzgen with args into a fresh output folder; captures stderr. */
static struct run run_cvzgen(const char *args, char *out_dir)
{
    char errfile[] = "/tmp/cvzgen-err-XXXXXX";
    int fd = mkstemp(errfile);
    assert_true(fd >= 0);
    close(fd);
    char *cmd;
    assert_true(asprintf(&cmd, "%s --out %s %s 2>%s", cvzgen, out_dir, args, errfile) > 0);
    int rc = system(cmd);
    free(cmd);
    struct run r = {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, NULL};
    FILE *f = fopen(errfile, "r");
    assert_non_null(f);
    size_t cap = 0;
    ssize_t n = getdelim(&r.err, &cap, '\0', f);
    if (n < 0) {
        free(r.err);
        r.err = strdup("");
    }
    fclose(f);
    unlink(errfile);
    return r;
}

static char *make_out_dir(void)
{
    char *dir = strdup("/tmp/cvzgen-out-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char *inc;
    assert_true(asprintf(&inc, "%s/include/cvz", dir) > 0);
    char *cmd;
    assert_true(asprintf(&cmd, "mkdir -p %s %s/sim %s/tests", inc, dir, dir) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(inc);
    return dir;
}

static int count_files(const char *dir)
{
    char *cmd;
    assert_true(asprintf(&cmd, "find %s -type f | wc -l", dir) > 0);
    FILE *p = popen(cmd, "r");
    int n = -1;
    assert_int_equal(fscanf(p, "%d", &n), 1);
    pclose(p);
    free(cmd);
    return n;
}

static void remove_dir(char *dir)
{
    char *cmd;
    assert_true(asprintf(&cmd, "rm -rf %s", dir) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(dir);
}

struct bad_case {
    const char *file;
    int line;
    const char *message;
};

static const struct bad_case bad_cases[] = {
    {"malformed", 4, "Opening and ending tag mismatch"},
    {"entity", 2, "DTDs and entity declarations are not allowed"},
    {"external_entity", 2, "DTDs and entity declarations are not allowed"},
    {"invalid_utf8", 1, "error:"},
    {"schema", 4, "<gadget>: Did not expect element gadget"},
    {"missing_attribute", 3, "missing attribute 'introduced'"},
    {"bad_version", 3, "introduced=\"eleven\" is not a version"},
    {"unknown_type", 4, "unknown type 'VZMissing*'"},
    {"unknown_superclass", 3, "unknown superclass 'VZNowhere'"},
    {"cycle", 3, "superclass chain loops back on itself"},
    {"duplicate_class", 4, "duplicate name 'VZA' (first declared at line 3)"},
    {"duplicate_method", 5, "duplicate method 'run' (first declared at line 4)"},
    {"version_before_class", 4, "introduced=\"12.0\" comes before its container (13.0)"},
    {"version_after_sdk", 3, "introduced=\"26.0\" is newer than the SDK (15.0)"},
    {"deprecated_before_introduced", 3, "deprecated=\"12.0\" comes before introduced=\"13.0\""},
    {"selector_arity", 4, "the selector takes 2 argument(s) but 1 <arg> element(s) are given"},
    {"error_not_last", 6, "the NSError ** out-parameter must be the last argument"},
    {"enum_duplicate_value", 5, "'VZEAlsoOne' repeats the value 1 of 'VZEOne'"},
    {"entity_bomb", 9, "Detected an entity reference loop"},
    {"huge_attribute", 4, "<property>: type is 665 characters long (at most 200)"},
    {"deep_nesting", 3, "Excessive depth in document"},
    {"enum_value_overflow", 5, "enum value '1 << 64' does not fit in 64 bits"},
    {"name_clash", 5, "cvz_a_cpu_count() is already taken by the item at line 4"},
    {"struct_return_in_memory", 4, "VZA.version: returns a cvz_os_version in memory, which needs objc_msgSend_stret"},
    {"queue_property", 4, "VZA.queue: a dispatch queue property cannot cross the C API"},
    {"queue_not_init", 6, "-[VZA runOnQueue:]: a dispatch_queue_t argument is supported on initializers only"},
    {"bool_out_property", 4, "VZA.flag: a property cannot have type 'BOOL *'"},
    {"data_array_argument", 6, "-[VZA writeChunks:]: array of data arguments are not supported (only results)"},
    {"dictionary_key", 4, "unsupported dictionary type 'NSDictionary<NSNumber*,VZA*>*'"},
    {"block_string_param", 6, "block parameter of kind string in 'void(^)(NSString*name)' is not supported"},
    {"keyword_argument", 6, "-[VZA setCount:]: argument name 'int' is a C or C++ keyword"},
    {"keyword_property", 4, "VZA.default: property name 'default' is a C or C++ keyword"},
    {"keyword_c23", 7, "-[VZA runWithFlag:size:]: argument name 'constexpr' is a C or C++ keyword"},
    {"keyword_cpp", 4, "VZA.template: property name 'template' is a C or C++ keyword"},
    {"keyword_c_name", 6, "-[VZA useBool:]: argument name '_Bool' (C name 'bool') is a C or C++ keyword"},
    {"keyword_delegate_argument", 7, "-[VZADelegate a:didRun:]: argument name 'register' is a C or C++ keyword"},
    {"delegate_property", 4, "VZADelegate.count: properties of delegate protocols (protocols with methods) are not supported"},
};

static void test_bad_inputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const struct bad_case *bc = &bad_cases[i];
        char *out = make_out_dir();
        char *args, *where;
        assert_true(asprintf(&args, "tests/gen/bad/%s.xml", bc->file) > 0);
        assert_true(asprintf(&where, "tests/gen/bad/%s.xml:%d: error: ", bc->file, bc->line) > 0);
        struct run r = run_cvzgen(args, out);
        if (r.status != 1 || !strstr(r.err, where) || !strstr(r.err, bc->message))
            fail_msg("%s: exit %d, stderr:\n%s\nwanted \"%s\" and \"%s\"", bc->file, r.status, r.err, where,
                     bc->message);
        assert_int_equal(count_files(out), 0); /* nothing half-written */
        free(r.err);
        free(args);
        free(where);
        remove_dir(out);
    }
}

static void test_missing_input_file(void **state)
{
    (void)state;
    char *out = make_out_dir();
    struct run r = run_cvzgen("tests/gen/bad/no-such-file.xml", out);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "no-such-file.xml"));
    assert_int_equal(count_files(out), 0);
    free(r.err);
    remove_dir(out);
}

/* An override that names no item (or the wrong kind of argument) is an error at its line; so is a duplicate. */
static void test_bad_overrides(void **state)
{
    (void)state;
    char *out = make_out_dir();
    struct run r = run_cvzgen("--overrides tests/gen/bad/overrides_stale.xml tests/gen/mini.xml", out);
    if (r.status != 1 || !strstr(r.err, "tests/gen/bad/overrides_stale.xml:4: error: <skip name=\"-[VZWidget "
                                         "noSuchMethod]\">: no such item") ||
        !strstr(r.err, "overrides_stale.xml:5: error: 'VZWidget.label' is already skipped at line 3") ||
        !strstr(r.err, "overrides_stale.xml:6: error: <argument name=\"-[VZWidget connectToURL:socket:]\" "
                       "arg=\"nope\">: the method has no argument 'nope'") ||
        !strstr(r.err, "overrides_stale.xml:7: error: <argument arg=\"socket\" url=…>: 'socket' is not an NSURL") ||
        !strstr(r.err, "overrides_stale.xml:8: error: <raises name=\"-[VZWidget gone]\">: no such method") ||
        !strstr(r.err, "overrides_stale.xml:9: error: <entitlement name=\"VZNowhere\">: no such class") ||
        !strstr(r.err, "overrides_stale.xml:11: error: <member name=\"VZNoSuchClass\">: no such class or protocol") ||
        !strstr(r.err, "overrides_stale.xml:14: error: <area name=\"things\">: already given at line 10") ||
        !strstr(r.err, "overrides_stale.xml:15: error: <member name=\"VZThing\">: already in area 'things'") ||
        !strstr(r.err, "overrides_stale.xml:17: error: <area name=\"cvz\">: the name of the umbrella header") ||
        !strstr(r.err, "overrides_stale.xml:20: error: <area name=\"index\">: the name of a page of the reference"))
        fail_msg("exit %d, stderr:\n%s", r.status, r.err);
    assert_int_equal(count_files(out), 0);
    free(r.err);
    remove_dir(out);
}

/* The header of an area that no longer exists is removed; a header cvzgen did not write is left alone. */
static void test_stale_area_header_removed(void **state)
{
    (void)state;
    char *out = make_out_dir();
    char *cmd;
    assert_true(asprintf(&cmd, "printf '/*\\n * GENERATED by cvzgen from api/old.xml\\n */\\n' >%s/include/cvz/gone.h && "
                               "echo '/* written by hand */' >%s/include/cvz/mine.h", out, out) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    struct run r = run_cvzgen("--overrides tests/gen/mini-overrides.xml tests/gen/mini.xml", out);
    assert_int_equal(r.status, 0);
    free(r.err);
    char *gone, *mine, *kept;
    assert_true(asprintf(&gone, "%s/include/cvz/gone.h", out) > 0);
    assert_true(asprintf(&mine, "%s/include/cvz/mine.h", out) > 0);
    assert_true(asprintf(&kept, "%s/include/cvz/widgets.h", out) > 0);
    assert_int_not_equal(access(gone, F_OK), 0);
    assert_int_equal(access(mine, F_OK), 0);
    assert_int_equal(access(kept, F_OK), 0);
    free(gone);
    free(mine);
    free(kept);
    remove_dir(out);
}

/* Once the overrides give areas, a class or protocol in none is an error at its line of the API. */
static void test_area_missing(void **state)
{
    (void)state;
    char *out = make_out_dir();
    struct run r = run_cvzgen("--overrides tests/gen/bad/overrides_area_missing.xml tests/gen/mini.xml", out);
    if (r.status != 1 ||
        !strstr(r.err, "tests/gen/mini.xml:44: error: class 'VZWidget' is in no area: add <member "
                       "name=\"VZWidget\"/> to an <area> of the overrides") ||
        !strstr(r.err, "tests/gen/mini.xml:9: error: protocol 'VZWidgetDelegate' is in no area") ||
        !strstr(r.err, "tests/gen/mini.xml:35: error: protocol 'VZSprocket' is in no area") ||
        strstr(r.err, "'VZThing'"))
        fail_msg("exit %d, stderr:\n%s", r.status, r.err);
    assert_int_equal(count_files(out), 0);
    free(r.err);
    remove_dir(out);
}

static void test_usage_error(void **state)
{
    (void)state;
    char *out = make_out_dir();
    struct run r = run_cvzgen("--bogus", out);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "usage: cvzgen"));
    free(r.err);
    remove_dir(out);
}

/* A template error names the template's file and line; no output is written. */
static void test_template_errors(void **state)
{
    (void)state;
    const struct {
        const char *body;
        int line;
        const char *message;
    } cases[] = {
        {"ok\n{{nonexistent}}\n", 2, "unknown tag 'nonexistent'"},
        {"{{#classes}}\nno end\n", 1, "section 'classes' is never closed"},
        {"{{#classes}}\n{{/enums}}\n", 2, "'{{/enums}}' closes 'classes'"},
        {"line\n\n{{>no_such_partial}}\n", 3, "unknown template 'no_such_partial'"},
        {"{{broken\n", 1, "unterminated tag"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char tdir[] = "/tmp/cvzgen-tmpl-XXXXXX";
        assert_non_null(mkdtemp(tdir));
        const char *names[] = {"api_header", "api_source", "symbol_map"};
        for (size_t j = 0; j < 3; j++) {
            char *path;
            assert_true(asprintf(&path, "%s/%s.tmpl", tdir, names[j]) > 0);
            FILE *f = fopen(path, "w");
            fputs(j == 0 ? cases[i].body : "fine\n", f);
            fclose(f);
            free(path);
        }
        char *out = make_out_dir();
        char *args, *where;
        assert_true(asprintf(&args, "--templates %s tests/gen/mini.xml", tdir) > 0);
        assert_true(asprintf(&where, "%s/api_header.tmpl:%d: error: %s", tdir, cases[i].line, cases[i].message) > 0);
        struct run r = run_cvzgen(args, out);
        if (r.status != 1 || !strstr(r.err, where))
            fail_msg("template case %zu: exit %d, stderr:\n%s\nwanted \"%s\"", i, r.status, r.err, where);
        assert_int_equal(count_files(out), 0);
        free(r.err);
        free(args);
        free(where);
        remove_dir(out);
        char *cmd;
        assert_true(asprintf(&cmd, "rm -rf %s", tdir) > 0);
        assert_int_equal(system(cmd), 0);
        free(cmd);
    }
}

/* ---- all outputs or none ------------------------------------------------------ */

static int count_matching(const char *dir, const char *pattern)
{
    char *cmd;
    assert_true(asprintf(&cmd, "find %s -name '%s' | wc -l", dir, pattern) > 0);
    FILE *p = popen(cmd, "r");
    int n = -1;
    assert_int_equal(fscanf(p, "%d", &n), 1);
    pclose(p);
    free(cmd);
    return n;
}

/* How many files cvzgen writes for `args`. */
static int outputs_of(const char *args)
{
    char *out = make_out_dir();
    struct run r = run_cvzgen(args, out);
    assert_int_equal(r.status, 0);
    free(r.err);
    int n = count_files(out);
    remove_dir(out);
    return n;
}

/* A complete output of mini.xml in a fresh folder, and a copy of it to compare with. */
static char *make_generated_dir(char **copy)
{
    char *out = make_out_dir();
    struct run r = run_cvzgen("--overrides tests/gen/mini-overrides.xml tests/gen/mini.xml", out);
    assert_int_equal(r.status, 0);
    free(r.err);
    assert_true(asprintf(copy, "%s.before", out) > 0);
    char *cmd;
    assert_true(asprintf(&cmd, "cp -a %s %s", out, *copy) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return out;
}

static void assert_same_tree(const char *a, const char *b)
{
    char *cmd;
    assert_true(asprintf(&cmd, "diff -r %s %s >/dev/null", a, b) > 0);
    if (system(cmd) != 0)
        fail_msg("%s was changed", b);
    free(cmd);
}

/* mini-next.xml changes every output; one of them cannot be written: none is replaced. */
static void test_outputs_all_or_nothing(void **state)
{
    (void)state;
    /* The last output's folder is missing (its temporary cannot be created). */
    char *before;
    char *out = make_generated_dir(&before);
    char *cmd;
    assert_true(asprintf(&cmd, "rm -r %s/tests", out) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    struct run r = run_cvzgen("tests/gen/mini-next.xml", out);
    char *want;
    assert_true(asprintf(&want, "%s/tests/bad-calls.c: error: cannot write: No such file or directory\n", out) > 0);
    if (r.status != 1 || strcmp(r.err, want) != 0)
        fail_msg("exit %d, stderr:\n%s\nwanted only\n%s", r.status, r.err, want);
    free(want);
    free(r.err);
    assert_true(asprintf(&cmd, "mkdir %s/tests && cp -a %s/tests/bad-calls.c %s/tests/", out, before, out) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    assert_same_tree(before, out);
    assert_int_equal(count_matching(out, "*.tmp.*"), 0);

    /* An output that is a folder, not a file: refused before anything is written. */
    assert_true(asprintf(&cmd, "rm %s/cvz.map && mkdir %s/cvz.map", out, out) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    r = run_cvzgen("tests/gen/mini-next.xml", out);
    assert_true(asprintf(&want, "%s/cvz.map: error: cannot write: not a regular file\n", out) > 0);
    if (r.status != 1 || strcmp(r.err, want) != 0)
        fail_msg("exit %d, stderr:\n%s\nwanted only\n%s", r.status, r.err, want);
    free(want);
    free(r.err);
    assert_true(asprintf(&cmd, "rmdir %s/cvz.map && cp -a %s/cvz.map %s/", out, before, out) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    assert_same_tree(before, out);
    assert_int_equal(count_matching(out, "*.tmp.*"), 0);

    /* And once nothing is in the way, every output is replaced. */
    r = run_cvzgen("tests/gen/mini-next.xml", out);
    assert_int_equal(r.status, 0);
    free(r.err);
    assert_true(asprintf(&cmd, "diff -q %s/cvz.map %s/cvz.map >/dev/null", before, out) > 0);
    assert_int_not_equal(system(cmd), 0);
    free(cmd);
    remove_dir(out);
    remove_dir(before);
}

/*
 * A signal while the outputs are being written removes the temporaries and
 * replaces nothing.  To catch cvzgen at that point without depending on its
 * speed, its standard error is a pipe filled to the brim: the error for the
 * missing tests/ folder (the last output) blocks it after the temporaries of
 * all the other outputs exist.
 */
static void check_signal_while_writing(int sig)
{
    char *before;
    char *out = make_generated_dir(&before);
    int others = outputs_of("tests/gen/mini-next.xml") - 1;
    char *cmd;
    assert_true(asprintf(&cmd, "rm -r %s/tests %s/tests", out, before) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);

    int err[2];
    assert_int_equal(pipe(err), 0);
    assert_int_equal(fcntl(err[1], F_SETFL, O_NONBLOCK), 0);
    char fill[4096];
    memset(fill, 'x', sizeof fill);
    /* Whole pages, then byte by byte: a pipe takes a small write only when all of it fits. */
    for (size_t chunk = sizeof fill; chunk; chunk = chunk > 1 ? 1 : 0) {
        while (write(err[1], fill, chunk) > 0)
            continue;
        assert_int_equal(errno, EAGAIN);
    }
    assert_int_equal(fcntl(err[1], F_SETFL, 0), 0);

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Whatever this test inherited (nohup ignores SIGHUP), cvzgen gets the signal's default action. */
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(sig, SIG_DFL);
        dup2(err[1], 2);
        close(err[0]);
        close(err[1]);
        execl(cvzgen, cvzgen, "--out", out, "tests/gen/mini-next.xml", (char *)NULL);
        _exit(127);
    }
    close(err[1]);
    /* Wait (up to 60 s) for the other outputs' temporaries; cvzgen cannot get past the full pipe. */
    int temps = 0;
    for (int tries = 0; tries < 6000 && (temps = count_matching(out, "*.tmp.*")) < others; tries++)
        usleep(10000);
    assert_int_equal(temps, others);
    assert_int_equal(kill(pid, sig), 0);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
        fail_msg("cvzgen did not end by signal %d (status 0x%x)", sig, status);
    close(err[0]);
    assert_int_equal(count_matching(out, "*.tmp.*"), 0);
    assert_same_tree(before, out);
    remove_dir(out);
    remove_dir(before);
}

static void test_signal_while_writing(void **state)
{
    (void)state;
    check_signal_while_writing(SIGTERM);
    check_signal_while_writing(SIGINT);
    check_signal_while_writing(SIGHUP);
}

/* The golden API renders byte for byte what tests/gen/expected holds. */
static void test_golden(void **state)
{
    (void)state;
    char *out = make_out_dir();
    struct run r = run_cvzgen("--overrides tests/gen/mini-overrides.xml tests/gen/mini.xml", out);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    free(r.err);
    char *cmd;
    assert_true(asprintf(&cmd, "diff -ru tests/gen/expected %s", out) > 0);
    if (system(cmd) != 0)
        fail_msg("generated output differs from tests/gen/expected (diff above); "
                 "if the change is intended, run make golden");
    free(cmd);
    remove_dir(out);
}

/*
 * One hunk of a unified diff (-U0) of two generated trees: its removed and
 * added lines.  A hunk is the new items' when a line names them; otherwise it
 * may only move name-table entries ("    [SLOT] = {...}") to other slots.
 */
static bool names_new_item(const char *line)
{
    return strcasestr(line, "frobnicate") != NULL;
}

static bool is_name_slot(const char *line)
{
    return strncmp(line + 1, "    [", 5) == 0 && strstr(line, "] = {\"") && !names_new_item(line);
}

/* The entry of a name-table line without its slot: what must reappear when it moves. */
static const char *slot_entry(const char *line)
{
    return strstr(line, "] = {");
}

/*
 * Adding items changes only their lines: generated code refers to classes and
 * items by generated constants, never by position, so the two items added to
 * the first class (whose position every later item would otherwise shift)
 * leave every other line alone, except name-table entries moved by a slot
 * within their probe run.
 */
static void test_adding_items_is_a_local_diff(void **state)
{
    (void)state;
    char *before = make_out_dir(), *after = make_out_dir();
    char dir[] = "/tmp/cvzgen-api-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *cmd;
    assert_true(asprintf(&cmd,
                         "sed '/<class name=\"VZThing\"/a\\\n"
                         "    <method selector=\"frobnicate\" kind=\"instance\" introduced=\"11.0\"><return type=\"void\"/></method>\\\n"
                         "    <method selector=\"frobnicateCount\" kind=\"instance\" introduced=\"11.0\"><return type=\"NSUInteger\"/></method>' "
                         "tests/gen/mini.xml >%s/mini.xml && grep -c frobnicate %s/mini.xml | grep -qx 2",
                         dir, dir) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    struct run r = run_cvzgen("--overrides tests/gen/mini-overrides.xml tests/gen/mini.xml", before);
    assert_int_equal(r.status, 0);
    free(r.err);
    char *args;
    assert_true(asprintf(&args, "--overrides tests/gen/mini-overrides.xml %s/mini.xml", dir) > 0);
    r = run_cvzgen(args, after);
    if (r.status != 0)
        fail_msg("cvzgen on the API with two more items: %s", r.err);
    free(r.err);
    free(args);

    assert_true(asprintf(&cmd, "diff -r -U0 %s %s", before, after) > 0);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char **lines = NULL;
    size_t count = 0, cap = 0;
    char *line = NULL;
    size_t line_cap = 0;
    while (getline(&line, &line_cap, p) > 0) {
        if (count == cap)
            lines = realloc(lines, (cap = cap ? 2 * cap : 256) * sizeof *lines);
        lines[count++] = strdup(line);
    }
    free(line);
    pclose(p);
    free(cmd);
    size_t item_hunks = 0, moved = 0;
    for (size_t i = 0; i < count;) {
        if (strncmp(lines[i], "@@", 2) != 0) {
            i++;
            continue;
        }
        size_t end = i + 1;
        bool mine = false;
        while (end < count && (lines[end][0] == '+' || lines[end][0] == '-') && strncmp(lines[end], "+++", 3) != 0 &&
               strncmp(lines[end], "---", 3) != 0) {
            mine = mine || names_new_item(lines[end]);
            end++;
        }
        item_hunks += mine;
        for (size_t j = i + 1; j < end && !mine; j++) {
            if (!is_name_slot(lines[j]))
                fail_msg("adding two items changed a line that is not theirs:\n%s", lines[j]);
            /* A moved entry: removed at one slot, added at another. */
            bool found = false;
            for (size_t k = 0; k < count && !found; k++)
                found = k != j && lines[k][0] != lines[j][0] && is_name_slot(lines[k]) &&
                        strcmp(slot_entry(lines[k]), slot_entry(lines[j])) == 0;
            if (!found)
                fail_msg("a name-table entry changed instead of moving:\n%s", lines[j]);
            moved++;
        }
        i = end;
    }
    assert_true(item_hunks > 0);
    print_message("adding two items: %zu hunks of their own, %zu name-table lines moved\n", item_hunks, moved);
    for (size_t i = 0; i < count; i++)
        free(lines[i]);
    free(lines);
    remove_dir(before);
    remove_dir(after);
    assert_true(asprintf(&cmd, "rm -rf %s", dir) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

/* --diff reports what a new SDK added, deprecated, removed, grouped by version. */
static void test_diff(void **state)
{
    (void)state;
    char *cmd;
    assert_true(asprintf(&cmd, "%s --diff tests/gen/mini.xml tests/gen/mini-next.xml | "
                               "diff -u tests/gen/expected-diff.txt -", cvzgen) > 0);
    if (system(cmd) != 0)
        fail_msg("cvzgen --diff output differs from tests/gen/expected-diff.txt (diff above)");
    free(cmd);
    char *out = make_out_dir();
    struct run r = run_cvzgen("--diff tests/gen/mini.xml tests/gen/bad/cycle.xml", out);
    assert_int_equal(r.status, 0); /* a structurally valid file diffs even if it would not generate */
    free(r.err);
    r = run_cvzgen("--diff tests/gen/mini.xml tests/gen/bad/malformed.xml", out);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "tests/gen/bad/malformed.xml:4: error:"));
    free(r.err);
    remove_dir(out);
}

/* generated/ is what the generator makes from api/ now. */
static void test_generated_is_current(void **state)
{
    (void)state;
    char *out = make_out_dir();
    struct run r = run_cvzgen("--overrides api/overrides.xml api/Virtualization.xml", out);
    assert_int_equal(r.status, 0);
    free(r.err);
    char *cmd;
    assert_true(asprintf(&cmd, "diff -ru generated %s", out) > 0);
    if (system(cmd) != 0)
        fail_msg("generated/ is stale: run make generate and commit the result");
    free(cmd);
    remove_dir(out);
}

/* Output is deterministic: two runs give identical bytes. */
static void test_deterministic(void **state)
{
    (void)state;
    char *a = make_out_dir(), *b = make_out_dir();
    struct run r1 = run_cvzgen("--overrides api/overrides.xml api/Virtualization.xml", a);
    struct run r2 = run_cvzgen("--overrides api/overrides.xml api/Virtualization.xml", b);
    assert_int_equal(r1.status, 0);
    assert_int_equal(r2.status, 0);
    free(r1.err);
    free(r2.err);
    char *cmd;
    assert_true(asprintf(&cmd, "diff -r %s %s >/dev/null", a, b) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    remove_dir(a);
    remove_dir(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_missing_input_file),
        cmocka_unit_test(test_area_missing),
        cmocka_unit_test(test_stale_area_header_removed),
        cmocka_unit_test(test_usage_error),
        cmocka_unit_test(test_bad_overrides),
        cmocka_unit_test(test_template_errors),
        cmocka_unit_test(test_outputs_all_or_nothing),
        cmocka_unit_test(test_signal_while_writing),
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_adding_items_is_a_local_diff),
        cmocka_unit_test(test_diff),
        cmocka_unit_test(test_generated_is_current),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
