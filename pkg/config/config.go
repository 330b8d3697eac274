// Package config reads and writes the ssoctl configuration file (schema version 1): where it is, what it
// holds, and how it is changed without losing the user's comments, key order or formatting.
//
// Loading keeps three views of the file: the raw bytes (for edits that splice text), the YAML node tree
// (for positions: every finding names a line and column) and the decoded Config. Secret references
// (env:, file:, keyring:) stay unresolved until a command needs the value.
package config

// FileVersion is the only schema version this build reads and writes.
const FileVersion = 1

// App kinds: the application whose SSO the file describes.
const (
	AppAList      = "alist"
	AppOpenList   = "openlist"
	AppPhotoPrism = "photoprism"
	AppInvenTree  = "inventree"
	AppLobeChat   = "lobechat"
	AppGeneric    = "generic"
)

// AppKinds lists the app kinds in the order help text shows them.
var AppKinds = []string{AppAList, AppOpenList, AppPhotoPrism, AppInvenTree, AppLobeChat, AppGeneric}

// Provider types.
const (
	TypeGitHub    = "github"
	TypeGoogle    = "google"
	TypeMicrosoft = "microsoft"
	TypeDingTalk  = "dingtalk"
	TypeLark      = "lark"
	TypeCasdoor   = "casdoor"
	TypeOIDC      = "oidc"
	TypeOAuth2    = "oauth2"
)

// ProviderTypes lists the provider types in the order help text shows them.
var ProviderTypes = []string{TypeGitHub, TypeGoogle, TypeMicrosoft, TypeDingTalk, TypeLark, TypeCasdoor, TypeOIDC, TypeOAuth2}

// Config is the decoded file.
type Config struct {
	Version   int        `yaml:"version" json:"version"`
	App       *App       `yaml:"app,omitempty" json:"app,omitempty"`
	Providers []Provider `yaml:"providers,omitempty" json:"providers"`
	// Ignore silences validate findings file-wide, the way linters' config files do.
	Ignore []Ignore `yaml:"ignore,omitempty" json:"ignore,omitempty"`
	// PermissionSchemes defines permission bit schemes for apps other than AList.
	PermissionSchemes []PermissionScheme `yaml:"permission_schemes,omitempty" json:"permissionSchemes,omitempty"`
}

// App describes the application that users log in to.
type App struct {
	Kind string `yaml:"kind,omitempty" json:"kind,omitempty"`
	// Version is the app's version as the admin wrote it ("3.63"); "" means the newest supported (for lobechat: LobeChat 1.x, see app.LobeChatUnversioned).
	// pkg/app parses it and knows what differs by version.
	Version string `yaml:"version,omitempty" json:"version,omitempty"`
	URL     string `yaml:"url,omitempty" json:"url,omitempty"`
}

// Provider is one SSO provider registration.
type Provider struct {
	Name         string   `yaml:"name" json:"name"`
	Type         string   `yaml:"type" json:"type"`
	DisplayName  string   `yaml:"display_name,omitempty" json:"displayName,omitempty"`
	Icon         string   `yaml:"icon,omitempty" json:"icon,omitempty"`
	ClientID     string   `yaml:"client_id,omitempty" json:"clientId,omitempty"`
	ClientSecret Secret   `yaml:"client_secret,omitempty" json:"clientSecret,omitempty"`
	RedirectURL  string   `yaml:"redirect_url,omitempty" json:"redirectUrl,omitempty"`
	Scopes       []string `yaml:"scopes,omitempty" json:"scopes,omitempty"`
	Issuer       string   `yaml:"issuer,omitempty" json:"issuer,omitempty"`
	// Flavor names the OpenID provider product behind an oidc provider (keycloak, authentik, ...).
	Flavor string `yaml:"flavor,omitempty" json:"flavor,omitempty"`
	// TokenEndpointAuthMethod and PKCE are the admin's choice where the app offers one; "" means the
	// app's own behaviour (pkg/app knows it).
	TokenEndpointAuthMethod string `yaml:"token_endpoint_auth_method,omitempty" json:"tokenEndpointAuthMethod,omitempty"`
	PKCE                    string `yaml:"pkce,omitempty" json:"pkce,omitempty"`
	Tenant                  string `yaml:"tenant,omitempty" json:"tenant,omitempty"`
	AuthorizeURL            string `yaml:"authorize_url,omitempty" json:"authorizeUrl,omitempty"`
	TokenURL                string `yaml:"token_url,omitempty" json:"tokenUrl,omitempty"`
	UserinfoURL             string `yaml:"userinfo_url,omitempty" json:"userinfoUrl,omitempty"`
	// Organization and Application name the Casdoor organization and application.
	Organization string        `yaml:"organization,omitempty" json:"organization,omitempty"`
	Application  string        `yaml:"application,omitempty" json:"application,omitempty"`
	Mapping      *Mapping      `yaml:"mapping,omitempty" json:"mapping,omitempty"`
	Roles        []string      `yaml:"roles,omitempty" json:"roles,omitempty"`
	Groups       *Groups       `yaml:"groups,omitempty" json:"groups,omitempty"`
	Registration *Registration `yaml:"registration,omitempty" json:"registration,omitempty"`
	CompatMode   bool          `yaml:"compat_mode,omitempty" json:"compatMode,omitempty"`
}

// Mapping turns a userinfo document into an app user.
type Mapping struct {
	// Type is a preset (github, lark, google, microsoft, dingtalk, casdoor, oidc) or custom.
	Type     string            `yaml:"type,omitempty" json:"type,omitempty"`
	Rules    map[string]string `yaml:"rules,omitempty" json:"rules,omitempty"`
	Username *Username         `yaml:"username,omitempty" json:"username,omitempty"`
}

// Username says how the app username is derived.
type Username struct {
	From       string `yaml:"from,omitempty" json:"from,omitempty"`
	Normalize  string `yaml:"normalize,omitempty" json:"normalize,omitempty"`
	OnConflict string `yaml:"on_conflict,omitempty" json:"onConflict,omitempty"`
}

// Groups maps identity-provider groups to app groups.
type Groups struct {
	Claim          string            `yaml:"claim,omitempty" json:"claim,omitempty"`
	Map            map[string]string `yaml:"map,omitempty" json:"map,omitempty"`
	RemoveUnmapped bool              `yaml:"remove_unmapped,omitempty" json:"removeUnmapped,omitempty"`
}

// Registration says whether and how unknown users get an account.
type Registration struct {
	Enabled           bool       `yaml:"enabled,omitempty" json:"enabled,omitempty"`
	AllowedDomains    []string   `yaml:"allowed_domains,omitempty" json:"allowedDomains,omitempty"`
	DefaultDir        string     `yaml:"default_dir,omitempty" json:"defaultDir,omitempty"`
	DefaultPermission Permission `yaml:"default_permission,omitempty" json:"defaultPermission,omitempty"`
	// PermissionScheme names the scheme DefaultPermission is read in; alist when empty.
	PermissionScheme string `yaml:"permission_scheme,omitempty" json:"permissionScheme,omitempty"`
}

// Ignore silences one finding code, for one provider or for all.
type Ignore struct {
	Code     string `yaml:"code" json:"code"`
	Provider string `yaml:"provider,omitempty" json:"provider,omitempty"`
	Reason   string `yaml:"reason,omitempty" json:"reason,omitempty"`
}

// PermissionScheme is a user-defined permission bit scheme.
type PermissionScheme struct {
	Name string          `yaml:"name" json:"name"`
	Bits []PermissionBit `yaml:"bits" json:"bits"`
}

// PermissionBit is one bit of a user-defined scheme.
type PermissionBit struct {
	Bit     int    `yaml:"bit" json:"bit"`
	Name    string `yaml:"name" json:"name"`
	Meaning string `yaml:"meaning,omitempty" json:"meaning,omitempty"`
}

// Provider returns the provider with the given name.
func (c *Config) Provider(name string) (*Provider, bool) {
	for i := range c.Providers {
		if c.Providers[i].Name == name {
			return &c.Providers[i], true
		}
	}
	return nil, false
}

// ProviderNames lists the providers' names in file order.
func (c *Config) ProviderNames() []string {
	names := make([]string, 0, len(c.Providers))
	for _, p := range c.Providers {
		names = append(names, p.Name)
	}
	return names
}
