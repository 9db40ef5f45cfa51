// SPDX-License-Identifier: Apache-2.0

package cvz

/*
#include <stdlib.h>
#include <cvz/cvz.h>
*/
import "C"

import (
	"reflect"
	"runtime"
	"sort"
	"sync/atomic"
	"unsafe"
)

// Object is implemented by every object of the package.
type Object interface {
	// Release gives the object's reference back to libcvz.  Calls running on
	// it finish first; later calls return ErrWrongHandle.  Releasing again
	// does nothing.
	Release()
	// Released tells whether Release was called (or the finalizer ran).
	Released() bool
	cvzHandle() *handle
}

// object is what every class's type embeds: the C handle, shared by every
// view of the object (AsXxx).
type object struct{ h *handle }

func (o *object) cvzHandle() *handle { return o.h }

// Release: see Object.
func (o *object) Release() { o.h.release() }

// Released: see Object.
func (o *object) Released() bool { return atomic.LoadInt64(&o.h.state)&releasedBit != 0 }

// handle owns one +1 reference of libcvz.  state counts the calls using the
// pointer; releasedBit marks a Release.  The reference goes back to libcvz
// exactly once: when the state becomes releasedBit with no call running.
type handle struct {
	p     unsafe.Pointer
	state int64
}

const releasedBit = int64(1) << 62

// Handles made and freed so far: the tests' measure of what is still owned.
var handlesMade, handlesFreed int64

// newHandle takes ownership of p; a finalizer releases it if the caller forgets.
func newHandle(p unsafe.Pointer) *handle {
	atomic.AddInt64(&handlesMade, 1)
	h := &handle{p: p}
	runtime.SetFinalizer(h, (*handle).release)
	return h
}

// lock pins the pointer for a call; what names the call for the error.
func (h *handle) lock(what string) (unsafe.Pointer, error) {
	for {
		s := atomic.LoadInt64(&h.state)
		if s&releasedBit != 0 {
			return nil, errReleased(what)
		}
		if atomic.CompareAndSwapInt64(&h.state, s, s+1) {
			return h.p, nil
		}
	}
}

// unlock ends a call; the last one after a Release frees.  A nil handle (a nil argument) is ignored.
func (h *handle) unlock() {
	if h != nil && atomic.AddInt64(&h.state, -1) == releasedBit {
		h.free()
	}
}

func (h *handle) release() {
	for {
		s := atomic.LoadInt64(&h.state)
		if s&releasedBit != 0 {
			return
		}
		if atomic.CompareAndSwapInt64(&h.state, s, s|releasedBit) {
			if s == 0 {
				h.free()
			}
			return
		}
	}
}

func (h *handle) free() {
	runtime.SetFinalizer(h, nil)
	C.cvz_release(h.p)
	atomic.AddInt64(&handlesFreed, 1)
}

// handleOf is o's handle, nil for a nil interface or a nil pointer in one.
func handleOf(o Object) *handle {
	if o == nil {
		return nil
	}
	if v := reflect.ValueOf(o); v.Kind() == reflect.Pointer && v.IsNil() {
		return nil
	}
	return o.cvzHandle()
}

// lockArg pins an object argument (nil stays NULL: libcvz says whether it may be).
func lockArg(o Object, name string) (*handle, unsafe.Pointer, error) {
	h := handleOf(o)
	if h == nil {
		return nil, nil, nil
	}
	p, err := h.lock("argument " + name)
	if err != nil {
		return nil, nil, err
	}
	return h, p, nil
}

// handleArray is a C array of pinned object arguments.
type handleArray struct {
	ptr     unsafe.Pointer
	count   C.size_t
	handles []*handle
}

// lockArgs pins the objects of a slice argument into a C array of their pointers.
func lockArgs[T Object](objects []T, name string) (*handleArray, error) {
	a := &handleArray{count: C.size_t(len(objects))}
	if len(objects) == 0 {
		return a, nil
	}
	a.ptr = C.calloc(C.size_t(len(objects)), C.size_t(unsafe.Sizeof(uintptr(0))))
	if a.ptr == nil {
		return nil, ErrNoMemory
	}
	cells := unsafe.Slice((*unsafe.Pointer)(a.ptr), len(objects))
	for i, o := range objects {
		h, p, err := lockArg(o, name)
		if err != nil {
			a.unlock()
			return nil, err
		}
		a.handles = append(a.handles, h)
		cells[i] = p
	}
	return a, nil
}

func (a *handleArray) unlock() {
	for _, h := range a.handles {
		h.unlock()
	}
	C.free(a.ptr)
}

// retainPointer is a new reference to an object libcvz lends (a callback's argument).
func retainPointer(p unsafe.Pointer) unsafe.Pointer {
	return C.cvz_retain(p)
}

// handleMap is a dictionary argument: C arrays of names and of pinned handles, in the same order.
type handleMap struct {
	handleArray
	keys unsafe.Pointer
}

// lockArgMap pins the objects of a map argument, in the order of its sorted names.
func lockArgMap[T Object](objects map[string]T, name string) (*handleMap, error) {
	names := make([]string, 0, len(objects))
	for k := range objects {
		names = append(names, k)
	}
	sort.Strings(names)
	values := make([]T, len(names))
	for i, k := range names {
		values[i] = objects[k]
	}
	a, err := lockArgs(values, name)
	if err != nil {
		return nil, err
	}
	m := &handleMap{handleArray: *a}
	if len(names) > 0 {
		m.keys = C.calloc(C.size_t(len(names)), C.size_t(unsafe.Sizeof(uintptr(0))))
		if m.keys == nil {
			a.unlock()
			return nil, ErrNoMemory
		}
		cells := unsafe.Slice((**C.char)(m.keys), len(names))
		for i, k := range names {
			cells[i] = C.CString(k)
		}
	}
	return m, nil
}

func (m *handleMap) unlock() {
	if m.keys != nil {
		for _, k := range unsafe.Slice((**C.char)(m.keys), int(m.count)) {
			C.free(unsafe.Pointer(k))
		}
		C.free(m.keys)
	}
	m.handleArray.unlock()
}
