/* SPDX-License-Identifier: Apache-2.0 */
/*
 * naming.h - Apple names to cvz C names, in one place.
 *
 *   VZVirtualMachineConfiguration   → cvz_virtual_machine_configuration
 *   CPUCount                        → cpu_count
 *   -initWithURL:readOnly:error:    → new_with_url_read_only
 *   -startWithCompletionHandler:    → start
 *   VZVirtualMachineStateStopped    → CVZ_VIRTUAL_MACHINE_STATE_STOPPED
 *
 * Words split at case changes; runs of capitals are one acronym (CPU, URL,
 * MAC, NAT, USB, EFI, UUID, SPICE…), and a table keeps mixed-case words whole
 * (macOS, NVMe, IPv4).  The XML's cname attribute overrides the result.
 */
#ifndef CVZGEN_NAMING_H
#define CVZGEN_NAMING_H

#include "model.h"

/* "CPUCount" → "cpu_count"; the caller frees. */
char *snake_case(const char *identifier);
/* "VZVirtualMachine" → "virtual_machine" (the framework prefix removed). */
char *class_stem(const char *class_name);
/* The class's C type and function prefix: "cvz_virtual_machine". */
char *class_cname(const struct class_decl *c);
/* Enum type name "cvz_virtual_machine_state" and value "CVZ_VIRTUAL_MACHINE_STATE_STOPPED". */
char *enum_cname(const struct enum_decl *e);
char *enum_value_cname(const char *value_name);
/* Function name suffix for a method: "new_with_url_read_only", "start", "validate". */
char *method_stem(const struct method *m);
/* True for a C11, C23 or C++ keyword (or a standard macro spelling one): no C parameter may be named so. */
bool is_c_keyword(const char *name);
/* C callback type for a block signature: "cvz_error_callback". */
char *callback_cname(const struct block_sig *b);
/* A protocol's C name: VZFooDelegate → "cvz_foo_delegate" (struct cvz_foo_delegate). */
char *protocol_cname(const char *protocol_name);
/* The function answering a string constant: VZFooErrorDomain → "cvz_foo_error_domain". */
char *constant_cname(const char *constant_name);
/* A property's accessors: "cvz_foo_cpu_count", "cvz_foo_set_cpu_count" (the XML's cname replaces the stem). */
char *property_getter_cname(const char *container_cname, const struct property *p);
char *property_setter_cname(const char *container_cname, const struct property *p);
/* The up-cast of a class's handle to a superclass's: "cvz_foo_as_bar". */
char *upcast_cname(const char *class_cname, const struct class_decl *superclass);
/* A method's wrapper: "cvz_foo_new_with_url_read_only" (class C name + method_stem). */
char *method_cname(const char *class_cname, const struct method *m);
/* The constructor of a class (+new, from -init) or of a delegate: "cvz_foo_new". */
char *new_cname(const char *cname);
/* The Objective-C class libcvz registers to implement a delegate protocol: VZFooDelegate → "CVZFooDelegate". */
char *delegate_class_name(const char *protocol_name);
/* The blocking variant of a function taking a completion handler: "cvz_foo_start_and_wait". */
char *wait_cname(const char *function_cname);
/* Name macros: "CVZ_API_FOO_START" for cvz_foo_start, "CVZ_CLASS_FOO" for cvz_foo. */
char *api_macro(const char *function_cname);
char *class_macro(const char *class_cname);
/*
 * The generated constants naming an item's and a class's place in the
 * library's tables ("CVZ__ITEM_ID_FOO_START", "CVZ__CLASS_ID_FOO"): generated
 * code refers to entries by them, never by position, so adding an item
 * changes only its own lines.
 */
char *item_id(const char *function_cname);
char *class_id(const char *class_cname);
/* The core's socket-type constant for an overrides' socket kind: "datagram" → "CVZ__SOCKET_DATAGRAM". */
char *socket_kind_macro(const char *socket_kind);
/* A C parameter's name for an argument: snake case, kept clear of the wrappers' own locals ("count_arg"). */
char *param_name(const char *objc_name);

#endif
