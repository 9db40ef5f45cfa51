/* SPDX-License-Identifier: Apache-2.0 */
/*
 * objc.h - the few Foundation messages the core itself sends (retain, strings,
 * URLs, arrays, file handles, pools, NSError and NSException details), each
 * through the runtime seam with its exact prototype.
 */
#ifndef CVZ_OBJC_H
#define CVZ_OBJC_H

#include <stdbool.h>
#include <stddef.h>

#include "runtime.h"

id cvz__retain(id obj);
void cvz__release(id obj);
id cvz__autorelease(id obj);
/* A Foundation class by name, Nil when Foundation lacks it. */
Class cvz__foundation_class(const char *name);
bool cvz__is_kind_of(id obj, Class cls);
const char *cvz__class_name_of(id obj);

id cvz__pool_push(void);
void cvz__pool_pop(id pool);

/* +[NSString stringWithUTF8String:]; nil for invalid UTF-8. */
id cvz__string_from_utf8(const char *text);
/* -UTF8String of an NSString (borrowed, valid while the string lives); NULL for nil. */
const char *cvz__utf8(id string);
/* Sends a no-argument message returning an object (nil when not understood). */
id cvz__get_object(id obj, const char *selector);
long cvz__get_long(id obj, const char *selector);
bool cvz__get_bool(id obj, const char *selector);
double cvz__get_double(id obj, const char *selector);
int cvz__get_int(id obj, const char *selector);

id cvz__file_url(id path);
/* +[NSURL URLWithString:]: nil when the text is not a URL. */
id cvz__url_from_string(id text);
/* +[NSData dataWithBytes:length:] (a copy); nil when out of memory. */
id cvz__data_with_bytes(const void *bytes, size_t length);
/* A malloc'ed copy of an NSData's bytes in *out (NULL when out of memory); returns the length. */
size_t cvz__data_copy(id data, void **out);
/* An autoreleased NSUUID parsed from text; nil when it is not a UUID. */
id cvz__uuid_from_text(const char *text);
id cvz__array_with_objects(const id *objects, size_t count);
size_t cvz__array_count(id array);
id cvz__array_object_at(id array, size_t index);
/* +[NSDictionary dictionaryWithObjects:forKeys:count:]; nil when out of memory. */
id cvz__dictionary_with(const id *objects, const id *keys, size_t count);
id cvz__dictionary_object_for(id dictionary, id key);
/* A new NSFileHandle that owns fd (closes it on dealloc), autoreleased. */
id cvz__file_handle_owning(int fd);

#endif
