package bulk

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ArrayReader turns one JSON array, as identity providers export users (an Authentik user list,
// a realm's users), into NDJSON: each element on a line of its own, compacted, so that Run streams
// an array of any size as it streams NDJSON, in the same bounded memory. Element n of the array is
// line n of what it reads; Options.Elements makes Run's messages say "element". Only the
// array's structure is checked here (brackets, commas, strings); each element is then checked as
// a line is. A raw line break inside a string, which JSON does not allow, is kept invalid (as the
// control character 0x1f) rather than split into two lines.
type ArrayReader struct {
	r       *bufio.Reader
	path    []string // member names leading to the array (NewArrayReaderAt); empty for a top-level array
	state   uint8
	depth   int   // nesting inside the current element
	inStr   bool  // inside a string
	escaped bool  // after a backslash in a string
	has     bool  // the current element has begun
	n       int64 // elements begun
	line    int64 // the input's line, for errors
	err     error
	closing int // objects around the array still to be closed after it (NewArrayReaderAt)
}

const (
	arrStart uint8 = iota // before '['
	arrIn                 // inside the array
	arrEnd                // after ']'
)

// NewArrayReader reads the JSON array r holds.
func NewArrayReader(r io.Reader) *ArrayReader {
	return &ArrayReader{r: bufio.NewReaderSize(r, 64<<10), line: 1}
}

// NewArrayReaderAt reads the JSON array at path in the object r holds: path names the members
// leading to it ({"users":[...]} is path users, as a Keycloak realm export or Authentik's
// {"results":[...]} hold their users). The members before and after the array are skipped as they
// are read, whatever their size, with only their structure checked; the member must appear once.
// An empty path is NewArrayReader.
func NewArrayReaderAt(r io.Reader, path []string) *ArrayReader {
	a := NewArrayReader(r)
	a.path = path
	return a
}

// ArrayError is a JSON array whose structure is broken.
type ArrayError struct {
	// Element is the element (1-based) where it broke, Line the input line.
	Element, Line int64
	Problem       string
	// Around is set when the array sits at a path (NewArrayReaderAt) and the problem lies outside
	// it: before the array was found, or in the members after it. Element is then 0.
	Around string
}

// Error returns e.g. "the JSON array breaks at element 3 (input line 17): a comma with no element
// before it", or "no array at $.users (input line 1): the object has no member users".
func (e *ArrayError) Error() string {
	if e.Around != "" {
		return fmt.Sprintf("%s (input line %d): %s", e.Around, e.Line, e.Problem)
	}
	return fmt.Sprintf("the JSON array breaks at element %d (input line %d): %s", e.Element, e.Line, e.Problem)
}

func (a *ArrayReader) fail(problem string) error {
	a.err = &ArrayError{Element: max(a.n, 1), Line: a.line, Problem: problem}
	return a.err
}

// failAround is fail for a problem outside the array at a.path.
func (a *ArrayReader) failAround(problem string) error {
	where := "no array at " + PathText(a.path)
	if a.state == arrEnd {
		where = "after the array at " + PathText(a.path)
	}
	a.err = &ArrayError{Line: a.line, Problem: problem, Around: where}
	return a.err
}

// PathText writes an array path as a JSONPath: $.users, $.data['user list'].
func PathText(path []string) string {
	var b strings.Builder
	b.WriteByte('$')
	for _, name := range path {
		if plainName(name) {
			b.WriteString("." + name)
			continue
		}
		b.WriteString("['" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(name) + "']")
	}
	return b.String()
}

func plainName(s string) bool {
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// Read writes the next elements, one a line, into p.
func (a *ArrayReader) Read(p []byte) (int, error) {
	if a.err != nil {
		return 0, a.err
	}
	n := 0
	for n < len(p) {
		if a.inStr && !a.escaped && a.state == arrIn {
			// Most of an export is the text of strings: copy a run of it at once, up to the next
			// byte that needs a look (a quote, a backslash, a line break).
			if buf, _ := a.r.Peek(a.r.Buffered()); len(buf) > 0 {
				k := min(plainRun(buf), len(p)-n)
				if k > 0 {
					n += copy(p[n:], buf[:k])
					_, _ = a.r.Discard(k)
					continue
				}
			}
		}
		if !a.inStr && a.state == arrIn {
			// A pretty-printed export indents every member: skip the white space at once.
			if buf, _ := a.r.Peek(a.r.Buffered()); len(buf) > 0 && jsonSpace[buf[0]] {
				k := 0
				for k < len(buf) && jsonSpace[buf[k]] {
					if buf[k] == '\n' {
						a.line++
					}
					k++
				}
				_, _ = a.r.Discard(k)
				continue
			}
		}
		c, err := a.r.ReadByte()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				a.err = err
				return n, err
			}
			switch {
			case a.state == arrStart && len(a.path) > 0:
				err = a.failAround("the input is empty")
			case a.state == arrStart:
				err = a.fail("the input is not a JSON array")
			case a.state == arrIn && a.inStr:
				err = a.fail("the input ends inside a string")
			case a.state == arrIn:
				err = a.fail("the input ends before the array's closing ]")
			case a.closing > 0:
				err = a.failAround("the input ends before the object's closing }")
			default:
				a.err = io.EOF
				err = io.EOF
			}
			return n, err
		}
		if c == '\n' {
			a.line++
		}
		switch a.state {
		case arrStart:
			if len(a.path) > 0 {
				_ = a.r.UnreadByte()
				if c == '\n' {
					a.line--
				}
				if err := a.seek(); err != nil {
					return n, err
				}
				a.state = arrIn
				continue
			}
			switch c {
			case ' ', '\t', '\n', '\r':
			case '[':
				a.state = arrIn
			default:
				return n, a.fail("the input is not a JSON array")
			}
			continue
		case arrEnd:
			switch c {
			case ' ', '\t', '\n', '\r':
				continue
			}
			if a.closing > 0 {
				// The members after the array, up to the outermost object's }.
				_ = a.r.UnreadByte()
				if err := a.finish(); err != nil {
					return n, err
				}
				continue
			}
			if len(a.path) > 0 {
				return n, a.failAround("more follows the object's closing }")
			}
			return n, a.fail("more follows the array's closing ]")
		}
		if a.inStr {
			switch {
			case a.escaped:
				a.escaped = false
			case c == '\\':
				a.escaped = true
			case c == '"':
				a.inStr = false
			case c == '\n' || c == '\r':
				c = 0x1f // still not JSON, but on the element's own line
			}
			p[n] = c
			n++
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
			a.inStr = true
		case '[', '{':
			a.depth++
		case ']', '}':
			if a.depth == 0 {
				if c == '}' {
					return n, a.fail("a } closes nothing")
				}
				if !a.has && a.n > 0 {
					return n, a.fail("a comma with no element after it")
				}
				a.state = arrEnd
				a.closing = len(a.path)
				if a.has {
					p[n] = '\n'
					n++
				}
				continue
			}
			a.depth--
		case ',':
			if a.depth == 0 {
				if !a.has {
					return n, a.fail("a comma with no element before it")
				}
				a.has = false
				p[n] = '\n'
				n++
				continue
			}
		}
		if !a.has {
			a.has = true
			a.n++
		}
		p[n] = c
		n++
	}
	return n, nil
}

// plainRun returns the length of the run of bytes at the start of b that a string holds as they
// are for ArrayReader: up to the first quote, backslash or line break.
func plainRun(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		if hasByte(x, '"') || hasByte(x, '\\') || hasByte(x, '\n') || hasByte(x, '\r') {
			break
		}
	}
	for ; i < len(b); i++ {
		switch b[i] {
		case '"', '\\', '\n', '\r':
			return i
		}
	}
	return i
}

// hasByte reports whether any of the 8 bytes of x is c (exact for "any": the borrow a zero byte
// starts can only mark bytes above it).
func hasByte(x uint64, c byte) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	y := x ^ (lo * uint64(c))
	return (y-lo)&^y&hi != 0
}

var jsonSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}
