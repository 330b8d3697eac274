package iostreams

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWidth(t *testing.T) {
	on := &ColorScheme{enabled: true}
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"李娜", 4},
		{on.Gray("FIELD"), 5},
		{on.Bold("李娜"), 4},
		{"e\u0301", 1},       // e + combining acute
		{`\x1b]0;x\x07`, 12}, // sanitized OSC: visible escapes, each character a cell
	} {
		assert.Equal(t, tt.want, Width(tt.in), "%q", tt.in)
	}
	assert.Equal(t, "李娜  |", PadRight("李娜", 6)+"|")
	assert.Equal(t, on.Gray("ab")+"    |", PadRight(on.Gray("ab"), 6)+"|")
	assert.Equal(t, "toolong|", PadRight("toolong", 3)+"|")
}

// TestTabWriterMatchesTextTabwriterOnASCII: on text where every character is one cell, the layout
// is text/tabwriter's (NewWriter(out, 0, 4, 2, ' ', 0)), column blocks included: random tables with
// ragged rows, empty cells, lines without tabs and trailing tabs come out byte for byte the same.
func TestTabWriterMatchesTextTabwriterOnASCII(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"", "a", "id", "name", "email", "registration", "x y", "$.sub", "-"}
	for i := range 500 {
		var in strings.Builder
		for range rng.IntN(8) {
			for range rng.IntN(5) {
				in.WriteString(words[rng.IntN(len(words))])
				in.WriteByte('\t')
			}
			in.WriteString(words[rng.IntN(len(words))])
			in.WriteByte('\n')
		}
		if rng.IntN(4) == 0 {
			in.WriteString("no newline\tat the end")
		}
		var want, got bytes.Buffer
		tw := tabwriter.NewWriter(&want, 0, 4, 2, ' ', 0)
		_, _ = tw.Write([]byte(in.String()))
		require.NoError(t, tw.Flush())
		ours := NewTabWriter(&got, 2)
		_, _ = ours.Write([]byte(in.String()))
		require.NoError(t, ours.Flush())
		require.Equal(t, want.String(), got.String(), "table %d:\n%s", i, in.String())
	}
}

// TestTabWriterAlignsColourAndCJK: the demo's Rules table with a coloured header and a CJK row. With
// text/tabwriter the header's columns were 9 cells short per colour code pair and "李娜" rows 2
// cells too wide; here every column starts at the same cell on every line.
func TestTabWriterAlignsColourAndCJK(t *testing.T) {
	cs := &ColorScheme{enabled: true}
	var out bytes.Buffer
	tw := NewTabWriter(&out, 2)
	fmt.Fprintf(tw, "  %s\t%s\t%s\n", cs.Gray("FIELD"), cs.Gray("DOCUMENT"), cs.Gray("VALUE"))
	fmt.Fprintf(tw, "  %s\t%s\t%s\n", "name", "userinfo", `"dana"`)
	fmt.Fprintf(tw, "  %s\t%s\t%s\n", "nickname", "userinfo", `"李娜"`)
	fmt.Fprintf(tw, "  %s\t%s\t%s\n", "李娜", cs.Green("ok"), "-")
	require.NoError(t, tw.Flush())

	lines := strings.Split(strings.TrimSuffix(ansi.Strip(out.String()), "\n"), "\n")
	assert.Equal(t, []string{
		"  FIELD     DOCUMENT  VALUE",
		`  name      userinfo  "dana"`,
		`  nickname  userinfo  "李娜"`,
		"  李娜      ok        -",
	}, lines)
	// The colour is still there.
	assert.Contains(t, out.String(), "\x1b[90mFIELD\x1b[0m")
}

// FuzzTabWriterASCII: on any text of one-cell characters, tabs and newlines, TabWriter writes what
// text/tabwriter writes.
func FuzzTabWriterASCII(f *testing.F) {
	f.Add("a\tb\nccc\td\n")
	f.Add("x\t\t\n\ny\tzz\tw")
	f.Fuzz(func(t *testing.T, in string) {
		in = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || (r >= 0x20 && r < 0x7f) {
				return r
			}
			return -1
		}, in)
		var want, got bytes.Buffer
		tw := tabwriter.NewWriter(&want, 0, 4, 2, ' ', 0)
		_, _ = tw.Write([]byte(in))
		require.NoError(t, tw.Flush())
		ours := NewTabWriter(&got, 2)
		_, _ = ours.Write([]byte(in))
		require.NoError(t, ours.Flush())
		require.Equal(t, want.String(), got.String(), "%q", in)
	})
}
