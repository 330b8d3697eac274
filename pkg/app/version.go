package app

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is an app release, major.minor.patch; "3.63" is 3.63.0.
type Version struct{ Major, Minor, Patch int }

// ParseVersion reads "3.63", "3.63.0" or "v3.63.0". Apps report more after the number (OpenList's
// version setting is "v4.2.5 (Commit: cc87e88) - …"); only the leading number is read.
func ParseVersion(s string) (Version, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexAny(t, " -+("); i >= 0 {
		t = t[:i]
	}
	parts := strings.Split(t, ".")
	if t == "" || len(parts) > 3 {
		return Version{}, fmt.Errorf("%q is not a version such as 3.63 or 3.63.0", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p == "" || (len(p) > 1 && p[0] == '+') {
			return Version{}, fmt.Errorf("%q is not a version such as 3.63 or 3.63.0", s)
		}
		n[i] = v
	}
	return Version{n[0], n[1], n[2]}, nil
}

// IsZero reports whether v is unset.
func (v Version) IsZero() bool { return v == Version{} }

// Less reports whether v is older than o.
func (v Version) Less(o Version) bool {
	if v.Major != o.Major {
		return v.Major < o.Major
	}
	if v.Minor != o.Minor {
		return v.Minor < o.Minor
	}
	return v.Patch < o.Patch
}

// String is "3.63" for a .0 patch release, else "4.2.5".
func (v Version) String() string {
	if v.Patch == 0 {
		return fmt.Sprintf("%d.%d", v.Major, v.Minor)
	}
	return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
}
