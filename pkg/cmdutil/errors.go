package cmdutil

import (
	"errors"
	"fmt"
)

// Exit codes, as SPEC.md defines them. They are decided in one place, root.Main, from the error a
// command returns.
const (
	ExitOK          = 0
	ExitCheckFailed = 1 // the thing checked is wrong
	ExitUsage       = 2 // usage error or unreadable input
	ExitInterrupted = 130
)

// ExitCoder is implemented by errors that decide their own exit code.
type ExitCoder interface{ ExitCode() int }

// Hinter is implemented by errors that carry a hint: what the user can do about it.
type Hinter interface{ Hint() string }

// FlagError is a usage error: root prints it with a pointer to --help and exits 2.
type FlagError struct{ err error }

func (e *FlagError) Error() string { return e.err.Error() }
func (e *FlagError) Unwrap() error { return e.err }

// ExitCode implements ExitCoder.
func (e *FlagError) ExitCode() int { return ExitUsage }

// FlagErrorf returns a FlagError.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{err: fmt.Errorf(format, args...)}
}

// FlagErrorWrap turns any error (from cobra's flag parsing, say) into a FlagError.
func FlagErrorWrap(err error) error { return &FlagError{err: err} }

// SilentError tells root that the command already reported the problem and only the exit code remains.
type SilentError struct{ Code int }

func (e *SilentError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// ExitCode implements ExitCoder.
func (e *SilentError) ExitCode() int { return e.Code }

// ErrSilent is a SilentError with exit code 1: the check failed and the findings have been printed.
var ErrSilent = &SilentError{Code: ExitCheckFailed}

// codedError attaches an exit code and an optional hint to an error.
type codedError struct {
	err  error
	code int
	hint string
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }
func (e *codedError) ExitCode() int { return e.code }
func (e *codedError) Hint() string {
	if e.hint != "" {
		return e.hint
	}
	var h Hinter
	if errors.As(e.err, &h) {
		return h.Hint()
	}
	return ""
}

// Failf is an error for "the thing checked is wrong" (exit 1) with a hint (may be empty).
func Failf(hint string, format string, args ...any) error {
	return &codedError{err: fmt.Errorf(format, args...), code: ExitCheckFailed, hint: hint}
}

// InputErrorf is an error for unreadable input (exit 2) with a hint (may be empty).
func InputErrorf(hint string, format string, args ...any) error {
	return &codedError{err: fmt.Errorf(format, args...), code: ExitUsage, hint: hint}
}

// WithHint wraps err with a hint and keeps its exit code (1 unless err says otherwise).
func WithHint(err error, hint string) error {
	if err == nil {
		return nil
	}
	return &codedError{err: err, code: ExitCodeOf(err), hint: hint}
}

// WithExitCode wraps err with an exit code.
func WithExitCode(err error, code int) error {
	if err == nil {
		return nil
	}
	return &codedError{err: err, code: code}
}

// ExitCodeOf returns the exit code an error asks for: its own, or 1.
func ExitCodeOf(err error) int {
	if err == nil {
		return ExitOK
	}
	var c ExitCoder
	if errors.As(err, &c) {
		return c.ExitCode()
	}
	return ExitCheckFailed
}

// HintOf returns the hint an error carries, or "".
func HintOf(err error) string {
	var h Hinter
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}
