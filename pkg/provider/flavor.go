package provider

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// Flavour names: the values of config.Provider.Flavor (schema enum "flavor").
const (
	FlavorAuthentik = "authentik"
	FlavorKeycloak  = "keycloak"
	FlavorAuthelia  = "authelia"
	FlavorZitadel   = "zitadel"
	FlavorKanidm    = "kanidm"
	FlavorPocketID  = "pocket-id"
	FlavorDex       = "dex"
	FlavorLemonLDAP = "lemonldap"
	FlavorHydra     = "hydra"
)

// Issuer parts an admin knows besides the host: what Flavor.IssuerPart names.
const (
	PartRealm  = "realm"       // Keycloak realm
	PartSlug   = "slug"        // authentik application slug
	PartClient = "client-name" // Kanidm OAuth2 client (resource server) name
)

// Fact is one default or convention of a provider product, with where it was read and the product
// version it applies to. Source says "unconfirmed" when no public source was checked in this pass.
type Fact struct {
	Topic   string `json:"topic"`
	Value   string `json:"value"`
	Source  string `json:"source"`
	Version string `json:"version"`
}

// What a product's own error code at the authorize endpoint means (PortalError.Means).
const (
	// PortalLoginForm: no session; the product shows its login form and checks the request only
	// after the login.
	PortalLoginForm = "login-form"
	// PortalRedirectURI: the redirect URI is not registered for the client.
	PortalRedirectURI = "redirect-uri"
	// PortalUnknownClient: no client has this client ID.
	PortalUnknownClient = "unknown-client"
	// PortalRefused: another refusal, said in Hint.
	PortalRefused = "refused"
)

// PortalError is one of a product's own error codes answered at the authorize endpoint: its name
// in the product's source, the words it shows its user, what it means for the request (Portal*
// constants), a hint for PortalRefused, and where it was read.
type PortalError struct {
	Name, Text, Means, Hint string
	Source, Version         string
}

// Flavor is what ssoctl knows about one OpenID provider product behind a provider of type oidc: how
// its issuer is built from the parts an admin knows, where groups and roles come from, and the
// defaults that meet the apps' limits. Each flavour lives in its own file (flavor_<name>.go) with its
// citations; this file holds only the shared shape.
type Flavor struct {
	// Name is the config value (FlavorKeycloak, ...).
	Name string
	// Title is the product's name for people.
	Title string
	// IssuerPart is the part besides the host the issuer is built from (PartRealm, PartSlug,
	// PartClient), "" when the issuer is the base URL itself.
	IssuerPart string
	// IssuerForm shows the issuer's shape; LegacyIssuerForm the older one, "" when there is none.
	IssuerForm, LegacyIssuerForm string
	// issuer builds the issuer from the base URL (scheme and host, with any path prefix, no trailing
	// slash) and the part; legacy selects LegacyIssuerForm.
	issuer func(base, part string, legacy bool) string
	// GroupsClaim is the claim that carries group membership by default, "" when the product sends
	// none without an admin's mapper; GroupsScope the scope that releases it, "" when none is needed.
	GroupsClaim, GroupsScope string
	// GroupsSetup is the step at the provider without which no groups claim is sent, in the
	// provider's terms; "" when groups are sent by default.
	GroupsSetup string
	// GroupsShape says what a group value looks like ("/admins", "admins@idm.example.com", ...).
	GroupsShape string
	// RolesClaim is where roles come from, "" when the product has no roles of its own.
	RolesClaim string
	// SigningAlg is the default ID token signature algorithm.
	SigningAlg string
	// PKCERequired is true when a client sending no PKCE is refused by default.
	PKCERequired bool
	// ClaimsInUserinfoOnly is true when, by default, profile, email and groups claims are left out of
	// the ID token and sent only from userinfo.
	ClaimsInUserinfoOnly bool
	// IDTokenAlgs are the ID token signature algorithms the discovery document lists for a client
	// made with the defaults (id_token_signing_alg_values_supported).
	IDTokenAlgs []string
	// ChallengeMethods are the PKCE methods the discovery document lists (code_challenge_methods_supported).
	ChallengeMethods []string
	// PKCERefusal is what the provider answers to a request without PKCE when PKCERequired: the
	// error_description of its error redirect, or the words of its own error page when ErrorPage
	// is set; "" otherwise.
	PKCERefusal string
	// ErrorPage, when set, is the words on the provider's own error page, which it shows (HTTP
	// 200, no redirect back to the app) for every authorize request it refuses: an unknown
	// client, an unregistered redirect URI and a missing PKCE challenge alike. "" when the
	// provider redirects its errors, or its pages name the cause.
	ErrorPage string
	// AuthMethods are the token endpoint authentication methods a client registered with the
	// defaults accepts: one when the provider holds the client to its registered method.
	AuthMethods []string
	// TokenAuthMethodsSupported is what the discovery document lists
	// (token_endpoint_auth_methods_supported); apps such as InvenTree choose by it.
	TokenAuthMethodsSupported []string
	// UnlistedScopeSetting, when set, says the provider grants a requested scope its
	// scopes_supported does not list (any scope the client's registration allows), and names the
	// setting that lists more; "" when an unlisted scope is one the provider does not have.
	UnlistedScopeSetting string
	// Fixes are the flavour's own way of making each provider-side change a finding asks for
	// (flavor_fix.go), each with its source.
	Fixes map[FixKey]ProviderFix
	// Facts are every default above and more, each with its source and version.
	Facts []Fact
	// PortalErrors are the product's own error codes, by code, that its authorize endpoint answers
	// instead of an OAuth error (LemonLDAP::NG's portal codes); nil when it answers none.
	PortalErrors map[string]PortalError
	// detect reports whether a discovery document has this product's shape, and what showed it.
	detect func(d *Discovery, iss, auth, token, userinfo, jwks *url.URL) (string, bool)
}

// Flavors returns every flavour in the order of config schema's enum.
func Flavors() []Flavor {
	return []Flavor{authentikFlavor(), keycloakFlavor(), autheliaFlavor(), zitadelFlavor(), kanidmFlavor(),
		pocketIDFlavor(), dexFlavor(), lemonLDAPFlavor(), hydraFlavor()}
}

// FlavorNames returns the flavour names in Flavors order.
func FlavorNames() []string {
	var out []string
	for _, f := range Flavors() {
		out = append(out, f.Name)
	}
	return out
}

// LookupFlavor returns the flavour of a name.
func LookupFlavor(name string) (Flavor, bool) {
	for _, f := range Flavors() {
		if f.Name == name {
			return f, true
		}
	}
	return Flavor{}, false
}

// IssuerError is an issuer that cannot be built from the given parts.
type IssuerError struct {
	Flavor, Msg, HintText string
}

func (e *IssuerError) Error() string {
	return fmt.Sprintf("cannot build the %s issuer: %s", e.Flavor, e.Msg)
}

// Hint says which flag to give.
func (e *IssuerError) Hint() string { return e.HintText }

// BaseURL turns what an admin types for the host ("auth.example.com", "https://auth.example.com/",
// "https://example.com/dex") into a base URL: https unless another scheme is given, no query or
// fragment, no trailing slash.
func BaseURL(host string) (string, error) {
	h := strings.TrimSpace(host)
	if h == "" {
		return "", fmt.Errorf("the host is empty")
	}
	if !strings.Contains(h, "://") {
		h = "https://" + h
	}
	u, err := url.Parse(h)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q is not a host name or an http(s) URL without query", host)
	}
	return strings.TrimSuffix(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

// Issuer builds the issuer from the host (see BaseURL) and the flavour's part (realm, slug, client
// name; ignored when IssuerPart is ""). legacy asks for LegacyIssuerForm (--legacy-issuer).
func (f Flavor) Issuer(host, part string, legacy bool) (string, error) {
	base, err := BaseURL(host)
	if err != nil {
		return "", &IssuerError{Flavor: f.Title, Msg: err.Error(), HintText: "pass --host auth.example.com or --host https://auth.example.com"}
	}
	part = strings.Trim(strings.TrimSpace(part), "/")
	if f.IssuerPart != "" && part == "" {
		return "", &IssuerError{Flavor: f.Title, Msg: "its " + f.IssuerPart + " is missing",
			HintText: fmt.Sprintf("pass --%s (the issuer is %s)", f.IssuerPart, f.IssuerForm)}
	}
	if strings.ContainsAny(part, "/?#") {
		return "", &IssuerError{Flavor: f.Title, Msg: fmt.Sprintf("%s %q contains /, ? or #", f.IssuerPart, part),
			HintText: fmt.Sprintf("give only the %s, not a URL: the issuer is %s", f.IssuerPart, f.IssuerForm)}
	}
	if legacy && f.LegacyIssuerForm == "" {
		return "", &IssuerError{Flavor: f.Title, Msg: "it has no legacy issuer form", HintText: "drop --legacy-issuer"}
	}
	return f.issuer(base, url.PathEscape(part), legacy), nil
}

// DetectedFlavor is the product a discovery document came from, and the shape that showed it.
type DetectedFlavor struct {
	Name     string `json:"name"`
	Evidence string `json:"evidence"`
}

// DetectFlavor names the product that published a discovery document, from the shapes of its issuer
// and endpoints; ok is false when no flavour matches (a plain oidc provider, or one ssoctl does not
// know). The checks are ordered so that the most specific shapes win.
func DetectFlavor(d *Discovery) (DetectedFlavor, bool) {
	if d == nil {
		return DetectedFlavor{}, false
	}
	parse := func(s string) *url.URL {
		u, err := url.Parse(s)
		if err != nil || s == "" {
			return &url.URL{}
		}
		return u
	}
	iss, auth, token, ui, jwks := parse(d.Issuer), parse(d.AuthorizationEndpoint), parse(d.TokenEndpoint), parse(d.UserinfoEndpoint), parse(d.JWKSURI)
	for _, f := range Flavors() {
		if ev, ok := f.detect(d, iss, auth, token, ui, jwks); ok {
			return DetectedFlavor{Name: f.Name, Evidence: ev}, true
		}
	}
	return DetectedFlavor{}, false
}

// relPath returns u's path relative to the issuer's (both without trailing slash), and whether u is
// on the issuer's host under its path.
func relPath(iss, u *url.URL) (string, bool) {
	if u.Host == "" || u.Host != iss.Host {
		return "", false
	}
	base := strings.TrimSuffix(iss.Path, "/")
	p := u.Path
	if !strings.HasPrefix(p, base+"/") {
		return "", false
	}
	return strings.TrimSuffix(strings.TrimPrefix(p, base), "/"), true
}

// hasScopePrefix reports whether scopes_supported lists a scope that starts with prefix.
func hasScopePrefix(d *Discovery, prefix string) bool {
	return slices.ContainsFunc(d.ScopesSupported, func(s string) bool { return strings.HasPrefix(s, prefix) })
}

// FlavorMismatch reports a configured flavour that differs from the one detected from discovery;
// nil when they agree or nothing was detected.
func FlavorMismatch(p config.Provider, d *Discovery) *DetectedFlavor {
	if p.Flavor == "" {
		return nil
	}
	got, ok := DetectFlavor(d)
	if !ok || got.Name == p.Flavor {
		return nil
	}
	return &got
}

// GroupKey turns a group name an admin types into the value the flavour sends in its groups claim,
// so that a group map written by `provider add --group` matches: Keycloak's Group Membership mapper
// sends full paths (/admins) by default. note is a sentence for stderr when the name was changed or
// cannot be checked, "" otherwise.
func (f Flavor) GroupKey(name string) (key, note string) {
	switch f.Name {
	case FlavorKeycloak:
		if !strings.HasPrefix(name, "/") {
			return "/" + name, fmt.Sprintf("Keycloak sends full group paths while the mapper's \"Full group path\" is on (its default): mapping %q as %q", name, "/"+name)
		}
	case FlavorKanidm:
		if !strings.Contains(name, "@") {
			return name, fmt.Sprintf("Kanidm sends groups as SPNs (name@domain): %q matches only if you write it as %s@<your Kanidm domain>", name, name)
		}
	}
	return name, ""
}

// GroupScopes returns scopes with the scope that releases the flavour's groups claim appended when
// it is missing.
func (f Flavor) GroupScopes(scopes []string) []string {
	if f.GroupsScope == "" || slices.Contains(scopes, f.GroupsScope) {
		return scopes
	}
	return append(slices.Clone(scopes), f.GroupsScope)
}
