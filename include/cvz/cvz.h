/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cvz.h - C bindings for Apple's Virtualization.framework.
 *
 * Include this one header.  It declares the hand-written core (errors, handle
 * ownership, versions) and, through <cvz/cvz-api.h>, one wrapper per callable
 * item of the framework, generated from api/Virtualization.xml: the types in
 * <cvz/cvz-types.h>, the API names in <cvz/cvz-names.h>, and the functions in
 * one header per area (<cvz/vm.h>, <cvz/storage.h>, <cvz/network.h>, …; the
 * list heads <cvz/cvz-api.h>).
 *
 * CONVENTIONS (every generated function follows them)
 *
 *   Names      VZVirtualMachineConfiguration  → cvz_virtual_machine_configuration
 *              property CPUCount              → ..._cpu_count() / ..._set_cpu_count()
 *              -initWithURL:readOnly:error:   → ..._new_with_url_read_only()
 *              -startWithCompletionHandler:   → ..._start() and ..._start_and_wait()
 *              enum VZVirtualMachineState     → enum cvz_virtual_machine_state (no
 *                                               typedef: the getter cvz_virtual_machine_state()
 *                                               shares the name)
 *              enum values                    → CVZ_VIRTUAL_MACHINE_STATE_RUNNING
 *              protocol VZVirtualMachineDelegate → struct cvz_virtual_machine_delegate,
 *                                               made from C callbacks by
 *                                               cvz_virtual_machine_delegate_new()
 *
 *   Errors     Every function takes a trailing `cvz_error **error`, which may be
 *              NULL.  On failure *error receives a new error the caller frees
 *              with cvz_error_free(); on success it is left untouched.
 *              Functions returning a handle or string return NULL on failure;
 *              actions and setters return 0 or a negative cvz_status; scalar
 *              getters return the value, or 0/false on failure.  A nullable
 *              getter returns NULL without setting *error when the value is nil.
 *
 *   Ownership  Every handle a function returns is owned by the caller and is
 *              released with cvz_release().  Arguments are borrowed: the
 *              library retains what it keeps.  Returned strings and arrays are
 *              freed with cvz_free() / cvz_handle_array_free() /
 *              cvz_string_array_free() / cvz_bytes_array_free().  File
 *              descriptors passed in are duplicated; the caller keeps its own.
 *
 *   Handles    Each class has its own opaque handle type.  A handle may be used
 *              wherever one of its superclasses is expected through the
 *              generated up-casts (cvz_linux_boot_loader_as_boot_loader()); a
 *              handle known to be of a subclass may simply be cast, since every
 *              wrapper checks the object's class at run time.
 *              Passing NULL, a released handle or a handle of the wrong class
 *              gives CVZ_E_INVALID_ARGUMENT / CVZ_E_WRONG_HANDLE, not a crash.
 *
 *   Availability  Before calling the framework every wrapper checks, once per
 *              item and thread-safely: the host's macOS version, its
 *              architecture, and that the class and selector really exist in
 *              the loaded framework.  Each failure has its own status.
 *
 *   Exceptions An Objective-C exception raised by the framework becomes a
 *              CVZ_E_EXCEPTION error carrying the exception's name and reason;
 *              it never unwinds through your code.
 *
 * THE FRAMEWORK ON LINUX
 *
 *   Off Apple platforms the library loads a simulated Virtualization.framework
 *   from $CVZ_FRAMEWORK_PATH (default: the path the library was built with)
 *   and takes the host's macOS version and architecture from
 *   $CVZ_SIM_MACOS_VERSION (default 27.0) and $CVZ_SIM_ARCH (default arm64).
 */
#ifndef CVZ_CVZ_H
#define CVZ_CVZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * CVZ_EXTERN marks every function libcvz exports.  The library is built with
 * -fvisibility=hidden, so these declarations are exactly its exported set, in
 * an ELF library and in a Mach-O dylib alike.
 */
#if defined(__GNUC__) || defined(__clang__)
#define CVZ_EXTERN __attribute__((visibility("default"))) extern
#else
#define CVZ_EXTERN extern
#endif

/*
 * Attributes the generated declarations use (see "compile-time availability"
 * in cvz-api.h).  An API newer than CVZ_VERSION_MIN_REQUIRED warns as
 * deprecated on every compiler.  Not with clang's availability attribute on
 * Apple targets: that compares with the deployment target rather than with
 * CVZ_VERSION_MIN_REQUIRED, cvz_api_available() cannot silence it, and it
 * makes callers weak-import symbols that libcvz always exports (a wrapper
 * answers CVZ_E_OS_TOO_OLD at run time instead).
 */
#if defined(CVZ__BUILDING_LIBRARY)
#define CVZ__NEWER_THAN_MIN(message) /* the library itself guards at run time */
#elif defined(__GNUC__) || defined(__clang__)
#define CVZ__NEWER_THAN_MIN(message) __attribute__((deprecated(message)))
#else
#define CVZ__NEWER_THAN_MIN(message)
#endif
#if defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 12)
#define CVZ__UNAVAILABLE(message) __attribute__((unavailable(message)))
#elif defined(__GNUC__)
#define CVZ__UNAVAILABLE(message) __attribute__((error(message)))
#else
#define CVZ__UNAVAILABLE(message)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version of these headers. */
#define CVZ_VERSION_MAJOR 0
#define CVZ_VERSION_MINOR 1
#define CVZ_VERSION_MICRO 0
#define CVZ_VERSION_NUMBER (CVZ_VERSION_MAJOR * 10000 + CVZ_VERSION_MINOR * 100 + CVZ_VERSION_MICRO)

/* True at compile time when these headers are at least version major.minor.micro. */
#define CVZ_CHECK_VERSION(major, minor, micro) \
    (CVZ_VERSION_NUMBER >= (major) * 10000 + (minor) * 100 + (micro))

/**
 * cvz_version:
 * Returns: the library's version as "MAJOR.MINOR.MICRO" (static storage).
 */
CVZ_EXTERN const char *cvz_version(void);

/** cvz_version_number: the library's version as CVZ_VERSION_NUMBER encodes it. */
CVZ_EXTERN int cvz_version_number(void);

/**
 * cvz_check_version:
 * Detects a header/library mismatch at run time (GLib's glib_check_version):
 * pass the CVZ_VERSION_* macros of the headers you compiled with.
 * Returns: NULL when the loaded library is compatible (same major version, and
 * at least as new), otherwise a static one-line explanation.
 */
CVZ_EXTERN const char *cvz_check_version(int major, int minor, int micro);

/**
 * cvz_status:
 * What went wrong.  0 is success; every failure is negative.
 */
typedef enum cvz_status {
    CVZ_OK = 0,
    CVZ_E_INVALID_ARGUMENT = -1,  /* NULL where a value is required, malformed text, bad fd */
    CVZ_E_WRONG_HANDLE = -2,      /* a handle of another class, or not a live cvz handle */
    CVZ_E_OS_TOO_OLD = -3,        /* the host's macOS predates the API */
    CVZ_E_WRONG_ARCH = -4,        /* the API exists on another architecture only */
    CVZ_E_MISSING = -5,           /* the class or selector is absent from the loaded framework */
    CVZ_E_NO_FRAMEWORK = -6,      /* Virtualization.framework cannot be loaded */
    CVZ_E_FRAMEWORK = -7,         /* the framework reported an NSError */
    CVZ_E_EXCEPTION = -8,         /* the framework raised an Objective-C exception */
    CVZ_E_TIMEOUT = -9,           /* a blocking call's completion did not arrive in time */
    CVZ_E_NO_MEMORY = -10,        /* an allocation failed */
    CVZ_E_SYSTEM = -11,           /* a system call failed (errno in the message) */
    CVZ_E_DROPPED = -12,          /* the framework released a completion handler without calling it */
    CVZ_E_NOT_BUILT_IN = -13,     /* the API is newer than the cut-off this library was built with */
    CVZ_E_WRONG_THREAD = -14      /* a blocking call made from a callback, which would wait for itself */
} cvz_status;

/* CGSize / NSSize, with the same layout (two doubles on every 64-bit Apple target). */
typedef struct cvz_size {
    double width;
    double height;
} cvz_size;

/* ether_addr_t: a MAC address as its six bytes, in network order ("12:34:…" is octet[0] = 0x12). */
typedef struct cvz_ether_address {
    uint8_t octet[6];
} cvz_ether_address;

/* NSOperatingSystemVersion, with the same layout: a macOS version such as 15.4.1. */
typedef struct cvz_os_version {
    int64_t major;
    int64_t minor;
    int64_t patch;
} cvz_os_version;

/* Bytes the library copied out of an NSData (one element of an NSArray<NSData *> result). */
typedef struct cvz_bytes {
    void *data;    /* a copy, owned by the array: freed by cvz_bytes_array_free() */
    size_t length; /* in bytes */
} cvz_bytes;

/* An error: a status, a one-line message and, for framework errors, the NSError's details. */
typedef struct cvz_error cvz_error;

/** cvz_error_free: frees an error; NULL is ignored. */
CVZ_EXTERN void cvz_error_free(cvz_error *error);

/** cvz_error_status: the error's cvz_status (CVZ_E_INVALID_ARGUMENT for a NULL error). */
CVZ_EXTERN cvz_status cvz_error_status(const cvz_error *error);

/**
 * cvz_error_message:
 * Returns: one line saying what was wrong and where, e.g.
 * "-[VZVirtualMachine stopWithCompletionHandler:] requires macOS 12.0; this host runs 11.0".
 * Owned by the error.
 */
CVZ_EXTERN const char *cvz_error_message(const cvz_error *error);

/* For CVZ_E_FRAMEWORK errors, the NSError's domain (e.g. "VZErrorDomain") and code; "" / 0 otherwise. */
CVZ_EXTERN const char *cvz_error_ns_domain(const cvz_error *error);
CVZ_EXTERN long cvz_error_ns_code(const cvz_error *error);
/* The NSError's localized description and failure reason; "" when absent. */
CVZ_EXTERN const char *cvz_error_description(const cvz_error *error);
CVZ_EXTERN const char *cvz_error_failure_reason(const cvz_error *error);
/* For CVZ_E_EXCEPTION errors, the exception's name and reason; "" otherwise. */
CVZ_EXTERN const char *cvz_error_exception_name(const cvz_error *error);
CVZ_EXTERN const char *cvz_error_exception_reason(const cvz_error *error);

/**
 * cvz_status_name:
 * Returns: the status's name, e.g. "CVZ_E_OS_TOO_OLD" (static storage).
 */
CVZ_EXTERN const char *cvz_status_name(cvz_status status);

/**
 * cvz_release:
 * Releases a handle returned by any cvz function.  NULL is ignored.  Releasing
 * a handle twice is a bug; the library detects it while the memory has not
 * been reused and reports it on stderr instead of crashing.
 */
CVZ_EXTERN void cvz_release(void *handle);

/**
 * cvz_retain:
 * Returns: a new handle to the same object, released separately with
 * cvz_release(); NULL when @handle is NULL or not a live handle.  Use it to
 * keep an object a callback lends you.
 */
CVZ_EXTERN void *cvz_retain(const void *handle);

/** cvz_free: frees a string returned by the library.  NULL is ignored. */
CVZ_EXTERN void cvz_free(void *memory);

/**
 * cvz_handle_array_free:
 * Releases the `count` handles of an array returned by a getter, then the array.
 */
CVZ_EXTERN void cvz_handle_array_free(void *handles, size_t count);

/**
 * cvz_string_array_free:
 * Frees the `count` strings of an array returned by the library (the names of
 * a dictionary result, such as cvz_multiple_directory_share_directories()'s),
 * then the array.  NULL is ignored.
 */
CVZ_EXTERN void cvz_string_array_free(char **strings, size_t count);

/**
 * cvz_bytes_array_free:
 * Frees the `count` buffers of a cvz_bytes array returned by the library (an
 * NSArray<NSData *> result, such as cvz_virtio_queue_element_read_buffers()'s),
 * then the array.  NULL is ignored.
 */
CVZ_EXTERN void cvz_bytes_array_free(cvz_bytes *buffers, size_t count);

/*
 * PROGRESS
 *
 * Long work of the framework (installing macOS: cvz_mac_os_installer_progress())
 * reports its progress through a Foundation NSProgress; libcvz hands it out
 * as a cvz_progress handle, released with cvz_release().  Poll it from any
 * thread: the framework updates it as the work goes on.  Every function takes
 * a trailing cvz_error ** (may be NULL) and fails with CVZ_E_INVALID_ARGUMENT
 * or CVZ_E_WRONG_HANDLE on a NULL, released or foreign handle.
 */
typedef struct cvz_progress cvz_progress;

/** cvz_progress_fraction_completed: from 0.0 to 1.0; 0.0 on failure (error set). */
CVZ_EXTERN double cvz_progress_fraction_completed(const cvz_progress *progress, cvz_error **error);
/** cvz_progress_completed_unit_count: work done so far, in the progress's units; 0 on failure. */
CVZ_EXTERN int64_t cvz_progress_completed_unit_count(const cvz_progress *progress, cvz_error **error);
/** cvz_progress_total_unit_count: the whole work in those units (-1 or 0 while unknown); 0 on failure. */
CVZ_EXTERN int64_t cvz_progress_total_unit_count(const cvz_progress *progress, cvz_error **error);
/** cvz_progress_finished: whether the work is complete; false on failure (error set). */
CVZ_EXTERN bool cvz_progress_finished(const cvz_progress *progress, cvz_error **error);
/** cvz_progress_cancel: asks the work to stop (its completion then reports the cancellation); 0 or a status. */
CVZ_EXTERN int cvz_progress_cancel(cvz_progress *progress, cvz_error **error);

/**
 * cvz_host_macos_version:
 * The macOS version the library believes it runs on, as major*100+minor
 * (12.3 → 1203): the true one, also where macOS answers a compatibility
 * version (10.16, or 16.x on macOS 26) to old programs; on Linux, the
 * simulated host's.
 */
CVZ_EXTERN int cvz_host_macos_version(void);

/** cvz_host_arch: "arm64" or "x86_64" (static storage). */
CVZ_EXTERN const char *cvz_host_arch(void);

/*
 * AVAILABILITY QUERIES
 *
 * API names are Apple's: "VZVirtualMachine" (a class),
 * "-[VZVirtualMachine stopWithCompletionHandler:]" (a method),
 * "VZVirtualMachine.canStop" (a property).  <cvz/cvz-names.h> defines one
 * constant per name (CVZ_CLASS_VIRTUAL_MACHINE, CVZ_API_VIRTUAL_MACHINE_STOP);
 * a wrapper's C name ("cvz_virtual_machine_stop") is accepted as well.
 */

/**
 * cvz_api_available:
 * Whether an API can be used here: the same check the wrappers make (host
 * version, architecture, framework, class and selector), cached.
 * @why: (out, optional): when the answer is false, receives the reason (status
 *   CVZ_E_OS_TOO_OLD, CVZ_E_WRONG_ARCH, CVZ_E_MISSING, CVZ_E_NO_FRAMEWORK,
 *   CVZ_E_NOT_BUILT_IN, or CVZ_E_INVALID_ARGUMENT for an unknown name).
 */
CVZ_EXTERN bool cvz_api_available(const char *name, cvz_error **why);

/** cvz_api_count: how many API names the library knows (classes first, then members). */
CVZ_EXTERN size_t cvz_api_count(void);

/** cvz_api_name: the index-th API name (static storage); NULL past the end. */
CVZ_EXTERN const char *cvz_api_name(size_t index);

/** cvz_api_introduced: the macOS version that introduced the named API (major*100+minor); 0 if unknown. */
CVZ_EXTERN int cvz_api_introduced(const char *name);


/*
 * STATE OBSERVERS
 *
 * The machine's state changes (starting, running, paused, stopped, error…)
 * reach a C callback as they happen, without polling and without missing
 * one: libcvz observes VZVirtualMachine.state (key-value observable) for you.
 * (Declared with the struct tag and int, before <cvz/cvz-api.h> defines its
 * types: a struct cvz_virtual_machine * is a cvz_virtual_machine *.)
 */
struct cvz_virtual_machine;

/**
 * cvz_virtual_machine_state_callback:
 * @vm: (transfer none): the machine, lent for the call (cvz_retain() it to
 *   keep it); NULL only when the library ran out of memory making the loan
 * @state: the machine's new state, an enum cvz_virtual_machine_state value
 * @context: the context given to cvz_virtual_machine_observe_state()
 *
 * Runs on the machine's queue, right after the change, once per change, in
 * the order of the changes.  It may call any non-blocking cvz function,
 * including cvz_virtual_machine_unobserve_state() (of itself too);
 * blocking variants (..._and_wait) fail with CVZ_E_WRONG_THREAD there.
 */
typedef void (*cvz_virtual_machine_state_callback)(struct cvz_virtual_machine *vm, int state, void *context);

/**
 * cvz_virtual_machine_observe_state:
 * @vm: the machine; the registration belongs to this handle
 * @callback: called for each change of the state from now on
 * @context: (nullable): passed to @callback and @destroy
 * @destroy: (nullable): called once with @context when the registration is
 *   gone: removed by cvz_virtual_machine_unobserve_state(), or by cvz_release()
 *   of @vm; after any running @callback has returned, never before
 *
 * Registers @callback (GLib's g_signal_connect() is the model).  The
 * registration is made on the machine's queue, between two changes: every
 * change after it is reported, none before (cvz_virtual_machine_state() tells
 * the state it starts from).  The registration lasts until
 * cvz_virtual_machine_unobserve_state() or cvz_release(@vm), whichever comes
 * first; after either returns, @callback is not called again.  A handle lent
 * to a callback is released when the callback returns: cvz_retain() it first
 * to observe through it.  The same callback may be registered several times
 * (each call is one registration).
 *
 * Returns: the registration's id (never 0), or 0 with *error set
 *   (CVZ_E_INVALID_ARGUMENT for a NULL @vm or @callback, CVZ_E_WRONG_HANDLE,
 *   the availability statuses, CVZ_E_EXCEPTION).  On failure @destroy is not
 *   called: @context stays the caller's.
 */
CVZ_EXTERN unsigned long cvz_virtual_machine_observe_state(struct cvz_virtual_machine *vm,
                                                           cvz_virtual_machine_state_callback callback,
                                                           void *context, void (*destroy)(void *context),
                                                           cvz_error **error);

/**
 * cvz_virtual_machine_unobserve_state:
 * @vm: a handle to the machine the registration was made on: the one given
 *   to cvz_virtual_machine_observe_state(), another (cvz_retain()), or the
 *   one lent to the callback
 * @observer: the id cvz_virtual_machine_observe_state() returned
 *
 * Removes the registration: when this returns, its callback is not running
 * (unless this is called from that callback) and will not be called again;
 * its destroy function has run, or runs as that callback returns.
 *
 * Returns: 0, or CVZ_E_INVALID_ARGUMENT when @observer is not registered
 *   on @vm's machine (never was, or was removed already), CVZ_E_WRONG_HANDLE for a
 *   released or foreign handle, CVZ_E_EXCEPTION when the framework raised while
 *   removing it (it is removed from libcvz all the same: no call, destroy once).
 */
CVZ_EXTERN int cvz_virtual_machine_unobserve_state(struct cvz_virtual_machine *vm, unsigned long observer,
                                                   cvz_error **error);

#ifdef __cplusplus
}
#endif

#include <cvz/cvz-api.h>

#endif
