package mapping

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// SyntaxError reports a rule that cannot be compiled.
type SyntaxError struct {
	// Field is the mapping field the rule is for; empty for map query.
	Field string
	// Expr is the rule exactly as written.
	Expr string
	// Column is the 1-based position, in characters, of the problem within
	// Expr, clamped to Expr's length. Positions that come from ojg are
	// approximate (ojg reports a byte offset at or just past the problem).
	Column int
	// Expected says what would have been valid at Column.
	Expected string

	hint string
}

// Error returns one lowercase sentence naming the rule, the column and what
// was expected.
func (e *SyntaxError) Error() string {
	name := "rule"
	if e.Field != "" {
		name = "rule " + e.Field
	}
	return fmt.Sprintf("%s %q has a syntax error at column %d: expected %s", name, e.Expr, e.Column, e.Expected)
}

// Hint returns advice on fixing the rule, or "" when there is none to give
// beyond Expected.
func (e *SyntaxError) Hint() string { return e.hint }

// newSyntaxError places a problem found at byte offset off of expr.
func newSyntaxError(expr string, off int, expected, hint string) *SyntaxError {
	return &SyntaxError{Expr: expr, Column: column(expr, off), Expected: expected, hint: hint}
}

// column turns a byte offset into a 1-based character column that points
// into expr: an offset at or past the end (a rule that stops too early)
// points at the last character, so editors and carets stay on the rule.
func column(expr string, off int) int {
	n := utf8.RuneCountInString(expr)
	if n == 0 {
		return 1
	}
	if off < 0 {
		off = 0
	}
	if off > len(expr) {
		off = len(expr)
	}
	c := utf8.RuneCountInString(expr[:off]) + 1
	return min(c, n)
}

// ojgPosition matches the tail ojg appends to its parse errors:
// "<message> at <1-based offset> in <expression>".
var ojgPosition = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(` at (\d+)$`) })

// ojgSyntaxError turns an ojg parse error into a SyntaxError on the user's
// text. text is what ojg parsed; offs maps each byte of text back to expr
// (nil when text is expr itself).
func ojgSyntaxError(expr, text string, offs []int, err error) *SyntaxError {
	msg := err.Error()
	off := len(expr)
	if head, ok := strings.CutSuffix(msg, " in "+text); ok {
		msg = head
		if m := ojgPosition().FindStringSubmatch(head); m != nil {
			msg = strings.TrimSuffix(head, m[0])
			n, _ := strconv.Atoi(m[1])
			i := max(0, min(n-1, len(text)-1))
			off = i
			if offs != nil && i < len(offs) {
				off = offs[i]
			}
		}
	}
	expected := "valid JSONPath syntax"
	switch {
	case strings.Contains(msg, "slice"):
		expected = "a slice such as [0:2]"
	case strings.Contains(msg, "union"):
		expected = "quoted names or indexes separated by commas, such as ['a','b'] or [0,2]"
	case strings.Contains(msg, "bracket"):
		expected = "a quoted name, an index, a slice, '*' or a filter inside []"
	case strings.Contains(msg, "expected a number"):
		expected = "a number"
	case strings.Contains(msg, "not terminated"):
		expected = "the rest of the expression (it ends too early)"
	case strings.Contains(msg, "escaped character"), strings.Contains(msg, "hexadecimal"):
		expected = `a valid escape sequence such as \' or \u00e9`
	case strings.Contains(msg, "not a valid operation"):
		expected = "an operator such as == or &&"
	case strings.Contains(msg, "not a value or function"):
		expected = "a value, a path or a function"
	case strings.Contains(msg, "CompileScript"):
		expected = "a name, an index, '*' or a filter inside []"
		msg = "script expressions [(...)] are not supported"
	}
	return newSyntaxError(expr, off, expected, "the JSONPath parser said: "+msg)
}
