package mapping

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// The translator reads a rule once, left to right, checking it and writing
// the text ojg will parse. It understands just enough of the grammar to find
// what ojg lacks and to report mistakes at the right column; ojg parses the
// result and does all evaluation. Every byte written remembers the byte of
// the rule it came from, so ojg's error offsets can be mapped back.

// translation is the outcome of translate.
type translation struct {
	buf  []byte
	offs []int // offs[i] is the offset in the rule that produced buf[i]
	// rootInFilter is set when a filter refers to the document root ($),
	// which the object-filter emulation cannot evaluate correctly.
	rootInFilter bool
	tail         *tailCall
	// slices are the path's own slices (not those inside filters) in the
	// Jayway dialect, in order, to replace the fragments ojg parses.
	slices []jaywaySlice
}

func (tr *translation) text() string { return string(tr.buf) }

// context says where a path appears, which decides the characters that end
// a name written in dot notation.
type context int

const (
	ctxTop    context = iota // the rule itself
	ctxFilter                // an operand inside a filter
	ctxArg                   // an argument of a path-tail function
)

type translator struct {
	translation
	src    string
	end    int // len(src) without trailing white space, which Jayway ignores
	pos    int
	jayway bool
	// inFilter counts the filters being read.
	inFilter int
}

// syntaxPanic carries a SyntaxError up from deep in the recursive descent;
// translate recovers only this type, so bugs still crash tests and fuzzing.
type syntaxPanic struct{ err *SyntaxError }

func (t *translator) fail(off int, expected, hint string) {
	panic(syntaxPanic{newSyntaxError(t.src, off, expected, hint)})
}

// translate checks src in the given dialect and, for Jayway, rewrites it.
func translate(src string, d Dialect) (tr *translation, serr *SyntaxError) {
	t := &translator{src: src, jayway: d == Jayway}
	t.end = len(strings.TrimRight(src, " \t\r\n"))
	defer func() {
		if r := recover(); r != nil {
			sp, ok := r.(syntaxPanic)
			if !ok {
				panic(r)
			}
			tr, serr = nil, sp.err
		}
	}()
	t.rule()
	return &t.translation, nil
}

func (t *translator) emit(s string, off int) {
	t.buf = append(t.buf, s...)
	for range len(s) {
		t.offs = append(t.offs, off)
	}
}

// capture runs f and returns what it wrote instead of keeping it, so that a
// filter operand can be wrapped in a function call after it has been read.
func (t *translator) capture(f func()) (buf []byte, offs []int) {
	mark := len(t.buf)
	f()
	buf = append([]byte(nil), t.buf[mark:]...)
	offs = append([]int(nil), t.offs[mark:]...)
	t.buf, t.offs = t.buf[:mark], t.offs[:mark]
	return buf, offs
}

func (t *translator) emitCaptured(buf []byte, offs []int) {
	t.buf = append(t.buf, buf...)
	t.offs = append(t.offs, offs...)
}

func (t *translator) more() bool { return t.pos < t.end }

func (t *translator) at(c byte) bool { return t.pos < t.end && t.src[t.pos] == c }

func (t *translator) peek(n int) byte {
	if t.pos+n < t.end {
		return t.src[t.pos+n]
	}
	return 0
}

func (t *translator) hasPrefix(s string) bool {
	return t.pos < t.end && strings.HasPrefix(t.src[t.pos:t.end], s)
}

func (t *translator) skipSpace() {
	for t.pos < t.end && isSpace(t.src[t.pos]) {
		t.pos++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// rule reads a whole rule.
func (t *translator) rule() {
	t.skipSpace()
	if !t.more() {
		t.fail(0, "a JSONPath such as $.email", "")
	}
	start := t.pos
	c := t.src[t.pos]
	switch {
	case c == '$':
		t.emit("$", t.pos)
		t.pos++
	case c == '/' || c == '#' && t.peek(1) == '/':
		t.fail(start, "a JSONPath starting with $", jsonPointerHint(t.src[start:t.end]))
	case c == '.':
		t.fail(start, "a JSONPath starting with $",
			"rules are JSONPath, not jq: write "+rootedForm(strings.TrimLeft(t.src[start:t.end], ".")))
	case !t.jayway:
		hint := "RFC 9535 queries start with $"
		if c == '@' || c == '[' || t.nameStart(ctxTop) {
			hint = fmt.Sprintf("RFC 9535 queries start with $: write %s (the jayway dialect adds the $ itself)", rootedForm(t.src[start:t.end]))
		}
		t.fail(start, "a JSONPath starting with $", hint)
	case c == '@':
		// Jayway evaluates a leading @ against the document, like $.
		t.emit("$", t.pos)
		t.pos++
	case c == '[':
		t.emit("$", t.pos)
	case t.nameStart(ctxTop):
		// Jayway compiles "login" as "$.login"; emitted as a dot segment.
		t.emit("$", t.pos)
		name, off := t.readName(ctxTop)
		if t.at('(') {
			t.tail = t.call(name, off, ctxTop)
		} else {
			t.emitDotName(name, off)
		}
	default:
		t.fail(start, "a JSONPath starting with $", "")
	}
	if t.tail == nil {
		t.tail = t.segments(ctxTop, false).fn
	}
	t.skipSpace()
	if t.more() {
		t.trailing()
	}
}

// trailing explains text after a complete path.
func (t *translator) trailing() {
	c := t.src[t.pos]
	if t.tail != nil {
		t.fail(t.pos, "the end of the rule after "+t.tail.name+"()", "a path function such as length() must be the last part of a rule")
	}
	switch c {
	case ')':
		t.fail(t.pos, "the end of the rule", "this ')' closes nothing; a filter is written [?(@.type == 'work')]")
	case ']':
		t.fail(t.pos, "the end of the rule", "this ']' closes nothing")
	case '=', '!', '<', '>', '&', '|', '~':
		t.fail(t.pos, "the end of the rule", "comparisons belong inside a filter, such as $.emails[?(@.primary == true)].email")
	}
	// A name with a space in it ends at the space in dot notation.
	if isSpace(t.src[t.pos-1]) && t.nameStart(ctxTop) {
		t.fail(t.pos, "the end of the rule", "names containing spaces need bracket notation, such as $['first name']")
	}
	t.fail(t.pos, "'.', '[' or the end of the rule", "")
}

// rootedForm guesses the $-rooted spelling of a rule without a root.
func rootedForm(s string) string {
	switch {
	case strings.HasPrefix(s, "@"):
		return "$" + s[1:]
	case strings.HasPrefix(s, "["):
		return "$" + s
	default:
		return "$." + s
	}
}

// jsonPointerHint converts a JSON Pointer (RFC 6901) such as /data/email
// into the JSONPath the user meant.
func jsonPointerHint(p string) string {
	p = strings.TrimPrefix(p, "#")
	var b strings.Builder
	b.WriteString("$")
	for _, tok := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch {
		case tok != "" && strings.Trim(tok, "0123456789") == "":
			b.WriteString("[" + tok + "]")
		case safeName(tok):
			b.WriteString("." + tok)
		default:
			b.WriteString("[" + quote(tok) + "]")
		}
	}
	return "rules are JSONPath, not JSON Pointer: write " + b.String()
}

// nameStart reports whether a name in dot notation starts here.
func (t *translator) nameStart(ctx context) bool {
	if !t.more() {
		return false
	}
	c := t.src[t.pos]
	if nameStop(c, ctx) || c == '*' {
		return false
	}
	// Jayway's PathCompiler.readPropertyOrFunctionToken takes everything
	// up to '.', '[' or '(' as the name, quotes and all: $.'key' selects
	// the member named 'key' with its quotes, and $.$ the member "$".
	if t.jayway && ctx == ctxTop {
		return true
	}
	return c != '$' && c != '@' && c != '\'' && c != '"'
}

// nameStop lists the characters that end a name in dot notation. Jayway
// reads a name up to '.', '[', '(' or a space, and inside a filter also up
// to an operator, so that @.a==1 compares a.
func nameStop(c byte, ctx context) bool {
	switch c {
	case '.', '[', '(', ')', ']', ' ', '\t', '\r', '\n':
		return true
	}
	if ctx != ctxTop {
		switch c {
		case ',', '=', '!', '<', '>', '&', '|', '~':
			return true
		}
	}
	return false
}

func (t *translator) readName(ctx context) (string, int) {
	start := t.pos
	for t.pos < t.end && !nameStop(t.src[t.pos], ctx) {
		t.pos++
	}
	return t.src[start:t.pos], start
}

// safeName reports whether ojg reads name correctly in dot notation; other
// names are written in bracket notation.
func safeName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(isLetter(c) || isDigit(c) || c == '_' || c >= utf8.RuneSelf) {
			return false
		}
	}
	return true
}

// quote writes s as an ojg single-quoted string.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' || s[i] == '\'' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('\'')
	return b.String()
}

func (t *translator) emitDotName(name string, off int) {
	t.checkRFCName(name, off)
	if safeName(name) {
		t.emit("."+name, off)
	} else {
		t.emit("["+quote(name)+"]", off)
	}
}

// checkRFCName refuses, in the RFC 9535 dialect, a dot-notation name that
// RFC 9535 only allows in brackets; the Jayway dialect rewrites it instead.
func (t *translator) checkRFCName(name string, off int) {
	if t.jayway || safeName(name) {
		return
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(isLetter(c) || isDigit(c) || c == '_' || c >= utf8.RuneSelf) {
			t.fail(off+i, "a letter, digit or '_' in a name in dot notation",
				"RFC 9535 needs bracket notation for this name: ["+quote(name)+"]")
		}
	}
}

// pathInfo describes a path read by segments.
type pathInfo struct {
	indefinite bool
	fn         *tailCall
}

// segments reads the segments after a path's root, up to the first
// character that cannot continue the path. element is set for a path from @
// inside a filter.
func (t *translator) segments(ctx context, element bool) (info pathInfo) {
	// bare stays set while the path has selected nothing but the element
	// itself (@, @..).
	bare := element
	for t.more() {
		if t.src[t.pos] != '.' || t.peek(1) != '.' {
			if t.src[t.pos] == '[' && bare && t.filterAhead() {
				// ojg evaluates every operand for every element, and a
				// filter on an element that is null panics (ojg v1.28.5).
				t.fail(t.pos, "a name or an index after @ before a nested filter",
					"name the member that holds the list, such as @.emails[?(@.primary == true)]")
			}
			if t.src[t.pos] != '.' || t.peek(1) != '[' {
				bare = false
			}
		}
		switch t.src[t.pos] {
		case '.':
			start := t.pos
			if t.peek(1) == '.' {
				t.pos += 2
				info.indefinite = true
				t.emit("..", start)
				switch {
				case t.at('*'):
					t.emit("*", t.pos)
					t.pos++
					bare = false
				case t.at('['):
					// ojg reads $..[...] itself
				case t.nameStart(ctx):
					name, off := t.readName(ctx)
					if t.at('(') {
						t.fail(off, "a property name after '..'", "a path function goes after a name, such as $..price.sum()")
					}
					t.checkRFCName(name, off)
					bare = false
					if safeName(name) {
						t.emit(name, off)
					} else {
						t.emit("["+quote(name)+"]", off)
					}
				default:
					t.fail(t.pos, "a property name, '*' or '[' after '..'", "")
				}
				continue
			}
			t.pos++
			switch {
			case t.at('*'):
				t.emit(".*", start)
				t.pos++
				info.indefinite = true
			case t.at('['):
				// Jayway accepts $.['a']; ojg does not, so the dot goes.
			case t.nameStart(ctx):
				name, off := t.readName(ctx)
				if t.at('(') {
					info.fn = t.call(name, off, ctx)
					return info
				}
				t.emitDotName(name, off)
			default:
				hint := ""
				if t.more() && isSpace(t.src[t.pos]) {
					hint = "names containing spaces need bracket notation, such as $['first name']"
				}
				t.fail(t.pos, "a property name after '.'", hint)
			}
		case '[':
			t.bracket(&info)
		default:
			return info
		}
	}
	return info
}

// filterAhead reports whether the '[' at t.pos opens a filter.
func (t *translator) filterAhead() bool {
	q := t.pos + 1
	for q < t.end && isSpace(t.src[q]) {
		q++
	}
	return q < t.end && t.src[q] == '?'
}

// bracket reads one [...] segment.
func (t *translator) bracket(info *pathInfo) {
	open := t.pos
	t.pos++
	t.skipSpace()
	if !t.more() {
		t.fail(t.end, "']' to close the '[' at column "+strconv.Itoa(column(t.src, open)), "")
	}
	switch c := t.src[t.pos]; {
	case c == '?':
		t.pos++
		info.indefinite = true
		t.filter(open)
	case c == '*':
		t.pos++
		t.skipSpace()
		if !t.at(']') {
			t.fail(t.pos, "']' after '[*'", "")
		}
		t.pos++
		t.emit("[*]", open)
		info.indefinite = true
	case c == '(':
		t.fail(t.pos, "a quoted name, an index, a slice, '*' or a filter inside []",
			"script expressions such as [(@.length-1)] are not supported; write [-1] for the last element")
	case c == ']':
		t.fail(t.pos, "a quoted name, an index, a slice, '*' or a filter inside []", "")
	default:
		t.selectors(open, info)
	}
}

// selectors reads names, indexes and slices between brackets. ojg checks
// how they are combined; here the strings are re-encoded for ojg and
// anything else is refused with a column.
func (t *translator) selectors(open int, info *pathInfo) {
	if t.jayway && t.inFilter == 0 && t.jaywaySlice(open, info) {
		return
	}
	t.emit("[", open)
	for {
		if !t.more() {
			t.fail(t.end, "']' to close the '[' at column "+strconv.Itoa(column(t.src, open)), "")
		}
		c := t.src[t.pos]
		switch {
		case c == ']':
			t.emit("]", t.pos)
			t.pos++
			return
		case c == '\'' || c == '"':
			off := t.pos
			s := t.readString()
			t.emit(quote(s), off)
		case isDigit(c) || c == '-' || c == ' ':
			t.emit(string(c), t.pos)
			t.pos++
		case c == ':' || c == ',':
			info.indefinite = true
			t.emit(string(c), t.pos)
			t.pos++
		default:
			hint := ""
			if isLetter(c) || c == '_' {
				hint = "quote names in brackets, such as ['" + t.wordAt(t.pos) + "']"
			}
			t.fail(t.pos, "a quoted name, an index, a slice, '*' or a filter inside []", hint)
		}
	}
}

// jaywaySlice reads a slice as Jayway's PathCompiler.readArrayToken and
// ArraySliceOperation.parse do: the text up to the next ']', trimmed, is a
// slice when it holds a ':' and only digits, '-', ':', ',' and spaces; it
// is then refused unless it holds only digits, '-' and ':'. t.pos is just
// past the '['. It reports whether it read a slice.
func (t *translator) jaywaySlice(open int, info *pathInfo) bool {
	end := strings.IndexByte(t.src[t.pos:t.end], ']')
	if end < 0 {
		return false
	}
	raw := t.src[t.pos : t.pos+end]
	text := strings.TrimSpace(raw)
	if !strings.Contains(text, ":") || strings.Trim(text, "0123456789-:, ") != "" {
		return false
	}
	lead := t.pos + strings.Index(raw, text)
	s, bad, expected := parseJaywaySlice(text)
	if bad >= 0 {
		t.fail(lead+bad, expected, "")
	}
	t.slices = append(t.slices, s)
	info.indefinite = true
	// ojg parses a slice here, which replaceSlices swaps for s.
	t.emit("[0:1]", open)
	t.pos += end + 1
	return true
}

func (t *translator) wordAt(p int) string {
	e := p
	for e < t.end && (isLetter(t.src[e]) || isDigit(t.src[e]) || t.src[e] == '_' || t.src[e] == '-') {
		e++
	}
	return t.src[p:e]
}

// readString reads a quoted string with JSON and Jayway escapes and returns
// its value.
func (t *translator) readString() string {
	q := t.src[t.pos]
	start := t.pos
	t.pos++
	var b strings.Builder
	for t.pos < t.end {
		c := t.src[t.pos]
		switch {
		case c == q:
			t.pos++
			return b.String()
		case c == '\\':
			if t.pos+1 >= t.end {
				break
			}
			e := t.src[t.pos+1]
			switch e {
			case '\\', '\'', '"', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, n := t.unicodeEscape(t.pos)
				b.WriteRune(r)
				t.pos += n
				continue
			default:
				t.fail(t.pos, `a valid escape sequence such as \' or \u00e9`, "")
			}
			t.pos += 2
			continue
		}
		b.WriteByte(c)
		t.pos++
	}
	t.fail(t.end, fmt.Sprintf("%c to close the string at column %d", q, column(t.src, start)), "")
	return ""
}

// unicodeEscape reads \uXXXX (and a following low surrogate) at p and
// returns the rune and the number of bytes read.
func (t *translator) unicodeEscape(p int) (rune, int) {
	hex := func(p int) rune {
		if p+6 > t.end {
			t.fail(p, `four hexadecimal digits after \u`, "")
		}
		v, err := strconv.ParseUint(t.src[p+2:p+6], 16, 32)
		if err != nil || t.src[p+1] != 'u' {
			t.fail(p, `four hexadecimal digits after \u`, "")
		}
		return rune(v)
	}
	r := hex(p)
	if 0xD800 <= r && r < 0xDC00 && p+12 <= t.end && t.src[p+6] == '\\' && t.src[p+7] == 'u' {
		if lo := hex(p + 6); 0xDC00 <= lo && lo < 0xE000 {
			return (r-0xD800)<<10 + (lo - 0xDC00) + 0x10000, 12
		}
	}
	if !utf8.ValidRune(r) {
		r = utf8.RuneError
	}
	return r, 6
}

// filter reads the expression of a [?...] segment; the '[' is at open and
// t.pos is just past the '?'. Jayway requires [?(...)] and RFC 9535 allows
// [?...]; both are read as an expression followed by ']'.
func (t *translator) filter(open int) {
	t.skipSpace()
	if t.at(']') {
		t.fail(t.pos, "a filter expression such as [?(@.type == 'work')]", "")
	}
	t.inFilter++
	expr, offs := t.capture(t.orExpr)
	t.inFilter--
	t.skipSpace()
	if !t.at(']') {
		expected := "']' to close the filter"
		if t.at(')') {
			expected = "']' to close the filter (this ')' has no '(')"
		}
		t.fail(t.pos, expected, "")
	}
	closing := t.pos
	t.pos++
	if (t.at('.') || t.at('[')) && laterFilter().MatchString(t.src[t.pos:t.end]) {
		// ojg passes a filter's matches, nulls included, to the segments
		// after it, and a later filter panics on a null (ojg v1.28.5). A
		// null has nothing for those segments to select, so dropping it
		// changes no result. The guard costs a lookup per element, so it
		// is only added when a filter may follow; a "[?" inside a string
		// adds it needlessly but harmlessly.
		t.emit("[?((", open)
		t.emitCaptured(expr, offs)
		t.emit(")&&(@ != null))]", closing)
		return
	}
	t.emit("[?(", open)
	t.emitCaptured(expr, offs)
	t.emit(")]", closing)
}

var laterFilter = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\[\s*\?`) })

// ojg gives && and || the same precedence and lets ! take everything to its
// right, so chains of && and || and every ! are written with explicit
// parentheses.

func (t *translator) orExpr() { t.chain("||", t.andExpr) }

func (t *translator) andExpr() { t.chain("&&", t.unary) }

// chain reads term (op term)* and parenthesises each term when there is
// more than one.
func (t *translator) chain(op string, term func()) {
	start := t.pos
	first, firstOffs := t.capture(term)
	t.skipSpace()
	if !t.hasPrefix(op) {
		t.emitCaptured(first, firstOffs)
		return
	}
	t.emit("(", start)
	t.emitCaptured(first, firstOffs)
	for t.hasPrefix(op) {
		t.emit(")"+op+"(", t.pos)
		t.pos += len(op)
		term()
		t.skipSpace()
	}
	t.emit(")", t.pos)
}

func (t *translator) unary() {
	t.skipSpace()
	switch {
	case t.at('!') && t.peek(1) != '=':
		t.emit("(!", t.pos)
		t.pos++
		t.unary()
		t.emit(")", t.pos)
	case t.at('('):
		open := t.pos
		t.pos++
		t.orExpr()
		t.skipSpace()
		if !t.at(')') {
			t.fail(t.pos, "')' to close the '(' at column "+strconv.Itoa(column(t.src, open)), "")
		}
		t.pos++
	case !t.more():
		t.fail(t.end, "a condition such as @.type == 'work'", "")
	default:
		t.relation()
	}
}

// operandKind classifies filter operands for the checks that need it.
type operandKind int

const (
	kindPath operandKind = iota
	kindLiteral
	kindRegex
	kindJSON // an object literal, passed to functions as marked text
)

type operand struct {
	kind       operandKind
	indefinite bool // a path that may select several nodes
	rooted     bool // a path from $
	off        int
	buf        []byte
	offs       []int
}

func (t *translator) operand() operand {
	t.skipSpace()
	op := operand{off: t.pos}
	op.buf, op.offs = t.capture(func() { op.kind, op.indefinite = t.value() })
	op.rooted = op.kind == kindPath && t.src[op.off] == '$'
	return op
}

// asList makes an indefinite path operand evaluate to the list of its
// matches, as Jayway evaluates it; ojg would instead try each match in turn,
// which is right for == but not for in, anyof and the like.
func (t *translator) asList(op operand) operand {
	if op.kind != kindPath || !op.indefinite {
		return op
	}
	if op.rooted {
		// ojg hands a list-valued function argument the matches of the
		// path from the current element, even for a path from $.
		t.fail(op.off, "a path from $ that selects a single value, such as a list",
			"write the path to the list itself, such as $.allowed rather than $.allowed[*]")
	}
	const fn = "ssoctllistall("
	buf := append(append([]byte(fn), op.buf...), ')')
	offs := make([]int, 0, len(buf))
	for range len(fn) {
		offs = append(offs, op.off)
	}
	offs = append(append(offs, op.offs...), op.off)
	op.buf, op.offs = buf, offs
	return op
}

// relation reads "operand [operator operand]".
func (t *translator) relation() {
	left := t.operand()
	t.skipSpace()
	opOff := t.pos
	op := t.operator()
	if op == "" {
		if left.kind == kindRegex {
			t.fail(t.pos, "=~ after the pattern", "")
		}
		if (left.kind == kindLiteral || left.kind == kindJSON) && !t.isFuncCall(left.off) {
			// Jayway's FilterCompiler.readExpression takes an operand
			// without an operator as an existence test, which only a
			// path can be ("Expected path node"); RFC 9535 refuses it too.
			t.fail(left.off, "a path or a comparison: a literal alone is no condition",
				"compare it, such as @.enabled == true, or test a member's existence with @.enabled")
		}
		// A bare path is an existence test: [?(@.email)]. ojg loses that
		// meaning once the path is inside parentheses (it then tests the
		// value's truth), so the test is written out.
		if t.jayway && left.kind == kindPath && left.indefinite && !left.rooted && !bytes.ContainsRune(left.buf, '$') {
			// Jayway tests such a path with REQUIRE_PROPERTIES (ValueNodes.PathNode.evaluate),
			// which ojg's exists does not do; see jaywayExists.
			t.emit("ssoctljexists(@, "+quote(string(left.buf))+")", left.off)
			return
		}
		t.emitCaptured(left.buf, left.offs)
		if left.kind == kindPath {
			t.emit(" exists true", left.off)
		}
		return
	}
	right := t.operand()
	if op == "=~" {
		switch {
		case right.kind == kindRegex:
		case left.kind == kindRegex:
			left, right = right, left
		default:
			t.fail(right.off, "a /pattern/ after =~", "write the pattern between slashes, such as =~ /.*@example\\.com/i")
		}
		t.call2("ssoctlmatches", opOff, left, right)
		return
	}
	if left.kind == kindRegex || right.kind == kindRegex {
		off := left.off
		if right.kind == kindRegex {
			off = right.off
		}
		t.fail(off, "a value: /patterns/ only work with =~", "")
	}
	switch op {
	case "==", "!=", "===", "!==":
		// ojg compares with Go's ==, which panics on two objects or two
		// lists, and has none of Jayway's conversions (see opEq).
		fn := map[string]string{"==": "ssoctleq", "!=": "ssoctlne", "===": "ssoctltseq", "!==": "ssoctltsne"}[op]
		t.call2(fn, opOff, left, right)
	case "<", "<=", ">", ">=", "exists":
		if left.kind == kindJSON || right.kind == kindJSON || isEmptyList(left) || isEmptyList(right) {
			// Jayway's evaluators compare only numbers and strings (and exists only
			// booleans): an object or a list never passes.
			t.call2("ssoctlnever", opOff, left, right)
			return
		}
		// ojg implements these as Jayway does.
		t.emitCaptured(left.buf, left.offs)
		t.emit(" "+op+" ", opOff)
		t.emitCaptured(right.buf, right.offs)
	case "empty":
		left = t.asList(left)
		t.emitCaptured(left.buf, left.offs)
		t.emit(" empty ", opOff)
		t.emitCaptured(right.buf, right.offs)
	default:
		if right.kind == kindPath && right.indefinite {
			// ojg v1.28.5 evaluates a list-valued function (ssoctllistall) as a first
			// argument only, so the operands swap places and a swapped function takes them.
			if left.kind == kindPath && left.indefinite {
				t.fail(right.off, "a path to one value or list on one side of "+op,
					"both sides select several nodes; write one side as the path to a list, such as @.roles, not @.roles[*]")
			}
			t.call2("ssoctlswapped"+op, opOff, t.asList(right), left)
			return
		}
		t.call2("ssoctl"+op, opOff, t.asList(left), t.asList(right))
	}
}

func isEmptyList(op operand) bool {
	return op.kind == kindLiteral && strings.Contains(string(op.buf), jsonMark)
}

// isFuncCall reports whether the operand at off is a function call such as
// length(@.x) rather than a literal.
func (t *translator) isFuncCall(off int) bool {
	w := t.wordAt(off)
	return w != "" && isLetter(w[0]) && w != "true" && w != "false" && w != "null"
}

func (t *translator) call2(fn string, off int, left, right operand) {
	t.emit(fn+"(", off)
	t.emitCaptured(left.buf, left.offs)
	t.emit(", ", off)
	t.emitCaptured(right.buf, right.offs)
	t.emit(")", off)
}

// wordOperators are Jayway's relational operators written as words; the
// translated ones are implemented in funcs.go.
var wordOperators = map[string]bool{
	"in": true, "nin": true, "subsetof": true, "anyof": true, "noneof": true,
	"size": true, "empty": true, "contains": true, "exists": true,
}

// operator reads a relational operator, or returns "" when the operand
// stands alone.
func (t *translator) operator() string {
	if !t.more() {
		return ""
	}
	off := t.pos
	// === and !== are Jayway's type-safe equality (RelationalOperator TSEQ
	// and TSNE): 1 == '1' holds, 1 === '1' does not.
	for _, op := range []string{"===", "!==", "==", "!=", "<=", ">=", "=~", "<", ">"} {
		if t.hasPrefix(op) {
			switch {
			case op == "=~" && !t.jayway:
				t.fail(off, "an RFC 9535 comparison operator", "=~ is Jayway syntax; RFC 9535 has match(@.x, 'pattern') and search(...), or use the jayway dialect")
			}
			t.pos += len(op)
			return op
		}
	}
	switch c := t.src[t.pos]; {
	case c == '=':
		t.fail(off, "an operator such as == or in", "compare with ==; a single = is not an operator")
	case c == '~' && t.peek(1) == '=':
		t.fail(off, "an operator such as == or =~", "Jayway writes the regex operator =~")
	case isLetter(c):
		w := t.wordAt(off)
		lw := strings.ToLower(w)
		if !wordOperators[lw] {
			hint := "supported operators: == != < <= > >= =~ in nin subsetof anyof noneof size empty contains exists"
			switch lw {
			case "all", "type", "matches":
				hint = "Jayway's undocumented operator " + lw + " is not supported; " + hint
			case "and", "or", "not":
				hint = "logical operators are written && || !"
			}
			t.fail(off, "an operator such as == or in", hint)
		}
		if !t.jayway {
			t.fail(off, "an RFC 9535 comparison operator", lw+" is Jayway syntax, not RFC 9535; use the jayway dialect")
		}
		t.pos += len(w)
		return lw
	}
	return ""
}

// value reads one filter operand and writes it for ojg; indefinite is set
// for a path that may select several nodes.
func (t *translator) value() (kind operandKind, indefinite bool) {
	if !t.more() {
		t.fail(t.end, "a value after the operator", "")
	}
	off := t.pos
	c := t.src[t.pos]
	switch {
	case c == '@' || c == '$':
		if c == '$' {
			t.rootInFilter = true
		}
		t.emit(string(c), off)
		t.pos++
		mark := len(t.buf)
		info := t.segments(ctxFilter, c == '@')
		if info.fn != nil {
			t.wrapFilterFunc(mark, info)
			return kindPath, false
		}
		return kindPath, info.indefinite
	case c == '\'' || c == '"':
		s := t.readString()
		t.emit(quote(s), off)
		return kindLiteral, false
	case c == '-' || isDigit(c):
		t.number()
		return kindLiteral, false
	case c == '[':
		t.list()
		return kindLiteral, false
	case c == '/':
		t.regex()
		return kindRegex, false
	case c == '{':
		t.jsonObject()
		return kindJSON, false
	case isLetter(c):
		w := t.wordAt(off)
		switch w {
		case "true", "false", "null":
			t.emit(w, off)
			t.pos += len(w)
			return kindLiteral, false
		case "length", "count", "match", "search":
			if t.peek(len(w)) == '(' {
				t.filterFuncCall(w)
				return kindLiteral, false
			}
		}
		t.fail(off, "a value: a path such as @.type, a quoted string, a number, true, false or null",
			fmt.Sprintf("quote text, such as '%s', or write @.%s for a member of the element", w, w))
	}
	t.fail(off, "a value: a path such as @.type, a quoted string, a number, true, false or null", "")
	return kindLiteral, false
}

var numberPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?`) })

func (t *translator) number() {
	m := numberPattern().FindString(t.src[t.pos:t.end])
	if m == "" {
		t.fail(t.pos, "a number", "")
	}
	t.emit(m, t.pos)
	t.pos += len(m)
	if t.more() && (isLetter(t.src[t.pos]) || t.src[t.pos] == '.') {
		t.fail(t.pos, "an operator or the end of the condition after the number", "")
	}
}

// jsonObject reads a JSON object literal, as Jayway's FilterCompiler.readJsonLiteral does (up to
// the matching '}', strings in either quote), and writes a call that gives ojg its value: ojg has no
// object literals. Jayway's JSON parser is permissive about quotes; single-quoted strings are
// accepted here too.
func (t *translator) jsonObject() {
	open := t.pos
	var b strings.Builder
	depth := 0
	for {
		if !t.more() {
			t.fail(t.end, "'}' to close the object at column "+strconv.Itoa(column(t.src, open)), "")
		}
		c := t.src[t.pos]
		switch c {
		case '\'', '"':
			s := t.readString()
			enc, _ := json.Marshal(s)
			b.Write(enc)
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
		b.WriteByte(c)
		t.pos++
		if depth == 0 {
			break
		}
	}
	text := b.String()
	if !json.Valid([]byte(text)) {
		t.fail(open, "a JSON object", "")
	}
	t.emit(quote(jsonMark+text), open)
}

// list reads a JSON array literal such as ['a','b'] for in, nin and friends.
func (t *translator) list() {
	open := t.pos
	t.pos++
	t.skipSpace()
	if t.at(']') {
		// ojg cannot parse [], so it is passed as marked text (see jsonMark).
		t.emit(quote(jsonMark+"[]"), open)
		t.pos++
		return
	}
	t.emit("[", open)
	for {
		t.skipSpace()
		if !t.more() {
			t.fail(t.end, "']' to close the list at column "+strconv.Itoa(column(t.src, open)), "")
		}
		off := t.pos
		switch c := t.src[t.pos]; {
		case c == '\'' || c == '"':
			t.emit(quote(t.readString()), off)
		case c == '-' || isDigit(c):
			t.number()
		case c == '[':
			t.list()
		case isLetter(c):
			w := t.wordAt(off)
			if w != "true" && w != "false" && w != "null" {
				t.fail(off, "a list element: a quoted string, a number, true, false or null", "")
			}
			t.emit(w, off)
			t.pos += len(w)
		default:
			t.fail(off, "a list element: a quoted string, a number, true, false or null", "")
		}
		t.skipSpace()
		switch {
		case t.at(','):
			t.emit(",", t.pos)
			t.pos++
		case t.at(']'):
			t.emit("]", t.pos)
			t.pos++
			return
		default:
			t.fail(t.pos, "',' or ']' in the list opened at column "+strconv.Itoa(column(t.src, open)), "")
		}
	}
}

// regex reads /pattern/flags and writes a Go pattern that, like Jayway's
// Matcher.matches, must match the whole value.
func (t *translator) regex() {
	if !t.jayway {
		t.fail(t.pos, "an RFC 9535 value", "/pattern/ is Jayway syntax; RFC 9535 has match(@.x, 'pattern') and search(...), or use the jayway dialect")
	}
	open := t.pos
	t.pos++
	start := t.pos
	for {
		if !t.more() {
			t.fail(t.end, "'/' to close the pattern at column "+strconv.Itoa(column(t.src, open)), "")
		}
		c := t.src[t.pos]
		if c == '\\' {
			t.pos += 2
			continue
		}
		if c == '/' {
			break
		}
		t.pos++
	}
	body := t.src[start:t.pos]
	t.pos++
	var flags strings.Builder
	for t.more() && isLetter(t.src[t.pos]) {
		switch f := t.src[t.pos]; f {
		case 'i', 'm', 's':
			if !strings.ContainsRune(flags.String(), rune(f)) {
				flags.WriteByte(f)
			}
		case 'd', 'u':
			// UNIX_LINES and UNICODE_CASE are what Go does anyway.
		case 'x', 'U':
			t.fail(t.pos, "a regex flag Go supports: i, m or s",
				fmt.Sprintf("Java's flag %c has no Go equivalent; rewrite the pattern without it", f))
		default:
			t.fail(t.pos, "a regex flag: i, m or s", "")
		}
		t.pos++
	}
	pattern := `\A(?:` + body + `)\z`
	if flags.Len() > 0 {
		pattern = "(?" + flags.String() + ")" + pattern
	}
	if _, err := regexp.Compile(pattern); err != nil {
		msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
		t.fail(start, "a regular expression in Go's RE2 syntax",
			msg+"; RE2 has no lookaround, backreferences or possessive quantifiers")
	}
	t.emit("/"+pattern+"/", open)
}

// filterFuncCall reads an ojg/RFC 9535 function call such as length(@.x) or
// match(@.x, 'a.*'); ojg evaluates these itself.
func (t *translator) filterFuncCall(name string) {
	off := t.pos
	t.emit(name+"(", off)
	t.pos += len(name) + 1
	for n := 0; ; n++ {
		t.skipSpace()
		if t.at(')') && n == 0 {
			t.fail(t.pos, "an argument for "+name+"()", "")
		}
		t.value()
		t.skipSpace()
		switch {
		case t.at(','):
			t.emit(", ", t.pos)
			t.pos++
		case t.at(')'):
			t.emit(")", t.pos)
			t.pos++
			return
		default:
			t.fail(t.pos, "',' or ')' in the call of "+name+"() at column "+strconv.Itoa(column(t.src, off)), "")
		}
	}
}

// filterFuncs are the path functions that work on a filter operand, such as
// @.tags.length() > 1; each is registered with ojg twice (see funcs.go).
var filterFuncs = map[string]string{
	"length": "length", "size": "length", "min": "min", "max": "max", "avg": "avg",
	"stddev": "stddev", "sum": "sum", "first": "first", "last": "last", "keys": "keys",
}

// wrapFilterFunc turns "@.tags" + length() written from mark on into
// "ssoctllength(@.tags)". A definite path hands the function its value; any
// other path hands it the list of matches, as Jayway does.
func (t *translator) wrapFilterFunc(mark int, info pathInfo) {
	fn := info.fn
	if len(fn.args) > 0 || filterFuncs[fn.name] == "" {
		t.fail(fn.off, "a function that works inside a filter: length(), size(), min(), max(), avg(), stddev(), sum(), first(), last() or keys()", "")
	}
	name := "ssoctl" + filterFuncs[fn.name]
	if info.indefinite {
		if t.src[t.offs[mark-1]] == '$' {
			// As in asList: ojg would read the path from the element.
			t.fail(fn.off, "a function of a path from $ that selects a single value",
				"apply the function to a path to one list, such as $.prices.max(), not $..price.max()")
		}
		name += "all"
	}
	buf := append([]byte(nil), t.buf[mark-1:]...)
	offs := append([]int(nil), t.offs[mark-1:]...)
	t.buf, t.offs = t.buf[:mark-1], t.offs[:mark-1]
	t.emit(name+"(", fn.off)
	t.emitCaptured(buf, offs)
	t.emit(")", fn.off)
}

// call reads a path-tail function call such as length() or concat('-', $.b)
// whose name has been read; t.pos is at '('.
func (t *translator) call(name string, off int, ctx context) *tailCall {
	if !t.jayway {
		t.fail(off, "a name: RFC 9535 has no path functions",
			"."+name+"() is Jayway syntax; RFC 9535 has length(@.x) and count(@.x) inside filters, or use the jayway dialect")
	}
	spec, ok := tailFuncs[name]
	if !ok {
		t.fail(off, "a known path function", "functions: length() size() min() max() avg() stddev() sum() keys() first() last() index(n) concat(...) append(...)")
	}
	if ctx == ctxArg {
		t.fail(off, "a path without a function as a function argument", "")
	}
	call := &tailCall{name: name, off: off}
	open := t.pos
	t.pos++
	t.skipSpace()
	for !t.at(')') {
		if !t.more() {
			t.fail(t.end, "')' to close "+name+"( at column "+strconv.Itoa(column(t.src, open)), "")
		}
		call.args = append(call.args, t.funcArg())
		t.skipSpace()
		switch {
		case t.at(','):
			t.pos++
			t.skipSpace()
			if t.at(')') {
				t.fail(t.pos, "another argument after ','", "")
			}
		case t.at(')'):
		default:
			t.fail(t.pos, "',' or ')' in the arguments of "+name+"()", "")
		}
	}
	t.pos++
	if n := len(call.args); n < spec.minArgs || (spec.maxArgs >= 0 && n > spec.maxArgs) {
		t.fail(off, name+"() with "+spec.arity, "")
	}
	if t.at('.') || t.at('[') {
		t.fail(t.pos, "the end of the path after "+name+"()", "a path function such as "+name+"() must be the last part of a path")
	}
	return call
}

// funcArg reads one argument of a path-tail function: a literal, or a path
// that is evaluated against the document.
func (t *translator) funcArg() tailArg {
	off := t.pos
	c := t.src[t.pos]
	switch {
	case c == '$' || c == '@':
		if c == '$' {
			t.rootInFilter = true // harmless: only disables the object-filter emulation
		}
		buf, offs := t.capture(func() {
			t.emit("$", off)
			t.pos++
			t.segments(ctxArg, false)
		})
		return tailArg{off: off, path: string(buf), pathOffs: offs}
	case c == '\'' || c == '"':
		return tailArg{off: off, lit: t.readString()}
	case c == '-' || isDigit(c):
		m := numberPattern().FindString(t.src[t.pos:t.end])
		t.pos += len(m)
		if i, err := strconv.ParseInt(m, 10, 64); err == nil {
			return tailArg{off: off, lit: i}
		}
		f, err := strconv.ParseFloat(m, 64)
		if err != nil {
			t.fail(off, "a number", "")
		}
		return tailArg{off: off, lit: f}
	case isLetter(c):
		switch w := t.wordAt(off); w {
		case "true", "false":
			t.pos += len(w)
			return tailArg{off: off, lit: w == "true"}
		case "null":
			t.pos += len(w)
			return tailArg{off: off}
		}
	}
	t.fail(off, "a function argument: a quoted string, a number, true, false, null or a path such as $.name", "")
	return tailArg{}
}
