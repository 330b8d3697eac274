package export

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/perm"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// alistPlatforms are AList's sso_login_platform values per provider type, spelt exactly as AList
// compares them (internal/conf/const.go, setting options "Casdoor,Github,Microsoft,Google,Dingtalk,OIDC").
var alistPlatforms = map[string]string{
	config.TypeGitHub:    "Github",
	config.TypeMicrosoft: "Microsoft",
	config.TypeGoogle:    "Google",
	config.TypeDingTalk:  "Dingtalk",
	config.TypeCasdoor:   "Casdoor",
	config.TypeOIDC:      "OIDC",
}

// alistUsernameFields are the userinfo fields AList takes usernames from on platforms other than
// OIDC (server/handles/ssologin.go).
var alistUsernameFields = map[string]string{
	config.TypeGitHub:    "login",
	config.TypeMicrosoft: "displayName",
	config.TypeGoogle:    "name",
	config.TypeDingTalk:  "nick",
	config.TypeCasdoor:   "preferred_username",
}

// alistScopes are the scopes AList requests itself on platforms other than OIDC.
var alistScopes = map[string]string{
	config.TypeGitHub:    "read:user",
	config.TypeMicrosoft: "user.read",
	config.TypeGoogle:    "https://www.googleapis.com/auth/userinfo.profile",
	config.TypeDingTalk:  "openid",
	config.TypeCasdoor:   "profile",
}

const alistTypes = "github, microsoft, google, dingtalk, casdoor and oidc"

// exportAList writes AList's single sign-on settings (admin → Settings → Single sign-on) as AList
// stores them: every value a string.
func exportAList(in *input) (*Result, error) {
	p := in.p
	platform, ok := alistPlatforms[p.Type]
	if !ok {
		return nil, &UnsupportedError{Target: TargetAList, Provider: p.Name, Type: p.Type,
			Reason: fmt.Sprintf("AList has no %s platform", p.Type),
			hint:   "AList supports " + alistTypes + "; --target generic writes the fields of a custom OAuth form instead"}
	}
	if p.ClientID == "" {
		return nil, missing(in, "client_id", "sso_client_id")
	}
	secret, secretNote, err := in.secret("sso_client_secret")
	if err != nil {
		return nil, err
	}
	base, err := in.needBase(TargetAList)
	if err != nil {
		return nil, err
	}
	r := &Result{}
	doc := Object{
		{"sso_login_enabled", "true"},
		{"sso_login_platform", platform},
		{"sso_client_id", p.ClientID},
		{"sso_client_secret", secret},
	}
	switch p.Type {
	case config.TypeCasdoor:
		if p.Issuer == "" {
			return nil, missing(in, "issuer", "sso_endpoint_name (the Casdoor origin)")
		}
		doc = append(doc, Field{"sso_endpoint_name", p.Issuer})
		if p.Organization != "" {
			doc = append(doc, Field{"sso_organization_name", p.Organization})
		}
		if p.Application != "" {
			doc = append(doc, Field{"sso_application_name", p.Application})
		}
		r.Notes = append(r.Notes, "AList keeps sso_organization_name, sso_application_name and sso_jwt_public_key for its docs' sake, but no AList code reads them")
	case config.TypeOIDC:
		if p.Issuer == "" {
			return nil, missing(in, "issuer", "sso_endpoint_name (the OIDC issuer)")
		}
		// go-oidc compares this string with the discovered issuer exactly: it is exported as written,
		// trailing slash and all.
		doc = append(doc, Field{"sso_endpoint_name", p.Issuer})
		claim, _, ok := usernameClaim(p)
		if !ok {
			claim = "preferred_username"
		}
		doc = append(doc, Field{"sso_oidc_username_key", claim})
		doc = append(doc, Field{"sso_extra_scopes", strings.Join(alistExtraScopes(in.ep.Scopes), " ")})
		if strings.Contains(p.Issuer, "/application/o/") {
			r.Notes = append(r.Notes, "authentik matches redirect URIs as regular expressions: register them with ? escaped as \\?")
		}
	}
	reg := config.Registration{}
	if p.Registration != nil {
		reg = *p.Registration
	}
	sum, err := permissionSum(in)
	if err != nil {
		return nil, err
	}
	dir := reg.DefaultDir
	if dir == "" {
		dir = "/"
	}
	doc = append(doc,
		Field{"sso_auto_register", boolText(reg.Enabled)},
		Field{"sso_default_dir", dir},
		Field{"sso_default_permission", strconv.FormatInt(sum, 10)},
		Field{"sso_compatibility_mode", boolText(p.CompatMode)},
	)
	r.doc, r.rows = doc, objectRows(doc)
	r.Callbacks = alistCallbacks(p, base)
	if secretNote != "" {
		r.Notes = append(r.Notes, secretNote)
	}
	if p.Type == config.TypeGitHub {
		r.Notes = append(r.Notes, "a GitHub OAuth app takes one callback URL; AList's login and bind callbacks are sub-paths of it")
	}
	return r, nil
}

// alistCallbacks are the redirect URIs to register: GitHub takes one callback URL (the others are
// sub-paths of it), every other platform both of AList's callbacks.
func alistCallbacks(p config.Provider, base string) []string {
	if p.Type == config.TypeGitHub {
		return []string{provider.SuggestRedirectURL(config.AppAList, base, p.Name, p.CompatMode)}
	}
	return provider.CallbackURLs(config.AppAList, base, p.Name, p.CompatMode)
}

// alistExtraScopes are the scopes AList must add to its own "openid profile".
func alistExtraScopes(scopes []string) []string {
	extra := []string{}
	for _, s := range scopes {
		if s != "openid" && s != "profile" && !slices.Contains(extra, s) {
			extra = append(extra, s)
		}
	}
	return extra
}

// permissionSum is registration.default_permission as the number AList stores, checked against its
// scheme: alist unless registration.permission_scheme names another.
func permissionSum(in *input) (int64, error) {
	reg := in.p.Registration
	if reg == nil || reg.DefaultPermission.IsZero() {
		return 0, nil
	}
	s, err := perm.Resolve(reg.PermissionScheme, in.cfg.PermissionSchemes)
	if err != nil {
		return 0, &FieldError{Provider: in.p.Name, Field: "registration.permission_scheme", Err: err}
	}
	if reg.DefaultPermission.Sum != nil {
		if _, err := s.Decode(*reg.DefaultPermission.Sum); err != nil {
			return 0, &FieldError{Provider: in.p.Name, Field: "registration.default_permission", Err: err}
		}
		return *reg.DefaultPermission.Sum, nil
	}
	sum, err := s.Sum(reg.DefaultPermission.Items...)
	if err != nil {
		return 0, &FieldError{Provider: in.p.Name, Field: "registration.default_permission", Err: err}
	}
	return sum, nil
}

func checkAList(in *input) []Warning {
	p := in.p
	var w []Warning
	if _, ok := alistPlatforms[p.Type]; !ok {
		w = append(w, Warning{CodeAListUnsupportedType, "type", fmt.Sprintf("AList does not support provider type %s", p.Type),
			"AList supports " + alistTypes})
	}
	if n := len(in.cfg.Providers); n > 1 {
		w = append(w, Warning{CodeAListOneProvider, "providers",
			fmt.Sprintf("the file has %d providers, but AList has a single SSO platform with one client ID and secret", n),
			"export the one provider AList should use; keep each AList site's provider in a file of its own"})
	}
	if p.Type == config.TypeMicrosoft && p.Tenant != "" && p.Tenant != provider.DefaultTenant {
		w = append(w, Warning{CodeAListTenant, "tenant", fmt.Sprintf("AList always uses the common tenant, not %q", p.Tenant),
			"remove tenant and let the app registration accept accounts in any organizational directory"})
	}
	c := caps{title: "AList", registrationOff: true, defaultDir: true, defaultPermission: true,
		scopes: true, customMapping: p.Type == config.TypeOIDC,
		rolesHint:  "new AList users get AList's default role; give them rights with registration.default_permission",
		groupsHint: "give new users their rights with registration.default_permission, or manage them in AList"}
	w = append(w, checkCaps(in, c)...)
	w = append(w, checkAListUsername(in)...)
	if s, ok := alistScopes[p.Type]; ok && len(p.Scopes) > 0 {
		w = append(w, Warning{CodeScopesUnsupported, "scopes", fmt.Sprintf("AList requests the scope %s itself for %s; scopes is not exported", s, p.Type),
			"grant that scope at the identity provider, or remove scopes:"})
	}
	if reg := p.Registration; reg != nil && !reg.DefaultPermission.IsZero() && reg.PermissionScheme != "" &&
		!strings.EqualFold(strings.TrimSpace(reg.PermissionScheme), perm.DefaultScheme) {
		w = append(w, Warning{CodeRegistrationSetting, "registration.permission_scheme",
			fmt.Sprintf("default_permission is read in scheme %s, but AList's sums are in scheme alist", reg.PermissionScheme),
			"remove permission_scheme so the names are AList's, or check that the sum means the same in AList"})
	}
	if in.base != "" {
		cbs := provider.CallbackURLs(config.AppAList, in.base, p.Name, p.CompatMode)
		cbs = append(cbs, provider.SuggestRedirectURL(config.AppAList, in.base, p.Name, p.CompatMode))
		w = append(w, checkRedirect(in, cbs, "AList")...)
	}
	return w
}

// checkAListUsername checks what AList makes of the username settings: OIDC takes one ID-token claim
// as both username and sso id, the other platforms a fixed field; collisions get the sso id appended
// (on SQLite only) and nothing is normalized.
func checkAListUsername(in *input) []Warning {
	p := in.p
	var w []Warning
	if p.Type == config.TypeOIDC {
		claim, from, ok := usernameClaim(p)
		switch {
		case !ok:
			w = append(w, Warning{CodeUsernameUnsupported, "mapping.username.from",
				fmt.Sprintf("the %s rule that usernames come from reads more than one claim; AList takes a claim name, so preferred_username is exported", from),
				"make the rule a single claim such as $.preferred_username, or set username.from to a claim"})
		case claim == "name" || claim == "email":
			w = append(w, Warning{CodeUsernameUnstable, "mapping.username.from",
				fmt.Sprintf("AList uses the OIDC claim %s as both username and SSO id, and %s values change and collide", claim, claim),
				"use from: preferred_username (or sub for an id that never changes)"})
		}
		// AList reads the ID token, not userinfo: every other rule is ignored.
		if customRules(p) {
			w = append(w, Warning{CodeMappingUnsupported, "mapping.rules",
				"AList reads only the username claim from the OIDC ID token; the other mapping rules are not exported",
				"remove the rules AList does not use, or use --target generic for an app that takes mapping rules"})
		}
	} else if f, ok := alistUsernameFields[p.Type]; ok && p.Mapping != nil && p.Mapping.Username != nil && p.Mapping.Username.From != "" {
		w = append(w, Warning{CodeUsernameUnsupported, "mapping.username.from",
			fmt.Sprintf("AList takes usernames from %s on %s; username.from is not exported", f, p.Type),
			"remove username.from, or use the oidc type where AList reads a configurable claim"})
	}
	if p.Mapping != nil && p.Mapping.Username != nil {
		u := p.Mapping.Username
		if u.Normalize != "" && u.Normalize != "none" {
			w = append(w, Warning{CodeUsernameUnsupported, "mapping.username.normalize",
				"AList keeps the provider's username as it is; normalize is not exported", "set normalize: none to match what AList does"})
		}
		if u.OnConflict != "" && u.OnConflict != "suffix-id" {
			w = append(w, Warning{CodeUsernameUnsupported, "mapping.username.on_conflict",
				fmt.Sprintf("AList appends _<sso id> to a taken username (SQLite only), not %s", u.OnConflict),
				"set on_conflict: suffix-id to match what AList does; with MySQL or PostgreSQL the login fails instead"})
		}
	}
	return w
}
