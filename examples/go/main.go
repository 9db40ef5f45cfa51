// SPDX-License-Identifier: Apache-2.0

// linux-vm boots a Linux guest the way vfkit sets one up: a kernel, initrd
// and command line, a virtio disk, NAT networking, an entropy device and a
// serial console on stdin/stdout, then watches the machine's states, with a
// delegate saying when the guest stops it.
//
//	linux-vm [-kernel F -initrd F -disk F] [-cpus N] [-memory MiB]
//
// Without files (the simulator needs none) it makes placeholders.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/cvz-project/cvz/go/cvz"
)

func main() {
	kernel := flag.String("kernel", "", "the kernel (vmlinuz)")
	initrd := flag.String("initrd", "", "the initial ramdisk")
	disk := flag.String("disk", "", "a raw disk image")
	cpus := flag.Uint64("cpus", 2, "virtual CPUs")
	memory := flag.Uint64("memory", 2048, "memory in MiB")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("linux-vm: ")
	if *kernel == "" {
		*kernel, *initrd, *disk = placeholders()
	}
	fmt.Printf("cvz %s; host macOS %s on %s\n", cvz.Version(), cvz.HostMacOSVersion(), cvz.HostArch())

	config := newConfiguration(*kernel, *initrd, *disk, *cpus, *memory)
	defer config.Release()
	if err := config.Validate(); err != nil {
		log.Fatalf("invalid configuration: %v", err)
	}

	vm, err := cvz.NewVirtualMachine(config)
	check(err, "virtual machine")
	defer vm.Release()
	delegate, err := cvz.NewVirtualMachineDelegate(events{})
	check(err, "delegate")
	defer delegate.Release()
	check(vm.SetDelegate(delegate), "delegate")
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	states, err := vm.StateChanges(ctx)
	check(err, "state changes")

	check(vm.Start(ctx), "start")
	fmt.Println("started: type on the console; `poweroff` stops the guest, Ctrl-C the machine")
	for state := range states {
		fmt.Printf("state: %v\n", state)
		if state == cvz.VirtualMachineStateStopped || state == cvz.VirtualMachineStateError {
			return
		}
	}
	/* Ctrl-C: ask the guest first, as the power button does; force the stop where the host can. */
	if err := vm.RequestStop(); err != nil {
		log.Printf("request stop: %v", err)
	}
	if ok, why := cvz.Available("-[VZVirtualMachine stopWithCompletionHandler:]"); !ok {
		log.Printf("no forced stop here: %v", why)
		return
	}
	if err := vm.Stop(context.Background()); err != nil && !errors.Is(err, cvz.ErrFramework) {
		log.Fatalf("stop: %v", err)
	}
}

// events is the machine's delegate: how it says it stopped by itself (on the machine's queue).
type events struct{}

func (events) GuestDidStopVirtualMachine(vm *cvz.VirtualMachine) {
	defer vm.Release()
	fmt.Println("delegate: the guest stopped the virtual machine")
}

func (events) VirtualMachineDidStopWithError(vm *cvz.VirtualMachine, err error) {
	defer vm.Release()
	fmt.Printf("delegate: the virtual machine stopped with an error: %v\n", err)
}

// newConfiguration is vfkit's Linux setup, device by device.
func newConfiguration(kernel, initrd, disk string, cpus, memoryMiB uint64) *cvz.VirtualMachineConfiguration {
	bootLoader, err := cvz.NewLinuxBootLoader(kernel)
	check(err, "boot loader")
	check(bootLoader.SetInitialRamdiskURL(initrd), "initrd")
	check(bootLoader.SetCommandLine("console=hvc0"), "command line")

	image, err := cvz.NewDiskImageStorageDeviceAttachmentWithURLReadOnly(disk, false)
	check(err, "disk image")
	block, err := cvz.NewVirtioBlockDeviceConfiguration(image)
	check(err, "block device")

	nat, err := cvz.NewNATNetworkDeviceAttachment()
	check(err, "NAT")
	network, err := cvz.NewVirtioNetworkDeviceConfiguration()
	check(err, "network device")
	check(network.SetAttachment(nat), "network attachment")
	mac, err := cvz.MACAddressRandomLocallyAdministeredAddress()
	check(err, "MAC address")
	check(network.SetMACAddress(mac), "MAC address")
	text, err := mac.String()
	check(err, "MAC address text")
	fmt.Printf("network: NAT, MAC %s\n", text)

	entropy, err := cvz.NewVirtioEntropyDeviceConfiguration()
	check(err, "entropy")

	serial, err := cvz.NewFileHandleSerialPortAttachment(os.Stdin, os.Stdout)
	check(err, "console attachment")
	console, err := cvz.NewVirtioConsoleDeviceSerialPortConfiguration()
	check(err, "console")
	check(console.SetAttachment(serial), "console attachment")

	config, err := cvz.NewVirtualMachineConfiguration()
	check(err, "configuration")
	check(config.SetCPUCount(cpus), "CPUs")
	check(config.SetMemorySize(memoryMiB<<20), "memory")
	check(config.SetBootLoader(bootLoader), "boot loader")
	check(config.SetStorageDevices([]cvz.StorageDeviceConfigurationObject{block}), "storage")
	check(config.SetNetworkDevices([]cvz.NetworkDeviceConfigurationObject{network}), "network")
	check(config.SetEntropyDevices([]cvz.EntropyDeviceConfigurationObject{entropy}), "entropy")
	check(config.SetSerialPorts([]cvz.SerialPortConfigurationObject{console}), "serial ports")
	/* The configuration holds what it needs: our references can go. */
	for _, o := range []cvz.Object{bootLoader, image, block, nat, network, mac, entropy, serial, console} {
		o.Release()
	}
	return config
}

// check stops the example at the first error, with libcvz's one-line reason.
func check(err error, what string) {
	var e *cvz.Error
	switch {
	case err == nil:
		return
	case errors.As(err, &e) && e.Status == cvz.ErrOSTooOld:
		log.Fatalf("%s: not on this macOS: %v", what, err)
	default:
		log.Fatalf("%s: %v", what, err)
	}
}

// placeholders makes a kernel, initrd and 64 MiB disk for the simulator.
func placeholders() (kernel, initrd, disk string) {
	dir, err := os.MkdirTemp("", "cvz-go-linux-vm-")
	check(err, "temporary folder")
	create := func(name string, size int64) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		check(err, name)
		check(f.Truncate(size), name)
		check(f.Close(), name)
		return path
	}
	fmt.Printf("placeholder kernel, initrd and disk in %s\n", dir)
	return create("vmlinuz", 4096), create("initrd.img", 4096), create("disk.img", 64<<20)
}
