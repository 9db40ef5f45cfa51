// SPDX-License-Identifier: Apache-2.0

package cvz

// The state observer's trampolines (a file of its own: a cgo preamble beside
// //export may only declare).

/*
#include <cvz/cvz.h>
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

//export cvzgoStateChanged
func cvzgoStateChanged(vm *C.struct_cvz_virtual_machine, state C.int, context unsafe.Pointer) {
	cgo.Handle(uintptr(context)).Value().(func(VirtualMachineState))(VirtualMachineState(state))
}

//export cvzgoStateObserverGone
func cvzgoStateObserverGone(context unsafe.Pointer) {
	cgo.Handle(uintptr(context)).Delete()
}
