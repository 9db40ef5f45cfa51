/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/support.m - plumbing of the 11.0 layer: VZErrorDomain, NSError
 * helpers, environment knobs and the layer registry.
 */
#import "core/sim.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The exported constant of VZError.h: an NSString * const data symbol. */
NSString *const VZErrorDomain = @"VZErrorDomain";

/* ---- blocks (see core/block.h for why dlsym) ------------------------------- */

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
