// SPDX-License-Identifier: Apache-2.0

package cvz

import (
	"context"
	"errors"
	"testing"
)

// A Linux VM configured, validated, started, its console read both ways, stopped.
func TestLinuxVMLifecycle(t *testing.T) {
	v := newLinuxVM(t)
	must(t, v.config.Validate(), "validation")
	cpus, err := v.config.CPUCount()
	must(t, err, "CPU count")
	if cpus != 2 {
		t.Fatalf("CPUCount() = %d, want 2", cpus)
	}

	vm, err := NewVirtualMachine(v.config)
	must(t, err, "virtual machine")
	defer vm.Release()
	state, err := vm.State()
	must(t, err, "state")
	if state != VirtualMachineStateStopped {
		t.Fatalf("a new machine is %v, want Stopped", state)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	states, err := vm.StateChanges(ctx)
	must(t, err, "state changes")

	must(t, vm.Start(ctx), "start")
	waitState(t, states, VirtualMachineStateRunning)
	if can, err := vm.CanStop(); err != nil || !can {
		t.Fatalf("CanStop() = %v, %v on a running machine", can, err)
	}
	v.console.waitFor(t, "Command line: console=hvc0")
	v.console.waitFor(t, "Welcome to the simulated guest")
	v.console.typeLine(t, "hello from Go")
	v.console.waitFor(t, "hello from Go\r\n")

	must(t, vm.Stop(ctx), "stop")
	waitState(t, states, VirtualMachineStateStopped)

	/* Again, the guest powering off by itself from its console. */
	must(t, vm.StartWait(waitLimit), "start (Wait)")
	waitState(t, states, VirtualMachineStateRunning)
	v.console.typeLine(t, "poweroff")
	waitState(t, states, VirtualMachineStateStopped)
	v.console.waitFor(t, "reboot: Power down")

	/* An ended context starts nothing. */
	cancelled, stop := context.WithCancel(context.Background())
	stop()
	if err := vm.Start(cancelled); !errors.Is(err, context.Canceled) {
		t.Fatalf("Start(cancelled context) = %v, want context.Canceled", err)
	}
	if state, err := vm.State(); err != nil || state != VirtualMachineStateStopped {
		t.Fatalf("after Start(cancelled context) the machine is %v (%v), want Stopped", state, err)
	}

	/* Asynchronously, then a stop request as the power button makes. */
	started := make(chan error, 1)
	must(t, vm.StartAsync(func(err error) { started <- err }), "start (Async)")
	must(t, <-started, "start's completion")
	waitState(t, states, VirtualMachineStateRunning)
	must(t, vm.RequestStop(), "request stop")
	waitState(t, states, VirtualMachineStateStopped)
}

// The configuration's errors carry the NSError: domain, code and reason.
func TestValidationError(t *testing.T) {
	config, err := NewVirtualMachineConfiguration()
	must(t, err, "configuration")
	defer config.Release()
	err = config.Validate()
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrFramework) {
		t.Fatalf("Validate() without a boot loader = %v, want an ErrFramework *Error", err)
	}
	domain, derr := ErrorDomain()
	must(t, derr, "VZErrorDomain")
	if e.Domain != domain || ErrorCode(e.Code) != ErrorInvalidVirtualMachineConfiguration || e.FailureReason == "" {
		t.Fatalf("the NSError is %q %d %q; want %q, %d and a reason", e.Domain, e.Code, e.FailureReason, domain,
			ErrorInvalidVirtualMachineConfiguration)
	}
}
