package workbench

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// bigDocument builds a userinfo document of about size bytes: a provider that sends the whole
// directory entry, with thousands of groups and nested members.
func bigDocument(size int) []byte {
	var b strings.Builder
	b.WriteString(`{"sub": "u-1", "preferred_username": "ann", "email": "ann@example.com", "groups": [`)
	for i := 0; i < 2000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"/org/team-%d/members"`, i)
	}
	b.WriteString(`], "data": {"members": [`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id": %d, "name": "Member %d", "email": "m%d@example.com", "active": true, "manager": null, `+
			`"roles": ["reader", "writer-%d"], "profile": {"title": "Engineer %d", "bio": "%s", "phone": "+1555%07d"}}`,
			i, i, i, i%7, i, strings.Repeat("lorem ipsum ", 8), i)
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}

// BenchmarkCursorMove measures one keypress on a 5 MB document, fully expanded: Update with a cursor
// key, then drawing the frame. The target is under 16 ms (one frame at 60 Hz).
//
// Run with: go test ./pkg/tui/workbench -run '^$' -bench CursorMove -benchmem
func BenchmarkCursorMove(b *testing.B) {
	doc := bigDocument(5 << 20)
	d, err := loadDocument(doc, "big.json")
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		key  tea.KeyPressMsg
	}{
		{"down", tea.KeyPressMsg{Code: tea.KeyDown}},
		{"pgdown", tea.KeyPressMsg{Code: tea.KeyPgDown}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			m := New(Options{Provider: &config.Provider{Name: "oidc", Type: "oidc"}, Document: doc})
			m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
			m.Update(docMsg{doc: d})
			d.tree.setSubtree(0, true)
			m.moveCursor(d.tree.len() / 2)
			b.ResetTimer()
			for b.Loop() {
				m.Update(tc.key)
				if m.render() == "" {
					b.Fatal("empty frame")
				}
			}
		})
	}
}

// BenchmarkRuleKeystroke measures one keystroke in a rule on the same document: the rule is
// compiled and every field and the mapped user (pkg/mapping) are evaluated again, then the frame
// is drawn. Cursor moves never pay this.
//
// Run with: go test ./pkg/tui/workbench -run '^$' -bench RuleKeystroke -benchmem
func BenchmarkRuleKeystroke(b *testing.B) {
	doc := bigDocument(5 << 20)
	d, err := loadDocument(doc, "big.json")
	if err != nil {
		b.Fatal(err)
	}
	m := New(Options{Provider: &config.Provider{Name: "oidc", Type: "oidc"}, Document: doc})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Update(docMsg{doc: d})
	m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	keys := []tea.KeyPressMsg{{Code: 'x', Text: "x"}, {Code: tea.KeyBackspace}}
	i := 0
	for b.Loop() {
		m.Update(keys[i%2])
		i++
		if m.render() == "" {
			b.Fatal("empty frame")
		}
	}
}

// BenchmarkOpen measures reading a 5 MB document (parse for the rules and build the tree), which
// happens once, off the UI loop.
func BenchmarkOpen(b *testing.B) {
	doc := bigDocument(5 << 20)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := loadDocument(doc, "big.json"); err != nil {
			b.Fatal(err)
		}
	}
}
