// SPDX-License-Identifier: Apache-2.0

package cvz

/*
#include <cvz/cvz.h>

extern void cvzgoStateChanged(struct cvz_virtual_machine *, int, void *);
extern void cvzgoDeleteHandle(void *);

static unsigned long cvzgo_observe_state(struct cvz_virtual_machine *vm, uintptr_t fn, cvz_error **error)
{
    return cvz_virtual_machine_observe_state(vm, cvzgoStateChanged, (void *)fn, cvzgoDeleteHandle, error);
}
*/
import "C"

import (
	"context"
	"runtime/cgo"
	"sync"
)

// ObserveState calls fn with each new state of the machine, in order, from
// the machine's queue (cvz_virtual_machine_observe_state): every change after
// ObserveState returns, none before (State tells the one it starts from).  fn
// must not wait for the machine (its Wait and context variants return
// ErrWrongThread there).  stop ends the registration: when it returns, fn is
// not running and will not run again.  Releasing the machine ends it too.
func (x *VirtualMachine) ObserveState(fn func(VirtualMachineState)) (stop func() error, err error) {
	const api = "cvz_virtual_machine_observe_state"
	if x == nil {
		return nil, errNilReceiver(api)
	}
	xh := x.cvzHandle()
	self, err := xh.lock(api)
	if err != nil {
		return nil, err
	}
	defer xh.unlock()
	fnHandle := cgo.NewHandle(fn)
	var cErr *C.cvz_error
	id := C.cvzgo_observe_state((*C.struct_cvz_virtual_machine)(self), C.uintptr_t(fnHandle), &cErr)
	if cErr != nil {
		fnHandle.Delete() /* on failure libcvz never calls the destroy function */
		return nil, takeError(cErr)
	}
	var once sync.Once
	return func() error {
		var stopErr error
		once.Do(func() {
			p, err := xh.lock(api)
			if err != nil {
				return /* released: the registration ended with the machine */
			}
			defer xh.unlock()
			var cErr *C.cvz_error
			if C.cvz_virtual_machine_unobserve_state((*C.struct_cvz_virtual_machine)(p), id, &cErr) != 0 {
				stopErr = takeError(cErr)
			}
		})
		return stopErr
	}, nil
}

// StateChanges delivers the machine's new states on a channel until ctx ends
// (then the channel is closed).  The machine's queue never waits for the
// reader: states queue up in between, none is lost.
func (x *VirtualMachine) StateChanges(ctx context.Context) (<-chan VirtualMachineState, error) {
	var mu sync.Mutex
	var queued []VirtualMachineState
	wake := make(chan struct{}, 1)
	stop, err := x.ObserveState(func(s VirtualMachineState) {
		mu.Lock()
		queued = append(queued, s)
		mu.Unlock()
		select {
		case wake <- struct{}{}:
		default:
		}
	})
	if err != nil {
		return nil, err
	}
	out := make(chan VirtualMachineState)
	go func() {
		defer close(out)
		defer stop() //nolint:errcheck // the machine may be gone: nothing to report to anyone
		for {
			mu.Lock()
			pending := queued
			queued = nil
			mu.Unlock()
			for _, s := range pending {
				select {
				case out <- s:
				case <-ctx.Done():
					return
				}
			}
			select {
			case <-wake:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}
