/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim_c.c - the simulated framework driven from plain C, the way the
 * cvz core drives it: dlopen, objc_getClass, sel_registerName, method lookup
 * and exact-cast IMP calls, hand-built blocks.  This program links only
 * libobjc (no GNUstep): Foundation arrives with the framework.
 *
 * Usage: test_sim_c PATH/TO/libVirtualization.so FAKE_LAYER_DIR
 *        test_sim_c --probe PATH/TO/libVirtualization.so   (helper mode)
 */
#define _GNU_SOURCE
#include <objc/runtime.h>
#include <objc/message.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

extern void *_NSConcreteGlobalBlock[32];
#define BLOCK_IS_GLOBAL (1 << 28)

static const char *lib_path;
static const char *fake_dir;
static int level;
static char tmpdir[64];
static char kernel_path[128];

/* ---- runtime seam (what the core does) ------------------------------------ */

static SEL S(const char *name)
{
    return sel_registerName(name);
}

/* A generic function pointer: cast to the exact prototype at each call
 * (never call through a variadic prototype). */
typedef void (*fnptr)(void);

static fnptr lookup(id receiver, SEL sel)
{
    return (fnptr)objc_msg_lookup(receiver, sel);
}

static id send0(id receiver, const char *sel)
{
    SEL s = S(sel);
    return ((id (*)(id, SEL))lookup(receiver, s))(receiver, s);
}

static id send1(id receiver, const char *sel, id arg)
{
    SEL s = S(sel);
    return ((id (*)(id, SEL, id))lookup(receiver, s))(receiver, s, arg);
}

static id cls(const char *name)
{
    return (id)objc_getClass(name);
}

static id nsstring(const char *text)
{
    SEL s = S("stringWithUTF8String:");
    id NSString = cls("NSString");
    return ((id (*)(id, SEL, const char *))lookup(NSString, s))(NSString, s, text);
}

static const char *utf8(id string)
{
    SEL s = S("UTF8String");
    return ((const char *(*)(id, SEL))lookup(string, s))(string, s);
}

static void release(id obj)
{
    SEL s = S("release");
    if (obj != nil)
        ((void (*)(id, SEL))lookup(obj, s))(obj, s);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- a global block, as clang emits for a block capturing nothing ------------ */

static pthread_mutex_t done_mu = PTHREAD_MUTEX_INITIALIZER;
static int done_calls;
static id done_error;
static pthread_t done_thread;

struct global_block {
    void *isa;
    int flags;
    int reserved;
    void (*invoke)(void *, ...);
    void *descriptor;
};
static struct {
    unsigned long reserved, size;
} done_descriptor = {0, sizeof(struct global_block)};

static void done_invoke(void *block, id error)
{
    (void)block;
    pthread_mutex_lock(&done_mu);
    done_calls++;
    done_error = error;
    done_thread = pthread_self();
    pthread_mutex_unlock(&done_mu);
}

static struct global_block done_block = {_NSConcreteGlobalBlock, BLOCK_IS_GLOBAL, 0,
                                         (void (*)(void *, ...))done_invoke, &done_descriptor};

static int wait_calls(int calls, long ms)
{
    long waited;
    for (waited = 0; waited <= ms; waited++) {
        int n;
        pthread_mutex_lock(&done_mu);
        n = done_calls;
        pthread_mutex_unlock(&done_mu);
        if (n >= calls)
            return 1;
        sleep_ms(1);
    }
    return 0;
}

/* ---- probe mode: report what the loader loaded ---------------------------------- */

static int probe(const char *path)
{
    Class vm;
    int *fake, major = -1, minor = -1, valid;
    void *loader = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    int (*host_version)(int *, int *);
    const char *(*host_arch)(void);
    const char *arch;

    if (loader == NULL) {
        printf("dlopen failed: %s\n", dlerror());
        return 1;
    }
    host_version = (int (*)(int *, int *))dlsym(loader, "cvz_sim_host_version");
    host_arch = (const char *(*)(void))dlsym(loader, "cvz_sim_host_arch");
    if (host_version == NULL || host_arch == NULL) {
        printf("sim host API missing\n");
        return 1;
    }
    arch = host_arch();
    valid = host_version(&major, &minor);
    printf("host=%d %d.%d %s\n", valid, major, minor, arch ? arch : "(null)");
    vm = objc_getClass("VZVirtualMachine");
    printf("VZVirtualMachine=%s\n", vm != Nil ? "present" : "absent");
    printf("stopWithCompletionHandler=%s\n",
           vm != Nil && class_getInstanceMethod(vm, S("stopWithCompletionHandler:")) ? "present" : "absent");
    printf("NSString=%s\n", objc_getClass("NSString") != Nil ? "present" : "absent");
    printf("VZErrorDomain=%s\n", dlsym(RTLD_DEFAULT, "VZErrorDomain") ? "present" : "absent");
    fake = dlsym(RTLD_DEFAULT, "cvz_sim_fake_arm64_12_0");
    printf("fake_arm64_12_0=%d\n", fake ? *fake : 0);
    fake = dlsym(RTLD_DEFAULT, "cvz_sim_fake_v99_0");
    printf("fake_v99_0=%d\n", fake ? *fake : 0);
    fflush(stdout);
    return 0;
}

/* Run ourselves in probe mode with `env_args` (e.g. "CVZ_SIM_ARCH=x86_64"),
 * stdout and stderr together. */
static char *run_probe(const char *lib, const char *env_args)
{
    static char output[4096];
    char self[PATH_MAX], command[3 * PATH_MAX];
    ssize_t n;
    size_t used = 0;
    FILE *p;

    n = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(n > 0);
    self[n] = '\0';
    snprintf(command, sizeof command,
             "env -u CVZ_SIM_MACOS_VERSION -u CVZ_SIM_ARCH %s '%s' --probe '%s' 2>&1", env_args, self, lib);
    p = popen(command, "r");
    assert_non_null(p);
    while (used < sizeof output - 1 && (n = (ssize_t)fread(output + used, 1, sizeof output - 1 - used, p)) > 0)
        used += (size_t)n;
    output[used] = '\0';
    assert_int_equal(pclose(p), 0);
    return output;
}

static int count_lines(const char *text)
{
    int lines = 0;
    for (; *text; text++)
        lines += *text == '\n';
    return lines;
}

/* ---- fixtures ---------------------------------------------------------------------- */

static id pool;

static int group_setup(void **state)
{
    const char *version = getenv("CVZ_SIM_MACOS_VERSION");
    int major = 27, minor = 0, fd;
    (void)state;
    if (version != NULL && *version && sscanf(version, "%d.%d", &major, &minor) != 2)
        return -1;
    level = major * 100 + minor;
    if (dlopen(lib_path, RTLD_NOW | RTLD_GLOBAL) == NULL) {
        fprintf(stderr, "test_sim_c: %s\n", dlerror());
        return -1;
    }
    strcpy(tmpdir, "/tmp/cvz-sim-ctest.XXXXXX");
    if (mkdtemp(tmpdir) == NULL)
        return -1;
    snprintf(kernel_path, sizeof kernel_path, "%s/vmlinuz", tmpdir);
    fd = open(kernel_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    close(fd);
    /* No GNUstep in this program: the first Foundation call needs a pool,
     * exactly as the core's wrappers will. */
    pool = send0(send0(cls("NSAutoreleasePool"), "alloc"), "init");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    release(pool);
    unlink(kernel_path);
    rmdir(tmpdir);
    return 0;
}

/* ---- tests -------------------------------------------------------------------------- */

static void test_c_presence(void **state)
{
    Class vm = objc_getClass("VZVirtualMachine");
    void *domain = dlsym(RTLD_DEFAULT, "VZErrorDomain");
    (void)state;
    /* Foundation is there at every version, as on any macOS. */
    assert_non_null(objc_getClass("NSString"));
    assert_non_null(objc_getClass("NSAutoreleasePool"));
    if (level < 1100) {
        assert_null(vm);
        assert_null(domain);
        assert_null(objc_getClass("VZVirtualMachineConfiguration"));
        return;
    }
    assert_non_null(vm);
    assert_non_null(domain);
    assert_string_equal(utf8(*(id *)domain), "VZErrorDomain");
    assert_non_null(class_getInstanceMethod(vm, S("startWithCompletionHandler:")));
    assert_non_null(class_getClassMethod(objc_getClass("VZVirtualMachineConfiguration"), S("maximumAllowedCPUCount")));
    if (level >= 1200)
        assert_non_null(class_getInstanceMethod(vm, S("stopWithCompletionHandler:")));
    else
        assert_null(class_getInstanceMethod(vm, S("stopWithCompletionHandler:")));
}

/* Exact-cast IMP calls with Apple's types: NSUInteger, uint64_t, BOOL,
 * NSInteger, NSError **, blocks. */
static void test_c_exact_calls(void **state)
{
    id config, loader, url, error = nil, vm;
    SEL s;
    Class config_class;
    unsigned char ok; /* BOOL of the GNU runtime */
    long st;
    (void)state;
    if (level < 1100)
        skip();

    config_class = objc_getClass("VZVirtualMachineConfiguration");
    s = S("maximumAllowedMemorySize");
    /* class_getMethodImplementation on the metaclass, as the core may do. */
    assert_true(((uint64_t (*)(id, SEL))(fnptr)class_getMethodImplementation(object_getClass((id)config_class), s))(
                    (id)config_class, s) == 64ull << 30);

    config = send0(send0((id)config_class, "alloc"), "init");
    s = S("setCPUCount:");
    ((void (*)(id, SEL, unsigned long))lookup(config, s))(config, s, 3);
    s = S("setMemorySize:");
    ((void (*)(id, SEL, uint64_t))lookup(config, s))(config, s, 256ull << 20);
    s = S("CPUCount");
    assert_int_equal(((unsigned long (*)(id, SEL))lookup(config, s))(config, s), 3);
    s = S("memorySize");
    assert_true(((uint64_t (*)(id, SEL))lookup(config, s))(config, s) == 256ull << 20);

    s = S("validateWithError:");
    ok = ((unsigned char (*)(id, SEL, id *))lookup(config, s))(config, s, &error);
    assert_int_equal(ok, 0); /* no boot loader */
    assert_non_null(error);
    s = S("code");
    assert_int_equal(((long (*)(id, SEL))lookup(error, s))(error, s), 2);

    url = send1(cls("NSURL"), "fileURLWithPath:", nsstring(kernel_path));
    loader = send1(send0(cls("VZLinuxBootLoader"), "alloc"), "initWithKernelURL:", url);
    send1(config, "setBootLoader:", loader);
    release(loader);
    error = nil;
    s = S("validateWithError:");
    ok = ((unsigned char (*)(id, SEL, id *))lookup(config, s))(config, s, &error);
    assert_int_equal(ok, 1);
    assert_null(error);

    vm = send1(send0(cls("VZVirtualMachine"), "alloc"), "initWithConfiguration:", config);
    release(config);
    assert_non_null(vm);
    s = S("state");
    st = ((long (*)(id, SEL))lookup(vm, s))(vm, s);
    assert_int_equal(st, 0);

    s = S("startWithCompletionHandler:");
    ((void (*)(id, SEL, void *))lookup(vm, s))(vm, s, &done_block);
    assert_true(wait_calls(1, 60000));
    assert_null(done_error);
    assert_false(pthread_equal(done_thread, pthread_self()));
    s = S("state");
    assert_int_equal(((long (*)(id, SEL))lookup(vm, s))(vm, s), 1);

    s = S("requestStopWithError:");
    error = nil;
    ok = ((unsigned char (*)(id, SEL, id *))lookup(vm, s))(vm, s, &error);
    assert_int_equal(ok, 1);
    {
        long waited;
        SEL state_sel = S("state");
        for (waited = 0; waited < 60000; waited++) { /* a hang guard, never reached */
            if (((long (*)(id, SEL))lookup(vm, state_sel))(vm, state_sel) == 0)
                break;
            sleep_ms(1);
        }
        assert_int_equal(((long (*)(id, SEL))lookup(vm, state_sel))(vm, state_sel), 0);
    }
    release(vm);
}

static void test_c_loader_environment(void **state)
{
    char *out;
    (void)state;

    out = run_probe(lib_path, "CVZ_SIM_MACOS_VERSION=bogus");
    assert_non_null(strstr(out, "CVZ_SIM_MACOS_VERSION"));
    assert_non_null(strstr(out, "'bogus'"));
    assert_non_null(strstr(out, "host=-1 -1.-1 (null)"));
    assert_non_null(strstr(out, "VZVirtualMachine=absent"));
    assert_int_equal(count_lines(out), 1 + 7); /* one diagnostic line + the probe's report */

    out = run_probe(lib_path, "CVZ_SIM_MACOS_VERSION=12");
    assert_non_null(strstr(out, "'12'"));
    assert_non_null(strstr(out, "VZVirtualMachine=absent"));

    out = run_probe(lib_path, "CVZ_SIM_MACOS_VERSION=12.0 CVZ_SIM_ARCH=ppc");
    assert_non_null(strstr(out, "CVZ_SIM_ARCH"));
    assert_non_null(strstr(out, "'ppc'"));
    assert_non_null(strstr(out, "VZVirtualMachine=absent"));
    assert_int_equal(count_lines(out), 1 + 7);

    out = run_probe(lib_path, "CVZ_SIM_MACOS_VERSION=10.15");
    assert_non_null(strstr(out, "VZVirtualMachine=absent"));
    assert_non_null(strstr(out, "VZErrorDomain=absent"));
    assert_non_null(strstr(out, "NSString=present"));
    assert_int_equal(count_lines(out), 7); /* silent */

    assert_non_null(strstr(out, "host=0 10.15 arm64"));

    out = run_probe(lib_path, "CVZ_SIM_MACOS_VERSION=11.0 CVZ_SIM_ARCH=x86_64");
    assert_non_null(strstr(out, "host=0 11.0 x86_64"));
    assert_non_null(strstr(out, "VZVirtualMachine=present"));
    assert_non_null(strstr(out, "stopWithCompletionHandler=absent"));
    assert_int_equal(count_lines(out), 7);

    out = run_probe(lib_path, ""); /* defaults: 27.0, arm64 */
    assert_non_null(strstr(out, "host=0 27.0 arm64"));
    assert_non_null(strstr(out, "VZVirtualMachine=present"));
    assert_non_null(strstr(out, "stopWithCompletionHandler=present"));
    assert_non_null(strstr(out, "VZErrorDomain=present"));
}

static void copy_file(const char *from_dir, const char *name, const char *to_dir)
{
    char from[PATH_MAX], to[PATH_MAX], buf[65536];
    int in, out;
    ssize_t n;
    snprintf(from, sizeof from, "%s/%s", from_dir, name);
    snprintf(to, sizeof to, "%s/%s", to_dir, name);
    in = open(from, O_RDONLY);
    assert_true(in >= 0);
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    assert_true(out >= 0);
    while ((n = read(in, buf, sizeof buf)) > 0)
        assert_int_equal(write(out, buf, (size_t)n), n);
    close(in);
    close(out);
}

/* Layers load in version order, arm64 layers only for arm64, none above the
 * simulated version: checked with two fake layers next to copies of the sim. */
static void test_c_layer_selection(void **state)
{
    char dir[64], lib_dir[PATH_MAX], loader[PATH_MAX + 32];
    const char *names[] = {"libVirtualization.so", "libVirtualization-11.0.so", "libVirtualization-12.0.so"};
    const char *fakes[] = {"libVirtualization-12.0-arm64.so", "libVirtualization-99.0.so"};
    char *slash, *out;
    size_t i;
    (void)state;

    strcpy(dir, "/tmp/cvz-sim-layers.XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(lib_dir, sizeof lib_dir, "%s", lib_path);
    slash = strrchr(lib_dir, '/');
    if (slash != NULL)
        *slash = '\0';
    else
        strcpy(lib_dir, ".");
    for (i = 0; i < 3; i++)
        copy_file(lib_dir, names[i], dir);
    for (i = 0; i < 2; i++)
        copy_file(fake_dir, fakes[i], dir);
    snprintf(loader, sizeof loader, "%s/libVirtualization.so", dir);

    out = run_probe(loader, "CVZ_SIM_MACOS_VERSION=12.0 CVZ_SIM_ARCH=arm64");
    assert_non_null(strstr(out, "stopWithCompletionHandler=present"));
    assert_non_null(strstr(out, "fake_arm64_12_0=2")); /* loaded, after the 12.0 layer */
    assert_non_null(strstr(out, "fake_v99_0=0"));

    out = run_probe(loader, "CVZ_SIM_MACOS_VERSION=12.0 CVZ_SIM_ARCH=x86_64");
    assert_non_null(strstr(out, "fake_arm64_12_0=0"));

    out = run_probe(loader, "CVZ_SIM_MACOS_VERSION=11.5");
    assert_non_null(strstr(out, "VZVirtualMachine=present"));
    assert_non_null(strstr(out, "stopWithCompletionHandler=absent"));
    assert_non_null(strstr(out, "fake_arm64_12_0=0"));

    out = run_probe(loader, "CVZ_SIM_MACOS_VERSION=27.0");
    assert_non_null(strstr(out, "fake_arm64_12_0=2"));
    assert_non_null(strstr(out, "fake_v99_0=0"));

    out = run_probe(loader, "CVZ_SIM_MACOS_VERSION=99.0");
    assert_non_null(strstr(out, "fake_v99_0=2"));

    for (i = 0; i < 3; i++) {
        char p[PATH_MAX + 64];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    for (i = 0; i < 2; i++) {
        char p[PATH_MAX + 64];
        snprintf(p, sizeof p, "%s/%s", dir, fakes[i]);
        unlink(p);
    }
    rmdir(dir);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c_presence),
        cmocka_unit_test(test_c_exact_calls),
        cmocka_unit_test(test_c_loader_environment),
        cmocka_unit_test(test_c_layer_selection),
    };
    char name[64];

    if (argc == 3 && strcmp(argv[1], "--probe") == 0)
        return probe(argv[2]);
    if (argc < 3) {
        fprintf(stderr, "usage: %s PATH/TO/libVirtualization.so FAKE_LAYER_DIR\n", argv[0]);
        return 2;
    }
    lib_path = argv[1];
    fake_dir = argv[2];
    snprintf(name, sizeof name, "sim C client (macOS %s)",
             getenv("CVZ_SIM_MACOS_VERSION") ? getenv("CVZ_SIM_MACOS_VERSION") : "27.0 default");
    return _cmocka_run_group_tests(name, tests, sizeof tests / sizeof tests[0], group_setup, group_teardown);
}
