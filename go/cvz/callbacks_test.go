// SPDX-License-Identifier: Apache-2.0

package cvz

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// Every completion handler runs exactly once, from the framework's threads,
// while other goroutines use the machine (run under -race by make check-go).
// A second run would find its cgo.Handle deleted and panic.
func TestCallbacksExactlyOnce(t *testing.T) {
	v := newLinuxVM(t)
	vm, err := NewVirtualMachine(v.config)
	must(t, err, "virtual machine")
	defer vm.Release()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	states, err := vm.StateChanges(ctx)
	must(t, err, "state changes")

	var readers sync.WaitGroup
	stopReading := make(chan struct{})
	for i := 0; i < 4; i++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stopReading:
					return
				default:
				}
				if _, err := vm.State(); err != nil {
					t.Error(err)
					return
				}
				if _, err := vm.CanStart(); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}

	const rounds = 20
	calls := make([]int32, 2*rounds)
	for i := 0; i < rounds; i++ {
		for j, op := range []func(func(error)) error{vm.StartAsync, vm.StopAsync} {
			n := &calls[2*i+j]
			done := make(chan error, 2)
			must(t, op(func(err error) { atomic.AddInt32(n, 1); done <- err }), "starting an operation")
			must(t, <-done, "an operation's completion")
			want := VirtualMachineStateRunning
			if j == 1 {
				want = VirtualMachineStateStopped
			}
			waitState(t, states, want)
		}
	}
	/* A start the framework refuses: its handler still runs once, with the error. */
	refused := make(chan error, 2)
	var refusedCalls int32
	if err := vm.StopAsync(func(err error) { atomic.AddInt32(&refusedCalls, 1); refused <- err }); err == nil {
		if err := <-refused; err == nil {
			t.Fatal("stopping a stopped machine succeeded")
		}
	}
	close(stopReading)
	readers.Wait()
	vm.Release() /* after this no handler of the machine runs again */
	for i := range calls {
		if n := atomic.LoadInt32(&calls[i]); n != 1 {
			t.Fatalf("operation %d: its handler ran %d times", i, n)
		}
	}
	if n := atomic.LoadInt32(&refusedCalls); n > 1 {
		t.Fatalf("the refused stop's handler ran %d times", n)
	}
}

// A state observer runs once per change until it is stopped, then never.
func TestObserveStateStops(t *testing.T) {
	v := newLinuxVM(t)
	vm, err := NewVirtualMachine(v.config)
	must(t, err, "virtual machine")
	defer vm.Release()
	var mu sync.Mutex
	var seen []VirtualMachineState
	stop, err := vm.ObserveState(func(s VirtualMachineState) {
		mu.Lock()
		seen = append(seen, s)
		mu.Unlock()
	})
	must(t, err, "observe")
	must(t, vm.StartWait(waitLimit), "start")
	must(t, vm.StopWait(waitLimit), "stop")
	must(t, stop(), "unobserve")
	mu.Lock()
	n := len(seen)
	got := append([]VirtualMachineState(nil), seen...)
	mu.Unlock()
	if n == 0 || got[n-1] != VirtualMachineStateStopped {
		t.Fatalf("observed %v, want a sequence ending in Stopped", got)
	}
	must(t, vm.StartWait(waitLimit), "start again")
	must(t, vm.StopWait(waitLimit), "stop again")
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != n {
		t.Fatalf("the observer ran after stop: %v", seen[n:])
	}
}

// Waiting from a callback would wait for itself: ErrWrongThread, at once, also through a context.
func TestBlockingFromCallback(t *testing.T) {
	v := newLinuxVM(t)
	vm, err := NewVirtualMachine(v.config)
	must(t, err, "virtual machine")
	defer vm.Release()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	answers := make(chan error, 4)
	stop, err := vm.ObserveState(func(s VirtualMachineState) {
		if s == VirtualMachineStateRunning {
			answers <- vm.Stop(ctx)
			answers <- vm.StopWait(waitLimit)
		}
	})
	must(t, err, "observe")
	defer stop()
	must(t, vm.StartWait(waitLimit), "start")
	for i := 0; i < 2; i++ {
		if err := receive(t, answers, "an answer from the callback"); !errors.Is(err, ErrWrongThread) {
			t.Fatalf("a blocking stop from a callback: %v, want ErrWrongThread", err)
		}
	}
	must(t, vm.StopWait(waitLimit), "stop")
}
