/*
 * call_overhead.c - what a generated wrapper costs over a raw message send.
 *
 * Run under `valgrind --tool=callgrind --toggle-collect='loop_*'` (bench/bench.mk
 * does): only the loop_* functions below are measured, each doing N calls of
 * one side of one pair, so callgrind's inclusive count of loop_X divided by N
 * is the instructions one call costs, the loop's own few included (the same
 * on both sides).  Everything else — loading the framework, creating the
 * objects, the first call of each wrapper that resolves and caches its
 * class and selector — happens outside the loops and is not counted.
 *
 * The raw side is what a careful C client writes against the Objective-C
 * runtime with no library: objc_getClass / sel_registerName once, then per
 * call objc_msg_lookup (GNU runtime) and a call of the IMP cast to the
 * method's exact prototype.  It uses its own configuration object, built the
 * same way through the raw runtime, so both sides send to equal objects.
 *
 * Pairs: scalar getter (CPUCount), scalar setter (setCPUCount:), object
 * getter (bootLoader; the wrapper's handle released, the raw result
 * autoreleased), error out-parameter (validateWithError:), and a class
 * method returning a constant (+minimumAllowedCPUCount): the simulated
 * instance accessors take a lock, this one shows the wrapper against the
 * cheapest possible send, as a plain Apple accessor would be.
 *
 *   call_overhead N KERNEL_PATH     (CVZ_FRAMEWORK_PATH names the framework)
 *
 * Without valgrind it also checks that both sides agree on every result.
 */
#include <dlfcn.h>
#include <objc/message.h>
#include <objc/runtime.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cvz/cvz.h>

#define NOINLINE __attribute__((noinline))
/* The IMP of obj's method sel, cast to the exact prototype T (through a plain function type, as C allows). */
#define IMP_AS(T, obj, sel) ((T)(void (*)(void))objc_msg_lookup((obj), (sel)))

/* ---- the raw side ---------------------------------------------------------- */

static SEL sel_cpu_count, sel_set_cpu_count, sel_boot_loader, sel_validate, sel_min_cpu_count;
static id config_class;

static id send_id(id obj, const char *name)
{
    SEL s = sel_registerName(name);
    return IMP_AS(id (*)(id, SEL), obj, s)(obj, s);
}

static id send_id_id(id obj, const char *name, id arg)
{
    SEL s = sel_registerName(name);
    return IMP_AS(id (*)(id, SEL, id), obj, s)(obj, s, arg);
}

static id send_id_str(id obj, const char *name, const char *arg)
{
    SEL s = sel_registerName(name);
    return IMP_AS(id (*)(id, SEL, const char *), obj, s)(obj, s, arg);
}

static void send_void_u64(id obj, const char *name, uint64_t arg)
{
    SEL s = sel_registerName(name);
    IMP_AS(void (*)(id, SEL, uint64_t), obj, s)(obj, s, arg);
}

static id class_named(const char *name)
{
    id cls = (id)objc_getClass(name);
    if (!cls) {
        fprintf(stderr, "call_overhead: class %s missing from the framework\n", name);
        exit(1);
    }
    return cls;
}

/* [[VZVirtualMachineConfiguration alloc] init] with 2 CPUs, 512 MiB and a Linux boot loader. */
static id raw_configuration(const char *kernel)
{
    id pool = send_id(send_id(class_named("NSAutoreleasePool"), "alloc"), "init");
    id config = send_id(send_id(class_named("VZVirtualMachineConfiguration"), "alloc"), "init");
    send_void_u64(config, "setCPUCount:", 2);
    send_void_u64(config, "setMemorySize:", 512ull << 20);
    id path = send_id_str(class_named("NSString"), "stringWithUTF8String:", kernel);
    id url = send_id_id(class_named("NSURL"), "fileURLWithPath:", path);
    id loader = send_id_id(send_id(class_named("VZLinuxBootLoader"), "alloc"), "initWithKernelURL:", url);
    send_id_id(config, "setBootLoader:", loader);
    send_id(loader, "release");
    send_id(pool, "release");
    return config;
}

static NOINLINE unsigned long raw_cpu_count(id obj)
{
    return IMP_AS(unsigned long (*)(id, SEL), obj, sel_cpu_count)(obj, sel_cpu_count);
}

static NOINLINE void raw_set_cpu_count(id obj, unsigned long n)
{
    IMP_AS(void (*)(id, SEL, unsigned long), obj, sel_set_cpu_count)(obj, sel_set_cpu_count, n);
}

static NOINLINE id raw_boot_loader(id obj)
{
    return IMP_AS(id (*)(id, SEL), obj, sel_boot_loader)(obj, sel_boot_loader);
}

static NOINLINE bool raw_validate(id obj, id *error)
{
    /* BOOL is signed char in both runtimes. */
    return IMP_AS(signed char (*)(id, SEL, id *), obj, sel_validate)(obj, sel_validate, error) != 0;
}

/* A class method that only returns a constant: the cheapest send there is. */
static NOINLINE unsigned long raw_min_cpu_count(void)
{
    return IMP_AS(unsigned long (*)(id, SEL), config_class, sel_min_cpu_count)(config_class, sel_min_cpu_count);
}

/* ---- the measured loops: one side of one pair each ----------------------- */

static volatile uint64_t sink;

NOINLINE void loop_wrapper_getter(cvz_virtual_machine_configuration *config, long n);
NOINLINE void loop_raw_getter(id config, long n);
NOINLINE void loop_wrapper_setter(cvz_virtual_machine_configuration *config, long n);
NOINLINE void loop_raw_setter(id config, long n);
NOINLINE void loop_wrapper_object_getter(cvz_virtual_machine_configuration *config, long n);
NOINLINE void loop_raw_object_getter(id config, long n);
NOINLINE void loop_wrapper_error_out(cvz_virtual_machine_configuration *config, long n);
NOINLINE void loop_raw_error_out(id config, long n);
NOINLINE void loop_wrapper_constant(long n);
NOINLINE void loop_raw_constant(long n);

NOINLINE void loop_wrapper_getter(cvz_virtual_machine_configuration *config, long n)
{
    cvz_error *error = NULL;
    for (long i = 0; i < n; i++)
        sink += cvz_virtual_machine_configuration_cpu_count(config, &error);
}

NOINLINE void loop_raw_getter(id config, long n)
{
    for (long i = 0; i < n; i++)
        sink += raw_cpu_count(config);
}

NOINLINE void loop_wrapper_setter(cvz_virtual_machine_configuration *config, long n)
{
    cvz_error *error = NULL;
    for (long i = 0; i < n; i++)
        sink += (uint64_t)cvz_virtual_machine_configuration_set_cpu_count(config, 2 + (i & 1), &error);
}

NOINLINE void loop_raw_setter(id config, long n)
{
    for (long i = 0; i < n; i++)
        raw_set_cpu_count(config, 2 + (i & 1));
}

/* The wrapper's result is a handle the caller owns: releasing it is part of the call. */
NOINLINE void loop_wrapper_object_getter(cvz_virtual_machine_configuration *config, long n)
{
    cvz_error *error = NULL;
    for (long i = 0; i < n; i++) {
        cvz_boot_loader *loader = cvz_virtual_machine_configuration_boot_loader(config, &error);
        sink += loader != NULL;
        cvz_release(loader);
    }
}

/* The raw result is autoreleased: the pool that takes it back is part of the call. */
NOINLINE void loop_raw_object_getter(id config, long n)
{
    id pool = send_id(send_id(class_named("NSAutoreleasePool"), "alloc"), "init");
    for (long i = 0; i < n; i++)
        sink += raw_boot_loader(config) != NULL;
    send_id(pool, "release");
}

NOINLINE void loop_wrapper_error_out(cvz_virtual_machine_configuration *config, long n)
{
    cvz_error *error = NULL;
    for (long i = 0; i < n; i++)
        sink += (uint64_t)cvz_virtual_machine_configuration_validate(config, &error);
}

NOINLINE void loop_raw_error_out(id config, long n)
{
    for (long i = 0; i < n; i++) {
        id error = NULL;
        sink += raw_validate(config, &error);
    }
}

NOINLINE void loop_wrapper_constant(long n)
{
    cvz_error *error = NULL;
    for (long i = 0; i < n; i++)
        sink += cvz_virtual_machine_configuration_minimum_allowed_cpu_count(&error);
}

NOINLINE void loop_raw_constant(long n)
{
    for (long i = 0; i < n; i++)
        sink += raw_min_cpu_count();
}

/* ---- set-up ------------------------------------------------------------------ */

static void fail(const char *what, cvz_error *error)
{
    fprintf(stderr, "call_overhead: %s: %s\n", what, error ? cvz_error_message(error) : "failed");
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: call_overhead N KERNEL_PATH\n", stderr);
        return 2;
    }
    long n = atol(argv[1]);
    const char *kernel = argv[2];
    cvz_error *error = NULL;

    /* The wrapper side; its first calls also load the framework. */
    cvz_virtual_machine_configuration *config = cvz_virtual_machine_configuration_new(&error);
    if (!config)
        fail("cvz_virtual_machine_configuration_new", error);
    cvz_linux_boot_loader *loader = cvz_linux_boot_loader_new_with_kernel_url(kernel, &error);
    if (!loader)
        fail("cvz_linux_boot_loader_new_with_kernel_url", error);
    if (cvz_virtual_machine_configuration_set_cpu_count(config, 2, &error) ||
        cvz_virtual_machine_configuration_set_memory_size(config, 512ull << 20, &error) ||
        cvz_virtual_machine_configuration_set_boot_loader(config, cvz_linux_boot_loader_as_boot_loader(loader),
                                                          &error))
        fail("configuring", error);
    cvz_release(loader);

    /* The raw side. */
    sel_cpu_count = sel_registerName("CPUCount");
    sel_set_cpu_count = sel_registerName("setCPUCount:");
    sel_boot_loader = sel_registerName("bootLoader");
    sel_validate = sel_registerName("validateWithError:");
    sel_min_cpu_count = sel_registerName("minimumAllowedCPUCount");
    config_class = class_named("VZVirtualMachineConfiguration");
    id raw = raw_configuration(kernel);

    /* Both sides agree, and every wrapper has resolved its item before the loops. */
    if (cvz_virtual_machine_configuration_cpu_count(config, &error) != 2 || raw_cpu_count(raw) != 2)
        fail("CPUCount", error);
    if (cvz_virtual_machine_configuration_validate(config, &error) != 0)
        fail("validate (wrapper)", error);
    id nserror = NULL;
    if (!raw_validate(raw, &nserror))
        fail("validateWithError: (raw)", NULL);
    cvz_boot_loader *got = cvz_virtual_machine_configuration_boot_loader(config, &error);
    if (!got)
        fail("boot_loader", error);
    cvz_release(got);
    raw_set_cpu_count(raw, 2);
    if (cvz_virtual_machine_configuration_minimum_allowed_cpu_count(&error) != raw_min_cpu_count())
        fail("minimumAllowedCPUCount", error);
    if (cvz_virtual_machine_configuration_set_cpu_count(config, 2, &error) != 0)
        fail("set_cpu_count", error);

    /* The measured runs (callgrind counts only inside loop_*). */
    loop_wrapper_getter(config, n);
    loop_raw_getter(raw, n);
    loop_wrapper_setter(config, n);
    loop_raw_setter(raw, n);
    loop_wrapper_object_getter(config, n);
    loop_raw_object_getter(raw, n);
    loop_wrapper_error_out(config, n);
    loop_raw_error_out(raw, n);
    loop_wrapper_constant(n);
    loop_raw_constant(n);

    if (cvz_virtual_machine_configuration_cpu_count(config, &error) != raw_cpu_count(raw))
        fail("the two sides disagree", error);
    cvz_release(config);
    send_id(raw, "release");
    printf("call_overhead: %ld calls per loop done\n", n);
    return 0;
}
