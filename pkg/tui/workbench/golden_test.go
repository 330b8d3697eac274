package workbench

import (
	"bytes"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
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

// waitLimit only stops a test whose program hangs; every wait ends on an event (the program drew a
// text, or finished). It is far above what a loaded machine needs, so that no result depends on
// speed: at 5 s, runs beside other CPU-bound work timed out.
const waitLimit = 2 * time.Minute

// screenWatcher runs the workbench inside the teatest program and tells waiters when its screen
// holds a text. It waits on the model's own full frame, drawn after every update in the program's
// goroutine: the terminal output cannot be searched for a text, since the renderer sends only the
// cells that changed since the last frame, and which frames it draws depends on the machine's speed
// (a document that loads before the first frame shows "userinfo · 1/18" in one piece; one that loads
// after shows only " · 1/18" next to cursor moves).
type screenWatcher struct {
	m *Model

	mu      sync.Mutex
	waiters []screenWaiter
}

type screenWaiter struct {
	text string
	done chan struct{}
}

var _ tea.Model = (*screenWatcher)(nil)

func (w *screenWatcher) Init() tea.Cmd { return w.m.Init() }

func (w *screenWatcher) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := w.m.Update(msg)
	w.check()
	return w, cmd
}

func (w *screenWatcher) View() tea.View { return w.m.View() }

// check releases the waiters whose text the screen holds; it runs in the program's goroutine.
func (w *screenWatcher) check() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.waiters) == 0 {
		return
	}
	screen := screenText(w.m)
	kept := w.waiters[:0]
	for _, wt := range w.waiters {
		if strings.Contains(screen, wt.text) {
			close(wt.done)
		} else {
			kept = append(kept, wt)
		}
	}
	w.waiters = kept
}

// program starts the workbench on the Lark sample with configText's lark provider.
func program(t *testing.T) (*teatest.TestModel, *screenWatcher, string) {
	t.Helper()
	f := writeConfig(t)
	p, _ := f.Config.Provider("lark")
	data, err := SampleData("lark")
	require.NoError(t, err)
	w := &screenWatcher{m: New(Options{File: f, Provider: p, Document: data, Source: "lark.json"})}
	tm := teatest.NewTestModel(t, w,
		teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitScreen(t, tm, w, "userinfo · 1/18")
	return tm, w, f.Path
}

// waitScreen waits until the workbench's screen holds s. A message that changes nothing is sent to
// have the screen checked once more, in case it already holds s.
func waitScreen(t *testing.T, tm *teatest.TestModel, w *screenWatcher, s string) {
	t.Helper()
	done := make(chan struct{})
	w.mu.Lock()
	w.waiters = append(w.waiters, screenWaiter{text: s, done: done})
	w.mu.Unlock()
	tm.Send(recheckMsg{})
	select {
	case <-done:
	case <-time.After(waitLimit):
		t.Fatalf("the screen never showed %q", s)
	}
}

// recheckMsg is a message the workbench ignores.
type recheckMsg struct{}

func keys(tm *teatest.TestModel, names ...string) {
	for _, k := range names {
		tm.Send(keyMsg(k))
	}
}

// finish quits the program and returns its final model.
func finish(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	require.NoError(t, tm.Quit())
	return finalModel(t, tm)
}

// finalModel waits for the program to end and returns the workbench.
func finalModel(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	w, ok := tm.FinalModel(t, teatest.WithFinalTimeout(waitLimit)).(*screenWatcher)
	require.True(t, ok)
	return w.m
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
		tm, _, _ := program(t)
		requireScreen(t, finish(t, tm))
	})

	t.Run("navigate", func(t *testing.T) {
		tm, _, _ := program(t)
		keys(tm, "down", "down", "down", "left", "right", "right", "down", "down", "down")
		m := finish(t, tm)
		assert.Equal(t, "$.data.avatar_thumb", m.doc.tree.path(m.cursor))
		requireScreen(t, m)
	})

	t.Run("assign a path", func(t *testing.T) {
		tm, _, _ := program(t)
		keys(tm, "/")
		tm.Type("enterprise")
		keys(tm, "enter", "enter")
		m := finish(t, tm)
		assert.Equal(t, "$.data.enterprise_email", m.fields[0].text())
		requireScreen(t, m)
	})

	t.Run("syntax error and back", func(t *testing.T) {
		tm, w, _ := program(t)
		keys(tm, "tab", "down", "enter")
		tm.Type("[?(@.x")
		waitScreen(t, tm, w, "✗ column")
		keys(tm, "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "enter")
		m := finish(t, tm)
		assert.Nil(t, m.fields[1].synErr)
		requireScreen(t, m)
	})

	t.Run("permissions 768", func(t *testing.T) {
		tm, _, _ := program(t)
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
		tm, w, path := program(t)
		keys(tm, "tab", "tab")
		tm.Type("768")
		keys(tm, "enter", "ctrl+s")
		waitScreen(t, tm, w, "Write these changes")
		keys(tm, "y")
		waitScreen(t, tm, w, "saved to")
		m := finish(t, tm)
		requireScreen(t, m)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		want := strings.Replace(configText, "      default_dir: /staff\n", "      default_dir: /staff\n      default_permission: 768\n", 1)
		assert.Equal(t, want, string(b), "only the permission line is added; comments stay")
		assert.True(t, m.Result().Saved)
	})

	t.Run("quit with unsaved changes", func(t *testing.T) {
		tm, w, path := program(t)
		keys(tm, "G", "1", "q")
		waitScreen(t, tm, w, "Quit without saving?")
		keys(tm, "y")
		m := finalModel(t, tm)
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
	tm, w, _ := program(t)
	keys(tm, "down", "tab", "tab")
	waitScreen(t, tm, w, "see-hides")
	finish(t, tm)
	// The whole output, from the first frame: program's wait did not read it.
	var out bytes.Buffer
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
