package export

import (
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// inventreeProviders are the django-allauth provider modules per provider type
// (allauth.socialaccount.providers.<key>); OpenID providers all go through openid_connect.
var inventreeProviders = map[string]string{
	config.TypeGitHub:    "github",
	config.TypeGoogle:    "google",
	config.TypeMicrosoft: "microsoft",
	config.TypeDingTalk:  "dingtalk",
	config.TypeLark:      "feishu",
	config.TypeCasdoor:   "openid_connect",
	config.TypeOIDC:      "openid_connect",
}

const allauthPrefix = "allauth.socialaccount.providers."

// exportInvenTree writes InvenTree's SSO configuration: the allauth backend and provider settings
// (config file social_backends and social_providers, or INVENTREE_SOCIAL_BACKENDS and
// INVENTREE_SOCIAL_PROVIDERS) and the Login Settings as global settings overrides (global_settings,
// or INVENTREE_GLOBAL_SETTINGS).
func exportInvenTree(in *input) (*Result, error) {
	p := in.p
	key, ok := inventreeProviders[p.Type]
	if !ok {
		return nil, &UnsupportedError{Target: TargetInvenTree, Provider: p.Name, Type: p.Type,
			Reason: "django-allauth, which InvenTree signs in with, has no provider for a custom OAuth 2.0 server",
			hint:   "use an OpenID Connect provider (type oidc), or --target generic for an app with a custom OAuth form"}
	}
	id := key
	if key == "openid_connect" {
		id = p.Name
		if in.opts.ProviderID != "" {
			id = in.opts.ProviderID
		}
	} else if in.opts.ProviderID != "" && in.opts.ProviderID != key {
		return nil, &ProviderIDError{Target: TargetInvenTree, ID: in.opts.ProviderID, Type: p.Type, Known: []string{key}}
	}
	if p.ClientID == "" {
		return nil, missing(in, "client_id", "the allauth app's client_id")
	}
	secret, secretNote, err := in.secret("the allauth app's secret")
	if err != nil {
		return nil, err
	}
	base, err := in.needBase(TargetInvenTree)
	if err != nil {
		return nil, err
	}
	name := p.DisplayName
	if name == "" {
		name = in.preset.Title
		if p.Type == config.TypeOIDC {
			name = p.Name
		}
	}
	var app Object
	if key == "openid_connect" {
		app = append(app, Field{"provider_id", id})
	}
	app = append(app, Field{"name", name}, Field{"client_id", p.ClientID}, Field{"secret", secret})
	var settings Object
	var notes []string
	if key == "openid_connect" {
		if in.ep.Issuer == "" {
			return nil, missing(in, "issuer", "the openid_connect app's server_url")
		}
		// allauth appends /.well-known/openid-configuration unless server_url holds /.well-known/
		// already; to an issuer with a trailing slash (authentik) that yields //.well-known. The full
		// discovery URL avoids that for every issuer.
		settings = append(settings, Field{"server_url", provider.DiscoveryURL(in.ep.Issuer)})
		// InvenTree's group sync reads the groups from the userinfo response.
		settings = append(settings, Field{"fetch_userinfo", true})
		if strings.HasSuffix(in.ep.Issuer, "/") {
			notes = append(notes, "server_url is the full discovery URL: allauth would otherwise append /.well-known to the issuer's trailing slash")
		}
	}
	if p.Type == config.TypeMicrosoft && p.Tenant != "" {
		settings = append(settings, Field{"tenant", p.Tenant})
	}
	if len(settings) > 0 {
		app = append(app, Field{"settings", settings})
	}
	prov := Object{{"APPS", []Object{app}}}
	if len(p.Scopes) > 0 {
		prov = append(prov, Field{"SCOPE", p.Scopes})
	}
	socialProviders := Object{{key, prov}}
	backend := allauthPrefix + key

	reg := config.Registration{}
	if p.Registration != nil {
		reg = *p.Registration
	}
	global := Object{
		{"LOGIN_ENABLE_SSO", true},
		{"LOGIN_ENABLE_SSO_REG", reg.Enabled},
		{"LOGIN_SIGNUP_SSO_AUTO", true},
	}
	if len(reg.AllowedDomains) > 0 {
		at := make([]string, len(reg.AllowedDomains))
		for i, d := range reg.AllowedDomains {
			at[i] = "@" + strings.TrimPrefix(d, "@")
		}
		global = append(global, Field{"LOGIN_SIGNUP_MAIL_RESTRICTION", strings.Join(at, ",")})
	}
	if g := p.Groups; g != nil && key == "openid_connect" {
		claim := g.Claim
		if claim == "" {
			claim = "groups"
		}
		groupMap := g.Map
		if groupMap == nil {
			groupMap = map[string]string{}
		}
		global = append(global,
			Field{"LOGIN_ENABLE_SSO_GROUP_SYNC", true},
			Field{"SSO_GROUP_KEY", claim},
			// A string setting holding JSON: InvenTree parses it itself.
			Field{"SSO_GROUP_MAP", jsonText(groupMap, "").String()},
			// InvenTree's default is true, ssoctl's false: always say which.
			Field{"SSO_REMOVE_GROUPS", g.RemoveUnmapped},
		)
	}
	if len(p.Roles) > 0 {
		global = append(global, Field{"SIGNUP_GROUP", p.Roles[0]})
	}

	r := &Result{}
	r.doc = Object{
		{"social_backends", []string{backend}},
		{"social_providers", socialProviders},
		{"global_settings", global},
	}
	r.env = []EnvVar{
		{"INVENTREE_SOCIAL_BACKENDS", Lit(backend)},
		{"INVENTREE_SOCIAL_PROVIDERS", jsonText(socialProviders, "")},
		{"INVENTREE_GLOBAL_SETTINGS", jsonText(global, "")},
	}
	r.rows = append([]Row{
		{"social_backends", Lit(backend)},
		{"social_providers", jsonText(socialProviders, "")},
	}, objectRows(global)...)
	r.Callbacks = provider.CallbackURLs(config.AppInvenTree, base, id, false)
	if secretNote != "" {
		r.Notes = append(r.Notes, secretNote)
	}
	if secret.HasRef() {
		notes = append(notes, "in the env and compose formats INVENTREE_SOCIAL_PROVIDERS carries "+secret.String()+" inside JSON: the secret must not contain \" or \\ (generated secrets never do)")
	}
	r.Notes = append(r.Notes, notes...)
	r.Notes = append(r.Notes,
		"global_settings (INVENTREE_GLOBAL_SETTINGS) override the Login Settings and lock them in the admin UI; InvenTree versions without overrides take them under Settings → Login Settings",
		"InvenTree activates SSO only when e-mail is configured (INVENTREE_EMAIL_*); restart the server after changing social_backends or social_providers")
	return r, nil
}

func checkInvenTree(in *input) []Warning {
	p := in.p
	var w []Warning
	key, ok := inventreeProviders[p.Type]
	if !ok {
		w = append(w, Warning{CodeAppUnsupportedType, "type", "InvenTree (django-allauth) has no provider for a custom OAuth 2.0 server",
			"use an OpenID Connect provider (type oidc)"})
	}
	c := caps{title: "InvenTree", groups: key == "openid_connect", maxRoles: 1, allowedDomains: true, registrationOff: true,
		scopes: true, displayName: true,
		groupsHint: "InvenTree syncs groups only from an OpenID Connect provider's userinfo; use type oidc, or set SIGNUP_GROUP through roles",
		rolesHint:  "keep one role: InvenTree's SIGNUP_GROUP takes one group; map further groups with groups.map"}
	w = append(w, checkCaps(in, c)...)
	if usernameSet(p) {
		// allauth does what from: preferred_username says; anything else cannot be expressed.
		u := p.Mapping.Username
		if claim, _, ok := usernameClaim(p); !ok || claim != "preferred_username" || u.Normalize != "" || u.OnConflict != "" {
			w = append(w, Warning{CodeUsernameUnsupported, "mapping.username", "django-allauth takes the username from preferred_username and makes it unique itself; mapping.username is not exported",
				"set username.from: preferred_username (without normalize and on_conflict) to match what InvenTree does"})
		}
	}
	if in.base != "" && ok {
		id := key
		if key == "openid_connect" {
			id = p.Name
			if in.opts.ProviderID != "" {
				id = in.opts.ProviderID
			}
		}
		w = append(w, checkRedirect(in, provider.CallbackURLs(config.AppInvenTree, in.base, id, false), "InvenTree")...)
	}
	return w
}
