package bulk

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gotLine is a line as the reader returned it.
type gotLine struct {
	n         int64
	text      string
	oversized bool
	size      int64
}

// readAll collects every line of every chunk.
func readAll(t testing.TB, r io.Reader, size, max int) []gotLine {
	t.Helper()
	lr := NewLineReader(r, size, max)
	var out []gotLine
	want := int64(1)
	for {
		c, err := lr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		require.Equal(t, want, c.First, "chunks follow each other")
		if c.Oversized {
			out = append(out, gotLine{n: c.First, oversized: true, size: c.Size})
			want++
			continue
		}
		n := c.First
		data := c.Data
		for len(data) > 0 {
			k := bytes.IndexByte(data, '\n')
			if k < 0 {
				out = append(out, gotLine{n: n, text: string(data)})
				data = nil
			} else {
				out = append(out, gotLine{n: n, text: string(data[:k])})
				data = data[k+1:]
			}
			n++
		}
		want = n
		lr.Release(c)
	}
}

// reference splits input into lines the simple way.
func reference(input string, max int) []gotLine {
	if input == "" {
		return nil
	}
	lines := strings.Split(input, "\n")
	if strings.HasSuffix(input, "\n") {
		lines = lines[:len(lines)-1]
	}
	out := make([]gotLine, len(lines))
	for i, l := range lines {
		if len(l) > max {
			out[i] = gotLine{n: int64(i + 1), oversized: true, size: int64(len(l))}
		} else {
			out[i] = gotLine{n: int64(i + 1), text: l}
		}
	}
	return out
}

func TestLineReader(t *testing.T) {
	tests := []struct {
		name      string
		input     string
		size, max int
	}{
		{"empty", "", 8, 100},
		{"one line without newline", `{"a":1}`, 8, 100},
		{"lines longer than a chunk", "{\"login\":\"mona\"}\n{\"login\":\"octo\"}\n", 4, 100},
		{"blank lines", "\n\n{}\n\n", 3, 100},
		{"oversized in the middle", "ok\n0123456789abcdef\nok2\n", 4, 10},
		{"oversized first and last", "0123456789abcdef\nok\n0123456789abcdefgh", 4, 10},
		{"oversized inside a big chunk", "a\n0123456789abcdef\nb\nc\n", 64, 10},
		{"exactly the limit", "0123456789\n01234567890\n", 4, 10},
		{"crlf", "{}\r\n{}\r\n", 5, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readAll(t, strings.NewReader(tt.input), tt.size, tt.max)
			assert.Equal(t, reference(tt.input, tt.max), got)
			// A reader that returns one byte at a time changes nothing.
			got = readAll(t, iotest.OneByteReader(strings.NewReader(tt.input)), tt.size, tt.max)
			assert.Equal(t, reference(tt.input, tt.max), got)
		})
	}
}

func TestLineReaderReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	lr := NewLineReader(io.MultiReader(strings.NewReader("a\nb\n"), iotest.ErrReader(boom)), 0, 0)
	c, err := lr.Next()
	require.NoError(t, err)
	assert.Equal(t, "a\nb\n", string(c.Data))
	_, err = lr.Next()
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, "read input: disk on fire", err.Error())
}

// FuzzLineReader checks that any input, cut into chunks of any size with any line limit, comes
// back as the same numbered lines, with exactly the lines over the limit marked oversized.
func FuzzLineReader(f *testing.F) {
	f.Add([]byte("{\"a\":1}\n{\"b\":2}\n"), uint8(3), uint8(10))
	f.Add([]byte("\n\n\nlong line here\nx"), uint8(1), uint8(4))
	f.Add([]byte(""), uint8(0), uint8(0))
	f.Add([]byte("no newline at all, and long"), uint8(2), uint8(5))
	f.Fuzz(func(t *testing.T, data []byte, size, max uint8) {
		m := int(max) + 1
		got := readAll(t, bytes.NewReader(data), int(size)+1, m)
		assert.Equal(t, reference(string(data), m), got)
		got = readAll(t, iotest.HalfReader(bytes.NewReader(data)), int(size)+1, m)
		assert.Equal(t, reference(string(data), m), got)
	})
}
