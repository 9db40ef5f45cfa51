/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/queue.m - serial queues: the VM's queue (CVZSimQueue) and the subset
 * of libdispatch's C API that clients use to make and address such queues.
 *
 * On macOS, libdispatch is part of libSystem and a VM may be given the
 * serial queue it works on (-[VZVirtualMachine initWithConfiguration:queue:]).
 * Linux has no libdispatch here, so the simulated framework exports the few
 * functions a client needs, with libdispatch's names and prototypes
 * (dispatch_queue_create, dispatch_async_f, dispatch_sync_f,
 * dispatch_queue_set_specific, dispatch_get_specific, dispatch_retain,
 * dispatch_release); a dispatch queue here *is* a CVZSimQueue.  Like
 * libdispatch, dispatch_sync_f runs the function on the calling thread,
 * once everything queued before it has run.
 */
#import "core/queue.h"

#include <signal.h>
#include <stdlib.h>
#include <time.h>

struct vzsim_work_item {
    struct vzsim_work_item *next;
    uint64_t due_ns;
    unsigned long seq;
    vzsim_work_fn fn;
    id obj;
    id arg;
    unsigned long token;
    void *block;
    vzsim_dispatch_fn plain; /* dispatch_async_f work instead of fn */
    void *context;
};

/* The queue whose work runs on this thread now (a worker, or a dispatch_sync_f caller). */
static __thread CVZSimQueue *vzsim_current_queue;

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
    _clients = 1;
    return self;
}

- (void)dealloc
{
    struct vzsim_work_item *item = _head;
    unsigned i;
    while (item != NULL) {
        struct vzsim_work_item *next = item->next;
        vzsim_free_item(item);
        item = next;
    }
    for (i = 0; i < VZSIM_QUEUE_SPECIFICS; i++)
        if (_specifics[i].key != NULL && _specifics[i].destructor != NULL)
            _specifics[i].destructor(_specifics[i].value);
    pthread_cond_destroy(&_cond);
    pthread_mutex_destroy(&_mutex);
    [_name release];
    [super dealloc];
}

static void vzsim_run_item(CVZSimQueue *queue, struct vzsim_work_item *item)
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    CVZSimQueue *outer = vzsim_current_queue;
    vzsim_current_queue = queue;
    if (item->plain != NULL)
        item->plain(item->context);
    else
        item->fn(item->obj, item->arg, item->token, item->block);
    vzsim_current_queue = outer;
    [pool release];
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

        if (_stopping || (_finishWhenIdle && item == NULL))
            break;
        if (item == NULL || _running) {
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
        _running = YES;
        pthread_mutex_unlock(&_mutex);
        vzsim_run_item(self, item);
        vzsim_free_item(item);
        pthread_mutex_lock(&_mutex);
        _running = NO;
        pthread_cond_broadcast(&_cond);
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

/* Queues an item (taking it over); starts the worker on first use. */
- (void)_enqueue:(struct vzsim_work_item *)item delay:(long)delay_ms
{
    struct vzsim_work_item **link;
    BOOL start = NO;

    item->due_ns = vzsim_now_ns() + (uint64_t)(delay_ms > 0 ? delay_ms : 0) * 1000000u;
    pthread_mutex_lock(&_mutex);
    if (_stopping || _finished) {
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

static struct vzsim_work_item *vzsim_new_item(void *block)
{
    struct vzsim_work_item *item = calloc(1, sizeof *item);
    if (item == NULL) {
        vzsim_block_drop(block);
        [NSException raise:NSMallocException format:@"cvz-sim: out of memory"];
    }
    return item;
}

- (void)after:(long)delay_ms
           fn:(vzsim_work_fn)fn
          obj:(id)obj
          arg:(id)arg
        token:(unsigned long)token
        block:(void *)block
{
    struct vzsim_work_item *item = vzsim_new_item(block);
    item->fn = fn;
    item->obj = [obj retain];
    item->arg = [arg retain];
    item->token = token;
    item->block = block;
    [self _enqueue:item delay:delay_ms];
}

- (void)async:(vzsim_dispatch_fn)fn context:(void *)context
{
    struct vzsim_work_item *item = vzsim_new_item(NULL);
    item->plain = fn;
    item->context = context;
    [self _enqueue:item delay:0];
}

- (void)sync:(vzsim_dispatch_fn)fn context:(void *)context
{
    uint64_t now;

    if (vzsim_current_queue == self) {
        /* libdispatch would deadlock here; the sim runs it and says so. */
        fprintf(stderr, "cvz-sim: dispatch_sync_f on the current queue (%s) would deadlock with "
                        "libdispatch; running it inline\n", [_name UTF8String]);
        fn(context);
        return;
    }
    now = vzsim_now_ns();
    pthread_mutex_lock(&_mutex);
    /* After whatever is running and whatever was due when we were called. */
    while (_running || (!_stopping && _head != NULL && ((struct vzsim_work_item *)_head)->due_ns <= now))
        pthread_cond_wait(&_cond, &_mutex);
    _running = YES;
    pthread_mutex_unlock(&_mutex);
    {
        CVZSimQueue *outer = vzsim_current_queue;
        vzsim_current_queue = self;
        @try {
            fn(context);
        } @finally {
            vzsim_current_queue = outer;
            pthread_mutex_lock(&_mutex);
            _running = NO;
            pthread_cond_broadcast(&_cond);
            pthread_mutex_unlock(&_mutex);
        }
    }
}

- (BOOL)isCurrent
{
    return vzsim_current_queue == self;
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

- (void)retainClient
{
    pthread_mutex_lock(&_mutex);
    _clients++;
    pthread_mutex_unlock(&_mutex);
}

- (void)releaseClient
{
    BOOL last;
    pthread_mutex_lock(&_mutex);
    last = --_clients == 0;
    if (last) {
        /* Like libdispatch: what is queued still runs, then the queue ends. */
        _finishWhenIdle = YES;
        pthread_cond_broadcast(&_cond);
    }
    pthread_mutex_unlock(&_mutex);
    if (last)
        [self release];
}

- (void)setSpecific:(void *)value forKey:(const void *)key destructor:(vzsim_dispatch_fn)destructor
{
    unsigned i, slot = VZSIM_QUEUE_SPECIFICS;
    pthread_mutex_lock(&_mutex);
    for (i = 0; i < VZSIM_QUEUE_SPECIFICS; i++) {
        if (_specifics[i].key == key) {
            slot = i;
            break;
        }
        if (_specifics[i].key == NULL && slot == VZSIM_QUEUE_SPECIFICS)
            slot = i;
    }
    if (slot == VZSIM_QUEUE_SPECIFICS) {
        pthread_mutex_unlock(&_mutex);
        [NSException raise:NSInternalInconsistencyException
                    format:@"cvz-sim: queue %@ has no room for another specific key", _name];
    }
    if (_specifics[slot].key == key && _specifics[slot].destructor != NULL)
        _specifics[slot].destructor(_specifics[slot].value);
    _specifics[slot].key = value != NULL ? key : NULL;
    _specifics[slot].value = value;
    _specifics[slot].destructor = destructor;
    pthread_mutex_unlock(&_mutex);
}

- (void *)specificForKey:(const void *)key
{
    void *value = NULL;
    unsigned i;
    pthread_mutex_lock(&_mutex);
    for (i = 0; i < VZSIM_QUEUE_SPECIFICS; i++)
        if (_specifics[i].key == key)
            value = _specifics[i].value;
    pthread_mutex_unlock(&_mutex);
    return value;
}

@end

/* ---- libdispatch's C API (the subset clients use) ------------------------------ */

/* A dispatch queue of this process's libdispatch stand-in, or raise. */
static CVZSimQueue *vzsim_dispatch_queue(void *queue, const char *function)
{
    if (queue == NULL || ![(id)queue isKindOfClass:[CVZSimQueue class]])
        [NSException raise:NSInvalidArgumentException format:@"%s: %p is not a dispatch queue", function, queue];
    return (CVZSimQueue *)queue;
}

void *dispatch_queue_create(const char *label, void *attr)
{
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    CVZSimQueue *queue;
    (void)attr; /* serial (NULL) is the only kind clients of the sim ask for */
    queue = [[CVZSimQueue alloc] initWithName:[NSString stringWithUTF8String:label != NULL ? label : ""]];
    [pool release];
    return queue;
}

void dispatch_async_f(void *queue, void *context, vzsim_dispatch_fn work)
{
    [vzsim_dispatch_queue(queue, __func__) async:work context:context];
}

void dispatch_sync_f(void *queue, void *context, vzsim_dispatch_fn work)
{
    [vzsim_dispatch_queue(queue, __func__) sync:work context:context];
}

void dispatch_queue_set_specific(void *queue, const void *key, void *context, vzsim_dispatch_fn destructor)
{
    if (key != NULL)
        [vzsim_dispatch_queue(queue, __func__) setSpecific:context forKey:key destructor:destructor];
}

void *dispatch_get_specific(const void *key)
{
    CVZSimQueue *queue = vzsim_current_queue;
    return queue != nil && key != NULL ? [queue specificForKey:key] : NULL;
}

void dispatch_retain(void *object)
{
    [vzsim_dispatch_queue(object, __func__) retainClient];
}

void dispatch_release(void *object)
{
    [vzsim_dispatch_queue(object, __func__) releaseClient];
}
