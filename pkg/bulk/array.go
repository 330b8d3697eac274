package bulk

import (
	"bufio"
	"errors"
	"fmt"
	"io"
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
	state   uint8
	depth   int   // nesting inside the current element
	inStr   bool  // inside a string
	escaped bool  // after a backslash in a string
	has     bool  // the current element has begun
	n       int64 // elements begun
	line    int64 // the input's line, for errors
	err     error
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

// ArrayError is a JSON array whose structure is broken.
type ArrayError struct {
	// Element is the element (1-based) where it broke, Line the input line.
	Element, Line int64
	Problem       string
}

// Error returns e.g. "the JSON array breaks at element 3 (input line 17): a comma with no element
// before it".
func (e *ArrayError) Error() string {
	return fmt.Sprintf("the JSON array breaks at element %d (input line %d): %s", e.Element, e.Line, e.Problem)
}

func (a *ArrayReader) fail(problem string) error {
	a.err = &ArrayError{Element: max(a.n, 1), Line: a.line, Problem: problem}
	return a.err
}

// Read writes the next elements, one a line, into p.
func (a *ArrayReader) Read(p []byte) (int, error) {
	if a.err != nil {
		return 0, a.err
	}
	n := 0
	for n < len(p) {
		c, err := a.r.ReadByte()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				a.err = err
				return n, err
			}
			switch {
			case a.state == arrStart:
				err = a.fail("the input is not a JSON array")
			case a.state == arrIn && a.inStr:
				err = a.fail("the input ends inside a string")
			case a.state == arrIn:
				err = a.fail("the input ends before the array's closing ]")
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
