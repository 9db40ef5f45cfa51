/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runtime.h - the runtime seam: the one place that knows whether we talk to
 * Apple's Objective-C runtime or to GCC's GNU runtime (what GNUstep uses).
 *
 * Both expose the same C API for what we need (objc_getClass,
 * sel_registerName, class_getInstanceMethod, …).  They differ in how a message
 * is sent: Apple's objc_msgSend is a trampoline that must be cast to the exact
 * prototype of the method; the GNU runtime looks the implementation up first
 * (objc_msg_lookup) and the caller then calls it with the same exact prototype.
 * cvz__imp() hides the difference: cast its result to the method's exact
 * function type and call it with (receiver, selector, arguments...).
 *
 * Struct returns that Apple's x86_64 ABI passes in memory would need
 * objc_msgSend_stret; the generator refuses them except on arm64-only items
 * (arm64's objc_msgSend returns them through x8), so it is never needed.
 */
#ifndef CVZ_RUNTIME_H
#define CVZ_RUNTIME_H

#include <objc/runtime.h>
#include <objc/message.h>

/* A generic function pointer: C allows casting it to any exact prototype. */
typedef void (*cvz__fn)(void);

#if defined(__APPLE__)
#define CVZ__APPLE_RUNTIME 1
static inline cvz__fn cvz__imp(id receiver, SEL sel)
{
    (void)receiver;
    (void)sel;
    return (cvz__fn)objc_msgSend;
}
#else
#define CVZ__APPLE_RUNTIME 0
static inline cvz__fn cvz__imp(id receiver, SEL sel)
{
    return (cvz__fn)objc_msg_lookup(receiver, sel);
}
#endif

/*
 * @encode(BOOL), for the method types and block signatures libcvz registers:
 * BOOL is bool on arm64 Apple ("B"), signed char on x86_64 Apple ("c") and
 * unsigned char with the GNU runtime ("C").  Checked against the compiler.
 */
#if CVZ__APPLE_RUNTIME && OBJC_BOOL_IS_BOOL
#define CVZ__ENCODE_BOOL "B"
#define CVZ__ENCODE_BOOL_CHAR 'B'
#elif CVZ__APPLE_RUNTIME
#define CVZ__ENCODE_BOOL "c"
#define CVZ__ENCODE_BOOL_CHAR 'c'
#else
#define CVZ__ENCODE_BOOL "C"
#define CVZ__ENCODE_BOOL_CHAR 'C'
#endif
_Static_assert(_Generic((BOOL)0, _Bool: 'B', signed char: 'c', unsigned char: 'C', default: 0) ==
                   CVZ__ENCODE_BOOL_CHAR,
               "CVZ__ENCODE_BOOL is not @encode(BOOL)");

#ifndef nil
#define nil ((id)0)
#endif
#ifndef Nil
#define Nil ((Class)0)
#endif

#endif
