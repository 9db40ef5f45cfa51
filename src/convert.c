/* SPDX-License-Identifier: Apache-2.0 */
/*
 * convert.c - C values to Objective-C arguments and Objective-C results to C
 * values, with the checks that keep bad input from reaching the framework:
 * NULLs, dead or foreign handles, handles of the wrong class, invalid UTF-8,
 * closed file descriptors.  Every failure names the C function and parameter.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "availability.h"
#include "cvz-internal.h"
#include "handle.h"
#include "objc.h"
#include "queue.h"

static const char *fn_name(const struct cvz__scope *s)
{
    return s->item->c_function;
}

int cvz__arg_live(struct cvz__scope *s, const void *handle, const char *param, id *out)
{
    const char *problem = cvz__handle_problem(handle);
    if (problem)
        return cvz__fail(s, handle ? CVZ_E_WRONG_HANDLE : CVZ_E_INVALID_ARGUMENT, "%s: %s %s", fn_name(s), param,
                         problem);
    *out = ((const struct cvz__handle *)handle)->object;
    return 0;
}

/* The object behind a handle, checked to be live and a kind of `cls`. */
static int unwrap(struct cvz__scope *s, const void *handle, Class cls, const char *expected, const char *param,
                  id *out)
{
    id obj = nil;
    if (cvz__arg_live(s, handle, param, &obj) != 0)
        return s->status;
    if (!cvz__is_kind_of(obj, cls))
        return cvz__fail(s, CVZ_E_WRONG_HANDLE, "%s: %s is a %s, not a %s", fn_name(s), param,
                         cvz__class_name_of(obj), expected);
    *out = obj;
    return 0;
}

/* The receiver of a protocol's property: any live object that conforms and answers the selector. */
static int unwrap_conforming(struct cvz__scope *s, const void *handle, id *out)
{
    const char *protocol = s->item->protocol;
    if (cvz__arg_live(s, handle, "self", out) != 0)
        return s->status;
    if (!cvz__conforms(*out, protocol) || !class_respondsToSelector(object_getClass(*out), s->item->sel))
        return cvz__fail(s, CVZ_E_WRONG_HANDLE, "%s: self is a %s, which does not conform to %s", fn_name(s),
                         cvz__class_name_of(*out), protocol);
    return 0;
}

int cvz__arg_self(struct cvz__scope *s, const void *handle, id *out)
{
    if (s->item->kind == CVZ__PROTOCOL_METHOD) {
        if (unwrap_conforming(s, handle, out) != 0)
            return s->status;
    } else if (unwrap(s, handle, cvz__class_resolve(s->item->class_index), cvz__classes[s->item->class_index].name,
                      "self", out) != 0) {
        return s->status;
    } else {
        /* Kind of the item's class: objects of exactly this class may take the fast path.
         * Released after the item was found available, so a fast path that sees it sees item->sel. */
        Class cls = object_getClass(*out);
        if (atomic_load_explicit(&s->item->fast_class, memory_order_relaxed) != cls)
            atomic_store_explicit(&s->item->fast_class, cls, memory_order_release);
    }
    s->queue = ((const struct cvz__handle *)handle)->queue;
    return 0;
}

int cvz__arg_new_queue(struct cvz__scope *s, id *out)
{
    if (!cvz__queue_supported())
        return cvz__fail(s, CVZ_E_MISSING,
                         "%s: libdispatch is not available (dispatch_queue_create not found), and the new object "
                         "needs a serial queue",
                         fn_name(s));
    void *queue = cvz__queue_new(s->item->api_name);
    if (!queue)
        return cvz__fail(s, CVZ_E_NO_MEMORY, "%s: dispatch_queue_create failed", fn_name(s));
    s->queue = queue;
    s->owns_queue = true;
    *out = (id)queue;
    return 0;
}

int cvz__arg_object(struct cvz__scope *s, const void *handle, int class_index, const char *param, bool nullable,
                    id *out)
{
    *out = nil;
    if (!handle && nullable)
        return 0;
    if (unwrap(s, handle, cvz__class_resolve(class_index), cvz__classes[class_index].name, param, out) != 0)
        return s->status;
    /* What is made from or works on a VM (a macOS installer) belongs to the VM's queue. */
    if (!s->queue)
        s->queue = ((const struct cvz__handle *)handle)->queue;
    return 0;
}

int cvz__arg_string(struct cvz__scope *s, const char *text, const char *param, bool nullable, id *out)
{
    *out = nil;
    if (!text)
        return nullable ? 0 : cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s is NULL", fn_name(s), param);
    *out = cvz__string_from_utf8(text);
    if (!*out)
        return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s is not valid UTF-8", fn_name(s), param);
    return 0;
}

int cvz__arg_url(struct cvz__scope *s, const char *path, const char *param, bool nullable, id *out)
{
    *out = nil;
    if (!path)
        return nullable ? 0 : cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s is NULL", fn_name(s), param);
    if (!*path)
        return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s is an empty path", fn_name(s), param);
    id string = cvz__string_from_utf8(path);
    if (!string)
        return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s is not valid UTF-8", fn_name(s), param);
    *out = cvz__file_url(string);
    if (!*out)
        return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s (\"%s\") is not a usable path", fn_name(s), param, path);
    return 0;
}

/* "scheme:" at the start: a letter, then letters, digits, '+', '-' or '.' (RFC 3986). */
static bool has_scheme(const char *text)
{
    if (!isalpha((unsigned char)*text))
        return false;
    const char *p = text + 1;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    return *p == ':';
}

int cvz__arg_remote_url(struct cvz__scope *s, const char *text, const char *param, bool nullable, id *out)
{
    *out = nil;
    if (!text)
        return nullable ? 0 : cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s is NULL", fn_name(s), param);
    if (!has_scheme(text))
        return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s (\"%.80s\") is not a URL: it has no scheme (such as nbd://)",
                         fn_name(s), param, text);
    id string = cvz__string_from_utf8(text);
    if (!string)
        return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s is not valid UTF-8", fn_name(s), param);
    *out = cvz__url_from_string(string);
    if (!*out)
        return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s (\"%.80s\") is not a valid URL", fn_name(s), param, text);
    return 0;
}

int cvz__arg_uuid(struct cvz__scope *s, const char *text, const char *param, bool nullable, id *out)
{
    *out = nil;
    if (!text)
        return nullable ? 0 : cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s is NULL", fn_name(s), param);
    *out = cvz__uuid_from_text(text);
    if (!*out)
        return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s (\"%.60s\") is not a UUID", fn_name(s), param, text);
    return 0;
}

int cvz__arg_data(struct cvz__scope *s, const void *bytes, size_t length, const char *param, bool nullable, id *out)
{
    *out = nil;
    if (!bytes && length > 0)
        return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s is NULL but %s_length is %zu", fn_name(s), param, param,
                         length);
    if (!bytes && nullable)
        return 0;
    *out = cvz__data_with_bytes(bytes, length);
    return *out ? 0 : cvz__fail(s, CVZ_E_NO_MEMORY, "%s: cannot copy %zu bytes of %s", fn_name(s), length, param);
}

int cvz__arg_file_handle(struct cvz__scope *s, int fd, const char *param, bool nullable, id *out)
{
    *out = nil;
    if (fd == -1 && nullable)
        return 0;
    if (fd < 0)
        return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s (%d) is not a file descriptor%s", fn_name(s), param, fd,
                         nullable ? " (use -1 for none)" : "");
    if (fcntl(fd, F_GETFD) == -1)
        return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s (%d) is not an open file descriptor: %s", fn_name(s),
                         param, fd, strerror(errno));
    /* The framework gets its own descriptor; the caller may close theirs at once. */
    int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy == -1)
        return cvz__fail(s, CVZ_E_SYSTEM, "%s: cannot duplicate %s (%d): %s", fn_name(s), param, fd, strerror(errno));
    *out = cvz__file_handle_owning(copy);
    if (!*out) {
        close(copy);
        return cvz__fail(s, CVZ_E_NO_MEMORY, "%s: cannot create an NSFileHandle for %s", fn_name(s), param);
    }
    return 0;
}

int cvz__arg_socket(struct cvz__scope *s, int fd, const char *param, bool nullable, enum cvz__socket_kind kind,
                    id *out)
{
    *out = nil;
    if (fd >= 0 && fcntl(fd, F_GETFD) != -1) {
        int type = 0;
        socklen_t length = sizeof type;
        (void)kind; /* datagram is the only kind the framework asks for */
        if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) == -1)
            return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s (%d) is not a socket (%s); a datagram socket is needed",
                             fn_name(s), param, fd, strerror(errno));
        if (type != SOCK_DGRAM)
            return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s (%d) is a %s socket; a datagram socket (SOCK_DGRAM) is needed",
                             fn_name(s), param, fd, type == SOCK_STREAM ? "stream" : type == SOCK_SEQPACKET ? "seqpacket" : "non-datagram");
    }
    /* Everything else (-1, closed descriptors) is reported as for any descriptor. */
    return cvz__arg_file_handle(s, fd, param, nullable, out);
}

/* How each element of a handle array is checked: a kind of class_index, or (protocol set) conforming. */
struct element_rule {
    int class_index;
    struct cvz__protocol *protocol;
};

/* The objects behind `count` handles, each checked by the rule and named param[i] in errors:
 * a new C array the caller frees, or NULL with the status set. */
static id *unwrap_all(struct cvz__scope *s, const void *const *handles, size_t count, const struct element_rule *rule,
                      const char *param)
{
    if (!handles && count > 0) {
        cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s is NULL but %s_count is %zu", fn_name(s), param, param, count);
        return NULL;
    }
    id *objects = calloc(count ? count : 1, sizeof *objects);
    if (!objects) {
        cvz__fail(s, CVZ_E_NO_MEMORY, "%s: out of memory", fn_name(s));
        return NULL;
    }
    for (size_t i = 0; i < count; i++) {
        char element[96];
        snprintf(element, sizeof element, "%s[%zu]", param, i);
        int rc = rule->protocol ? cvz__arg_protocol(s, handles[i], rule->protocol, element, false, &objects[i])
                                : unwrap(s, handles[i], cvz__class_resolve(rule->class_index),
                                         cvz__classes[rule->class_index].name, element, &objects[i]);
        if (rc != 0) {
            free(objects);
            return NULL;
        }
    }
    return objects;
}

static int array_of(struct cvz__scope *s, const void *const *handles, size_t count, const struct element_rule *rule,
                    const char *param, id *out)
{
    *out = nil;
    id *objects = unwrap_all(s, handles, count, rule, param);
    if (!objects)
        return s->status;
    *out = cvz__array_with_objects(objects, count);
    free(objects);
    return *out ? 0 : cvz__fail(s, CVZ_E_NO_MEMORY, "%s: cannot create the NSArray for %s", fn_name(s), param);
}

int cvz__arg_array(struct cvz__scope *s, const void *const *handles, size_t count, int class_index,
                   const char *param, id *out)
{
    const struct element_rule rule = {class_index, NULL};
    return array_of(s, handles, count, &rule, param, out);
}

/* Does obj's class (or a superclass) adopt the protocol?  Unknown to the runtime: say yes. */
bool cvz__conforms(id obj, const char *protocol_name)
{
    Protocol *proto = objc_getProtocol(protocol_name);
    if (!proto)
        return true;
    for (Class c = object_getClass(obj); c; c = class_getSuperclass(c))
        if (class_conformsToProtocol(c, proto))
            return true;
    return false;
}

int cvz__arg_protocol(struct cvz__scope *s, const void *handle, struct cvz__protocol *p, const char *param,
                      bool nullable, id *out)
{
    *out = nil;
    if (!handle && nullable)
        return 0;
    id obj = nil;
    if (cvz__arg_live(s, handle, param, &obj) != 0)
        return s->status;
    if (!p->methods) {
        /* A protocol the framework's objects implement: the object must conform. */
        if (!cvz__conforms(obj, p->name))
            return cvz__fail(s, CVZ_E_WRONG_HANDLE, "%s: %s is a %s, which does not conform to %s",
                             s->item->c_function, param, cvz__class_name_of(obj), p->name);
    } else if (!cvz__is_kind_of(obj, cvz__delegate_class(p))) {
        return cvz__fail(s, CVZ_E_WRONG_HANDLE, "%s: %s is a %s, not a %s made by %s()", s->item->c_function, param,
                         cvz__class_name_of(obj), p->name, p->c_function);
    }
    *out = obj;
    return 0;
}

int cvz__arg_protocol_array(struct cvz__scope *s, const void *const *handles, size_t count, struct cvz__protocol *p,
                            const char *param, id *out)
{
    const struct element_rule rule = {-1, p};
    return array_of(s, handles, count, &rule, param, out);
}

int cvz__arg_dictionary(struct cvz__scope *s, const char *const *keys, const void *const *handles, size_t count,
                        int class_index, const char *param, id *out)
{
    *out = nil;
    if (!keys && count > 0)
        return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s_keys is NULL but %s_count is %zu", fn_name(s), param,
                         param, count);
    id *names = calloc(count ? count : 1, sizeof *names);
    if (!names)
        return cvz__fail(s, CVZ_E_NO_MEMORY, "%s: out of memory", fn_name(s));
    for (size_t i = 0; i < count && s->status == 0; i++) {
        char element[96];
        snprintf(element, sizeof element, "%s_keys[%zu]", param, i);
        if (cvz__arg_string(s, keys[i], element, false, &names[i]) != 0)
            break;
        for (size_t j = 0; j < i; j++)
            if (strcmp(keys[i], keys[j]) == 0) {
                cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s (\"%.60s\") repeats %s_keys[%zu]", fn_name(s), element,
                          keys[i], param, j);
                break;
            }
    }
    const struct element_rule rule = {class_index, NULL};
    id *objects = s->status == 0 ? unwrap_all(s, handles, count, &rule, param) : NULL;
    if (objects) {
        *out = cvz__dictionary_with(objects, names, count);
        if (!*out)
            cvz__fail(s, CVZ_E_NO_MEMORY, "%s: cannot create the NSDictionary for %s", fn_name(s), param);
    }
    free(objects);
    free(names);
    return s->status;
}

int cvz__arg_bool_out(struct cvz__scope *s, const bool *caller, const char *param, BOOL *slot, BOOL **out)
{
    *out = NULL;
    if (!caller)
        return cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s is NULL (it receives the answer)", fn_name(s), param);
    *slot = 0;
    *out = slot;
    return 0;
}

void *cvz__result_object(struct cvz__scope *s, id obj, bool owned, bool nullable)
{
    if (!obj) {
        if (nullable)
            return NULL;
        bool init = strncmp(s->item->selector, "init", 4) == 0;
        cvz__fail(s, init ? CVZ_E_INVALID_ARGUMENT : CVZ_E_FRAMEWORK, "%s returned nil%s", s->item->api_name,
                  init ? ": the framework rejected the arguments" : "");
        return NULL;
    }
    struct cvz__handle *h = cvz__handle_new(owned ? obj : cvz__retain(obj), s->queue);
    if (!h)
        cvz__fail(s, CVZ_E_NO_MEMORY, "%s: out of memory", fn_name(s));
    return h;
}

static char *copy_text(struct cvz__scope *s, const char *text)
{
    char *copy = strdup(text ? text : "");
    if (!copy)
        cvz__fail(s, CVZ_E_NO_MEMORY, "%s: out of memory", fn_name(s));
    return copy;
}

char *cvz__result_string(struct cvz__scope *s, id string, bool nullable)
{
    if (!string) {
        if (!nullable)
            cvz__fail(s, CVZ_E_FRAMEWORK, "%s returned nil", s->item->api_name);
        return NULL;
    }
    return copy_text(s, cvz__utf8(string));
}

char *cvz__result_url(struct cvz__scope *s, id url, bool nullable)
{
    if (!url) {
        if (!nullable)
            cvz__fail(s, CVZ_E_FRAMEWORK, "%s returned nil", s->item->api_name);
        return NULL;
    }
    id text = cvz__get_bool(url, "isFileURL") ? cvz__get_object(url, "path") : cvz__get_object(url, "absoluteString");
    return copy_text(s, cvz__utf8(text));
}

int cvz__result_file_handle(struct cvz__scope *s, id handle, bool nullable)
{
    if (!handle) {
        if (!nullable)
            cvz__fail(s, CVZ_E_FRAMEWORK, "%s returned nil", s->item->api_name);
        return -1;
    }
    int fd = cvz__get_int(handle, "fileDescriptor");
    int copy = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
    if (copy == -1)
        cvz__fail(s, CVZ_E_SYSTEM, "%s: cannot duplicate the file handle's descriptor (%d): %s", fn_name(s), fd,
                  strerror(errno));
    return copy;
}

char *cvz__result_uuid(struct cvz__scope *s, id uuid, bool nullable)
{
    if (!uuid) {
        if (!nullable)
            cvz__fail(s, CVZ_E_FRAMEWORK, "%s returned nil", s->item->api_name);
        return NULL;
    }
    return copy_text(s, cvz__utf8(cvz__get_object(uuid, "UUIDString")));
}

void *cvz__result_data(struct cvz__scope *s, id data, bool nullable, size_t *length)
{
    if (!length) {
        cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: length is NULL", fn_name(s));
        return NULL;
    }
    if (!data) {
        if (!nullable)
            cvz__fail(s, CVZ_E_FRAMEWORK, "%s returned nil", s->item->api_name);
        return NULL;
    }
    void *copy;
    size_t n = cvz__data_copy(data, &copy);
    if (!copy) {
        cvz__fail(s, CVZ_E_NO_MEMORY, "%s: out of memory", fn_name(s));
        return NULL;
    }
    *length = n;
    return copy;
}

cvz_bytes *cvz__result_data_array(struct cvz__scope *s, id array, size_t *count)
{
    if (!count) {
        cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: count is NULL", fn_name(s));
        return NULL;
    }
    size_t n = array ? cvz__array_count(array) : 0;
    cvz_bytes *buffers = calloc(n ? n : 1, sizeof *buffers);
    for (size_t i = 0; buffers && i < n; i++) {
        buffers[i].length = cvz__data_copy(cvz__array_object_at(array, i), &buffers[i].data);
        if (!buffers[i].data) {
            cvz_bytes_array_free(buffers, i);
            buffers = NULL;
        }
    }
    if (!buffers) {
        cvz__fail(s, CVZ_E_NO_MEMORY, "%s: out of memory", fn_name(s));
        return NULL;
    }
    *count = n;
    return buffers;
}

void *cvz__result_array(struct cvz__scope *s, id array, size_t *count)
{
    if (!count) {
        cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: count is NULL", fn_name(s));
        return NULL;
    }
    size_t n = array ? cvz__array_count(array) : 0;
    void **handles = calloc(n ? n : 1, sizeof *handles);
    if (!handles) {
        cvz__fail(s, CVZ_E_NO_MEMORY, "%s: out of memory", fn_name(s));
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        handles[i] = cvz__handle_new(cvz__retain(cvz__array_object_at(array, i)), s->queue);
        if (!handles[i]) {
            cvz_handle_array_free(handles, i);
            cvz__fail(s, CVZ_E_NO_MEMORY, "%s: out of memory", fn_name(s));
            return NULL;
        }
    }
    if (count)
        *count = n;
    return handles;
}

/* A dictionary entry being listed: its name as UTF-8, and the key object itself. */
struct entry {
    char *name;
    id key;
};

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

void *cvz__result_dictionary(struct cvz__scope *s, id dictionary, char ***keys, size_t *count)
{
    if (!keys || !count) {
        cvz__fail(s, CVZ_E_INVALID_ARGUMENT, "%s: %s is NULL", fn_name(s), keys ? "count" : "keys");
        return NULL;
    }
    id all = dictionary ? cvz__get_object(dictionary, "allKeys") : nil;
    size_t n = all ? cvz__array_count(all) : 0, made = 0;
    struct entry *entries = calloc(n ? n : 1, sizeof *entries);
    char **names = calloc(n ? n : 1, sizeof *names);
    void **handles = calloc(n ? n : 1, sizeof *handles);
    if (!entries || !names || !handles)
        goto oom;
    for (; made < n; made++) {
        entries[made].key = cvz__array_object_at(all, made);
        const char *name = cvz__utf8(entries[made].key);
        entries[made].name = strdup(name ? name : "");
        if (!entries[made].name)
            goto oom;
    }
    /* NSDictionary has no order: sorted by name, the answer is the same each time.
     * Values are looked up with the key objects themselves, not with their text. */
    qsort(entries, n, sizeof *entries, compare_entries);
    for (size_t i = 0; i < n; i++) {
        handles[i] = cvz__handle_new(cvz__retain(cvz__dictionary_object_for(dictionary, entries[i].key)), s->queue);
        if (!handles[i]) {
            cvz_handle_array_free(handles, i);
            handles = NULL;
            goto oom;
        }
        names[i] = entries[i].name;
    }
    free(entries);
    *keys = names;
    *count = n;
    return handles;
oom:
    for (size_t i = 0; entries && i < made; i++)
        free(entries[i].name);
    free(entries);
    free(names);
    free(handles);
    cvz__fail(s, CVZ_E_NO_MEMORY, "%s: out of memory", fn_name(s));
    return NULL;
}
