package export

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/mapping"
	"github.com/ssoctl/ssoctl/pkg/perm"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// alistModel is the AList (or OpenList) model for this export: the target's kind at the config's
// app.version when app.kind is that target, else at the newest version ssoctl models.
func alistModel(in *input) app.AList {
	version := ""
	if in.cfg.App != nil && in.cfg.App.Kind == in.opts.Target {
		version = in.cfg.App.Version
	}
	a, ok := app.AListKind(in.opts.Target, version)
	if !ok {
		a, _ = app.AListKind(in.opts.Target, "")
	}
	return a
}

// exportAList writes AList's (or OpenList's) single sign-on settings (admin → Settings → Single
// sign-on) as the app stores them: every value a string, keys as pkg/app names them.
func exportAList(in *input) (*Result, error) {
	p := in.p
	a := alistModel(in)
	pf, ok := a.Platform(p.Type)
	if !ok {
		return nil, &UnsupportedError{Target: in.opts.Target, Provider: p.Name, Type: p.Type,
			Reason: fmt.Sprintf("%s has no %s platform", a.Title, p.Type),
			hint:   fmt.Sprintf("%s supports %s; --target generic writes the fields of a custom OAuth form instead", a.Title, a.PlatformText())}
	}
	if p.ClientID == "" {
		return nil, missing(in, "client_id", app.KeySSOClientID)
	}
	secret, secretNote, err := in.secret(app.KeySSOClientSecret)
	if err != nil {
		return nil, err
	}
	base, err := in.needBase(in.opts.Target)
	if err != nil {
		return nil, err
	}
	r := &Result{}
	doc := Object{
		{app.KeySSOEnabled, "true"},
		{app.KeySSOPlatform, pf.Value},
		{app.KeySSOClientID, p.ClientID},
		{app.KeySSOClientSecret, secret},
	}
	switch p.Type {
	case config.TypeCasdoor:
		if p.Issuer == "" {
			return nil, missing(in, "issuer", app.KeySSOEndpoint+" (the Casdoor origin)")
		}
		doc = append(doc, Field{app.KeySSOEndpoint, p.Issuer})
		if p.Organization != "" {
			doc = append(doc, Field{app.KeySSOOrganization, p.Organization})
		}
		if p.Application != "" {
			doc = append(doc, Field{app.KeySSOApplication, p.Application})
		}
		r.Notes = append(r.Notes, fmt.Sprintf("%s keeps %s for its docs' sake, but no %s code reads them", a.Title, strings.Join(app.UnusedSettings, ", "), a.Title))
	case config.TypeOIDC:
		if p.Issuer == "" {
			return nil, missing(in, "issuer", app.KeySSOEndpoint+" (the OIDC issuer)")
		}
		// go-oidc compares this string with the discovered issuer exactly: it is exported as written,
		// trailing slash and all.
		doc = append(doc, Field{app.KeySSOEndpoint, p.Issuer})
		doc = append(doc, Field{app.KeySSOUsernameKey, mapping.AListUsernameKey(a, p).Key})
		doc = append(doc, Field{app.KeySSOExtraScopes, strings.Join(alistExtraScopes(in.ep.Scopes), " ")})
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
		Field{app.KeySSOAutoRegister, boolText(reg.Enabled)},
		Field{app.KeySSODefaultDir, dir},
		Field{app.KeySSODefaultPermission, strconv.FormatInt(sum, 10)},
		Field{app.KeySSOCompatibilityMode, boolText(p.CompatMode)},
	)
	if a.ReadsDefaultRole() && len(p.Roles) > 0 {
		if v, ok := a.DefaultRoleValue(p.Roles[0]); ok {
			doc = append(doc, Field{app.KeyDefaultRole, v})
		}
	}
	r.Notes = append(r.Notes, alistRightsNote(a, p, sum, dir))
	r.doc, r.rows = doc, objectRows(doc)
	r.Callbacks = alistCallbacks(a, p, base)
	if secretNote != "" {
		r.Notes = append(r.Notes, secretNote)
	}
	if p.Type == config.TypeGitHub {
		r.Notes = append(r.Notes, fmt.Sprintf("a GitHub OAuth app takes one callback URL; %s's login and bind callbacks are sub-paths of it", a.Title))
	}
	return r, nil
}

// alistRightsNote says plainly what a new SSO user may do at this version, and which setting
// decides it.
func alistRightsNote(a app.AList, p config.Provider, sum int64, dir string) string {
	role := ""
	if len(p.Roles) > 0 {
		if _, ok := a.DefaultRoleValue(p.Roles[0]); ok {
			role = p.Roles[0]
		}
	}
	rt := a.NewUserRights(sum, dir, role)
	switch {
	case rt.Model == app.RightsUserBits:
		return fmt.Sprintf("%s %s checks each user's own permission bits: new SSO users get sso_default_permission (%d)", a.Title, a.Version, sum)
	case !a.ReadsDefaultRole():
		return fmt.Sprintf("%s %s decides rights by roles and creates SSO users with no role: sso_default_permission is not read there, and new SSO users have no rights until an admin gives them a role", a.Title, a.Version)
	case role == "":
		return fmt.Sprintf("%s %s decides rights by roles: sso_default_permission is not read there; new SSO users get the site's default_role (on a fresh install guest, id 1, with no rights on /); set roles: [<role>] (a role created in AList; it refuses admin and guest) to have default_role written", a.Title, a.Version)
	default:
		return fmt.Sprintf("%s %s decides rights by roles: sso_default_permission is not read there; new SSO users get default_role, %s. default_role is a site setting: it applies to every new user, not only SSO ones", a.Title, a.Version, rt.Source)
	}
}

// alistCallbacks are the redirect URIs to register: GitHub takes one callback URL (the others are
// sub-paths of it), every other platform both of the app's callbacks.
func alistCallbacks(a app.AList, p config.Provider, base string) []string {
	if p.Type == config.TypeGitHub {
		return []string{provider.SuggestRedirectURL(a.Kind, base, p.Name, p.CompatMode)}
	}
	return provider.CallbackURLs(a.Kind, base, p.Name, p.CompatMode)
}

// alistExtraScopes are the scopes AList must add to its own "openid profile".
func alistExtraScopes(scopes []string) []string {
	extra := []string{}
	for _, s := range scopes {
		if !slices.Contains(app.OIDCBaseScopes, s) && !slices.Contains(extra, s) {
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
	a := alistModel(in)
	var w []Warning
	if _, ok := a.Platform(p.Type); !ok {
		w = append(w, Warning{CodeAListUnsupportedType, "type", fmt.Sprintf("%s does not support provider type %s", a.Title, p.Type),
			fmt.Sprintf("%s supports %s", a.Title, a.PlatformText())})
	}
	if n := len(in.cfg.Providers); n > 1 {
		w = append(w, Warning{CodeAListOneProvider, "providers",
			fmt.Sprintf("the file has %d providers, but %s has a single SSO platform with one client ID and secret", n, a.Title),
			fmt.Sprintf("export the one provider %s should use; keep each site's provider in a file of its own", a.Title)})
	}
	if p.Type == config.TypeMicrosoft && p.Tenant != "" && p.Tenant != provider.DefaultTenant {
		w = append(w, Warning{CodeAListTenant, "tenant", fmt.Sprintf("%s always uses the common tenant, not %q", a.Title, p.Tenant),
			"remove tenant and let the app registration accept accounts in any organizational directory"})
	}
	c := caps{title: a.Title, registrationOff: true, defaultDir: true, defaultPermission: true,
		scopes: true, customMapping: p.Type == config.TypeOIDC}
	switch {
	case !a.HasRoles():
		c.rolesHint = fmt.Sprintf("new %s users get the general role and their own permission bits; give them rights with registration.default_permission", a.Title)
		c.groupsHint = "give new users their rights with registration.default_permission, or manage them in " + a.Title
	case !a.ReadsDefaultRole():
		c.rolesHint = fmt.Sprintf("%s %s creates SSO users with no role: give each one a role in %s after the first login", a.Title, a.Version, a.Title)
		c.groupsHint = c.rolesHint
	default:
		c.maxRoles = 1
		c.rolesHint = fmt.Sprintf("%s gives new users one role, default_role: keep one entry in roles, a role created in %s (its name, or its id from GET /api/admin/role/list)", a.Title, a.Title)
		c.groupsHint = fmt.Sprintf("give new users their rights with roles: [<role>], a role created in AList that export writes as default_role, or manage them in %s", a.Title)
	}
	w = append(w, checkCaps(in, c)...)
	w = append(w, checkAListRights(in, a)...)
	w = append(w, checkAListUsername(in, a)...)
	if pf, ok := a.Platform(p.Type); ok && pf.Scope != "" && len(p.Scopes) > 0 {
		w = append(w, Warning{CodeScopesUnsupported, "scopes", fmt.Sprintf("%s requests the scope %s itself for %s; scopes is not exported", a.Title, pf.Scope, p.Type),
			"grant that scope at the identity provider, or remove scopes:"})
	}
	if reg := p.Registration; reg != nil && !reg.DefaultPermission.IsZero() && reg.PermissionScheme != "" &&
		!strings.EqualFold(strings.TrimSpace(reg.PermissionScheme), perm.DefaultScheme) {
		w = append(w, Warning{CodeRegistrationSetting, "registration.permission_scheme",
			fmt.Sprintf("default_permission is read in scheme %s, but %s's sums are in scheme alist", reg.PermissionScheme, a.Title),
			"remove permission_scheme so the names are AList's, or check that the sum means the same in " + a.Title})
	}
	if in.base != "" {
		cbs := provider.CallbackURLs(a.Kind, in.base, p.Name, p.CompatMode)
		cbs = append(cbs, provider.SuggestRedirectURL(a.Kind, in.base, p.Name, p.CompatMode))
		w = append(w, checkRedirect(in, cbs, a.Title)...)
	}
	return w
}

// checkAListRights warns when the file gives rights through a setting the version does not read:
// default_permission where roles decide, or a role name default_role cannot hold.
func checkAListRights(in *input, a app.AList) []Warning {
	p := in.p
	var w []Warning
	if reg := p.Registration; reg != nil && !reg.DefaultPermission.IsZero() && a.HasRoles() {
		w = append(w, Warning{CodeRegistrationSetting, "registration.default_permission",
			fmt.Sprintf("%s %s decides rights by roles: sso_default_permission is exported and stored on new users, but no check reads it", a.Title, a.Version),
			"give new SSO users their rights with a role created in AList, named in roles: [<role>], which export writes as default_role (AList 3.53+)"})
	}
	if a.ReadsDefaultRole() && len(p.Roles) > 0 {
		if _, ok := a.DefaultRoleValue(p.Roles[0]); !ok {
			w = append(w, Warning{CodeRolesUnsupported, "roles",
				fmt.Sprintf("%s refuses %s as default_role (%q); default_role is not exported, and new SSO users get the site's default_role", a.Title, p.Roles[0], app.MsgDefaultRoleBuiltin),
				fmt.Sprintf("create a role with the rights new users need in %s and name it in roles, such as roles: [editor]", a.Title)})
		}
	}
	return w
}

// checkAListUsername checks what AList makes of the username settings: OIDC takes one ID-token key,
// read literally, as both username and sso id, the other platforms a fixed field; collisions get
// the sso id appended (on SQLite only) and nothing is normalized.
func checkAListUsername(in *input, a app.AList) []Warning {
	p := in.p
	var w []Warning
	if p.Type == config.TypeOIDC {
		k := mapping.AListUsernameKey(a, p)
		switch {
		case k.Fallback:
			w = append(w, Warning{CodeUsernameUnsupported, "mapping.username.from",
				fmt.Sprintf("the %s rule that usernames come from does not read one claim; %s takes a claim name, so preferred_username is exported", k.From, a.Title),
				"make the rule a single claim such as $.preferred_username, or set username.from to a claim"})
		case k.PathLike:
			w = append(w, Warning{CodeUsernameKeyPath, "mapping.username.from",
				fmt.Sprintf("sso_oidc_username_key is exported as %s, which %s reads literally as a claim named %q: every login is refused with \"%s\"", k.Key, a.Title, k.Key, app.MsgOIDCNoUsername),
				fmt.Sprintf("write the claim's name: username.from: %s", k.Meant)})
		case k.Key == "name" || k.Key == "email":
			w = append(w, Warning{CodeUsernameUnstable, "mapping.username.from",
				fmt.Sprintf("%s uses the OIDC claim %s as both username and SSO id, and %s values change and collide", a.Title, k.Key, k.Key),
				"use from: preferred_username (or sub for an id that never changes)"})
		}
		// AList reads the ID token, not userinfo: every other rule is ignored.
		if customRules(p) {
			w = append(w, Warning{CodeMappingUnsupported, "mapping.rules",
				fmt.Sprintf("%s reads only the username claim from the OIDC ID token; the other mapping rules are not exported", a.Title),
				"remove the rules AList does not use, or use --target generic for an app that takes mapping rules"})
		}
	} else if pf, ok := a.Platform(p.Type); ok && p.Mapping != nil && p.Mapping.Username != nil && p.Mapping.Username.From != "" {
		w = append(w, Warning{CodeUsernameUnsupported, "mapping.username.from",
			fmt.Sprintf("%s takes usernames from %s on %s; username.from is not exported", a.Title, pf.UsernameField, p.Type),
			"remove username.from, or use the oidc type where AList reads a configurable claim"})
	}
	if p.Mapping != nil && p.Mapping.Username != nil {
		u := p.Mapping.Username
		if u.Normalize != "" && u.Normalize != "none" {
			w = append(w, Warning{CodeUsernameUnsupported, "mapping.username.normalize",
				fmt.Sprintf("%s keeps the provider's username as it is; normalize is not exported", a.Title), "set normalize: none to match what the app does"})
		}
		if u.OnConflict != "" && u.OnConflict != "suffix-id" {
			w = append(w, Warning{CodeUsernameUnsupported, "mapping.username.on_conflict",
				fmt.Sprintf("%s appends _<sso id> to a taken username (SQLite only), not %s", a.Title, u.OnConflict),
				"set on_conflict: suffix-id to match what the app does; with MySQL or PostgreSQL the login fails instead"})
		}
	}
	return w
}

// alistMarkers are AList's callback paths without their query, normal and compatibility mode
// (pkg/app): what an app URL is cut at when export takes it from redirect_url.
func alistMarkers() []string {
	a, _ := app.AListKind(config.AppAList, "")
	return append([]string{app.CallbackPath}, a.CallbackPaths(true)...)
}
