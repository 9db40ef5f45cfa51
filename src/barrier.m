/* SPDX-License-Identifier: Apache-2.0 */
/*
 * barrier.m - the only Objective-C in the library.
 *
 * Pure C cannot catch an Objective-C exception: without a handler, an
 * exception the framework raises (an invalid configuration given to
 * -[VZVirtualMachine initWithConfiguration:], a call on the wrong queue…)
 * unwinds through the caller's C frames and terminates the process.  Every
 * generated wrapper therefore makes its framework call through this function,
 * which catches any exception object and hands it back so the wrapper can
 * report it as a CVZ_E_EXCEPTION error.  The C files between the throw and
 * this catch are compiled with -fexceptions so the unwinder can cross them.
 */
#include "barrier.h"
#include "objc.h"

/* The handler's work, out of line: the handler then keeps nothing in registers across calls,
 * so the common path of cvz__barrier saves none. */
static void __attribute__((noinline)) keep(id exception, id *caught, id *pool)
{
    /* Apple's runtime autoreleases the exception when the handler ends:
     * into this pool, as the thread may have none.  Pushed here, it holds
     * nothing fn autoreleased (a result the wrapper still converts). */
    *pool = cvz__pool_push();
    *caught = cvz__retain(exception);
}

id cvz__barrier(void (*fn)(void *), void *arg)
{
    id caught, pool; /* set by keep(): read only after an exception */
    @try {
        fn(arg);
        return nil; /* the common case returns at once: every wrapper's send comes through here */
    } @catch (id exception) {
        keep(exception, &caught, &pool);
    }
    if (pool)
        cvz__pool_pop(pool);
    return caught;
}
