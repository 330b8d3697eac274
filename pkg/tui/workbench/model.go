package workbench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/mapping"
)

type screen int

const (
	screenLoading screen = iota
	screenPick
	screenMain
)

type pane int

const (
	paneTree pane = iota
	paneFields
	panePerm
	paneCount
)

type modal int

const (
	modalNone modal = iota
	modalHelp
	modalDiff
	modalQuit
)

type statusKind int

const (
	statusInfo statusKind = iota
	statusOK
	statusWarn
	statusErr
)

// Model is the workbench's Bubble Tea model. Build it with New; Run runs it on a terminal, and tests
// drive it through Update and View.
type Model struct {
	opts   Options
	ctx    context.Context
	keys   keyMap
	styles styles
	help   help.Model
	width  int
	height int

	screen screen
	focus  pane
	modal  modal

	// the source picker, shown when no document was given
	choices []choice
	pick    int
	asking  bool
	pathIn  textinput.Model
	last    *LastLogin
	loadErr error

	typeAhead []tea.KeyPressMsg

	doc       *document
	cursor    int
	top       int
	searching bool
	searchIn  textinput.Model
	searchAt  int
	query     string

	fields     []*field
	fcur       int
	editBefore string
	setup      mappingSetup
	perm       permPanel
	// user is pkg/mapping's mapped user for the edits, or userErr why there is none.
	user    *mapping.User
	userErr error

	status     string
	statusKind statusKind

	preview       *preview
	diffTop       int
	saving        bool
	saved         bool
	quitAfterSave bool

	done        bool
	interrupted bool
}

// New builds the model. It reads nothing but the last test-login (through opts.LastLogin) when no
// document was given; the document itself is parsed by Init's command, off the UI loop.
func New(opts Options) *Model {
	m := &Model{
		opts:   opts,
		ctx:    context.Background(),
		keys:   defaultKeys(),
		styles: newStyles(true),
		help:   help.New(),
	}
	m.help.Styles = m.styles.help
	if m.opts.MaxDocumentSize <= 0 {
		m.opts.MaxDocumentSize = DefaultMaxDocumentSize
	}
	m.fields, m.setup = newFields(opts.Provider, effectiveMappingType(opts.Provider, opts.MappingType), opts.Rules)
	m.perm = newPermPanel(opts.Provider, m.schemeDefs())
	m.searchIn = newInput()
	m.searchIn.Prompt = "/"
	m.pathIn = newInput()
	m.pathIn.Placeholder = "path/to/userinfo.json"
	m.screen = screenLoading
	if opts.Document == nil {
		m.screen = screenPick
		if opts.LastLogin != nil {
			if last, err := opts.LastLogin(); err == nil && last != nil && len(last.Data) > 0 {
				m.last = last
			}
		}
		m.choices = sourceChoices(m.providerType(), m.last)
	}
	return m
}

func (m *Model) schemeDefs() []config.PermissionScheme {
	if m.opts.File != nil && m.opts.File.Config != nil {
		return m.opts.File.Config.PermissionSchemes
	}
	return nil
}

func (m *Model) providerType() string {
	if m.opts.Provider != nil {
		return m.opts.Provider.Type
	}
	return ""
}

// Init asks the terminal for its background colour and starts reading the document.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if m.opts.Document != nil {
		src := m.opts.Source
		if src == "" {
			src = "input"
		}
		cmds = append(cmds, loadCmd(m.opts.Document, src, m.opts.Claims))
	}
	return tea.Batch(cmds...)
}

// Update handles one message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		m.resizeInputs()
		if m.doc != nil {
			m.scrollTree()
		}
		return m, nil
	case tea.BackgroundColorMsg:
		m.styles = newStyles(msg.IsDark())
		m.help.Styles = m.styles.help
		for _, in := range m.inputs() {
			setInputStyles(in, msg.IsDark())
		}
		return m, nil
	case docMsg:
		return m.onDocument(msg)
	case previewMsg:
		return m.onPreview(msg)
	case savedMsg:
		return m.onSaved(msg)
	case tea.PasteMsg:
		return m.onPaste(msg)
	case tea.KeyPressMsg:
		return m.onKey(msg)
	}
	return m, nil
}

func (m *Model) onDocument(msg docMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.loadErr = msg.err
		m.typeAhead = nil // meant for the document, not for the picker
		if m.screen == screenLoading {
			// The document given on the command line is unreadable: offer the other sources.
			m.screen = screenPick
			m.choices = sourceChoices(m.providerType(), m.last)
		}
		return m, nil
	}
	m.doc, m.loadErr = msg.doc, nil
	m.screen = screenMain
	m.cursor, m.top = 0, 0
	evaluate(m.fields, m.doc.value)
	m.mapUser()
	m.setStatus(statusInfo, fmt.Sprintf("%d nodes from %s", m.doc.tree.len(), m.doc.source))
	var cmds []tea.Cmd
	for _, k := range m.typeAhead {
		_, cmd := m.onKey(k)
		cmds = append(cmds, cmd)
	}
	m.typeAhead = nil
	return m, tea.Batch(cmds...)
}

func (m *Model) onPaste(msg tea.PasteMsg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch {
	case m.asking:
		m.pathIn, cmd = m.pathIn.Update(msg)
	case m.searching:
		m.searchIn, cmd = m.searchIn.Update(msg)
		m.incrementalSearch()
	case m.editing():
		f := m.fields[m.fcur]
		f.input, cmd = f.input.Update(msg)
		m.fieldChanged(f)
	case m.perm.typing:
		m.perm.input, cmd = m.perm.input.Update(msg)
		m.perm.apply()
	}
	return m, cmd
}

func (m *Model) onKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Interrupt) {
		m.interrupted = true
		return m, tea.Quit
	}
	m.status = ""
	switch m.screen {
	case screenLoading:
		// Type-ahead: keys pressed while a large document loads apply once it is shown.
		m.typeAhead = append(m.typeAhead, msg)
		return m, nil
	case screenPick:
		return m.pickKey(msg)
	}
	switch m.modal {
	case modalHelp:
		m.modal = modalNone
		return m, nil
	case modalDiff:
		return m.diffKey(msg)
	case modalQuit:
		return m.quitKey(msg)
	}
	switch {
	case m.searching:
		return m.searchKey(msg)
	case m.editing():
		return m.editKey(msg)
	case m.perm.typing:
		return m.sumKey(msg)
	}
	switch {
	case key.Matches(msg, m.keys.Focus):
		m.focus = (m.focus + 1) % paneCount
		return m, nil
	case key.Matches(msg, m.keys.FocusBack):
		m.focus = (m.focus + paneCount - 1) % paneCount
		return m, nil
	case key.Matches(msg, m.keys.Save):
		return m, m.save()
	case key.Matches(msg, m.keys.Help):
		m.modal = modalHelp
		return m, nil
	case key.Matches(msg, m.keys.Quit):
		return m.quit()
	}
	switch m.focus {
	case paneTree:
		return m.treeKey(msg)
	case paneFields:
		return m.fieldKey(msg)
	default:
		return m.permKey(msg)
	}
}

// quit ends the program, asking first when there are unsaved changes.
func (m *Model) quit() (tea.Model, tea.Cmd) {
	if m.dirty() {
		m.modal = modalQuit
		return m, nil
	}
	m.done = true
	return m, tea.Quit
}

func (m *Model) quitKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Save):
		m.modal = modalNone
		m.quitAfterSave = true
		return m, m.save()
	case key.Matches(msg, m.keys.Yes):
		m.done = true
		return m, tea.Quit
	case key.Matches(msg, m.keys.No):
		m.modal = modalNone
	}
	return m, nil
}

// dirty reports whether anything differs from the config file. Without a provider in a file
// nothing can be saved, so nothing is unsaved either.
func (m *Model) dirty() bool {
	if m.opts.Provider == nil || m.opts.File == nil {
		return false
	}
	return slices.ContainsFunc(m.fields, (*field).dirty) || m.perm.dirty()
}

func (m *Model) setStatus(k statusKind, s string) {
	m.statusKind, m.status = k, s
}

// ---- source picker ----

func (m *Model) pickKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if m.asking {
		switch {
		case key.Matches(msg, m.keys.Done):
			m.asking = false
			m.pathIn.Blur()
			return m, readFileCmd(m.pathIn.Value(), m.opts.MaxDocumentSize)
		case key.Matches(msg, m.keys.Cancel):
			m.asking = false
			m.pathIn.Blur()
			return m, nil
		}
		var cmd tea.Cmd
		m.pathIn, cmd = m.pathIn.Update(msg)
		return m, cmd
	}
	switch {
	case key.Matches(msg, m.keys.Up):
		m.pick = max(0, m.pick-1)
	case key.Matches(msg, m.keys.Down):
		m.pick = min(len(m.choices)-1, m.pick+1)
	case key.Matches(msg, m.keys.Top):
		m.pick = 0
	case key.Matches(msg, m.keys.Bottom):
		m.pick = len(m.choices) - 1
	case key.Matches(msg, m.keys.Done):
		return m, m.choose(m.choices[m.pick])
	case key.Matches(msg, m.keys.Quit):
		m.done = true
		return m, tea.Quit
	}
	return m, nil
}

func (m *Model) choose(c choice) tea.Cmd {
	m.loadErr = nil
	switch {
	case c.last:
		return loadCmd(m.last.Data, "the last test-login ("+m.last.Provider+")", m.last.Claims)
	case c.file:
		m.asking = true
		return m.pathIn.Focus()
	default:
		data, err := SampleData(c.sample)
		if err != nil {
			m.loadErr = err
			return nil
		}
		return loadCmd(data, "sample "+c.sample, nil)
	}
}

// ---- tree ----

func (m *Model) treeKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	t := m.doc.tree
	switch {
	case key.Matches(msg, m.keys.Up):
		m.moveCursor(-1)
	case key.Matches(msg, m.keys.Down):
		m.moveCursor(1)
	case key.Matches(msg, m.keys.PageUp):
		m.moveCursor(-max(1, m.treeRows()-1))
	case key.Matches(msg, m.keys.PageDown):
		m.moveCursor(max(1, m.treeRows()-1))
	case key.Matches(msg, m.keys.Top):
		m.cursor, m.top = 0, 0
	case key.Matches(msg, m.keys.Bottom):
		m.cursor = t.shownAs(t.len() - 1)
		m.scrollTree()
	case key.Matches(msg, m.keys.Expand):
		switch {
		case t.nodes[m.cursor].container() && !t.open[m.cursor]:
			t.open[m.cursor] = true
		case t.expanded(m.cursor):
			m.moveCursor(1)
		}
	case key.Matches(msg, m.keys.Collapse):
		switch {
		case t.expanded(m.cursor):
			t.open[m.cursor] = false
			m.scrollTree()
		case t.parent(m.cursor) >= 0:
			m.cursor = t.parent(m.cursor)
			m.scrollTree()
		}
	case key.Matches(msg, m.keys.Toggle):
		if t.nodes[m.cursor].container() {
			t.open[m.cursor] = !t.open[m.cursor]
			m.scrollTree()
		}
	case key.Matches(msg, m.keys.ExpandAll):
		t.setSubtree(m.cursor, true)
	case key.Matches(msg, m.keys.CollapseAll):
		t.setSubtree(m.cursor, false)
		m.scrollTree()
	case key.Matches(msg, m.keys.Assign):
		m.assign(m.fcur)
	case key.Matches(msg, m.keys.AssignN):
		n, _ := strconv.Atoi(msg.String())
		if n >= 1 && n <= len(m.fields) {
			m.assign(n - 1)
		}
	case key.Matches(msg, m.keys.Search):
		m.searching, m.searchAt = true, m.cursor
		m.searchIn.SetValue("")
		return m, m.searchIn.Focus()
	case key.Matches(msg, m.keys.NextMatch):
		m.findNext(true)
	case key.Matches(msg, m.keys.PrevMatch):
		m.findNext(false)
	case key.Matches(msg, m.keys.Copy):
		p := t.path(m.cursor)
		m.setStatus(statusOK, "copied "+p)
		return m, tea.SetClipboard(p)
	}
	return m, nil
}

// treeRows is the number of tree rows on screen.
func (m *Model) treeRows() int {
	return max(1, m.bodyHeight()-2)
}

// moveCursor moves the cursor by delta visible rows.
func (m *Model) moveCursor(delta int) {
	t := m.doc.tree
	for ; delta > 0; delta-- {
		n := t.next(m.cursor)
		if n < 0 {
			break
		}
		m.cursor = n
	}
	for ; delta < 0; delta++ {
		p := t.prev(m.cursor)
		if p < 0 {
			break
		}
		m.cursor = p
	}
	m.scrollTree()
}

// scrollTree keeps the cursor on screen and the screen full, in steps bounded by its height. Visible
// rows are in document order, so comparing node indexes compares rows.
func (m *Model) scrollTree() {
	t := m.doc.tree
	h := m.treeRows()
	if !t.visible(m.cursor) {
		m.cursor = t.shownAs(m.cursor)
	}
	if !t.visible(m.top) {
		m.top = t.shownAs(m.top)
	}
	if m.cursor < m.top {
		m.top = m.cursor
	} else {
		// Is the cursor within h rows of top?
		i, d := m.top, 0
		for i >= 0 && i != m.cursor && d < h {
			i, d = t.next(i), d+1
		}
		if i != m.cursor {
			// Below the window: show it on the last row.
			m.top = m.cursor
			for k := 0; k < h-1; k++ {
				p := t.prev(m.top)
				if p < 0 {
					break
				}
				m.top = p
			}
		}
	}
	// No empty rows at the bottom while there are rows above the window.
	rows, i := 0, m.top
	for i >= 0 && rows < h {
		i, rows = t.next(i), rows+1
	}
	for ; rows < h; rows++ {
		p := t.prev(m.top)
		if p < 0 {
			break
		}
		m.top = p
	}
}

// assign gives the field at index fi the path under the cursor.
func (m *Model) assign(fi int) {
	t := m.doc.tree
	f := m.fields[fi]
	p := t.path(m.cursor)
	var v string
	switch f.kind {
	case kindRule:
		v = p
	case kindFrom:
		// The source is a mapped field, a claim or a JSONPath: prefer the field whose rule is
		// this path, then the claim's plain name, which is what apps that take a claim name need.
		for _, g := range m.fields {
			if g.kind == kindRule && g.text() == p {
				v = g.key
				break
			}
		}
		if v == "" {
			v = t.topLevelKey(m.cursor)
		}
		if v == "" {
			v = p
		}
	case kindClaim:
		if v = t.topLevelKey(m.cursor); v == "" {
			v = p
		}
	}
	f.input.SetValue(v)
	m.fcur = fi
	m.fieldChanged(f)
	m.setStatus(statusOK, fmt.Sprintf("%s ← %s", f.label, v))
}

// fieldChanged recompiles a field and re-evaluates every field and the mapped user.
func (m *Model) fieldChanged(f *field) {
	f.compile()
	if m.doc != nil {
		evaluate(m.fields, m.doc.value)
		m.mapUser()
	}
}

// ---- search ----

func (m *Model) searchKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Done):
		m.searching = false
		m.searchIn.Blur()
		m.query = strings.ToLower(m.searchIn.Value())
		if m.query != "" && !m.doc.tree.matches(m.cursor, m.query) {
			m.setStatus(statusWarn, fmt.Sprintf("no match for %q", m.searchIn.Value()))
		}
		return m, nil
	case key.Matches(msg, m.keys.Cancel):
		m.searching = false
		m.searchIn.Blur()
		m.cursor = m.searchAt
		m.scrollTree()
		return m, nil
	}
	var cmd tea.Cmd
	m.searchIn, cmd = m.searchIn.Update(msg)
	m.incrementalSearch()
	return m, cmd
}

// incrementalSearch moves to the first match at or after where the search began, as typed.
func (m *Model) incrementalSearch() {
	q := strings.ToLower(m.searchIn.Value())
	if q == "" {
		m.cursor = m.searchAt
		m.scrollTree()
		return
	}
	if j := m.doc.tree.search(q, m.searchAt-1, true); j >= 0 {
		m.doc.tree.reveal(j)
		m.cursor = j
		m.scrollTree()
	}
}

func (m *Model) findNext(forward bool) {
	if m.query == "" {
		m.setStatus(statusInfo, "search first with /")
		return
	}
	j := m.doc.tree.search(m.query, m.cursor, forward)
	if j < 0 {
		m.setStatus(statusWarn, fmt.Sprintf("no match for %q", m.query))
		return
	}
	m.doc.tree.reveal(j)
	m.cursor = j
	m.scrollTree()
}

// ---- mapping fields ----

func (m *Model) editing() bool {
	return len(m.fields) > 0 && m.fields[m.fcur].input.Focused()
}

func (m *Model) fieldKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	f := m.fields[m.fcur]
	switch {
	case key.Matches(msg, m.keys.Up):
		m.fcur = max(0, m.fcur-1)
	case key.Matches(msg, m.keys.Down):
		m.fcur = min(len(m.fields)-1, m.fcur+1)
	case key.Matches(msg, m.keys.Top):
		m.fcur = 0
	case key.Matches(msg, m.keys.Bottom):
		m.fcur = len(m.fields) - 1
	case key.Matches(msg, m.keys.Edit):
		m.editBefore = f.input.Value()
		f.input.CursorEnd()
		return m, f.input.Focus()
	case key.Matches(msg, m.keys.Clear):
		f.input.SetValue(f.preset)
		m.fieldChanged(f)
		if f.preset != "" {
			m.setStatus(statusInfo, fmt.Sprintf("%s is back to the %s preset's rule", f.label, m.setup.mappingType))
		}
	case key.Matches(msg, m.keys.Reset):
		f.input.SetValue(f.saved)
		m.fieldChanged(f)
	case key.Matches(msg, m.keys.AssignN):
		n, _ := strconv.Atoi(msg.String())
		if n >= 1 && n <= len(m.fields) {
			m.fcur = n - 1
		}
	}
	return m, nil
}

func (m *Model) editKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	f := m.fields[m.fcur]
	switch {
	case key.Matches(msg, m.keys.Done):
		m.finishEdit(f)
		return m, nil
	case key.Matches(msg, m.keys.Cancel):
		f.input.SetValue(m.editBefore)
		f.input.Blur()
		m.fieldChanged(f)
		return m, nil
	case msg.String() == "up" || msg.String() == "down":
		m.finishEdit(f)
		if msg.String() == "up" {
			m.fcur = max(0, m.fcur-1)
		} else {
			m.fcur = min(len(m.fields)-1, m.fcur+1)
		}
		return m, nil
	case key.Matches(msg, m.keys.Focus), key.Matches(msg, m.keys.FocusBack):
		m.finishEdit(f)
		return m.onKey(msg)
	case key.Matches(msg, m.keys.Save):
		m.finishEdit(f)
		return m, m.save()
	}
	before := f.input.Value()
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if f.input.Value() != before {
		m.fieldChanged(f)
	}
	return m, cmd
}

// finishEdit leaves the input. An emptied rule falls back to the preset's, which is what the file
// means without a rule of its own.
func (m *Model) finishEdit(f *field) {
	f.input.Blur()
	if f.text() == "" && f.preset != "" {
		f.input.SetValue(f.preset)
		m.fieldChanged(f)
		m.setStatus(statusInfo, fmt.Sprintf("%s is back to the %s preset's rule", f.label, m.setup.mappingType))
	}
}

// inputs lists every text input, for restyling.
func (m *Model) inputs() []*textinput.Model {
	out := []*textinput.Model{&m.searchIn, &m.pathIn, &m.perm.input}
	for _, f := range m.fields {
		out = append(out, &f.input)
	}
	return out
}

// resizeInputs fits the text inputs to the panes.
func (m *Model) resizeInputs() {
	_, rw := m.paneWidths()
	// The label column, a space, and one cell for the cursor past the end of the text.
	w := max(4, rw-2-labelWidth-2)
	for _, f := range m.fields {
		f.input.SetWidth(w)
	}
	m.perm.input.SetWidth(12)
	m.searchIn.SetWidth(max(10, m.width-4))
	m.pathIn.SetWidth(max(10, m.width-8))
}

// ---- permissions ----

func (m *Model) permKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	n := len(m.perm.scheme.Bits)
	switch {
	case key.Matches(msg, m.keys.Up):
		m.perm.cursor = max(0, m.perm.cursor-1)
	case key.Matches(msg, m.keys.Down):
		m.perm.cursor = min(n-1, m.perm.cursor+1)
	case key.Matches(msg, m.keys.Top):
		m.perm.cursor = 0
	case key.Matches(msg, m.keys.Bottom):
		m.perm.cursor = n - 1
	case key.Matches(msg, m.keys.Check):
		m.perm.toggle()
	case key.Matches(msg, m.keys.TypeSum):
		m.perm.startTyping(msg.String())
	case key.Matches(msg, m.keys.Reset):
		m.perm.sum = m.perm.saved
	}
	return m, nil
}

func (m *Model) sumKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Done):
		if m.perm.typeErr != nil {
			m.setStatus(statusErr, m.perm.typeErr.Error())
		}
		m.perm.stopTyping(false)
		return m, nil
	case key.Matches(msg, m.keys.Cancel):
		m.perm.stopTyping(true)
		return m, nil
	case key.Matches(msg, m.keys.Save):
		m.perm.stopTyping(false)
		return m, m.save()
	case key.Matches(msg, m.keys.Focus), key.Matches(msg, m.keys.FocusBack):
		m.perm.stopTyping(false)
		return m.onKey(msg)
	}
	if t := msg.Text; t != "" && strings.Trim(t, "0123456789") != "" {
		// A sum is digits; other keys would only make it invalid.
		return m, nil
	}
	var cmd tea.Cmd
	m.perm.input, cmd = m.perm.input.Update(msg)
	m.perm.apply()
	return m, cmd
}

// ---- saving ----

// save starts a save: it checks that there is somewhere to write and something valid to write, and
// reads the file for the diff shown before writing.
func (m *Model) save() tea.Cmd {
	if m.saving {
		return nil
	}
	if m.opts.Provider == nil || m.opts.File == nil {
		m.quitAfterSave = false
		m.setStatus(statusWarn, "nothing to save to: these rules belong to no provider; name one, as in ssoctl map eval NAME -i")
		return nil
	}
	for _, f := range m.fields {
		if f.synErr != nil {
			m.quitAfterSave = false
			m.fcur = slices.Index(m.fields, f)
			m.focus = paneFields
			m.setStatus(statusErr, fmt.Sprintf("rule %s has a syntax error at column %d; fix it before saving", f.label, f.synErr.Column))
			return nil
		}
	}
	e := planEdits(m.opts.Provider.Name, m.fields, &m.perm)
	if e.empty() {
		m.setStatus(statusInfo, "no changes to save")
		if m.quitAfterSave {
			m.done = true
			return tea.Quit
		}
		return nil
	}
	return previewCmd(m.opts.File.Path, e)
}

func (m *Model) onPreview(msg previewMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.quitAfterSave = false
		m.setStatus(statusErr, "cannot save: "+msg.err.Error())
		return m, nil
	}
	if len(msg.preview.diff) == 0 {
		m.setStatus(statusInfo, "the file already says this; nothing to write")
		m.markSaved()
		return m, nil
	}
	m.preview, m.diffTop, m.modal = msg.preview, 0, modalDiff
	return m, nil
}

func (m *Model) diffKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Yes):
		m.modal, m.saving = modalNone, true
		m.setStatus(statusInfo, "writing "+m.preview.path+"…")
		return m, saveCmd(m.ctx, m.preview.path, m.preview.edits, m.update())
	case key.Matches(msg, m.keys.No):
		m.modal, m.preview, m.quitAfterSave = modalNone, nil, false
		m.setStatus(statusInfo, "not saved")
	case key.Matches(msg, m.keys.Up):
		m.diffTop = max(0, m.diffTop-1)
	case key.Matches(msg, m.keys.Down):
		m.diffTop = min(max(0, len(m.preview.diff)-1), m.diffTop+1)
	case key.Matches(msg, m.keys.PageDown):
		m.diffTop = min(max(0, len(m.preview.diff)-1), m.diffTop+m.bodyHeight()-3)
	case key.Matches(msg, m.keys.PageUp):
		m.diffTop = max(0, m.diffTop-(m.bodyHeight()-3))
	}
	return m, nil
}

func (m *Model) update() UpdateFunc {
	if m.opts.Update != nil {
		return m.opts.Update
	}
	return configUpdate
}

func (m *Model) onSaved(msg savedMsg) (tea.Model, tea.Cmd) {
	m.saving = false
	path := m.preview.path
	m.preview = nil
	if msg.err != nil {
		m.quitAfterSave = false
		status := "not saved: " + msg.err.Error()
		// A refusal by validation says how to write anyway (--no-validate); show that too.
		var h interface{ Hint() string }
		if errors.As(msg.err, &h) && h.Hint() != "" {
			status += " (" + h.Hint() + ")"
		}
		m.setStatus(statusErr, status)
		return m, nil
	}
	m.saved = true
	m.markSaved()
	m.setStatus(statusOK, "✓ saved to "+path)
	if m.quitAfterSave {
		m.done = true
		return m, tea.Quit
	}
	return m, nil
}

// markSaved makes the present values the file's, as a successful save left them.
func (m *Model) markSaved() {
	for _, f := range m.fields {
		txt := f.text()
		switch f.kind {
		case kindRule:
			if !f.hasOverride || f.override != txt {
				// planEdits wrote the rule, or dropped it when it was empty or the preset's.
				f.hasOverride = txt != "" && txt != f.preset
				f.override = ""
				if f.hasOverride {
					f.override = txt
				}
			}
		case kindFrom:
			if txt == "" && f.hasOverride {
				f.input.SetValue(defaultFrom)
				txt = defaultFrom
			}
			f.override, f.hasOverride = txt, txt != ""
		case kindClaim:
			f.override, f.hasOverride = txt, txt != ""
		}
		f.saved = txt
	}
	m.perm.saved = m.perm.sum
}
