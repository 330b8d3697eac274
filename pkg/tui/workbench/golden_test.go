package workbench

import (
	"bytes"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The golden tests run the workbench as a real Bubble Tea program (teatest) at 80x24 with the ASCII
// colour profile, send keys as a user would, and compare the final screen with testdata/TestGolden/*.golden.
// Refresh them with: go test ./pkg/tui/workbench -run TestGolden -update

const waitLimit = 5 * time.Second

// program starts the workbench on the Lark sample with configText's lark provider.
func program(t *testing.T) (*teatest.TestModel, string) {
	t.Helper()
	f := writeConfig(t)
	p, _ := f.Config.Provider("lark")
	data, err := SampleData("lark")
	require.NoError(t, err)
	tm := teatest.NewTestModel(t, New(Options{File: f, Provider: p, Document: data, Source: "lark.json"}),
		teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitOutput(t, tm, "userinfo · 1/18")
	return tm, f.Path
}

// waitOutput waits until the program has drawn s.
func waitOutput(t *testing.T, tm *teatest.TestModel, s string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
		teatest.WithDuration(waitLimit), teatest.WithCheckInterval(5*time.Millisecond))
}

func keys(tm *teatest.TestModel, names ...string) {
	for _, k := range names {
		tm.Send(keyMsg(k))
	}
}

// finish quits the program and returns its final model.
func finish(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	require.NoError(t, tm.Quit())
	m, ok := tm.FinalModel(t, teatest.WithFinalTimeout(waitLimit)).(*Model)
	require.True(t, ok)
	return m
}

var tempDirRE = regexp.MustCompile(`/[^ ]*/ssoctl\.yaml`)

// requireScreen compares the model's screen with the golden file, with the temporary config path
// replaced by a fixed one and trailing blanks trimmed (the path's length changes the padding).
func requireScreen(t *testing.T, m *Model) {
	t.Helper()
	lines := strings.Split(tempDirRE.ReplaceAllString(screenText(m), "/tmp/ssoctl.yaml"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	golden.RequireEqual(t, strings.Join(lines, "\n")+"\n")
}

func TestGolden(t *testing.T) {
	t.Run("open", func(t *testing.T) {
		tm, _ := program(t)
		requireScreen(t, finish(t, tm))
	})

	t.Run("navigate", func(t *testing.T) {
		tm, _ := program(t)
		keys(tm, "down", "down", "down", "left", "right", "right", "down", "down", "down")
		m := finish(t, tm)
		assert.Equal(t, "$.data.avatar_thumb", m.doc.tree.path(m.cursor))
		requireScreen(t, m)
	})

	t.Run("assign a path", func(t *testing.T) {
		tm, _ := program(t)
		keys(tm, "/")
		tm.Type("enterprise")
		keys(tm, "enter", "enter")
		m := finish(t, tm)
		assert.Equal(t, "$.data.enterprise_email", m.fields[0].text())
		requireScreen(t, m)
	})

	t.Run("syntax error and back", func(t *testing.T) {
		tm, _ := program(t)
		keys(tm, "tab", "down", "enter")
		tm.Type("[?(@.x")
		waitOutput(t, tm, "✗ column")
		keys(tm, "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "enter")
		m := finish(t, tm)
		assert.Nil(t, m.fields[1].synErr)
		requireScreen(t, m)
	})

	t.Run("permissions 768", func(t *testing.T) {
		tm, _ := program(t)
		keys(tm, "tab", "tab")
		for range 8 {
			keys(tm, "down")
		}
		keys(tm, "space", "down", "space")
		m := finish(t, tm)
		assert.Equal(t, int64(768), m.perm.sum)
		requireScreen(t, m)
	})

	t.Run("save", func(t *testing.T) {
		tm, path := program(t)
		keys(tm, "tab", "tab")
		tm.Type("768")
		keys(tm, "enter", "ctrl+s")
		waitOutput(t, tm, "Write these changes")
		keys(tm, "y")
		waitOutput(t, tm, "saved to")
		m := finish(t, tm)
		requireScreen(t, m)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		want := strings.Replace(configText, "      default_dir: /staff\n", "      default_dir: /staff\n      default_permission: 768\n", 1)
		assert.Equal(t, want, string(b), "only the permission line is added; comments stay")
		assert.True(t, m.Result().Saved)
	})

	t.Run("quit with unsaved changes", func(t *testing.T) {
		tm, path := program(t)
		keys(tm, "G", "1", "q")
		waitOutput(t, tm, "Quit without saving?")
		keys(tm, "y")
		m, ok := tm.FinalModel(t, teatest.WithFinalTimeout(waitLimit)).(*Model)
		require.True(t, ok)
		assert.True(t, m.done)
		requireScreen(t, m)
		r := m.Result()
		assert.True(t, r.UnsavedChanges)
		assert.Equal(t, "$.data.employee_no", r.Rules["name"])
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, configText, string(b), "nothing written")
	})
}

// TestNoColour checks that with the ASCII profile (what NO_COLOR selects) the program writes no
// colour at all, while the cursor stays visible through reverse video.
func TestNoColour(t *testing.T) {
	tm, _ := program(t)
	var out bytes.Buffer
	keys(tm, "down", "tab", "tab")
	teatest.WaitFor(t, io.TeeReader(tm.Output(), &out), func(b []byte) bool { return bytes.Contains(b, []byte("see-hides")) },
		teatest.WithDuration(waitLimit), teatest.WithCheckInterval(5*time.Millisecond))
	finish(t, tm)
	_, err := io.Copy(&out, tm.Output())
	require.NoError(t, err)

	reverse := false
	for _, seq := range sgrRE.FindAllStringSubmatch(out.String(), -1) {
		for _, p := range strings.FieldsFunc(seq[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n, _ := strconv.Atoi(p)
			switch {
			case n == 7:
				reverse = true
			case n >= 30 && n <= 38, n >= 40 && n <= 48, n >= 90 && n <= 97, n >= 100 && n <= 107:
				t.Fatalf("colour in the output: %q", seq[0])
			}
		}
	}
	assert.True(t, reverse, "the cursor row is in reverse video")
}

var sgrRE = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)
