package export

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// photoprismUsernameClaims are the values PHOTOPRISM_OIDC_USERNAME accepts (internal/config/flags.go).
var photoprismUsernameClaims = []string{"preferred_username", "name", "nickname", "email"}

// exportPhotoPrism writes PhotoPrism's PHOTOPRISM_OIDC_* variables, with PHOTOPRISM_SITE_URL, whose
// host PhotoPrism builds its redirect URL from.
func exportPhotoPrism(in *input) (*Result, error) {
	p := in.p
	if !in.preset.OIDC {
		return nil, &UnsupportedError{Target: TargetPhotoPrism, Provider: p.Name, Type: p.Type,
			Reason: fmt.Sprintf("PhotoPrism signs in with OpenID Connect only, and %s is not an OpenID provider", in.preset.Title),
			hint:   "use a provider of type oidc, google, microsoft or casdoor: PhotoPrism needs an issuer with a discovery document"}
	}
	if in.ep.Issuer == "" {
		return nil, missing(in, "issuer", "PHOTOPRISM_OIDC_URI")
	}
	if p.ClientID == "" {
		return nil, missing(in, "client_id", "PHOTOPRISM_OIDC_CLIENT")
	}
	secret, secretNote, err := in.secret("PHOTOPRISM_OIDC_SECRET")
	if err != nil {
		return nil, err
	}
	base, err := in.needBase(TargetPhotoPrism)
	if err != nil {
		return nil, err
	}
	env := []EnvVar{
		{"PHOTOPRISM_SITE_URL", Lit(base + "/")},
		{"PHOTOPRISM_OIDC_URI", Lit(in.ep.Issuer)},
		{"PHOTOPRISM_OIDC_CLIENT", Lit(p.ClientID)},
		{"PHOTOPRISM_OIDC_SECRET", secret},
	}
	if len(p.Scopes) > 0 {
		env = append(env, EnvVar{"PHOTOPRISM_OIDC_SCOPES", Lit(strings.Join(p.Scopes, " "))})
	}
	name := p.DisplayName
	if name == "" {
		name = in.preset.Title
		if p.Type == config.TypeOIDC {
			name = p.Name
		}
	}
	env = append(env, EnvVar{"PHOTOPRISM_OIDC_PROVIDER", Lit(name)})
	if p.Icon != "" {
		env = append(env, EnvVar{"PHOTOPRISM_OIDC_ICON", Lit(p.Icon)})
	}
	reg := p.Registration != nil && p.Registration.Enabled
	env = append(env, EnvVar{"PHOTOPRISM_OIDC_REGISTER", boolText(reg)})
	if claim, _, ok := usernameClaim(p); ok && slices.Contains(photoprismUsernameClaims, claim) {
		env = append(env, EnvVar{"PHOTOPRISM_OIDC_USERNAME", Lit(claim)})
	}
	r := &Result{env: env}
	r.doc, r.rows = envObject(env), objectRows(envObject(env))
	r.Callbacks = provider.CallbackURLs(config.AppPhotoPrism, base, p.Name, false)
	if secretNote != "" {
		r.Notes = append(r.Notes, secretNote)
	}
	if !reg {
		r.Notes = append(r.Notes, "PHOTOPRISM_OIDC_REGISTER is false: only users whose account is linked to the provider (auth_users.auth_id = sub) can log in")
	}
	return r, nil
}

func checkPhotoPrism(in *input) []Warning {
	p := in.p
	var w []Warning
	if !in.preset.OIDC {
		w = append(w, Warning{CodeAppUnsupportedType, "type", fmt.Sprintf("PhotoPrism signs in with OpenID Connect only, and provider type %s is not OpenID Connect", p.Type),
			"use a provider of type oidc, google, microsoft or casdoor"})
	}
	c := caps{title: "PhotoPrism", registrationOff: true, scopes: true, displayName: true, icon: true,
		groupsHint: "PhotoPrism has no group mapping: new OIDC users get the default role; change roles under Settings → Users",
		rolesHint:  "new OIDC users get PhotoPrism's default role; change roles under Settings → Users"}
	w = append(w, checkCaps(in, c)...)
	if usernameSet(p) {
		claim, from, ok := usernameClaim(p)
		if !ok || !slices.Contains(photoprismUsernameClaims, claim) {
			shown := claim
			if !ok {
				shown = "the " + from + " rule"
			}
			w = append(w, Warning{CodeUsernameClaim, "mapping.username.from",
				fmt.Sprintf("PhotoPrism cannot derive usernames from %s; PHOTOPRISM_OIDC_USERNAME is not exported", shown),
				"use one of " + strings.Join(photoprismUsernameClaims, ", ")})
		}
		u := p.Mapping.Username
		if u.Normalize != "" && u.Normalize != "handle" {
			w = append(w, Warning{CodeUsernameUnsupported, "mapping.username.normalize",
				"PhotoPrism always turns the claim into a lowercase handle (\"Jens Mander\" becomes jens.mander)", "set normalize: handle to match what PhotoPrism does"})
		}
		if u.OnConflict != "" && u.OnConflict != "random-digits" {
			w = append(w, Warning{CodeUsernameUnsupported, "mapping.username.on_conflict",
				"PhotoPrism appends a random 6-digit number to a taken username", "set on_conflict: random-digits to match what PhotoPrism does"})
		}
	}
	if in.base != "" {
		if u, err := url.Parse(in.base); err == nil && u.Scheme == "http" && !isLoopback(u.Hostname()) {
			w = append(w, Warning{CodeHTTPApp, "app.url", "PhotoPrism is served over plain http, but its OIDC login requires https with a valid certificate",
				"serve PhotoPrism over https (a reverse proxy with a certificate) and set app.url to the https address"})
		}
	}
	if in.ep.Issuer != "" {
		if u, err := url.Parse(in.ep.Issuer); err == nil && u.Scheme == "http" && !isLoopback(u.Hostname()) {
			w = append(w, Warning{CodeHTTPApp, "issuer", "the issuer uses plain http, but PhotoPrism requires the identity provider to use https",
				"serve the identity provider over https with a valid certificate"})
		}
	}
	if p.Type == config.TypeMicrosoft {
		switch t := p.Tenant; t {
		case "", "common", "organizations", "consumers":
			if t == "" {
				t = provider.DefaultTenant
			}
			w = append(w, Warning{CodeTenantUnsupported, "tenant",
				fmt.Sprintf("Microsoft's %s endpoint publishes a templated issuer that PhotoPrism's strict issuer check rejects", t),
				"set tenant to your directory (tenant) ID or domain"})
		}
	}
	if in.base != "" {
		w = append(w, checkRedirect(in, provider.CallbackURLs(config.AppPhotoPrism, in.base, p.Name, false), "PhotoPrism")...)
	}
	return w
}
