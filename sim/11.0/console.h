/* SPDX-License-Identifier: Apache-2.0 */
/*
 * console.h - the guest's console (console.m), and the attachments it
 * reads and writes, as the configuration has them (devices.m).
 */
#ifndef CVZ_SIM_11_0_CONSOLE_H
#define CVZ_SIM_11_0_CONSOLE_H

#import "11.0/machine.h"

/* Every serial port and console port attachment of `config` (autoreleased). */
NSArray *vzsim_console_attachments(VZVirtualMachineConfiguration *config);
/* An attachment's writing / reading descriptor, or -1 (a file attachment has no reading side). */
int vzsim_console_output_fd(id attachment);
int vzsim_console_input_fd(id attachment);

/* The machine's console (+1): its own duplicates of every serial port and console port
 * attachment's descriptors; nil when no attachment has one. */
CVZSimGuestConsole *vzsim_console_new(VZVirtualMachine *vm);
/* The guest writes `bytes` to every port with a writing side (nil is ignored). */
void vzsim_console_print(CVZSimGuestConsole *console, const char *bytes, size_t length);
/* The guest runs: the reader starts, once, when a port has a reading side (nil is ignored). */
void vzsim_console_start(CVZSimGuestConsole *console);
/* From the machine's -dealloc: ends the reader, waits for it, releases the console (nil is ignored). */
void vzsim_console_end(CVZSimGuestConsole *console);
/* For -[VZVirtualMachine release]: the console's lock, and, with it held,
 * forgetting the machine whose last reference is going. */
void vzsim_console_lock(CVZSimGuestConsole *console);
void vzsim_console_unlock(CVZSimGuestConsole *console);
void vzsim_console_forget_machine(CVZSimGuestConsole *console);

#endif /* CVZ_SIM_11_0_CONSOLE_H */
