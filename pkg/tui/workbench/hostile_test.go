package workbench

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// hostileDoc is a userinfo document an attacker controls: an OSC sequence that sets the terminal's
// title, a carriage return and erase-line that would overwrite the row with a forged "✓ verified", a
// bidi override that reverses what follows, a C1 CSI, and an escape sequence in a member name.
const hostileDoc = `{
  "sub": "u-1",
  "preferred_username": "eve\u001b]0;pwned\u0007",
  "name": "ok\r\u001b[2K✓ verified",
  "email": "eve@example.com\u202egro.live",
  "groups": ["adm\u009b31min"],
  "x\u001b[31mkey": "k",
  "nick\u202ename": "n"
}`

// hostileConfig maps those values: a custom mapping whose rules select them (one through a member
// name holding the bidi override), the groups claim, and a domain check whose reason quotes the email.
const hostileConfig = `version: 1
providers:
  - name: corp
    type: oidc
    issuer: https://auth.example.com
    client_id: files
    mapping:
      type: custom
      rules:
        name: $.preferred_username
        email: $.email
        nickname: "$['nick\u202ename']"
      username: {from: name}
    groups: {claim: groups}
    registration:
      enabled: true
      allowed_domains: [example.com]
`

// injected are the sequences of hostileDoc and hostileConfig that must never reach the terminal raw.
// (BEL alone is not among them: the renderer ends its own OSC queries with one.)
var injected = []string{"\x1b]0;pwned", "pwned\x07", "\r\x1b[2K✓", "\u202e", "\u009b", "\x1b[31mkey"}

func hostileProgram(t *testing.T) (*teatest.TestModel, *screenWatcher) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ssoctl.yaml")
	require.NoError(t, os.WriteFile(path, []byte(hostileConfig), 0o600))
	f, err := config.Load(path)
	require.NoError(t, err)
	require.NoError(t, f.DecodeErr)
	p, ok := f.Config.Provider("corp")
	require.True(t, ok)
	w := &screenWatcher{m: New(Options{File: f, Provider: p, Document: []byte(hostileDoc), Source: "evil.json"})}
	tm := teatest.NewTestModel(t, w,
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitScreen(t, tm, w, "userinfo · 1/9")
	return tm, w
}

// TestHostileText runs the workbench on a document and a config carrying terminal escapes: the
// member names, values, rules, mapped values and the registration reason are drawn with each escape
// made visible (\x1b, \r, \u202e), and the whole output the program wrote to the terminal holds none
// of them raw. Before, the tree's member names, the mapped values (JSON leaves C1 controls and bidi
// overrides alone) and the messages reached the terminal as they were.
func TestHostileText(t *testing.T) {
	tm, w := hostileProgram(t)
	// The cursor on the member whose name holds an escape sequence: its path is in the status line.
	keys(tm, "down", "down", "down", "down", "down", "down", "down")
	waitScreen(t, tm, w, `$['x\x1b[31mkey']`)
	m := finish(t, tm)

	var out bytes.Buffer
	_, err := io.Copy(&out, tm.Output())
	require.NoError(t, err)
	frame := m.render()
	for _, seq := range injected {
		assert.NotContains(t, out.String(), seq, "the program wrote %q to the terminal", seq)
		assert.NotContains(t, frame, seq, "the frame holds %q", seq)
	}
	screen := screenText(m)
	for _, shown := range []string{
		`preferred_username: "eve\x1b]0;pwned\`, // the tree quotes values as Go strings (cut at the pane's edge)
		`name: "ok\r\x1b[2K✓ verified"`,
		`x\x1b[31mkey: "k"`,                   // a member name
		`nick\u202ename: "n"`,                 // another
		`→ "eve\u001b]0;pwned\u0007"`,         // the mapped name, as JSON
		`→ "eve@example.com\u202egro.live"`,   // the mapped email: JSON leaves U+202E, Sanitize does not
		`$['nick\u202ename']`,                 // a rule from the config
		`adm\u009b31min`,                      // a group, C1 CSI escaped
		`example.com\u202egro.live is not in`, // the registration reason quoting the document
	} {
		assert.Contains(t, screen, shown)
	}
	requireScreen(t, m)
}

// TestHostileResult: the YAML the workbench prints on exit (stdout) carries what the rules yield in
// comments, escaped as well. The rules are values to paste back into the config and stay exact: a rule
// the config itself holds with a bidi override is printed as the config has it (YAML's emitter has no
// escape for U+202E).
func TestHostileResult(t *testing.T) {
	tm, _ := hostileProgram(t)
	m := finish(t, tm)
	var b strings.Builder
	require.NoError(t, m.Result().WriteText(&b))
	for _, line := range strings.Split(b.String(), "\n") {
		_, comment, _ := strings.Cut(line, "#")
		for _, seq := range injected {
			assert.NotContains(t, comment, seq, "in the comment of %q", line)
		}
	}
	assert.Contains(t, b.String(), `name: $.preferred_username # "eve\u001b]0;pwned\u0007"`)
	assert.Contains(t, b.String(), `# refused: the email domain example.com\u202egro.live is not in allowed_domains`)
	assert.Contains(t, b.String(), "nickname: $['nick\u202ename']", "the rule as the config holds it")
}
