package workbench

import "charm.land/bubbles/v2/key"

// keyMap holds every binding with its help text. Which of them apply depends on the focused pane;
// helpFor picks those for the help line and the full help.
type keyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding

	// tree
	Expand, Collapse, Toggle, ExpandAll, CollapseAll, Assign, AssignN, Search, NextMatch, PrevMatch, Copy key.Binding
	// mapping fields
	Edit, Clear, Reset key.Binding
	// permissions
	Check, TypeSum key.Binding
	// editing a text
	Done, Cancel key.Binding

	Focus, FocusBack, Save, Help, Quit, Interrupt key.Binding
	// dialogs
	Yes, No key.Binding
}

func defaultKeys() keyMap {
	return keyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "first")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "last")),

		Expand:      key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "expand")),
		Collapse:    key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "collapse")),
		Toggle:      key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "expand/collapse")),
		ExpandAll:   key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "expand all below")),
		CollapseAll: key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "collapse all below")),
		Assign:      key.NewBinding(key.WithKeys("enter", "a"), key.WithHelp("enter", "use path for the field")),
		AssignN:     key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8"), key.WithHelp("1-8", "use path for field N")),
		Search:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		NextMatch:   key.NewBinding(key.WithKeys("n"), key.WithHelp("n/N", "next/previous match")),
		PrevMatch:   key.NewBinding(key.WithKeys("N")),
		Copy:        key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy path")),

		Edit:  key.NewBinding(key.WithKeys("enter", "e", "i"), key.WithHelp("enter", "edit")),
		Clear: key.NewBinding(key.WithKeys("x", "delete", "backspace"), key.WithHelp("x", "clear (back to the preset's rule)")),
		Reset: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "undo changes to the field")),

		Check:   key.NewBinding(key.WithKeys("space", "x", "enter"), key.WithHelp("space", "check/uncheck")),
		TypeSum: key.NewBinding(key.WithKeys("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("0-9", "type a sum")),

		Done:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),

		Focus:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		FocusBack: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		Save:      key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q", "esc"), key.WithHelp("q", "quit")),
		Interrupt: key.NewBinding(key.WithKeys("ctrl+c")),

		Yes: key.NewBinding(key.WithKeys("y", "Y", "enter"), key.WithHelp("y", "yes")),
		No:  key.NewBinding(key.WithKeys("n", "N", "esc", "q"), key.WithHelp("n/esc", "no")),
	}
}

// helpKeys implements help.KeyMap for one situation.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }

// helpFor returns the bindings that apply in the model's present state.
func (m *Model) helpFor() helpKeys {
	k := m.keys
	global := []key.Binding{k.Focus, k.FocusBack, k.Save, k.Help, k.Quit}
	// The short help must fit in 80 cells, so it uses terse words; the full help (?) explains.
	tail := []key.Binding{withHelp(k.Focus, "tab", "pane"), k.Save, withHelp(k.Help, "?", "keys"), k.Quit}
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
	switch {
	case m.screen == screenPick:
		if m.asking {
			return helpKeys{short: []key.Binding{withHelp(k.Done, "enter", "open the file"), k.Cancel}}
		}
		return helpKeys{short: []key.Binding{k.Up, k.Down, withHelp(k.Done, "enter", "open"), k.Quit}}
	case m.modal == modalDiff:
		return helpKeys{short: []key.Binding{withHelp(k.Yes, "y", "write the file"), k.No, k.Up, k.Down}}
	case m.modal == modalQuit:
		return helpKeys{short: []key.Binding{withHelp(k.Yes, "y", "quit without saving"), withHelp(k.No, "n/esc", "stay"), withHelp(k.Save, "ctrl+s", "save first")}}
	case m.searching:
		return helpKeys{short: []key.Binding{withHelp(k.Done, "enter", "go to match"), k.Cancel}}
	case m.editing() || m.perm.typing:
		return helpKeys{short: []key.Binding{k.Done, withHelp(k.Cancel, "esc", "undo edit"), k.Save}}
	case m.focus == paneTree:
		return helpKeys{
			short: append([]key.Binding{withHelp(k.Assign, "enter", "set "+m.fields[m.fcur].label), k.Search}, tail...),
			full: [][]key.Binding{
				nav,
				{k.Expand, k.Collapse, k.Toggle, k.ExpandAll, k.CollapseAll},
				{k.Assign, k.AssignN, k.Copy, k.Search, k.NextMatch},
				global,
			},
		}
	case m.focus == paneFields:
		return helpKeys{
			short: append([]key.Binding{k.Edit, withHelp(k.Clear, "x", "clear"), withHelp(k.Reset, "r", "undo")}, tail...),
			full:  [][]key.Binding{{k.Up, k.Down}, {k.Edit, k.Clear, k.Reset}, global},
		}
	default:
		return helpKeys{
			short: append([]key.Binding{withHelp(k.Check, "space", "check"), withHelp(k.TypeSum, "0-9", "sum"), withHelp(k.Reset, "r", "undo")}, tail...),
			full:  [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Check, k.TypeSum, withHelp(k.Reset, "r", "back to the file's sum")}, global},
		}
	}
}

// withHelp returns b with other help text, for bindings whose meaning depends on the situation.
func withHelp(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}
