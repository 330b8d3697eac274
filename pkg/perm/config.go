package perm

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// UnknownSchemeError reports a scheme name that is neither built in nor
// defined in the config file's permission_schemes.
type UnknownSchemeError struct {
	// Name is the name as given, trimmed.
	Name string
	// Known lists the names that would have been accepted: the built-in
	// schemes, then those defined in the config file.
	Known []string
	// Suggestion is the closest known name, or "" when none is close.
	Suggestion string
}

// Error returns e.g. `unknown permission scheme "alsit"`.
func (e *UnknownSchemeError) Error() string {
	return fmt.Sprintf("unknown permission scheme %q", e.Name)
}

// Hint proposes the closest name and lists every known scheme.
func (e *UnknownSchemeError) Hint() string {
	h := fmt.Sprintf("known schemes: %s; define others under permission_schemes: in the config file", strings.Join(e.Known, ", "))
	if e.Suggestion != "" {
		h = fmt.Sprintf("did you mean %q? %s", e.Suggestion, h)
	}
	return h
}

// FromConfig builds a scheme from its definition in the config file, where
// `bit` is the bit index. Errors are NewScheme's: one *SchemeError per
// problem, joined, with Pos the position in def.Bits.
func FromConfig(def config.PermissionScheme) (*Scheme, error) {
	bits := make([]Bit, len(def.Bits))
	for i, b := range def.Bits {
		bits[i] = Bit{Index: b.Bit, Name: b.Name, Meaning: b.Meaning}
	}
	return NewScheme(def.Name, bits)
}

// Resolve returns the scheme called name ("" means DefaultScheme): a
// built-in one, or else the one defined in defs (the config file's
// permission_schemes). Built-in names win, so that the built-in tables mean
// the same thing whatever file is loaded, and so that callers can skip
// reading the config for them (see Builtin).
//
// Errors: *UnknownSchemeError when no scheme has the name; the errors of
// FromConfig when its definition is invalid; a *SchemeError with Pos -1 when
// defs defines the name more than once.
func Resolve(name string, defs []config.PermissionScheme) (*Scheme, error) {
	want := strings.ToLower(strings.TrimSpace(name))
	if want == "" {
		want = DefaultScheme
	}
	if s, ok := Builtin(want); ok {
		return s, nil
	}
	found := -1
	for i, d := range defs {
		if strings.ToLower(strings.TrimSpace(d.Name)) != want {
			continue
		}
		if found >= 0 {
			return nil, &SchemeError{Scheme: d.Name, Pos: -1, Field: "name",
				Reason: fmt.Sprintf("permission_schemes defines %q more than once (entries %d and %d)", want, found, i)}
		}
		found = i
	}
	if found >= 0 {
		return FromConfig(defs[found])
	}

	known := Names()
	for _, d := range defs {
		if _, builtin := Builtin(d.Name); !builtin && d.Name != "" && !slices.Contains(known, d.Name) {
			known = append(known, d.Name)
		}
	}
	return nil, &UnknownSchemeError{Name: strings.TrimSpace(name), Known: known, Suggestion: closest(want, known)}
}

// closest returns the candidate within a typo's distance of name (at most 2
// edits, or a third of its length), or "".
func closest(name string, candidates []string) string {
	limit := max(2, len([]rune(name))/3)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if d := levenshtein.ComputeDistance(name, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
