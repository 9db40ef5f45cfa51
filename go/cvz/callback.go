// SPDX-License-Identifier: Apache-2.0

package cvz

/*
#include <stdint.h>
*/
import "C"

import (
	"context"
	"runtime/cgo"
	"unsafe"
)

// newCallback makes a Go func a completion handler's context: a cgo.Handle
// that the trampoline (callbacks_gen.go) takes back exactly once.
func newCallback(f any) C.uintptr_t { return C.uintptr_t(cgo.NewHandle(f)) }

// dropCallback deletes a context whose operation did not start (libcvz then never calls).
func dropCallback(h C.uintptr_t) { cgo.Handle(h).Delete() }

// takeCallback is the func behind a context, which it deletes: a second call would panic, not run twice.
func takeCallback(context unsafe.Pointer) any {
	h := cgo.Handle(uintptr(context))
	f := h.Value()
	h.Delete()
	return f
}

// await starts an operation and waits for its completion or for ctx to end.
// A ctx that has ended already starts nothing.
func await(ctx context.Context, start func(done func(error)) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	result := make(chan error, 1)
	if err := start(func(err error) { result <- err }); err != nil {
		return err
	}
	select {
	case err := <-result:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// awaitValue is await for a completion that delivers an object.  When ctx
// ends first, the object that may still come is left to its finalizer.
func awaitValue[T any](ctx context.Context, start func(done func(*T, error)) error) (*T, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	result := make(chan outcome[T], 1)
	if err := start(func(v *T, err error) { result <- outcome[T]{v, err} }); err != nil {
		return nil, err
	}
	select {
	case r := <-result:
		return r.value, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// outcome is what a completion delivered.
type outcome[T any] struct {
	value *T
	err   error
}
