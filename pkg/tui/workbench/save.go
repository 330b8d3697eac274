package workbench

import (
	"context"
	"fmt"
	"maps"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/pmezard/go-difflib/difflib"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// edits are the changes a save makes to one provider's entry. They are applied twice: to a copy of
// the file in memory to show the diff, and then by config.Update under its lock to the file as it
// is on disk at that moment, so a change another process made meanwhile is kept.
type edits struct {
	provider string
	// dropRules lists rules (mapping.rules.<field>) to remove, so that the preset's rule applies
	// again or the field has none; dropClaim removes groups.claim.
	dropRules []string
	dropClaim bool
	// set lists values to write, in order.
	set []setOp
}

type setOp struct {
	path  []string
	value any
}

func (e *edits) empty() bool { return len(e.dropRules) == 0 && !e.dropClaim && len(e.set) == 0 }

// planEdits compares the fields and the permission panel with the file and lists what must change.
// Only changed values are written, and a rule equal to the preset's is not written at all.
func planEdits(name string, fields []*field, pp *permPanel) *edits {
	e := &edits{provider: name}
	for _, f := range fields {
		txt := f.text()
		switch f.kind {
		case kindRule:
			switch {
			case f.hasOverride && f.override == txt:
				// unchanged
			case txt == "" || (f.preset != "" && txt == f.preset):
				if f.hasOverride {
					e.dropRules = append(e.dropRules, f.key)
				}
			default:
				e.set = append(e.set, setOp{[]string{"mapping", "rules", f.key}, txt})
			}
		case kindFrom:
			if txt == "" {
				// No source means the default; an explicit one in the file is replaced by the
				// default spelled out rather than silently kept.
				txt = defaultFrom
				if !f.hasOverride {
					continue
				}
			}
			if txt != f.saved {
				e.set = append(e.set, setOp{[]string{"mapping", "username", "from"}, txt})
			}
		case kindClaim:
			switch {
			case txt == f.saved:
			case txt == "":
				e.dropClaim = true
			default:
				e.set = append(e.set, setOp{[]string{"groups", "claim"}, txt})
			}
		}
	}
	if pp != nil && pp.dirty() {
		e.set = append(e.set, setOp{[]string{"registration", "default_permission"}, pp.value()})
	}
	return e
}

// apply makes the edits on f. Values are set in place with SetProviderValue first, then removals
// rewrite the provider's entry through ReplaceProvider, which keeps every unchanged key's text and
// comments. In that order a mapping that loses one rule and gains another stays in block style.
func (e *edits) apply(f *config.File) error {
	for _, s := range e.set {
		if err := f.SetProviderValue(e.provider, s.path, s.value); err != nil {
			return err
		}
	}
	if len(e.dropRules) == 0 && !e.dropClaim {
		return nil
	}
	p, ok := f.Config.Provider(e.provider)
	if !ok {
		return &config.ProviderNotFoundError{Name: e.provider, Path: f.Path, Names: f.Config.ProviderNames()}
	}
	cp := *p
	if p.Mapping != nil && len(e.dropRules) > 0 {
		m := *p.Mapping
		m.Rules = maps.Clone(p.Mapping.Rules)
		for _, k := range e.dropRules {
			delete(m.Rules, k)
		}
		if len(m.Rules) == 0 {
			m.Rules = nil
		}
		cp.Mapping = &m
		if m.Type == "" && m.Rules == nil && m.Username == nil {
			// An empty mapping would be written as "mapping: {}"; the key goes instead.
			cp.Mapping = nil
		}
	}
	if p.Groups != nil && e.dropClaim {
		g := *p.Groups
		g.Claim = ""
		cp.Groups = &g
		if len(g.Map) == 0 && !g.RemoveUnmapped {
			cp.Groups = nil
		}
	}
	return f.ReplaceProvider(cp)
}

// preview is a save about to happen: the edits and the diff they make to the file as it is now.
type preview struct {
	edits *edits
	path  string
	diff  []string
}

// previewMsg carries a preview, or the error that prevented one.
type previewMsg struct {
	preview *preview
	err     error
}

// savedMsg reports the end of a write.
type savedMsg struct{ err error }

// previewCmd reads the config file and applies the edits to a copy, for the diff.
func previewCmd(path string, e *edits) tea.Cmd {
	return func() tea.Msg {
		f, err := config.Load(path)
		if err != nil {
			return previewMsg{err: err}
		}
		if err := f.CheckVersion(); err != nil {
			return previewMsg{err: err}
		}
		if f.DecodeErr != nil {
			return previewMsg{err: &config.NotEditableError{Path: path, Err: f.DecodeErr}}
		}
		before := string(f.Data)
		if err := e.apply(f); err != nil {
			return previewMsg{err: err}
		}
		diff := unifiedDiff(path, before, string(f.Data))
		return previewMsg{preview: &preview{edits: e, path: path, diff: diff}}
	}
}

// saveCmd writes the edits through config.Update: locked, re-read, comments kept, atomic.
func saveCmd(ctx context.Context, path string, e *edits, update UpdateFunc) tea.Cmd {
	return func() tea.Msg {
		return savedMsg{err: update(ctx, path, e.apply)}
	}
}

// UpdateFunc changes the config file at path; config.Update is the real one.
type UpdateFunc func(ctx context.Context, path string, fn func(f *config.File) error) error

// unifiedDiff returns the lines of a unified diff from before to after, three lines of context.
func unifiedDiff(path, before, after string) []string {
	if before == after {
		return nil
	}
	s, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A:        difflib.SplitLines(before),
		B:        difflib.SplitLines(after),
		FromFile: path,
		ToFile:   path + " (new)",
		Context:  3,
	})
	if err != nil {
		return []string{fmt.Sprintf("cannot show the diff: %v", err)}
	}
	return strings.Split(strings.TrimRight(s, "\n"), "\n")
}
