// SPDX-License-Identifier: Apache-2.0

package cvz

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func wantStatus(t *testing.T, err error, status Status, fragment string) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, status) {
		t.Fatalf("got %v, want an *Error with status %v", err, status)
	}
	if !strings.Contains(e.Message, fragment) {
		t.Fatalf("message %q does not say %q", e.Message, fragment)
	}
	return e
}

// A handle of another class is an error from libcvz's class check, not a crash.
func TestWrongHandle(t *testing.T) {
	config, err := NewVirtualMachineConfiguration()
	must(t, err, "configuration")
	defer config.Release()
	err = AsLinuxBootLoader(config).SetCommandLine("console=hvc0")
	wantStatus(t, err, ErrWrongHandle, "VZLinuxBootLoader")
	if _, err := AsVirtualMachineConfiguration(config).CPUCount(); err != nil {
		t.Fatalf("the right view of the same handle fails: %v", err)
	}
	var none *VirtualMachineConfiguration
	_, err = none.CPUCount()
	wantStatus(t, err, ErrInvalidArgument, "nil object")
	err = config.SetBootLoader(nil) /* libcvz says whether nil may be */
	if err != nil && !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("SetBootLoader(nil) = %v", err)
	}
}

// A released handle's methods return ErrWrongHandle; releasing again does nothing.
func TestReleasedHandle(t *testing.T) {
	config, err := NewVirtualMachineConfiguration()
	must(t, err, "configuration")
	boot, err := NewLinuxBootLoader(placeholder(t, t.TempDir(), "vmlinuz", 4096))
	must(t, err, "boot loader")
	boot.Release()
	if !boot.Released() {
		t.Fatal("Released() is false after Release()")
	}
	wantStatus(t, config.SetBootLoader(boot), ErrWrongHandle, "argument bootLoader")
	view := AsBootLoader(config) /* the same handle */
	config.Release()
	config.Release()
	_, err = config.CPUCount()
	wantStatus(t, err, ErrWrongHandle, "released")
	if !view.Released() {
		t.Fatal("a view of a released object is not released")
	}
}

// A Release during a call takes effect when the call ends.
func TestReleaseDuringCall(t *testing.T) {
	config, err := NewVirtualMachineConfiguration()
	must(t, err, "configuration")
	h := config.cvzHandle()
	freed := handlesFreedNow()
	if _, err := h.lock("a call"); err != nil {
		t.Fatal(err)
	}
	config.Release()
	if handlesFreedNow() != freed {
		t.Fatal("Release freed a handle a call was using")
	}
	if _, err := config.CPUCount(); !errors.Is(err, ErrWrongHandle) {
		t.Fatalf("a call after Release = %v", err)
	}
	h.unlock()
	if handlesFreedNow() != freed+1 {
		t.Fatal("the call's end did not free the released handle")
	}
}

// An Objective-C exception comes back as an error with its name and reason.
func TestException(t *testing.T) {
	config, err := NewVirtualMachineConfiguration()
	must(t, err, "configuration")
	defer config.Release()
	vm, err := NewVirtualMachine(config) /* no boot loader: the framework raises */
	if vm != nil {
		t.Fatal("a machine from an invalid configuration")
	}
	e := wantStatus(t, err, ErrException, "raised NSInvalidArgumentException")
	if e.ExceptionName != "NSInvalidArgumentException" || e.ExceptionReason == "" {
		t.Fatalf("exception %q %q", e.ExceptionName, e.ExceptionReason)
	}
}

// Availability on an older simulated host (macOS 11.0), in a process of its
// own: libcvz reads the host's version once.
func TestAvailabilityOldHost(t *testing.T) {
	if os.Getenv("CVZ_GO_OLD_HOST") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAvailabilityOldHost$", "-test.v")
		cmd.Env = append(os.Environ(), "CVZ_GO_OLD_HOST=1", "CVZ_SIM_MACOS_VERSION=11.0")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestAvailabilityOldHost") {
			t.Fatalf("on macOS 11.0: %v\n%s", err, out)
		}
		return
	}
	if v := HostMacOSVersion(); v != "11.0" {
		t.Fatalf("host %s, want the simulated 11.0", v)
	}
	if ok, why := Available("VZVirtualMachine"); !ok {
		t.Fatalf("VZVirtualMachine unavailable on 11.0: %v", why)
	}
	ok, why := Available("-[VZVirtualMachine stopWithCompletionHandler:]")
	if ok {
		t.Fatal("-stopWithCompletionHandler: available on 11.0")
	}
	wantStatus(t, why, ErrOSTooOld, "requires macOS 12.0; this host runs 11.0")
	_, why = Available("cvz_virtual_machine_stop")
	wantStatus(t, why, ErrOSTooOld, "requires macOS 12.0")
	_, why = Available("VZNoSuchThing")
	wantStatus(t, why, ErrInvalidArgument, "'VZNoSuchThing' is not an API")

	/* The call itself says the same, and the machine goes on. */
	v := newLinuxVM(t)
	vm, err := NewVirtualMachine(v.config)
	must(t, err, "virtual machine")
	defer vm.Release()
	wantStatus(t, vm.StopAsync(func(error) { t.Error("a completion for an operation that never started") }),
		ErrOSTooOld, "requires macOS 12.0; this host runs 11.0")
	_, err = NewEFIBootLoader()
	wantStatus(t, err, ErrOSTooOld, "requires macOS 13.0")
}
