package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// source is the config file's text with a table of its lines. Lines are counted the way the YAML parser
// counts them (\r\n, \n, \r, NEL, LS and PS each end a line), so that a node's 1-based Line and Column
// (in characters) map to byte offsets.
type source struct {
	b     []byte
	start []int // start[i] is the offset where line i+1 starts
	end   []int // end[i] is the offset where line i+1's line break starts
	n     int   // number of lines, not counting the empty one after a final line break
	// trailingNL is true when the last line ends with a line break.
	trailingNL bool
	// nl is the file's line break, used for inserted lines.
	nl string
	// bom is the length of a byte order mark, which the parser does not count as a column.
	bom int
}

func newSource(b []byte) *source {
	s := &source{b: b, start: []int{0}, nl: "\n"}
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		s.bom = 3
	}
	first := true
	for i := 0; i < len(b); {
		n := breakLen(b, i)
		if n == 0 {
			i++
			continue
		}
		if first {
			// Inserted lines end like the file's first line: CRLF stays CRLF, and a file with
			// CR-only line ends (classic Mac OS) keeps them, since the parser reads them alike.
			first = false
			switch {
			case n == 2 && b[i] == '\r':
				s.nl = "\r\n"
			case n == 1 && b[i] == '\r':
				s.nl = "\r"
			}
		}
		s.end = append(s.end, i)
		i += n
		s.start = append(s.start, i)
	}
	s.end = append(s.end, len(b))
	s.n = len(s.start)
	if len(b) == 0 {
		s.n = 0
	} else if s.start[s.n-1] == len(b) {
		s.n--
		s.trailingNL = true
	}
	return s
}

// breakLen returns the length of the line break at b[i], or 0.
func breakLen(b []byte, i int) int {
	switch c := b[i]; {
	case c == '\r' && i+1 < len(b) && b[i+1] == '\n':
		return 2
	case c == '\n' || c == '\r':
		return 1
	case c == 0xC2 && i+1 < len(b) && b[i+1] == 0x85:
		return 2
	case c == 0xE2 && i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9):
		return 3
	}
	return 0
}

func (s *source) valid(l int) bool { return l >= 1 && l <= s.n }

// line returns line l without its line break.
func (s *source) line(l int) []byte {
	if !s.valid(l) {
		return nil
	}
	return s.b[s.start[l-1]:s.end[l-1]]
}

// indent counts the spaces that start line l.
func (s *source) indent(l int) int {
	ln := s.line(l)
	i := 0
	for i < len(ln) && ln[i] == ' ' {
		i++
	}
	return i
}

func (s *source) blank(l int) bool {
	return strings.TrimLeft(string(s.line(l)), " \t") == ""
}

func (s *source) comment(l int) bool {
	return strings.HasPrefix(strings.TrimLeft(string(s.line(l)), " \t"), "#")
}

// docMarker reports whether line l is a document start or end marker, which ends any node.
func (s *source) docMarker(l int) bool {
	ln := s.line(l)
	if len(ln) < 3 || (string(ln[:3]) != "---" && string(ln[:3]) != "...") {
		return false
	}
	return len(ln) == 3 || ln[3] == ' ' || ln[3] == '\t'
}

// offset converts a node position to a byte offset.
func (s *source) offset(line, col int) (int, error) {
	if !s.valid(line) && !(line == s.n+1 && col == 1) {
		return 0, fmt.Errorf("position %d:%d is outside the file", line, col)
	}
	if line == s.n+1 {
		return len(s.b), nil
	}
	off := s.start[line-1]
	if line == 1 {
		off += s.bom
	}
	for c := 1; c < col; c++ {
		if off >= s.end[line-1] {
			return 0, fmt.Errorf("position %d:%d is past the end of its line", line, col)
		}
		_, size := utf8.DecodeRune(s.b[off:])
		off += size
	}
	return off, nil
}

func (s *source) nodeOffset(n *yaml.Node) (int, error) { return s.offset(n.Line, n.Column) }

// lineOf returns the line that holds offset off.
func (s *source) lineOf(off int) int {
	l := sort.Search(len(s.start), func(i int) bool { return s.start[i] > off })
	if l > s.n {
		l = s.n
	}
	return l
}

// lastLine returns the last line that the node's own tokens are known to reach: the line of its last
// descendant, or where a quoted scalar or flow collection closes. Block scalars and multi-line plain
// scalars go on below it; extentEnd finds where by indentation.
func (s *source) lastLine(n *yaml.Node) (int, error) {
	last := n.Line
	switch {
	case n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0,
		(n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle != 0:
		off, err := s.nodeOffset(n)
		if err != nil {
			return 0, err
		}
		end, err := s.tokenEnd(n, off)
		if err != nil {
			return 0, err
		}
		return s.lineOf(end - 1), nil
	}
	for _, c := range n.Content {
		l, err := s.lastLine(c)
		if err != nil {
			return 0, err
		}
		last = max(last, l)
	}
	// An empty value at the end of the file ("? " with no value) is placed on the line after the
	// last one; the edits index lines, so the line past the end would be out of range.
	return min(last, s.n), nil
}

// extentEnd returns the last line of a node whose tokens reach line from and whose further lines (block
// scalar content, plain scalar continuations, trailing comments) are indented at least minIndent. Blank
// lines are skipped, so the extent never ends on one.
func (s *source) extentEnd(from, minIndent int) int {
	end := from
	for l := from + 1; l <= s.n; l++ {
		if s.blank(l) {
			continue
		}
		if s.indent(l) < minIndent || s.docMarker(l) {
			break
		}
		end = l
	}
	return end
}

// nodeEnd is extentEnd for node n. When n ends with a block scalar that keeps its trailing line breaks
// (|+ or >+), the blank lines after it are part of its value, and so of the extent.
func (s *source) nodeEnd(n *yaml.Node, from, minIndent int) int {
	end := s.extentEnd(from, minIndent)
	last := n
	for len(last.Content) > 0 {
		last = last.Content[len(last.Content)-1]
	}
	if last.Kind != yaml.ScalarNode || last.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		return end
	}
	off, err := s.nodeOffset(last)
	if err != nil {
		return end
	}
	i := s.skipProps(off)
	header := s.b[i:min(i+3, len(s.b))]
	if !strings.Contains(string(header), "+") {
		return end
	}
	for end+1 <= s.n && s.blank(end+1) {
		end++
	}
	return end
}

// tokenEnd returns the offset just past the node's text on its first line, or past its closing quote or
// bracket; off is the node's offset, where its properties (tag, anchor) start.
func (s *source) tokenEnd(n *yaml.Node, off int) (int, error) {
	i := s.skipProps(off)
	switch {
	case n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		return s.quotedEnd(i)
	case (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle != 0:
		return s.flowEnd(i)
	}
	// A plain scalar, alias or empty value: up to a comment or the end of the line.
	l := s.lineOf(i)
	e := max(i, s.end[max(l, 1)-1])
	for j := i; j < e; j++ {
		if s.b[j] == '#' && j > 0 && (s.b[j-1] == ' ' || s.b[j-1] == '\t') {
			e = j
			break
		}
	}
	for e > i && (s.b[e-1] == ' ' || s.b[e-1] == '\t') {
		e--
	}
	return e, nil
}

// skipProps skips a node's tag and anchor and the white space after them.
func (s *source) skipProps(i int) int {
	for i < len(s.b) && (s.b[i] == '!' || s.b[i] == '&') {
		for i < len(s.b) && !isSpace(s.b[i]) && breakLen(s.b, i) == 0 {
			i++
		}
		for i < len(s.b) && (isSpace(s.b[i]) || breakLen(s.b, i) > 0) {
			i++
		}
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

var errUnclosed = errors.New("a quoted value or bracket is not closed where expected")

// quotedEnd returns the offset past the quoted scalar that starts at i.
func (s *source) quotedEnd(i int) (int, error) {
	if i >= len(s.b) || (s.b[i] != '\'' && s.b[i] != '"') {
		return 0, errUnclosed
	}
	q := s.b[i]
	for j := i + 1; j < len(s.b); j++ {
		switch {
		case q == '"' && s.b[j] == '\\':
			j++
		case q == '\'' && s.b[j] == '\'' && j+1 < len(s.b) && s.b[j+1] == '\'':
			j++
		case s.b[j] == q:
			return j + 1, nil
		}
	}
	return 0, errUnclosed
}

// flowEnd returns the offset past the flow collection that starts at i.
func (s *source) flowEnd(i int) (int, error) {
	if i >= len(s.b) || (s.b[i] != '[' && s.b[i] != '{') {
		return 0, errUnclosed
	}
	depth := 0
	prev := byte('[') // the last character that is not white space
	for j := i; j < len(s.b); j++ {
		c := s.b[j]
		switch {
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
			if depth == 0 {
				return j + 1, nil
			}
		case (c == '\'' || c == '"') && strings.IndexByte("[{,:?", prev) >= 0:
			e, err := s.quotedEnd(j)
			if err != nil {
				return 0, err
			}
			j = e - 1
		case c == '#' && j > 0 && (isSpace(s.b[j-1]) || breakLen(s.b, j-1) > 0 || s.b[j-1] == '\n'):
			for j < len(s.b) && breakLen(s.b, j) == 0 {
				j++
			}
			continue
		}
		if !isSpace(c) && breakLen(s.b, j) == 0 && c != '\n' {
			prev = c
		}
	}
	return 0, errUnclosed
}

// keyValueSpan returns the offsets of key k's entry with value v: just past the colon, where v
// starts (with its tag or anchor) and just past v's first-line text or closing bracket. Edits that
// replace a whole value, such as a flow list by a block one, cut from colon to end.
func (s *source) keyValueSpan(k, v *yaml.Node) (colon, start, end int, err error) {
	if colon, err = s.colonEnd(k); err != nil {
		return 0, 0, 0, err
	}
	if start, err = s.nodeOffset(v); err != nil {
		return 0, 0, 0, err
	}
	if end, err = s.tokenEnd(v, start); err != nil {
		return 0, 0, 0, err
	}
	return colon, start, end, nil
}

// colonEnd returns the offset just past the ':' that follows the key node k.
func (s *source) colonEnd(k *yaml.Node) (int, error) {
	off, err := s.nodeOffset(k)
	if err != nil {
		return 0, err
	}
	i := s.skipProps(off)
	if k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		if i, err = s.quotedEnd(i); err != nil {
			return 0, err
		}
	}
	l := s.lineOf(off)
	for ; i < s.end[l-1]; i++ {
		if s.b[i] == ':' && (i+1 == len(s.b) || isSpace(s.b[i+1]) || breakLen(s.b, i+1) > 0) {
			return i + 1, nil
		}
	}
	return 0, fmt.Errorf("cannot find the ':' after the key %q on line %d", k.Value, k.Line)
}

// findDash returns the line, at or above from and not above min, whose first character is the '-' of a
// block sequence entry, and that dash's indentation.
func (s *source) findDash(from, min int) (int, int, bool) {
	for l := from; l >= min && l >= 1; l-- {
		ln := s.line(l)
		i := s.indent(l)
		if i < len(ln) && ln[i] == '-' && (i+1 == len(ln) || isSpace(ln[i+1])) {
			return l, i, true
		}
		if !s.blank(l) && !s.comment(l) && l != from {
			// Only blank lines, comments and the entry's own first line can lie between a dash and its entry.
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// textEdit replaces b[start:end] with text.
type textEdit struct {
	start, end int
	text       string
}

// apply makes the edits, which must not overlap; edits at the same offset keep their order.
func (s *source) apply(edits []textEdit) []byte {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var out []byte
	pos := 0
	for _, e := range edits {
		if e.start < pos {
			// Overlapping edits are a bug in the caller; the verification after the edit reports it.
			continue
		}
		out = append(out, s.b[pos:e.start]...)
		out = append(out, e.text...)
		pos = e.end
	}
	return append(out, s.b[pos:]...)
}

// insertAfterLine inserts whole lines after line l (0 inserts at the top of the file). A file that does
// not end with a line break still does not after an insertion at its end.
func (s *source) insertAfterLine(l int, lines []string) textEdit {
	text := strings.Join(lines, s.nl)
	switch {
	case l == 0:
		return textEdit{0, 0, text + s.nl}
	case l < s.n || s.trailingNL:
		return textEdit{s.start[l], s.start[l], text + s.nl}
	}
	return textEdit{len(s.b), len(s.b), s.nl + text}
}

// deleteLines deletes lines a through c with their line breaks.
func (s *source) deleteLines(a, c int) textEdit {
	if c < s.n || s.trailingNL {
		return textEdit{s.start[a-1], s.start[c], ""}
	}
	if a == 1 {
		return textEdit{0, len(s.b), ""}
	}
	// The last line has no line break: take the one before line a, so the file still ends without one.
	return textEdit{s.end[a-2], len(s.b), ""}
}

// replaceLines replaces lines a through c, keeping the line break after c.
func (s *source) replaceLines(a, c int, lines []string) textEdit {
	return textEdit{s.start[a-1], s.end[c-1], strings.Join(lines, s.nl)}
}

// Rendering. New entries and values are written by hand rather than by yaml.Dump, so that they can
// follow the file's indentation: mappings in block style indented by step, lists in flow style, and
// scalars quoted only where YAML needs it (yaml.Dump decides that, one scalar at a time).

func spaces(n int) string { return strings.Repeat(" ", n) }

// scalarText writes a scalar on one line.
func scalarText(n *yaml.Node) (string, error) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return "", errors.New("values with anchors or aliases cannot be rewritten")
	}
	c := yaml.Node{Kind: yaml.ScalarNode, Tag: n.Tag, Value: n.Value, Style: n.Style &^ (yaml.LiteralStyle | yaml.FoldedStyle | yaml.FlowStyle)}
	out, err := dumpOneLine(&c)
	if err == nil && strings.Contains(out, "\n") {
		c.Style = yaml.DoubleQuotedStyle
		out, err = dumpOneLine(&c)
	}
	return out, err
}

func dumpOneLine(n *yaml.Node) (string, error) {
	b, err := yaml.Dump(n, yaml.WithLineWidth(-1))
	if err != nil {
		return "", fmt.Errorf("cannot write value: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	out := strings.TrimSuffix(string(b), "\n")
	out = strings.TrimSuffix(out, "\n...")
	out = strings.TrimPrefix(out, "--- ")
	return out, nil
}

// inlineText writes a scalar or a collection in flow style; ok is false for a non-empty mapping, which
// is written in block style instead.
func inlineText(n *yaml.Node) (string, bool, error) {
	switch n.Kind {
	case yaml.ScalarNode, yaml.AliasNode:
		t, err := scalarText(n)
		return t, true, err
	case yaml.MappingNode:
		if len(n.Content) > 0 && n.Style&yaml.FlowStyle == 0 {
			return "", false, nil
		}
	}
	c, err := copyTree(n)
	if err != nil {
		return "", false, err
	}
	c.Style |= yaml.FlowStyle
	out, err := dumpOneLine(c)
	if err != nil {
		return "", false, err
	}
	if strings.Contains(out, "\n") {
		return "", false, errors.New("the value cannot be written on one line")
	}
	return out, true, nil
}

// copyTree copies a node tree without comments and positions; it refuses anchors and aliases, whose
// meaning depends on the rest of the file.
func copyTree(n *yaml.Node) (*yaml.Node, error) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return nil, errors.New("values with anchors or aliases cannot be rewritten")
	}
	c := &yaml.Node{Kind: n.Kind, Style: n.Style, Tag: n.Tag, Value: n.Value}
	for _, ch := range n.Content {
		cc, err := copyTree(ch)
		if err != nil {
			return nil, err
		}
		c.Content = append(c.Content, cc)
	}
	return c, nil
}

// blockLines writes mapping n in block style, its keys at indent.
func blockLines(n *yaml.Node, indent, step int) ([]string, error) {
	if n.Kind != yaml.MappingNode {
		return nil, errors.New("only mappings are written in block style")
	}
	var lines []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kt, err := scalarText(k)
		if err != nil {
			return nil, err
		}
		if k.Kind != yaml.ScalarNode {
			return nil, errors.New("only scalar keys can be written")
		}
		t, ok, err := inlineText(v)
		if err != nil {
			return nil, err
		}
		if ok {
			lines = append(lines, spaces(indent)+kt+": "+t)
			continue
		}
		sub, err := blockLines(v, indent+step, step)
		if err != nil {
			return nil, err
		}
		lines = append(lines, spaces(indent)+kt+":")
		lines = append(lines, sub...)
	}
	return lines, nil
}

// itemLines writes a mapping as a block sequence entry whose dash is at dashIndent and whose keys start
// offset columns after the dash.
func itemLines(n *yaml.Node, dashIndent, offset, step int) ([]string, error) {
	lines, err := blockLines(n, 0, step)
	if err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return []string{spaces(dashIndent) + "- {}"}, nil
	}
	for i, l := range lines {
		if i == 0 {
			lines[i] = spaces(dashIndent) + "-" + spaces(offset-1) + l
		} else {
			lines[i] = spaces(dashIndent+offset) + l
		}
	}
	return lines, nil
}
