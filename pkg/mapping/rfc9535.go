package mapping

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/ohler55/ojg/jp"
)

// The RFC 9535 dialect is read by its own parser, which follows the RFC's
// grammar (section 2 and its ABNF in appendix A) to the letter, including the
// well-typedness rules for filter expressions (section 2.4.3), and refuses
// everything else with the column of the first character it cannot accept.
// The query is then handed to ojg as a jp.Expr built fragment by fragment:
// ojg's own fragments select names, indexes, slices and wildcards, and ojg
// walks the path. Three things ojg does differently from the RFC are
// supplied as jp.Proc fragments, ojg's extension point for a segment
// computed by the caller: a bracket with several selectors (ojg's unions take
// only names and indexes), the descendant segment (ojg visits descendants in
// an order of its own; RFC 9535 section 2.5.2.2 wants arrays in order,
// parents before children), and filters, whose comparisons, existence tests
// and functions (length, count, match, search, value) follow section 2.3.5
// and 2.4 rather than ojg's script evaluator (which, for one, passes nil to
// a function nested in another).

// maxExactInt is the largest integer an RFC 9535 index or slice bound may be
// (I-JSON's exact range, RFC 9535 section 2.1).
const maxExactInt = 1<<53 - 1

// rfcQuery is a parsed query: from $ (or @ inside a filter) and segments.
type rfcQuery struct {
	relative bool
	segs     []rfcSegment
	// usesRoot is set when a filter somewhere below refers to $, so the
	// fragments must be built for each document.
	usesRoot bool
}

type rfcSegment struct {
	descendant bool
	sels       []rfcSelector
	off        int // where the segment starts in the query
}

type selKind int

const (
	selName selKind = iota
	selIndex
	selWildcard
	selSlice
	selFilter
)

type rfcSelector struct {
	off    int // where the selector starts in the query
	kind   selKind
	name   string
	index  int
	slice  rfcSlice
	filter rfcLogical
}

// singular reports whether the query selects at most one node (RFC 9535
// section 2.3.5.1: names and indexes only, one per segment).
func (q *rfcQuery) singular() bool {
	for _, s := range q.segs {
		if s.descendant || len(s.sels) != 1 || (s.sels[0].kind != selName && s.sels[0].kind != selIndex) {
			return false
		}
	}
	return true
}

// expr builds the ojg path for q; root is the document that $ inside
// filters refers to.
func (q *rfcQuery) expr(root any) jp.Expr {
	x := make(jp.Expr, 0, len(q.segs)+2)
	if q.relative {
		x = append(x, jp.At('@'))
	} else {
		x = append(x, jp.Root('$'))
	}
	for _, s := range q.segs {
		if s.descendant {
			x = append(x, &jp.Proc{Procedure: descendants{}, Script: []byte("(descendants)")})
		}
		if len(s.sels) == 1 {
			x = append(x, s.sels[0].frag(root))
			continue
		}
		u := make(union, len(s.sels))
		for i, sel := range s.sels {
			u[i] = jp.Expr{sel.frag(root)}
		}
		x = append(x, &jp.Proc{Procedure: u, Script: []byte("(union)")})
	}
	return x
}

func (s rfcSelector) frag(root any) jp.Frag {
	switch s.kind {
	case selName:
		return jp.Child(s.name)
	case selIndex:
		return jp.Nth(s.index)
	case selWildcard:
		return jp.Wildcard('*')
	case selSlice:
		return &jp.Proc{Procedure: s.slice, Script: []byte("(slice)")}
	default:
		return &jp.Proc{Procedure: &filterProc{cond: s.filter, root: root}, Script: []byte("(filter)")}
	}
}

// get evaluates a query from @ (cur) or $ (root) and returns its nodes.
func (q *rfcQuery) get(x jp.Expr, cur, root any) []any {
	if q.relative {
		return x.Get(cur)
	}
	return x.Get(root)
}

// union is a bracket with several selectors: each selector's nodes, in the
// order of the selectors (RFC 9535 section 2.5.1.2), duplicates kept.
type union []jp.Expr

func (u union) Get(data any) []any {
	var out []any
	for _, x := range u {
		out = append(out, x.Get(data)...)
	}
	return out
}

func (u union) First(data any) any {
	if got := u.Get(data); len(got) > 0 {
		return got[0]
	}
	return nil
}

// descendants lists a node and all its descendants, parents before children
// and arrays in order (RFC 9535 section 2.5.2.2); the next fragment then
// applies the segment's selectors to each.
type descendants struct{}

func (descendants) Get(data any) []any { return appendDescendants(nil, data) }

func (d descendants) First(data any) any { return data }

func appendDescendants(out []any, v any) []any {
	out = append(out, v)
	switch tv := v.(type) {
	case []any:
		for _, e := range tv {
			out = appendDescendants(out, e)
		}
	case map[string]any:
		for _, e := range tv {
			out = appendDescendants(out, e)
		}
	}
	return out
}

// filterProc is a filter selector: the children of a node for which the
// condition holds (RFC 9535 section 2.3.5.2).
type filterProc struct {
	cond rfcLogical
	root any
}

func (f *filterProc) Get(data any) []any {
	var out []any
	switch tv := data.(type) {
	case []any:
		for _, e := range tv {
			if f.cond.test(e, f.root) {
				out = append(out, e)
			}
		}
	case map[string]any:
		for _, e := range tv {
			if f.cond.test(e, f.root) {
				out = append(out, e)
			}
		}
	}
	return out
}

func (f *filterProc) First(data any) any {
	if got := f.Get(data); len(got) > 0 {
		return got[0]
	}
	return nil
}

// rfcLogical is a logical expression of a filter.
type rfcLogical interface {
	test(cur, root any) bool
}

type orExpr []rfcLogical

func (o orExpr) test(cur, root any) bool {
	for _, e := range o {
		if e.test(cur, root) {
			return true
		}
	}
	return false
}

type andExpr []rfcLogical

func (a andExpr) test(cur, root any) bool {
	for _, e := range a {
		if !e.test(cur, root) {
			return false
		}
	}
	return true
}

type notExpr struct{ e rfcLogical }

func (n notExpr) test(cur, root any) bool { return !n.e.test(cur, root) }

// existsTest is a query used as a condition: true when it selects a node.
type existsTest struct {
	q *rfcQuery
	x jp.Expr
}

func (e *existsTest) test(cur, root any) bool { return len(e.q.get(e.x, cur, root)) > 0 }

// funcTest is a function of LogicalType used as a condition (match, search).
type funcTest struct{ f *rfcFunc }

func (t funcTest) test(cur, root any) bool {
	v, _ := t.f.eval(cur, root).(bool)
	return v
}

type comparison struct {
	op          string
	left, right rfcValue
}

func (c *comparison) test(cur, root any) bool {
	return compareRFC(c.op, c.left.value(cur, root), c.right.value(cur, root))
}

// nothing is RFC 9535's Nothing: the value of an empty singular query or of
// a function without a result.
type nothingType struct{}

var nothing any = nothingType{}

// rfcValue is a comparable: a literal, a singular query or a function of
// ValueType.
type rfcValue interface {
	value(cur, root any) any
}

type literal struct{ v any }

func (l literal) value(any, any) any { return l.v }

type singularQuery struct {
	q *rfcQuery
	x jp.Expr
}

func (s *singularQuery) value(cur, root any) any {
	if got := s.q.get(s.x, cur, root); len(got) > 0 {
		return got[0]
	}
	return nothing
}

// compareRFC applies a comparison operator (RFC 9535 section 2.3.5.2.2).
func compareRFC(op string, a, b any) bool {
	switch op {
	case "==":
		return equalRFC(a, b)
	case "!=":
		return !equalRFC(a, b)
	case "<":
		return lessRFC(a, b)
	case "<=":
		return lessRFC(a, b) || equalRFC(a, b)
	case ">":
		return lessRFC(b, a)
	default: // ">="
		return lessRFC(b, a) || equalRFC(a, b)
	}
}

func equalRFC(a, b any) bool {
	if a == nothing || b == nothing {
		return a == nothing && b == nothing
	}
	return jsonEqual(a, b)
}

func lessRFC(a, b any) bool {
	if ia, ok := a.(int64); ok {
		if ib, ok := b.(int64); ok {
			return ia < ib
		}
	}
	if fa, ok := toFloat(a); ok {
		fb, ok := toFloat(b)
		return ok && fa < fb
	}
	sa, ok := a.(string)
	sb, ok2 := b.(string)
	// UTF-8 byte order is Unicode scalar value order.
	return ok && ok2 && sa < sb
}

// rfcType is a filter expression's declared type (RFC 9535 section 2.4.1).
type rfcType int

const (
	valueType rfcType = iota
	logicalType
	nodesType
)

// rfcFunc is a call of one of RFC 9535's five functions (section 2.4.4-8).
type rfcFunc struct {
	name string
	args []rfcArg
	re   *iregexp // match and search with a literal pattern: compiled once
}

// rfcArg is a function argument: a value or, for count and value, the nodes
// of a query.
type rfcArg struct {
	val   rfcValue // ValueType arguments
	nodes *rfcQuery
	x     jp.Expr
}

func (a rfcArg) value(cur, root any) any { return a.val.value(cur, root) }

func (a rfcArg) nodeList(cur, root any) []any { return a.nodes.get(a.x, cur, root) }

func (f *rfcFunc) value(cur, root any) any { return f.eval(cur, root) }

func (f *rfcFunc) eval(cur, root any) any {
	switch f.name {
	case "length":
		switch v := f.args[0].value(cur, root).(type) {
		case string:
			return int64(utf8.RuneCountInString(v))
		case []any:
			return int64(len(v))
		case map[string]any:
			return int64(len(v))
		}
		return nothing
	case "count":
		return int64(len(f.args[0].nodeList(cur, root)))
	case "value":
		if got := f.args[0].nodeList(cur, root); len(got) == 1 {
			return got[0]
		}
		return nothing
	default: // match, search
		s, ok := f.args[0].value(cur, root).(string)
		if !ok {
			return false
		}
		re := f.re
		if re == nil {
			p, ok := f.args[1].value(cur, root).(string)
			if !ok {
				return false
			}
			re = compileIRegexp(p)
		}
		if re == nil {
			return false
		}
		if f.name == "match" {
			return re.full.MatchString(s)
		}
		return re.part.MatchString(s)
	}
}

// rfcFuncs declares the parameter and result types of RFC 9535's functions.
var rfcFuncs = map[string]struct {
	params []rfcType
	result rfcType
}{
	"length": {[]rfcType{valueType}, valueType},
	"count":  {[]rfcType{nodesType}, valueType},
	"match":  {[]rfcType{valueType, valueType}, logicalType},
	"search": {[]rfcType{valueType, valueType}, logicalType},
	"value":  {[]rfcType{nodesType}, valueType},
}

// rfcParser reads one RFC 9535 query.
type rfcParser struct {
	src      string
	pos      int
	usesRoot bool
}

func (p *rfcParser) fail(off int, expected, hint string) {
	panic(syntaxPanic{newSyntaxError(p.src, off, expected, hint)})
}

// parseRFC9535 parses src as an RFC 9535 query.
func parseRFC9535(src string) (q *rfcQuery, serr *SyntaxError) {
	p := &rfcParser{src: src}
	defer func() {
		if r := recover(); r != nil {
			sp, ok := r.(syntaxPanic)
			if !ok {
				panic(r)
			}
			q, serr = nil, sp.err
		}
	}()
	if p.more() && isSpace(p.src[0]) {
		p.fail(0, "a JSONPath starting with $", "RFC 9535 allows no white space before the $")
	}
	if !p.at('$') {
		hint := "RFC 9535 queries start with $"
		if t := strings.TrimSpace(src); t != "" && !strings.HasPrefix(t, "$") {
			hint = "RFC 9535 queries start with $: write " + rootedForm(t) + " (the jayway dialect adds the $ itself)"
		}
		p.fail(0, "a JSONPath starting with $", hint)
	}
	p.pos++
	q = p.segments(false, false)
	if p.more() {
		if isSpace(p.src[p.pos]) {
			p.fail(p.pos, "the end of the query", "RFC 9535 allows no white space after the query")
		}
		p.fail(p.pos, "'.', '..', '[' or the end of the query", "")
	}
	q.usesRoot = p.usesRoot
	return q, nil
}

func (p *rfcParser) more() bool { return p.pos < len(p.src) }

func (p *rfcParser) at(c byte) bool { return p.pos < len(p.src) && p.src[p.pos] == c }

func (p *rfcParser) hasPrefix(s string) bool { return strings.HasPrefix(p.src[p.pos:], s) }

func (p *rfcParser) skipBlank() {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
}

// segments reads segments after $ or @. Blank space may precede a segment
// (RFC 9535 "segments = *(S segment)"), but it is only consumed when a
// segment follows, so that the caller sees it.
func (p *rfcParser) segments(relative, inFilter bool) *rfcQuery {
	q := &rfcQuery{relative: relative}
	for {
		save := p.pos
		p.skipBlank()
		segOff := p.pos
		n := len(q.segs)
		switch {
		case p.hasPrefix(".."):
			p.pos += 2
			seg := rfcSegment{descendant: true}
			switch {
			case p.at('['):
				seg.sels = p.bracket()
			case p.at('*'):
				p.pos++
				seg.sels = []rfcSelector{{kind: selWildcard}}
			default:
				seg.sels = []rfcSelector{{kind: selName, name: p.shorthand()}}
			}
			q.segs = append(q.segs, seg)
		case p.at('.'):
			p.pos++
			if p.at('*') {
				p.pos++
				q.segs = append(q.segs, rfcSegment{sels: []rfcSelector{{kind: selWildcard}}})
			} else {
				q.segs = append(q.segs, rfcSegment{sels: []rfcSelector{{kind: selName, name: p.shorthand()}}})
			}
		case p.at('['):
			q.segs = append(q.segs, rfcSegment{sels: p.bracket()})
		default:
			p.pos = save
			return q
		}
		q.segs[n].off = segOff
	}
}

// shorthand reads a member name in dot notation (member-name-shorthand).
func (p *rfcParser) shorthand() string {
	start := p.pos
	for p.more() {
		r, n := utf8.DecodeRuneInString(p.src[p.pos:])
		first := p.pos == start
		if !nameRune(r, first) {
			break
		}
		p.pos += n
	}
	if p.pos == start {
		hint := ""
		if p.more() {
			switch c := p.src[p.pos]; {
			case isDigit(c) || c == '-' || c == '$' || c == '\'' || c == '"' || c == '@':
				hint = "write this name in brackets, such as ['" + p.src[p.pos:p.pos+1] + "'] or [0] for an index"
			case isSpace(c):
				hint = "RFC 9535 allows no white space after '.'"
			}
		}
		p.fail(p.pos, "a member name (a letter, '_' or a non-ASCII character first), or '*'", hint)
	}
	return p.src[start:p.pos]
}

func nameRune(r rune, first bool) bool {
	switch {
	case r == utf8.RuneError:
		return false
	case isLetter(byte(r)) && r < utf8.RuneSelf, r == '_':
		return true
	case r >= 0x80 && r <= 0xD7FF, r >= 0xE000 && r <= 0x10FFFF:
		return true
	case !first && r < utf8.RuneSelf && isDigit(byte(r)):
		return true
	}
	return false
}

// bracket reads "[" selector *("," selector) "]".
func (p *rfcParser) bracket() []rfcSelector {
	open := p.pos
	p.pos++
	var sels []rfcSelector
	for {
		p.skipBlank()
		sels = append(sels, p.selector(open))
		p.skipBlank()
		switch {
		case p.at(','):
			p.pos++
		case p.at(']'):
			p.pos++
			return sels
		case !p.more():
			p.fail(len(p.src), "']' to close the '[' at column "+strconv.Itoa(column(p.src, open)), "")
		default:
			p.fail(p.pos, "',' or ']' after a selector", "")
		}
	}
}

func (p *rfcParser) selector(open int) rfcSelector {
	off := p.pos
	sel := p.selectorAt(open)
	sel.off = off
	return sel
}

func (p *rfcParser) selectorAt(open int) rfcSelector {
	if !p.more() {
		p.fail(len(p.src), "a selector and ']' to close the '[' at column "+strconv.Itoa(column(p.src, open)), "")
	}
	switch c := p.src[p.pos]; {
	case c == '\'' || c == '"':
		return rfcSelector{kind: selName, name: p.stringLiteral()}
	case c == '*':
		p.pos++
		return rfcSelector{kind: selWildcard}
	case c == '?':
		p.pos++
		p.skipBlank()
		return rfcSelector{kind: selFilter, filter: p.logicalOr()}
	case c == '-' || isDigit(c) || c == ':':
		return p.indexOrSlice()
	}
	hint := ""
	if isLetter(p.src[p.pos]) || p.src[p.pos] == '_' {
		hint = "quote names in brackets, such as ['" + wordFrom(p.src, p.pos) + "']"
	}
	p.fail(p.pos, "a selector: a quoted name, an index, a slice, '*' or a filter '?'", hint)
	return rfcSelector{}
}

func wordFrom(s string, p int) string {
	e := p
	for e < len(s) && (isLetter(s[e]) || isDigit(s[e]) || s[e] == '_' || s[e] == '-') {
		e++
	}
	return s[p:e]
}

// integer reads an RFC 9535 int: 0, or an optional minus and digits without
// a leading zero, within I-JSON's exact range.
func (p *rfcParser) integer() int {
	start := p.pos
	if p.at('-') {
		p.pos++
	}
	digits := p.pos
	for p.more() && isDigit(p.src[p.pos]) {
		p.pos++
	}
	switch {
	case p.pos == digits:
		p.fail(p.pos, "a digit", "")
	case p.src[digits] == '0' && (p.pos-digits > 1 || digits > start):
		p.fail(start, "an integer without a leading zero (and not -0)", "")
	}
	v, err := strconv.ParseInt(p.src[start:p.pos], 10, 64)
	if err != nil || v > maxExactInt || v < -maxExactInt {
		p.fail(start, fmt.Sprintf("an integer between %d and %d", -maxExactInt, maxExactInt), "")
	}
	return int(v)
}

// indexOrSlice reads an index selector or a slice selector
// (start:end:step, each part optional).
func (p *rfcParser) indexOrSlice() rfcSelector {
	var bounds [3]*int
	part := 0
	for {
		if p.at('-') || (p.more() && isDigit(p.src[p.pos])) {
			v := p.integer()
			bounds[part] = &v
			p.skipBlank()
		}
		if !p.at(':') || part == 2 {
			break
		}
		p.pos++
		part++
		p.skipBlank()
	}
	if part == 0 {
		return rfcSelector{kind: selIndex, index: *bounds[0]}
	}
	sl := rfcSlice{start: bounds[0], end: bounds[1], step: 1}
	if bounds[2] != nil {
		sl.step = *bounds[2]
	}
	return rfcSelector{kind: selSlice, slice: sl}
}

// rfcSlice is a slice selector. ojg's own Slice differs from RFC 9535
// section 2.3.4.2.2 on negative steps (v1.28.5 panics on $[::-1] of an empty
// array in the middle of a path and clamps a negative start to 0), so the
// RFC's algorithm runs here as a Proc.
type rfcSlice struct {
	start, end *int
	step       int
}

func (s rfcSlice) Get(data any) []any {
	list, ok := data.([]any)
	if !ok || s.step == 0 {
		return nil
	}
	n := len(list)
	normalize := func(i int) int {
		if i >= 0 {
			return i
		}
		return n + i
	}
	var out []any
	if s.step > 0 {
		start, end := 0, n
		if s.start != nil {
			start = normalize(*s.start)
		}
		if s.end != nil {
			end = normalize(*s.end)
		}
		lower, upper := min(max(start, 0), n), min(max(end, 0), n)
		for i := lower; i < upper; i += s.step {
			out = append(out, list[i])
		}
		return out
	}
	start, end := n-1, -n-1
	if s.start != nil {
		start = normalize(*s.start)
	}
	if s.end != nil {
		end = normalize(*s.end)
	}
	upper, lower := min(max(start, -1), n-1), min(max(end, -1), n-1)
	for i := upper; lower < i; i += s.step {
		out = append(out, list[i])
	}
	return out
}

func (s rfcSlice) First(data any) any {
	if got := s.Get(data); len(got) > 0 {
		return got[0]
	}
	return nil
}

// stringLiteral reads a quoted string (string-literal) with RFC 9535's
// escapes and returns its value.
func (p *rfcParser) stringLiteral() string {
	q := p.src[p.pos]
	start := p.pos
	p.pos++
	var b strings.Builder
	for p.more() {
		c := p.src[p.pos]
		switch {
		case c == q:
			p.pos++
			return b.String()
		case c < 0x20:
			p.fail(p.pos, "a character other than a control character in a string", `write control characters as escapes, such as \n or \u0000`)
		case c == '\\':
			if p.pos+1 >= len(p.src) {
				p.fail(p.pos, "an escape sequence after '\\'", "")
			}
			switch e := p.src[p.pos+1]; e {
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
			case '/', '\\':
				b.WriteByte(e)
			case 'u':
				b.WriteRune(p.unicodeEscape())
				continue
			default:
				if e != q {
					p.fail(p.pos, fmt.Sprintf(`a valid escape: \b \f \n \r \t \/ \\ \%c or \uXXXX`, q), "")
				}
				b.WriteByte(e)
			}
			p.pos += 2
			continue
		}
		r, n := utf8.DecodeRuneInString(p.src[p.pos:])
		if r == utf8.RuneError && n == 1 {
			p.fail(p.pos, "valid UTF-8 text", "")
		}
		b.WriteString(p.src[p.pos : p.pos+n])
		p.pos += n
	}
	p.fail(len(p.src), fmt.Sprintf("%c to close the string at column %d", q, column(p.src, start)), "")
	return ""
}

// unicodeEscape reads \uXXXX at p.pos, and the low half of a surrogate pair
// after a high half; a lone or reversed surrogate is refused.
func (p *rfcParser) unicodeEscape() rune {
	hex := func(at int) rune {
		if at+6 > len(p.src) || p.src[at] != '\\' || p.src[at+1] != 'u' {
			p.fail(at, `\u and four hexadecimal digits`, "")
		}
		for i := at + 2; i < at+6; i++ {
			if c := p.src[i] | 0x20; !isDigit(p.src[i]) && (c < 'a' || c > 'f') {
				p.fail(i, `four hexadecimal digits after \u`, "")
			}
		}
		v, _ := strconv.ParseUint(p.src[at+2:at+6], 16, 32)
		return rune(v)
	}
	start := p.pos
	r := hex(start)
	p.pos += 6
	switch {
	case 0xDC00 <= r && r <= 0xDFFF:
		p.fail(start, "a Unicode escape that is not a lone low surrogate", `a low surrogate \uDC00-\uDFFF must follow a high one`)
	case 0xD800 <= r && r <= 0xDBFF:
		lo := hex(p.pos)
		if lo < 0xDC00 || lo > 0xDFFF {
			p.fail(p.pos, `a low surrogate \uDC00-\uDFFF after the high surrogate`, "")
		}
		p.pos += 6
		return (r-0xD800)<<10 + (lo - 0xDC00) + 0x10000
	}
	return r
}

// logicalOr reads logical-or-expr.
func (p *rfcParser) logicalOr() rfcLogical {
	terms := []rfcLogical{p.logicalAnd()}
	for {
		save := p.pos
		p.skipBlank()
		if !p.hasPrefix("||") {
			p.pos = save
			break
		}
		p.pos += 2
		p.skipBlank()
		terms = append(terms, p.logicalAnd())
	}
	if len(terms) == 1 {
		return terms[0]
	}
	return orExpr(terms)
}

func (p *rfcParser) logicalAnd() rfcLogical {
	terms := []rfcLogical{p.basic()}
	for {
		save := p.pos
		p.skipBlank()
		if !p.hasPrefix("&&") {
			p.pos = save
			break
		}
		p.pos += 2
		p.skipBlank()
		terms = append(terms, p.basic())
	}
	if len(terms) == 1 {
		return terms[0]
	}
	return andExpr(terms)
}

// operand is a parsed primary of a filter before its role is known.
type rfcOperand struct {
	off  int
	lit  *literal
	q    *rfcQuery
	fn   *rfcFunc
	kind rfcType // the function's result type
}

// basic reads basic-expr: a parenthesised expression, a comparison or a
// test, each perhaps negated.
func (p *rfcParser) basic() rfcLogical {
	if !p.more() {
		p.fail(len(p.src), "a filter condition such as @.type == 'work'", "")
	}
	if p.at('!') && !p.hasPrefix("!=") {
		p.pos++
		p.skipBlank()
		if p.at('(') {
			return notExpr{p.paren()}
		}
		off := p.pos
		o := p.primary()
		if o.lit != nil {
			p.fail(off, "a query or a function after '!'", "")
		}
		t := p.asTest(o)
		p.noComparison("'!' applies to a query, a function or a parenthesised condition, not to a comparison: write !(a == b)")
		return notExpr{t}
	}
	if p.at('(') {
		return p.paren()
	}
	left := p.primary()
	save := p.pos
	p.skipBlank()
	op := p.comparisonOp()
	if op == "" {
		p.pos = save
		return p.asTest(left)
	}
	p.skipBlank()
	right := p.primary()
	return &comparison{op: op, left: p.asComparable(left), right: p.asComparable(right)}
}

func (p *rfcParser) noComparison(hint string) {
	save := p.pos
	p.skipBlank()
	if off := p.pos; p.comparisonOp() != "" {
		p.fail(off, "'&&', '||', ')' or ']'", hint)
	}
	p.pos = save
}

func (p *rfcParser) paren() rfcLogical {
	open := p.pos
	p.pos++
	p.skipBlank()
	e := p.logicalOr()
	p.skipBlank()
	if !p.at(')') {
		p.fail(p.pos, "')' to close the '(' at column "+strconv.Itoa(column(p.src, open)), "")
	}
	p.pos++
	return e
}

func (p *rfcParser) comparisonOp() string {
	for _, op := range []string{"==", "!=", "<=", ">=", "<", ">"} {
		if p.hasPrefix(op) {
			p.pos += len(op)
			return op
		}
	}
	return ""
}

// asTest turns an operand into a test-expr: a query (existence) or a
// function of LogicalType or NodesType (section 2.4.3).
func (p *rfcParser) asTest(o rfcOperand) rfcLogical {
	switch {
	case o.q != nil:
		return &existsTest{q: o.q, x: o.q.expr(nil)}
	case o.fn != nil && o.kind == logicalType:
		return funcTest{o.fn}
	case o.fn != nil:
		p.fail(o.off, "a condition: "+o.fn.name+"() gives a value, which must be compared", "compare it, such as "+o.fn.name+"(...) == 1")
	}
	p.fail(o.off, "a condition: a literal must be compared", "compare it with a query, such as @.enabled == true")
	return nil
}

// asComparable turns an operand into a comparable: a literal, a singular
// query or a function of ValueType.
func (p *rfcParser) asComparable(o rfcOperand) rfcValue {
	switch {
	case o.lit != nil:
		return *o.lit
	case o.q != nil:
		if !o.q.singular() {
			p.fail(o.off, "a singular query (names and indexes only) in a comparison",
				"a query that may select several nodes cannot be compared; select one node, such as @.a[0]")
		}
		return &singularQuery{q: o.q, x: o.q.expr(nil)}
	case o.kind == valueType:
		return o.fn
	}
	p.fail(o.off, "a comparable: "+o.fn.name+"() is a test and cannot be compared", "use it alone as the condition, such as [?"+o.fn.name+"(@.a, 'x')]")
	return nil
}

// primary reads a literal, a query from @ or $, or a function call.
func (p *rfcParser) primary() rfcOperand {
	o := rfcOperand{off: p.pos}
	if !p.more() {
		p.fail(p.pos, "a query, a literal or a function", "")
	}
	switch c := p.src[p.pos]; {
	case c == '@' || c == '$':
		p.pos++
		if c == '$' {
			p.usesRoot = true
		}
		o.q = p.segments(c == '@', true)
	case c == '\'' || c == '"':
		o.lit = &literal{p.stringLiteral()}
	case c == '-' || isDigit(c):
		o.lit = &literal{p.number()}
	case 'a' <= c && c <= 'z':
		w := p.funcName()
		switch w {
		case "true", "false", "null":
			if !p.at('(') {
				var v any
				if w != "null" {
					v = w == "true"
				}
				o.lit = &literal{v}
				return o
			}
		}
		if !p.at('(') {
			p.fail(o.off, "a query, a literal or a function", "literals are true, false, null, numbers and quoted strings; queries start with @ or $")
		}
		o.fn, o.kind = p.call(w, o.off)
	default:
		p.fail(o.off, "a query, a literal or a function", "")
	}
	return o
}

func (p *rfcParser) funcName() string {
	start := p.pos
	for p.more() {
		c := p.src[p.pos]
		if !('a' <= c && c <= 'z' || c == '_' || isDigit(c)) {
			break
		}
		p.pos++
	}
	return p.src[start:p.pos]
}

// call reads the arguments of a function whose name has been read and
// checks them against the function's parameter types.
func (p *rfcParser) call(name string, off int) (*rfcFunc, rfcType) {
	decl, ok := rfcFuncs[name]
	if !ok {
		p.fail(off, "a function RFC 9535 defines: length, count, match, search or value", "")
	}
	p.pos++ // (
	f := &rfcFunc{name: name}
	p.skipBlank()
	for !p.at(')') {
		i := len(f.args)
		if i >= len(decl.params) {
			p.fail(p.pos, fmt.Sprintf("')': %s() takes %d argument(s)", name, len(decl.params)), "")
		}
		argOff := p.pos
		o := p.primary()
		save := p.pos
		p.skipBlank()
		if p.comparisonOp() != "" || p.hasPrefix("&&") || p.hasPrefix("||") {
			p.fail(argOff, "a value or a query as an argument of "+name+"()", "no RFC 9535 function takes a condition")
		}
		p.pos = save
		f.args = append(f.args, p.asArg(name, decl.params[i], o))
		p.skipBlank()
		if p.at(',') {
			p.pos++
			p.skipBlank()
			continue
		}
		if !p.at(')') {
			p.fail(p.pos, "',' or ')' in the call of "+name+"()", "")
		}
	}
	if len(f.args) != len(decl.params) {
		p.fail(p.pos, fmt.Sprintf("another argument: %s() takes %d argument(s)", name, len(decl.params)), "")
	}
	p.pos++ // )
	if name == "match" || name == "search" {
		if l, ok := f.args[1].val.(literal); ok {
			if s, ok := l.v.(string); ok {
				f.re = compileIRegexp(s)
				if f.re == nil {
					// An invalid pattern makes the test false (section
					// 2.4.6); compileIRegexp's nil stands for that.
					f.re = &iregexp{full: neverMatch, part: neverMatch}
				}
			}
		}
	}
	return f, decl.result
}

// asArg checks one argument against its parameter type (section 2.4.3).
func (p *rfcParser) asArg(name string, param rfcType, o rfcOperand) rfcArg {
	switch param {
	case nodesType:
		if o.q == nil {
			p.fail(o.off, "a query as the argument of "+name+"()", name+"() counts or takes the nodes a query such as @.a[*] selects")
		}
		return rfcArg{nodes: o.q, x: o.q.expr(nil)}
	default:
		if o.q != nil && !o.q.singular() {
			p.fail(o.off, "a singular query (names and indexes only) as an argument of "+name+"()",
				"a query that may select several nodes is no value; wrap it in value() or select one node")
		}
		if o.fn != nil && o.kind != valueType {
			p.fail(o.off, "a value as an argument of "+name+"(): "+o.fn.name+"() is a test", "")
		}
		return rfcArg{val: p.asComparable(o)}
	}
}

// number reads a JSON number literal (RFC 9535 "number").
func (p *rfcParser) number() any {
	start := p.pos
	if p.at('-') {
		p.pos++
	}
	digits := p.pos
	for p.more() && isDigit(p.src[p.pos]) {
		p.pos++
	}
	if p.pos == digits {
		p.fail(p.pos, "a digit", "")
	}
	if p.src[digits] == '0' && p.pos-digits > 1 {
		p.fail(digits, "a number without a leading zero", "")
	}
	integral := true
	if p.at('.') {
		integral = false
		p.pos++
		d := p.pos
		for p.more() && isDigit(p.src[p.pos]) {
			p.pos++
		}
		if p.pos == d {
			p.fail(p.pos, "a digit after the decimal point", "")
		}
	}
	if p.at('e') || p.at('E') {
		integral = false
		p.pos++
		if p.at('+') || p.at('-') {
			p.pos++
		}
		d := p.pos
		for p.more() && isDigit(p.src[p.pos]) {
			p.pos++
		}
		if p.pos == d {
			p.fail(p.pos, "a digit in the exponent", "")
		}
	}
	text := p.src[start:p.pos]
	if integral {
		if v, err := strconv.ParseInt(text, 10, 64); err == nil {
			return v
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !math.IsInf(f, 0) {
		p.fail(start, "a number", "")
	}
	return f
}

// iregexp is an I-Regexp (RFC 9485) compiled for Go: full for match(),
// which must match the whole string, and part for search().
type iregexp struct {
	full, part *regexp.Regexp
}

var neverMatch = regexp.MustCompile(`[^\x00-\x{10FFFF}]`)

// iregexpCache keeps patterns that come from the document (match(@.a,
// @.pattern)), so that a pattern is compiled once per distinct text.
var iregexpCache sync.Map

// compileIRegexp translates an I-Regexp into RE2 syntax, or returns nil when
// the pattern is not one. The two differ in '.', which in I-Regexp matches
// any character but \n and \r (RFC 9485 section 5.3) and in Go all but \n,
// and in '^' and '$', which I-Regexp has no use for as anchors.
func compileIRegexp(p string) *iregexp {
	if v, ok := iregexpCache.Load(p); ok {
		re, _ := v.(*iregexp)
		return re
	}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			b.WriteByte(c)
			i++
			b.WriteByte(p[i])
			continue
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
			b.WriteByte(c)
			// A ']' right after '[' or '[^' is a literal member.
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			continue
		case c == '.':
			b.WriteString(`[^\n\r]`)
			continue
		}
		b.WriteByte(c)
	}
	var re *iregexp
	full, err1 := regexp.Compile(`\A(?:` + b.String() + `)\z`)
	part, err2 := regexp.Compile(b.String())
	if err1 == nil && err2 == nil {
		re = &iregexp{full: full, part: part}
	}
	if n := iregexpCacheSize.Add(1); n < 10000 {
		iregexpCache.Store(p, re)
	}
	return re
}

var iregexpCacheSize atomic.Int64

// String writes q in a normal form: names in brackets with single quotes,
// conditions fully parenthesised. Parsing it gives the same query, which the
// round-trip fuzzer checks.
func (q *rfcQuery) String() string {
	var b strings.Builder
	q.write(&b)
	return b.String()
}

func (q *rfcQuery) write(b *strings.Builder) {
	if q.relative {
		b.WriteByte('@')
	} else {
		b.WriteByte('$')
	}
	for _, s := range q.segs {
		if s.descendant {
			b.WriteString("..")
		}
		b.WriteByte('[')
		for i, sel := range s.sels {
			if i > 0 {
				b.WriteByte(',')
			}
			sel.write(b)
		}
		b.WriteByte(']')
	}
}

func (s rfcSelector) write(b *strings.Builder) {
	switch s.kind {
	case selName:
		writeRFCString(b, s.name)
	case selIndex:
		b.WriteString(strconv.Itoa(s.index))
	case selWildcard:
		b.WriteByte('*')
	case selSlice:
		if s.slice.start != nil {
			b.WriteString(strconv.Itoa(*s.slice.start))
		}
		b.WriteByte(':')
		if s.slice.end != nil {
			b.WriteString(strconv.Itoa(*s.slice.end))
		}
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(s.slice.step))
	default:
		b.WriteByte('?')
		writeLogical(b, s.filter)
	}
}

// writeRFCString writes s as a single-quoted RFC 9535 string literal.
func writeRFCString(b *strings.Builder, s string) {
	b.WriteByte('\'')
	for _, r := range s {
		switch {
		case r == '\'' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
}

func writeLogical(b *strings.Builder, e rfcLogical) {
	switch e := e.(type) {
	case orExpr:
		writeJoined(b, []rfcLogical(e), "||")
	case andExpr:
		writeJoined(b, []rfcLogical(e), "&&")
	case notExpr:
		b.WriteString("!(")
		writeLogical(b, e.e)
		b.WriteByte(')')
	case *existsTest:
		e.q.write(b)
	case funcTest:
		writeValue(b, e.f)
	case *comparison:
		b.WriteByte('(')
		writeValue(b, e.left)
		b.WriteString(e.op)
		writeValue(b, e.right)
		b.WriteByte(')')
	}
}

func writeJoined(b *strings.Builder, terms []rfcLogical, op string) {
	b.WriteByte('(')
	for i, t := range terms {
		if i > 0 {
			b.WriteString(op)
		}
		writeLogical(b, t)
	}
	b.WriteByte(')')
}

func writeValue(b *strings.Builder, v rfcValue) {
	switch v := v.(type) {
	case literal:
		switch lv := v.v.(type) {
		case string:
			writeRFCString(b, lv)
		case nil:
			b.WriteString("null")
		case float64:
			switch {
			case math.IsInf(lv, 1):
				b.WriteString("1e999")
			case math.IsInf(lv, -1):
				b.WriteString("-1e999")
			default:
				t := strconv.FormatFloat(lv, 'g', -1, 64)
				if !strings.ContainsAny(t, ".e") {
					t += ".0" // stays a float: -0.0 is not the integer 0
				}
				b.WriteString(t)
			}
		default:
			fmt.Fprint(b, lv)
		}
	case *singularQuery:
		v.q.write(b)
	case *rfcFunc:
		b.WriteString(v.name)
		b.WriteByte('(')
		for i, a := range v.args {
			if i > 0 {
				b.WriteByte(',')
			}
			if a.nodes != nil {
				a.nodes.write(b)
			} else {
				writeValue(b, a.val)
			}
		}
		b.WriteByte(')')
	}
}
