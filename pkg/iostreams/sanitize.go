package iostreams

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Sanitize makes text that ssoctl did not write itself safe to print on a terminal: text from an
// identity provider (claims, error_description, discovery fields), from the config file or from a
// document the user passed. A terminal obeys control characters inside such text: an OSC sequence
// sets the window title or writes to the clipboard, a carriage return and an erase-line code overwrite
// the line before with a forged "✓ verified", and bidi overrides reorder what the reader sees. So
// Sanitize writes each of these as a visible escape and leaves everything else as it was:
//
//   - C0 controls (U+0000–U+001F, including ESC, tab, CR and newline) and DEL as \x1b, \t, \r, \n, \x7f;
//   - C1 controls (U+0080–U+009F, CSI among them) as \u009b;
//   - bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) as \u202e;
//   - bytes that are not UTF-8 (a lone 0x9b is CSI to an 8-bit terminal) as \x9b.
//
// Text without any of them comes back unchanged, without an allocation. JSON output is not passed
// through Sanitize: encoding/json escapes controls itself and must keep values exact.
func Sanitize(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// SanitizeLines is Sanitize for text of several lines, such as a response body shown as a block: it
// keeps the newlines (each line is sanitized on its own) and escapes everything else, a carriage
// return included, so that no line can overwrite another.
func SanitizeLines(s string) string {
	if firstUnsafe(s) < 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Sanitize(l)
	}
	return strings.Join(lines, "\n")
}

// firstUnsafe returns the index of the first byte Sanitize would change, or -1.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// unsafeRune reports the non-ASCII runes a terminal acts on: C1 controls and bidi controls.
func unsafeRune(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
