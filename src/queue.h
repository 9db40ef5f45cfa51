/* SPDX-License-Identifier: Apache-2.0 */
/*
 * queue.h - the serial dispatch queue each virtual machine works on.
 *
 * Apple requires every call on a VZVirtualMachine (and on the devices it
 * hands out) to be made on the VM's queue, and runs the VM's completion
 * handlers and delegate calls there.  libcvz gives every VM a serial queue
 * of its own (-initWithConfiguration:queue:), remembers it in the VM's
 * handle and in every handle obtained through it, and routes each call on
 * such a handle onto it with dispatch_sync_f.  A call made on the queue
 * already (from a callback) runs directly: that is the re-entrancy guard.
 *
 * libdispatch is found at run time (libSystem on macOS; the simulated
 * framework provides the same functions on Linux).  dispatch_sync_f runs the
 * function on the calling thread, so the wrapper's autorelease pool and
 * exception barrier still cover the call.
 */
#ifndef CVZ_QUEUE_H
#define CVZ_QUEUE_H

#include <stdbool.h>

#include "runtime.h"

/* Was libdispatch found?  (Queues can be made only then.) */
bool cvz__queue_supported(void);
/* A new serial queue (one reference), or NULL (no libdispatch, or it failed). */
void *cvz__queue_new(const char *label);
/* Another reference to queue (which may be NULL); returns queue. */
void *cvz__queue_ref(void *queue);
void cvz__queue_unref(void *queue);
/* Runs fn(context) on queue: directly when this thread is on it already, else with dispatch_sync_f. */
void cvz__queue_run(void *queue, void (*fn)(void *), void *context);
/* cvz__barrier(fn, arg), run on queue (as cvz__queue_run) when it is not NULL:
 * nil, or the Objective-C exception fn raised (a reference the caller releases). */
id cvz__queue_barrier(void *queue, void (*fn)(void *), void *arg);
/* The libcvz queue this thread is running on now, or NULL. */
void *cvz__queue_current(void);

#endif
