// SPDX-License-Identifier: Apache-2.0

package cvz

import (
	"testing"

	"github.com/cvz-project/cvz/go/internal/cgobench"
)

// The Go package's call of a scalar getter: handle pin, cgo call, error check.
func BenchmarkGoGetter(b *testing.B) {
	config, err := NewVirtualMachineConfiguration()
	must(b, err, "configuration")
	defer config.Release()
	must(b, config.SetCPUCount(2), "CPU count")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if n, err := config.CPUCount(); n != 2 || err != nil {
			b.Fatal(n, err)
		}
	}
}

// The same C function called from C: libcvz's own cost.
func BenchmarkCGetter(b *testing.B) {
	config := cgobench.NewConfiguration()
	if config == nil {
		b.Fatal("configuration")
	}
	defer config.Release()
	b.ResetTimer()
	if sum := config.GetterLoopC(b.N); sum != 2*uint64(b.N) {
		b.Fatal(sum)
	}
}

// The same C function through a bare cgo call, without the package's layer.
func BenchmarkCgoGetter(b *testing.B) {
	config := cgobench.NewConfiguration()
	if config == nil {
		b.Fatal("configuration")
	}
	defer config.Release()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if config.GetterCgo() != 2 {
			b.Fatal("CPU count")
		}
	}
}

// cgo's floor: a Go call of an empty C function.
func BenchmarkCgoEmpty(b *testing.B) {
	for i := 0; i < b.N; i++ {
		cgobench.Empty()
	}
}
