package workbench

import (
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/mapping"
)

// errSyntaxPending stands in for the mapped user while a rule does not compile.
var errSyntaxPending = errors.New("fix the rule's syntax error to see the mapped user")

// mapUser runs pkg/mapping on the edits as they stand: the username after normalization and the
// conflict policy, the groups after groups.map, the permission and the registration decision, as
// the configured app would see them. It runs when a rule, a setting or the document changes, never
// when the cursor moves.
func (m *Model) mapUser() {
	m.user, m.userErr = nil, nil
	if m.doc == nil {
		return
	}
	for _, f := range m.fields {
		if f.synErr != nil {
			m.userErr = errSyntaxPending
			return
		}
	}
	mp, err := mapping.NewMapper(mapping.Options{
		Provider:          m.editedProvider(),
		App:               m.appKind(),
		PermissionSchemes: m.schemeDefs(),
	})
	if err != nil {
		m.userErr = err
		return
	}
	u := mp.Map(mapping.Document{Userinfo: m.doc.value, Claims: m.doc.claims})
	// The workbench knows no existing accounts; a conflict can only come from --existing in bulk.
	mp.Resolve(u, mapping.NewConflicts(nil, nil, 1))
	m.user = u
}

// appKind is the config file's app.kind ("" when unset: the mapping applies as configured).
func (m *Model) appKind() string {
	if m.opts.File != nil && m.opts.File.Config != nil && m.opts.File.Config.App != nil {
		return m.opts.File.Config.App.Kind
	}
	return ""
}

// editedProvider is the provider as the edits would leave it: the file's entry with the rules that
// differ from the preset, the username source, the groups claim and the permission sum replaced.
func (m *Model) editedProvider() config.Provider {
	var p config.Provider
	if m.opts.Provider != nil {
		p = *m.opts.Provider
	} else {
		p = config.Provider{Name: "rules", Type: m.setup.mappingType}
	}
	mp := config.Mapping{Type: m.setup.mappingType}
	if p.Mapping != nil {
		mp = *p.Mapping
		mp.Type = m.setup.mappingType
	}
	mp.Rules = map[string]string{}
	for _, f := range m.fields {
		switch f.kind {
		case kindRule:
			if t := f.text(); t != "" && t != f.preset {
				mp.Rules[f.key] = t
			}
		case kindFrom:
			u := config.Username{}
			if mp.Username != nil {
				u = *mp.Username
			}
			u.From = f.text()
			mp.Username = &u
		case kindClaim:
			g := config.Groups{}
			if p.Groups != nil {
				g = *p.Groups
				g.Map = maps.Clone(p.Groups.Map)
			}
			g.Claim = f.text()
			p.Groups = &g
		}
	}
	p.Mapping = &mp
	reg := config.Registration{}
	if p.Registration != nil {
		reg = *p.Registration
	}
	sum := m.perm.sum
	reg.DefaultPermission = config.Permission{Sum: &sum}
	reg.PermissionScheme = m.perm.scheme.Name
	p.Registration = &reg
	return p
}

// usernameLine says what username the source gives, after normalization and the conflict policy.
func (m *Model) usernameLine(f *field) (string, bool) {
	s := m.styles
	u := m.user
	if u == nil {
		return "", false
	}
	if u.Username == "" {
		return s.warn.Render("! no username: " + san(firstProblem(u, "username", "name"))), true
	}
	v := "→ " + s.str.Render(valueText(u.Username))
	var how []string
	if info := u.UsernameInfo; info.Raw != "" && info.Raw != u.Username {
		how = append(how, "from "+valueText(info.Raw))
	}
	if n := u.UsernameInfo.Normalize; n != "" && n != "none" {
		how = append(how, n)
	}
	if c := u.UsernameInfo.Conflict; c != nil {
		how = append(how, san(fmt.Sprintf("%s taken, %s", c.Taken, c.Policy)))
	}
	if len(how) > 0 {
		v += " " + s.dim.Render(strings.Join(how, ", "))
	}
	return v, true
}

// groupsLine says which app groups the user gets.
func (m *Model) groupsLine(f *field) (string, bool) {
	s := m.styles
	u := m.user
	if u == nil || f.text() == "" {
		return "", false
	}
	g := u.Groups
	if g.Source == nil {
		return s.warn.Render(san(fmt.Sprintf("! no claim %s in the document", f.text()))), true
	}
	var v string
	if len(m.editedGroupsMap()) == 0 {
		v = "→ " + listText(g.IdP) + s.dim.Render(" (no groups.map: the IdP's groups)")
	} else {
		v = "→ " + listText(g.App)
		if len(g.Unmapped) > 0 {
			v += s.dim.Render(fmt.Sprintf(" (%d of %d not in groups.map)", len(g.Unmapped), len(g.IdP)))
		}
	}
	return v, true
}

func (m *Model) editedGroupsMap() map[string]string {
	if p := m.opts.Provider; p != nil && p.Groups != nil {
		return p.Groups.Map
	}
	return nil
}

// listText joins group names from the document or the config, escaped for the terminal.
func listText(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return san(strings.Join(l, ", "))
}

// firstProblem returns the message of the user's first error about one of the fields, or a
// general one.
func firstProblem(u *mapping.User, fields ...string) string {
	for _, p := range u.Errors {
		for _, f := range fields {
			if p.Field == f {
				return p.Message
			}
		}
	}
	return "the source has no value"
}

// userLines are the mapping pane's last lines: registration, permission, then the mapper's errors
// and warnings.
func (m *Model) userLines(w int) []string {
	s := m.styles
	label := func(l string) string { return s.label.Render(" " + iostreams.PadRight(l, labelWidth-1)) }
	var lines []string
	names := strings.Join(m.perm.names(), ", ")
	if names == "" {
		names = "no rights"
	}
	perm := label("permission") + s.bold.Render(fmt.Sprint(m.perm.sum)) + " " + s.dim.Render(names)
	if m.userErr != nil {
		lines = append(lines, perm)
		for _, l := range strings.Split(m.userErr.Error(), "\n") {
			for _, wl := range wrapText("✗ "+san(l), w-2) {
				lines = append(lines, " "+s.err.Render(wl))
			}
		}
		return lines
	}
	if u := m.user; u != nil {
		r := u.Registration
		verdict := s.ok.Render("✓ allowed")
		if !r.Allowed {
			verdict = s.err.Render("✗ refused")
		}
		lines = append(lines, label("registration")+verdict)
		pad := strings.Repeat(" ", labelWidth+1)
		for _, l := range wrapText(san(r.Reason), w-labelWidth-1) {
			lines = append(lines, pad+s.dim.Render(l))
		}
	}
	lines = append(lines, perm)
	if u := m.user; u != nil {
		for _, p := range u.Errors {
			for _, wl := range wrapText("✗ "+san(p.Message), w-2) {
				lines = append(lines, " "+s.err.Render(wl))
			}
		}
		for _, p := range u.Warnings {
			for _, wl := range wrapText("! "+san(p.Message), w-2) {
				lines = append(lines, " "+s.warn.Render(wl))
			}
		}
	}
	return lines
}
