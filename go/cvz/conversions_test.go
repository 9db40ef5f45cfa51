// SPDX-License-Identifier: Apache-2.0

package cvz

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// vmWatcher implements two of VZVirtualMachineDelegate's methods.
type vmWatcher struct {
	guestStops chan VirtualMachineState
	errors     chan error
}

func (w *vmWatcher) GuestDidStopVirtualMachine(vm *VirtualMachine) {
	defer vm.Release()
	state, _ := vm.State()
	w.guestStops <- state
}

func (w *vmWatcher) VirtualMachineDidStopWithError(vm *VirtualMachine, err error) {
	vm.Release()
	w.errors <- err
}

func receive[T any](t *testing.T, c <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(waitLimit):
		t.Fatalf("no %s", what)
		panic("unreachable")
	}
}

// A delegate is a Go value's methods: the guest powering off, then panicking.
func TestVirtualMachineDelegate(t *testing.T) {
	if _, err := NewVirtualMachineDelegate(struct{}{}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("a delegate of no method: %v", err)
	}
	v := newLinuxVM(t)
	vm, err := NewVirtualMachine(v.config)
	must(t, err, "virtual machine")
	defer vm.Release()
	w := &vmWatcher{make(chan VirtualMachineState, 4), make(chan error, 4)}
	delegate, err := NewVirtualMachineDelegate(w)
	must(t, err, "delegate")
	defer delegate.Release()
	must(t, vm.SetDelegate(delegate), "set delegate")
	got, err := vm.Delegate()
	must(t, err, "delegate getter")
	if got == nil {
		t.Fatal("the machine has no delegate")
	}
	got.Release()

	must(t, vm.StartWait(waitLimit), "start")
	v.console.waitFor(t, "Welcome to the simulated guest")
	v.console.typeLine(t, "poweroff")
	if state := receive(t, w.guestStops, "guestDidStopVirtualMachine:"); state != VirtualMachineStateStopped {
		t.Fatalf("guestDidStopVirtualMachine: saw the machine %v", state)
	}

	must(t, vm.StartWait(waitLimit), "start again")
	v.console.typeLine(t, "panic")
	err = receive(t, w.errors, "virtualMachine:didStopWithError:")
	var e *Error
	if !errors.As(err, &e) || e.Status != ErrFramework || e.Domain == "" {
		t.Fatalf("virtualMachine:didStopWithError: got %v", err)
	}
}

// A dictionary both ways (VZMultipleDirectoryShare), names sorted.
func TestDictionary(t *testing.T) {
	dir := t.TempDir()
	a, err := NewSharedDirectory(dir, false)
	must(t, err, "shared directory")
	defer a.Release()
	b, err := NewSharedDirectory(filepath.Join(dir, "."), true)
	must(t, err, "shared directory")
	defer b.Release()
	share, err := NewMultipleDirectoryShareWithDirectories(map[string]SharedDirectoryObject{"zeta": a, "alpha": b})
	must(t, err, "multiple directory share")
	defer share.Release()
	got, err := share.Directories()
	must(t, err, "directories")
	if len(got) != 2 {
		t.Fatalf("%d directories", len(got))
	}
	if ro, err := got["alpha"].ReadOnly(); err != nil || !ro {
		t.Fatalf("alpha read-only: %v, %v", ro, err)
	}
	if ro, err := got["zeta"].ReadOnly(); err != nil || ro {
		t.Fatalf("zeta read-only: %v, %v", ro, err)
	}
	for _, d := range got {
		d.Release()
	}
	empty, err := NewMultipleDirectoryShareWithDirectories(nil)
	must(t, err, "an empty share")
	defer empty.Release()
	if got, err := empty.Directories(); err != nil || len(got) != 0 {
		t.Fatalf("an empty share has %v, %v", got, err)
	}
}

// A BOOL * out-parameter is a result.
func TestBoolOut(t *testing.T) {
	store, err := NewEFIVariableStoreCreatingVariableStoreAtURLOptions(filepath.Join(t.TempDir(), "efi-vars"), 0)
	must(t, err, "variable store")
	defer store.Release()
	enabled, err := store.GetSecureBootEnabled()
	must(t, err, "secure boot")
	if enabled {
		t.Fatal("a new store has secure boot enabled")
	}
	must(t, store.EnrollDefaultSecureBootSignatures(), "signatures")
	must(t, store.EnableSecureBootUsingDefaultPlatformKey(), "platform key")
	if enabled, err := store.GetSecureBootEnabled(); err != nil || !enabled {
		t.Fatalf("secure boot after enabling: %v, %v", enabled, err)
	}
}

// Protocol objects (id<VZUSBDeviceConfiguration>): arrays both ways, the protocol's properties, conformance checked.
func TestProtocolObjects(t *testing.T) {
	image, err := NewDiskImageStorageDeviceAttachmentWithURLReadOnly(placeholder(t, t.TempDir(), "usb.img", 1<<20), false)
	must(t, err, "disk image")
	defer image.Release()
	usb, err := NewUSBMassStorageDeviceConfiguration(image)
	must(t, err, "USB disk")
	defer usb.Release()
	const chosen = "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"
	must(t, AsUSBDeviceConfiguration(usb).SetUUID(chosen), "set UUID")
	err = AsUSBDeviceConfiguration(usb).SetUUID("not-a-uuid")
	if !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("SetUUID(not-a-uuid) = %v", err)
	}
	xhci, err := NewXHCIControllerConfiguration()
	must(t, err, "XHCI controller")
	defer xhci.Release()
	must(t, xhci.SetUSBDevices([]USBDeviceConfigurationObject{usb}), "USB devices")
	devices, err := xhci.USBDevices()
	must(t, err, "USB devices")
	if len(devices) != 1 {
		t.Fatalf("%d USB devices", len(devices))
	}
	defer devices[0].Release()
	if uuid, err := devices[0].UUID(); err != nil || uuid != chosen {
		t.Fatalf("the device's UUID: %q, %v", uuid, err)
	}
	mac, err := MACAddressRandomLocallyAdministeredAddress()
	must(t, err, "MAC address")
	defer mac.Release()
	_, err = AsUSBDeviceConfiguration(mac).UUID()
	wantStatus(t, err, ErrWrongHandle, "does not conform to VZUSBDeviceConfiguration")
}
