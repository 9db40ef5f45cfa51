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

#endif
