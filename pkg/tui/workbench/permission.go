package workbench

import (
	"strings"

	"charm.land/bubbles/v2/textinput"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/perm"
)

// permPanel is the permission checklist: the scheme's bits, the sum they make, and a number input
// that checks the bits of a typed sum.
type permPanel struct {
	scheme *perm.Scheme
	sum    int64
	// saved is the sum in the file and savedForm how the file writes it (a number or a list of
	// names), which a save keeps.
	saved     int64
	savedList bool
	// fileErr says why the file's default_permission could not be read as this scheme's bits.
	fileErr error

	cursor int
	// input is the sum being typed; typing is true while it has the keys.
	input   textinput.Model
	typing  bool
	before  int64
	typeErr error
}

// newPermPanel reads registration.default_permission of p (nil: none) in its scheme. A scheme that
// cannot be resolved falls back to AList's, with the error kept for the view.
func newPermPanel(p *config.Provider, defs []config.PermissionScheme) permPanel {
	var reg config.Registration
	if p != nil && p.Registration != nil {
		reg = *p.Registration
	}
	pp := permPanel{input: newInput()}
	s, err := perm.Resolve(reg.PermissionScheme, defs)
	if err != nil {
		s, _ = perm.Builtin(perm.DefaultScheme)
		pp.fileErr = err
	}
	pp.scheme = s
	dp := reg.DefaultPermission
	switch {
	case dp.Sum != nil:
		pp.saved = *dp.Sum
		if _, err := s.Decode(pp.saved); err != nil && pp.fileErr == nil {
			pp.fileErr = err
		}
	case dp.Items != nil:
		pp.savedList = true
		v, err := s.Sum(dp.Items...)
		if err != nil && pp.fileErr == nil {
			pp.fileErr = err
		}
		pp.saved = v
	}
	pp.sum = pp.saved
	return pp
}

// dirty reports whether the sum differs from the file's.
func (p *permPanel) dirty() bool { return p.sum != p.saved }

// toggle flips the bit under the cursor.
func (p *permPanel) toggle() {
	if p.cursor < len(p.scheme.Bits) {
		p.sum ^= p.scheme.Bits[p.cursor].Value
	}
}

// names lists the bits set in the sum.
func (p *permPanel) names() []string {
	names := []string{}
	for _, b := range p.scheme.Bits {
		if p.sum&b.Value != 0 {
			names = append(names, b.Name)
		}
	}
	return names
}

// startTyping hands the keys to the sum input, starting with what was typed.
func (p *permPanel) startTyping(first string) {
	p.typing, p.before, p.typeErr = true, p.sum, nil
	p.input.SetValue(first)
	p.input.CursorEnd()
	p.input.Focus()
	p.apply()
}

// apply checks the bits of the typed sum, live; a number the scheme cannot hold leaves the bits as
// they were and shows why.
func (p *permPanel) apply() {
	s := strings.TrimSpace(p.input.Value())
	if s == "" {
		p.sum, p.typeErr = 0, nil
		return
	}
	v, err := perm.ParseValue(s)
	if err == nil {
		_, err = p.scheme.Decode(v)
	}
	if err != nil {
		p.typeErr = err
		return
	}
	p.sum, p.typeErr = v, nil
}

// stopTyping gives the keys back; cancel restores the sum from before typing.
func (p *permPanel) stopTyping(cancel bool) {
	if cancel || p.typeErr != nil {
		p.sum = p.before
	}
	p.typing, p.typeErr = false, nil
	p.input.Blur()
}

// value returns what a save writes: the sum, or the bit names when the file lists names.
func (p *permPanel) value() any {
	if p.savedList {
		return p.names()
	}
	return p.sum
}
