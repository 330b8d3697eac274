package workbench

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// The smallest terminal the layout works in.
const (
	minWidth  = 50
	minHeight = 12
)

// labelWidth is the width of the mapping pane's label column ("8 username from ").
const labelWidth = 17

// san escapes what a terminal would obey in text the workbench did not write: the document's member
// names and values, the config's names, rules and schemes, and every message that quotes them (an
// OSC title, a CR and erase-line that redraws a row, a bidi override). It is applied where such text
// is put into a line, inside ssoctl's own styling, and never to what is written back to the file.
var san = iostreams.Sanitize

// View draws the whole screen on the alternate screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	return v
}

// render returns the screen as text, one line per terminal row.
func (m *Model) render() string {
	if m.width == 0 || m.height == 0 {
		return ""
	}
	if m.width < minWidth || m.height < minHeight {
		return fit(fmt.Sprintf("Too small: %dx%d, needs at least %dx%d.", m.width, m.height, minWidth, minHeight), m.width)
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.headerLine())
	switch m.screen {
	case screenLoading:
		lines = append(lines, m.box("userinfo", []string{m.styles.dim.Render("Reading the userinfo document…")}, m.width, m.bodyHeight(), true)...)
	case screenPick:
		lines = append(lines, m.pickBody()...)
	default:
		lines = append(lines, m.mainBody()...)
	}
	// bubbles/help can overflow by one item when even its ellipsis does not fit; fit cuts it.
	lines = append(lines, m.statusLine(), fit(m.help.ShortHelpView(m.helpFor().short), m.width))
	return strings.Join(lines, "\n")
}

func (m *Model) bodyHeight() int { return max(3, m.height-3) }

// paneWidths splits the width between the tree and the right pane.
func (m *Model) paneWidths() (left, right int) {
	left = m.width * 9 / 20
	left = max(left, min(28, m.width/2))
	return left, m.width - left
}

func (m *Model) headerLine() string {
	parts := []string{m.styles.header.Render("ssoctl map eval")}
	if p := m.opts.Provider; p != nil {
		parts = append(parts, san(p.Name)+" ("+san(p.Type)+")")
	}
	if m.doc != nil {
		parts = append(parts, "userinfo: "+san(m.doc.source))
	}
	left := strings.Join(parts, m.styles.dim.Render(" · "))
	var right string
	switch {
	case m.saving:
		right = m.styles.dim.Render("saving…")
	case m.screen == screenMain && m.dirty():
		right = m.styles.warn.Render("● unsaved changes")
	case m.saved:
		right = m.styles.ok.Render("✓ saved")
	}
	gap := m.width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return fit(left, m.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m *Model) statusLine() string {
	s := m.styles
	switch {
	case m.modal == modalDiff:
		return fit(s.bold.Render("Write these changes?")+" "+s.dim.Render("y write · n cancel · ↑/↓ scroll"), m.width)
	case m.modal == modalQuit:
		return fit(s.warn.Render("Unsaved changes. Quit without saving?")+" "+s.dim.Render("y quit · n stay · ctrl+s save and quit"), m.width)
	case m.searching:
		return fit(m.searchIn.View(), m.width)
	case m.status != "":
		st := s.dim
		switch m.statusKind {
		case statusOK:
			st = s.ok
		case statusWarn:
			st = s.warn
		case statusErr:
			st = s.err
		}
		msg := san(m.status)
		if m.statusKind == statusErr {
			msg = "✗ " + msg
		}
		return fit(st.Render(msg), m.width)
	case m.screen == screenMain && m.focus == panePerm && m.perm.cursor < len(m.perm.scheme.Bits):
		b := m.perm.scheme.Bits[m.perm.cursor]
		return fit(s.path.Render(san(b.Name))+s.dim.Render(fmt.Sprintf(" (bit %d, %d): ", b.Index, b.Value))+san(b.Meaning), m.width)
	case m.screen == screenMain && m.doc != nil:
		t := m.doc.tree
		n := &t.nodes[m.cursor]
		desc := kindName(n)
		return fit(s.path.Render(san(t.path(m.cursor)))+"  "+s.dim.Render(desc), m.width)
	}
	return ""
}

func kindName(n *node) string {
	switch n.kind {
	case kindObject:
		return fmt.Sprintf("object, %d members", n.count)
	case kindArray:
		return fmt.Sprintf("array, %d items", n.count)
	case kindString:
		return fmt.Sprintf("string, %d characters", utf8.RuneCountInString(n.text))
	case kindNumber:
		return "number"
	case kindBool:
		return "boolean"
	}
	return "null"
}

// ---- source picker ----

func (m *Model) pickBody() []string {
	s := m.styles
	what := "the mapping rules"
	if p := m.opts.Provider; p != nil {
		what = "the mapping of " + san(p.Name)
	}
	// The prompt, the file input and the error stay on top; the list scrolls below them.
	head := []string{"", " No userinfo document was given. Evaluate " + what + " against:"}
	if m.asking {
		head = append(head, "", " File: "+m.pathIn.View())
	}
	if m.loadErr != nil {
		for _, l := range wrapText("✗ "+san(m.loadErr.Error()), m.width-4) {
			head = append(head, " "+s.err.Render(l))
		}
	}
	head = append(head, "")
	labelW := 0
	for _, c := range m.choices {
		labelW = max(labelW, ansi.StringWidth(san(c.label)))
	}
	rows := make([]string, 0, len(m.choices))
	for i, c := range m.choices {
		label := iostreams.PadRight(san(c.label), labelW)
		if i == m.pick {
			rows = append(rows, " "+s.cursor.Render("› "+label+"  "+san(c.detail)))
		} else {
			rows = append(rows, "   "+label+"  "+s.dim.Render(san(c.detail)))
		}
	}
	lines := append(head, window(rows, m.bodyHeight()-2-len(head), m.pick, m.pick+1)...)
	return m.box("userinfo source", lines, m.width, m.bodyHeight(), true)
}

// ---- main screen ----

func (m *Model) mainBody() []string {
	h := m.bodyHeight()
	switch m.modal {
	case modalHelp:
		return m.box("keys · any key closes", m.fullHelp(m.width-4), m.width, h, true)
	case modalDiff:
		return m.diffBox(h)
	}
	lw, rw := m.paneWidths()
	left := m.box(m.treeTitle(), m.treeLines(lw-2, h-2), lw, h, m.focus == paneTree)
	var right []string
	if m.focus == panePerm {
		right = m.box(m.permTitle(), m.permLines(rw-2, h-2), rw, h, true)
	} else {
		right = m.box(m.mappingTitle(), m.mappingLines(rw-2, h-2), rw, h, m.focus == paneFields)
	}
	out := make([]string, h)
	for i := range out {
		out[i] = left[i] + right[i]
	}
	return out
}

func (m *Model) treeTitle() string {
	t := m.doc.tree
	return fmt.Sprintf("userinfo · %d/%d", m.cursor+1, t.len())
}

// treeLines draws the rows from top down, visiting only the nodes on screen.
func (m *Model) treeLines(w, h int) []string {
	t := m.doc.tree
	lines := make([]string, 0, h)
	for i := m.top; i >= 0 && len(lines) < h; i = t.next(i) {
		lines = append(lines, m.treeRow(i, w))
	}
	return lines
}

func (m *Model) treeRow(i, w int) string {
	s := m.styles
	t := m.doc.tree
	n := &t.nodes[i]
	cur := i == m.cursor
	// The text is built twice, plain for the cursor row (reverse video over the whole row) and
	// styled for the others; nested styles would end the reverse video early.
	indent := strings.Repeat("  ", int(n.depth))
	arrow := "  "
	if n.container() {
		arrow = "▸ "
		if t.expanded(i) || (t.open[i] && n.count == 0) {
			arrow = "▾ "
		}
	}
	var name, nameStyled string
	switch {
	case n.parent < 0:
		name = "$"
		nameStyled = s.key.Render(name)
	case n.member:
		key := san(n.key)
		name = key + ":"
		nameStyled = s.key.Render(key) + ":"
	default:
		name = "[" + strconv.Itoa(int(n.index)) + "]"
		nameStyled = s.dim.Render(name)
	}
	// Leave room for the name; long values are cut before quoting so a megabyte string costs
	// nothing to draw.
	room := max(8, w-len(indent)-2-ansi.StringWidth(name)-2)
	val, valStyled := m.valueCell(n, i, room)
	plain := indent + arrow + name + " " + val
	if cur {
		mark := "›"
		st := s.cursor
		if m.focus != paneTree {
			st = s.cursorBlur
		}
		return st.Render(fit(mark+plain, w))
	}
	return fit(" "+indent+s.dim.Render(arrow)+nameStyled+" "+valStyled, w)
}

// valueCell returns a node's value as shown, plain and styled, cut to about room cells.
func (m *Model) valueCell(n *node, i, room int) (string, string) {
	s := m.styles
	switch n.kind {
	case kindObject:
		v := fmt.Sprintf("{%d}", n.count)
		return v, s.dim.Render(v)
	case kindArray:
		v := fmt.Sprintf("[%d]", n.count)
		return v, s.dim.Render(v)
	case kindString:
		v := quoteCut(n.text, room)
		return v, s.str.Render(v)
	case kindNumber:
		v := san(n.text)
		return v, s.num.Render(v)
	}
	return n.text, s.literal.Render(n.text)
}

// quoteCut quotes s as JSON would show it, cut to about room cells with an ellipsis.
func quoteCut(s string, room int) string {
	cut := false
	if len(s) > room*4 {
		s, cut = s[:room*4], true
		for !utf8.ValidString(s) && len(s) > 0 {
			s = s[:len(s)-1]
		}
	}
	q := strconv.Quote(s)
	if cut || ansi.StringWidth(q) > room {
		return ansi.Truncate(q, max(1, room-1), "") + "…"
	}
	return q
}

func (m *Model) mappingTitle() string {
	t := "mapping · " + san(m.setup.mappingType)
	if m.setup.mappingType != "custom" {
		t += " preset"
	}
	return t
}

// mappingLines draws the fields, each with its value, and scrolls to keep the selected one shown.
func (m *Model) mappingLines(w, h int) []string {
	s := m.styles
	var lines []string
	selStart, selEnd := 0, 0
	for i, f := range m.fields {
		if i == m.fcur {
			selStart = len(lines)
		}
		lines = append(lines, m.fieldLines(i, f, w)...)
		if i == m.fcur {
			selEnd = len(lines)
		}
	}
	lines = append(lines, s.dim.Render(strings.Repeat("─", w)))
	for _, l := range m.userLines(w) {
		lines = append(lines, fit(l, w))
	}
	return window(lines, h, selStart, selEnd)
}

// fieldLines draws one field: its label and rule, then its value or its syntax error.
func (m *Model) fieldLines(i int, f *field, w int) []string {
	s := m.styles
	sel := i == m.fcur
	mark := " "
	if sel {
		mark = "›"
	}
	label := fmt.Sprintf("%d %s", i+1, f.label)
	if f.dirty() {
		label += "*"
	}
	labelCell := iostreams.PadRight(label, labelWidth-1)
	var rule string
	switch {
	case f.input.Focused():
		rule = f.input.View()
	case f.text() == "":
		rule = s.dim.Render(f.input.Placeholder)
	case f.kind == kindRule && f.text() == f.preset && !f.hasOverride:
		rule = s.rule.Render(san(f.text())) + s.preset.Render("  preset")
	default:
		rule = s.rule.Render(san(f.text()))
	}
	var first string
	if sel {
		st := s.cursor
		if m.focus != paneFields {
			st = s.cursorBlur
		}
		first = st.Render(mark+labelCell) + " " + rule
	} else {
		first = mark + s.label.Render(labelCell) + " " + rule
	}
	lines := []string{fit(first, w)}
	pad := strings.Repeat(" ", labelWidth+1)
	switch {
	case f.synErr != nil:
		msg := san(fmt.Sprintf("✗ column %d: expected %s", f.synErr.Column, f.synErr.Expected))
		if !sel {
			lines = append(lines, fit(pad+s.err.Render(msg), w))
			break
		}
		// The field being edited gets the whole message and the hint.
		for _, l := range wrapText(msg, w-len(pad)) {
			lines = append(lines, fit(pad+s.err.Render(l), w))
		}
		for _, l := range wrapText(san(f.synErr.Hint()), w-len(pad)) {
			lines = append(lines, fit(pad+s.dim.Render(l), w))
		}
	case f.err != nil:
		lines = append(lines, fit(pad+s.err.Render("✗ "+san(f.err.Error())), w))
	case f.text() == "" && (f.kind == kindClaim || (f.kind == kindRule && !f.required)):
		// Nothing to evaluate: one line, so the pane fits in 24 rows.
	default:
		lines = append(lines, fit(pad+m.valueLine(f), w))
	}
	return lines
}

// valueLine says what a field yields from the document; the username source and the groups claim
// show what the mapped user gets from them.
func (m *Model) valueLine(f *field) string {
	s := m.styles
	switch f.kind {
	case kindFrom:
		if v, ok := m.usernameLine(f); ok {
			return v
		}
	case kindClaim:
		if v, ok := m.groupsLine(f); ok {
			return v
		}
	}
	switch {
	case f.kind == kindClaim && f.text() == "":
		return s.dim.Render("no groups claim")
	case f.kind == kindRule && f.text() == "" && f.required:
		return s.warn.Render("! required for a custom mapping")
	case f.kind == kindRule && f.text() == "":
		return s.dim.Render("—")
	case f.kind == kindFrom && !f.res.Found:
		return s.warn.Render(san(fmt.Sprintf("! no mapped field or claim %s has a value", f.res.Expr)))
	case !f.res.Found:
		return s.warn.Render("! no match")
	}
	v := "→ " + styledValue(s, f.res.Value)
	if f.res.Ambiguous {
		v += s.warn.Render(fmt.Sprintf(" (+%d more: the first is used)", len(f.res.Nodes)-1))
	}
	return v
}

func styledValue(s styles, v any) string {
	t := valueText(v)
	switch v.(type) {
	case string:
		return s.str.Render(t)
	case nil, bool:
		return s.literal.Render(t)
	case map[string]any, []any:
		return t
	}
	return s.num.Render(t)
}

func (m *Model) permTitle() string {
	return fmt.Sprintf("permissions · %s · %d", san(m.perm.scheme.Name), m.perm.sum)
}

// permLines draws the sum, the names and the checklist, scrolled to keep the cursor shown.
func (m *Model) permLines(w, h int) []string {
	s := m.styles
	p := &m.perm
	var head []string
	sum := s.bold.Render(strconv.FormatInt(p.sum, 10))
	if p.typing {
		sum = p.input.View()
	}
	head = append(head, fit(" sum "+sum+s.dim.Render(fmt.Sprintf("   (type a number; largest %d)", p.scheme.Max())), w))
	names := san(strings.Join(p.names(), ", "))
	if names == "" {
		names = "no rights"
	}
	head = append(head, fit(" "+s.dim.Render(names), w))
	switch {
	case p.typeErr != nil:
		for _, l := range wrapText("✗ "+san(p.typeErr.Error()), w-2) {
			head = append(head, " "+s.err.Render(l))
		}
	case p.fileErr != nil:
		for _, l := range wrapText("! the file's value: "+san(p.fileErr.Error()), w-2) {
			head = append(head, " "+s.warn.Render(l))
		}
	}
	head = append(head, s.dim.Render(strings.Repeat("─", w)))

	nameW := 0
	for _, b := range p.scheme.Bits {
		nameW = max(nameW, iostreams.Width(san(b.Name)))
	}
	var rows []string
	for i, b := range p.scheme.Bits {
		box := "[ ]"
		if p.sum&b.Value != 0 {
			box = "[x]"
		}
		text := fmt.Sprintf("%s %6d  %s  ", box, b.Value, iostreams.PadRight(san(b.Name), nameW))
		if i == p.cursor {
			rows = append(rows, fit(s.cursor.Render("›"+text)+s.dim.Render(san(b.Meaning)), w))
		} else {
			rows = append(rows, fit(" "+text+s.dim.Render(san(b.Meaning)), w))
		}
	}
	return append(head, window(rows, h-len(head), p.cursor, p.cursor+1)...)
}

// fullHelp lays the help's columns out in rows of columns that fit in w cells: bubbles/help cuts
// columns that do not fit, and the full help has more than 80 cells of them.
func (m *Model) fullHelp(w int) []string {
	groups := m.helpFor().full
	hm := m.help
	hm.SetWidth(0)
	var lines []string
	for start := 0; start < len(groups); {
		end := start + 1
		for end < len(groups) && ansi.StringWidth(firstLine(hm.FullHelpView(groups[start:end+1]))) <= w {
			end++
		}
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, strings.Split(hm.FullHelpView(groups[start:end]), "\n")...)
		start = end
	}
	for i := range lines {
		lines[i] = " " + lines[i]
	}
	return lines
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// diffBox shows the change a save makes, scrollable, before anything is written.
func (m *Model) diffBox(h int) []string {
	s := m.styles
	pv := m.preview
	inner := h - 2
	lines := []string{" Write these changes to " + san(pv.path) + "?", ""}
	for _, l := range pv.diff[min(m.diffTop, len(pv.diff)):] {
		if len(lines) >= inner {
			break
		}
		st := s.rule
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
			st = s.bold
		case strings.HasPrefix(l, "+"):
			st = s.diffAdd
		case strings.HasPrefix(l, "-"):
			st = s.diffDel
		case strings.HasPrefix(l, "@@"):
			st = s.diffHunk
		}
		lines = append(lines, " "+st.Render(san(expandTabs(l))))
	}
	return m.box("save", lines, m.width, h, true)
}

func expandTabs(s string) string { return strings.ReplaceAll(s, "\t", "    ") }

// window returns h lines of lines that include [start, end), as close to the top as possible.
func window(lines []string, h, start, end int) []string {
	if h <= 0 {
		return nil
	}
	off := 0
	if end > h {
		off = end - h
	}
	if start < off {
		off = start
	}
	off = max(0, min(off, len(lines)-h))
	return lines[off:min(len(lines), off+h)]
}

// box draws lines in a rounded frame w cells wide and h rows high, with the title in the top edge.
func (m *Model) box(title string, lines []string, w, h int, focused bool) []string {
	bs, ts := m.styles.border, m.styles.title
	if focused {
		bs, ts = m.styles.borderFocus, m.styles.titleFocus
	}
	inner := max(0, w-2)
	title = ansi.Truncate(title, max(0, inner-4), "…")
	fill := max(0, inner-3-ansi.StringWidth(title))
	out := make([]string, 0, h)
	out = append(out, bs.Render("╭─ ")+ts.Render(title)+bs.Render(" "+strings.Repeat("─", fill)+"╮"))
	side := bs.Render("│")
	for i := 0; i < h-2; i++ {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		out = append(out, side+fit(l, inner)+side)
	}
	out = append(out, bs.Render("╰"+strings.Repeat("─", inner)+"╯"))
	return out
}

// fit cuts s to w cells (with an ellipsis) or pads it with spaces to exactly w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w-1, "") + "…"
	}
	return s + strings.Repeat(" ", w-sw)
}

// wrapText breaks s into lines of at most w cells at spaces (a longer word is cut by fit later).
func wrapText(s string, w int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= w:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
