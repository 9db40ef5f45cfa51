// SPDX-License-Identifier: Apache-2.0

package cvz

/*
#include <cvz/cvz.h>
*/
import "C"

// Status is what went wrong, as libcvz's cvz_status says.  Each non-zero
// Status is an error that errors.Is finds in an *Error of that status.
type Status int

// The statuses of <cvz/cvz.h>.
const (
	ErrInvalidArgument Status = C.CVZ_E_INVALID_ARGUMENT // NULL where a value is required, malformed text, bad fd
	ErrWrongHandle     Status = C.CVZ_E_WRONG_HANDLE     // a handle of another class, or a released one
	ErrOSTooOld        Status = C.CVZ_E_OS_TOO_OLD       // the host's macOS predates the API
	ErrWrongArch       Status = C.CVZ_E_WRONG_ARCH       // the API exists on another architecture only
	ErrMissing         Status = C.CVZ_E_MISSING          // the class or selector is absent from the framework
	ErrNoFramework     Status = C.CVZ_E_NO_FRAMEWORK     // Virtualization.framework cannot be loaded
	ErrFramework       Status = C.CVZ_E_FRAMEWORK        // the framework reported an NSError
	ErrException       Status = C.CVZ_E_EXCEPTION        // the framework raised an Objective-C exception
	ErrTimeout         Status = C.CVZ_E_TIMEOUT          // a completion did not arrive in time
	ErrNoMemory        Status = C.CVZ_E_NO_MEMORY        // an allocation failed
	ErrSystem          Status = C.CVZ_E_SYSTEM           // a system call failed
	ErrDropped         Status = C.CVZ_E_DROPPED          // the framework dropped a completion handler
	ErrNotBuiltIn      Status = C.CVZ_E_NOT_BUILT_IN     // the API is newer than libcvz's build cut-off
	ErrWrongThread     Status = C.CVZ_E_WRONG_THREAD     // a blocking call from a callback
)

// Error returns the status's C name, such as "CVZ_E_OS_TOO_OLD".
func (s Status) Error() string {
	return C.GoString(C.cvz_status_name(C.cvz_status(s)))
}

// Error is a failure reported by libcvz.
type Error struct {
	Status  Status // what went wrong
	Message string // one line naming the API, what it needs and what it found

	// For ErrFramework: the NSError.
	Domain        string // e.g. "VZErrorDomain"
	Code          int    // e.g. int(ErrorInvalidVirtualMachineConfiguration)
	Description   string // localized description
	FailureReason string // localized failure reason: often the useful part

	// For ErrException: the Objective-C exception.
	ExceptionName   string
	ExceptionReason string
}

// Error returns the message, and the NSError's failure reason when there is one.
func (e *Error) Error() string {
	if e.FailureReason != "" {
		return e.Message + ": " + e.FailureReason
	}
	return e.Message
}

// Unwrap returns the Status, so errors.Is(err, cvz.ErrOSTooOld) works.
func (e *Error) Unwrap() error { return e.Status }

// copyError copies a C error libcvz lends (a callback's); nil for NULL.
func copyError(e *C.cvz_error) error {
	if e == nil {
		return nil
	}
	return &Error{
		Status:          Status(C.cvz_error_status(e)),
		Message:         C.GoString(C.cvz_error_message(e)),
		Domain:          C.GoString(C.cvz_error_ns_domain(e)),
		Code:            int(C.cvz_error_ns_code(e)),
		Description:     C.GoString(C.cvz_error_description(e)),
		FailureReason:   C.GoString(C.cvz_error_failure_reason(e)),
		ExceptionName:   C.GoString(C.cvz_error_exception_name(e)),
		ExceptionReason: C.GoString(C.cvz_error_exception_reason(e)),
	}
}

// takeError copies and frees a C error the caller owns.
func takeError(e *C.cvz_error) error {
	err := copyError(e)
	C.cvz_error_free(e)
	return err
}

func errNilReceiver(api string) error {
	return &Error{Status: ErrInvalidArgument, Message: api + ": called on a nil object"}
}

func errReleased(what string) error {
	return &Error{Status: ErrWrongHandle, Message: what + ": the object was released"}
}
