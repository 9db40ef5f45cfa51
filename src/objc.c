/* SPDX-License-Identifier: Apache-2.0 */
/*
 * objc.c - Foundation messages the core sends (see objc.h).
 */
#include "objc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static SEL sel(const char *name)
{
    return sel_registerName(name);
}

/* Selectors cached race-free: concurrent first calls store the same value. */
static SEL cached_sel(_Atomic(SEL) *cache, const char *name)
{
    SEL s = atomic_load_explicit(cache, memory_order_relaxed);
    if (!s) {
        s = sel(name);
        atomic_store_explicit(cache, s, memory_order_relaxed);
    }
    return s;
}

id cvz__retain(id obj)
{
    static _Atomic(SEL) cache;
    SEL s = cached_sel(&cache, "retain");
    return obj ? ((id (*)(id, SEL))cvz__imp(obj, s))(obj, s) : obj;
}

void cvz__release(id obj)
{
    static _Atomic(SEL) cache;
    SEL s = cached_sel(&cache, "release");
    if (obj)
        ((void (*)(id, SEL))cvz__imp(obj, s))(obj, s);
}

id cvz__autorelease(id obj)
{
    static _Atomic(SEL) cache;
    SEL s = cached_sel(&cache, "autorelease");
    return obj ? ((id (*)(id, SEL))cvz__imp(obj, s))(obj, s) : obj;
}

Class cvz__foundation_class(const char *name)
{
    return objc_getClass(name);
}

bool cvz__is_kind_of(id obj, Class cls)
{
    if (!obj || !cls)
        return false;
    for (Class c = object_getClass(obj); c; c = class_getSuperclass(c))
        if (c == cls)
            return true;
    return false;
}

const char *cvz__class_name_of(id obj)
{
    return obj ? class_getName(object_getClass(obj)) : "nil";
}

id cvz__get_object(id obj, const char *selector)
{
    SEL s = sel(selector);
    if (!obj || !class_respondsToSelector(object_getClass(obj), s))
        return nil;
    return ((id (*)(id, SEL))cvz__imp(obj, s))(obj, s);
}

long cvz__get_long(id obj, const char *selector)
{
    SEL s = sel(selector);
    if (!obj || !class_respondsToSelector(object_getClass(obj), s))
        return 0;
    return ((long (*)(id, SEL))cvz__imp(obj, s))(obj, s);
}

double cvz__get_double(id obj, const char *selector)
{
    SEL s = sel(selector);
    if (!obj || !class_respondsToSelector(object_getClass(obj), s))
        return 0.0;
    return ((double (*)(id, SEL))cvz__imp(obj, s))(obj, s);
}

bool cvz__get_bool(id obj, const char *selector)
{
    SEL s = sel(selector);
    if (!obj || !class_respondsToSelector(object_getClass(obj), s))
        return false;
    return ((BOOL (*)(id, SEL))cvz__imp(obj, s))(obj, s) != 0;
}

int cvz__get_int(id obj, const char *selector)
{
    SEL s = sel(selector);
    if (!obj || !class_respondsToSelector(object_getClass(obj), s))
        return -1;
    return ((int (*)(id, SEL))cvz__imp(obj, s))(obj, s);
}

/* Looked up once: every wrapper that handles objects opens a pool. */
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static id pool_class;
static SEL pool_alloc, pool_init;

static void find_pool_class(void)
{
    pool_class = (id)cvz__foundation_class("NSAutoreleasePool");
    pool_alloc = sel("alloc");
    pool_init = sel("init");
}

id cvz__pool_push(void)
{
    pthread_once(&pool_once, find_pool_class);
    if (!pool_class)
        return nil;
    id pool = ((id (*)(id, SEL))cvz__imp(pool_class, pool_alloc))(pool_class, pool_alloc);
    return ((id (*)(id, SEL))cvz__imp(pool, pool_init))(pool, pool_init);
}

void cvz__pool_pop(id pool)
{
    cvz__release(pool);
}

id cvz__string_from_utf8(const char *text)
{
    id cls = (id)cvz__foundation_class("NSString");
    if (!cls || !text)
        return nil;
    SEL s = sel("stringWithUTF8String:");
    return ((id (*)(id, SEL, const char *))cvz__imp(cls, s))(cls, s, text);
}

const char *cvz__utf8(id string)
{
    static _Atomic(SEL) cache;
    SEL s = cached_sel(&cache, "UTF8String");
    if (!string || !class_respondsToSelector(object_getClass(string), s))
        return NULL;
    return ((const char *(*)(id, SEL))cvz__imp(string, s))(string, s);
}

id cvz__file_url(id path)
{
    id cls = (id)cvz__foundation_class("NSURL");
    if (!cls || !path)
        return nil;
    SEL s = sel("fileURLWithPath:");
    return ((id (*)(id, SEL, id))cvz__imp(cls, s))(cls, s, path);
}

id cvz__url_from_string(id text)
{
    id cls = (id)cvz__foundation_class("NSURL");
    if (!cls || !text)
        return nil;
    SEL s = sel("URLWithString:");
    return ((id (*)(id, SEL, id))cvz__imp(cls, s))(cls, s, text);
}

id cvz__data_with_bytes(const void *bytes, size_t length)
{
    id cls = (id)cvz__foundation_class("NSData");
    if (!cls)
        return nil;
    SEL s = sel("dataWithBytes:length:");
    return ((id (*)(id, SEL, const void *, unsigned long))cvz__imp(cls, s))(cls, s, bytes, length);
}

size_t cvz__data_copy(id data, void **out)
{
    size_t n = (size_t)cvz__get_long(data, "length");
    *out = malloc(n ? n : 1);
    if (*out && n) {
        SEL s = sel("getBytes:length:");
        ((void (*)(id, SEL, void *, unsigned long))cvz__imp(data, s))(data, s, *out, n);
    }
    return n;
}

id cvz__uuid_from_text(const char *text)
{
    id cls = (id)cvz__foundation_class("NSUUID");
    id string = cvz__string_from_utf8(text);
    if (!cls || !string)
        return nil;
    SEL alloc = sel("alloc"), init = sel("initWithUUIDString:");
    id uuid = ((id (*)(id, SEL))cvz__imp(cls, alloc))(cls, alloc);
    uuid = ((id (*)(id, SEL, id))cvz__imp(uuid, init))(uuid, init, string);
    return cvz__autorelease(uuid);
}

id cvz__array_with_objects(const id *objects, size_t count)
{
    id cls = (id)cvz__foundation_class("NSArray");
    if (!cls)
        return nil;
    SEL s = sel("arrayWithObjects:count:");
    return ((id (*)(id, SEL, const id *, unsigned long))cvz__imp(cls, s))(cls, s, objects, count);
}

size_t cvz__array_count(id array)
{
    return (size_t)cvz__get_long(array, "count");
}

id cvz__array_object_at(id array, size_t index)
{
    SEL s = sel("objectAtIndex:");
    return ((id (*)(id, SEL, unsigned long))cvz__imp(array, s))(array, s, index);
}

id cvz__dictionary_with(const id *objects, const id *keys, size_t count)
{
    id cls = (id)cvz__foundation_class("NSDictionary");
    if (!cls)
        return nil;
    SEL s = sel("dictionaryWithObjects:forKeys:count:");
    return ((id (*)(id, SEL, const id *, const id *, unsigned long))cvz__imp(cls, s))(cls, s, objects, keys, count);
}

id cvz__dictionary_object_for(id dictionary, id key)
{
    SEL s = sel("objectForKey:");
    return ((id (*)(id, SEL, id))cvz__imp(dictionary, s))(dictionary, s, key);
}

id cvz__file_handle_owning(int fd)
{
    id cls = (id)cvz__foundation_class("NSFileHandle");
    if (!cls)
        return nil;
    SEL alloc = sel("alloc"), init = sel("initWithFileDescriptor:closeOnDealloc:");
    id fh = ((id (*)(id, SEL))cvz__imp(cls, alloc))(cls, alloc);
    fh = ((id (*)(id, SEL, int, BOOL))cvz__imp(fh, init))(fh, init, fd, 1);
    return cvz__autorelease(fh);
}
