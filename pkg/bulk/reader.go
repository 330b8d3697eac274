package bulk

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxLine is the longest line Run accepts by default: 16 MiB. A userinfo document is a few
// kilobytes; a longer line is almost certainly not one, and refusing it keeps memory bounded.
const MaxLine = 16 << 20

// chunkSize is the size of the blocks input is read in. Big enough that a worker's share of the
// work dwarfs the hand-over (about 300 userinfo lines); small enough that the blocks in flight, with
// their output and users, stay a few megabytes: 256 KiB blocks made peak RSS 13 MiB larger at the
// same speed (scripts/bench-map.sh, 2M lines).
const chunkSize = 128 << 10

// Chunk is a block of whole lines read from the input.
type Chunk struct {
	// Data holds complete lines; each ends in '\n' except the input's last line when the input does
	// not end in one.
	Data []byte
	// First is the number (1-based) of the first line in Data, or of the oversized line.
	First int64
	// Oversized is set for a line longer than the limit, of which Data holds nothing: the line was
	// skipped without being kept in memory.
	Oversized bool
	// Size is the oversized line's length, as far as it was read (the whole line).
	Size int64

	buf []byte // the buffer Data lies in, returned to the reader's pool
}

// Lines returns the number of lines in c.
func (c *Chunk) Lines() int64 {
	if c.Oversized {
		return 1
	}
	n := int64(bytes.Count(c.Data, []byte{'\n'}))
	if len(c.Data) > 0 && c.Data[len(c.Data)-1] != '\n' {
		n++
	}
	return n
}

// LineReader splits input into Chunks of whole lines, in bounded memory: a chunk is about
// chunkSize bytes, and a line only makes a buffer grow up to the limit.
type LineReader struct {
	r     io.Reader
	max   int
	size  int // the normal buffer size
	buf   []byte
	n     int   // bytes in buf
	line  int64 // number of the next line
	eof   bool
	err   error
	read  int64 // bytes read so far
	pool  chan []byte
	limit int // largest buffer: the limit and one byte to see a line is longer
}

// NewLineReader reads r in chunks of about size bytes (0: 128 KiB); lines longer than max bytes
// (0: MaxLine), not counting the newline, come back as Oversized chunks.
func NewLineReader(r io.Reader, size, max int) *LineReader {
	if max <= 0 {
		max = MaxLine
	}
	if size <= 0 {
		size = chunkSize
	}
	size = min(size, max+1)
	return &LineReader{r: r, max: max, size: size, line: 1, pool: make(chan []byte, 64), limit: max + 1}
}

// Read reports the number of bytes read from the input so far.
func (lr *LineReader) Read() int64 { return lr.read }

// Release returns a chunk's buffer for reuse; the chunk must not be used afterwards.
func (lr *LineReader) Release(c *Chunk) {
	if c.buf != nil && cap(c.buf) == lr.size {
		select {
		case lr.pool <- c.buf[:lr.size]:
		default:
		}
	}
	c.buf, c.Data = nil, nil
}

func (lr *LineReader) newBuf() []byte {
	select {
	case b := <-lr.pool:
		return b
	default:
		return make([]byte, lr.size)
	}
}

// fill reads until buf is full or the input ends.
func (lr *LineReader) fill() {
	for lr.n < len(lr.buf) && !lr.eof {
		k, err := lr.r.Read(lr.buf[lr.n:])
		lr.n += k
		lr.read += int64(k)
		if errors.Is(err, io.EOF) {
			lr.eof = true
		} else if err != nil {
			lr.eof, lr.err = true, err
		} else if k == 0 {
			continue
		}
	}
}

// Next returns the next chunk, or io.EOF after the last one. A read error is returned once the
// lines before it have been returned.
func (lr *LineReader) Next() (*Chunk, error) {
	if lr.buf == nil {
		if lr.eof {
			if lr.err != nil {
				err := lr.err
				lr.err = nil
				return nil, fmt.Errorf("read input: %w", err)
			}
			return nil, io.EOF
		}
		lr.buf = lr.newBuf()
	}
	for {
		lr.fill()
		data := lr.buf[:lr.n]
		if k := bytes.LastIndexByte(data, '\n'); k >= 0 && (k+1 == lr.n || !lr.eof) {
			// Whole lines up to the last newline; the rest starts the next buffer.
			// Only a chunk longer than the limit can hold a line that is.
			if k+1 > lr.max && longestLine(data[:k+1]) > lr.max {
				return lr.splitAtLong(data[:k+1])
			}
			return lr.emit(k + 1), nil
		}
		if lr.eof {
			if lr.n == 0 {
				lr.release()
				return lr.Next()
			}
			if len(data) > lr.max && longestLine(data) > lr.max {
				return lr.splitAtLong(data)
			}
			return lr.emit(lr.n), nil
		}
		// The buffer holds part of one line: grow it, up to the limit.
		if len(lr.buf) < lr.limit {
			nb := make([]byte, min(max(2*len(lr.buf), lr.size), lr.limit))
			copy(nb, lr.buf[:lr.n])
			lr.giveBack(lr.buf)
			lr.buf = nb
			continue
		}
		return lr.skipLong()
	}
}

// emit returns buf[:end] as a chunk and moves the rest to a fresh buffer.
func (lr *LineReader) emit(end int) *Chunk {
	c := &Chunk{Data: lr.buf[:end], First: lr.line, buf: lr.buf}
	lr.line += c.Lines()
	rest := lr.buf[end:lr.n]
	lr.buf, lr.n = nil, 0
	if len(rest) > 0 || !lr.eof {
		lr.buf = lr.newBuf()
		if len(rest) > len(lr.buf) {
			lr.buf = make([]byte, min(max(2*len(rest), lr.size), lr.limit))
		}
		lr.n = copy(lr.buf, rest)
	}
	return c
}

// splitAtLong handles whole lines in data of which one is too long: the lines before it are
// returned first; the long line itself is then returned as Oversized.
func (lr *LineReader) splitAtLong(data []byte) (*Chunk, error) {
	start := 0
	for {
		k := bytes.IndexByte(data[start:], '\n')
		end := len(data)
		if k >= 0 {
			end = start + k
		}
		if end-start > lr.max {
			if start > 0 {
				return lr.emit(start), nil
			}
			next := end
			if k >= 0 {
				next++
			}
			c := &Chunk{First: lr.line, Oversized: true, Size: int64(end)}
			lr.line++
			rest := lr.buf[next:lr.n]
			lr.n = copy(lr.buf, rest)
			lr.shrink()
			return c, nil
		}
		start = end + 1
	}
}

// skipLong reads past the rest of a line that is already longer than the limit, without keeping
// it, and returns it as Oversized.
func (lr *LineReader) skipLong() (*Chunk, error) {
	c := &Chunk{First: lr.line, Oversized: true, Size: int64(lr.n)}
	lr.line++
	for {
		if k := bytes.IndexByte(lr.buf[:lr.n], '\n'); k >= 0 {
			c.Size += int64(k) - int64(lr.n)
			lr.n = copy(lr.buf, lr.buf[k+1:lr.n])
			lr.shrink()
			return c, nil
		}
		if lr.eof {
			lr.n = 0
			lr.shrink()
			return c, nil
		}
		lr.n = 0
		lr.fill()
		c.Size += int64(lr.n)
	}
}

// shrink goes back to a normal-sized buffer after a long line, so that one long line does not
// keep 16 MiB in use.
func (lr *LineReader) shrink() {
	if len(lr.buf) == lr.size || lr.n > lr.size {
		return
	}
	nb := lr.newBuf()
	lr.n = copy(nb, lr.buf[:lr.n])
	lr.buf = nb
}

func (lr *LineReader) release() {
	lr.giveBack(lr.buf)
	lr.buf, lr.n = nil, 0
}

func (lr *LineReader) giveBack(b []byte) {
	if cap(b) == lr.size {
		select {
		case lr.pool <- b[:lr.size]:
		default:
		}
	}
}

// longestLine returns the length of the longest line in data, without newlines.
func longestLine(data []byte) int {
	longest, start := 0, 0
	for start < len(data) {
		k := bytes.IndexByte(data[start:], '\n')
		if k < 0 {
			return max(longest, len(data)-start)
		}
		longest = max(longest, k)
		start += k + 1
	}
	return longest
}
