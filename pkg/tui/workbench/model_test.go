package workbench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// configText is a config file with comments in the places a careless writer would lose them.
const configText = `# ssoctl config for the files server
version: 1
providers:
  # Lark login for staff
  - name: lark
    type: lark
    client_id: cli_a1b2c3 # from the Lark developer console
    client_secret: env:LARK_SECRET
    mapping:
      rules:
        email: $.data.enterprise_email # work address, not the personal one
    registration:
      enabled: true
      default_dir: /staff
  - name: gh
    type: github
    client_id: Iv1.abc
`

// writeConfig writes configText to a temporary file and loads it.
func writeConfig(t *testing.T) *config.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ssoctl.yaml")
	require.NoError(t, os.WriteFile(path, []byte(configText), 0o600))
	f, err := config.Load(path)
	require.NoError(t, err)
	require.NoError(t, f.DecodeErr)
	return f
}

// larkModel opens the Lark sample with the lark provider of configText.
func larkModel(t *testing.T, w, h int) (*Model, *config.File) {
	t.Helper()
	f := writeConfig(t)
	p, ok := f.Config.Provider("lark")
	require.True(t, ok)
	data, err := SampleData("lark")
	require.NoError(t, err)
	return open(t, Options{File: f, Provider: p, Document: data, Source: "lark.json"}, w, h), f
}

// gotoPath moves the tree cursor to the node with path p, revealing it.
func gotoPath(t *testing.T, m *Model, p string) {
	t.Helper()
	tr := m.doc.tree
	i := find(t, tr, p)
	tr.reveal(i)
	m.cursor = i
	m.scrollTree()
}

func TestOpenShowsPresetAndOverride(t *testing.T) {
	m, _ := larkModel(t, 80, 24)
	require.Equal(t, screenMain, m.screen)
	email := fieldByKey(m.fields, "email")
	assert.Equal(t, "$.data.enterprise_email", email.text())
	assert.Equal(t, "li.na@corp.example.cn", email.res.Value)
	name := fieldByKey(m.fields, "name")
	assert.Equal(t, "$.data.name", name.text(), "the lark preset's rule")
	assert.False(t, m.dirty())
	assert.Contains(t, screenText(m), "$.data.enterprise_email")
}

func TestAssignPath(t *testing.T) {
	tests := []struct {
		name      string
		path      string
		keys      []string
		field     string
		want      string
		wantValue any
		wantErr   string
	}{
		{name: "enter sets the focused field", path: "$.data.email", keys: []string{"enter"}, field: "name", want: "$.data.email", wantValue: "lina@example.cn"},
		{name: "a digit sets field N", path: "$.data.employee_no", keys: []string{"5"}, field: "description", want: "$.data.employee_no", wantValue: "E1024"},
		{name: "username from a mapped field's path names the field", path: "$.data.en_name", keys: []string{"7"}, field: "username", want: "nickname", wantValue: "Li Na"},
		{name: "username from a top-level claim", path: "$.msg", keys: []string{"7"}, field: "username", want: "msg", wantValue: "success"},
		{name: "username from a nested path without a field is the path", path: "$.data.tenant_key", keys: []string{"7"}, field: "username", want: "$.data.tenant_key", wantValue: "2ed263bf32cf1651"},
		{name: "groups claim from a nested path is the path", path: "$.data.user_id", keys: []string{"8"}, field: "groups", want: "$.data.user_id", wantValue: "5d9bdexample"},
		{name: "groups claim", path: "$.msg", keys: []string{"8"}, field: "groups", want: "msg", wantValue: "success"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := larkModel(t, 80, 24)
			gotoPath(t, m, tt.path)
			press(t, m, tt.keys...)
			f := fieldByKey(m.fields, tt.field)
			assert.Equal(t, tt.want, f.text())
			if tt.wantErr != "" {
				assert.Equal(t, statusErr, m.statusKind)
				assert.Contains(t, m.status, tt.wantErr)
				return
			}
			assert.Equal(t, tt.wantValue, f.res.Value)
			assert.Equal(t, f, m.fields[m.fcur], "the assigned field becomes the focused one")
			assert.True(t, m.dirty())
			assert.Contains(t, screenText(m), "*", "a changed field is marked")
		})
	}
}

func TestTreeKeys(t *testing.T) {
	m, _ := larkModel(t, 80, 24)
	tr := m.doc.tree
	data := find(t, tr, "$.data")

	press(t, m, "down", "down", "down")
	assert.Equal(t, "$.data", tr.path(m.cursor))
	press(t, m, "left")
	assert.False(t, tr.open[data], "left collapses")
	press(t, m, "down")
	assert.Equal(t, data, m.cursor, "the last row stays the last")
	press(t, m, "right", "right")
	assert.Equal(t, "$.data.name", tr.path(m.cursor), "right expands, then enters")
	press(t, m, "left")
	assert.Equal(t, data, m.cursor, "left on a leaf goes to the parent")
	press(t, m, "space")
	assert.False(t, tr.open[data])
	press(t, m, "space", "G")
	assert.Equal(t, "$.data.employee_no", tr.path(m.cursor))
	press(t, m, "g")
	assert.Equal(t, 0, m.cursor)
	press(t, m, "C")
	assert.Equal(t, 0, tr.next(0)+1, "everything collapsed: the root is the only row")
	press(t, m, "E")
	assert.True(t, tr.open[data])
}

func TestScrollKeepsCursorOnScreen(t *testing.T) {
	doc := `{"items": [` + strings.Repeat(`{"a": 1, "b": "x"},`, 299) + `{"a": 1, "b": "x"}]}`
	m := open(t, Options{Document: []byte(doc), Source: "big.json"}, 80, 24)
	press(t, m, "E")
	rows := m.treeRows()
	for range 3 {
		press(t, m, "pgdown")
	}
	lines := m.treeLines(30, rows)
	require.Len(t, lines, rows)
	assert.Contains(t, strings.Join(lines, "\n"), "›", "the cursor row is drawn")
	press(t, m, "G")
	assert.Equal(t, m.doc.tree.len()-1, m.cursor)
	assert.Contains(t, screenText(m), `b: "x"`)
	press(t, m, "left", "left")
	assert.Len(t, m.treeLines(30, rows), rows, "collapsing at the end pulls the window back: no empty rows")
	press(t, m, "left", "left")
	assert.Equal(t, "$.items", m.doc.tree.path(m.cursor))
	assert.Equal(t, 0, m.top, "two rows left: the window starts at the top")
}

func TestSearch(t *testing.T) {
	m, _ := larkModel(t, 80, 24)
	tr := m.doc.tree
	press(t, m, "/")
	typeText(t, m, "MOBILE")
	assert.Equal(t, "$.data.mobile", tr.path(m.cursor), "incremental, case ignored")
	assert.Contains(t, screenText(m), "/MOBILE")
	press(t, m, "enter")
	press(t, m, "/")
	typeText(t, m, "email")
	press(t, m, "enter")
	assert.Equal(t, "$.data.email", tr.path(m.cursor))
	press(t, m, "n")
	assert.Equal(t, "$.data.enterprise_email", tr.path(m.cursor))
	press(t, m, "N")
	assert.Equal(t, "$.data.email", tr.path(m.cursor))

	before := m.cursor
	press(t, m, "/")
	typeText(t, m, "tenant")
	press(t, m, "esc")
	assert.Equal(t, before, m.cursor, "esc returns to where the search began")

	press(t, m, "/")
	typeText(t, m, "zzz")
	press(t, m, "enter")
	assert.Equal(t, statusWarn, m.statusKind)
	assert.Contains(t, m.status, `no match for "zzz"`)
}

func TestEditRuleIntoSyntaxErrorAndBack(t *testing.T) {
	m, _ := larkModel(t, 80, 24)
	press(t, m, "tab", "down") // mapping pane, email
	f := m.fields[m.fcur]
	require.Equal(t, "email", f.key)
	press(t, m, "enter")
	require.True(t, m.editing())
	typeText(t, m, "[")
	assert.NotNil(t, f.synErr, "an unfinished bracket is a syntax error")
	assert.Contains(t, screenText(m), "✗ column")
	assert.False(t, f.res.Found)

	press(t, m, "backspace")
	assert.Nil(t, f.synErr)
	assert.Equal(t, "li.na@corp.example.cn", f.res.Value, "the value is back")
	for range len("enterprise_email") {
		press(t, m, "backspace")
	}
	typeText(t, m, "mobile")
	assert.Equal(t, "$.data.mobile", f.text())
	assert.Equal(t, "+8613900000000", f.res.Value, "evaluated as typed")
	press(t, m, "esc")
	assert.False(t, m.editing())
	assert.Equal(t, "$.data.enterprise_email", f.text(), "esc undoes the edit")
	assert.False(t, m.dirty())

	press(t, m, "enter")
	typeText(t, m, "[?(")
	press(t, m, "enter", "ctrl+s")
	assert.Equal(t, statusErr, m.statusKind, "a rule with a syntax error is not saved")
	assert.Contains(t, m.status, "rule email has a syntax error at column")
	press(t, m, "r")
	assert.Nil(t, f.synErr)
	assert.False(t, m.dirty())
}

func TestClearAndReset(t *testing.T) {
	m, _ := larkModel(t, 80, 24)
	press(t, m, "tab", "down", "x")
	email := fieldByKey(m.fields, "email")
	assert.Equal(t, "$.data.email", email.text(), "clearing an override brings back the preset's rule")
	assert.True(t, m.dirty())
	press(t, m, "r")
	assert.Equal(t, "$.data.enterprise_email", email.text())
	assert.False(t, m.dirty())

	press(t, m, "5", "enter")
	typeText(t, m, "$.data.user_id")
	press(t, m, "enter", "x")
	assert.Equal(t, "", fieldByKey(m.fields, "description").text(), "a field without a preset rule is emptied")
}

func TestEmptiedRuleFallsBackToPreset(t *testing.T) {
	m, _ := larkModel(t, 80, 24)
	press(t, m, "tab", "enter") // edit name
	for range len("$.data.name") {
		press(t, m, "backspace")
	}
	assert.Equal(t, "", m.fields[0].text())
	press(t, m, "enter")
	assert.Equal(t, "$.data.name", m.fields[0].text())
	assert.Contains(t, m.status, "preset")
}

func TestPermissions(t *testing.T) {
	m, _ := larkModel(t, 80, 24)
	press(t, m, "tab", "tab")
	require.Equal(t, panePerm, m.focus)
	for range 8 {
		press(t, m, "down")
	}
	press(t, m, "space", "down", "x")
	assert.Equal(t, int64(768), m.perm.sum)
	assert.Equal(t, []string{"webdav-read", "webdav-manage"}, m.perm.names())
	assert.Contains(t, screenText(m), "permissions · alist · 768")

	press(t, m, "3")
	typeText(t, m, "3")
	assert.True(t, m.perm.typing)
	assert.Equal(t, int64(33), m.perm.sum, "typing checks the bits live")
	press(t, m, "enter")
	assert.Equal(t, []string{"see-hides", "move"}, m.perm.names())

	press(t, m, "1")
	typeText(t, m, "31072")
	assert.Error(t, m.perm.typeErr)
	assert.Contains(t, screenText(m), "✗ permission 131072 has bits outside")
	press(t, m, "enter")
	assert.Equal(t, int64(33), m.perm.sum, "an impossible sum leaves the bits as they were")

	press(t, m, "7", "q")
	assert.Equal(t, "7", m.perm.input.Value(), "a sum takes digits only")
	press(t, m, "esc")
	assert.Equal(t, int64(33), m.perm.sum, "esc cancels typing")
	press(t, m, "r")
	assert.Equal(t, int64(0), m.perm.sum)
}

func TestSave(t *testing.T) {
	m, f := larkModel(t, 100, 30)
	gotoPath(t, m, "$.data.email")
	press(t, m, "2") // email back to what the preset reads: the override is dropped
	gotoPath(t, m, "$.data.employee_no")
	press(t, m, "5") // description: a new rule
	press(t, m, "tab", "tab")
	for range 8 {
		press(t, m, "down")
	}
	press(t, m, "space", "down", "space")
	require.True(t, m.dirty())

	press(t, m, "ctrl+s")
	require.Equal(t, modalDiff, m.modal)
	diff := strings.Join(m.preview.diff, "\n")
	assert.Contains(t, diff, "-        email: $.data.enterprise_email # work address, not the personal one")
	assert.Contains(t, diff, "+        description: $.data.employee_no")
	assert.Contains(t, diff, "+      default_permission: 768")
	assert.Contains(t, screenText(m), "Write these changes to")
	before, err := os.ReadFile(f.Path)
	require.NoError(t, err)
	assert.Equal(t, configText, string(before), "nothing is written before y")

	press(t, m, "y")
	assert.Equal(t, modalNone, m.modal)
	assert.Equal(t, statusOK, m.statusKind, m.status)
	assert.False(t, m.dirty())
	assert.True(t, m.saved)

	after, err := os.ReadFile(f.Path)
	require.NoError(t, err)
	got := string(after)
	for _, keep := range []string{"# ssoctl config for the files server", "# Lark login for staff", "client_id: cli_a1b2c3 # from the Lark developer console", "default_dir: /staff"} {
		assert.Contains(t, got, keep)
	}
	assert.NotContains(t, got, "enterprise_email")
	nf, err := config.Parse(f.Path, after)
	require.NoError(t, err)
	p, _ := nf.Config.Provider("lark")
	assert.Equal(t, map[string]string{"description": "$.data.employee_no"}, p.Mapping.Rules)
	require.NotNil(t, p.Registration.DefaultPermission.Sum)
	assert.Equal(t, int64(768), *p.Registration.DefaultPermission.Sum)
	assert.True(t, p.Registration.Enabled)

	press(t, m, "ctrl+s")
	assert.Equal(t, "no changes to save", m.status)
}

func TestSaveCancelled(t *testing.T) {
	m, f := larkModel(t, 80, 24)
	press(t, m, "tab", "tab", "space", "ctrl+s")
	require.Equal(t, modalDiff, m.modal)
	press(t, m, "n")
	assert.Equal(t, modalNone, m.modal)
	b, err := os.ReadFile(f.Path)
	require.NoError(t, err)
	assert.Equal(t, configText, string(b))
	assert.True(t, m.dirty())
}

func TestSaveError(t *testing.T) {
	m, _ := larkModel(t, 80, 24)
	m.opts.Update = func(context.Context, string, func(*config.File) error) error {
		return errors.New("disk full")
	}
	press(t, m, "tab", "tab", "space", "ctrl+s", "y")
	assert.Equal(t, statusErr, m.statusKind)
	assert.Contains(t, m.status, "not saved: disk full")
	assert.True(t, m.dirty())
}

// hintedError is an error with a hint, as validate's refusal of a save is.
type hintedError struct{}

func (hintedError) Error() string { return "the change would add error SSO031" }
func (hintedError) Hint() string  { return "or pass --no-validate to write it anyway" }

func TestSaveRefusedShowsHint(t *testing.T) {
	m, _ := larkModel(t, 200, 24)
	m.opts.Update = func(context.Context, string, func(*config.File) error) error {
		return fmt.Errorf("ssoctl.yaml was not changed: %w", hintedError{})
	}
	press(t, m, "tab", "tab", "space", "ctrl+s", "y")
	assert.Equal(t, statusErr, m.statusKind)
	assert.Equal(t, "not saved: ssoctl.yaml was not changed: the change would add error SSO031 (or pass --no-validate to write it anyway)", m.status)
	assert.True(t, m.dirty())
}

func TestSaveWithoutProvider(t *testing.T) {
	data, err := SampleData("github")
	require.NoError(t, err)
	m := open(t, Options{Document: data, MappingType: "github", Rules: map[string]string{"email": "$.blog"}}, 80, 24)
	assert.Equal(t, "$.blog", fieldByKey(m.fields, "email").text())
	press(t, m, "ctrl+s")
	assert.Equal(t, statusWarn, m.statusKind)
	assert.Contains(t, m.status, "belong to no provider")
	assert.True(t, press(t, m, "q"), "without a provider nothing can be unsaved")
}

func TestQuit(t *testing.T) {
	t.Run("clean quits at once", func(t *testing.T) {
		m, _ := larkModel(t, 80, 24)
		assert.True(t, press(t, m, "q"))
		assert.True(t, m.done)
	})
	t.Run("esc quits too", func(t *testing.T) {
		m, _ := larkModel(t, 80, 24)
		assert.True(t, press(t, m, "esc"))
	})
	t.Run("unsaved changes ask", func(t *testing.T) {
		m, _ := larkModel(t, 80, 24)
		press(t, m, "tab", "tab", "space", "tab")
		assert.False(t, press(t, m, "q"))
		assert.Equal(t, modalQuit, m.modal)
		assert.Contains(t, screenText(m), "Quit without saving?")
		assert.False(t, press(t, m, "n"), "n stays")
		assert.Equal(t, modalNone, m.modal)
		assert.False(t, press(t, m, "q"))
		assert.True(t, press(t, m, "y"))
		r := m.Result()
		assert.True(t, r.UnsavedChanges)
		assert.False(t, r.Saved)
	})
	t.Run("save and quit", func(t *testing.T) {
		m, f := larkModel(t, 80, 24)
		press(t, m, "tab", "tab", "space", "q")
		require.Equal(t, modalQuit, m.modal)
		press(t, m, "ctrl+s")
		require.Equal(t, modalDiff, m.modal)
		assert.True(t, press(t, m, "y"), "quits once written")
		b, err := os.ReadFile(f.Path)
		require.NoError(t, err)
		assert.Contains(t, string(b), "default_permission: 1")
	})
	t.Run("ctrl+c interrupts", func(t *testing.T) {
		m, _ := larkModel(t, 80, 24)
		press(t, m, "tab", "tab", "space")
		assert.True(t, press(t, m, "ctrl+c"))
		assert.True(t, m.interrupted)
	})
}

func TestHelp(t *testing.T) {
	m, _ := larkModel(t, 80, 24)
	press(t, m, "?")
	assert.Equal(t, modalHelp, m.modal)
	s := screenText(m)
	assert.Contains(t, s, "expand all below")
	assert.Contains(t, s, "use path for field N")
	press(t, m, "j")
	assert.Equal(t, modalNone, m.modal, "any key closes the help")
	assert.Equal(t, 0, m.cursor, "and does nothing else")
}

func TestPicker(t *testing.T) {
	last := &LastLogin{Provider: "gh", When: "2025-03-02 18:40", Data: []byte(`{"login": "octo"}`)}
	newPicker := func(t *testing.T) *Model {
		return open(t, Options{
			Provider:  &config.Provider{Name: "gh", Type: "github"},
			LastLogin: func() (*LastLogin, error) { return last, nil },
		}, 80, 24)
	}
	t.Run("offers last login, a file and the type's samples first", func(t *testing.T) {
		m := newPicker(t)
		require.Equal(t, screenPick, m.screen)
		s := screenText(m)
		assert.Contains(t, s, "Last test-login")
		assert.Contains(t, s, "test-login of gh, 2025-03-02 18:40")
		assert.Less(t, strings.Index(s, "Sample: github "), strings.Index(s, "Sample: google"))
	})
	t.Run("last login", func(t *testing.T) {
		m := newPicker(t)
		press(t, m, "enter")
		require.Equal(t, screenMain, m.screen)
		assert.Equal(t, "octo", fieldByKey(m.fields, "name").res.Value)
		assert.Contains(t, m.doc.source, "last test-login")
	})
	t.Run("sample", func(t *testing.T) {
		m := newPicker(t)
		press(t, m, "down", "down", "enter")
		require.Equal(t, screenMain, m.screen)
		assert.Equal(t, "mona-ops", fieldByKey(m.fields, "name").res.Value)
	})
	t.Run("file", func(t *testing.T) {
		m := newPicker(t)
		path := filepath.Join(t.TempDir(), "u.json")
		require.NoError(t, os.WriteFile(path, []byte(`{"login": "from-file"}`), 0o600))
		press(t, m, "down", "enter")
		require.True(t, m.asking)
		typeText(t, m, filepath.Join(filepath.Dir(path), "missing.json"))
		press(t, m, "enter")
		assert.Equal(t, screenPick, m.screen)
		assert.Contains(t, screenText(m), "missing.json")
		press(t, m, "enter")
		require.True(t, m.asking)
		for range len("missing.json") {
			press(t, m, "backspace")
		}
		typeText(t, m, "u.json")
		press(t, m, "enter")
		require.Equal(t, screenMain, m.screen)
		assert.Equal(t, "from-file", fieldByKey(m.fields, "name").res.Value)
	})
	t.Run("no last login", func(t *testing.T) {
		m := open(t, Options{LastLogin: func() (*LastLogin, error) { return nil, errors.New("none") }}, 80, 24)
		assert.NotContains(t, screenText(m), "Last test-login")
	})
	t.Run("an unreadable document falls back to the picker", func(t *testing.T) {
		m := open(t, Options{Document: []byte(`{"a":`), Source: "bad.json"}, 80, 24)
		assert.Equal(t, screenPick, m.screen)
		assert.Contains(t, screenText(m), "userinfo from bad.json")
	})
}

func TestResize(t *testing.T) {
	m, _ := larkModel(t, 80, 24)
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 14}, {100, 30}} {
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		lines := strings.Split(screenText(m), "\n")
		require.Len(t, lines, size[1], "%dx%d", size[0], size[1])
		for i, l := range lines {
			assert.LessOrEqual(t, len([]rune(l)), size[0], "%dx%d line %d: %q", size[0], size[1], i, l)
		}
	}
	m.Update(tea.WindowSizeMsg{Width: 40, Height: 10})
	assert.Contains(t, screenText(m), "needs at least 50x12")
}

func TestBackgroundColour(t *testing.T) {
	m, _ := larkModel(t, 80, 24)
	dark := m.render()
	m.Update(tea.BackgroundColorMsg{Color: lightColor{}})
	light := m.render()
	assert.NotEqual(t, dark, light, "colours follow the background")
	assert.Equal(t, screenText(m), stripped(light))
}

type lightColor struct{}

func (lightColor) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

func TestResultText(t *testing.T) {
	m, _ := larkModel(t, 80, 24)
	press(t, m, "tab", "tab")
	for range 8 {
		press(t, m, "down")
	}
	press(t, m, "space")
	var b strings.Builder
	require.NoError(t, m.Result().WriteText(&b))
	want := `# provider lark; evaluated against lark.json; changes NOT saved
mapping:
  type: lark
  rules:
    name: $.data.name # "李娜"
    email: $.data.enterprise_email # "li.na@corp.example.cn"
    nickname: $.data.en_name # "Li Na"
    phone: $.data.mobile # "+8613900000000"
    id: $.data.union_id # "on_7e6d5c4b3a291807f6e5d4c3b2a19080"
  username:
    from: name # username "李娜"
registration: # allowed: registration is enabled for every email domain
  default_permission: 256 # alist: webdav-read
`
	assert.Equal(t, want, b.String())
}

func TestMappedUser(t *testing.T) {
	data, err := SampleData("keycloak")
	require.NoError(t, err)
	kc := func() *config.Provider {
		return &config.Provider{Name: "kc", Type: "oidc",
			Groups:       &config.Groups{Claim: "groups", Map: map[string]string{"/inventree/admins": "admin"}},
			Mapping:      &config.Mapping{Username: &config.Username{From: "email", Normalize: "handle"}},
			Registration: &config.Registration{Enabled: true, AllowedDomains: []string{"example.org"}}}
	}
	f := &config.File{Path: "ssoctl.yaml", Config: &config.Config{Version: 1}}

	t.Run("username, groups and registration", func(t *testing.T) {
		m := open(t, Options{File: f, Provider: kc(), Document: data, Source: "keycloak.json"}, 140, 30)
		require.NoError(t, m.userErr)
		assert.Equal(t, "marta", m.user.Username)
		assert.Equal(t, []string{"admin"}, m.user.Groups.App)
		assert.False(t, m.user.Registration.Allowed)
		s := screenText(m)
		assert.Contains(t, s, `→ "marta" from "marta@example.com", handle`)
		assert.Contains(t, s, "→ admin (1 of 2 not in groups.map)")
		assert.Contains(t, s, "✗ refused")
		assert.Contains(t, s, "the email domain example.com is not")
	})
	t.Run("edits change the user live", func(t *testing.T) {
		m := open(t, Options{File: f, Provider: kc(), Document: data, Source: "keycloak.json"}, 100, 30)
		gotoPath(t, m, "$.given_name")
		press(t, m, "7")
		assert.Equal(t, "marta", m.user.Username, "handle of Marta")
		gotoPath(t, m, "$.name")
		press(t, m, "7")
		assert.Equal(t, "nickname", fieldByKey(m.fields, "username").text(), "the field whose rule reads $.name")
		assert.Equal(t, "marta.sousa", m.user.Username)
	})
	t.Run("a syntax error pauses the user", func(t *testing.T) {
		m := open(t, Options{File: f, Provider: kc(), Document: data, Source: "keycloak.json"}, 100, 30)
		press(t, m, "tab", "enter")
		typeText(t, m, "[")
		assert.ErrorIs(t, m.userErr, errSyntaxPending)
		assert.Contains(t, screenText(m), "fix the rule's syntax error")
	})
	t.Run("ID token claims for an app that reads them", func(t *testing.T) {
		af := &config.File{Path: "ssoctl.yaml", Config: &config.Config{Version: 1, App: &config.App{Kind: "alist"}}}
		m := open(t, Options{File: af, Provider: &config.Provider{Name: "kc", Type: "oidc"}, Document: data,
			Claims: map[string]any{"sub": "3b24", "preferred_username": "from-id-token"}}, 100, 30)
		require.NoError(t, m.userErr)
		assert.Equal(t, "from-id-token", m.user.Username, "AList (OIDC) reads the ID token, not userinfo")
	})
	t.Run("an app that cannot use the provider", func(t *testing.T) {
		af := &config.File{Path: "ssoctl.yaml", Config: &config.Config{Version: 1, App: &config.App{Kind: "alist"}}}
		lark, err := SampleData("lark")
		require.NoError(t, err)
		m := open(t, Options{File: af, Provider: &config.Provider{Name: "lark", Type: "lark"}, Document: lark}, 100, 30)
		require.Error(t, m.userErr)
		assert.Contains(t, screenText(m), "AList has no lark platform")
		assert.Nil(t, m.Result().User)
		assert.Contains(t, m.Result().UserError, "AList has no lark platform")
	})
}

func TestTypeAhead(t *testing.T) {
	data, err := SampleData("lark")
	require.NoError(t, err)
	m := New(Options{Document: data, Source: "lark.json"})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	load := m.Init()
	press(t, m, "down", "down")
	require.Equal(t, screenLoading, m.screen)
	assert.Contains(t, screenText(m), "Reading the userinfo document")
	drive(t, m, load)
	require.Equal(t, screenMain, m.screen)
	assert.Equal(t, "$.msg", m.doc.tree.path(m.cursor), "keys pressed while loading apply once it is shown")
	assert.True(t, press(t, m, "q"))
}

// TestTypingNeverCrashes types rules character by character, every prefix compiled and evaluated
// as the user would see it: syntax errors are shown, never raised.
func TestTypingNeverCrashes(t *testing.T) {
	rules := []string{
		"$.data[?(@.email =~ /.*@corp.*/i)].name", "$..email.first()", "$['a", `$["\u00`, "$[(@.length-1)]",
		"$.data.*", "$[-1:]", "$[?(@.x in ['a','b'])]", "@.x", "$.a.concat($.b, '-')", "☃", strings.Repeat("[", 64),
	}
	for _, r := range rules {
		t.Run(r, func(t *testing.T) {
			m, _ := larkModel(t, 80, 24)
			press(t, m, "tab", "enter")
			for range len(m.fields[0].text()) {
				press(t, m, "backspace")
			}
			for _, c := range r {
				typeText(t, m, string(c))
				require.NotEmpty(t, screenText(m))
			}
			assert.Equal(t, r, m.fields[0].text())
		})
	}
}
