// SPDX-License-Identifier: Apache-2.0

package cvz

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// waitLimit bounds every wait on a condition: a failure, never a pace.
const waitLimit = 30 * time.Second

// must fails the test on an error, with what was being done.
func must(t testing.TB, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// placeholder makes a file of size bytes (the simulator reads no kernel).
func placeholder(t testing.TB, dir, name string, size int64) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	must(t, err, "placeholder")
	must(t, f.Truncate(size), "placeholder size")
	must(t, f.Close(), "placeholder close")
	return path
}

// console is the guest's serial console: what it wrote so far, and its input.
type console struct {
	mu    sync.Mutex
	grew  *sync.Cond
	text  bytes.Buffer
	input *os.File
	ended bool
}

func (c *console) read(r *os.File) {
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		c.mu.Lock()
		c.text.Write(buf[:n])
		c.ended = err != nil
		c.grew.Broadcast()
		c.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// waitFor waits until the console shows want.
func (c *console) waitFor(t testing.TB, want string) {
	t.Helper()
	timer := time.AfterFunc(waitLimit, func() {
		c.mu.Lock()
		c.ended = true
		c.grew.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for !strings.Contains(c.text.String(), want) {
		if c.ended {
			t.Fatalf("the console never showed %q; it shows:\n%s", want, c.text.String())
		}
		c.grew.Wait()
	}
}

func (c *console) typeLine(t testing.TB, line string) {
	t.Helper()
	_, err := c.input.Write([]byte(line + "\n"))
	must(t, err, "typing on the console")
}

// linuxVM is a Linux guest's configuration as vfkit makes one: kernel,
// initrd and command line, a disk, NAT networking, entropy, a serial console.
type linuxVM struct {
	config  *VirtualMachineConfiguration
	console *console
	objects []Object
}

func newLinuxVM(t testing.TB) *linuxVM {
	t.Helper()
	dir := t.TempDir()
	v := &linuxVM{}
	keep := func(o Object) { v.objects = append(v.objects, o) }

	boot, err := NewLinuxBootLoader(placeholder(t, dir, "vmlinuz", 4096))
	must(t, err, "boot loader")
	keep(boot)
	must(t, boot.SetInitialRamdiskURL(placeholder(t, dir, "initrd", 4096)), "initrd")
	must(t, boot.SetCommandLine("console=hvc0"), "command line")

	image, err := NewDiskImageStorageDeviceAttachmentWithURLReadOnly(placeholder(t, dir, "disk.img", 64<<20), false)
	must(t, err, "disk image")
	keep(image)
	disk, err := NewVirtioBlockDeviceConfiguration(image)
	must(t, err, "block device")
	keep(disk)

	nat, err := NewNATNetworkDeviceAttachment()
	must(t, err, "NAT")
	keep(nat)
	net, err := NewVirtioNetworkDeviceConfiguration()
	must(t, err, "network device")
	keep(net)
	must(t, net.SetAttachment(nat), "network attachment")

	entropy, err := NewVirtioEntropyDeviceConfiguration()
	must(t, err, "entropy")
	keep(entropy)

	inR, inW, err := os.Pipe()
	must(t, err, "console input pipe")
	outR, outW, err := os.Pipe()
	must(t, err, "console output pipe")
	serial, err := NewFileHandleSerialPortAttachment(inR, outW)
	must(t, err, "console attachment")
	keep(serial)
	/* libcvz duplicated both: ours can go (the guest's output ends when the machine's copies do). */
	inR.Close()
	outW.Close()
	port, err := NewVirtioConsoleDeviceSerialPortConfiguration()
	must(t, err, "console device")
	keep(port)
	must(t, port.SetAttachment(serial), "console wiring")
	v.console = &console{input: inW}
	v.console.grew = sync.NewCond(&v.console.mu)
	go v.console.read(outR)

	config, err := NewVirtualMachineConfiguration()
	must(t, err, "configuration")
	v.config = config
	must(t, config.SetCPUCount(2), "CPU count")
	must(t, config.SetMemorySize(1<<30), "memory size")
	must(t, config.SetBootLoader(boot), "boot loader")
	must(t, config.SetStorageDevices([]StorageDeviceConfigurationObject{disk}), "storage")
	must(t, config.SetNetworkDevices([]NetworkDeviceConfigurationObject{net}), "network")
	must(t, config.SetEntropyDevices([]EntropyDeviceConfigurationObject{entropy}), "entropy")
	must(t, config.SetSerialPorts([]SerialPortConfigurationObject{port}), "serial ports")
	t.Cleanup(func() {
		config.Release()
		for _, o := range v.objects {
			o.Release()
		}
		inW.Close()
	})
	return v
}

// waitState reads states from a StateChanges channel until want arrives.
func waitState(t testing.TB, states <-chan VirtualMachineState, want VirtualMachineState) {
	t.Helper()
	timeout := time.After(waitLimit)
	for {
		select {
		case s, ok := <-states:
			if !ok {
				t.Fatalf("the state channel closed before %v", want)
			}
			if s == want {
				return
			}
		case <-timeout:
			t.Fatalf("the machine never reached %v", want)
		}
	}
}
