/* SPDX-License-Identifier: Apache-2.0 */
/*
 * queue.h - serial queues (queue.m): a machine's queue, and what
 * dispatch_queue_create() returns here.
 */
#ifndef CVZ_SIM_CORE_QUEUE_H
#define CVZ_SIM_CORE_QUEUE_H

#import "core/sim.h"

/* A work item runs on the worker thread inside an autorelease pool. `obj`
 * and `arg` are retained while queued; `block` is a kept block (see
 * core/block.h) that the function is responsible for calling; the queue
 * drops it afterwards (and drops it uncalled if the queue shuts down). */
typedef void (*vzsim_work_fn)(id obj, id arg, unsigned long token, void *block);
/* libdispatch's dispatch_function_t. */
typedef void (*vzsim_dispatch_fn)(void *context);

#define VZSIM_QUEUE_SPECIFICS 4

/* A serial queue with a worker thread started on first use: a VM's queue,
 * and what dispatch_queue_create() returns here. */
@interface CVZSimQueue : NSObject
{
@public
    pthread_mutex_t _mutex;
    pthread_cond_t _cond; /* CLOCK_MONOTONIC */
    void *_head;          /* struct vzsim_work_item *, sorted by due time */
    unsigned long _seq;
    BOOL _started, _stopping, _finished;
    BOOL _running;        /* a work item or a dispatch_sync_f function is running */
    BOOL _finishWhenIdle; /* the last dispatch_release: end once nothing is queued */
    unsigned long _clients; /* dispatch_retain/dispatch_release count */
    pthread_t _worker;
    NSString *_name;
    struct {
        const void *key;
        void *value;
        vzsim_dispatch_fn destructor;
    } _specifics[VZSIM_QUEUE_SPECIFICS];
}
- (id)initWithName:(NSString *)name;
/* Queue fn(obj, arg, token, block) to run `delay_ms` from now (0: as soon as
 * possible, after what is already due).  Takes over `block`. */
- (void)after:(long)delay_ms
           fn:(vzsim_work_fn)fn
          obj:(id)obj
          arg:(id)arg
        token:(unsigned long)token
        block:(void *)block;
/* dispatch_async_f and dispatch_sync_f. */
- (void)async:(vzsim_dispatch_fn)fn context:(void *)context;
- (void)sync:(vzsim_dispatch_fn)fn context:(void *)context;
/* Is this thread running the queue's work now? */
- (BOOL)isCurrent;
/* Drop pending work and end the thread; waits for it unless called on it. */
- (void)shutdown;
/* dispatch_retain / dispatch_release. */
- (void)retainClient;
- (void)releaseClient;
@end

#endif /* CVZ_SIM_CORE_QUEUE_H */
