package provider

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
)

// placeholderProvider stands for the provider's name (the app's provider id) in callback paths.
const placeholderProvider = "{provider}"

// AppKind is what ssoctl knows about the callbacks of one target app kind.
type AppKind struct {
	// Kind is the config's app kind (config.AppAList, ...).
	Kind string `json:"kind"`
	// Title is the app's name for people.
	Title string `json:"title"`
	// CallbackPath is the path, relative to the app's URL, of the redirect URL to register at the
	// identity provider, with {provider} standing for the provider's name; "" when unknown.
	CallbackPath string `json:"callbackPath"`
	// Notes are rules the app's callback follows.
	Notes []string `json:"notes"`
}

// AppKinds returns every app kind in config.AppKinds order.
func AppKinds() []AppKind {
	out := make([]AppKind, 0, len(config.AppKinds))
	for _, k := range config.AppKinds {
		a, _ := LookupApp(k)
		out = append(out, a)
	}
	return out
}

// LookupApp returns the app kind of that name.
func LookupApp(kind string) (AppKind, bool) {
	switch kind {
	case config.AppAList, config.AppOpenList:
		a, _ := app.AListKind(kind, "")
		normal, compat := a.CallbackPaths(false), a.CallbackPaths(true)
		return AppKind{Kind: kind, Title: a.Title, CallbackPath: a.RegisterPath(false), Notes: []string{
			fmt.Sprintf("%s sends %s (log in) and ?%s (bind); allow both, or the path for GitHub", a.Title, normal[0], strings.SplitN(normal[1], "?", 2)[1]),
			fmt.Sprintf("compatibility mode sends %s and %s instead", compat[0], compat[1]),
			fmt.Sprintf("the host is %s's site_url, else the request's (X-Forwarded-Host, Host)", a.Title),
			"authentik matches redirect URIs as regular expressions: escape ? as \\?",
		}}, true
	case config.AppPhotoPrism:
		return AppKind{Kind: kind, Title: "PhotoPrism", CallbackPath: "/api/v1/oidc/redirect", Notes: []string{
			"the host is PHOTOPRISM_SITE_URL's, and both PhotoPrism and the provider must use https",
		}}, true
	case config.AppInvenTree:
		return AppKind{Kind: kind, Title: "InvenTree", CallbackPath: "/accounts/{provider}/login/callback/", Notes: []string{
			"{provider} is the allauth provider id (for openid_connect, the app's provider_id); InvenTree drops allauth's /oidc/ prefix",
			"the trailing slash is part of the path",
		}}, true
	case config.AppLobeChat:
		return AppKind{Kind: kind, Title: "LobeChat", CallbackPath: app.LobeChatCallbackPath(app.LobeChat1(), placeholderProvider), Notes: []string{
			"{provider} is LobeChat's provider id, e.g. authentik, github, microsoft-entra-id",
			fmt.Sprintf("LobeHub 2.x (app.version 2 or newer) calls back at %s, except at %s for Better Auth's built-in providers (apple, github, google, microsoft)",
				app.LobeChatCallbackPath(app.LobeHub2(), placeholderProvider), app.LobeChatCallbackPath(app.LobeChat1(), placeholderProvider)),
			"the host must be LobeChat's public host (NEXTAUTH_URL or NEXT_PUBLIC_AUTH_URL when set)",
		}}, true
	case config.AppGeneric:
		return AppKind{Kind: kind, Title: "Generic app", CallbackPath: "", Notes: []string{
			"no callback convention is known: use the redirect URL the app's SSO settings show",
		}}, true
	}
	return AppKind{}, false
}

// CallbackPaths lists the paths (with query) of every redirect URI the app sends for the provider,
// relative to the app's URL; compat selects AList's (and OpenList's) compatibility mode, whose
// paths pkg/app knows. Unknown and generic apps
// have none.
func CallbackPaths(appKind, providerName string, compat bool) []string {
	if a, ok := app.AListKind(appKind, ""); ok {
		return a.CallbackPaths(compat)
	}
	a, ok := LookupApp(appKind)
	if !ok || a.CallbackPath == "" {
		return nil
	}
	return []string{fillProvider(a.CallbackPath, providerName)}
}

// CallbackPathsFor is CallbackPaths for a config's app block: its kind and, where the app's
// callbacks changed between versions (LobeChat 1.x and LobeHub 2.x), its version, as pkg/app
// decides. A nil block has none.
func CallbackPathsFor(a *config.App, providerName string, compat bool) []string {
	if a == nil {
		return nil
	}
	if a.Kind == config.AppLobeChat {
		t, err := app.Resolve(a)
		if err != nil {
			t, _ = app.Resolve(&config.App{Kind: a.Kind}) // validate reports the version; the default paths meanwhile
		}
		return []string{app.LobeChatCallbackPath(t, providerName)}
	}
	return CallbackPaths(a.Kind, providerName, compat)
}

// CallbackURLs lists the exact redirect URIs the app at appURL sends for the provider: what the
// identity provider must allow. It returns nil when appURL is empty or the app's convention is unknown.
func CallbackURLs(appKind, appURL, providerName string, compat bool) []string {
	return joinBase(appURL, CallbackPaths(appKind, providerName, compat))
}

// CallbackURLsFor is CallbackURLs for a config's app block (app.url, app.kind and app.version).
func CallbackURLsFor(a *config.App, providerName string, compat bool) []string {
	if a == nil {
		return nil
	}
	return joinBase(a.URL, CallbackPathsFor(a, providerName, compat))
}

// joinBase puts appURL's base in front of each path; nil when either is missing.
func joinBase(appURL string, paths []string) []string {
	base := baseURL(appURL)
	if base == "" || len(paths) == 0 {
		return nil
	}
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = base + p
	}
	return out
}

// SuggestRedirectURL is the redirect URL to propose for a new provider of the app at appURL: the one
// to register at the identity provider. For AList that is the callback path without the method
// query (GitHub accepts one callback URL and matches the query as a sub-path), or in compatibility
// mode the login callback. It returns "" when nothing can be suggested.
func SuggestRedirectURL(appKind, appURL, providerName string, compat bool) string {
	base := baseURL(appURL)
	if base == "" {
		return ""
	}
	if a, ok := app.AListKind(appKind, ""); ok {
		return base + a.RegisterPath(compat)
	}
	paths := CallbackPaths(appKind, providerName, compat)
	if len(paths) == 0 {
		return ""
	}
	return base + paths[0]
}

// SuggestRedirectURLFor is SuggestRedirectURL for a config's app block (app.url, app.kind and
// app.version).
func SuggestRedirectURLFor(a *config.App, providerName string, compat bool) string {
	if a == nil {
		return ""
	}
	if a.Kind != config.AppLobeChat {
		return SuggestRedirectURL(a.Kind, a.URL, providerName, compat)
	}
	if urls := CallbackURLsFor(a, providerName, compat); len(urls) > 0 {
		return urls[0]
	}
	return ""
}

// baseURL is appURL without a trailing slash, or "" when it is not an absolute http(s) URL: apps
// derive callbacks from their public origin and path prefix, never from a query or fragment.
func baseURL(appURL string) string {
	u, err := url.Parse(strings.TrimSpace(appURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.RawQuery, u.Fragment = "", ""
	return strings.TrimSuffix(u.String(), "/")
}

// fillProvider puts the provider's name into a callback path. Names are [a-z0-9][a-z0-9_-]*, so they
// need no escaping, and CallbackPaths(kind, "{provider}", ...) keeps the placeholder for display.
func fillProvider(path, name string) string {
	return strings.ReplaceAll(path, placeholderProvider, name)
}
