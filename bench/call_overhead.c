/* SPDX-License-Identifier: Apache-2.0 */
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
 * method's exact prototype.  It uses its own objects, built the same way
 * through the raw runtime, so both sides send to equal objects.
 *
 * Lock-free accessors: the simulated framework's accessors take a
 * @synchronized lock (~450 instructions), which Apple's scalar accessors do
 * not; against them any wrapper looks cheap.  So before anything is measured,
 * the accessors measured here (CPUCount, setCPUCount:, bootLoader,
 * commandLine) are replaced, on the simulated classes themselves, by plain C
 * accessors of the ivars (class_replaceMethod): a scalar getter is then one
 * load, as on a Mac, and both sides call the same implementation.
 *
 * Pairs (wrapper / raw):
 *   getter, setter        CPUCount / setCPUCount: (lock-free)
 *   object_getter         bootLoader + cvz_release / the same with a pool per call
 *   string_getter         commandLine + cvz_free / pool, commandLine, UTF8String, strdup, free
 *   new                   cvz_virtio_entropy_device_configuration_new + cvz_release / alloc, init, release
 *   available_item        cvz_api_available("VZVirtualMachineConfiguration.CPUCount")
 *                         / objc_getClass + class_getInstanceMethod (selector resolved once)
 *   available_class       cvz_api_available("VZVirtualMachine") / objc_getClass
 *   queue                 cvz_virtual_machine_state on a VM (routed to the VM's queue)
 *                         / dispatch_sync_f onto the raw VM's queue, then -state
 *   error_out             validateWithError: on a valid configuration (the simulator's own method)
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

static SEL sel_cpu_count, sel_set_cpu_count, sel_boot_loader, sel_command_line, sel_validate, sel_utf8, sel_alloc,
    sel_init, sel_release, sel_retain, sel_autorelease, sel_state;
static id pool_class, entropy_class;
static Class config_class;

static void fail(const char *what, cvz_error *error)
{
    fprintf(stderr, "call_overhead: %s: %s\n", what, error ? cvz_error_message(error) : "failed");
    exit(1);
}

static id send_id(id obj, SEL s)
{
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

/* ---- lock-free accessors, installed on the simulated classes -------------- */

static ptrdiff_t cpu_count_offset, boot_loader_offset, command_line_offset;

#define IVAR(obj, offset, T) (*(T *)((char *)(obj) + (offset)))

static unsigned long plain_cpu_count(id self, SEL cmd)
{
    (void)cmd;
    return IVAR(self, cpu_count_offset, unsigned long);
}

static void plain_set_cpu_count(id self, SEL cmd, unsigned long n)
{
    (void)cmd;
    IVAR(self, cpu_count_offset, unsigned long) = n;
}

/* An object property's getter without the lock: [[ivar retain] autorelease]. */
static id plain_object(id self, ptrdiff_t offset)
{
    id value = IVAR(self, offset, id);
    return value ? send_id(send_id(value, sel_retain), sel_autorelease) : value;
}

static id plain_boot_loader(id self, SEL cmd)
{
    (void)cmd;
    return plain_object(self, boot_loader_offset);
}

static id plain_command_line(id self, SEL cmd)
{
    (void)cmd;
    return plain_object(self, command_line_offset);
}

static ptrdiff_t ivar_offset(Class cls, const char *name)
{
    Ivar ivar = class_getInstanceVariable(cls, name);
    if (!ivar) {
        fprintf(stderr, "call_overhead: %s has no ivar %s\n", class_getName(cls), name);
        exit(1);
    }
    return ivar_getOffset(ivar);
}

static void replace(Class cls, SEL sel, IMP imp)
{
    Method m = class_getInstanceMethod(cls, sel);
    if (!m) {
        fprintf(stderr, "call_overhead: %s has no method %s\n", class_getName(cls), sel_getName(sel));
        exit(1);
    }
    class_replaceMethod(cls, sel, imp, method_getTypeEncoding(m));
}

static void install_plain_accessors(void)
{
    Class loader_class = (Class)class_named("VZLinuxBootLoader");
    cpu_count_offset = ivar_offset(config_class, "_CPUCount");
    boot_loader_offset = ivar_offset(config_class, "_bootLoader");
    command_line_offset = ivar_offset(loader_class, "_commandLine");
    replace(config_class, sel_cpu_count, (IMP)(void (*)(void))plain_cpu_count);
    replace(config_class, sel_set_cpu_count, (IMP)(void (*)(void))plain_set_cpu_count);
    replace(config_class, sel_boot_loader, (IMP)(void (*)(void))plain_boot_loader);
    replace(loader_class, sel_command_line, (IMP)(void (*)(void))plain_command_line);
}

/* ---- raw objects ----------------------------------------------------------- */

/* A VM, its queue, and the result of -state sent on that queue. */
struct state_call {
    id vm;
    void *queue;
    long state;
};


static struct {
    void *(*queue_create)(const char *label, void *attr);
    void (*sync_f)(void *queue, void *context, void (*work)(void *));
} dispatch;

/* [[VZVirtualMachineConfiguration alloc] init] with 2 CPUs, 512 MiB and a Linux boot loader. */
static id raw_configuration(const char *kernel)
{
    id pool = send_id(send_id(pool_class, sel_alloc), sel_init);
    id config = send_id(send_id((id)config_class, sel_alloc), sel_init);
    send_void_u64(config, "setCPUCount:", 2);
    send_void_u64(config, "setMemorySize:", 512ull << 20);
    id path = send_id_str(class_named("NSString"), "stringWithUTF8String:", kernel);
    id url = send_id_id(class_named("NSURL"), "fileURLWithPath:", path);
    id loader = send_id_id(send_id(class_named("VZLinuxBootLoader"), sel_alloc), "initWithKernelURL:", url);
    send_id_id(loader, "setCommandLine:", send_id_str(class_named("NSString"), "stringWithUTF8String:", "console=hvc0"));
    send_id_id(config, "setBootLoader:", loader);
    send_id(loader, sel_release);
    send_id(pool, sel_release);
    return config;
}

/* A VM on its own serial queue, as libcvz makes them; the state call to make on it. */
static struct state_call raw_vm(id config)
{
    *(void **)&dispatch.queue_create = dlsym(RTLD_DEFAULT, "dispatch_queue_create");
    *(void **)&dispatch.sync_f = dlsym(RTLD_DEFAULT, "dispatch_sync_f");
    if (!dispatch.queue_create || !dispatch.sync_f)
        fail("dispatch_queue_create or dispatch_sync_f not found", NULL);
    void *queue = dispatch.queue_create("call_overhead", NULL);
    SEL init = sel_registerName("initWithConfiguration:queue:");
    id vm = send_id((id)objc_getClass("VZVirtualMachine"), sel_alloc);
    return (struct state_call){IMP_AS(id (*)(id, SEL, id, id), vm, init)(vm, init, config, (id)queue), queue, -1};
}

/* ---- raw calls --------------------------------------------------------------- */

static NOINLINE unsigned long raw_cpu_count(id obj)
{
    return IMP_AS(unsigned long (*)(id, SEL), obj, sel_cpu_count)(obj, sel_cpu_count);
}

static NOINLINE void raw_set_cpu_count(id obj, unsigned long n)
{
    IMP_AS(void (*)(id, SEL, unsigned long), obj, sel_set_cpu_count)(obj, sel_set_cpu_count, n);
}

static NOINLINE bool raw_validate(id obj, id *error)
{
    /* BOOL is signed char in both runtimes. */
    return IMP_AS(signed char (*)(id, SEL, id *), obj, sel_validate)(obj, sel_validate, error) != 0;
}

static void raw_state_on_queue(void *opaque)
{
    struct state_call *c = opaque;
    c->state = IMP_AS(long (*)(id, SEL), c->vm, sel_state)(c->vm, sel_state);
}

/* ---- the measured loops: one side of one pair each ----------------------- */

static volatile uint64_t sink;

#define LOOPS(pair, wrapper_type, raw_type)                                                                            \
    NOINLINE void loop_wrapper_##pair(wrapper_type, long n);                                                           \
    NOINLINE void loop_raw_##pair(raw_type, long n);
LOOPS(getter, cvz_virtual_machine_configuration *config, id config)
LOOPS(setter, cvz_virtual_machine_configuration *config, id config)
LOOPS(object_getter, cvz_virtual_machine_configuration *config, id config)
LOOPS(string_getter, cvz_linux_boot_loader *loader, id loader)
LOOPS(new, void *unused, void *unused)
LOOPS(available_item, void *unused, void *unused)
LOOPS(available_class, void *unused, void *unused)
LOOPS(queue, cvz_virtual_machine *vm, struct state_call *call)
LOOPS(error_out, cvz_virtual_machine_configuration *config, id config)

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

/* The raw result is autoreleased: a pool per call takes it back, as a C caller without a run loop must. */
NOINLINE void loop_raw_object_getter(id config, long n)
{
    for (long i = 0; i < n; i++) {
        id pool = send_id(send_id(pool_class, sel_alloc), sel_init);
        sink += IMP_AS(id (*)(id, SEL), config, sel_boot_loader)(config, sel_boot_loader) != NULL;
        send_id(pool, sel_release);
    }
}

NOINLINE void loop_wrapper_string_getter(cvz_linux_boot_loader *loader, long n)
{
    cvz_error *error = NULL;
    for (long i = 0; i < n; i++) {
        char *text = cvz_linux_boot_loader_command_line(loader, &error);
        sink += text[0];
        cvz_free(text);
    }
}

/* The C string outlives the pool: a copy, as the wrapper returns. */
NOINLINE void loop_raw_string_getter(id loader, long n)
{
    for (long i = 0; i < n; i++) {
        id pool = send_id(send_id(pool_class, sel_alloc), sel_init);
        id string = IMP_AS(id (*)(id, SEL), loader, sel_command_line)(loader, sel_command_line);
        char *text = strdup(IMP_AS(const char *(*)(id, SEL), string, sel_utf8)(string, sel_utf8));
        send_id(pool, sel_release);
        sink += text[0];
        free(text);
    }
}

NOINLINE void loop_wrapper_new(void *unused, long n)
{
    (void)unused;
    cvz_error *error = NULL;
    for (long i = 0; i < n; i++) {
        cvz_virtio_entropy_device_configuration *entropy = cvz_virtio_entropy_device_configuration_new(&error);
        sink += entropy != NULL;
        cvz_release(entropy);
    }
}

NOINLINE void loop_raw_new(void *unused, long n)
{
    (void)unused;
    for (long i = 0; i < n; i++) {
        id entropy = send_id(send_id(entropy_class, sel_alloc), sel_init);
        sink += entropy != NULL;
        send_id(entropy, sel_release);
    }
}

NOINLINE void loop_wrapper_available_item(void *unused, long n)
{
    (void)unused;
    for (long i = 0; i < n; i++)
        sink += cvz_api_available("VZVirtualMachineConfiguration.CPUCount", NULL);
}

NOINLINE void loop_raw_available_item(void *unused, long n)
{
    (void)unused;
    for (long i = 0; i < n; i++) {
        Class cls = objc_getClass("VZVirtualMachineConfiguration");
        sink += cls && class_getInstanceMethod(cls, sel_cpu_count);
    }
}

NOINLINE void loop_wrapper_available_class(void *unused, long n)
{
    (void)unused;
    for (long i = 0; i < n; i++)
        sink += cvz_api_available("VZVirtualMachine", NULL);
}

NOINLINE void loop_raw_available_class(void *unused, long n)
{
    (void)unused;
    for (long i = 0; i < n; i++)
        sink += objc_getClass("VZVirtualMachine") != Nil;
}

NOINLINE void loop_wrapper_queue(cvz_virtual_machine *vm, long n)
{
    cvz_error *error = NULL;
    for (long i = 0; i < n; i++)
        sink += (uint64_t)cvz_virtual_machine_state(vm, &error);
}

NOINLINE void loop_raw_queue(struct state_call *call, long n)
{
    for (long i = 0; i < n; i++) {
        dispatch.sync_f(call->queue, call, raw_state_on_queue);
        sink += (uint64_t)call->state;
    }
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

/* ---- set-up ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: call_overhead N KERNEL_PATH\n", stderr);
        return 2;
    }
    long n = atol(argv[1]);
    const char *kernel = argv[2];
    cvz_error *error = NULL;

    /* Loads the framework; then the lock-free accessors go in before any accessor is called. */
    if (!cvz_api_available("VZVirtualMachineConfiguration", &error))
        fail("VZVirtualMachineConfiguration", error);
    sel_cpu_count = sel_registerName("CPUCount");
    sel_set_cpu_count = sel_registerName("setCPUCount:");
    sel_boot_loader = sel_registerName("bootLoader");
    sel_command_line = sel_registerName("commandLine");
    sel_validate = sel_registerName("validateWithError:");
    sel_utf8 = sel_registerName("UTF8String");
    sel_alloc = sel_registerName("alloc");
    sel_init = sel_registerName("init");
    sel_release = sel_registerName("release");
    sel_retain = sel_registerName("retain");
    sel_autorelease = sel_registerName("autorelease");
    sel_state = sel_registerName("state");
    pool_class = class_named("NSAutoreleasePool");
    entropy_class = class_named("VZVirtioEntropyDeviceConfiguration");
    config_class = (Class)class_named("VZVirtualMachineConfiguration");
    install_plain_accessors();

    /* The wrapper side. */
    cvz_virtual_machine_configuration *config = cvz_virtual_machine_configuration_new(&error);
    if (!config)
        fail("cvz_virtual_machine_configuration_new", error);
    cvz_linux_boot_loader *loader = cvz_linux_boot_loader_new_with_kernel_url(kernel, &error);
    if (!loader)
        fail("cvz_linux_boot_loader_new_with_kernel_url", error);
    if (cvz_linux_boot_loader_set_command_line(loader, "console=hvc0", &error) ||
        cvz_virtual_machine_configuration_set_cpu_count(config, 2, &error) ||
        cvz_virtual_machine_configuration_set_memory_size(config, 512ull << 20, &error) ||
        cvz_virtual_machine_configuration_set_boot_loader(config, cvz_linux_boot_loader_as_boot_loader(loader),
                                                          &error))
        fail("configuring", error);
    cvz_virtual_machine *vm = cvz_virtual_machine_new_with_configuration(config, &error);
    if (!vm)
        fail("cvz_virtual_machine_new_with_configuration", error);

    /* The raw side. */
    id raw = raw_configuration(kernel);
    id pool = send_id(send_id(pool_class, sel_alloc), sel_init);
    id raw_loader = send_id(send_id(raw, sel_boot_loader), sel_retain);
    send_id(pool, sel_release);
    struct state_call state_call = raw_vm(raw);

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
    char *text = cvz_linux_boot_loader_command_line(loader, &error);
    if (!text || strcmp(text, "console=hvc0") != 0)
        fail("command_line", error);
    cvz_free(text);
    cvz_release(cvz_virtio_entropy_device_configuration_new(&error));
    if (cvz_virtual_machine_state(vm, &error) != CVZ_VIRTUAL_MACHINE_STATE_STOPPED)
        fail("state", error);
    loop_raw_queue(&state_call, 1);
    if (state_call.state != 0)
        fail("state (raw)", NULL);
    if (!cvz_api_available("VZVirtualMachineConfiguration.CPUCount", &error) ||
        !cvz_api_available("VZVirtualMachine", &error))
        fail("cvz_api_available", error);
    if (cvz_virtual_machine_configuration_set_cpu_count(config, 2, &error) != 0)
        fail("set_cpu_count", error);

    /* The measured runs (callgrind counts only inside loop_*). */
    loop_wrapper_getter(config, n);
    loop_raw_getter(raw, n);
    loop_wrapper_setter(config, n);
    loop_raw_setter(raw, n);
    loop_wrapper_object_getter(config, n);
    loop_raw_object_getter(raw, n);
    loop_wrapper_string_getter(loader, n);
    loop_raw_string_getter(raw_loader, n);
    loop_wrapper_new(NULL, n);
    loop_raw_new(NULL, n);
    loop_wrapper_available_item(NULL, n);
    loop_raw_available_item(NULL, n);
    loop_wrapper_available_class(NULL, n);
    loop_raw_available_class(NULL, n);
    loop_wrapper_queue(vm, n);
    loop_raw_queue(&state_call, n);
    loop_wrapper_error_out(config, n);
    loop_raw_error_out(raw, n);

    if (cvz_virtual_machine_configuration_cpu_count(config, &error) != raw_cpu_count(raw))
        fail("the two sides disagree", error);
    cvz_release(vm);
    cvz_release(loader);
    cvz_release(config);
    send_id(state_call.vm, sel_release);
    send_id(raw_loader, sel_release);
    send_id(raw, sel_release);
    printf("call_overhead: %ld calls per loop done\n", n);
    return 0;
}
