package demo

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/mapping"
	"github.com/ssoctl/ssoctl/pkg/perm"
)

// AppUser is the app account a login maps to: what the app would store and grant.
type AppUser struct {
	// Source says which document the rules ran against: "userinfo" (what the apps read) or
	// "id token" when the provider has no userinfo endpoint.
	Source string `json:"source"`
	// MappingType is the preset (or custom) whose rules were applied.
	MappingType string `json:"mappingType"`
	// ID is the provider's stable user id (AList's sso_id).
	ID string `json:"id"`
	// Username is the app username: the mapped name field.
	Username string `json:"username"`
	Email    string `json:"email"`
	Nickname string `json:"nickname,omitempty"`
	// Groups are the identity provider's groups, from the configured claim.
	Groups []string `json:"groups"`
	// AppGroups are the groups the app assigns through groups.map; only mapped groups count, as
	// InvenTree applies SSO_GROUP_MAP. Nil when the config has no map.
	AppGroups    []string     `json:"appGroups,omitempty"`
	Permission   Permission   `json:"permission"`
	Registration Registration `json:"registration"`
}

// Permission is the default permission of new users, as a sum and as names.
type Permission struct {
	Scheme string   `json:"scheme"`
	Sum    int64    `json:"sum"`
	Names  []string `json:"names"`
}

// Registration is whether the app would create an account for this user, and why.
type Registration struct {
	Allowed bool   `json:"allowed"`
	Reason  string `json:"reason"`
}

// MapUser applies the provider's mapping to a verified login: the mapping rules (a preset or
// custom rules, Jayway JSONPath) run against the userinfo document, or against the ID token's
// claims when there is no userinfo; the groups come from groups.claim; the permission is
// registration.default_permission in its scheme. It covers what the demo config uses; username
// derivation (mapping.username) is left to the mapping package and the username is the mapped name.
func MapUser(cfg *config.Config, p config.Provider, claims, userinfo map[string]any) (*AppUser, error) {
	doc, source := userinfo, "userinfo"
	if doc == nil {
		doc, source = claims, "id token"
	}
	u := &AppUser{Source: source, Groups: []string{}}
	var m config.Mapping
	if p.Mapping != nil {
		m = *p.Mapping
	}
	if m.Type == "" {
		// No type: the provider type's preset when there is one, as provider add chooses.
		m.Type = mapping.Custom
		if _, ok := mapping.Preset(p.Type); ok {
			m.Type = p.Type
		}
	}
	u.MappingType = m.Type
	rules := mapping.Rules{}
	if m.Type != mapping.Custom {
		preset, ok := mapping.Preset(m.Type)
		if !ok {
			return nil, fmt.Errorf("mapping type %q has no preset", m.Type)
		}
		rules = preset
	}
	// Rules next to a preset override its fields, as in the apps' forms.
	for f, r := range m.Rules {
		rules[f] = r
	}
	set, err := rules.Compile(mapping.Jayway)
	if err != nil {
		return nil, err
	}
	for _, r := range set.Eval(doc) {
		v := text(r.Value)
		switch r.Field {
		case mapping.FieldID:
			u.ID = v
		case mapping.FieldName:
			u.Username = v
		case mapping.FieldEmail:
			u.Email = v
		case mapping.FieldNickname:
			u.Nickname = v
		}
	}

	if p.Groups != nil && p.Groups.Claim != "" {
		raw, ok := userinfo[p.Groups.Claim]
		if !ok {
			raw = claims[p.Groups.Claim]
		}
		u.Groups = strings1(raw)
		if len(p.Groups.Map) > 0 {
			u.AppGroups = []string{}
			for _, g := range u.Groups {
				if app, ok := p.Groups.Map[g]; ok && !slices.Contains(u.AppGroups, app) {
					u.AppGroups = append(u.AppGroups, app)
				}
			}
		}
	}

	reg := p.Registration
	if reg == nil {
		reg = &config.Registration{}
	}
	scheme, err := perm.Resolve(reg.PermissionScheme, cfg.PermissionSchemes)
	if err != nil {
		return nil, err
	}
	u.Permission = Permission{Scheme: scheme.Name, Names: []string{}}
	switch {
	case reg.DefaultPermission.Sum != nil:
		u.Permission.Sum = *reg.DefaultPermission.Sum
	case len(reg.DefaultPermission.Items) > 0:
		if u.Permission.Sum, err = scheme.Sum(reg.DefaultPermission.Items...); err != nil {
			return nil, err
		}
	}
	bits, err := scheme.Decode(u.Permission.Sum)
	if err != nil {
		return nil, err
	}
	for _, b := range bits {
		u.Permission.Names = append(u.Permission.Names, b.Name)
	}
	u.Registration = decide(reg, u.Email)
	return u, nil
}

func decide(reg *config.Registration, email string) Registration {
	if !reg.Enabled {
		return Registration{Reason: "registration is disabled: only users who already have an account can log in"}
	}
	if len(reg.AllowedDomains) == 0 {
		return Registration{Allowed: true, Reason: "registration is enabled for every email domain"}
	}
	_, domain, ok := strings.Cut(email, "@")
	if !ok {
		return Registration{Reason: "registration is limited to allowed_domains, and the user has no email address"}
	}
	for _, d := range reg.AllowedDomains {
		if strings.EqualFold(d, domain) {
			return Registration{Allowed: true, Reason: fmt.Sprintf("the email domain %s is in allowed_domains", domain)}
		}
	}
	return Registration{Reason: fmt.Sprintf("the email domain %s is not in allowed_domains %v", domain, reg.AllowedDomains)}
}

// text turns a mapped JSON value into the string an app would store.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(v, 10)
	case json.Number:
		return v.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// strings1 reads a groups claim: a list of strings, or one string.
func strings1(v any) []string {
	out := []string{}
	switch v := v.(type) {
	case string:
		if v != "" {
			out = append(out, v)
		}
	case []any:
		for _, g := range v {
			if s := text(g); s != "" {
				out = append(out, s)
			}
		}
	case []string:
		out = append(out, v...)
	}
	return out
}
