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

id cvz__barrier(void (*fn)(void *), void *arg)
{
    id caught = nil;
    id pool = nil;
    @try {
        fn(arg);
    } @catch (id exception) {
        /* Apple's runtime autoreleases the exception when this handler ends:
         * into this pool, as the thread may have none.  Pushed here, it holds
         * nothing fn autoreleased (a result the wrapper still converts). */
        pool = cvz__pool_push();
        caught = cvz__retain(exception);
    }
    if (pool)
        cvz__pool_pop(pool);
    return caught;
}
