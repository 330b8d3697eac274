// Package export turns one provider of the config file into the settings a target app takes: AList's
// single sign-on settings, PhotoPrism's PHOTOPRISM_OIDC_* variables, LobeChat's Auth.js or Better Auth
// environment, InvenTree's django-allauth configuration and global settings, or the fields of a typical
// "custom OAuth" admin form. Nothing has to be copied by hand from one place to the other.
//
// Export builds a Result, which knows the formats the target supports (env, compose, json, yaml,
// table) and writes itself in any of them. Next to the data a Result carries the callback URLs to
// register at the identity provider, Warnings for settings the target cannot express (each with a
// stable code, the same code validate reports) and Notes worth reading before deploying; callers
// print those on stderr so that stdout holds only the data.
//
// Secrets are never resolved unless Options.Reveal is set. A secret referenced as env:NAME is written
// as ${NAME}, which docker compose, dotenv loaders and shells fill in from the environment; a secret
// in a file, in the keyring or written literally in the config becomes a placeholder such as
// "<secret from file:/run/secrets/x>". So does an env:NAME secret for a target whose settings are
// typed into an admin page (AList, OpenList, the generic form: app.Info.AdminForm), where nothing
// would expand ${NAME}: "<secret from env:NAME: paste its value here>".
//
// The package is offline: it never fetches a discovery document. A caller that has one (from
// provider.Discover) passes it in Options.Discovery for the generic target, which needs the endpoints.
package export

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/mapping"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// Targets: the apps Export writes settings for. They are the config's app kinds.
const (
	TargetAList      = config.AppAList
	TargetOpenList   = config.AppOpenList
	TargetPhotoPrism = config.AppPhotoPrism
	TargetInvenTree  = config.AppInvenTree
	TargetLobeChat   = config.AppLobeChat
	TargetGeneric    = config.AppGeneric
)

// Targets lists the targets in the order help text shows them.
func Targets() []string { return slices.Clone(config.AppKinds) }

// Output formats.
const (
	// FormatEnv is a dotenv file: NAME=value lines, quoted where needed.
	FormatEnv = "env"
	// FormatCompose is a docker-compose environment: block.
	FormatCompose = "compose"
	// FormatJSON is one JSON document.
	FormatJSON = "json"
	// FormatYAML is one YAML document.
	FormatYAML = "yaml"
	// FormatTable is key/value rows: aligned with a header on a terminal, tab separated otherwise.
	FormatTable = "table"
)

// Formats lists every format; each target supports a subset (TargetFormats).
func Formats() []string {
	return []string{FormatEnv, FormatCompose, FormatJSON, FormatYAML, FormatTable}
}

// targetFormats are the formats of each target, the default first: the form the app is most often
// configured with (an admin page's fields, a container's environment, InvenTree's config file).
var targetFormats = map[string][]string{
	TargetAList:      {FormatTable, FormatJSON, FormatYAML},
	TargetOpenList:   {FormatTable, FormatJSON, FormatYAML},
	TargetPhotoPrism: {FormatEnv, FormatCompose, FormatJSON, FormatYAML, FormatTable},
	TargetLobeChat:   {FormatEnv, FormatCompose, FormatJSON, FormatYAML, FormatTable},
	TargetInvenTree:  {FormatYAML, FormatJSON, FormatEnv, FormatCompose, FormatTable},
	TargetGeneric:    {FormatTable, FormatJSON, FormatYAML},
}

// TargetFormats lists the formats target supports, the default first; nil for an unknown target.
func TargetFormats(target string) []string { return slices.Clone(targetFormats[target]) }

// LobeChat generations: the Auth.js (NextAuth) based LobeChat 1.x and the Better Auth based LobeHub 2.x
// read different variables, and 2.x refuses to start with the old ones.
const (
	GenerationNextAuth   = "nextauth"
	GenerationBetterAuth = "betterauth"
)

// Generations lists the LobeChat generations, the default first.
func Generations() []string { return []string{GenerationNextAuth, GenerationBetterAuth} }

// Options say how to export.
type Options struct {
	// Target is the app (TargetAList, ...).
	Target string
	// Generation is the LobeChat generation; GenerationNextAuth when empty.
	Generation string
	// ProviderID overrides the provider id the app knows the provider by: LobeChat's SSO provider id
	// or the provider_id of an InvenTree openid_connect app. Empty means derived from the provider.
	ProviderID string
	// Reveal writes the client secret's value instead of its reference.
	Reveal bool
	// LookupEnv reads environment variables for Reveal; os.LookupEnv when nil.
	LookupEnv config.SecretEnvLookup
	// Context ends the read of a file: secret for Reveal (a named pipe blocks until written);
	// context.Background when nil.
	Context context.Context
	// AuthSecret is the session secret LobeChat needs (NEXT_AUTH_SECRET or AUTH_SECRET); empty writes
	// a placeholder that says how to generate one.
	AuthSecret string
	// Discovery is the issuer's discovery document, for targets that need endpoints an OpenID
	// provider only publishes there (generic).
	Discovery *provider.Discovery
	// CAFile is the --ca-file that trusts the identity provider's CA, "" when none: a note then says
	// how the app's server trusts it too (as it does for a provider on a private host).
	CAFile string
}

// Warning is a setting the target app cannot express, or a combination that will not work as the
// file says. Code is stable and shared with validate's findings.
type Warning struct {
	// Code is the finding code, e.g. "SSO070".
	Code string `json:"code"`
	// Field is the config key the warning is about: relative to the provider ("groups.map",
	// "registration.default_permission"), or file-level when it starts with "app." or is "providers".
	Field string `json:"field"`
	// Message is one sentence saying what is wrong.
	Message string `json:"message"`
	// Hint says what to do about it.
	Hint string `json:"hint"`
}

// Finding codes of Check. Codes shared with validate keep validate's numbers and meaning; the 07x and
// 08x blocks are the app-target checks that only export knew about so far.
const (
	CodeRedirectPath         = "SSO015" // redirect_url is not a callback the app sends
	CodeCasdoorBuiltIn       = "SSO017" // Casdoor built-in organization or application
	CodeAListOneProvider     = "SSO018" // AList has one SSO platform at a time
	CodeAListUnsupportedType = "SSO019" // AList has no platform for the provider type
	CodeAListTenant          = "SSO020" // AList always uses tenant common
	CodeUsernameUnstable     = "SSO034" // AList OIDC username claim name/email
	CodeUsernameClaim        = "SSO035" // PhotoPrism cannot derive usernames from the claim
	CodeUsernameKeyPath      = "SSO037" // AList OIDC username key written as a JSONPath, read literally
	CodeGroupsUnsupported    = "SSO070" // the app cannot sync or map groups
	CodeRolesUnsupported     = "SSO071" // the app cannot assign (that many) roles
	CodeRegistrationSetting  = "SSO072" // a registration setting the app lacks
	CodeMappingUnsupported   = "SSO073" // custom mapping rules the app cannot take
	CodeUsernameUnsupported  = "SSO074" // username derivation the app does differently
	CodeHTTPApp              = "SSO075" // PhotoPrism over plain http
	CodeScopesUnsupported    = "SSO076" // the app requests fixed scopes
	CodeDisplayUnsupported   = "SSO077" // display_name or icon the app does not show
	CodeTenantUnsupported    = "SSO078" // the app cannot use the Microsoft tenant as configured
	CodeFormFieldMissing     = "SSO079" // a field the generic form requires is empty
	CodeAppUnsupportedType   = "SSO080" // the app has no support for the provider type
)

// CodeInfo describes a finding code Check reports, for validate's code table and SARIF rules.
type CodeInfo struct {
	// ID is the code, e.g. "SSO070".
	ID string `json:"id"`
	// Name is a kebab-case name for the check.
	Name string `json:"name"`
	// Title says in a few words what is wrong.
	Title string `json:"title"`
	// Description explains why it matters.
	Description string `json:"description"`
}

// Codes lists the codes export defines itself (SSO070 to SSO080), all warnings: the setting still
// works elsewhere, but this app ignores it. The other codes Check uses are validate's, with validate's
// meaning.
func Codes() []CodeInfo {
	return []CodeInfo{
		{CodeGroupsUnsupported, "app-groups-unsupported", "the app cannot sync or map groups",
			"AList, PhotoPrism, LobeChat and the generic form have no group sync, and InvenTree syncs groups only from an OpenID Connect provider's userinfo; groups: is not exported."},
		{CodeRolesUnsupported, "app-roles-unsupported", "the app cannot assign these roles",
			"AList, PhotoPrism and LobeChat assign SSO users no roles; InvenTree puts new users in one group (SIGNUP_GROUP)."},
		{CodeRegistrationSetting, "app-registration-setting", "registration setting the app lacks",
			"Allowed domains, a base directory, permission sums and refusing unknown users exist in some apps only; the setting is not exported where the app has none."},
		{CodeMappingUnsupported, "app-mapping-unsupported", "the app takes no mapping rules",
			"Only the generic form takes JSONPath rules; the other apps read fixed userinfo fields or ID token claims."},
		{CodeUsernameUnsupported, "app-username-unsupported", "the app derives usernames differently",
			"Each app has its own username rules (claim, normalization, conflicts); settings it does not have are not exported."},
		{CodeHTTPApp, "app-plain-http", "the app or issuer is served over plain http",
			"PhotoPrism's OIDC login requires https for PhotoPrism and the identity provider, except on loopback."},
		{CodeScopesUnsupported, "app-scopes-fixed", "the app requests fixed scopes",
			"AList (except OIDC) and LobeChat request their own scopes; scopes: is not exported."},
		{CodeDisplayUnsupported, "app-display-unsupported", "the app shows no configurable name or icon",
			"display_name or icon has no place in the app's settings and is not exported."},
		{CodeTenantUnsupported, "app-tenant-unsupported", "the app cannot use the Microsoft tenant as configured",
			"PhotoPrism rejects the templated issuer of the common, organizations and consumers tenants; LobeHub 2.x always signs in with the common tenant."},
		{CodeFormFieldMissing, "form-field-missing", "a field the generic form requires is empty",
			"The custom OAuth form requires an icon and the roles users get."},
		{CodeAppUnsupportedType, "app-unsupported-type", "the app has no support for the provider type",
			"PhotoPrism takes OpenID Connect providers only, InvenTree has no generic OAuth 2.0 provider, LobeChat supports a fixed set of providers."},
	}
}

// Row is one key/value line of the table format.
type Row struct {
	Key   string
	Value Text
}

// EnvVar is one variable of the env and compose formats.
type EnvVar struct {
	Name  string
	Value Text
}

// Result is one exported provider: the data in every format the target supports, and what to tell
// the user next to it.
type Result struct {
	// Target is the app exported to.
	Target string
	// Provider is the provider's name.
	Provider string
	// Generation is the LobeChat generation; "" for other targets.
	Generation string
	// Formats lists the formats Write accepts, the default first.
	Formats []string
	// Callbacks are the redirect URIs to register at the identity provider.
	Callbacks []string
	// Warnings are settings the target cannot express (see Check).
	Warnings []Warning
	// Notes are things to know before deploying: placeholders to fill in, settings to set elsewhere.
	Notes []string
	// Revealed is true when the output holds a secret's value.
	Revealed bool

	doc  Object   // json and yaml
	env  []EnvVar // env and compose; nil when the target takes no environment
	rows []Row    // table
}

// DefaultFormat is the format the target is most often configured with.
func (r *Result) DefaultFormat() string { return r.Formats[0] }

// Doc returns the JSON and YAML document.
func (r *Result) Doc() Object { return r.doc }

// Env returns the variables of the env and compose formats; nil when the target has none.
func (r *Result) Env() []EnvVar { return slices.Clone(r.env) }

// Rows returns the rows of the table format.
func (r *Result) Rows() []Row { return slices.Clone(r.rows) }

// input is what every target's exporter works from.
type input struct {
	cfg    *config.Config
	p      config.Provider
	preset provider.Preset
	ep     provider.Endpoints
	opts   Options
	// base is the app's URL without a trailing slash, "" when unknown; baseErr says why.
	base    string
	baseErr error
}

func newInput(cfg *config.Config, p config.Provider, opts Options) (*input, error) {
	if cfg == nil {
		cfg = &config.Config{}
	}
	pr, ok := provider.Lookup(p.Type)
	if !ok {
		return nil, &provider.UnknownTypeError{Type: p.Type}
	}
	if opts.Generation == "" {
		opts.Generation = GenerationNextAuth
	}
	in := &input{cfg: cfg, p: p, preset: pr, opts: opts}
	// An incomplete provider still resolves what it can; each target names the key it misses.
	in.ep, _ = provider.Resolve(p)
	in.base, in.baseErr = appBase(cfg, p, opts.Target)
	return in, nil
}

// callbackMarkers start the callback paths of each target, after the app's URL.
var callbackMarkers = map[string][]string{
	TargetAList:      alistMarkers(),
	TargetOpenList:   alistMarkers(),
	TargetPhotoPrism: {"/api/v1/oidc/redirect"},
	TargetLobeChat:   {"/api/auth/callback/", "/api/auth/oauth2/callback/"},
	TargetInvenTree:  {"/accounts/"},
}

// appBase is the app's public URL: app.url, else the provider's redirect_url with the target's
// callback path cut off.
func appBase(cfg *config.Config, p config.Provider, target string) (string, error) {
	if cfg.App != nil && strings.TrimSpace(cfg.App.URL) != "" {
		raw := strings.TrimSpace(cfg.App.URL)
		if err := provider.CheckURL(raw); err != nil {
			return "", &MissingError{Field: "app.url", Reason: fmt.Sprintf("app.url %q is not an absolute http:// or https:// URL", raw),
				hint: "set app.url to the address users open the app at, such as https://files.example.com"}
		}
		u, _ := url.Parse(raw)
		u.RawQuery, u.Fragment = "", ""
		return strings.TrimSuffix(u.String(), "/"), nil
	}
	if u, err := url.Parse(p.RedirectURL); p.RedirectURL != "" && err == nil && u.Host != "" {
		for _, marker := range callbackMarkers[target] {
			if i := strings.Index(u.Path, marker); i >= 0 {
				return u.Scheme + "://" + u.Host + strings.TrimSuffix(u.Path[:i], "/"), nil
			}
		}
	}
	return "", &MissingError{Field: "app.url", Reason: "the config has no app.url, which the callback URL to register at the provider is built from",
		hint: "add \"app: {url: https://app.example.com}\" to the config file with the address users open the app at"}
}

// needBase returns the app's URL or the error that says it is missing.
func (in *input) needBase(target string) (string, error) {
	if in.baseErr != nil {
		var me *MissingError
		if errors.As(in.baseErr, &me) {
			c := *me
			c.Target, c.Provider = target, in.p.Name
			return "", &c
		}
		return "", in.baseErr
	}
	return in.base, nil
}

// Export builds target opts.Target's settings for provider p of cfg. Errors: *UnknownTargetError
// (exit 2), *UnsupportedError when the target cannot use the provider at all, *MissingError when the
// provider or the file lacks a value the target needs, *SecretError when --reveal cannot read the
// secret, and perm's errors for a default permission outside its scheme (all exit 1).
func Export(cfg *config.Config, p config.Provider, opts Options) (*Result, error) {
	in, err := newInput(cfg, p, opts)
	if err != nil {
		return nil, err
	}
	var r *Result
	switch opts.Target {
	case TargetAList, TargetOpenList:
		r, err = exportAList(in)
	case TargetPhotoPrism:
		r, err = exportPhotoPrism(in)
	case TargetLobeChat:
		r, err = exportLobeChat(in)
	case TargetInvenTree:
		r, err = exportInvenTree(in)
	case TargetGeneric:
		r, err = exportGeneric(in)
	default:
		return nil, &UnknownTargetError{Target: opts.Target}
	}
	if err != nil {
		return nil, err
	}
	r.Target, r.Provider, r.Formats = opts.Target, p.Name, TargetFormats(opts.Target)
	if n := trustNote(in); n != "" {
		r.Notes = append(r.Notes, n)
	}
	r.Warnings = append(check(in), r.Warnings...)
	r.Revealed = opts.Reveal
	return r, nil
}

// Check reports what target cannot express of provider p, and combinations that will not work as
// the file says, without exporting anything: the same warnings Export attaches to its Result. It
// never fails; an unknown target or provider type gives no warnings (validate reports those itself).
// LobeChat is checked as the default generation (nextauth).
func Check(cfg *config.Config, p config.Provider, target string) []Warning {
	in, err := newInput(cfg, p, Options{Target: target})
	if err != nil || !slices.Contains(Targets(), target) {
		return nil
	}
	return check(in)
}

// check dispatches to the target's own checks after the checks every target shares.
func check(in *input) []Warning {
	var w []Warning
	if in.p.Type == config.TypeCasdoor {
		if in.p.Organization == "built-in" {
			w = append(w, Warning{CodeCasdoorBuiltIn, "organization", "organization is Casdoor's built-in organization, whose users are all global administrators",
				"create an organization for the app's users in Casdoor and name it here"})
		}
		if in.p.Application == "app-built-in" {
			w = append(w, Warning{CodeCasdoorBuiltIn, "application", "application is Casdoor's built-in application (app-built-in), which belongs to the built-in organization",
				"create an application in an organization of your own and name it here"})
		}
	}
	switch in.opts.Target {
	case TargetAList, TargetOpenList:
		w = append(w, checkAList(in)...)
	case TargetPhotoPrism:
		w = append(w, checkPhotoPrism(in)...)
	case TargetLobeChat:
		w = append(w, checkLobeChat(in)...)
	case TargetInvenTree:
		w = append(w, checkInvenTree(in)...)
	case TargetGeneric:
		w = append(w, checkGeneric(in)...)
	}
	return w
}

// caps says which of the config's settings a target can express; checkCaps warns about the others
// when they are set.
type caps struct {
	title             string
	groups            bool
	maxRoles          int // -1: any number
	allowedDomains    bool
	registrationOff   bool // can refuse unknown users
	defaultDir        bool
	defaultPermission bool
	customMapping     bool
	scopes            bool
	displayName       bool
	icon              bool
	// rolesHint and groupsHint say what to do instead.
	rolesHint, groupsHint string
}

func checkCaps(in *input, c caps) []Warning {
	var w []Warning
	p := in.p
	if g := p.Groups; g != nil && !c.groups && (g.Claim != "" || len(g.Map) > 0 || g.RemoveUnmapped) {
		hint := c.groupsHint
		if hint == "" {
			hint = "manage group membership in " + c.title + " itself, or remove groups: from this provider"
		}
		w = append(w, Warning{CodeGroupsUnsupported, "groups", c.title + " cannot sync or map groups from the identity provider; groups is not exported", hint})
	}
	if len(p.Roles) > 0 && c.maxRoles >= 0 && len(p.Roles) > c.maxRoles {
		msg := c.title + " cannot assign roles to SSO users; roles is not exported"
		if c.maxRoles > 0 {
			msg = fmt.Sprintf("%s assigns new SSO users %d group only; only %q of roles is exported", c.title, c.maxRoles, p.Roles[0])
		}
		hint := c.rolesHint
		if hint == "" {
			hint = "assign roles in " + c.title + " after the users' first login, or remove roles: from this provider"
		}
		w = append(w, Warning{CodeRolesUnsupported, "roles", msg, hint})
	}
	if r := p.Registration; r != nil {
		add := func(field, what string) {
			w = append(w, Warning{CodeRegistrationSetting, "registration." + field,
				fmt.Sprintf("%s has no setting for %s; registration.%s is not exported", c.title, what, field),
				"configure it in " + c.title + " itself, or remove it from this provider"})
		}
		if len(r.AllowedDomains) > 0 && !c.allowedDomains {
			add("allowed_domains", "the e-mail domains allowed to register")
		}
		if !r.Enabled && !c.registrationOff {
			w = append(w, Warning{CodeRegistrationSetting, "registration.enabled",
				c.title + " creates an account for every user who logs in through SSO; registration.enabled: false cannot be expressed",
				"restrict who can log in at the identity provider (an application policy or group), or set registration.enabled: true"})
		}
		if r.DefaultDir != "" && !c.defaultDir {
			add("default_dir", "a new user's base directory")
		}
		if !r.DefaultPermission.IsZero() && !c.defaultPermission {
			add("default_permission", "permission sums")
		}
	}
	if !c.customMapping && customRules(p) {
		w = append(w, Warning{CodeMappingUnsupported, "mapping.rules",
			fmt.Sprintf("%s reads fixed userinfo fields for %s; the mapping rules are not exported", c.title, p.Type),
			"use --target generic for an app whose form takes JSONPath mapping rules, or remove mapping.rules"})
	}
	if len(p.Scopes) > 0 && !c.scopes {
		w = append(w, Warning{CodeScopesUnsupported, "scopes",
			fmt.Sprintf("%s requests fixed scopes for %s; scopes is not exported", c.title, p.Type),
			"check that the identity provider grants the scopes the app requests, or remove scopes:"})
	}
	var display []string
	if p.DisplayName != "" && !c.displayName {
		display = append(display, "display_name")
	}
	if p.Icon != "" && !c.icon {
		display = append(display, "icon")
	}
	if len(display) > 0 {
		w = append(w, Warning{CodeDisplayUnsupported, display[0],
			fmt.Sprintf("%s does not show a configurable %s for this login button; %s not exported", c.title,
				strings.ReplaceAll(strings.Join(display, " or "), "_", " "), plural(display)),
			"nothing to do unless the button's look matters; remove the key to silence this"})
	}
	return w
}

func plural(keys []string) string {
	if len(keys) == 1 {
		return keys[0] + " is"
	}
	return strings.Join(keys, " and ") + " are"
}

// customRules reports whether the provider's mapping says more than its type's preset: rules of its
// own or a mapping type other than the preset's.
func customRules(p config.Provider) bool {
	if p.Mapping == nil {
		return false
	}
	if len(p.Mapping.Rules) > 0 {
		return true
	}
	pr, _ := provider.Lookup(p.Type)
	return p.Mapping.Type != "" && p.Mapping.Type != pr.MappingType
}

// usernameClaim is the top-level claim the provider's username comes from, as apps that take a claim
// name (PhotoPrism's PHOTOPRISM_OIDC_USERNAME) need it: username.from names a mapped field (whose
// rule must read one claim) or a claim. ok is false when the rule reads more than one top-level
// claim. AList's key is mapping.AListUsernameKey, which keeps a claim exactly as written.
func usernameClaim(p config.Provider) (claim, from string, ok bool) {
	from, isField, rule := mapping.UsernameSource(p, nil)
	if !isField {
		return from, from, true
	}
	claim, ok = app.ClaimName(rule)
	return claim, from, ok
}

// usernameSet reports whether the provider says anything about usernames.
func usernameSet(p config.Provider) bool {
	return p.Mapping != nil && p.Mapping.Username != nil && *p.Mapping.Username != (config.Username{})
}

// checkRedirect warns when the provider's redirect_url is not one of the callbacks the app sends.
func checkRedirect(in *input, callbacks []string, title string) []Warning {
	if in.p.RedirectURL == "" || len(callbacks) == 0 {
		return nil
	}
	if slices.Contains(callbacks, in.p.RedirectURL) {
		return nil
	}
	return []Warning{{CodeRedirectPath, "redirect_url",
		fmt.Sprintf("redirect_url %s is not a callback %s sends for this provider", in.p.RedirectURL, title),
		"set redirect_url to " + callbacks[0] + " and register that URL at the identity provider"}}
}

// isLoopback reports whether host names this machine, where plain http is acceptable.
func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// UnknownTargetError is a target Export does not know (exit 2).
type UnknownTargetError struct{ Target string }

// Error is one sentence with the cause.
func (e *UnknownTargetError) Error() string { return fmt.Sprintf("unknown export target %q", e.Target) }

// ExitCode makes an unknown target a usage error.
func (e *UnknownTargetError) ExitCode() int { return 2 }

// Hint lists the targets.
func (e *UnknownTargetError) Hint() string {
	return "use --target with one of " + strings.Join(Targets(), ", ")
}

// UnsupportedError is a provider the target app cannot use at all (exit 1).
type UnsupportedError struct {
	Target, Provider, Type string
	Reason                 string
	hint                   string
}

// Error is one sentence with the cause.
func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("cannot export provider %q to %s: %s", e.Provider, title(e.Target), e.Reason)
}

// ExitCode makes it a failed check.
func (e *UnsupportedError) ExitCode() int { return 1 }

// Hint says what the target supports.
func (e *UnsupportedError) Hint() string { return e.hint }

// MissingError is a value the target needs that the provider or the file does not set (exit 1).
type MissingError struct {
	Target, Provider string
	// Field is the missing config key (issuer, client_secret, app.url, ...).
	Field  string
	Reason string
	hint   string
}

// Error is one sentence with the cause.
func (e *MissingError) Error() string {
	return fmt.Sprintf("cannot export provider %q to %s: %s", e.Provider, title(e.Target), e.Reason)
}

// ExitCode makes it a failed check.
func (e *MissingError) ExitCode() int { return 1 }

// Hint says how to set the field.
func (e *MissingError) Hint() string { return e.hint }

func missing(in *input, field, needs string) *MissingError {
	hint := fmt.Sprintf("set %s for provider %s in the config file", field, in.p.Name)
	if flag, ok := addFlags[field]; ok {
		hint += fmt.Sprintf(", or re-add it with \"ssoctl provider add %s --force %s ...\"", in.p.Name, flag)
	}
	return &MissingError{Target: in.opts.Target, Provider: in.p.Name, Field: field,
		Reason: fmt.Sprintf("provider has no %s, which %s needs", field, needs), hint: hint}
}

// addFlags are the provider add flags that set a config key.
var addFlags = map[string]string{
	"client_id": "--client-id", "client_secret": "--client-secret-env", "issuer": "--issuer",
	"authorize_url": "--authorize-url", "token_url": "--token-url", "userinfo_url": "--userinfo-url",
	"redirect_url": "--redirect-url",
}

// FieldError is a value the target needs that is set but cannot be used, such as a default
// permission outside its scheme (exit 1 unless Err says otherwise).
type FieldError struct {
	Provider, Field string
	Err             error
}

// Error is one sentence with the cause.
func (e *FieldError) Error() string {
	return fmt.Sprintf("provider %q: %s: %v", e.Provider, e.Field, e.Err)
}

// Unwrap returns the cause.
func (e *FieldError) Unwrap() error { return e.Err }

// ExitCode is 1: the file is wrong.
func (e *FieldError) ExitCode() int { return 1 }

// Hint is the cause's hint.
func (e *FieldError) Hint() string {
	var h interface{ Hint() string }
	if errors.As(e.Err, &h) {
		return h.Hint()
	}
	return ""
}

// SecretError is a secret --reveal cannot read (exit 1).
type SecretError struct {
	Provider string
	Secret   config.Secret
	Err      error
}

// Error is one sentence with the cause.
func (e *SecretError) Error() string {
	return fmt.Sprintf("cannot reveal the client secret of provider %q: %v", e.Provider, e.Err)
}

// Unwrap returns the cause.
func (e *SecretError) Unwrap() error { return e.Err }

// ExitCode makes it a failed check (exit 1), or unreadable input (exit 2) when the cause says so:
// a secret file that cannot be read, or is too large to be one.
func (e *SecretError) ExitCode() int {
	var c interface{ ExitCode() int }
	if errors.As(e.Err, &c) {
		return c.ExitCode()
	}
	return 1
}

// Hint says where the secret was looked for.
func (e *SecretError) Hint() string {
	if k := e.Secret.Kind(); (k == config.SecretEnv || k == config.SecretFile) && e.Secret.Ref() == "" {
		return fmt.Sprintf("complete the reference in the config file (client_secret: %s:%s), or drop --reveal", k, map[config.SecretKind]string{config.SecretEnv: "NAME", config.SecretFile: "PATH"}[k])
	}
	switch e.Secret.Kind() {
	case config.SecretEnv:
		return fmt.Sprintf("export %s before running ssoctl, or drop --reveal to write ${%s}", e.Secret.Ref(), e.Secret.Ref())
	case config.SecretFile:
		var h interface{ Hint() string }
		if errors.As(e.Err, &h) && h.Hint() != "" {
			return h.Hint() + ", or drop --reveal to write a placeholder"
		}
		return "check that the file exists and is readable, or drop --reveal to write a placeholder"
	case config.SecretKeyring:
		return "check the keyring entry (service/user) and that the keyring is unlocked, or drop --reveal"
	}
	return "drop --reveal to write a placeholder"
}

// envNameRE is what a shell, docker compose and dotenv loaders accept as a variable name.
var envNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// secret is the client secret as the output writes it: the value with Reveal, ${NAME} for env:NAME,
// else a placeholder. A provider without a secret is a *MissingError, since every target needs one.
func (in *input) secret(needs string) (Text, string, error) {
	s := in.p.ClientSecret
	if s.Kind() == config.SecretNone {
		return nil, "", missing(in, "client_secret", needs)
	}
	if in.opts.Reveal {
		ctx := in.opts.Context
		if ctx == nil {
			ctx = context.Background()
		}
		v, err := s.ResolveContext(ctx, in.opts.LookupEnv)
		if err != nil && ctx.Err() != nil {
			return nil, "", err
		}
		if err != nil {
			return nil, "", &SecretError{Provider: in.p.Name, Secret: s, Err: err}
		}
		return Lit(v), "", nil
	}
	switch s.Kind() {
	case config.SecretEnv:
		if info, _ := app.Lookup(in.opts.Target); info.AdminForm {
			// An admin page stores what is pasted into it: a ${NAME} there would become the secret
			// itself, so the value says what to paste instead.
			page := title(in.opts.Target) + "'s admin page"
			if in.opts.Target == TargetGeneric {
				page = "the app's admin form"
			}
			return Lit("<secret from " + s.String() + ": paste its value here>"),
				fmt.Sprintf("%s is a placeholder: it is typed into %s, which does not read environment variables; paste the value of $%s there, or rerun with --reveal to have it written",
					needs, page, s.Ref()), nil
		}
		if envNameRE().MatchString(s.Ref()) {
			return Ref(s.Ref()), "", nil
		}
	case config.SecretLiteral:
		return Lit("<secret written in the ssoctl config>"),
			"the client secret is written literally in the ssoctl config, so the output holds a placeholder; move it to env:NAME, or rerun with --reveal", nil
	}
	ph := "<secret from " + s.String() + ">"
	return Lit(ph), fmt.Sprintf("the client secret is a placeholder (%s); fill it in, or rerun with --reveal to write its value", s.String()), nil
}

// titles are the apps' names for people.
var titles = map[string]string{
	TargetAList: "AList", TargetOpenList: "OpenList", TargetPhotoPrism: "PhotoPrism", TargetInvenTree: "InvenTree",
	TargetLobeChat: "LobeChat", TargetGeneric: "the generic OAuth form",
}

func title(target string) string {
	if t, ok := titles[target]; ok {
		return t
	}
	return target
}

// boolText writes a boolean as apps that read strings expect it.
func boolText(b bool) Text {
	if b {
		return Lit("true")
	}
	return Lit("false")
}

// objectRows turns a flat document into table rows.
func objectRows(o Object) []Row {
	rows := make([]Row, 0, len(o))
	for _, f := range o {
		rows = append(rows, Row{Key: f.Key, Value: valueText(f.Value)})
	}
	return rows
}

// envObject is the JSON and YAML document of a target whose data is environment variables.
func envObject(env []EnvVar) Object {
	o := make(Object, 0, len(env))
	for _, e := range env {
		o = append(o, Field{e.Name, e.Value})
	}
	return o
}

// presetOf returns the preset of p's type; callers have checked that it exists.
func presetOf(p config.Provider) provider.Preset {
	pr, _ := provider.Lookup(p.Type)
	return pr
}
