// Package provider knows the SSO platforms ssoctl supports: for each provider type a Preset with its
// endpoints, default scopes, PKCE and client-authentication style, default mapping and quirks, and for
// each target app kind the callback URLs it sends. Resolve turns a configured provider into the
// endpoints a login uses: what the user wrote wins, the preset fills the rest.
//
// The file holds only what the user gave or overrode; presets are applied at run time, so a preset
// fix (a moved endpoint, say) reaches every config file without an edit.
package provider

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// PKCE support values of Preset.PKCE.
const (
	// PKCES256 means the platform accepts PKCE with the S256 method.
	PKCES256 = "S256"
	// PKCEOptional means support depends on the server's configuration; its discovery document's
	// code_challenge_methods_supported tells.
	PKCEOptional = "optional"
	// PKCEUnknown means support is undocumented: ssoctl sends S256 and watches for an error.
	PKCEUnknown = "unknown"
)

// Client authentication styles of Preset.ClientAuth: how the client proves itself at the token endpoint.
const (
	AuthPost      = "client_secret_post"  // client_id and client_secret in the form body
	AuthBasic     = "client_secret_basic" // HTTP Basic
	AuthJSONBody  = "json_body"           // JSON body with camelCase clientId/clientSecret (DingTalk)
	AuthDiscovery = "discovery"           // as token_endpoint_auth_methods_supported in discovery says
	AuthAuto      = "auto"                // unknown: try Basic, then the form body
)

// Config keys of Preset.Required, as written in the config file.
const (
	KeyClientID     = "client_id"
	KeyClientSecret = "client_secret"
	KeyIssuer       = "issuer"
	KeyTenant       = "tenant"
	KeyAuthorizeURL = "authorize_url"
	KeyTokenURL     = "token_url"
	KeyUserinfoURL  = "userinfo_url"
	// KeyRuleName and KeyRuleEmail are the mapping rules a custom mapping needs.
	KeyRuleName  = "mapping.rules.name"
	KeyRuleEmail = "mapping.rules.email"
)

// MappingCustom is the mapping type whose rules the user writes.
const MappingCustom = "custom"

// DefaultTenant is the Microsoft tenant used when none is configured: work, school and personal
// accounts, as AList hard-codes it.
const DefaultTenant = "common"

// Template placeholders in Preset URLs.
const (
	placeholderTenant = "{tenant}"
	placeholderOrigin = "{origin}"
)

// Preset is what ssoctl knows about one provider type.
type Preset struct {
	// Type is the config's provider type (config.TypeGitHub, ...).
	Type string
	// Title is the platform's name for people.
	Title string
	// OIDC is true when the platform issues ID tokens and publishes a discovery document.
	OIDC bool
	// Issuer is the issuer URL template ({tenant} for Microsoft); "" when not OIDC or user-given.
	Issuer string
	// AuthorizeURL, TokenURL and UserinfoURL are templates ({tenant}; {origin} = the Casdoor issuer
	// without a trailing slash); "" when they come from discovery or from the user.
	AuthorizeURL, TokenURL, UserinfoURL string
	// DefaultScopes are requested when the provider lists none.
	DefaultScopes []string
	// PKCE is PKCES256, PKCEOptional or PKCEUnknown.
	PKCE string
	// ClientAuth is how the token endpoint authenticates the client (AuthPost, ...).
	ClientAuth string
	// MappingType is the default mapping preset; MappingCustom for oauth2.
	MappingType string
	// Required lists the config keys a provider of this type must set (KeyClientID, ...), in the order
	// messages name them.
	Required []string
	// StableID is the userinfo field or claim that identifies a user permanently, as a dotted path into
	// the userinfo document ("data.union_id" for Lark's wrapped response); "" when the mapping decides.
	StableID string
	// Notes are quirks worth knowing before registering the app at the platform.
	Notes []string
	// OneCallbackURL is true when the platform registers a single callback URL per client and accepts
	// a redirect_uri under it (GitHub), so an app's several callbacks are registered as their common
	// URL.
	OneCallbackURL bool
}

// Presets returns every preset in config.ProviderTypes order.
func Presets() []Preset {
	out := make([]Preset, 0, len(config.ProviderTypes))
	for _, t := range config.ProviderTypes {
		p, err := newPreset(t)
		if err != nil {
			panic(err) // config.ProviderTypes and newPreset disagree: a programming error
		}
		out = append(out, p)
	}
	return out
}

// Lookup returns the preset of a provider type.
func Lookup(typ string) (Preset, bool) {
	p, err := newPreset(typ)
	return p, err == nil
}

// newPreset is the one switch on the provider kind. Each case lives in the kind's own file; every
// call builds a fresh value so callers may modify what they get.
func newPreset(typ string) (Preset, error) {
	switch typ {
	case config.TypeGitHub:
		return github(), nil
	case config.TypeGoogle:
		return google(), nil
	case config.TypeMicrosoft:
		return microsoft(), nil
	case config.TypeDingTalk:
		return dingtalk(), nil
	case config.TypeLark:
		return lark(), nil
	case config.TypeCasdoor:
		return casdoor(), nil
	case config.TypeOIDC:
		return oidc(), nil
	case config.TypeOAuth2:
		return oauth2(), nil
	default:
		return Preset{}, &UnknownTypeError{Type: typ}
	}
}

// UnknownTypeError is a provider type ssoctl has no preset for.
type UnknownTypeError struct{ Type string }

func (e *UnknownTypeError) Error() string { return fmt.Sprintf("unknown provider kind %q", e.Type) }

// Hint lists the known types.
func (e *UnknownTypeError) Hint() string {
	return "type must be one of " + strings.Join(config.ProviderTypes, ", ")
}

// EffectiveMappingType returns the mapping type in effect for p: its own, else the preset's.
func (pr Preset) EffectiveMappingType(p config.Provider) string {
	if p.Mapping != nil && p.Mapping.Type != "" {
		return p.Mapping.Type
	}
	return pr.MappingType
}

// Missing returns the required config keys p leaves empty, in the order of pr.Required, followed by
// the rules a custom mapping needs (KeyRuleName, KeyRuleEmail).
func (pr Preset) Missing(p config.Provider) []string {
	var missing []string
	for _, k := range pr.Required {
		if valueOf(p, k) == "" {
			missing = append(missing, k)
		}
	}
	if pr.EffectiveMappingType(p) == MappingCustom {
		for _, k := range []string{KeyRuleName, KeyRuleEmail} {
			if valueOf(p, k) == "" {
				missing = append(missing, k)
			}
		}
	}
	return missing
}

// valueOf returns the configured value of a config key.
func valueOf(p config.Provider, key string) string {
	rule := func(field string) string {
		if p.Mapping == nil {
			return ""
		}
		return p.Mapping.Rules[field]
	}
	switch key {
	case KeyClientID:
		return p.ClientID
	case KeyClientSecret:
		return p.ClientSecret.Raw()
	case KeyIssuer:
		return p.Issuer
	case KeyTenant:
		return p.Tenant
	case KeyAuthorizeURL:
		return p.AuthorizeURL
	case KeyTokenURL:
		return p.TokenURL
	case KeyUserinfoURL:
		return p.UserinfoURL
	case KeyRuleName:
		return rule("name")
	case KeyRuleEmail:
		return rule("email")
	}
	return ""
}

// Endpoints are the effective endpoints and scopes of a configured provider. Empty URLs come from the
// issuer's discovery document at login time.
type Endpoints struct {
	Issuer       string   `json:"issuer,omitempty" yaml:"issuer,omitempty"`
	AuthorizeURL string   `json:"authorizeUrl,omitempty" yaml:"authorize_url,omitempty"`
	TokenURL     string   `json:"tokenUrl,omitempty" yaml:"token_url,omitempty"`
	UserinfoURL  string   `json:"userinfoUrl,omitempty" yaml:"userinfo_url,omitempty"`
	Scopes       []string `json:"scopes" yaml:"scopes"`
}

// IncompleteError is a provider that lacks a value its endpoints are derived from.
type IncompleteError struct {
	Provider string
	Type     string
	Keys     []string
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("provider %q of type %s has no %s", e.Provider, e.Type, strings.Join(e.Keys, ", "))
}

// Hint says how to fill the gap.
func (e *IncompleteError) Hint() string {
	flags := make([]string, len(e.Keys))
	for i, k := range e.Keys {
		flags[i] = "--" + strings.ReplaceAll(k, "_", "-")
	}
	return fmt.Sprintf("set %s in the config file, or re-add it with \"ssoctl provider add %s --force %s ...\"",
		strings.Join(e.Keys, ", "), e.Provider, strings.Join(flags, " ... "))
}

// Resolve returns the effective endpoints of p: explicit values first, then the preset's templates
// filled from the tenant ("common" when unset) and the issuer. Scopes are p's, else the preset's.
func Resolve(p config.Provider) (Endpoints, error) {
	pr, err := newPreset(p.Type)
	if err != nil {
		return Endpoints{}, err
	}
	tenant := p.Tenant
	if tenant == "" {
		tenant = DefaultTenant
	}
	origin := strings.TrimSuffix(p.Issuer, "/")
	var missing []string
	fill := func(explicit, tmpl string) string {
		if explicit != "" {
			return explicit
		}
		if strings.Contains(tmpl, placeholderOrigin) && origin == "" {
			if !slices.Contains(missing, KeyIssuer) {
				missing = append(missing, KeyIssuer)
			}
			return ""
		}
		return strings.NewReplacer(placeholderTenant, tenant, placeholderOrigin, origin).Replace(tmpl)
	}
	ep := Endpoints{
		Issuer:       fill(p.Issuer, pr.Issuer),
		AuthorizeURL: fill(p.AuthorizeURL, pr.AuthorizeURL),
		TokenURL:     fill(p.TokenURL, pr.TokenURL),
		UserinfoURL:  fill(p.UserinfoURL, pr.UserinfoURL),
		Scopes:       slices.Clone(p.Scopes),
	}
	if len(ep.Scopes) == 0 {
		ep.Scopes = slices.Clone(pr.DefaultScopes)
	}
	if ep.Scopes == nil {
		ep.Scopes = []string{}
	}
	// Whatever the preset cannot derive must be configured: the issuer of OIDC types without a fixed
	// one, and every endpoint of a type without discovery.
	if pr.OIDC && ep.Issuer == "" && !slices.Contains(missing, KeyIssuer) {
		missing = append(missing, KeyIssuer)
	}
	if !pr.OIDC {
		for _, e := range []struct{ key, val string }{{KeyAuthorizeURL, ep.AuthorizeURL}, {KeyTokenURL, ep.TokenURL}, {KeyUserinfoURL, ep.UserinfoURL}} {
			if e.val == "" {
				missing = append(missing, e.key)
			}
		}
	}
	if len(missing) > 0 {
		return ep, &IncompleteError{Provider: p.Name, Type: p.Type, Keys: missing}
	}
	return ep, nil
}

// secretRequired is the Required list shared by types with a confidential client and fixed endpoints.
func secretRequired() []string { return []string{KeyClientID, KeyClientSecret} }

// KeyRedirectURL is the redirect URL's config key; no type requires it (test-login falls back to a
// loopback callback), but forms ask for it when an app suggests one.
const KeyRedirectURL = "redirect_url"

// CheckURL reports whether s is an absolute http(s) URL, as endpoints, issuers and redirect URLs must
// be; the error is one sentence fit for a form or a flag error.
func CheckURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http:// or https:// URL", s)
	}
	return nil
}
