// SPDX-License-Identifier: Apache-2.0

// Package cgobench measures what the Go package's calls are made of: the
// same libcvz getter called from C, called from Go through a bare cgo call,
// and a cgo call of an empty C function (cgo's own floor).  Test files cannot
// use cgo, so the C side lives here; go/cvz/bench_test.go runs it.
package cgobench

/*
#include <cvz/cvz.h>

static void cvzgo_empty(void) {}

// n calls of the scalar getter, all in C: libcvz's cost without Go.
static uint64_t cvzgo_getter_loop(cvz_virtual_machine_configuration *config, long n)
{
    uint64_t sum = 0;
    for (long i = 0; i < n; i++)
        sum += cvz_virtual_machine_configuration_cpu_count(config, NULL);
    return sum;
}
*/
import "C"

import "unsafe"

// Configuration is a configuration made in C, for the C-side loops.
type Configuration struct {
	p *C.cvz_virtual_machine_configuration
}

// NewConfiguration makes one with 2 CPUs; nil if libcvz fails.
func NewConfiguration() *Configuration {
	p := C.cvz_virtual_machine_configuration_new(nil)
	if p == nil || C.cvz_virtual_machine_configuration_set_cpu_count(p, 2, nil) != 0 {
		return nil
	}
	return &Configuration{p}
}

// Release releases it.
func (c *Configuration) Release() { C.cvz_release(unsafe.Pointer(c.p)) }

// GetterLoopC calls the getter n times from C and returns the sum of the answers.
func (c *Configuration) GetterLoopC(n int) uint64 {
	return uint64(C.cvzgo_getter_loop(c.p, C.long(n)))
}

// GetterCgo is one bare cgo call of the getter (no handle, no error object).
func (c *Configuration) GetterCgo() uint64 {
	return uint64(C.cvz_virtual_machine_configuration_cpu_count(c.p, nil))
}

// Empty is a cgo call of an empty C function.
func Empty() { C.cvzgo_empty() }
