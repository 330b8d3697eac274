package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v4"
)

// JSON files are edited in place like YAML ones: the new, changed or removed provider entry's bytes
// are spliced into the text, written in the file's own indentation, separators and line ends, and
// everything outside the entry stays byte for byte. Only a file without content (new, empty or "{}")
// is written whole.

// jsonStyle is how a file writes JSON.
type jsonStyle struct {
	base  string // indentation of the line the value starts on
	unit  string // one level of indentation; "" writes the value on one line
	nl    string
	colon string // ": " or ":"
	comma string // between members on one line: ", " or ","
}

// defaultJSONStyle is the style of a file ssoctl writes whole: two-space indentation.
var defaultJSONStyle = jsonStyle{unit: "  ", nl: "\n", colon: ": ", comma: ", "}

// encodeJSON writes a document node as JSON with two-space indentation, keeping the key order.
func encodeJSON(doc *yaml.Node) ([]byte, error) {
	n := doc
	if n.Kind == yaml.DocumentNode {
		n = n.Content[0]
	}
	w := newJSONWriter(defaultJSONStyle)
	if err := w.write(n, 0, 0); err != nil {
		return nil, err
	}
	w.b.WriteByte('\n')
	return w.b.Bytes(), nil
}

// renderJSON writes one value in style st, its first line starting where the caller puts it.
func renderJSON(n *yaml.Node, st jsonStyle) (string, error) {
	w := newJSONWriter(st)
	if err := w.write(n, 0, 0); err != nil {
		return "", err
	}
	return w.b.String(), nil
}

type jsonWriter struct {
	b   *bytes.Buffer
	enc *json.Encoder
	st  jsonStyle
}

func newJSONWriter(st jsonStyle) *jsonWriter {
	b := &bytes.Buffer{}
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false) // JSON does not need <, > and & escaped
	return &jsonWriter{b: b, enc: enc, st: st}
}

// open writes the indentation before a member at depth.
func (w *jsonWriter) member(first bool, depth int) {
	if w.st.unit == "" {
		if !first {
			w.b.WriteString(w.st.comma)
		}
		return
	}
	if !first {
		w.b.WriteByte(',')
	}
	w.b.WriteString(w.st.nl + w.st.base + strings.Repeat(w.st.unit, depth+1))
}

// close writes the indentation before a closing bracket at depth.
func (w *jsonWriter) close(depth int) {
	if w.st.unit != "" {
		w.b.WriteString(w.st.nl + w.st.base + strings.Repeat(w.st.unit, depth))
	}
}

func (w *jsonWriter) write(n *yaml.Node, depth, aliases int) error {
	b := w.b
	for n.Kind == yaml.AliasNode {
		if aliases++; aliases > 100 {
			return fmt.Errorf("too many aliases to write the file as JSON")
		}
		n = n.Alias
	}
	if depth > 200 {
		return fmt.Errorf("the file nests too deeply to write as JSON")
	}
	switch n.Kind {
	case yaml.MappingNode:
		if len(n.Content) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteString("{")
		for i := 0; i+1 < len(n.Content); i += 2 {
			w.member(i == 0, depth)
			w.string(n.Content[i].Value)
			b.WriteString(w.st.colon)
			if err := w.write(n.Content[i+1], depth+1, aliases); err != nil {
				return err
			}
		}
		w.close(depth)
		b.WriteString("}")
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteString("[")
		for i, c := range n.Content {
			w.member(i == 0, depth)
			if err := w.write(c, depth+1, aliases); err != nil {
				return err
			}
		}
		w.close(depth)
		b.WriteString("]")
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("value %q on line %d cannot be written as JSON", n.Value, n.Line)
		}
		if s, ok := v.(string); ok {
			w.string(s)
			return nil
		}
		out, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("value %q cannot be written as JSON", n.Value)
		}
		b.Write(out)
	default:
		return fmt.Errorf("a YAML node of kind %d cannot be written as JSON", n.Kind)
	}
	return nil
}

// string writes s as a JSON string.
func (w *jsonWriter) string(s string) {
	_ = w.enc.Encode(s)
	w.b.Truncate(w.b.Len() - 1) // Encode adds a newline
}

// The text side of JSON edits.

// jsonEnd returns the offset just past JSON value n (from the position tree) that starts at off.
func (s *source) jsonEnd(n *yaml.Node, off int) (int, error) {
	if n.Kind != yaml.ScalarNode || n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		return s.tokenEnd(n, off)
	}
	// A number, true, false or null: it ends where a separator or white space starts.
	e := off
	for e < len(s.b) && !strings.ContainsRune(",}] \t\r\n", rune(s.b[e])) {
		e++
	}
	if e == off {
		return 0, errUnclosed
	}
	return e, nil
}

// span returns the offsets of value n.
func (s *source) span(n *yaml.Node) (int, int, error) {
	off, err := s.nodeOffset(n)
	if err != nil {
		return 0, 0, err
	}
	end, err := s.jsonEnd(n, off)
	return off, end, err
}

// lineIndent returns the white space that starts the line holding offset off.
func (s *source) lineIndent(off int) string {
	l := s.lineOf(off)
	if !s.valid(l) {
		return ""
	}
	ln := s.b[s.start[l-1]:s.end[l-1]]
	if l == 1 {
		ln = ln[min(s.bom, len(ln)):]
	}
	i := 0
	for i < len(ln) && (ln[i] == ' ' || ln[i] == '\t') {
		i++
	}
	return string(ln[:i])
}

// firstOnLine reports whether only white space precedes offset off on its line.
func (s *source) firstOnLine(off int) bool {
	l := s.lineOf(off)
	if !s.valid(l) {
		return false
	}
	start := s.start[l-1]
	if l == 1 {
		start += s.bom
	}
	return strings.TrimLeft(string(s.b[min(start, off):off]), " \t") == ""
}

// jsonFileStyle reads the file's indentation unit and separators from its top-level object: the
// indentation of its first key against the object's own line, and the bytes after that key's colon
// and after its first value.
func (e *editor) jsonFileStyle() jsonStyle {
	s := e.src
	st := jsonStyle{unit: "", nl: s.nl, colon: ": ", comma: ", "}
	root := e.posRoot()
	if root == nil || len(root.Content) < 2 {
		return defaultJSONStyle
	}
	rootOff, err1 := s.nodeOffset(root)
	k := root.Content[0]
	koff, _, err2 := s.span(k)
	if err1 != nil || err2 != nil {
		return st
	}
	if s.lineOf(koff) != s.lineOf(rootOff) && s.firstOnLine(koff) {
		if ki, ri := s.lineIndent(koff), s.lineIndent(rootOff); strings.HasPrefix(ki, ri) && len(ki) > len(ri) {
			st.unit = ki[len(ri):]
		}
	}
	st.colon, st.comma = s.separators(root, st.colon, st.comma)
	return st
}

// separators reads how mapping m writes a colon (after its first key) and a comma between members on
// one line (after its first value, unless a line break follows); what it cannot tell stays as given.
func (s *source) separators(m *yaml.Node, colon, comma string) (string, string) {
	if m.Kind != yaml.MappingNode || len(m.Content) < 2 {
		return colon, comma
	}
	if _, kend, err := s.span(m.Content[0]); err == nil {
		i := kend
		for i < len(s.b) && (s.b[i] == ' ' || s.b[i] == '\t') {
			i++
		}
		if i < len(s.b) && s.b[i] == ':' {
			colon = ":"
			if i+1 < len(s.b) && s.b[i+1] == ' ' {
				colon = ": "
			}
		}
	}
	if len(m.Content) >= 4 {
		if _, vend, err := s.span(m.Content[1]); err == nil && vend < len(s.b) && s.b[vend] == ',' {
			switch {
			case vend+1 < len(s.b) && s.b[vend+1] == ' ':
				comma = ", "
			case vend+1 < len(s.b) && breakLen(s.b, vend+1) == 0:
				comma = ","
			}
		}
	}
	return colon, comma
}

// itemStyle is the file's style for a value that starts at off: on several lines, indented from
// off's line, when the file indents and the value it stands in for spanned several lines (or there
// is none); else on one line, with the separators of like, the entry it stands in for or follows.
func (e *editor) itemStyle(off int, multiLine bool, like *yaml.Node) jsonStyle {
	st := e.jsonFileStyle()
	st.base = e.src.lineIndent(off)
	if like != nil {
		st.colon, st.comma = e.src.separators(like, st.colon, st.comma)
	}
	if !multiLine {
		st.unit = ""
	}
	return st
}

// jsonAddProvider makes the text edit that adds item to the providers list of a JSON file.
func (e *editor) jsonAddProvider(ki int, item *yaml.Node) error {
	s := e.src
	root := e.posRoot()
	if root == nil || len(root.Content) == 0 {
		// Nothing to keep: the file is written whole.
		e.whole = true
		return nil
	}
	if ki < 0 {
		// A new "providers" member after the last one, indented like it.
		lastK, lastV := root.Content[len(root.Content)-2], root.Content[len(root.Content)-1]
		koff, err := s.nodeOffset(lastK)
		if err != nil {
			return err
		}
		_, vend, err := s.span(lastV)
		if err != nil {
			return err
		}
		st := e.itemStyle(koff, s.firstOnLine(koff), nil)
		arr, err := renderJSON(seqNode(item), st)
		if err != nil {
			return err
		}
		sep := st.comma // the comma and what follows it on one line
		if st.unit != "" {
			sep = "," + st.nl + st.base
		}
		e.add(textEdit{vend, vend, sep + `"providers"` + st.colon + arr})
		return nil
	}
	pk, pv := root.Content[ki], root.Content[ki+1]
	if pv.Kind != yaml.SequenceNode || len(pv.Content) == 0 {
		// null or []: the whole value becomes a list, indented from the key's line.
		off, end, err := s.span(pv)
		if err != nil {
			return err
		}
		koff, err := s.nodeOffset(pk)
		if err != nil {
			return err
		}
		st := e.itemStyle(koff, s.firstOnLine(koff), nil)
		arr, err := renderJSON(seqNode(item), st)
		if err != nil {
			return err
		}
		e.add(textEdit{off, end, arr})
		return nil
	}
	last := pv.Content[len(pv.Content)-1]
	off, end, err := s.span(last)
	if err != nil {
		return err
	}
	ownLine := s.firstOnLine(off)
	st := e.itemStyle(off, ownLine && s.lineOf(end-1) > s.lineOf(off), last)
	text, err := renderJSON(item, st)
	if err != nil {
		return err
	}
	sep := st.comma
	if ownLine {
		sep = "," + st.nl + st.base
	}
	e.add(textEdit{end, end, sep + text})
	return nil
}

// jsonReplaceItem replaces entry i of the providers list (value of root key ki) with item, written
// where the old entry stood and as it was laid out.
func (e *editor) jsonReplaceItem(ki, i int, item *yaml.Node) error {
	s := e.src
	old := e.posRoot().Content[ki+1].Content[i]
	off, end, err := s.span(old)
	if err != nil {
		return err
	}
	st := e.itemStyle(off, s.firstOnLine(off) && s.lineOf(end-1) > s.lineOf(off), old)
	text, err := renderJSON(item, st)
	if err != nil {
		return err
	}
	e.add(textEdit{off, end, text})
	return nil
}

// jsonRemoveItem removes entry i of the providers list with the comma and white space that separate
// it from its neighbour; the last one leaves [].
func (e *editor) jsonRemoveItem(ki, i int) error {
	s := e.src
	pv := e.posRoot().Content[ki+1]
	if len(pv.Content) == 1 {
		off, end, err := s.span(pv)
		if err != nil {
			return err
		}
		e.add(textEdit{off, end, "[]"})
		return nil
	}
	off, end, err := s.span(pv.Content[i])
	if err != nil {
		return err
	}
	if i > 0 {
		// From the end of the entry before: its comma and the line break go with this one.
		_, prevEnd, err := s.span(pv.Content[i-1])
		if err != nil {
			return err
		}
		e.add(textEdit{prevEnd, end, ""})
		return nil
	}
	next, _, err := s.span(pv.Content[1])
	if err != nil {
		return err
	}
	e.add(textEdit{off, next, ""})
	return nil
}
