// SPDX-License-Identifier: Apache-2.0

package cvz

/*
#include <cvz/cvz.h>
*/
import "C"

import "unsafe"

// Progress is a Foundation NSProgress of the framework's long work (installing
// macOS): poll it from any goroutine.
type Progress struct {
	object
}

func newProgress(p unsafe.Pointer) *Progress {
	if p == nil {
		return nil
	}
	return &Progress{object{newHandle(p)}}
}

func (x *Progress) lock(api string) (*C.cvz_progress, error) {
	if x == nil {
		return nil, errNilReceiver(api)
	}
	p, err := x.h.lock(api)
	return (*C.cvz_progress)(p), err
}

// FractionCompleted is from 0.0 to 1.0.
func (x *Progress) FractionCompleted() (float64, error) {
	p, err := x.lock("NSProgress.fractionCompleted")
	if err != nil {
		return 0, err
	}
	defer x.h.unlock()
	var cErr *C.cvz_error
	r := C.cvz_progress_fraction_completed(p, &cErr)
	if cErr != nil {
		return 0, takeError(cErr)
	}
	return float64(r), nil
}

// Finished tells whether the work is complete.
func (x *Progress) Finished() (bool, error) {
	p, err := x.lock("NSProgress.finished")
	if err != nil {
		return false, err
	}
	defer x.h.unlock()
	var cErr *C.cvz_error
	r := C.cvz_progress_finished(p, &cErr)
	if cErr != nil {
		return false, takeError(cErr)
	}
	return bool(r), nil
}

// Cancel asks the work to stop; its completion then reports the cancellation.
func (x *Progress) Cancel() error {
	p, err := x.lock("-[NSProgress cancel]")
	if err != nil {
		return err
	}
	defer x.h.unlock()
	var cErr *C.cvz_error
	if C.cvz_progress_cancel(p, &cErr) != 0 {
		return takeError(cErr)
	}
	return nil
}
