package mapping

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// groupList reads a groups claim: a list (of strings; numbers are written out, nulls and empty
// strings dropped) or one string of names separated by commas or white space. split is false for
// apps that iterate a string character by character (see buildGroups).
func groupList(v any, split bool) []string { return appendGroups([]string{}, v, split) }

// appendGroups is groupList appending to out.
func appendGroups(out []string, v any, split bool) []string {
	switch t := v.(type) {
	case nil:
	case string:
		if split {
			out = append(out, strings.FieldsFunc(t, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })...)
		} else {
			for _, r := range t {
				out = append(out, string(r))
			}
		}
	case []any:
		for _, g := range t {
			if s := Text(g); s != "" {
				out = append(out, s)
			}
		}
	case []string:
		for _, s := range t {
			if s != "" {
				out = append(out, s)
			}
		}
	case map[string]any:
		if !split {
			// InvenTree iterates the claim (for sso_group in extra_data.get(SSO_GROUP_KEY, []):
			// InvenTree/sso.py ensure_sso_groups, inventree/InvenTree 043bc88), and a Python dict
			// yields its keys: ZITADEL's roles object gives its role keys. Sorted, as JSON objects
			// have no order ssoctl keeps.
			out = append(out, slices.Sorted(maps.Keys(t))...)
			break
		}
		if s := Text(t); s != "" {
			out = append(out, s)
		}
	default:
		if s := Text(t); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// buildGroups reads the groups claim and maps it through groups.map: the app groups are the map's
// values for the IdP groups it names, the other IdP groups are unmapped, and with remove_unmapped
// the map's other app groups are removed. Without a map the groups pass through unchanged, except
// for InvenTree, which applies only mapped groups. The lists reuse the memory of prev's.
func (m *Mapper) buildGroups(hits []hit, u *User, prev Groups) {
	g := Groups{Claim: m.groupsClaim, IdP: reuse(prev.IdP), App: reuse(prev.App), Unmapped: reuse(prev.Unmapped)}
	if m.groupsClaim == "" {
		u.Groups = g
		return
	}
	h, p := m.at(hits, m.ix.groups)
	where := "userinfo or the ID token"
	if p != nil && p.sel == selUserinfo {
		where = "the userinfo response"
	}
	switch {
	case p == nil || !h.found:
		if m.app == config.AppAList {
			break // AList ignores groups; the configuration warning says so
		}
		u.Warnings = append(u.Warnings, Warning{Code: WarnGroups, Field: "groups",
			Message: fmt.Sprintf("the groups claim %s is not in %s, so the user gets no groups", m.groupsClaim, where)})
	default:
		g.Source = &Source{From: h.from, Path: p.rule.Expr()}
		inventree := m.app == config.AppInvenTree
		if h.kind == 'L' {
			// A list of strings from the extractor: the names as they are, without boxing each.
			for _, s := range h.list {
				if s != "" {
					g.IdP = append(g.IdP, s)
				}
			}
			break
		}
		v := h.val()
		if s, ok := v.(string); ok && inventree {
			u.Warnings = append(u.Warnings, Warning{Code: WarnGroups, Field: "groups",
				Message: fmt.Sprintf("the groups claim %s is a string, not a list: InvenTree reads it character by character, so %q gives the groups %s", m.groupsClaim, s, strings.Join(groupList(s, false), ", "))})
		}
		g.IdP = appendGroups(g.IdP, v, !inventree)
		_, isObject := v.(map[string]any)
		switch v.(type) {
		case string, []any, []string, nil:
		default:
			if isObject && inventree {
				break // its keys are the groups (groupList)
			}
			u.Warnings = append(u.Warnings, Warning{Code: WarnGroups, Field: "groups",
				Message: fmt.Sprintf("the groups claim %s holds %s, not a list of names", m.groupsClaim, shortJSON(v))})
		}
	}
	switch {
	case len(m.groupsMap) == 0 && m.app != config.AppInvenTree:
		for _, s := range g.IdP {
			if !slices.Contains(g.App, s) {
				g.App = append(g.App, s)
			}
		}
	default:
		for _, idp := range g.IdP {
			if app, ok := m.groupsMap[idp]; ok && app != "" {
				if !slices.Contains(g.App, app) {
					g.App = append(g.App, app)
				}
			} else if !slices.Contains(g.Unmapped, idp) {
				g.Unmapped = append(g.Unmapped, idp)
			}
		}
	}
	if m.removeGroup {
		g.Removed = reuse(prev.Removed)
		for _, app := range m.groupsApp {
			if !slices.Contains(g.App, app) {
				g.Removed = append(g.Removed, app)
			}
		}
	}
	if len(g.App) > 0 {
		u.setSource("groups", *g.Source)
	}
	u.Groups = g
}

// reuse empties a list for reuse; an empty list stays non-nil, as JSON [] rather than null.
func reuse(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s[:0]
}
