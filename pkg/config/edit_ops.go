package config

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"go.yaml.in/yaml/v4"
)

// editor makes one edit twice: on tree, a fresh parse that says what the file will mean, and as text
// edits on src, positioned by pos, a second fresh parse that is only read. JSON files get only the tree
// edit; the tree is then written out whole.
type editor struct {
	src   *source
	pos   *yaml.Node // document node for positions; nil for a file without content
	tree  *yaml.Node // document node edited in place
	edits []textEdit
	json  bool
	// whole says to write a JSON file whole from tree: it had no content to keep.
	whole bool
}

func newEditor(f *File) (*editor, error) {
	e := &editor{src: newSource(f.Data), json: f.Format == FormatJSON}
	if f.upToDate() && f.DecodeErr == nil {
		// The loaded tree is the position tree as it is (edits only read it), and the start of the
		// edited one: editTree copies the nodes an edit changes.
		if f.Doc != nil && len(f.Doc.Content) > 0 {
			e.pos, e.tree = f.Doc, editTree(f.Doc)
		}
	} else if len(bytes.TrimSpace(f.Data)) > 0 {
		var pos, tree yaml.Node
		if err := yaml.Unmarshal(f.Data, &pos); err != nil {
			return nil, errors.New("the file does not parse")
		}
		if len(pos.Content) > 0 {
			_ = yaml.Unmarshal(f.Data, &tree)
			e.pos, e.tree = &pos, &tree
		}
	}
	if e.tree == nil {
		e.tree = &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}}
	}
	if e.tree.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("the file is not a mapping")
	}
	if e.json && e.pos != nil && e.pos.Content[0].Style&yaml.FlowStyle == 0 {
		// A .json file that holds block YAML is edited as YAML, which it is.
		e.json = false
	}
	if !e.json && e.pos != nil && e.pos.Content[0].Style&yaml.FlowStyle != 0 {
		return nil, errors.New("the file's top level is written in flow style ({...}), which ssoctl does not rewrite")
	}
	return e, nil
}

func (e *editor) add(t textEdit) { e.edits = append(e.edits, t) }

// editTree copies what an edit of the providers list changes: the document and top-level mappings and
// the providers list, each with its own Content. Edits replace, add or remove whole entries there; an
// edit inside an entry (setValue) copies that entry first with deepCopy. The rest is shared with doc,
// which no edit changes.
func editTree(doc *yaml.Node) *yaml.Node {
	d := *doc
	root := *doc.Content[0]
	root.Content = slices.Clone(root.Content)
	d.Content = append([]*yaml.Node{&root}, doc.Content[1:]...)
	if i := ownKey(&root, "providers"); i >= 0 && root.Content[i+1].Kind == yaml.SequenceNode {
		seq := *root.Content[i+1]
		seq.Content = slices.Clone(seq.Content)
		root.Content[i+1] = &seq
	}
	return &d
}

// deepCopy copies a node tree; aliases inside it point to the copies of their anchors, aliases to
// anchors outside it to the originals.
func deepCopy(n *yaml.Node) *yaml.Node {
	copies := map[*yaml.Node]*yaml.Node{}
	var walk func(*yaml.Node) *yaml.Node
	walk = func(n *yaml.Node) *yaml.Node {
		c := *n
		copies[n] = &c
		if n.Alias != nil {
			if a, ok := copies[n.Alias]; ok {
				c.Alias = a
			}
		}
		if n.Content != nil {
			c.Content = make([]*yaml.Node, len(n.Content))
			for i, ch := range n.Content {
				c.Content[i] = walk(ch)
			}
		}
		return &c
	}
	return walk(n)
}

func (e *editor) posRoot() *yaml.Node {
	if e.pos == nil {
		return nil
	}
	return e.pos.Content[0]
}

// ownKey returns the index of key in mapping m's own keys (not those merged in with <<), or -1.
func ownKey(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key && k.Tag != "!!merge" {
			return i
		}
	}
	return -1
}

func hasMerge(m *yaml.Node) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Tag == "!!merge" || k.Value == "<<" {
			return true
		}
	}
	return false
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func strNode(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func seqNode(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}

// nest wraps v in mappings along path.
func nest(path []string, v *yaml.Node) *yaml.Node {
	if len(path) == 0 {
		return v
	}
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{strNode(path[0]), nest(path[1:], v)}}
}

func kindWord(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return "a single value"
}

// aliased reports whether some alias in the document refers to n, so that changing n would change
// other places too.
func aliased(doc, n *yaml.Node) bool {
	if doc == nil || n.Anchor == "" {
		return false
	}
	var walk func(*yaml.Node) bool
	walk = func(x *yaml.Node) bool {
		if x.Kind == yaml.AliasNode && x.Alias == n {
			return true
		}
		for _, c := range x.Content {
			if walk(c) {
				return true
			}
		}
		return false
	}
	return walk(doc)
}

// providersSeq returns the providers value in the tree and its key index, checking that it is a list
// that can be edited.
func (e *editor) providersSeq() (*yaml.Node, int, error) {
	root := e.tree.Content[0]
	ki := ownKey(root, "providers")
	if ki < 0 {
		return nil, -1, nil
	}
	v := root.Content[ki+1]
	switch {
	case v.Kind == yaml.AliasNode:
		return nil, ki, fmt.Errorf("the providers list is an alias (*%s) of a list defined elsewhere", v.Value)
	case isNull(v), v.Kind == yaml.SequenceNode:
		return v, ki, nil
	}
	return nil, ki, fmt.Errorf("providers is %s, not a list", kindWord(v))
}

// seqLayout is how a block sequence of providers is laid out in the text.
type seqLayout struct {
	dashIndent int
	offset     int // from the dash to the entry's first key
	step       int // indentation of nested mappings
	items      []itemSpan
}

// itemSpan is where one entry sits: from its head comments through its dash line to its last line.
type itemSpan struct {
	head, dash, end int
}

// layout measures the block sequence value v of key k (both from the position tree).
func (e *editor) layout(k, v *yaml.Node) (*seqLayout, error) {
	s := e.src
	lay := &seqLayout{offset: 2}
	min := k.Line + 1
	for i, it := range v.Content {
		d, ind, ok := s.findDash(it.Line, min)
		if !ok || (i > 0 && ind != lay.dashIndent) {
			return nil, fmt.Errorf("cannot find where entry %d of the providers list starts", i+1)
		}
		if i == 0 {
			lay.dashIndent = ind
			if it.Kind == yaml.MappingNode && it.Style&yaml.FlowStyle == 0 && len(it.Content) > 0 {
				if o := it.Content[0].Column - 1 - ind; o >= 2 {
					lay.offset = o
				}
			}
		}
		head := d
		for head-1 >= min && s.comment(head-1) && s.indent(head-1) <= ind {
			head--
		}
		last, err := s.lastLine(it)
		if err != nil {
			return nil, err
		}
		end := s.nodeEnd(it, max(last, d), ind+1)
		lay.items = append(lay.items, itemSpan{head: head, dash: d, end: end})
		min = end + 1
	}
	lay.step = e.step(v, lay.dashIndent-(k.Column-1))
	return lay, nil
}

// step finds the file's indentation step: first inside n, then anywhere in the document, then from the
// fallback (the providers list's own indentation), else 2.
func (e *editor) step(n *yaml.Node, fallback int) int {
	st := stepIn(n)
	if st == 0 && e.pos != nil {
		st = stepIn(e.pos.Content[0])
	}
	if st == 0 {
		st = fallback
	}
	if st < 2 || st > 8 {
		st = 2
	}
	return st
}

func stepIn(n *yaml.Node) int {
	if n == nil || n.Style&yaml.FlowStyle != 0 {
		return 0
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 && v.Content[0].Line > k.Line {
				if d := v.Content[0].Column - k.Column; d > 0 {
					return d
				}
			}
			if st := stepIn(v); st > 0 {
				return st
			}
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if st := stepIn(c); st > 0 {
				return st
			}
		}
	}
	return 0
}

func (e *editor) addProvider(item *yaml.Node) error {
	seq, ki, err := e.providersSeq()
	if err != nil {
		return err
	}
	root := e.tree.Content[0]
	switch {
	case ki < 0:
		if hasMerge(root) {
			return errors.New("the top level uses a merge key (<<), and a providers key added to it could hide merged content")
		}
		var lines []string
		if e.pos == nil && ownKey(root, "version") < 0 {
			root.Content = append(root.Content, strNode("version"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(FileVersion)})
			lines = append(lines, fmt.Sprintf("version: %d", FileVersion))
		}
		root.Content = append(root.Content, strNode("providers"), seqNode(item))
		if e.json {
			return e.jsonAddProvider(ki, item)
		}
		return e.appendProvidersKey(lines, item)
	case isNull(seq):
		root.Content[ki+1] = seqNode(item)
		if e.json {
			return e.jsonAddProvider(ki, item)
		}
		return e.blockFromNull(ki, []*yaml.Node{item})
	case seq.Style&yaml.FlowStyle != 0:
		items := append(append([]*yaml.Node{}, seq.Content...), item)
		seq.Content = items
		seq.Style &^= yaml.FlowStyle
		if e.json {
			return e.jsonAddProvider(ki, item)
		}
		return e.blockFromFlow(ki, items)
	}
	seq.Content = append(seq.Content, item)
	if e.json {
		return e.jsonAddProvider(ki, item)
	}
	pk, pv := e.posRoot().Content[ki], e.posRoot().Content[ki+1]
	if len(pv.Content) == 0 {
		return errors.New("the providers list is empty but not written as []")
	}
	lay, err := e.layout(pk, pv)
	if err != nil {
		return err
	}
	lines, err := itemLines(item, lay.dashIndent, lay.offset, lay.step)
	if err != nil {
		return err
	}
	last := lay.items[len(lay.items)-1]
	if len(lay.items) > 1 && e.src.blank(last.head-1) {
		// The entries are separated by blank lines; so is the new one.
		lines = append([]string{""}, lines...)
	}
	e.add(e.src.insertAfterLine(last.end, lines))
	return nil
}

// appendProvidersKey appends "providers:" with one entry after the document's content (and after
// lines, for a new document).
func (e *editor) appendProvidersKey(lines []string, item *yaml.Node) error {
	s := e.src
	keyIndent, step := 0, 2
	if root := e.posRoot(); root != nil && len(root.Content) > 0 {
		keyIndent = root.Content[0].Column - 1
		step = e.step(root, 2)
	}
	il, err := itemLines(item, keyIndent+step, 2, step)
	if err != nil {
		return err
	}
	lines = append(lines, spaces(keyIndent)+"providers:")
	lines = append(lines, il...)
	// After the document's last line that is not blank: its content and the comments after it.
	after := 0
	if root := e.posRoot(); root != nil {
		last, err := s.lastLine(root)
		if err != nil {
			return err
		}
		after = s.nodeEnd(root, last, 0)
	} else {
		for l := 1; l <= s.n; l++ {
			if !s.blank(l) {
				after = l
			}
		}
	}
	e.add(s.insertAfterLine(after, lines))
	return nil
}

// blockFromNull fills "providers:" (or providers: ~ / null) with entries in block style.
func (e *editor) blockFromNull(ki int, items []*yaml.Node) error {
	s := e.src
	pk, pv := e.posRoot().Content[ki], e.posRoot().Content[ki+1]
	cEnd, off, tEnd, err := s.keyValueSpan(pk, pv)
	if err != nil {
		return err
	}
	line := pk.Line
	if pv.Line == pk.Line {
		e.add(textEdit{cEnd, tEnd, ""})
	} else if tEnd > off {
		e.add(textEdit{off, tEnd, ""})
		line = s.lineOf(off)
	}
	return e.insertItems(line, pk, items)
}

// blockFromFlow rewrites a flow-style providers list ([...]) in block style.
func (e *editor) blockFromFlow(ki int, items []*yaml.Node) error {
	s := e.src
	pk, pv := e.posRoot().Content[ki], e.posRoot().Content[ki+1]
	if pv.Anchor != "" {
		return errors.New("the providers list has an anchor (&" + pv.Anchor + ") and is written in flow style")
	}
	cEnd, _, fEnd, err := s.keyValueSpan(pk, pv)
	if err != nil {
		return err
	}
	e.add(textEdit{cEnd, fEnd, ""})
	return e.insertItems(s.lineOf(fEnd-1), pk, items)
}

// insertItems writes entries in block style after line, indented one step below key k.
func (e *editor) insertItems(line int, k *yaml.Node, items []*yaml.Node) error {
	keyIndent := k.Column - 1
	step := e.step(e.posRoot(), 2)
	var lines []string
	for _, it := range items {
		if it.Kind != yaml.MappingNode {
			return fmt.Errorf("an entry of the providers list is %s, not a mapping", kindWord(it))
		}
		il, err := itemLines(it, keyIndent+step, 2, step)
		if err != nil {
			return err
		}
		lines = append(lines, il...)
	}
	e.add(e.src.insertAfterLine(line, lines))
	return nil
}

func (e *editor) replaceProvider(i int, item *yaml.Node) error {
	seq, ki, err := e.providersSeq()
	if err != nil {
		return err
	}
	if seq == nil || i >= len(seq.Content) {
		return errors.New("the provider is not in the providers list")
	}
	seq.Content[i] = item
	if e.json {
		return e.jsonReplaceItem(ki, i, item)
	}
	pk, pv := e.posRoot().Content[ki], e.posRoot().Content[ki+1]
	old := pv.Content[i]
	if old.Anchor != "" && aliased(e.pos, old) {
		return fmt.Errorf("the entry is shared through the anchor &%s", old.Anchor)
	}
	if pv.Style&yaml.FlowStyle != 0 {
		return e.blockFromFlow(ki, seq.Content)
	}
	lay, err := e.layout(pk, pv)
	if err != nil {
		return err
	}
	offset := lay.offset
	if old.Kind == yaml.MappingNode && old.Style&yaml.FlowStyle == 0 && len(old.Content) > 0 {
		if o := old.Content[0].Column - 1 - lay.dashIndent; o >= 2 {
			offset = o
		}
	}
	lines, err := itemLines(item, lay.dashIndent, offset, lay.step)
	if err != nil {
		return err
	}
	sp := lay.items[i]
	e.add(e.src.replaceLines(sp.dash, sp.end, lines))
	return nil
}

func (e *editor) removeProvider(i int) error {
	seq, ki, err := e.providersSeq()
	if err != nil {
		return err
	}
	if seq == nil || i >= len(seq.Content) {
		return errors.New("the provider is not in the providers list")
	}
	seq.Content = append(seq.Content[:i:i], seq.Content[i+1:]...)
	if len(seq.Content) == 0 {
		seq.Style |= yaml.FlowStyle
	}
	if e.json {
		return e.jsonRemoveItem(ki, i)
	}
	s := e.src
	pk, pv := e.posRoot().Content[ki], e.posRoot().Content[ki+1]
	if old := pv.Content[i]; old.Anchor != "" && aliased(e.pos, old) {
		return fmt.Errorf("the entry is shared through the anchor &%s", old.Anchor)
	}
	if pv.Style&yaml.FlowStyle != 0 {
		if len(seq.Content) == 0 {
			cEnd, _, fEnd, err := s.keyValueSpan(pk, pv)
			if err != nil {
				return err
			}
			e.add(textEdit{cEnd, fEnd, " []"})
			return nil
		}
		return e.blockFromFlow(ki, seq.Content)
	}
	lay, err := e.layout(pk, pv)
	if err != nil {
		return err
	}
	sp := lay.items[i]
	a, c := sp.head, sp.end
	n := len(lay.items)
	if n == 1 {
		cEnd, err := s.colonEnd(pk)
		if err != nil {
			return err
		}
		e.add(textEdit{cEnd, cEnd, " []"})
	} else if (a > 1 && s.blank(a-1)) || i == 0 {
		// Blank lines separated this entry from the next; keep one separation, not two.
		for c+1 <= s.n && s.blank(c+1) && (i < n-1 || c+1 < s.n) {
			c++
		}
	}
	e.add(s.deleteLines(a, c))
	return nil
}

func (e *editor) setValue(i int, path []string, v *yaml.Node) error {
	seq, ki, err := e.providersSeq()
	if err != nil {
		return err
	}
	if seq == nil || i >= len(seq.Content) {
		return errors.New("the provider is not in the providers list")
	}
	item := seq.Content[i]
	if item.Kind != yaml.MappingNode {
		return fmt.Errorf("the entry is %s, not a mapping", kindWord(item))
	}
	// setIn changes the entry in place, and the tree shares it with the position tree.
	item = deepCopy(item)
	seq.Content[i] = item
	if err := setIn(item, path, v); err != nil {
		return err
	}
	if e.json {
		return e.jsonReplaceItem(ki, i, item)
	}
	pv := e.posRoot().Content[ki+1]
	return e.setText(pv.Content[i], path, v)
}

// setIn sets path to v in mapping m of the tree.
func setIn(m *yaml.Node, path []string, v *yaml.Node) error {
	ki := ownKey(m, path[0])
	if ki < 0 {
		m.Content = append(m.Content, strNode(path[0]), nest(path[1:], v))
		return nil
	}
	if len(path) == 1 {
		m.Content[ki+1] = v
		return nil
	}
	c := m.Content[ki+1]
	switch {
	case c.Kind == yaml.MappingNode:
		return setIn(c, path[1:], v)
	case isNull(c):
		m.Content[ki+1] = nest(path[1:], v)
		return nil
	}
	return fmt.Errorf("%s is %s, not a mapping", path[0], kindWord(c))
}

// setText makes the text edit for setIn on mapping m of the position tree.
func (e *editor) setText(m *yaml.Node, path []string, v *yaml.Node) error {
	switch {
	case m.Kind == yaml.AliasNode:
		return fmt.Errorf("the mapping is an alias (*%s) of one defined elsewhere", m.Value)
	case m.Kind != yaml.MappingNode:
		return fmt.Errorf("the value is %s, not a mapping", kindWord(m))
	case aliased(e.pos, m):
		return fmt.Errorf("the mapping is shared through the anchor &%s", m.Anchor)
	case m.Style&yaml.FlowStyle != 0 || len(m.Content) == 0:
		return e.rewriteFlow(m, func(c *yaml.Node) error { return setIn(c, path, v) })
	}
	ki := ownKey(m, path[0])
	if ki < 0 {
		return e.insertKey(m, path[0], nest(path[1:], v))
	}
	k, c := m.Content[ki], m.Content[ki+1]
	if len(path) == 1 {
		return e.replaceValue(m, k, c, v)
	}
	switch {
	case c.Kind == yaml.MappingNode, c.Kind == yaml.AliasNode:
		return e.setText(c, path[1:], v)
	case isNull(c):
		return e.replaceValue(m, k, c, nest(path[1:], v))
	}
	return fmt.Errorf("%s is %s, not a mapping", path[0], kindWord(c))
}

// rewriteFlow rewrites a flow-style mapping after changing a copy of it.
func (e *editor) rewriteFlow(m *yaml.Node, change func(*yaml.Node) error) error {
	s := e.src
	c, err := copyTree(m)
	if err != nil {
		return err
	}
	if err := change(c); err != nil {
		return err
	}
	off, err := s.nodeOffset(m)
	if err != nil {
		return err
	}
	end, err := s.tokenEnd(m, off)
	if err != nil {
		return err
	}
	t, _, err := inlineText(c)
	if err != nil {
		return err
	}
	if len(c.Content) > 0 && t == "" {
		return errors.New("the mapping cannot be written on one line")
	}
	e.add(textEdit{off, end, t})
	return nil
}

// valueIndent is the smallest indentation of the lines that belong to value v of a key at keyIndent.
func (e *editor) valueIndent(v *yaml.Node, keyIndent int) int {
	if v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 {
		if _, ind, ok := e.src.findDash(v.Content[0].Line, v.Line); ok {
			return ind
		}
	}
	return keyIndent + 1
}

// replaceValue replaces value c of key k in block mapping m.
func (e *editor) replaceValue(m, k, c, v *yaml.Node) error {
	s := e.src
	if c.Anchor != "" && aliased(e.pos, c) {
		return fmt.Errorf("the value of %s is shared through the anchor &%s", k.Value, c.Anchor)
	}
	keyIndent := k.Column - 1
	step := e.step(m, 2)
	inline, ok, err := inlineText(v)
	if err != nil {
		return err
	}
	var block []string
	if !ok {
		if block, err = blockLines(v, keyIndent+step, step); err != nil {
			return err
		}
	}
	cEnd, err := s.colonEnd(k)
	if err != nil {
		return err
	}
	off, err := s.nodeOffset(c)
	if err != nil {
		return err
	}
	last, err := s.lastLine(c)
	if err != nil {
		return err
	}
	end := s.nodeEnd(c, max(last, c.Line), e.valueIndent(c, keyIndent))
	multiLine := c.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 ||
		(c.Kind == yaml.MappingNode || c.Kind == yaml.SequenceNode) && c.Style&yaml.FlowStyle == 0
	if !multiLine && c.Kind == yaml.ScalarNode && c.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		// A plain scalar continues on the following lines that are not comments.
		for l := c.Line + 1; l <= end; l++ {
			if !s.blank(l) && !s.comment(l) {
				multiLine = true
			}
		}
	}
	if multiLine {
		if ok {
			e.add(textEdit{cEnd, s.end[end-1], " " + inline})
		} else {
			e.add(textEdit{cEnd, s.end[end-1], s.nl + joinLines(block, s.nl)})
		}
		return nil
	}
	tEnd, err := s.tokenEnd(c, off)
	if err != nil {
		return err
	}
	start := off
	if c.Line == k.Line {
		start = cEnd
	}
	if ok {
		e.add(textEdit{start, tEnd, " " + inline})
		return nil
	}
	e.add(textEdit{start, tEnd, ""})
	e.add(s.insertAfterLine(s.lineOf(max(tEnd-1, start)), block))
	return nil
}

func joinLines(lines []string, nl string) string {
	var b bytes.Buffer
	for i, l := range lines {
		if i > 0 {
			b.WriteString(nl)
		}
		b.WriteString(l)
	}
	return b.String()
}

// insertKey adds key with value v after the last entry of block mapping m.
func (e *editor) insertKey(m *yaml.Node, key string, v *yaml.Node) error {
	s := e.src
	keyIndent := m.Content[0].Column - 1
	step := e.step(m, 2)
	kt, err := scalarText(strNode(key))
	if err != nil {
		return err
	}
	var lines []string
	inline, ok, err := inlineText(v)
	if err != nil {
		return err
	}
	if ok {
		lines = []string{spaces(keyIndent) + kt + ": " + inline}
	} else {
		block, err := blockLines(v, keyIndent+step, step)
		if err != nil {
			return err
		}
		lines = append([]string{spaces(keyIndent) + kt + ":"}, block...)
	}
	lastV := m.Content[len(m.Content)-1]
	last, err := s.lastLine(m)
	if err != nil {
		return err
	}
	end := s.nodeEnd(m, last, e.valueIndent(lastV, keyIndent))
	e.add(s.insertAfterLine(end, lines))
	return nil
}
