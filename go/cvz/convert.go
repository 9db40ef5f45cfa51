// SPDX-License-Identifier: Apache-2.0

package cvz

/*
#include <stdlib.h>
#include <cvz/cvz.h>
*/
import "C"

import (
	"os"
	"time"
	"unsafe"
)

// cString is s as a C string the caller frees with C.free.
func cString(s string) *C.char { return C.CString(s) }

// cStringOrNil is cString, or NULL for "" (a nullable argument left out).
func cStringOrNil(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

// takeString copies and frees a string libcvz returned ("" for NULL).
func takeString(p *C.char) string {
	if p == nil {
		return ""
	}
	s := C.GoString(p)
	C.cvz_free(unsafe.Pointer(p))
	return s
}

// bytesArg lends b's bytes to C for the call (libcvz copies them).
func bytesArg(b []byte) (unsafe.Pointer, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return unsafe.Pointer(&b[0]), C.size_t(len(b))
}

// takeBytes copies and frees bytes libcvz returned (nil for NULL).
func takeBytes(p unsafe.Pointer, n C.size_t) []byte {
	if p == nil {
		return nil
	}
	b := C.GoBytes(p, C.int(n))
	C.cvz_free(p)
	return b
}

// fdArg is f's descriptor (-1 for nil); libcvz duplicates it, f stays the caller's.
func fdArg(f *os.File) C.int {
	if f == nil {
		return -1
	}
	return C.int(f.Fd())
}

// takeFile wraps a descriptor libcvz returned (its own dup; nil for -1).
func takeFile(fd C.int, name string) *os.File {
	if fd < 0 {
		return nil
	}
	return os.NewFile(uintptr(fd), name)
}

// takeArray wraps the handles of an array libcvz returned, then frees the array itself.
func takeArray[T any](array unsafe.Pointer, n C.size_t, wrap func(unsafe.Pointer) *T) []*T {
	if array == nil {
		return nil
	}
	cells := unsafe.Slice((*unsafe.Pointer)(array), int(n))
	out := make([]*T, len(cells))
	for i, p := range cells {
		out[i] = wrap(p)
	}
	C.cvz_handle_array_free(array, 0) /* the handles are the Go values' now */
	return out
}

// timeoutMilliseconds is a Wait's timeout for libcvz: -1 (no limit) for a negative one, rounded up.
func timeoutMilliseconds(d time.Duration) C.int64_t {
	if d < 0 {
		return -1
	}
	return C.int64_t((d + time.Millisecond - 1) / time.Millisecond)
}

// Size is CGSize.
type Size struct{ Width, Height float64 }

func cSize(s Size) C.cvz_size {
	return C.cvz_size{width: C.double(s.Width), height: C.double(s.Height)}
}
func goSize(s C.cvz_size) Size { return Size{float64(s.width), float64(s.height)} }

// EtherAddress is a MAC address's six bytes, in network order.
type EtherAddress [6]byte

func cEtherAddress(a EtherAddress) C.cvz_ether_address {
	var c C.cvz_ether_address
	for i, b := range a {
		c.octet[i] = C.uint8_t(b)
	}
	return c
}

func goEtherAddress(c C.cvz_ether_address) EtherAddress {
	var a EtherAddress
	for i := range a {
		a[i] = byte(c.octet[i])
	}
	return a
}

// OSVersion is NSOperatingSystemVersion: a macOS version such as 15.4.1.
type OSVersion struct{ Major, Minor, Patch int64 }

func cOSVersion(v OSVersion) C.cvz_os_version {
	return C.cvz_os_version{major: C.int64_t(v.Major), minor: C.int64_t(v.Minor), patch: C.int64_t(v.Patch)}
}

func goOSVersion(c C.cvz_os_version) OSVersion {
	return OSVersion{int64(c.major), int64(c.minor), int64(c.patch)}
}

// dataAnswer is a delegate's NSData answer for libcvz: malloc'ed bytes it
// copies and frees, their length in *length; NULL answers nil.
func dataAnswer(b []byte, length *C.size_t) unsafe.Pointer {
	if b == nil {
		return nil
	}
	p := C.malloc(C.size_t(len(b)) + 1) /* +1: malloc(0) may answer NULL */
	if p == nil {
		return nil
	}
	copy(unsafe.Slice((*byte)(p), len(b)), b)
	*length = C.size_t(len(b))
	return p
}

// takeBytesArray copies and frees an array of buffers libcvz returned.
func takeBytesArray(array *C.cvz_bytes, n C.size_t) [][]byte {
	if array == nil {
		return nil
	}
	out := make([][]byte, int(n))
	for i, b := range unsafe.Slice(array, int(n)) {
		out[i] = C.GoBytes(b.data, C.int(b.length))
	}
	C.cvz_bytes_array_free(array, n)
	return out
}

// takeMap wraps a dictionary libcvz returned (handles and their names), then frees its arrays.
func takeMap[T any](array unsafe.Pointer, keys **C.char, n C.size_t, wrap func(unsafe.Pointer) *T) map[string]*T {
	if array == nil {
		return nil
	}
	values := takeArray(array, n, wrap)
	out := make(map[string]*T, len(values))
	for i, k := range unsafe.Slice(keys, int(n)) {
		out[C.GoString(k)] = values[i]
	}
	C.cvz_string_array_free(keys, n)
	return out
}
