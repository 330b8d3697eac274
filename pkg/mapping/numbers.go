package mapping

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// NumberRangeError is a JSON number larger than a float64 holds (1e400): decoders turn it into
// infinity ("+Inf" as text) or refuse it (encoding/json), so no app stores what the document says.
// ParseJSON refuses such a document rather than map a value no app would see.
type NumberRangeError struct {
	// Text is the number as written; Line and Column (1-based) where it starts.
	Text         string
	Line, Column int
}

// Error returns e.g. "the number 1e400 at line 1, column 7 is larger than any a JSON decoder
// holds (about 1.8e308)".
func (e *NumberRangeError) Error() string {
	return fmt.Sprintf("the number %s at line %d, column %d %s", e.Text, e.Line, e.Column, e.Why())
}

// Why says what is wrong with the number, for messages that name the place themselves.
func (e *NumberRangeError) Why() string {
	return "is larger than any a JSON decoder holds (about 1.8e308): apps would read it as infinity or refuse the document"
}

// hugeNumber finds the first number in data, a valid JSON document, that overflows a float64.
func hugeNumber(data []byte) *NumberRangeError {
	// Only a number with an exponent or more than 308 digits can overflow: skip the scan when
	// there is no 'e' or 'E' at all and the document is short.
	if len(data) < 300 && !bytes.ContainsAny(data, "eE") {
		return nil
	}
	inStr := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inStr {
			switch c {
			case '\\':
				i++
			case '"':
				inStr = false
			}
			continue
		}
		switch {
		case c == '"':
			inStr = true
		case c == '-' || c >= '0' && c <= '9':
			j := i + 1
			for j < len(data) && numberByte(data[j]) {
				j++
			}
			if overflows(data[i:j]) {
				line := bytes.Count(data[:i], []byte{'\n'}) + 1
				col := utf8.RuneCount(data[bytes.LastIndexByte(data[:i], '\n')+1:i]) + 1
				return &NumberRangeError{Text: string(data[i:j]), Line: line, Column: col}
			}
			i = j - 1
		}
	}
	return nil
}

func numberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}

// overflows reports whether the JSON number text becomes infinite as a float64. Integers are
// exact up to 18 digits (ParseJSON keeps them as int64), so only longer ones and those with a
// fraction or an exponent are parsed.
func overflows(text []byte) bool {
	if len(text) < 19 && !bytes.ContainsAny(text, "eE") {
		return false
	}
	f, err := strconv.ParseFloat(string(text), 64)
	return err != nil && math.IsInf(f, 0)
}
