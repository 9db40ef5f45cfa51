// SPDX-License-Identifier: Apache-2.0

package cvz

/*
#include <stdbool.h>
#include <stdint.h>

// How deep this thread is in the package's trampolines (see callbackEnter).
static _Thread_local int cvzgo_callback_depth;

static void cvzgo_callback_enter(void) { cvzgo_callback_depth++; }
static void cvzgo_callback_leave(void) { cvzgo_callback_depth--; }
static bool cvzgo_in_callback(void) { return cvzgo_callback_depth > 0; }
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

// callbackEnter and callbackLeave frame every trampoline calling Go code
// from libcvz's threads.  A goroutine running a cgo callback stays on the C
// thread that made it, so a thread-local mark tells await that its caller
// is a callback: waiting on another goroutine would then wait for the
// thread it blocks (libcvz's own blocking variants see their callers'
// threads, and answer ErrWrongThread).
func callbackEnter() { C.cvzgo_callback_enter() }

func callbackLeave() { C.cvzgo_callback_leave() }

// await runs wait (a blocking variant without a timeout) until it returns
// or ctx ends.  An ended ctx runs nothing.  A ctx that can never end, or a
// caller inside a callback, waits on this goroutine (in a callback, libcvz
// answers ErrWrongThread at once).  Otherwise wait runs on a goroutine of
// its own, which ends when the completion arrives (libcvz delivers every
// one, at worst as ErrDropped).
func await(ctx context.Context, wait func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if ctx.Done() == nil || C.cvzgo_in_callback() {
		return wait()
	}
	result := make(chan error, 1)
	go func() { result <- wait() }()
	select {
	case err := <-result:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// awaitValue is await for a completion that delivers an object.  When ctx
// ends first, the object that may still come is left to its finalizer.
func awaitValue[T any](ctx context.Context, wait func() (*T, error)) (*T, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if ctx.Done() == nil || C.cvzgo_in_callback() {
		return wait()
	}
	result := make(chan outcome[T], 1)
	go func() {
		v, err := wait()
		result <- outcome[T]{v, err}
	}()
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
