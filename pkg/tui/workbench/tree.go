package workbench

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/ohler55/ojg/oj"
)

// The userinfo document is shown as a collapsible tree. Documents can be large (a provider that puts
// every group of a big organisation into userinfo sends megabytes), so the tree is kept flat: the
// nodes in document order (pre-order), each knowing where its subtree ends. Moving the cursor,
// drawing the visible rows and collapsing a subtree then cost in proportion to the screen's height,
// never to the document's size; nothing is re-flattened per keypress.

type kind uint8

const (
	kindObject kind = iota
	kindArray
	kindString
	kindNumber
	kindBool
	kindNull
)

type node struct {
	key    string // member name when the parent is an object
	text   string // a scalar's value: the string itself, or the number or literal as JSON writes it
	parent int32  // -1 for the root
	end    int32  // one past the last node of the subtree
	index  int32  // position within the parent
	count  int32  // number of children
	depth  int32
	kind   kind
	member bool // the parent is an object, so key is meaningful
}

func (n *node) container() bool { return n.kind == kindObject || n.kind == kindArray }

// tree is the flattened document plus which containers are expanded.
type tree struct {
	nodes []node
	open  []bool
}

// maxDepth bounds nesting; deeper documents are refused rather than overflowing anything.
const maxDepth = 10000

// errDepth is returned for documents nested deeper than maxDepth.
var errDepth = errors.New("the document is nested too deeply to show")

// newTree builds the tree of a JSON document in document order (Go maps have none, so the
// tokenizer is used rather than the decoded value). data must already be known to be valid JSON.
// Small documents open fully; large ones show the first two levels.
func newTree(data []byte) (*tree, error) {
	b := &builder{}
	if err := oj.Tokenize(data, b); err != nil {
		return nil, fmt.Errorf("read JSON: %w", err)
	}
	if b.err != nil {
		return nil, b.err
	}
	if len(b.nodes) == 0 {
		return nil, errors.New("read JSON: the document is empty")
	}
	t := &tree{nodes: b.nodes, open: make([]bool, len(b.nodes))}
	openAll := len(t.nodes) <= 400
	for i := range t.nodes {
		if t.nodes[i].container() && (openAll || t.nodes[i].depth < 1) {
			t.open[i] = true
		}
	}
	return t, nil
}

// builder receives the tokenizer's callbacks.
type builder struct {
	nodes []node
	stack []int32
	key   string
	err   error
}

func (b *builder) add(k kind, text string) int32 {
	n := node{kind: k, text: text, parent: -1, index: 0}
	if len(b.stack) > 0 {
		p := b.stack[len(b.stack)-1]
		parent := &b.nodes[p]
		n.parent = p
		n.depth = parent.depth + 1
		n.index = parent.count
		parent.count++
		if parent.kind == kindObject {
			n.member = true
			n.key = b.key
		}
	}
	i := int32(len(b.nodes))
	n.end = i + 1
	b.nodes = append(b.nodes, n)
	return i
}

func (b *builder) Null()           { b.add(kindNull, "null") }
func (b *builder) Bool(v bool)     { b.add(kindBool, strconv.FormatBool(v)) }
func (b *builder) Int(v int64)     { b.add(kindNumber, strconv.FormatInt(v, 10)) }
func (b *builder) Float(v float64) { b.add(kindNumber, strconv.FormatFloat(v, 'g', -1, 64)) }
func (b *builder) Number(s string) { b.add(kindNumber, s) }
func (b *builder) String(s string) { b.add(kindString, s) }
func (b *builder) Key(k string)    { b.key = k }
func (b *builder) ObjectStart()    { b.push(kindObject) }
func (b *builder) ArrayStart()     { b.push(kindArray) }
func (b *builder) ObjectEnd()      { b.pop() }
func (b *builder) ArrayEnd()       { b.pop() }

func (b *builder) push(k kind) {
	if len(b.stack) >= maxDepth {
		b.err = errDepth
	}
	b.stack = append(b.stack, b.add(k, ""))
}

func (b *builder) pop() {
	if len(b.stack) == 0 {
		return
	}
	i := b.stack[len(b.stack)-1]
	b.stack = b.stack[:len(b.stack)-1]
	b.nodes[i].end = int32(len(b.nodes))
}

func (t *tree) len() int { return len(t.nodes) }

func (t *tree) parent(i int) int { return int(t.nodes[i].parent) }

// expanded reports whether i is a container showing its children.
func (t *tree) expanded(i int) bool {
	return t.open[i] && t.nodes[i].count > 0
}

// next returns the visible row after i, or -1. The rows are the nodes in document order minus the
// subtrees of collapsed containers, so the next row is the first child of an expanded container and
// otherwise the first node after i's subtree (a later sibling of i or of one of its ancestors, all of
// which are expanded because i is visible).
func (t *tree) next(i int) int {
	n := i + 1
	if !t.expanded(i) {
		n = int(t.nodes[i].end)
	}
	if n >= len(t.nodes) {
		return -1
	}
	return n
}

// prev returns the visible row before i, or -1. The node before i in document order is i's parent
// or the last node of its previous sibling's subtree; inside that subtree the visible row is the
// topmost collapsed container on the way up, if any.
func (t *tree) prev(i int) int {
	if i <= 0 {
		return -1
	}
	p := i - 1
	stop := t.parent(i)
	if p == stop {
		return p
	}
	best := p
	for a := t.parent(p); a != stop && a >= 0; a = t.parent(a) {
		if !t.open[a] {
			best = a
		}
	}
	return best
}

// visible reports whether all of i's ancestors are expanded.
func (t *tree) visible(i int) bool {
	for a := t.parent(i); a >= 0; a = t.parent(a) {
		if !t.open[a] {
			return false
		}
	}
	return true
}

// shownAs returns the visible row that stands for i: i itself, or its topmost collapsed ancestor.
func (t *tree) shownAs(i int) int {
	best := i
	for a := t.parent(i); a >= 0; a = t.parent(a) {
		if !t.open[a] {
			best = a
		}
	}
	return best
}

// reveal expands every ancestor of i.
func (t *tree) reveal(i int) {
	for a := t.parent(i); a >= 0; a = t.parent(a) {
		t.open[a] = true
	}
}

// setSubtree expands or collapses i and every container below it.
func (t *tree) setSubtree(i int, open bool) {
	for j := i; j < int(t.nodes[i].end); j++ {
		if t.nodes[j].container() {
			t.open[j] = open
		}
	}
}

// identRE matches member names that dot notation can carry in both Jayway and RFC 9535.
var identRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) }) // compiled on first use, not at start-up

// path returns the JSONPath of node i: $.data.user.email, with names that dot notation cannot carry
// in brackets ($['urn:zitadel:iam:org:project:roles'], $['user-name']) and array positions as
// indexes ($.emails[0].email).
func (t *tree) path(i int) string {
	var chain []int
	for j := i; t.nodes[j].parent >= 0; j = t.parent(j) {
		chain = append(chain, j)
	}
	var b strings.Builder
	b.WriteString("$")
	for k := len(chain) - 1; k >= 0; k-- {
		n := &t.nodes[chain[k]]
		switch {
		case !n.member:
			fmt.Fprintf(&b, "[%d]", n.index)
		case identRE().MatchString(n.key):
			b.WriteString(".")
			b.WriteString(n.key)
		default:
			b.WriteString("['")
			b.WriteString(quoteName(n.key))
			b.WriteString("']")
		}
	}
	return b.String()
}

// quoteName escapes a member name for a single-quoted bracket selector.
func quoteName(s string) string {
	if !strings.ContainsAny(s, `'\`) {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return r.Replace(s)
}

// topLevelKey returns the member name when i is a member of the root object ("" otherwise): such a
// node is a claim, which username.from and groups.claim name directly.
func (t *tree) topLevelKey(i int) string {
	n := &t.nodes[i]
	if n.parent == 0 && n.member && t.nodes[0].kind == kindObject {
		return n.key
	}
	return ""
}

// search returns the first node after from (wrapping around, in the given direction) whose name or
// scalar value contains q, ignoring case; -1 when none does. q must already be lower case.
func (t *tree) search(q string, from int, forward bool) int {
	if q == "" || len(t.nodes) == 0 {
		return -1
	}
	n := len(t.nodes)
	for step := 1; step <= n; step++ {
		i := from + step
		if !forward {
			i = from - step
		}
		i = ((i % n) + n) % n
		if t.matches(i, q) {
			return i
		}
	}
	return -1
}

func (t *tree) matches(i int, q string) bool {
	nd := &t.nodes[i]
	return (nd.member && containsFold(nd.key, q)) || (!nd.container() && containsFold(nd.text, q))
}

// containsFold reports whether s contains q (lower case) ignoring case, without allocating for
// ASCII text, which is most of what userinfo documents hold.
func containsFold(s, q string) bool {
	if len(q) > len(s) {
		return false
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if !ascii {
		return strings.Contains(strings.ToLower(s), q)
	}
	first := q[0]
	for i := 0; i+len(q) <= len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != first {
			continue
		}
		ok := true
		for j := 1; j < len(q); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != q[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
