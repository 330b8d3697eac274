package doctor

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/discovery"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// IssuerVariants are the forms an issuer is commonly mistyped in, in the order they are tried: the
// pasted discovery URL stripped, the trailing slash toggled, Keycloak's legacy /auth prefix added
// or removed (with the slash toggled too).
func IssuerVariants(issuer string) []string {
	var out []string
	add := func(s string) {
		if s != "" && s != issuer {
			for _, o := range out {
				if o == s {
					return
				}
			}
			out = append(out, s)
		}
	}
	base := issuer
	if b, ok := strings.CutSuffix(strings.TrimSuffix(issuer, "/"), discovery.WellKnownPath); ok {
		base = b
		add(b)
	}
	toggle := func(s string) string {
		if strings.HasSuffix(s, "/") {
			return strings.TrimSuffix(s, "/")
		}
		return s + "/"
	}
	add(toggle(base))
	var legacy string
	switch {
	case strings.Contains(base, "/auth/realms/"):
		legacy = strings.Replace(base, "/auth/realms/", "/realms/", 1)
	case strings.Contains(base, "/realms/"):
		legacy = strings.Replace(base, "/realms/", "/auth/realms/", 1)
	}
	if legacy != "" {
		add(legacy)
		add(toggle(legacy))
	}
	return out
}

// IssuerMatch is a variant whose discovery document was found.
type IssuerMatch struct {
	// Tried is the variant whose discovery URL answered.
	Tried string `json:"tried"`
	// Issuer is the issuer its document names: the value to configure.
	Issuer string `json:"issuer"`
}

// FindIssuer tries the variants of an issuer whose discovery document could not be fetched and
// returns the first that serves one.
func FindIssuer(ctx context.Context, client *http.Client, configured string) (IssuerMatch, bool) {
	if client == nil {
		client = http.DefaultClient
	}
	for _, v := range IssuerVariants(configured) {
		if ctx.Err() != nil {
			break
		}
		d, err := provider.Discover(ctx, client, v)
		if err == nil && d.Issuer != "" {
			return IssuerMatch{Tried: v, Issuer: d.Issuer}, true
		}
	}
	return IssuerMatch{}, false
}

// IssuerVariantFinding is DOC030: discovery fails at the configured issuer, but m works.
func IssuerVariantFinding(configured string, m IssuerMatch, appKind string) Finding {
	f := newFinding(CodeIssuerVariant, "issuer",
		fmt.Sprintf("there is no discovery document at the configured issuer %s, but %s serves one, for issuer %s", configured, provider.DiscoveryURL(m.Tried), m.Issuer),
		issuerHint(configured, m.Issuer, appKind))
	f.Expected, f.Actual = m.Issuer, configured
	f.ExpectedLabel, f.ActualLabel = "discovery", "configured"
	f.Fix = "issuer: " + m.Issuer
	return f
}

// AppIssuer says what the app kind's issuer setting needs, given the issuer the discovery document
// names: the setting's name, the exact value, and why. It returns ok false for apps without an
// issuer setting ssoctl knows.
func AppIssuer(appKind, discovered string) (setting, value, why string, ok bool) {
	switch appKind {
	case config.AppAList:
		return "sso_endpoint_name", discovered, "AList's go-oidc compares it with the discovery document's issuer byte for byte", true
	case config.AppLobeChat:
		why := "Auth.js compares it with the discovery document's issuer exactly"
		if strings.HasSuffix(discovered, "/") {
			why += ", so keep the trailing slash the provider publishes although Auth.js's documentation shows issuers without one"
		}
		return "AUTH_<PROVIDER>_ISSUER", discovered, why, true
	case config.AppInvenTree:
		return "server_url", provider.DiscoveryURL(discovered),
			"django-allauth appends /.well-known/openid-configuration to server_url unless it holds /.well-known/ already (an issuer with a trailing slash would become …//.well-known), so give it the discovery document's URL", true
	case config.AppPhotoPrism:
		return "PHOTOPRISM_OIDC_URI", discovered, "PhotoPrism discovers the provider from it and checks tokens against it", true
	}
	return "", "", "", false
}

// IssuerForApp is DOC031 when the app's issuer setting takes another value than the issuer itself
// (InvenTree's discovery URL), or a form people get wrong (LobeChat with a trailing slash); nil
// otherwise.
func IssuerForApp(appKind, discovered string) *Finding {
	setting, value, why, ok := AppIssuer(appKind, discovered)
	if !ok || discovered == "" || (value == discovered && !(appKind == config.AppLobeChat && strings.HasSuffix(discovered, "/"))) {
		return nil
	}
	f := newFinding(CodeIssuerForApp, "issuer", fmt.Sprintf("%s's %s must be %s: %s", appTitle(appKind), setting, value, why),
		`"ssoctl export" writes it so`)
	f.Fix = value
	return &f
}

// TokenIssuerFinding is DOC032: the ID token's iss, the configured issuer and the discovery
// document's (empty when unknown) side by side, byte for byte.
func TokenIssuerFinding(configured, discovered, tokenIss, appKind string) Finding {
	want := discovered
	if want == "" {
		want = configured
	}
	msg := fmt.Sprintf("the ID token's iss %q differs from the configured issuer %q", tokenIss, configured)
	switch {
	case discovered == configured:
		msg = fmt.Sprintf("the ID token's iss %q differs from the issuer %q that the config and the discovery document agree on", tokenIss, configured)
	case discovered != "":
		msg = fmt.Sprintf("the configured issuer %q, the discovery document's %q and the ID token's iss %q are not all equal", configured, discovered, tokenIss)
	}
	var hint, fix string
	switch {
	case discovered != "" && tokenIss == discovered:
		fix = "issuer: " + discovered
		hint = issuerHint(configured, discovered, appKind)
	case discovered != "" && tokenIss != discovered:
		hint = "the provider names itself differently in its discovery document and in its tokens: set its external URL (hostname, X-Forwarded-Proto behind a proxy) so that both say the URL users reach it at; every app checking tokens fails until then"
	default:
		fix = "issuer: " + tokenIss
		hint = issuerHint(configured, tokenIss, appKind)
	}
	f := newFinding(CodeTokenIssuer, "issuer", msg, hint)
	f.Expected, f.Actual = want, tokenIss
	f.ExpectedLabel, f.ActualLabel = "issuer", "token iss"
	if discovered != "" {
		f.ExpectedLabel = "discovery"
	}
	f.Fix = fix
	return f
}

// DiscoveryIssuerFinding is DOC032 before any token: the configured issuer and the discovery
// document's differ, byte for byte.
func DiscoveryIssuerFinding(configured, discovered, appKind string) Finding {
	f := newFinding(CodeTokenIssuer, "issuer",
		fmt.Sprintf("the configured issuer %q differs from the discovery document's %q, so every token's iss will too", configured, discovered),
		issuerHint(configured, discovered, appKind))
	f.Expected, f.Actual = discovered, configured
	f.ExpectedLabel, f.ActualLabel = "discovery", "configured"
	f.Fix = "issuer: " + discovered
	return f
}

// issuerHint is discovery's explanation of the difference plus what the app needs.
func issuerHint(given, disc, appKind string) string {
	hint := discovery.IssuerHint(given, disc)
	if setting, value, why, ok := AppIssuer(appKind, disc); ok {
		hint += fmt.Sprintf("; %s's %s must then be %s (%s)", appTitle(appKind), setting, value, why)
	}
	return hint
}

func appTitle(kind string) string {
	if a, ok := provider.LookupApp(kind); ok {
		return a.Title
	}
	return kind
}
