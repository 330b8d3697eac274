package mapping

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"github.com/ohler55/ojg/jp"
	"github.com/ohler55/ojg/oj"
)

// The fast path of bulk evaluation. Decoding a whole userinfo document into maps costs several times
// more than everything else a mapping does, and most rules (all presets) are definite paths of names
// and indexes. For a mapping whose probes are all such paths, the extractor validates a document in
// one pass, as encoding/json's json.Valid does (ParseJSON's judge), and keeps the bytes of just the
// values the paths select; only those are decoded, each the way ParseJSON decodes it. Duplicate
// names keep the last value, as ParseJSON does. A document the extractor cannot read exactly (an
// escaped name on a selected path) goes the slow way: ParseJSON and Rule.Nodes.

// maxDepth is encoding/json's nesting limit, which ParseJSON inherits through json.Valid.
const maxDepth = 10000

// pnode is one step of the paths the extractor follows: a name or an index below its parent.
type pnode struct {
	name     string
	index    int // -1 for names
	names    []*pnode
	indexes  []*pnode
	target   int   // capture slot of a path that ends here, or -1
	subtree  []int // capture slots of the paths that pass through here, reset when it is met again
	hasChild bool
	// nameLens and nameFirsts are sets of the lengths (mod 64) and first bytes of names: a
	// document's name in neither is no name of a path, which most are, so the names are not
	// compared one by one.
	nameLens   uint64
	nameFirsts [4]uint64
	emptyName  bool // "" is one of names ($[''])
}

// mayBeName says whether key can be one of n.names.
func (n *pnode) mayBeName(key []byte) bool {
	if len(key) == 0 {
		return n.emptyName
	}
	return n.nameLens&(1<<(len(key)&63)) != 0 && n.nameFirsts[key[0]>>6]&(1<<(key[0]&63)) != 0
}

// extractor finds the values of a fixed set of definite paths in raw JSON.
type extractor struct {
	root    *pnode
	targets int
	// probeTarget maps each probe to its capture slot.
	probeTarget []int
	// probeRest holds, for a probe whose rule goes on past its definite prefix (a filter, a
	// wildcard, a slice), the rule: only the prefix's value is decoded and the rest of the rule
	// evaluated on it. Its rule is nil for a plain path.
	probeRest []restProbe
}

// restProbe is the part of a probe's rule after its definite prefix.
type restProbe struct {
	rule *Rule
	rest jp.Expr
}

// newExtractor returns an extractor for probes, or nil when one of them cannot be split into a
// definite prefix the extractor follows and a rest that needs nothing outside the prefix's value.
func newExtractor(probes []probe) *extractor {
	x := &extractor{root: &pnode{index: -1, target: -1}, probeTarget: make([]int, len(probes)), probeRest: make([]restProbe, len(probes))}
	slots := map[string]int{}
	for i, p := range probes {
		steps, rest, ok := fastSplit(p.rule)
		if !ok {
			return nil
		}
		if rest != nil {
			x.probeRest[i] = restProbe{rule: p.rule, rest: rest}
		}
		key := append(jp.Expr{jp.Root('$')}, steps...).String()
		slot, seen := slots[key]
		if !seen {
			slot = x.targets
			x.targets++
			slots[key] = slot
			x.add(steps, slot)
		}
		x.probeTarget[i] = slot
	}
	return x
}

// plainSteps returns the steps of a rule that is a definite path of names and non-negative indexes
// from the root, with nothing applied afterwards.
func plainSteps(r *Rule) ([]jp.Frag, bool) {
	if r == nil || r.steps == nil || r.fn != nil || r.merge != nil || r.obj != nil {
		return nil, false
	}
	for _, f := range r.steps {
		switch t := f.(type) {
		case jp.Child:
		case jp.Nth:
			if t < 0 {
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return r.steps, true
}

// fastSplit splits a rule into the names and non-negative indexes it starts with and the rest,
// which is evaluated on the value they select (nil for a plain path). ok is false for a rule the
// extractor cannot serve: one that ends in a function, or whose rest refers to the document root
// ($ inside a filter, which ojg's Filter and Jayway's object filter read from the whole document).
func fastSplit(r *Rule) (steps []jp.Frag, rest jp.Expr, ok bool) {
	if steps, ok := plainSteps(r); ok {
		return steps, nil, true
	}
	if r == nil || r.fn != nil || r.obj != nil || r.perDoc != nil || len(r.x) == 0 || !isRoot(r.x[0]) {
		return nil, nil, false
	}
	i := 1
	for ; i < len(r.x); i++ {
		if n, ok := r.x[i].(jp.Nth); ok && n >= 0 {
			continue
		}
		if _, ok := r.x[i].(jp.Child); !ok {
			break
		}
	}
	for _, f := range r.x[i:] {
		switch f.(type) {
		case *jp.Filter, jp.Root, jp.At:
			// A filter ojg evaluates itself is one with $ in it (see jaywayTokens).
			return nil, nil, false
		}
	}
	return r.x[1:i], r.x[i:], true
}

// walkNodes applies frags to v as ojg's Expr.Get does, without the 64-slot stack Get allocates on
// every call (which costs more than a filter on a short list); fragments other than names,
// indexes, wildcards and Procs are left to Get.
func walkNodes(frags jp.Expr, v any) []any {
	for _, f := range frags {
		switch f.(type) {
		case jp.Child, jp.Nth, jp.Wildcard, *jp.Proc:
		default:
			return frags.Get(v)
		}
	}
	nodes := []any{v}
	for _, f := range frags {
		var next []any
		for _, n := range nodes {
			switch tf := f.(type) {
			case jp.Child:
				if m, ok := n.(map[string]any); ok {
					if c, ok := m[string(tf)]; ok {
						next = append(next, c)
					}
				}
			case jp.Nth:
				if a, ok := n.([]any); ok {
					i := int(tf)
					if i < 0 {
						i += len(a)
					}
					if 0 <= i && i < len(a) {
						next = append(next, a[i])
					}
				}
			case jp.Wildcard:
				switch tv := n.(type) {
				case map[string]any:
					for _, c := range tv {
						next = append(next, c)
					}
				case []any:
					next = append(next, tv...)
				}
			case *jp.Proc:
				next = append(next, tf.Procedure.Get(n)...)
			}
		}
		nodes = next
	}
	return nodes
}

// restNodes evaluates the rest of a rule split by fastSplit on the value of its prefix.
func (r *Rule) restNodes(rest jp.Expr, v any) []any {
	nodes := walkNodes(rest, v)
	if r.merge != nil {
		nodes = mergeNames(nodes, r.merge)
	}
	return nodes
}

func (x *extractor) add(steps []jp.Frag, slot int) {
	n := x.root
	for _, f := range steps {
		n.subtree = append(n.subtree, slot)
		var next *pnode
		switch t := f.(type) {
		case jp.Child:
			for _, c := range n.names {
				if c.name == string(t) {
					next = c
				}
			}
			if next == nil {
				next = &pnode{name: string(t), index: -1, target: -1}
				n.names = append(n.names, next)
				if name := string(t); name != "" {
					n.nameLens |= 1 << (len(name) & 63)
					n.nameFirsts[name[0]>>6] |= 1 << (name[0] & 63)
				} else {
					n.emptyName = true
				}
			}
		case jp.Nth:
			for _, c := range n.indexes {
				if c.index == int(t) {
					next = c
				}
			}
			if next == nil {
				next = &pnode{index: int(t), target: -1}
				n.indexes = append(n.indexes, next)
			}
		}
		n.hasChild = true
		n = next
	}
	n.target = slot
}

// capture is where a selected value lies in the document.
type capture struct {
	found      bool
	start, end int
}

// errSlow says the document must be read the slow way.
var errSlow = errors.New("needs the full parser")

// errSyntax says the document is not valid JSON; ParseJSON then says why.
var errSyntax = errors.New("invalid JSON")

type scanner struct {
	b    []byte
	i    int
	caps []capture
	slow bool
}

// scan validates b and fills caps (len x.targets). It returns errSyntax for invalid JSON and errSlow
// for a document the extractor cannot read exactly.
func (x *extractor) scan(b []byte, caps []capture) error {
	for i := range caps {
		caps[i] = capture{}
	}
	s := scanner{b: b, caps: caps}
	s.ws()
	if !s.value(x.root, 0) {
		return errSyntax
	}
	s.ws()
	if s.i != len(b) {
		return errSyntax
	}
	if s.slow {
		return errSlow
	}
	return nil
}

func (s *scanner) ws() {
	// Compact JSON has no white space: one comparison settles most calls.
	if s.i < len(s.b) && s.b[s.i] > ' ' {
		return
	}
	for s.i < len(s.b) && jsonSpace[s.b[s.i]] {
		s.i++
	}
}

var jsonSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// value reads one value; n is the path node it sits at, or nil off every path.
func (s *scanner) value(n *pnode, depth int) bool {
	if s.i >= len(s.b) {
		return false
	}
	start := s.i
	if n != nil {
		// A name met again replaces whatever its earlier value selected (ParseJSON keeps the last).
		for _, t := range n.subtree {
			s.caps[t] = capture{}
		}
	}
	var ok bool
	switch c := s.b[s.i]; {
	case c == '"':
		_, ok = s.str()
	case c == '{':
		ok = s.object(n, depth+1)
	case c == '[':
		ok = s.array(n, depth+1)
	case c == 't':
		ok = s.lit("true")
	case c == 'f':
		ok = s.lit("false")
	case c == 'n':
		ok = s.lit("null")
	case c == '-' || (c >= '0' && c <= '9'):
		ok = s.num()
	}
	if ok && n != nil && n.target >= 0 {
		s.caps[n.target] = capture{found: true, start: start, end: s.i}
	}
	return ok
}

// strSafe marks the bytes a string may hold without a closer look.
var strSafe = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return
}()

var hexDigit = func() (t [256]bool) {
	for _, c := range []byte("0123456789abcdefABCDEF") {
		t[c] = true
	}
	return
}()

// SWAR constants: a byte of each value in every lane.
const (
	lanes01 = 0x0101010101010101
	lanes80 = 0x8080808080808080
)

// special reports whether any of the 8 bytes in x is a quote, a backslash or below 0x20 (the bytes a
// JSON string cannot hold as they are). The test is exact for "any", which is all it is used for.
func special(x uint64) bool {
	q := x ^ (lanes01 * '"')
	bs := x ^ (lanes01 * '\\')
	return ((q-lanes01)&^q|(bs-lanes01)&^bs|(x-lanes01*0x20)&^x)&lanes80 != 0
}

// str reads a string at s.i; esc says whether it has escapes.
func (s *scanner) str() (esc, ok bool) {
	b := s.b
	i := s.i + 1
	for {
		// Eight bytes at a time while none needs a look: most of a document is plain string bytes.
		for i+8 <= len(b) && !special(binary.LittleEndian.Uint64(b[i:])) {
			i += 8
		}
		for i < len(b) && strSafe[b[i]] {
			i++
		}
		if i >= len(b) {
			return false, false
		}
		switch b[i] {
		case '"':
			s.i = i + 1
			return esc, true
		case '\\':
			esc = true
			if i+1 >= len(b) {
				return false, false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+5 >= len(b) || !hexDigit[b[i+2]] || !hexDigit[b[i+3]] || !hexDigit[b[i+4]] || !hexDigit[b[i+5]] {
					return false, false
				}
				i += 6
			default:
				return false, false
			}
		default: // a control character
			return false, false
		}
	}
}

func (s *scanner) lit(word string) bool {
	if len(s.b)-s.i >= len(word) && string(s.b[s.i:s.i+len(word)]) == word {
		s.i += len(word)
		return true
	}
	return false
}

func (s *scanner) num() bool {
	b, i := s.b, s.i
	exp := false
	if b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		return false
	case b[i] == '0':
		i++
		if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
			// ojg v1.28.5 refuses 0e0 (valid JSON): ParseJSON says so, and the fast path must too.
			s.slow = true
		}
	case b[i] >= '1' && b[i] <= '9':
		for i++; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		exp = true
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		}
	}
	// Without an exponent only a number of more than 309 digits passes float64's range.
	if (exp || i-s.i > 300) && overflows(b[s.i:i]) {
		s.slow = true // ParseJSON refuses it (NumberRangeError)
	}
	s.i = i
	return true
}

func (s *scanner) object(n *pnode, depth int) bool {
	if depth > maxDepth {
		return false
	}
	if n != nil && len(n.names) == 0 {
		n = nil
	}
	s.i++
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return true
	}
	for {
		if s.i >= len(s.b) || s.b[s.i] != '"' {
			return false
		}
		// Names are short and plain: find the closing quote here, and leave escapes and anything
		// odd to str.
		kstart := s.i + 1
		k := kstart
		for k+8 <= len(s.b) && !special(binary.LittleEndian.Uint64(s.b[k:])) {
			k += 8
		}
		for k < len(s.b) && strSafe[s.b[k]] {
			k++
		}
		esc := false
		if k < len(s.b) && s.b[k] == '"' {
			s.i = k + 1
		} else {
			var ok bool
			if esc, ok = s.str(); !ok {
				return false
			}
		}
		var child *pnode
		if n != nil {
			if esc {
				// The name must be unescaped to be compared; leave that to ParseJSON.
				s.slow = true
			} else if key := s.b[kstart : s.i-1]; n.mayBeName(key) {
				for _, c := range n.names {
					// Length and first byte rule out most names without a call to compare.
					if len(key) == len(c.name) && string(key) == c.name {
						child = c
						break
					}
				}
			}
		}
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return false
		}
		s.i++
		s.ws()
		if s.i >= len(s.b) {
			return false
		}
		// Values off every path are mostly strings and numbers: read those without the call to value.
		switch c := s.b[s.i]; {
		case child == nil && c == '"':
			if _, ok := s.str(); !ok {
				return false
			}
		case child == nil && (c == '-' || c >= '0' && c <= '9'):
			if !s.num() {
				return false
			}
		default:
			if !s.value(child, depth) {
				return false
			}
		}
		s.ws()
		if s.i >= len(s.b) {
			return false
		}
		switch s.b[s.i] {
		case ',':
			s.i++
			s.ws()
		case '}':
			s.i++
			return true
		default:
			return false
		}
	}
}

func (s *scanner) array(n *pnode, depth int) bool {
	if depth > maxDepth {
		return false
	}
	if n != nil && len(n.indexes) == 0 {
		n = nil
	}
	s.i++
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		return true
	}
	for k := 0; ; k++ {
		var child *pnode
		if n != nil {
			for _, c := range n.indexes {
				if c.index == k {
					child = c
					break
				}
			}
		}
		if !s.value(child, depth) {
			return false
		}
		s.ws()
		if s.i >= len(s.b) {
			return false
		}
		switch s.b[s.i] {
		case ',':
			s.i++
			s.ws()
		case ']':
			s.i++
			return true
		default:
			return false
		}
	}
}

// decodeHit decodes one captured value into h exactly as ParseJSON decodes it inside a document;
// plain strings and small integers stay unboxed. With borrow, a string points into b.
func decodeHit(h *hit, b []byte, sc *Scratch) error {
	borrow := sc.Borrow
	*h = hit{found: true, count: 1}
	switch b[0] {
	case '"':
		if k := bytes.IndexByte(b, '\\'); k >= 0 {
			// Escapes other than \u mean one byte each; ojg decodes \u (and surrogates) itself.
			if str, ok := unescape(b[1:len(b)-1], k-1); ok {
				h.kind, h.str = 's', str
				return nil
			}
		} else {
			// ojg keeps the bytes of an unescaped string as they are, invalid UTF-8 included.
			h.kind = 's'
			switch {
			case len(b) == 2:
			case borrow:
				h.str = unsafe.String(&b[1], len(b)-2)
			default:
				h.str = string(b[1 : len(b)-1])
			}
			return nil
		}
	case 't':
		h.value = true
		return nil
	case 'f':
		h.value = false
		return nil
	case 'n':
		return nil
	case '[':
		// A groups claim: a list of plain strings, decoded here rather than by ojg, which costs
		// more than all the document's other values together.
		if list, ok := stringList(b, sc); ok {
			h.kind, h.list = 'L', list
			return nil
		}
	case '{':
	default:
		if n, ok := smallInt(b); ok {
			h.kind, h.num = 'i', n
			return nil
		}
	}
	v, err := parseValid(b)
	h.value = v
	return err
}

// stringList decodes b, a JSON array the scanner has validated, when it holds only strings
// without escapes: the strings of the []any ParseJSON would give. With sc.Borrow the strings point
// into b and the list into sc.lists, which fastHits empties for each document. ok is false for any
// other array, which parseValid decodes.
func stringList(b []byte, sc *Scratch) (list []string, ok bool) {
	start := len(sc.lists)
	if !sc.Borrow {
		start = -1
	}
	list = []string{}
	i := 1 // past '['
	for {
		i = skipSpace(b, i)
		if i >= len(b) {
			return nil, false
		}
		switch b[i] {
		case ']':
			if start >= 0 && len(sc.lists) > start {
				return sc.lists[start:len(sc.lists):len(sc.lists)], true
			}
			return list, true
		case ',':
			i++
			continue
		case '"':
		default:
			return nil, false
		}
		end := bytes.IndexByte(b[i+1:], '"')
		if end < 0 {
			return nil, false
		}
		text := b[i+1 : i+1+end]
		if bytes.IndexByte(text, '\\') >= 0 {
			return nil, false
		}
		var str string
		switch {
		case len(text) == 0:
		case sc.Borrow:
			str = unsafe.String(&text[0], len(text))
		default:
			str = string(text)
		}
		if start < 0 {
			list = append(list, str)
		} else {
			sc.lists = append(sc.lists, str)
		}
		i += end + 2
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// unescape decodes the content of a JSON string whose first backslash is at k, when it has only
// the one-character escapes; ok is false for \u, which parseValid handles.
func unescape(b []byte, k int) (string, bool) {
	out := make([]byte, 0, len(b))
	out = append(out, b[:k]...)
	for i := k; i < len(b); i++ {
		c := b[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		switch b[i] {
		case '"', '\\', '/':
			out = append(out, b[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		default:
			return "", false
		}
	}
	return string(out), true
}

// smallInt parses a validated JSON integer of at most 16 digits, which cannot overflow.
func smallInt(b []byte) (int64, bool) {
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) > 16 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// cloneJSON copies the objects and arrays in v, which subDecoder reuses, and with strings set
// its strings and names, which point into the document.
func cloneJSON(v any, strs bool) any {
	switch tv := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(tv))
		for k, e := range tv {
			if strs {
				k = strings.Clone(k)
			}
			m[k] = cloneJSON(e, strs)
		}
		return m
	case []any:
		a := make([]any, len(tv))
		for i, e := range tv {
			a[i] = cloneJSON(e, strs)
		}
		return a
	case string:
		if strs {
			return strings.Clone(tv)
		}
	}
	return v
}

// parseValid decodes JSON that the extractor has already validated.
func parseValid(b []byte) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("parse JSON: %v", r)
		}
	}()
	return oj.Parse(b)
}

// subDecoder decodes the value a rule goes on from (see fastSplit), which the scanner has
// validated, into what ParseJSON would give, more cheaply: its objects are maps reused from one
// document to the next, and its strings and names point into the document. What a rule selects
// from it is copied out (cloneJSON). Numbers other than small integers, and strings with \u
// escapes, are left to ojg.
type subDecoder struct {
	b    []byte
	i    int
	maps []map[string]any
	mi   int
}

func (d *subDecoder) decode(b []byte) (any, error) {
	d.b, d.i, d.mi = b, 0, 0
	return d.value()
}

func (d *subDecoder) ws() {
	for d.i < len(d.b) && jsonSpace[d.b[d.i]] {
		d.i++
	}
}

func (d *subDecoder) value() (any, error) {
	d.ws()
	start := d.i
	switch c := d.b[d.i]; {
	case c == '{':
		var m map[string]any
		if d.mi < len(d.maps) {
			m = d.maps[d.mi]
			clear(m)
		} else {
			m = make(map[string]any, 8)
			d.maps = append(d.maps, m)
		}
		d.mi++
		d.i++
		d.ws()
		if d.b[d.i] == '}' {
			d.i++
			return m, nil
		}
		for {
			d.ws()
			k, err := d.str()
			if err != nil {
				return nil, err
			}
			d.ws()
			d.i++ // ':'
			v, err := d.value()
			if err != nil {
				return nil, err
			}
			m[k] = v
			d.ws()
			if d.b[d.i] == '}' {
				d.i++
				return m, nil
			}
			d.i++ // ','
		}
	case c == '[':
		a := []any{}
		d.i++
		d.ws()
		if d.b[d.i] == ']' {
			d.i++
			return a, nil
		}
		for {
			v, err := d.value()
			if err != nil {
				return nil, err
			}
			a = append(a, v)
			d.ws()
			if d.b[d.i] == ']' {
				d.i++
				return a, nil
			}
			d.i++ // ','
		}
	case c == '"':
		return d.str()
	case c == 't':
		d.i += 4
		return true, nil
	case c == 'f':
		d.i += 5
		return false, nil
	case c == 'n':
		d.i += 4
		return nil, nil
	}
	for d.i < len(d.b) && !jsonSpace[d.b[d.i]] && d.b[d.i] != ',' && d.b[d.i] != ']' && d.b[d.i] != '}' {
		d.i++
	}
	if n, ok := smallInt(d.b[start:d.i]); ok {
		return n, nil
	}
	return parseValid(d.b[start:d.i])
}

// str reads a string at d.i, pointing into the document when it has no escapes.
func (d *subDecoder) str() (string, error) {
	start := d.i + 1
	k := -1
	i := start
	for ; d.b[i] != '"'; i++ {
		if d.b[i] == '\\' {
			if k < 0 {
				k = i - start
			}
			i++
		}
	}
	d.i = i + 1
	body := d.b[start:i]
	switch {
	case k < 0 && len(body) == 0:
		return "", nil
	case k < 0:
		return unsafe.String(&body[0], len(body)), nil
	}
	if str, ok := unescape(body, k); ok {
		return str, nil
	}
	v, err := parseValid(d.b[start-1 : d.i])
	str, _ := v.(string)
	return str, err
}
