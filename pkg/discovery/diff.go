package discovery

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// FirstDiff returns the index, in runes, of the first character where a and b differ; when one is a
// prefix of the other it is the shorter one's length, and -1 when they are equal.
func FirstDiff(a, b string) int {
	if a == b {
		return -1
	}
	i := 0
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return i
		}
		a, b = a[na:], b[nb:]
		i++
	}
	return i
}

// Evidence renders two compared values one above the other, labelled, with a caret under the first
// character where they differ, each line prefixed with indent:
//
//	expected  https://auth.example.com/app/
//	actual    https://auth.example.com/app
//	                                      ^
func Evidence(indent, expectedLabel, expected, actualLabel, actual string) string {
	// The values come from a provider or the config: escape what a terminal would obey (the caret
	// then points into the escaped text, which is what the reader sees).
	expected, actual = iostreams.Sanitize(expected), iostreams.Sanitize(actual)
	w := max(iostreams.Width(expectedLabel), iostreams.Width(actualLabel))
	var b strings.Builder
	fmt.Fprintf(&b, "%s%s  %s\n", indent, iostreams.PadRight(expectedLabel, w), expected)
	fmt.Fprintf(&b, "%s%s  %s\n", indent, iostreams.PadRight(actualLabel, w), actual)
	if i := FirstDiff(expected, actual); i >= 0 {
		// The caret stands under the first differing character: past the cells the characters
		// before it take, two for each CJK one.
		fmt.Fprintf(&b, "%s%s^\n", indent, strings.Repeat(" ", w+2+iostreams.Width(firstRunes(expected, i))))
	}
	return b.String()
}

// firstRunes is the first n runes of s.
func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
