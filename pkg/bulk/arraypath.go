package bulk

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/ohler55/ojg/jp"
)

// The way to and from an array inside an object (NewArrayReaderAt). The members on the way are
// read byte by byte and only their structure is checked (strings closed, brackets balanced), as
// the array's own structure is: what lies outside the array is not mapped, and its size is not
// bounded (a realm export's clients and groups), so none of it is kept.

// maxKey is the longest member name kept for comparison; a longer one is skipped, as it cannot be
// a name of the path (which the user typed).
const maxKey = 64 << 10

// next returns the next byte that is not white space.
func (a *ArrayReader) next() (byte, error) {
	for {
		c, err := a.r.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case '\n':
			a.line++
			continue
		case ' ', '\t', '\r':
			continue
		}
		return c, nil
	}
}

// eof turns a read error met outside the array into the reader's error.
func (a *ArrayReader) eof(err error) error {
	if !errors.Is(err, io.EOF) {
		a.err = err
		return err
	}
	if a.state == arrEnd {
		return a.failAround("the input ends before the object's closing }")
	}
	return a.failAround("the input ends before it")
}

// seek reads up to and including the [ of the array at a.path.
func (a *ArrayReader) seek() error {
	for level, name := range a.path {
		c, err := a.next()
		if level == 0 && errors.Is(err, io.EOF) {
			return a.failAround("the input is empty")
		}
		if err != nil {
			return a.eof(err)
		}
		if c != '{' {
			return a.failAround(fmt.Sprintf("%s is %s, not an object", PathText(a.path[:level]), kindOf(c)))
		}
		for first := true; ; first = false {
			key, end, err := a.member(first)
			if err != nil {
				return err
			}
			if end {
				return a.failAround(fmt.Sprintf("%s has no member %q", PathText(a.path[:level]), name))
			}
			if key == name {
				break
			}
			if err := a.skipValue(); err != nil {
				return err
			}
		}
	}
	c, err := a.next()
	if err != nil {
		return a.eof(err)
	}
	if c != '[' {
		return a.failAround(fmt.Sprintf("%s is %s, not an array", PathText(a.path), kindOf(c)))
	}
	return nil
}

// finish reads the members after the array up to the outermost object's }, refusing a second
// member of the path's name (JSON parsers keep the last of two, the stream has read the first).
func (a *ArrayReader) finish() error {
	for a.closing > 0 {
		key, end, err := a.member(false)
		if err != nil {
			return err
		}
		if end {
			a.closing--
			continue
		}
		if name := a.path[a.closing-1]; key == name {
			return a.failAround(fmt.Sprintf("%s appears twice; give an export with one", PathText(a.path[:a.closing])))
		}
		if err := a.skipValue(); err != nil {
			return err
		}
	}
	return nil
}

// member reads what comes next in an object: "name": (then the value is next), or the
// object's closing } (end). first says it is the object's first member, after {, rather than
// after a value, where a comma must come first.
func (a *ArrayReader) member(first bool) (name string, end bool, err error) {
	c, err := a.next()
	if err != nil {
		return "", false, a.eof(err)
	}
	if c == '}' {
		return "", true, nil
	}
	if !first {
		if c != ',' {
			return "", false, a.failAround(fmt.Sprintf("a %q where a comma or } belongs", c))
		}
		if c, err = a.next(); err != nil {
			return "", false, a.eof(err)
		}
	}
	if c != '"' {
		return "", false, a.failAround(fmt.Sprintf("a %q where a member name belongs", c))
	}
	raw := []byte{'"'}
	escaped, esc := false, false
	for {
		c, err := a.r.ReadByte()
		if err != nil {
			return "", false, a.eof(err)
		}
		if c == '\n' {
			a.line++
		}
		if len(raw) < maxKey {
			raw = append(raw, c)
		}
		if escaped {
			escaped = false
			continue
		}
		if c == '\\' {
			escaped, esc = true, true
			continue
		}
		if c == '"' {
			break
		}
	}
	if c, err = a.next(); err != nil {
		return "", false, a.eof(err)
	}
	if c != ':' {
		return "", false, a.failAround(fmt.Sprintf("a %q where the colon after a member name belongs", c))
	}
	if len(raw) >= maxKey {
		return "", false, nil // too long to be one of the path's
	}
	if !esc {
		return string(raw[1 : len(raw)-1]), false, nil
	}
	if err := json.Unmarshal(raw, &name); err != nil {
		return "", false, a.failAround("a member name is not a valid JSON string")
	}
	return name, false, nil
}

// skipValue reads past one value.
func (a *ArrayReader) skipValue() error {
	c, err := a.next()
	if err != nil {
		return a.eof(err)
	}
	switch c {
	case '"':
		return a.skipString()
	case '{', '[':
		for depth := 1; depth > 0; {
			c, err := a.r.ReadByte()
			if err != nil {
				return a.eof(err)
			}
			switch c {
			case '\n':
				a.line++
			case '"':
				if err := a.skipString(); err != nil {
					return err
				}
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
		}
		return nil
	case ',', '}', ']', ':':
		return a.failAround(fmt.Sprintf("a %q where a value belongs", c))
	}
	// A number, true, false or null: up to the byte after it, which is left for the caller.
	for {
		c, err := a.r.ReadByte()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return a.eof(err)
		}
		switch c {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			_ = a.r.UnreadByte()
			return nil
		}
	}
}

// skipString reads past the rest of a string whose opening quote was read.
func (a *ArrayReader) skipString() error {
	escaped := false
	for {
		c, err := a.r.ReadByte()
		if err != nil {
			return a.eof(err)
		}
		switch {
		case escaped:
			escaped = false
		case c == '\\':
			escaped = true
		case c == '"':
			return nil
		case c == '\n':
			a.line++
		}
	}
}

// kindOf names the JSON value that begins with c.
func kindOf(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	if c == '-' || c >= '0' && c <= '9' {
		return "a number"
	}
	return fmt.Sprintf("not JSON (%q)", c)
}

// ParseArrayPath reads the path of an array inside an object, written as a JSONPath of member
// names ($.users, $.data['user list']; $ alone is a top-level array). It is parsed by ojg, as
// rules are; anything but names (an index, a wildcard, a filter) is refused, since the reader
// follows one member at each level.
func ParseArrayPath(s string) ([]string, error) {
	x, err := jp.ParseString(s)
	if err != nil {
		return nil, fmt.Errorf("%s is not a JSONPath: %w", s, err)
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("%s is not a JSONPath of member names", s)
	}
	if _, ok := x[0].(jp.Root); !ok {
		return nil, fmt.Errorf("%s does not start at the document's root ($)", s)
	}
	path := make([]string, 0, len(x)-1)
	for _, f := range x[1:] {
		c, ok := f.(jp.Child)
		if !ok {
			return nil, fmt.Errorf("%s holds %s, and only member names lead to the array", s, jp.Expr{f}.String())
		}
		path = append(path, string(c))
	}
	return path, nil
}
