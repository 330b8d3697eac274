package iostreams

import (
	"bytes"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Width is the number of terminal cells s takes: escape sequences (colour) take none, East Asian
// wide characters and emoji two, combining marks none. Text is aligned by this, not by len (bytes:
// "李娜" is 6, a coloured word 9 more than it shows) nor by rune count ("李娜" is 2 runes, 4 cells).
func Width(s string) int {
	return ansi.StringWidth(s)
}

// PadRight pads s with spaces to w cells (see Width); s wider than w comes back as it is. It is
// what fmt's %-*s does for ASCII, for any text and after styling.
func PadRight(s string, w int) string {
	if n := w - Width(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// TabWriter aligns tab-separated cells in columns by their display width (see Width), with the
// semantics of text/tabwriter (which counts runes, so that colour and CJK text break its columns):
// a cell is text terminated by a tab; the text after a line's last tab is no cell and is written as
// it is; a column's width is that of its widest cell over the consecutive lines that have a cell in
// that column, plus padding. Nothing is written until Flush.
type TabWriter struct {
	out     io.Writer
	padding int
	buf     bytes.Buffer
}

// NewTabWriter returns a TabWriter writing to out with padding spaces after each column's widest
// cell; padding 2 is the layout of text/tabwriter.NewWriter(out, 0, 4, 2, ' ', 0).
func NewTabWriter(out io.Writer, padding int) *TabWriter {
	return &TabWriter{out: out, padding: padding}
}

// Write buffers p until Flush.
func (t *TabWriter) Write(p []byte) (int, error) {
	return t.buf.Write(p)
}

// Flush aligns and writes what was written since the last Flush.
func (t *TabWriter) Flush() error {
	text := t.buf.String()
	t.buf.Reset()
	if text == "" {
		return nil
	}
	trailingNewline := strings.HasSuffix(text, "\n")
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	cells := make([][]string, len(lines))
	for i, l := range lines {
		cells[i] = strings.Split(l, "\t")
	}
	if last := cells[len(cells)-1]; !trailingNewline && len(last) > 1 && last[len(last)-1] == "" {
		// text/tabwriter's Flush ends an unfinished line's last cell only when it holds text: after
		// a final tab the tab-terminated cell is the line's last one.
		cells[len(cells)-1] = last[:len(last)-1]
	}
	widths := make([][]int, len(lines))
	t.format(cells, widths, nil, 0, len(lines))

	var b strings.Builder
	b.Grow(len(text) + len(lines)*8)
	for i, row := range cells {
		for j, c := range row {
			if j < len(row)-1 {
				b.WriteString(c)
				b.WriteString(strings.Repeat(" ", widths[i][j]-Width(c)))
			} else {
				b.WriteString(c)
			}
		}
		if i < len(cells)-1 || trailingNewline {
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(t.out, b.String())
	return err
}

// format gives each line of [line0, line1) the column widths it is padded to: column len(outer) is
// computed per block of consecutive lines that have a cell there, and the blocks are formatted
// further, as text/tabwriter's format does.
func (t *TabWriter) format(cells [][]string, widths [][]int, outer []int, line0, line1 int) {
	column := len(outer)
	for this := line0; this < line1; {
		if column >= len(cells[this])-1 {
			// No cell in this column: the widths so far are this line's.
			widths[this] = outer
			this++
			continue
		}
		start, width := this, 0
		for ; this < line1 && column < len(cells[this])-1; this++ {
			width = max(width, Width(cells[this][column]))
		}
		inner := make([]int, column+1)
		copy(inner, outer)
		inner[column] = width + t.padding
		t.format(cells, widths, inner, start, this)
	}
}
