// Package perm turns permission bit sums into names and back.
//
// Apps such as AList store a user's rights as one integer whose bit i grants
// right i, and admins type that sum into forms (AList's
// sso_default_permission), where a wrong number is only noticed at login. A
// Scheme is the table of bits for one app, kept as data: Builtin returns the
// built-in ones and NewScheme builds one from a config file for apps ssoctl
// does not know.
//
// The "alist" scheme (DefaultScheme) has AList's 17 bits, 0 to 16, as of
// v3.63.0. Bit names are AList's frontend keys in kebab case: see-hides,
// access-without-password, offline-download, write, rename, move, copy,
// delete, webdav-read, webdav-manage, ftp-read, ftp-manage, read-archives,
// decompress, check-path-limit, mcp-read and mcp-write. The frontend's list
// ends at decompress (bit 13); the last three names follow the backend's
// checks and are ssoctl's choice. The snake_case keys are accepted too.
//
// OpenList, the community fork of AList, agrees on bits 0 to 13 but bit 14
// means "can share" there, and it has no path-limit or MCP bits: the sum
// 16384 grants different things in the two apps. The built-in "openlist"
// scheme has OpenList's bits.
//
// The package never prints. Its errors are typed (*UnknownNameError,
// *OutOfSchemeError, *NotSingleBitError, *ValueError) and each has a Hint
// method, so the command layer can pick the exit code and show the hint.
package perm

import (
	"strconv"
	"strings"
)

// Bit is one permission bit of a Scheme. The json tags are the stable field
// names of `-o json` output.
type Bit struct {
	// Index is the bit position, 0 to 62; the bit grants its right when
	// (sum>>Index)&1 == 1.
	Index int `json:"index"`
	// Value is 1<<Index, the amount the bit adds to a sum.
	Value int64 `json:"value"`
	// Name is the kebab-case name users type, e.g. "webdav-read".
	Name string `json:"name"`
	// Key is the app's own identifier for the bit, e.g. AList's frontend key
	// "webdav_read"; it is accepted wherever Name is. It may be empty.
	Key string `json:"key"`
	// Meaning says in a few words what the bit allows.
	Meaning string `json:"meaning"`
	// Since is the first app version that has the bit with this meaning.
	Since string `json:"since"`
}

// Scheme is the permission bit table of one app. Build it with Builtin or
// NewScheme; the methods read Bits on every call and keep no index of their
// own, so a Scheme stays consistent even if a caller edits it.
type Scheme struct {
	// Name identifies the scheme, as in `--scheme alist`.
	Name string `json:"name"`
	// Bits lists the scheme's bits in ascending Index order.
	Bits []Bit `json:"bits"`
	// Notes records history and fork differences worth showing next to the
	// table (`ssoctl perm list`).
	Notes []string `json:"notes,omitempty"`
	// Roles are the roles a fresh install of the app has, for apps whose
	// rights come from roles (AList 3.46+): each grants a sum per path.
	Roles []Role `json:"roles,omitempty"`
}

// Role is an app role: the permission sum it grants on each path.
type Role struct {
	ID     int         `json:"id"`
	Name   string      `json:"name"`
	Scopes []RoleScope `json:"scopes"`
	// Since is the first app version that has the role.
	Since string `json:"since"`
}

// RoleScope is one path of a role and the sum it grants there.
type RoleScope struct {
	Path       string `json:"path"`
	Permission int64  `json:"permission"`
}

// Lookup finds a bit by its Name or Key. Matching ignores case, surrounding
// space and the difference between "-" and "_", so "WebDAV_Read" finds
// "webdav-read". Numbers are not names: use Sum or Decode for those.
func (s *Scheme) Lookup(name string) (Bit, bool) {
	want := normalize(name)
	if want == "" {
		return Bit{}, false
	}
	for _, b := range s.Bits {
		if normalize(b.Name) == want || (b.Key != "" && normalize(b.Key) == want) {
			return b, true
		}
	}
	return Bit{}, false
}

// Max returns the sum of all bits of the scheme, the largest valid value
// (131071 for alist).
func (s *Scheme) Max() int64 {
	var m int64
	for _, b := range s.Bits {
		m |= b.Value
	}
	return m
}

// Sum adds up permissions given as bit names or keys (see Lookup) or as
// decimal values that are exactly one bit of the scheme ("8"). A bit given
// twice counts once. Sums such as "768" are refused with *NotSingleBitError so
// that a typo cannot silently grant several rights; values with bits the
// scheme lacks give *OutOfSchemeError, unknown names *UnknownNameError and
// numbers that do not fit in 64 bits *ValueError. No items sum to 0.
func (s *Scheme) Sum(items ...string) (int64, error) {
	var sum int64
	for _, item := range items {
		v, err := s.item(item)
		if err != nil {
			return 0, err
		}
		sum |= v
	}
	return sum, nil
}

func (s *Scheme) item(item string) (int64, error) {
	if !isNumber(item) {
		if b, ok := s.Lookup(item); ok {
			return b.Value, nil
		}
		return 0, &UnknownNameError{
			Name:       strings.TrimSpace(item),
			Scheme:     s.Name,
			Suggestion: s.suggest(item),
		}
	}
	v, err := ParseValue(item)
	if err != nil {
		return 0, err
	}
	bits, err := s.Decode(v)
	if err != nil {
		return 0, err
	}
	if len(bits) != 1 {
		return 0, &NotSingleBitError{Value: v, Scheme: s.Name, Bits: bits}
	}
	return v, nil
}

// Decode lists the bits set in n, in ascending Index order; 0 gives an empty,
// non-nil slice. A negative n, or one with bits the scheme does not define,
// gives *OutOfSchemeError.
func (s *Scheme) Decode(n int64) ([]Bit, error) {
	limit := s.Max()
	if n < 0 || n&^limit != 0 {
		return nil, &OutOfSchemeError{Value: n, Extra: n &^ limit, Max: limit, Scheme: s.Name}
	}
	bits := []Bit{}
	for _, b := range s.Bits {
		if n&b.Value != 0 {
			bits = append(bits, b)
		}
	}
	return bits, nil
}

// ParseValue parses a permission sum written as a decimal integer, with an
// optional sign and surrounding space. It does not check the value against a
// scheme (Decode does); its only error is *ValueError.
func ParseValue(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if !isNumber(t) {
		return 0, &ValueError{Input: s, Err: strconv.ErrSyntax}
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return 0, &ValueError{Input: s, Err: strconv.ErrRange}
	}
	return v, nil
}

// isNumber reports whether s (after trimming) is an optional sign followed by
// ASCII digits. Names are never all digits (NewScheme refuses them), so the
// two kinds of Sum items cannot be confused.
func isNumber(s string) bool {
	s = strings.TrimSpace(s)
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// normalize maps the spellings users type (AList's snake_case keys, any case)
// onto the kebab-case form of names.
func normalize(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "-")
}
