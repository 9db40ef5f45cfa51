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

id cvz__barrier(void (*fn)(void *), void *arg)
{
    @try {
        fn(arg);
    } @catch (id exception) {
        return exception;
    }
    return nil;
}
