package validate

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"

	appmodel "github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

func (c *checker) checkProvider(i int, p *config.Provider) {
	c.checkRequired(i, p)
	redirect := c.checkURL(provSegs(i, "redirect_url"), "redirect_url", p.RedirectURL, true)
	issuer := c.checkURL(provSegs(i, "issuer"), "issuer", p.Issuer, true)
	for _, e := range []struct{ key, val string }{{"authorize_url", p.AuthorizeURL}, {"token_url", p.TokenURL}, {"userinfo_url", p.UserinfoURL}} {
		c.checkURL(provSegs(i, e.key), e.key, e.val, true)
	}
	if redirect != nil {
		c.checkRedirect(i, p, redirect)
		c.checkRedirectPort(i, redirect)
	} else if p.RedirectURL == "" && c.cfg.App != nil {
		if u := provider.SuggestRedirectURLFor(c.cfg.App, p.Name, p.CompatMode); u != "" {
			c.add(CodeRedirectUnset, provSegs(i), fmt.Sprintf("provider %q has no redirect_url; %s calls back at %s", p.Name, appName(c.cfg.App.Kind), u),
				withFlavorFix(fmt.Sprintf("register %s at the provider and add redirect_url: %s", u, u), p, provider.FixRedirectURI))
		}
	}
	if issuer != nil {
		c.checkIssuer(i, issuer)
	}
	c.checkAppRules(i, p)
	c.checkMapping(i, p)
	c.checkScopes(i, p)
	c.checkRegistration(i, p)
	c.checkGroups(i, p)
	c.checkSecret(i, p)
	c.checkClientChoice(i, p)
	c.checkFlavor(i, p)
	c.checkExport(i, p)
}

func (c *checker) checkRequired(i int, p *config.Provider) {
	pr, ok := provider.Lookup(p.Type)
	if !ok {
		return // the schema check reports the unknown type
	}
	for _, field := range pr.Required {
		if field == "client_secret" && p.TokenEndpointAuthMethod == "none" {
			// A public client: no secret at the token endpoint, PKCE instead (checkClientChoice
			// reports an app that cannot run one).
			continue
		}
		n := c.node(provSegs(i, field)...)
		if n != nil && (n.Kind != yaml.ScalarNode || (strings.TrimSpace(n.Value) != "" && n.ShortTag() != "!!null")) {
			continue
		}
		c.add(CodeRequiredField, provSegs(i, field), fmt.Sprintf("provider %q (type %s) has no %s", p.Name, p.Type, field), requiredHint(p, field))
	}
}

func requiredHint(p *config.Provider, field string) string {
	switch field {
	case "client_id":
		return "add client_id: the client (application) ID from the provider's app registration"
	case "client_secret":
		hint := fmt.Sprintf("add client_secret: env:%s and export that variable (or file:PATH, keyring:SERVICE/USER)", envName(p.Name))
		if p.Type == config.TypeOIDC || p.Type == config.TypeOAuth2 {
			hint += "; for a public client (PKCE, no secret) set token_endpoint_auth_method: none instead"
		}
		return hint
	case "issuer":
		if p.Type == config.TypeCasdoor {
			return "add issuer: your Casdoor origin, e.g. https://door.example.com"
		}
		return "add issuer: the provider's issuer URL, e.g. https://auth.example.com/application/o/<slug>/ (authentik) or https://kc.example.com/realms/<realm> (Keycloak)"
	}
	return fmt.Sprintf("add %s: the server's endpoint URL from its documentation", field)
}

var envJunkRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^A-Z0-9_]+`) })

func envName(provider string) string {
	s := envJunkRE().ReplaceAllString(strings.ToUpper(provider), "_")
	if s == "" {
		s = "SSO"
	}
	return s + "_CLIENT_SECRET"
}

// checkURL checks that raw is an absolute http(s) URL and, when https is set, that it uses https
// unless it points at a loopback host. It returns the parsed URL when it is usable for further checks.
func (c *checker) checkURL(segs []string, what, raw string, https bool) *url.URL {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil || u.Scheme == "" || u.Host == "":
		hint := "write the full URL with its scheme, e.g. https://" + strings.TrimLeft(strings.TrimSpace(raw), "/")
		if err != nil || strings.Contains(raw, " ") {
			hint = "write a URL without spaces, e.g. https://files.example.com/path"
		}
		c.add(CodeURLNotAbsolute, segs, fmt.Sprintf("%s %q is not an absolute http(s) URL", what, raw), hint)
		return nil
	case u.Scheme != "http" && u.Scheme != "https":
		c.add(CodeURLNotAbsolute, segs, fmt.Sprintf("%s %q uses the scheme %s, not http or https", what, raw, u.Scheme),
			"use an https:// URL (http:// only for localhost)")
		return nil
	case u.Fragment != "" || strings.HasSuffix(raw, "#"):
		c.add(CodeURLNotAbsolute, segs, fmt.Sprintf("%s %q has a #fragment, which OAuth does not allow", what, raw),
			"remove the part from # on")
		return nil
	case raw != strings.TrimSpace(raw):
		c.add(CodeURLNotAbsolute, segs, fmt.Sprintf("%s %q has spaces around it", what, raw), "remove the spaces; providers compare URLs exactly")
		return nil
	}
	if https && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		c.add(CodeHTTPSRequired, segs, fmt.Sprintf("%s %q uses plain http on %s, which is not a loopback host", what, raw, u.Hostname()),
			"use https://"+strings.TrimPrefix(raw, "http://")+"; providers accept http only for localhost and 127.0.0.1")
	}
	return u
}

func isLoopback(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func sameHost(a, b *url.URL) bool {
	return strings.EqualFold(a.Hostname(), b.Hostname()) && effectivePort(a) == effectivePort(b)
}

// originDifference names the parts in which a and b, whose hosts or ports differ (sameHost), differ:
// "scheme (http, not https)", "host (a.example.org, not a.example.com)", "port (8443, not 443)". A
// port that differs only because each scheme has its own default is the scheme's difference alone.
func originDifference(a, b *url.URL) string {
	var parts []string
	if !strings.EqualFold(a.Scheme, b.Scheme) {
		parts = append(parts, fmt.Sprintf("scheme (%s, not %s)", a.Scheme, b.Scheme))
	}
	if !strings.EqualFold(a.Hostname(), b.Hostname()) {
		parts = append(parts, fmt.Sprintf("host (%s, not %s)", a.Hostname(), b.Hostname()))
	}
	if pa, pb := effectivePort(a), effectivePort(b); pa != pb && (a.Port() != "" || b.Port() != "") {
		parts = append(parts, fmt.Sprintf("port (%s, not %s)", pa, pb))
	}
	switch len(parts) {
	case 0:
		return "its origin"
	case 1:
		return "its " + parts[0]
	}
	return "its " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "http" {
		return "80"
	}
	return "443"
}

// appURL returns the parsed app.url when it is usable.
func (c *checker) appURL() *url.URL {
	if c.cfg.App == nil || c.cfg.App.URL == "" {
		return nil
	}
	u, err := url.Parse(c.cfg.App.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return u
}

func (c *checker) checkRedirect(i int, p *config.Provider, u *url.URL) {
	app := c.appURL()
	kind := ""
	if c.cfg.App != nil {
		kind = c.cfg.App.Kind
	}
	base := "https://" + u.Host
	if app != nil {
		base = strings.TrimSuffix(app.Scheme+"://"+app.Host+app.Path, "/")
		if !sameHost(u, app) && !isLoopback(u.Hostname()) {
			c.add(CodeRedirectHost, provSegs(i, "redirect_url"),
				fmt.Sprintf("redirect_url %s differs from app.url %s in %s", u.Scheme+"://"+u.Host, app.Scheme+"://"+app.Host, originDifference(u, app)),
				fmt.Sprintf("the provider sends users back to redirect_url, so it must be the app's own scheme, host and port: %s", firstOr(callbackURLs(c.cfg.App, base, p), base+u.Path)))
		}
	}
	want := callbackPaths(c.cfg.App, p)
	if len(want) == 0 {
		return
	}
	// Apps served under a path prefix (https://example.com/alist) call back under it too. Without
	// app.url the prefix is unknown, so any prefix is accepted.
	prefix := ""
	if app != nil {
		prefix = strings.TrimSuffix(app.Path, "/")
	}
	is := func(path, w string) bool {
		if app != nil {
			return path == prefix+w
		}
		return strings.HasSuffix(path, w)
	}
	path := u.Path
	if appmodel.IsAListKind(kind) && !p.CompatMode && is(path, appmodel.CallbackPath) {
		if m := u.Query().Get("method"); m != "" && m != appmodel.MethodLogin && m != appmodel.MethodBind {
			c.add(CodeRedirectPath, provSegs(i, "redirect_url"), fmt.Sprintf("%s callback method %q is neither %s nor %s", appName(kind), m, appmodel.MethodLogin, appmodel.MethodBind),
				"register "+base+appmodel.CallbackPath+"?method="+appmodel.MethodLogin+" and ?method="+appmodel.MethodBind+", or the URL without a query")
		}
		return
	}
	for _, w := range want {
		if is(path, w) {
			return
		}
	}
	msg := fmt.Sprintf("redirect_url path %s is not the %s callback", orSlash(u.Path), appName(kind))
	if kind == config.AppLobeChat {
		// The path depends on the generation app.version picks (pkg/app): name the one expected.
		if t, err := appmodel.Resolve(c.cfg.App); err == nil {
			msg += fmt.Sprintf(": %s calls back at %s", appmodel.LobeChatGeneration(t), appmodel.LobeChatCallbackPath(t, p.Name))
		}
	}
	hint := "use " + strings.Join(callbackURLs(c.cfg.App, base, p), " or ")
	if a, ok := appmodel.AListKind(kind, ""); ok {
		compat := a.CallbackPaths(true)
		switch {
		case !p.CompatMode && (is(path, compat[0]) || is(path, compat[1])):
			hint = "this is the compatibility-mode callback: set compat_mode: true, or use " + base + appmodel.CallbackPath
		case p.CompatMode && is(path, appmodel.CallbackPath):
			hint = fmt.Sprintf("with compat_mode: true %s calls back at %s%s and %s; use one of those or set compat_mode: false", a.Title, base, compat[0], compat[1])
		}
	}
	c.add(CodeRedirectPath, provSegs(i, "redirect_url"), msg, hint)
}

// callbackPaths lists the callback paths (without query) the app (kind and version) serves for p:
// provider's conventions first, then the other ids an app accepts for the provider's type
// (allauth's "github" for a provider named gh, say).
func callbackPaths(a *config.App, p *config.Provider) []string {
	if a == nil {
		return nil
	}
	kind := a.Kind
	var out []string
	for _, path := range provider.CallbackPathsFor(a, p.Name, p.CompatMode) {
		path, _, _ = strings.Cut(path, "?")
		if !slices.Contains(out, path) {
			out = append(out, path)
		}
	}
	var ids map[string][]string
	switch kind {
	case config.AppInvenTree:
		ids = inventreeIDs
	case config.AppLobeChat:
		ids = lobechatIDs
	}
	for _, id := range ids[p.Type] {
		if id == p.Name {
			continue
		}
		for _, path := range provider.CallbackPathsFor(a, id, p.CompatMode) {
			if !slices.Contains(out, path) {
				out = append(out, path)
			}
		}
	}
	return out
}

// inventreeIDs are django-allauth's provider ids by provider type; OpenID Connect apps use their
// provider_id, which ssoctl exports as the provider name.
var inventreeIDs = map[string][]string{
	config.TypeGitHub: {"github"}, config.TypeGoogle: {"google"}, config.TypeMicrosoft: {"microsoft"},
	config.TypeDingTalk: {"dingtalk"}, config.TypeLark: {"feishu", "lark"},
}

// lobechatIDs are LobeChat's provider ids by provider type (src/config/auth.ts and LobeHub's docs).
var lobechatIDs = map[string][]string{
	config.TypeGitHub: {"github"}, config.TypeGoogle: {"google"}, config.TypeMicrosoft: {"microsoft-entra-id", "azure-ad", "microsoft"},
	config.TypeCasdoor: {"casdoor"}, config.TypeOIDC: {"authentik", "keycloak", "zitadel", "logto", "authelia", "generic-oidc", "auth0", "okta", "cloudflare-zero-trust"},
}

func callbackURLs(a *config.App, base string, p *config.Provider) []string {
	paths := callbackPaths(a, p)
	if len(paths) > 2 {
		paths = paths[:1] // the provider's own name first; the rest are alternatives not worth a long hint
	}
	out := make([]string, len(paths))
	for j, path := range paths {
		out[j] = base + path
	}
	return out
}

func firstOr(s []string, def string) string {
	if len(s) > 0 {
		return s[0]
	}
	return def
}

func orSlash(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

func appName(kind string) string {
	if i, ok := appmodel.Lookup(kind); ok && kind != config.AppGeneric {
		return i.Title
	}
	return kind
}

var (
	authentikIssuerRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/application/o/[^/]+$`) })
	keycloakIssuerRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(/auth)?/realms/[^/]+/$`) })
)

func (c *checker) checkIssuer(i int, u *url.URL) {
	raw := u.String()
	segs := provSegs(i, "issuer")
	switch {
	case strings.HasSuffix(u.Path, "/.well-known/openid-configuration"):
		c.add(CodeIssuerForm, segs, "issuer is the discovery document's URL, not the issuer",
			"use "+strings.TrimSuffix(raw, "/.well-known/openid-configuration")+" (clients add /.well-known/openid-configuration themselves)")
	case authentikIssuerRE().MatchString(u.Path):
		c.add(CodeIssuerForm, segs, "issuer looks like an authentik issuer without its trailing slash",
			"authentik publishes "+raw+"/ and OpenID clients compare issuers exactly; check with \"ssoctl discover "+raw+"/\"")
	case keycloakIssuerRE().MatchString(u.Path):
		c.add(CodeIssuerForm, segs, "issuer looks like a Keycloak issuer with a trailing slash",
			"Keycloak publishes "+strings.TrimSuffix(raw, "/")+" without it and OpenID clients compare issuers exactly")
	}
}

// checkAppRules runs the checks that depend on the app kind or on one platform's quirks.
func (c *checker) checkAppRules(i int, p *config.Provider) {
	if p.Type == config.TypeCasdoor {
		if p.Organization == "built-in" {
			c.add(CodeCasdoorBuiltIn, provSegs(i, "organization"), "organization is Casdoor's built-in organization, whose users are all global administrators",
				"create an organization for the app's users in Casdoor and name it here")
		}
		if p.Application == "app-built-in" {
			c.add(CodeCasdoorBuiltIn, provSegs(i, "application"), "application is Casdoor's built-in application (app-built-in), which belongs to the built-in organization",
				"create an application in an organization of your own and name it here")
		}
	}
	if c.cfg.App == nil || !appmodel.IsAListKind(c.cfg.App.Kind) {
		return
	}
	a, _ := appmodel.AListKind(c.cfg.App.Kind, "")
	if _, ok := a.Platform(p.Type); !ok && slices.Contains(config.ProviderTypes, p.Type) {
		c.add(CodeAListUnsupportedType, provSegs(i, "type"), fmt.Sprintf("%s does not support provider type %s", a.Title, p.Type),
			fmt.Sprintf("%s supports %s", a.Title, a.PlatformText()))
	}
	// The preset's own issuer (Google's, Microsoft's for the tenant) is no setting of the app's.
	preset, _ := provider.Resolve(config.Provider{Type: p.Type, Tenant: p.Tenant})
	for _, e := range a.IgnoredSettings(*p, preset.Issuer) {
		c.add(CodeAListIgnoredSetting, provSegs(i, e.Key), e.Message, e.Hint)
	}
	if p.Type == config.TypeMicrosoft && p.Tenant != "" && p.Tenant != "common" {
		c.add(CodeAListTenant, provSegs(i, "tenant"), fmt.Sprintf("%s always uses the common tenant, not %q", a.Title, p.Tenant),
			"remove tenant and let the app registration accept accounts in any organizational directory")
	}
}
