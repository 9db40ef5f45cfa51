/*
 * sim_support.m - plumbing of the 11.0 layer: VZErrorDomain, NSError
 * helpers, environment knobs, the layer registry and the per-VM worker queue.
 */
#import "sim_internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The exported constant of VZError.h: an NSString * const data symbol. */
NSString *const VZErrorDomain = @"VZErrorDomain";

/* ---- blocks (see sim_block.h for why dlsym) ------------------------------- */

static void *(*vzsim_Block_copy)(const void *);
static void (*vzsim_Block_release)(const void *);
static pthread_once_t vzsim_blocks_once = PTHREAD_ONCE_INIT;

static void vzsim_blocks_bind(void)
{
    void *runtime = dlopen("libBlocksRuntime.so.0", RTLD_NOW | RTLD_LOCAL);
    if (runtime != NULL) {
        vzsim_Block_copy = (void *(*)(const void *))dlsym(runtime, "_Block_copy");
        vzsim_Block_release = (void (*)(const void *))dlsym(runtime, "_Block_release");
    }
    if (vzsim_Block_copy == NULL || vzsim_Block_release == NULL) {
        fprintf(stderr, "cvz-sim: cannot bind libBlocksRuntime.so.0 (%s)\n", dlerror());
        abort();
    }
}

void *vzsim_block_keep(const void *block)
{
    if (block == NULL)
        return NULL;
    pthread_once(&vzsim_blocks_once, vzsim_blocks_bind);
    return vzsim_Block_copy(block);
}

void vzsim_block_drop(void *block)
{
    if (block == NULL)
        return;
    pthread_once(&vzsim_blocks_once, vzsim_blocks_bind);
    vzsim_Block_release(block);
}

/* ---- layers -------------------------------------------------------------- */

static int vzsim_level = CVZ_SIM_LEVEL(11, 0);
static pthread_mutex_t vzsim_level_lock = PTHREAD_MUTEX_INITIALIZER;

int vzsim_api_level(void)
{
    int level;
    pthread_mutex_lock(&vzsim_level_lock);
    level = vzsim_level;
    pthread_mutex_unlock(&vzsim_level_lock);
    return level;
}

void vzsim_register_layer(int level)
{
    pthread_mutex_lock(&vzsim_level_lock);
    if (level > vzsim_level)
        vzsim_level = level;
    pthread_mutex_unlock(&vzsim_level_lock);
}

/* ---- errors --------------------------------------------------------------- */

NSError *vzsim_error_in(NSString *domain, NSInteger code, NSString *failure,
                          NSString *reason)
{
    NSMutableDictionary *info = [NSMutableDictionary dictionaryWithCapacity:3];
    NSString *description;

    if (failure != nil)
        [info setObject:failure forKey:CVZ_SIM_FAILURE_KEY];
    if (reason != nil)
        [info setObject:reason forKey:NSLocalizedFailureReasonErrorKey];
    if (failure != nil && reason != nil)
        description = [NSString stringWithFormat:@"%@ %@", failure, reason];
    else
        description = failure != nil ? failure : reason;
    if (description != nil)
        [info setObject:description forKey:NSLocalizedDescriptionKey];
    return [NSError errorWithDomain:domain code:code userInfo:info];
}

NSError *vzsim_error(NSInteger code, NSString *failure, NSString *reason)
{
    return vzsim_error_in(VZErrorDomain, code, failure, reason);
}

void vzsim_set_error(NSError **out, NSError *error)
{
    if (out != NULL)
        *out = error;
}

void vzsim_raise_invalid_argument(NSString *format, ...)
{
    va_list ap;
    NSString *reason;

    va_start(ap, format);
    reason = [[[NSString alloc] initWithFormat:format arguments:ap] autorelease];
    va_end(ap);
    [[NSException exceptionWithName:NSInvalidArgumentException
                             reason:reason
                           userInfo:nil] raise];
}

id vzsim_nsobject_init(id self)
{
    SEL sel = @selector(init);
    IMP imp = [NSObject instanceMethodForSelector:sel];
    return ((id (*)(id, SEL))imp)(self, sel);
}

id vzsim_unavailable_init(id self, SEL _cmd)
{
    NSString *name = NSStringFromClass([self class]);
    [self release];
    vzsim_raise_invalid_argument(@"-[%@ %@] is unavailable (NS_UNAVAILABLE in "
                                   @"Virtualization.framework); use the "
                                   @"designated initializer",
                                   name, NSStringFromSelector(_cmd));
    return nil;
}

/* ---- environment ---------------------------------------------------------- */

long vzsim_env_ms(const char *name, long fallback, long min_value)
{
    const char *text = getenv(name);
    char *end = NULL;
    long value;

    if (text == NULL || *text == '\0')
        return fallback;
    errno = 0;
    value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < min_value) {
        fprintf(stderr,
                "cvz-sim: ignoring %s='%s' (expected an integer >= %ld); using %ld\n",
                name, text, min_value, fallback);
        return fallback;
    }
    return value;
}

/* ---- worker queue ----------------------------------------------------------- */

struct vzsim_work_item {
    struct vzsim_work_item *next;
    uint64_t due_ns;
    unsigned long seq;
    vzsim_work_fn fn;
    id obj;
    id arg;
    unsigned long token;
    void *block;
};

static uint64_t vzsim_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void vzsim_free_item(struct vzsim_work_item *item)
{
    [item->obj release];
    [item->arg release];
    vzsim_block_drop(item->block);
    free(item);
}

@implementation CVZSimQueue

- (id)initWithName:(NSString *)name
{
    pthread_condattr_t attr;

    self = [super init];
    if (self == nil)
        return nil;
    pthread_mutex_init(&_mutex, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&_cond, &attr);
    pthread_condattr_destroy(&attr);
    _name = [name copy];
    return self;
}

- (void)dealloc
{
    struct vzsim_work_item *item = _head;
    while (item != NULL) {
        struct vzsim_work_item *next = item->next;
        vzsim_free_item(item);
        item = next;
    }
    pthread_cond_destroy(&_cond);
    pthread_mutex_destroy(&_mutex);
    [_name release];
    [super dealloc];
}

/* Thread body.  The NSThread retains self until it returns. */
- (void)_run:(id)unused
{
    sigset_t set;

    (void)unused;
    /* A console write to a pipe whose reader went away must fail with EPIPE
     * on this thread, not kill the process. */
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    pthread_mutex_lock(&_mutex);
    _worker = pthread_self();
    for (;;) {
        struct vzsim_work_item *item = _head;
        uint64_t now;

        if (_stopping)
            break;
        if (item == NULL) {
            pthread_cond_wait(&_cond, &_mutex);
            continue;
        }
        now = vzsim_now_ns();
        if (item->due_ns > now) {
            struct timespec ts;
            ts.tv_sec = (time_t)(item->due_ns / 1000000000u);
            ts.tv_nsec = (long)(item->due_ns % 1000000000u);
            pthread_cond_timedwait(&_cond, &_mutex, &ts);
            continue;
        }
        _head = item->next;
        pthread_mutex_unlock(&_mutex);
        {
            NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
            item->fn(item->obj, item->arg, item->token, item->block);
            [pool release];
        }
        vzsim_free_item(item);
        pthread_mutex_lock(&_mutex);
    }
    {
        /* Pending work dropped by -shutdown; free it outside the lock. */
        struct vzsim_work_item *rest = _head;
        _head = NULL;
        pthread_mutex_unlock(&_mutex);
        while (rest != NULL) {
            struct vzsim_work_item *next = rest->next;
            NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
            vzsim_free_item(rest);
            [pool release];
            rest = next;
        }
        pthread_mutex_lock(&_mutex);
    }
    _finished = YES;
    pthread_cond_broadcast(&_cond);
    pthread_mutex_unlock(&_mutex);
}

- (void)after:(long)delay_ms
           fn:(vzsim_work_fn)fn
          obj:(id)obj
          arg:(id)arg
        token:(unsigned long)token
        block:(void *)block
{
    struct vzsim_work_item *item, **link;
    BOOL start = NO;

    item = calloc(1, sizeof *item);
    if (item == NULL) {
        vzsim_block_drop(block);
        [NSException raise:NSMallocException format:@"cvz-sim: out of memory"];
    }
    item->due_ns = vzsim_now_ns() + (uint64_t)(delay_ms > 0 ? delay_ms : 0) * 1000000u;
    item->fn = fn;
    item->obj = [obj retain];
    item->arg = [arg retain];
    item->token = token;
    item->block = block;

    pthread_mutex_lock(&_mutex);
    if (_stopping) {
        pthread_mutex_unlock(&_mutex);
        vzsim_free_item(item);
        return;
    }
    item->seq = _seq++;
    /* Keep the list sorted by due time, FIFO among equal times. */
    link = (struct vzsim_work_item **)&_head;
    while (*link != NULL && (*link)->due_ns <= item->due_ns)
        link = &(*link)->next;
    item->next = *link;
    *link = item;
    if (!_started) {
        _started = YES;
        start = YES;
    }
    pthread_cond_broadcast(&_cond);
    pthread_mutex_unlock(&_mutex);

    if (start)
        [NSThread detachNewThreadSelector:@selector(_run:) toTarget:self withObject:nil];
}

- (BOOL)isCurrent
{
    BOOL current;
    pthread_mutex_lock(&_mutex);
    current = _started && !_finished && _worker != 0 && pthread_equal(_worker, pthread_self());
    pthread_mutex_unlock(&_mutex);
    return current;
}

- (void)shutdown
{
    BOOL wait;

    wait = ![self isCurrent];
    pthread_mutex_lock(&_mutex);
    _stopping = YES;
    pthread_cond_broadcast(&_cond);
    if (wait && _started) {
        while (!_finished)
            pthread_cond_wait(&_cond, &_mutex);
    }
    pthread_mutex_unlock(&_mutex);
}

@end
