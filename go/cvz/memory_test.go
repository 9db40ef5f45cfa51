// SPDX-License-Identifier: Apache-2.0

package cvz

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

func handlesFreedNow() int64 { return atomic.LoadInt64(&handlesFreed) }

func liveHandles() int64 { return atomic.LoadInt64(&handlesMade) - atomic.LoadInt64(&handlesFreed) }

// residentBytes is the process's resident set (Linux: /proc/self/statm).
func residentBytes(t *testing.T) int64 {
	t.Helper()
	data, err := os.ReadFile("/proc/self/statm")
	must(t, err, "statm")
	pages, err := strconv.ParseInt(strings.Fields(string(data))[1], 10, 64)
	must(t, err, "statm")
	return pages * int64(os.Getpagesize())
}

func settle() {
	runtime.GC()
	debug.FreeOSMemory()
}

// 1000 create/start/stop/release cycles: every handle comes back, and the
// process does not grow with the cycles.
func TestThousandCycles(t *testing.T) {
	for _, knob := range []string{"CVZ_SIM_START_DELAY_MS", "CVZ_SIM_STOP_DELAY_MS", "CVZ_SIM_GUEST_SHUTDOWN_DELAY_MS"} {
		t.Setenv(knob, "0")
	}
	v := newLinuxVM(t)
	cycle := func() {
		vm, err := NewVirtualMachine(v.config)
		must(t, err, "virtual machine")
		must(t, vm.StartWait(waitLimit), "start")
		cpus, err := v.config.CPUCount()
		must(t, err, "CPU count")
		if cpus != 2 {
			t.Fatalf("CPU count %d", cpus)
		}
		must(t, vm.StopWait(waitLimit), "stop")
		vm.Release()
		config, err := NewVirtualMachineConfiguration()
		must(t, err, "configuration")
		config.Release()
	}
	for i := 0; i < 100; i++ { /* warm-up: pools, caches, the Go heap's first growth */
		cycle()
	}
	settle()
	live, before := liveHandles(), residentBytes(t)
	for i := 0; i < 1000; i++ {
		cycle()
	}
	settle()
	after := residentBytes(t)
	if n := liveHandles(); n != live {
		t.Fatalf("%d handles live after the cycles, %d before", n, live)
	}
	t.Logf("resident: %d KiB before 1000 cycles, %d KiB after", before>>10, after>>10)
	if after-before > 4<<20 {
		t.Fatalf("the process grew by %d KiB over 1000 cycles", (after-before)>>10)
	}
}

// Objects nobody releases go back through their finalizers.
func TestFinalizerReleases(t *testing.T) {
	settle()
	live := liveHandles()
	for i := 0; i < 1000; i++ {
		config, err := NewVirtualMachineConfiguration()
		must(t, err, "configuration")
		must(t, config.SetCPUCount(1), "CPU count")
	}
	for i := 0; liveHandles() > live; i++ {
		if i == 1000 {
			t.Fatalf("%d handles still live after 1000 collections", liveHandles()-live)
		}
		runtime.GC()
		runtime.Gosched()
	}
}
