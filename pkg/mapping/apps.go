package mapping

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/perm"
)

// UsernameSource says where a provider's usernames come from: username.from ("name" when unset),
// whether it names a mapping field, and that field's effective rule (the preset's, overlaid with
// the provider's rules and then overrides). Export, validate and map eval all start here.
func UsernameSource(p config.Provider, overrides Rules) (from string, isField bool, rule string) {
	from = FieldName
	if p.Mapping != nil && p.Mapping.Username != nil && strings.TrimSpace(p.Mapping.Username.From) != "" {
		from = strings.TrimSpace(p.Mapping.Username.From)
	}
	if !slices.Contains(Fields(), from) {
		return from, false, ""
	}
	return from, true, EffectiveRules(p, "", overrides)[from]
}

// EffectiveRules are the rules NewMapper applies: the preset of the mapping type in effect
// (mappingType overrides the provider's), the provider's own rules, then overrides.
func EffectiveRules(p config.Provider, mappingType string, overrides Rules) Rules {
	rules := Rules{}
	if t := effectiveType(p, mappingType); t != Custom {
		if preset, ok := Preset(t); ok {
			rules = preset
		}
	}
	if p.Mapping != nil {
		for f, r := range p.Mapping.Rules {
			rules[f] = r
		}
	}
	for f, r := range overrides {
		rules[f] = r
	}
	return rules
}

// AListUsernameKey is the sso_oidc_username_key of provider p: what ssoctl export writes, what
// validate checks and what map eval and the doctor read the ID token with. It is app.AList's
// UsernameKey over UsernameSource, so that the three can never disagree.
func AListUsernameKey(a app.AList, p config.Provider) app.UsernameKey {
	from, isField, rule := UsernameSource(p, nil)
	return a.UsernameKey(from, isField, rule)
}

// literalKeyPath is the JSONPath that reads one top-level key exactly as written, as AList reads
// sso_oidc_username_key: $.name for a plain name, $['$.name'] for anything else.
func literalKeyPath(key string) string {
	if safeName(key) {
		return "$." + key
	}
	return "$[" + quoteName(key) + "]"
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

// planAList reproduces AList's (and OpenList's) sso_get_token handler as pkg/app models it: one
// platform, fixed fields (or, for OIDC, one ID-token key read literally as both SSO id and
// username), no normalization, name_ssoid on conflict (SQLite only), no groups, no email domain
// check.
func (m *Mapper) planAList(set RuleSet) error {
	a := m.alist
	title := a.Title
	m.requireEmail = false
	m.domainsOn = false
	m.normalize = "none"
	pf, ok := a.Platform(m.platform)
	if !ok {
		return &AppError{App: title, Type: m.platform, Reason: fmt.Sprintf("%s has no %s platform", title, m.platform),
			hint: fmt.Sprintf("%s supports %s; leave app.kind unset to map with the provider's own rules", title, a.PlatformText())}
	}
	if pf.Document == app.DocIDToken {
		m.reads = FromIDToken
		from, isField, rule := UsernameSource(m.provider, m.overrides)
		k := a.UsernameKey(from, isField, rule)
		m.usernameKey = k
		if k.Fallback {
			m.warnf(WarnNotUsed, "username.from", "the %s rule usernames come from does not read one claim; %s takes one claim name, so ssoctl export sets sso_oidc_username_key to %s and that is what is shown", k.From, title, k.Key)
		}
		if k.PathLike {
			m.warnf(WarnNotUsed, "username.from", "username.from %s is written to sso_oidc_username_key as it is, and %s reads that key literally: it looks for a claim named %q, not the claim %s; write from: %s", k.From, title, k.Key, k.Meant, k.Meant)
		}
		r, err := Compile(FieldID, literalKeyPath(k.Key), Jayway)
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
		if fragileClaims[k.Key] != "" {
			m.warnf(WarnFragileID, FieldID, "%s uses the ID token claim %s (sso_oidc_username_key) as both the SSO id and the username, and %s is %s: users who change it lose their account and two users can share it; use preferred_username, or sub for an id that never changes", title, k.Key, k.Key, fragileClaims[k.Key])
		}
		if m.customRules() {
			m.warnf(WarnNotUsed, "mapping.rules", "%s reads only the %s claim of the ID token; the other rules are shown for reference but %s does not use them", title, k.Key, title)
		}
		m.notes = append(m.notes, fmt.Sprintf("%s (OIDC) reads the verified ID token only, never userinfo, and takes its key %q (sso_oidc_username_key, read literally) as both the SSO id and the username", title, k.Key))
		m.usernameFrom = k.Key
	} else {
		id, name := "$."+pf.IDField, "$."+pf.UsernameField
		m.addProbe(probe{key: FieldID, rule: MustCompile(FieldID, id, Jayway), sel: selUserinfo, report: true})
		m.addProbe(probe{key: FieldName, rule: MustCompile(FieldName, name, Jayway), sel: selUserinfo, report: true})
		if m.platform == config.TypeGoogle {
			m.addProbe(probe{key: "sub", rule: MustCompile("", "$.sub", Jayway), sel: selUserinfo})
		}
		for _, rr := range set {
			switch rr.Field() {
			case FieldID, FieldName:
				if want := map[string]string{FieldID: id, FieldName: name}[rr.Field()]; strings.TrimSpace(rr.Expr()) != want {
					m.warnf(WarnNotUsed, "mapping.rules."+rr.Field(), "%s takes the %s from %s on %s; the rule %s is not used", title, map[string]string{FieldID: "SSO id", FieldName: "username"}[rr.Field()], want, m.platform, rr.Expr())
				}
			default:
				m.addProbe(probe{key: rr.Field(), rule: rr, sel: selUserinfo, report: true})
			}
		}
		m.planVerified(selUserinfo)
		if m.usernameFrom != FieldName {
			m.warnf(WarnNotUsed, "username.from", "%s takes usernames from %s on %s; username.from is not used", title, pf.UsernameField, m.platform)
		}
		m.usernameFrom = pf.UsernameField
		if fragileClaims[pf.UsernameField] == "a display name" {
			m.warnf(WarnFragileUsername, "username", "%s takes the username from %s on %s, a display name: two people with the same name collide, and the second gets the name with _ and the SSO id appended (on SQLite only)", title, pf.UsernameField, m.platform)
		}
		m.notes = append(m.notes, fmt.Sprintf("%s (%s platform) reads %s and takes %s as the SSO id and %s as the username", title, m.platform, pf.UserAPI, id, name))
	}
	if u := m.provider.Mapping; u != nil && u.Username != nil {
		if n := u.Username.Normalize; n != "" && n != "none" {
			m.warnf(WarnNotUsed, "username.normalize", "%s keeps the provider's username as it is; normalize: %s is not applied", title, n)
		}
		if c := u.Username.OnConflict; c != "" && c != ConflictSuffixID {
			m.warnf(WarnNotUsed, "username.on_conflict", "%s appends _ and the SSO id to a taken username (on SQLite only), not %s", title, c)
		}
	}
	m.onConflict = ConflictSuffixID
	if len(m.reg.AllowedDomains) > 0 {
		m.warnf(WarnNotUsed, "registration.allowed_domains", "%s does not restrict registration by email domain: allowed_domains %s is not enforced, and users of every domain are registered", title, strings.Join(m.reg.AllowedDomains, ", "))
	}
	m.planRights()
	if m.groupsClaim != "" {
		m.warnf(WarnNotUsed, "groups", "%s has no group sync: groups are shown but %s ignores them", title, title)
	}
	m.notes = append(m.notes,
		fmt.Sprintf("%s looks the SSO id up first: an account bound to it (sso_id, from --existing) signs in whatever sso_auto_register says; only an unknown SSO id is registered or refused", title),
		fmt.Sprintf("%s stores the username, the SSO id, the base path (sso_default_dir, as written) and the permission sum (sso_default_permission); email, nickname, phone and description are shown from the mapping rules, but %s does not store them", title, title),
		fmt.Sprintf("%s resolves a taken username by appending _ and the SSO id only on SQLite (it matches SQLite's error text); with MySQL or PostgreSQL the login fails", title))
	return m.planGroups(selEither)
}

// planRights works out what a new SSO user may do at the app's version: the user's own bits, or
// the default role's permissions.
func (m *Mapper) planRights() {
	a := m.alist
	role := ""
	if len(m.roles) > 0 {
		if _, ok := a.DefaultRoleValue(m.roles[0]); ok || !a.ReadsDefaultRole() {
			role = m.roles[0]
		} else {
			m.warnf(WarnNotUsed, "roles", "%s refuses %s as default_role (%q), so ssoctl export does not write it and the site's default_role applies", a.Title, m.roles[0], app.MsgDefaultRoleBuiltin)
		}
	}
	r := a.NewUserRightsWithRoles(m.permission.Sum, m.reg.DefaultDir, role, m.appRoles)
	m.rights = &Rights{Model: r.Model, Sum: r.Sum, Names: []string{}, Path: r.Path, Stored: r.Stored, CanRead: r.CanRead, Source: r.Source}
	if r.Role != nil {
		m.rights.Role = &RoleRef{ID: r.Role.ID, Name: r.Role.Name}
	}
	if r.Sum > 0 {
		// The names are the app's own: OpenList's bits 14 and 15 are not AList's.
		if s, err := perm.Resolve(a.Kind, nil); err == nil {
			if bits, err := s.Decode(r.Sum); err == nil {
				for _, b := range bits {
					m.rights.Names = append(m.rights.Names, b.Name)
				}
			}
		}
	}
	switch {
	case len(m.roles) > 0 && !a.ReadsDefaultRole():
		m.warnf(WarnNotUsed, "roles", "%s %s gives new SSO users no role of ssoctl's choosing; roles %s are not applied", a.Title, a.Version, strings.Join(m.roles, ", "))
	case len(m.roles) > 1:
		m.warnf(WarnNotUsed, "roles", "%s gives new SSO users one role, default_role; only %s of roles is applied", a.Title, m.roles[0])
	}
	if r.Model == app.RightsRoles && !m.reg.DefaultPermission.IsZero() {
		m.warnf(WarnNotUsed, "registration.default_permission", "%s %s decides rights by roles: sso_default_permission (%d) is stored on the user but no check reads it", a.Title, a.Version, r.Stored)
	}
}

// buildAList computes the AList user and the login's outcome without looking at existing accounts
// but those bound to SSO ids; Resolve renames on a username conflict.
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
	u.Rights = m.rights
	in := app.LoginInput{Type: m.platform, SSOID: id, Username: raw, AutoRegister: m.reg.Enabled}
	if m.accounts != nil {
		in.Bound = m.accounts.BoundTo
		if d, ok := m.accounts.(interface{ Disabled(string) bool }); ok {
			in.Disabled = d.Disabled
		}
	}
	m.applyLogin(u, m.alist.Login(in), pathOf(p))
}

// applyLogin records the app's decision on u: the account signed in to, or the refusal with the
// app's own words.
func (m *Mapper) applyLogin(u *User, r app.LoginResult, usernamePath string) {
	title := m.alist.Title
	u.Login = &Login{Outcome: r.Outcome, Username: r.Username, Message: r.Message}
	switch r.Outcome {
	case app.LoginExisting:
		u.Username = r.Username
		u.Login.Reason = fmt.Sprintf("an account (%s) is bound to SSO id %s: %s signs the user in as it", r.Username, u.ID, title)
		if r.Disabled {
			u.Login.Reason += ", but the account is disabled"
			u.Errors = append(u.Errors, Problem{Code: ErrAccountDisabled, Field: "username",
				Message: fmt.Sprintf("the account %s bound to this SSO id is disabled: %s signs it in, then answers every request with %q", r.Username, title, r.Message)})
		}
	case app.LoginRegistered:
		u.Login.Reason = "no account is bound to this SSO id, and sso_auto_register creates one"
		if r.Renamed {
			u.Login.Reason += " under a new name, as the username is taken"
		}
	case app.LoginRefused:
		code, field := ErrNotBound, FieldID
		why := ""
		switch r.Step {
		case "sso-id":
			code = ErrInvalidID
			if m.platform == config.TypeOIDC {
				code, field = ErrMissingRequired, "username"
				why = fmt.Sprintf("the ID token has no non-empty key %q (sso_oidc_username_key)", m.usernameKey.Key)
				if m.usernameKey.PathLike {
					why += fmt.Sprintf(", which %s reads literally: write username.from: %s", title, m.usernameKey.Meant)
				}
			} else if u.ID == "" {
				why = fmt.Sprintf("the SSO id (%s) is empty", "$."+m.platformIDField())
			} else {
				why = fmt.Sprintf("the SSO id (%s) is 0, which %s treats as missing", "$."+m.platformIDField(), title)
			}
		case "username":
			code, field = ErrMissingRequired, "username"
			why = fmt.Sprintf("the username (%s) is empty, and no account is bound to the SSO id", usernamePath)
		case "auto-register":
			why = "no account is bound to this SSO id and sso_auto_register is off"
		case "conflict":
			code, field = ErrUsernameTaken, "username"
			why = "the username and the renamed one are both taken"
		}
		u.Login.Reason = why
		u.Errors = append(u.Errors, Problem{Code: code, Field: field,
			Message: fmt.Sprintf("%s: %s refuses the login with %q", why, title, r.Message)})
	}
}

func (m *Mapper) platformIDField() string {
	pf, _ := m.alist.Platform(m.platform)
	return pf.IDField
}

func pathOf(p *probe) string {
	if p == nil {
		return "no rule"
	}
	return p.rule.Expr()
}

// photoprismClaim is the claim PHOTOPRISM_OIDC_USERNAME is set to, as ssoctl export writes it:
// username.from when it names a claim, else the claim the rule of the field it names reads. ok is
// false when that rule reads more than one top-level claim.
func (m *Mapper) photoprismClaim() (string, bool) {
	from, isField, rule := UsernameSource(m.provider, m.overrides)
	if !isField {
		return strings.TrimPrefix(from, "$."), true
	}
	return app.ClaimName(rule)
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
	claim, ok := m.photoprismClaim()
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
		"PhotoPrism stores the email as the provider sends it and marks it verified only when email_verified is true")
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
		// A new account is built by entity.OidcUser, which copies the email as it is; the later "Set
		// email, if verified" only adds VerifiedAt (photoprism 382ffa8, internal/entity/auth_user.go
		// and internal/api/oidc_redirect.go; proven with zitadel rp in e2e/clientlibs).
		u.Warnings = append(u.Warnings, Warning{Code: WarnUnverifiedEmail, Field: FieldEmail,
			Message: fmt.Sprintf("PhotoPrism stores %s unverified: the provider does not say it is verified (email_verified is not true), so the account has no VerifiedAt and the email cannot be its username", email)})
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

// planLobeChat applies the provider's rules as configured, to the document LobeChat's client reads
// (pkg/app's client profile): LobeChat 1.x (Auth.js) the ID token only, LobeHub 2.x (Better Auth)
// the ID token when it carries sub and email, else userinfo. e2e/clientlibs proves both with the
// real @auth/core and better-auth.
func (m *Mapper) planLobeChat(set RuleSet, version string) error {
	t, err := app.Resolve(&config.App{Kind: config.AppLobeChat, Version: version})
	if err != nil {
		return &AppError{App: "LobeChat", Reason: err.Error(), hint: "write app.version as major.minor, such as \"1.85\" or \"2.2\", or remove it for " + app.LobeChatUnversioned()}
	}
	c, ok := app.ClientFor(t, m.platform)
	if !ok {
		m.notes = append(m.notes, "ssoctl has no model of how LobeChat reads this provider type: the provider's mapping is applied as configured")
		return m.planGeneric(set)
	}
	sel, doc := selPrimary, "userinfo, else the ID token"
	switch c.Claims {
	case app.ClaimsIDToken:
		sel, doc = selIDToken, "the ID token only, never userinfo"
	case app.ClaimsIDTokenElseUserinfo:
		sel, doc = selIDTokenComplete, "the ID token when it carries sub and email, else userinfo"
	}
	for _, r := range set {
		m.addProbe(probe{key: r.Field(), rule: r, sel: sel, report: true})
	}
	if err := m.planUsernameFrom(sel); err != nil {
		return err
	}
	m.planVerified(sel)
	m.notes = append(m.notes, fmt.Sprintf("%s reads %s; the provider's rules are applied to that document", c.App, doc))
	return m.planGroups(sel)
}
