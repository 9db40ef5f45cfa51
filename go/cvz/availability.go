// SPDX-License-Identifier: Apache-2.0

package cvz

/*
#include <stdlib.h>
#include <cvz/cvz.h>
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Available tells whether an API can be used here, with the reason when it
// cannot: the same check every call makes (host version, architecture,
// framework, class and selector).  api is Apple's name ("VZVirtualMachine",
// "-[VZVirtualMachine stopWithCompletionHandler:]",
// "VZVirtualMachineConfiguration.CPUCount") or the C wrapper's
// ("cvz_virtual_machine_stop").  The reason is an *Error whose Status is
// ErrOSTooOld, ErrWrongArch, ErrMissing, ErrNoFramework, ErrNotBuiltIn, or
// ErrInvalidArgument for a name that is no API.
func Available(api string) (bool, error) {
	name := C.CString(api)
	defer C.free(unsafe.Pointer(name))
	var why *C.cvz_error
	if C.cvz_api_available(name, &why) {
		return true, nil
	}
	return false, takeError(why)
}

// APINames lists every API name libcvz knows: classes first, then their members.
func APINames() []string {
	n := int(C.cvz_api_count())
	names := make([]string, n)
	for i := range names {
		names[i] = C.GoString(C.cvz_api_name(C.size_t(i)))
	}
	return names
}

// HostMacOSVersion is the macOS version libcvz believes it runs on, such as
// "15.0": the true one even under Apple's compatibility shims; on Linux, the
// simulated host's.
func HostMacOSVersion() string {
	v := int(C.cvz_host_macos_version())
	return fmt.Sprintf("%d.%d", v/100, v%100)
}

// HostArch is "arm64" or "x86_64".
func HostArch() string { return C.GoString(C.cvz_host_arch()) }

// Version is libcvz's version, "MAJOR.MINOR.MICRO".
func Version() string { return C.GoString(C.cvz_version()) }
