// SPDX-License-Identifier: Apache-2.0

package cvz

// The hand-written core's trampolines (a file of its own: a cgo preamble
// beside //export may only declare).

/*
#include <cvz/cvz.h>
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// cvzgoStateChanged is the cvz_virtual_machine_state_callback of ObserveState.
//
//export cvzgoStateChanged
func cvzgoStateChanged(vm *C.struct_cvz_virtual_machine, state C.int, context unsafe.Pointer) {
	callbackEnter()
	defer callbackLeave()
	cgo.Handle(uintptr(context)).Value().(func(VirtualMachineState))(VirtualMachineState(state))
}

// cvzgoDeleteHandle is the destroy function of state observers and
// delegates: libcvz calls it once, when the registration or the delegate is
// gone, with the cgo.Handle of the Go value behind it.
//
//export cvzgoDeleteHandle
func cvzgoDeleteHandle(context unsafe.Pointer) {
	cgo.Handle(uintptr(context)).Delete()
}
