/* SPDX-License-Identifier: Apache-2.0 */
/*
 * callback.c - the frame around every block trampoline and delegate method.
 *
 * They run on the framework's threads (a VM's queue), which need not have an
 * autorelease pool: Apple's dispatch workers drain theirs only now and then,
 * so what the conversions and the caller's code autorelease there would pile
 * up.  Each call opens a pool of its own for all its work.  The thread is
 * also marked while it runs, so that a blocking call made from a callback
 * fails with CVZ_E_WRONG_THREAD instead of waiting for itself.
 */
#include "cvz-internal.h"
#include "objc.h"

static _Thread_local int callback_depth;

id cvz__callback_enter(void)
{
    callback_depth++;
    return cvz__pool_push();
}

void cvz__callback_leave(id pool)
{
    cvz__pool_pop(pool);
    callback_depth--;
}

bool cvz__in_callback(void)
{
    return callback_depth > 0;
}
