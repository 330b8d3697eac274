package perm

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/agnivade/levenshtein"
)

// The error types below are what Sum, Decode and ParseValue return. Each
// Error is one lowercase sentence and each Hint says what to do next, so the
// command layer can print "error: <Error()>" and "hint: <Hint()>". Exit codes
// per SPEC.md: *UnknownNameError, *OutOfSchemeError and *NotSingleBitError
// mean the permission is wrong (exit 1); *ValueError means the input is not a
// number at all (exit 2 when it came from an argument).

// UnknownNameError reports a permission name the scheme does not define.
type UnknownNameError struct {
	// Name is the name as given, trimmed.
	Name string
	// Scheme is the name of the scheme that was searched.
	Scheme string
	// Suggestion is the closest bit name, or "" when none is close.
	Suggestion string
}

// Error returns e.g. `unknown permission "webdav-reed" in scheme alist`.
func (e *UnknownNameError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("empty permission name in scheme %s", e.Scheme)
	}
	return fmt.Sprintf("unknown permission %q in scheme %s", e.Name, e.Scheme)
}

// Hint proposes the closest name, if any, and the command that lists them all.
func (e *UnknownNameError) Hint() string {
	list := fmt.Sprintf("run %q to see all names", ListCommand(e.Scheme))
	if e.Suggestion == "" {
		return list
	}
	return fmt.Sprintf("did you mean %q? %s", e.Suggestion, list)
}

// OutOfSchemeError reports a value that is negative or has bits the scheme
// does not define.
type OutOfSchemeError struct {
	// Value is the value as given.
	Value int64
	// Extra holds the bits of Value outside the scheme (Value &^ Max).
	Extra int64
	// Max is the scheme's largest valid sum, see Scheme.Max.
	Max int64
	// Scheme is the name of the scheme.
	Scheme string
}

// Error returns e.g. `permission 131072 has bits outside scheme alist (extra 131072)`.
func (e *OutOfSchemeError) Error() string {
	if e.Value < 0 {
		return fmt.Sprintf("permission %d is negative and so outside scheme %s", e.Value, e.Scheme)
	}
	return fmt.Sprintf("permission %d has bits outside scheme %s (extra %d)", e.Value, e.Scheme, e.Extra)
}

// Hint names the largest valid sum and the command that lists the bits.
func (e *OutOfSchemeError) Hint() string {
	return fmt.Sprintf("the largest valid sum in scheme %s is %d; run %q to see all bits",
		e.Scheme, e.Max, ListCommand(e.Scheme))
}

// NotSingleBitError reports a number given where one bit was expected, in
// Scheme.Sum: 0, or a value made of several bits such as 768.
type NotSingleBitError struct {
	// Value is the value as given.
	Value int64
	// Scheme is the name of the scheme.
	Scheme string
	// Bits are the bits Value is made of; empty for 0.
	Bits []Bit
}

// Error returns e.g. `permission 768 is not a single bit of scheme alist`.
func (e *NotSingleBitError) Error() string {
	return fmt.Sprintf("permission %d is not a single bit of scheme %s", e.Value, e.Scheme)
}

// Hint spells the value out as its bits, or says that 0 adds nothing.
func (e *NotSingleBitError) Hint() string {
	if len(e.Bits) == 0 {
		return fmt.Sprintf("%d grants nothing; leave it out", e.Value)
	}
	names := make([]string, len(e.Bits))
	for i, b := range e.Bits {
		names[i] = b.Name
	}
	return fmt.Sprintf("%d is %s; give those names instead", e.Value, strings.Join(names, " + "))
}

// ValueError reports text that should be a decimal permission value but is
// not one, or that does not fit in 64 bits. Err is strconv.ErrSyntax or
// strconv.ErrRange.
type ValueError struct {
	// Input is the text as given.
	Input string
	// Err is strconv.ErrSyntax or strconv.ErrRange.
	Err error
}

// Error returns e.g. `permission value "12a" is not a decimal number`.
func (e *ValueError) Error() string {
	if errors.Is(e.Err, strconv.ErrRange) {
		return fmt.Sprintf("permission value %q is too large", e.Input)
	}
	return fmt.Sprintf("permission value %q is not a decimal number", e.Input)
}

// Unwrap returns Err, so errors.Is(err, strconv.ErrSyntax) works.
func (e *ValueError) Unwrap() error { return e.Err }

// Hint shows what a valid value looks like.
func (e *ValueError) Hint() string {
	return fmt.Sprintf("write the sum as a decimal number such as 768, or run %q to see the bits", ListCommand(DefaultScheme))
}

// SchemeError reports one problem in a scheme given to NewScheme, located so
// that config validation can point at the field.
type SchemeError struct {
	// Scheme is the scheme's name as given.
	Scheme string
	// Pos is the position of the offending entry in the bits slice given to
	// NewScheme, or -1 when the problem is with the scheme itself.
	Pos int
	// Field is the offending field: "name", "bits", "index", "value" or "key".
	Field string
	// Reason says what is wrong, lowercase, without the location.
	Reason string
}

// Error returns e.g. `scheme "custom" bit 2 name: "Write" must match [a-z0-9][a-z0-9-]*`.
func (e *SchemeError) Error() string {
	if e.Pos < 0 {
		return fmt.Sprintf("scheme %q %s: %s", e.Scheme, e.Field, e.Reason)
	}
	return fmt.Sprintf("scheme %q bit %d %s: %s", e.Scheme, e.Pos, e.Field, e.Reason)
}

// ListCommand is the command that shows a scheme's bits, for hints; the
// default scheme needs no flag.
func ListCommand(scheme string) string {
	if scheme == DefaultScheme || scheme == "" {
		return "ssoctl perm list"
	}
	return "ssoctl perm list --scheme " + scheme
}

// suggest returns the bit name closest to name, if it is close enough to be a
// typo rather than a different word: at most 2 edits, or a third of the
// length for long names. Ties go to the lower bit.
func (s *Scheme) suggest(name string) string {
	want := normalize(name)
	if want == "" {
		return ""
	}
	limit := max(2, len([]rune(want))/3)
	best, bestDist := "", limit+1
	for _, b := range s.Bits {
		for _, cand := range []string{b.Name, b.Key} {
			if cand == "" {
				continue
			}
			if d := levenshtein.ComputeDistance(want, normalize(cand)); d < bestDist {
				best, bestDist = b.Name, d
			}
		}
	}
	return best
}
