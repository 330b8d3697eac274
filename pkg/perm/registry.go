package perm

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// DefaultScheme is the scheme used when none is named (`--scheme alist`).
const DefaultScheme = "alist"

// MaxIndex is the highest bit index a scheme may use; it keeps every sum a
// positive int64.
const MaxIndex = 62

// builtins holds constructors rather than values so that every caller gets
// its own copy and cannot change the table for others.
var builtins = map[string]func() *Scheme{
	"alist":    alistScheme,
	"openlist": openlistScheme,
}

// Builtin returns a fresh copy of the built-in scheme with the given name
// (case-insensitive), or false if there is none.
func Builtin(name string) (*Scheme, bool) {
	build, ok := builtins[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return nil, false
	}
	return build(), true
}

// Names returns the names of the built-in schemes, sorted.
func Names() []string {
	names := make([]string, 0, len(builtins))
	for name := range builtins {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

var (
	schemeNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`) })
	bitNameRE    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`) })
)

// NewScheme builds a scheme from bits defined outside this package, such as
// a config file. Each bit needs a Name matching [a-z0-9][a-z0-9-]* that is
// not all digits (digits are values) and a unique Index from 0 to MaxIndex;
// Value may be 0 and is then set to 1<<Index, otherwise it must equal it.
// Names and keys must not collide, ignoring case and "-" versus "_". The
// scheme name follows the config's name rule, [a-z0-9][a-z0-9_-]*.
//
// The result has the bits sorted by Index and is not added to the built-in
// registry, so a config may reuse a built-in name without affecting others.
// All problems are reported at once: the error joins one *SchemeError per
// problem (use errors.As, or Unwrap() []error to list them).
func NewScheme(name string, bits []Bit) (*Scheme, error) {
	var errs []error
	fail := func(pos int, field, format string, args ...any) {
		errs = append(errs, &SchemeError{Scheme: name, Pos: pos, Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if !schemeNameRE().MatchString(name) {
		fail(-1, "name", "%q must match [a-z0-9][a-z0-9_-]*", name)
	}
	if len(bits) == 0 {
		fail(-1, "bits", "a scheme needs at least one bit")
	}

	out := make([]Bit, 0, len(bits))
	indexAt := map[int]int{}     // bit index -> position that claimed it
	spelling := map[string]int{} // normalized name or key -> position that claimed it
	claim := func(pos int, field, s string) {
		n := normalize(s)
		if prev, ok := spelling[n]; ok && prev != pos {
			fail(pos, field, "%q is already used by bit %d", s, prev)
			return
		}
		spelling[n] = pos
	}
	for pos, b := range bits {
		switch {
		case !bitNameRE().MatchString(b.Name):
			fail(pos, "name", "%q must match [a-z0-9][a-z0-9-]*", b.Name)
		case isNumber(b.Name):
			fail(pos, "name", "%q is a number; names need a letter so they cannot be mistaken for values", b.Name)
		default:
			claim(pos, "name", b.Name)
		}
		if b.Key != "" {
			if k := normalize(b.Key); !bitNameRE().MatchString(k) || isNumber(k) {
				fail(pos, "key", "%q must be letters, digits, - and _ and not all digits", b.Key)
			} else {
				claim(pos, "key", b.Key)
			}
		}
		if b.Index < 0 || b.Index > MaxIndex {
			fail(pos, "index", "%d is outside 0 to %d", b.Index, MaxIndex)
			continue
		}
		if prev, ok := indexAt[b.Index]; ok {
			fail(pos, "index", "%d is already used by bit %d", b.Index, prev)
		} else {
			indexAt[b.Index] = pos
		}
		want := int64(1) << b.Index
		switch b.Value {
		case 0:
			b.Value = want
		case want:
		default:
			fail(pos, "value", "%d does not match index %d, whose value is %d", b.Value, b.Index, want)
		}
		out = append(out, b)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortFunc(out, func(a, b Bit) int { return a.Index - b.Index })
	return &Scheme{Name: name, Bits: out}, nil
}
