package iostreams

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestSanitize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{name: "plain", in: "GitHub Iv1.abc", want: "GitHub Iv1.abc"},
		{name: "unicode kept", in: "李娜 ✓ café", want: "李娜 ✓ café"},
		{name: "OSC title", in: "x\x1b]0;pwned\x07y", want: `x\x1b]0;pwned\x07y`},
		{name: "CR and erase line forge a line", in: "bad\r\x1b[2K✓ verified", want: `bad\r\x1b[2K✓ verified`},
		{name: "newline and tab", in: "a\nb\tc", want: `a\nb\tc`},
		{name: "DEL and NUL", in: "a\x7fb\x00", want: `a\x7fb\x00`},
		{name: "C1 CSI as a rune", in: "a\u009b31mb", want: `a\u009b31mb`},
		{name: "C1 CSI as a lone byte", in: "a\x9b31mb", want: `a\x9b31mb`},
		{name: "RLO", in: "user\u202egpj.exe", want: `user\u202egpj.exe`},
		{name: "every bidi control", in: "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", want: `\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069`},
		{name: "neighbours of the bidi ranges kept", in: "\u2029\u202f\u2065\u206a", want: "\u2029\u202f\u2065\u206a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Sanitize(tt.in))
		})
	}
}

func TestSanitizeLines(t *testing.T) {
	assert.Equal(t, "line 1\nline 2\\r\\x1b[2K✓ forged\n", SanitizeLines("line 1\nline 2\r\x1b[2K✓ forged\n"))
	assert.Equal(t, "a\nb", SanitizeLines("a\nb"))
}

func TestSanitizeDoesNotAllocateForSafeText(t *testing.T) {
	s := strings.Repeat("client_secret_basic Iv1.abc ", 10)
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = Sanitize(s) }))
}

// FuzzSanitize checks Sanitize's promise: what comes out holds nothing a terminal acts on, and text
// with nothing to escape comes out unchanged.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]0;t\x07", "a\r\x1b[2K✓", "\u202e", "\x9b", "\xff\xfe", "李娜\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Sanitize(in)
		if !utf8.ValidString(out) {
			t.Fatalf("Sanitize(%q) = %q: not UTF-8", in, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || unsafeRune(r) {
				t.Fatalf("Sanitize(%q) = %q keeps %U", in, out, r)
			}
		}
		if firstUnsafe(in) < 0 && out != in {
			t.Fatalf("Sanitize(%q) = %q changed safe text", in, out)
		}
		lines := SanitizeLines(in)
		if strings.Count(lines, "\n") != strings.Count(in, "\n") {
			t.Fatalf("SanitizeLines(%q) = %q changed the lines", in, lines)
		}
		for _, r := range strings.ReplaceAll(lines, "\n", "") {
			if r < 0x20 || r == 0x7f || unsafeRune(r) {
				t.Fatalf("SanitizeLines(%q) = %q keeps %U", in, lines, r)
			}
		}
	})
}
