/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sim.h - what every layer of the simulated Virtualization.framework shares:
 * versions, Apple's error codes and the sim's NSError helpers, environment
 * knobs, and the macros that write the boilerplate of a class.
 *
 * Internal to sim/: the layers (libVirtualization-<X.Y>[-arm64].so) include
 * it, each with the headers of the layers below it that it builds on
 * (sim/README.md); the cvz core never does (it reaches the framework only
 * through the Objective-C runtime, as it would on macOS).  Written for GCC's
 * Objective-C and the GNU runtime with GNUstep Base: manual retain/release,
 * no blocks, no ARC, no @property (class ...).  Defined in sim/core/,
 * linked into the 11.0 layer.
 *
 * Apple's selectors and types are reproduced; the declarations and comments
 * here are our own.
 */
#ifndef CVZ_SIM_CORE_SIM_H
#define CVZ_SIM_CORE_SIM_H

#import <Foundation/Foundation.h>
#include <pthread.h>
#include <stdint.h>
#include "core/block.h"

/* ---- versions and layers (support.m, host.m) ----------------------------- */

/* A macOS version as a number: 11.0 -> 1100, 12.3 -> 1203. */
#define CVZ_SIM_LEVEL(major, minor) ((major) * 100 + (minor))

/* Highest layer loaded so far (1100 once the 11.0 layer is in). */
int vzsim_api_level(void);
/* Called by each later layer's constructor (VZSIM_LAYER). */
void vzsim_register_layer(int level);
/* The simulated macOS version (1400 for 14.0), from the loader; falls back to
 * the highest layer loaded. */
int vzsim_host_level(void);

/* The constructor of the layer for macOS major.minor: it registers its level
 * when the loader opens the layer, switching on that version's behaviour. */
#define VZSIM_LAYER(major, minor)                                              \
    __attribute__((constructor)) static void vzsim_layer_##major##_##minor(void) \
    {                                                                          \
        vzsim_register_layer(CVZ_SIM_LEVEL(major, minor));                     \
    }

/* ---- errors (VZError.h; support.m) ---------------------------------------- */

extern NSString *const VZErrorDomain;

typedef NSInteger VZErrorCode;
enum {
    VZErrorInternal = 1,
    VZErrorInvalidVirtualMachineConfiguration = 2,
    VZErrorInvalidVirtualMachineState = 3,
    VZErrorInvalidVirtualMachineStateTransition = 4,
    VZErrorInvalidDiskImage = 5,
    VZErrorVirtualMachineLimitExceeded = 6, /* 12.0 */
    VZErrorNetworkError = 7,                /* 13.0 */
    VZErrorOperationCancelled = 9,          /* 13.0 */
    VZErrorNotSupported = 10,               /* 13.0 */
    VZErrorSave = 11,                       /* 14.0 */
    VZErrorRestore = 12,                    /* 14.0 */
    VZErrorRestoreImageLoadFailed = 10004,  /* 13.0 */
    VZErrorInvalidRestoreImage = 10005,     /* 13.0 */
    VZErrorInstallationFailed = 10007,      /* 13.0 */
};

/* errno values as macOS numbers them: NSPOSIXErrorDomain codes are Darwin's,
 * and some differ from Linux's (ECONNRESET is 104 on Linux). */
#define VZSIM_DARWIN_ECONNRESET 54
#define VZSIM_DARWIN_ENOTCONN 57

/* Autoreleased NSError in `domain` with failure, reason, and the two joined
 * as NSLocalizedDescriptionKey. */
NSError *vzsim_error_in(NSString *domain, NSInteger code, NSString *failure,
                          NSString *reason);
/* Same, in VZErrorDomain. */
NSError *vzsim_error(NSInteger code, NSString *failure, NSString *reason);
/* Store `error` in *out when out is not NULL. */
void vzsim_set_error(NSError **out, NSError *error);

/* Raise NSInvalidArgumentException (format like NSLog). */
void vzsim_raise_invalid_argument(NSString *format, ...);

/* ---- what GNUstep Base 1.28 lacks ------------------------------------------ */

/* NSLocalizedFailureErrorKey. */
#define CVZ_SIM_FAILURE_KEY @"NSLocalizedFailure"

/* NSOperatingSystemVersion: three NSIntegers. */
typedef struct {
    NSInteger majorVersion, minorVersion, patchVersion;
} VZSimOperatingSystemVersion;

/* ---- the host: environment knobs, random numbers, files (support.m, host.m) -- */

/* Milliseconds from env `name` (read now, every time).  Unset or empty:
 * `fallback`.  Not an integer >= `min_value`: a one-line warning on stderr
 * and `fallback`. */
long vzsim_env_ms(const char *name, long fallback, long min_value);

/* Comma-separated port numbers from env `name` (read now) into ports[]; at
 * most `max`.  Returns how many; an unparsable entry prints one line on
 * stderr and is skipped. */
size_t vzsim_env_ports(const char *name, uint32_t *ports, size_t max);

/* A random number in [low, high] (getrandom(2)). */
uint32_t vzsim_random_between(uint32_t low, uint32_t high);

/* Writes `contents` to a new file at `url` (mode 0600); an existing file is
 * an error unless `overwrite`.  NO, with an NSPOSIXErrorDomain error whose
 * failure is `failure` in *error, when the file cannot be created or written. */
BOOL vzsim_create_file(NSURL *url, NSData *contents, BOOL overwrite, NSString *failure, NSError **error);

/* ---- objects: initializers and accessors ------------------------------------ */

/* Run NSObject's own -init on self (the sim's abstract base classes make
 * -init unusable, as Apple marks it NS_UNAVAILABLE; concrete subclasses call
 * this instead of [super init]). */
id vzsim_nsobject_init(id self);

/* `-init` / `+new` marked NS_UNAVAILABLE by Apple: release self and raise. */
id vzsim_unavailable_init(id self, SEL _cmd);

/* An -init that Apple marks NS_UNAVAILABLE, in an @implementation. */
#define VZSIM_UNAVAILABLE_INIT                                                 \
    -(id)init                                                                  \
    {                                                                          \
        return vzsim_unavailable_init(self, _cmd);                             \
    }

/* Retain-and-replace helpers for setters, and getters that return
 * retained+autoreleased values (manual retain/release). */
#define CVZ_SIM_SET_RETAIN(ivar, value)                                        \
    do {                                                                       \
        id cvz_new_ = [(value) retain];                                        \
        [(ivar) release];                                                      \
        (ivar) = cvz_new_;                                                     \
    } while (0)
#define CVZ_SIM_SET_COPY(ivar, value)                                          \
    do {                                                                       \
        id cvz_new_ = [(value) copy];                                          \
        [(ivar) release];                                                      \
        (ivar) = cvz_new_;                                                     \
    } while (0)
#define CVZ_SIM_GET(ivar) return [[(ivar) retain] autorelease]

/* An object property kept in `ivar` under @synchronized(self): the getter
 * answers it retained and autoreleased, the setter keeps the new value with
 * CVZ_SIM_SET_RETAIN or CVZ_SIM_SET_COPY (`how`: RETAIN or COPY). */
#define VZSIM_OBJECT_PROPERTY(type, getter, setter, ivar, how)                 \
    -(type)getter                                                              \
    {                                                                          \
        @synchronized(self) { CVZ_SIM_GET(ivar); }                             \
    }                                                                          \
    -(void)setter : (type)value                                                \
    {                                                                          \
        @synchronized(self) { CVZ_SIM_SET_##how(ivar, value); }                \
    }

/* A scalar property kept in `ivar` under @synchronized(self). */
#define VZSIM_SCALAR_PROPERTY(type, getter, setter, ivar)                      \
    -(type)getter                                                              \
    {                                                                          \
        @synchronized(self) { return ivar; }                                   \
    }                                                                          \
    -(void)setter : (type)value                                                \
    {                                                                          \
        @synchronized(self) { ivar = value; }                                  \
    }

#endif /* CVZ_SIM_CORE_SIM_H */
