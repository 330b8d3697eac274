package mapping

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// alistFields are the userinfo fields AList reads on its platforms other than OIDC: the SSO id and
// the username (AlistGo/alist server/handles/ssologin.go, v3.63.0).
var alistFields = map[string]struct{ id, name, api string }{
	config.TypeGitHub:    {"$.id", "$.login", "GET https://api.github.com/user"},
	config.TypeGoogle:    {"$.id", "$.name", "Google's legacy GET https://www.googleapis.com/oauth2/v1/userinfo"},
	config.TypeMicrosoft: {"$.id", "$.displayName", "Microsoft Graph GET https://graph.microsoft.com/v1.0/me"},
	config.TypeDingTalk:  {"$.unionId", "$.nick", "DingTalk GET https://api.dingtalk.com/v1.0/contact/users/me"},
	config.TypeCasdoor:   {"$.sub", "$.preferred_username", "Casdoor GET <endpoint>/api/userinfo"},
}

// simpleClaim matches a rule that reads one top-level claim: $.name, $['name'], $["name"].
var simpleClaim = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\$(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[['"]([^'"]+)['"]\])$`)
})

// usernameClaim is the claim an app that takes a claim name (AList's sso_oidc_username_key,
// PHOTOPRISM_OIDC_USERNAME) is configured with, exactly as ssoctl export writes it: username.from
// when it names a claim, else the claim the rule of the field it names reads. ok is false when that
// rule reads more than one top-level claim.
func (m *Mapper) usernameClaim() (claim string, ok bool) {
	if !slices.Contains(Fields(), m.usernameFrom) {
		return strings.TrimPrefix(m.usernameFrom, "$."), true
	}
	sm := simpleClaim().FindStringSubmatch(strings.TrimSpace(m.rules[m.usernameFrom]))
	if sm == nil {
		return "", false
	}
	return sm[1] + sm[2], true
}

// customRules reports whether the mapping says more than the provider type's preset.
func (m *Mapper) customRules() bool {
	if m.provider.Mapping != nil && len(m.provider.Mapping.Rules) > 0 {
		return true
	}
	return m.mappingType != effectiveType(config.Provider{Type: m.provider.Type}, "")
}

func (m *Mapper) warnf(code, field, format string, args ...any) {
	m.warnings = append(m.warnings, Warning{Code: code, Field: field, Message: fmt.Sprintf(format, args...)})
}

// planAList reproduces AList's sso_get_token handler: one platform, fixed fields (or, for OIDC,
// one ID-token claim as both SSO id and username), no normalization, name_id on conflict (SQLite
// only), no groups, no email domain check.
func (m *Mapper) planAList(set RuleSet) error {
	m.requireEmail = false
	m.domainsOn = false
	m.normalize = "none"
	if m.platform == config.TypeOIDC {
		m.reads = FromIDToken
		claim, ok := m.usernameClaim()
		if !ok {
			claim = "preferred_username"
			m.warnf(WarnNotUsed, "username.from", "the %s rule usernames come from reads more than one claim; AList takes one claim name, so ssoctl export sets sso_oidc_username_key to preferred_username and that is what is shown", m.usernameFrom)
		}
		r, err := claimRule(FieldID, claim)
		if err != nil {
			return err
		}
		m.addProbe(probe{key: FieldID, rule: r, sel: selIDToken, report: true})
		m.addProbe(probe{key: FieldName, rule: r, sel: selIDToken, report: true})
		for _, rr := range set {
			if rr.Field() != FieldID && rr.Field() != FieldName {
				m.addProbe(probe{key: rr.Field(), rule: rr, sel: selIDToken, report: true})
			}
		}
		m.planVerified(selIDToken)
		if fragileClaims[claim] != "" {
			m.warnf(WarnFragileID, FieldID, "AList uses the ID token claim %s (sso_oidc_username_key) as both the SSO id and the username, and %s is %s: users who change it lose their account and two users can share it; use preferred_username, or sub for an id that never changes", claim, claim, fragileClaims[claim])
		}
		if m.customRules() {
			m.warnf(WarnNotUsed, "mapping.rules", "AList reads only the %s claim of the ID token; the other rules are shown for reference but AList does not use them", claim)
		}
		m.notes = append(m.notes, fmt.Sprintf("AList (OIDC) reads the verified ID token only, never userinfo, and takes its %s claim (sso_oidc_username_key) as both the SSO id and the username", claim))
		m.usernameFrom = claim
	} else {
		f, ok := alistFields[m.platform]
		if !ok {
			return &AppError{App: "AList", Type: m.platform, Reason: fmt.Sprintf("AList has no %s platform", m.platform),
				hint: "AList supports github, microsoft, google, dingtalk, casdoor and oidc; leave app.kind unset to map with the provider's own rules"}
		}
		m.addProbe(probe{key: FieldID, rule: MustCompile(FieldID, f.id, Jayway), sel: selUserinfo, report: true})
		m.addProbe(probe{key: FieldName, rule: MustCompile(FieldName, f.name, Jayway), sel: selUserinfo, report: true})
		if m.platform == config.TypeGoogle {
			m.addProbe(probe{key: "sub", rule: MustCompile("", "$.sub", Jayway), sel: selUserinfo})
		}
		for _, rr := range set {
			switch rr.Field() {
			case FieldID, FieldName:
				if want := map[string]string{FieldID: f.id, FieldName: f.name}[rr.Field()]; strings.TrimSpace(rr.Expr()) != want {
					m.warnf(WarnNotUsed, "mapping.rules."+rr.Field(), "AList takes the %s from %s on %s; the rule %s is not used", map[string]string{FieldID: "SSO id", FieldName: "username"}[rr.Field()], want, m.platform, rr.Expr())
				}
			default:
				m.addProbe(probe{key: rr.Field(), rule: rr, sel: selUserinfo, report: true})
			}
		}
		m.planVerified(selUserinfo)
		if m.usernameFrom != FieldName {
			m.warnf(WarnNotUsed, "username.from", "AList takes usernames from %s on %s; username.from is not used", strings.TrimPrefix(f.name, "$."), m.platform)
		}
		m.usernameFrom = strings.TrimPrefix(f.name, "$.")
		if n := strings.TrimPrefix(f.name, "$."); fragileClaims[n] == "a display name" {
			m.warnf(WarnFragileUsername, "username", "AList takes the username from %s on %s, a display name: two people with the same name collide, and the second gets the name with _ and the SSO id appended (on SQLite only)", n, m.platform)
		}
		m.notes = append(m.notes, fmt.Sprintf("AList (%s platform) reads %s and takes %s as the SSO id and %s as the username", m.platform, f.api, f.id, f.name))
	}
	if u := m.provider.Mapping; u != nil && u.Username != nil {
		if n := u.Username.Normalize; n != "" && n != "none" {
			m.warnf(WarnNotUsed, "username.normalize", "AList keeps the provider's username as it is; normalize: %s is not applied", n)
		}
		if c := u.Username.OnConflict; c != "" && c != ConflictSuffixID {
			m.warnf(WarnNotUsed, "username.on_conflict", "AList appends _ and the SSO id to a taken username (on SQLite only), not %s", c)
		}
	}
	m.onConflict = ConflictSuffixID
	if len(m.reg.AllowedDomains) > 0 {
		m.warnf(WarnNotUsed, "registration.allowed_domains", "AList does not restrict registration by email domain: allowed_domains %s is not enforced, and users of every domain are registered", strings.Join(m.reg.AllowedDomains, ", "))
	}
	if len(m.roles) > 0 {
		m.warnf(WarnNotUsed, "roles", "AList gives new SSO users its default role (v3.53.0+); roles %s are not applied", strings.Join(m.roles, ", "))
	}
	if m.groupsClaim != "" {
		m.warnf(WarnNotUsed, "groups", "AList has no group sync: groups are shown but AList ignores them")
	}
	m.notes = append(m.notes,
		"AList stores the username, the SSO id, the base path (sso_default_dir) and the permission (sso_default_permission); email, nickname, phone and description are shown from the mapping rules, but AList does not store them",
		"AList resolves a taken username by appending _ and the SSO id only on SQLite (it matches SQLite's error text); with MySQL or PostgreSQL the login fails")
	return m.planGroups(selEither)
}

// buildAList computes the AList user.
func (m *Mapper) buildAList(hits []hit, u *User) {
	id := m.setField(hits, u, FieldID, m.ix.id)
	if id == "" && m.platform == config.TypeGoogle {
		if h, p := m.at(hits, m.ix.sub); p != nil && h.found && h.text() != "" {
			// Google's v1 userinfo id is the OpenID sub; a document from test-login is the OpenID one.
			id = h.text()
			u.ID = id
			u.setSource(FieldID, Source{From: h.from, Path: p.rule.Expr()})
			u.Warnings = append(u.Warnings, Warning{Code: WarnStandIn, Field: FieldID,
				Message: "this is Google's OpenID Connect userinfo, which has sub and no id; AList reads the legacy v1 userinfo, whose id equals sub, so sub stands in for it"})
		}
	}
	m.setField(hits, u, FieldEmail, m.ix.email)
	m.setField(hits, u, FieldNickname, m.ix.nickname)
	m.setField(hits, u, FieldPhone, m.ix.phone)
	m.setField(hits, u, FieldDescription, m.ix.description)
	m.setVerified(hits, u)
	h, p := m.at(hits, m.ix.name)
	raw := ""
	if p != nil && h.found {
		raw = h.text()
		if raw != "" {
			u.setSource("username", Source{From: h.from, Path: p.rule.Expr()})
		}
	}
	u.Username = raw
	u.UsernameInfo = UsernameInfo{From: m.usernameFrom, Raw: raw, Normalize: "none", Base: raw, OnConflict: ConflictSuffixID}
	idPath := ""
	if _, p := m.at(hits, m.ix.id); p != nil {
		idPath = p.rule.Expr()
	}
	switch id {
	case "":
		u.Errors = append(u.Errors, Problem{Code: ErrInvalidID, Field: FieldID,
			Message: fmt.Sprintf("the SSO id (%s) is empty: AList answers \"error occurred\" and nobody can log in or bind", idPath)})
	case "0":
		u.Errors = append(u.Errors, Problem{Code: ErrInvalidID, Field: FieldID,
			Message: fmt.Sprintf("the SSO id (%s) is 0, which AList treats as missing: it answers \"error occurred\"", idPath)})
	}
	if raw == "" {
		u.Errors = append(u.Errors, Problem{Code: ErrMissingRequired, Field: "username",
			Message: fmt.Sprintf("the username (%s) is empty: AList refuses to register the user with \"cannot get username from SSO provider\"", pathOf(p))})
	}
}

func pathOf(p *probe) string {
	if p == nil {
		return "no rule"
	}
	return p.rule.Expr()
}

// photoprismClaims are the values PHOTOPRISM_OIDC_USERNAME accepts.
var photoprismClaims = []string{"preferred_username", "name", "nickname", "email"}

// photoprismOrder is the order in which PhotoPrism tries the claims for each configured claim
// (internal/auth/oidc/username.go).
var photoprismOrder = map[string][]string{
	"preferred_username": {"preferred_username", "name", "nickname", "email"},
	"name":               {"name", "preferred_username", "nickname", "email"},
	"nickname":           {"nickname", "preferred_username", "name", "email"},
	"email":              {"email", "preferred_username", "name", "nickname"},
}

// planPhotoPrism reproduces PhotoPrism's OIDC redirect handler: userinfo claims, the username from
// PHOTOPRISM_OIDC_USERNAME with its fallbacks turned into a handle, six digits on conflict, the email
// kept only when verified.
func (m *Mapper) planPhotoPrism() error {
	switch m.platform {
	case config.TypeOIDC, config.TypeGoogle, config.TypeMicrosoft, config.TypeCasdoor:
	default:
		return &AppError{App: "PhotoPrism", Type: m.platform, Reason: "PhotoPrism signs in with OpenID Connect only",
			hint: "use a provider of type oidc, google, microsoft or casdoor, or leave app.kind unset to map with the provider's own rules"}
	}
	m.requireEmail = false
	m.domainsOn = false
	claim, ok := m.usernameClaim()
	if !ok || !slices.Contains(photoprismClaims, claim) {
		if claim == "" {
			claim = m.usernameFrom
		}
		m.warnf(WarnNotUsed, "username.from", "PHOTOPRISM_OIDC_USERNAME accepts %s; %s cannot be set, so PhotoPrism uses its default, preferred_username", strings.Join(photoprismClaims, ", "), claim)
		claim = "preferred_username"
	}
	m.usernameFrom = claim
	m.normalize = "photoprism-handle"
	m.onConflict = ConflictRandomDigits
	m.addProbe(probe{key: FieldID, rule: MustCompile(FieldID, "$.sub", Jayway), sel: selUserinfo, report: true})
	for _, c := range photoprismClaims {
		m.addProbe(probe{key: "username." + c, rule: MustCompile("username", "$."+c, Jayway), sel: selUserinfo, report: true})
	}
	m.addProbe(probe{key: FieldEmail, rule: MustCompile(FieldEmail, "$.email", Jayway), sel: selUserinfo, report: true})
	m.addProbe(probe{key: FieldNickname, rule: MustCompile(FieldNickname, "$.nickname", Jayway), sel: selUserinfo, report: true})
	m.planVerified(selUserinfo)
	if m.customRules() {
		m.warnf(WarnNotUsed, "mapping.rules", "PhotoPrism reads the standard claims itself (sub, preferred_username, name, nickname, email); mapping rules are not used")
	}
	if u := m.provider.Mapping; u != nil && u.Username != nil {
		if n := u.Username.Normalize; n != "" && n != "handle" {
			m.warnf(WarnNotUsed, "username.normalize", "PhotoPrism always turns the username into a handle; normalize: %s is not applied", n)
		}
		if c := u.Username.OnConflict; c != "" && c != ConflictRandomDigits {
			m.warnf(WarnNotUsed, "username.on_conflict", "PhotoPrism appends six random digits to a taken username, not %s", c)
		}
	}
	if len(m.reg.AllowedDomains) > 0 {
		m.warnf(WarnNotUsed, "registration.allowed_domains", "ssoctl export does not set PHOTOPRISM_OIDC_DOMAIN, so PhotoPrism does not restrict registration by email domain: allowed_domains %s is not enforced", strings.Join(m.reg.AllowedDomains, ", "))
	}
	m.notes = append(m.notes,
		fmt.Sprintf("PhotoPrism reads the userinfo response and takes the username from %s, falling back to %s, as a lower-case handle", claim, strings.Join(photoprismOrder[claim][1:], ", then ")),
		"PhotoPrism stores the email only when email_verified is true")
	return m.planGroups(selMerge)
}

// buildPhotoPrism computes the PhotoPrism user.
func (m *Mapper) buildPhotoPrism(hits []hit, u *User) {
	m.setField(hits, u, FieldID, m.ix.id)
	m.setField(hits, u, FieldNickname, m.ix.nickname)
	email := m.setField(hits, u, FieldEmail, m.ix.email)
	m.setVerified(hits, u)
	verified := u.EmailVerified != nil && *u.EmailVerified
	u.UsernameInfo = UsernameInfo{From: m.usernameFrom, Normalize: m.normalize, OnConflict: m.onConflict}
	for _, c := range photoprismOrder[m.usernameFrom] {
		h, p := m.at(hits, m.ix.pp[slices.Index(photoprismClaims, c)])
		if p == nil || !h.found {
			continue
		}
		raw := h.text()
		var name string
		if c == "email" {
			if name = photoprismEmail(raw); !verified || len(name) <= 4 {
				name = ""
			}
		} else {
			name = photoprismHandle(raw)
		}
		if name != "" {
			u.UsernameInfo.From, u.UsernameInfo.Raw, u.UsernameInfo.Base = c, raw, name
			u.Username = name
			u.setSource("username", Source{From: h.from, Path: p.rule.Expr()})
			break
		}
	}
	if email != "" && !verified {
		u.Email = ""
		u.Warnings = append(u.Warnings, Warning{Code: WarnUnverifiedEmail, Field: FieldEmail,
			Message: fmt.Sprintf("PhotoPrism does not store %s: the provider does not say it is verified (email_verified is not true)", email)})
	}
	if u.ID == "" {
		u.Errors = append(u.Errors, Problem{Code: ErrInvalidID, Field: FieldID, Message: "the userinfo response has no sub, which PhotoPrism stores as the account's auth_id"})
	}
	if u.Username == "" {
		u.Errors = append(u.Errors, Problem{Code: ErrMissingRequired, Field: "username",
			Message: "no username: preferred_username, name and nickname give no handle and there is no verified email, so PhotoPrism refuses to register the user (username required)"})
	}
}

// planInvenTree maps with the provider's rules (django-allauth) and reproduces InvenTree's group sync
// (InvenTree/sso.py: groups from the userinfo response, SSO_GROUP_MAP, SSO_REMOVE_GROUPS) and its
// email domain restriction (LOGIN_SIGNUP_MAIL_RESTRICTION, compared exactly).
func (m *Mapper) planInvenTree(set RuleSet) error {
	if m.provider.Groups != nil && m.groupsClaim == "" {
		m.groupsClaim = "groups" // SSO_GROUP_KEY's default
	}
	m.domainCase = true
	for _, r := range set {
		m.addProbe(probe{key: r.Field(), rule: r, sel: selPrimary, report: true})
	}
	if err := m.planUsernameFrom(selPrimary); err != nil {
		return err
	}
	m.planVerified(selPrimary)
	if m.groupsClaim != "" {
		m.notes = append(m.notes, fmt.Sprintf("InvenTree reads groups from the %s claim of the userinfo response only (SSO_GROUP_KEY), applies only the groups SSO_GROUP_MAP names and, with SSO_REMOVE_GROUPS, removes every other group, including ones added by hand", m.groupsClaim))
	}
	if len(m.reg.AllowedDomains) > 0 {
		m.notes = append(m.notes, "InvenTree compares the email domain with LOGIN_SIGNUP_MAIL_RESTRICTION exactly, case included")
	}
	return m.planGroups(selUserinfo)
}
