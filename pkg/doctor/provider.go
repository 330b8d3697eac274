package doctor

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/discovery"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// ProviderCheck is one configured provider to check online.
type ProviderCheck struct {
	// App is the config's app, for the redirect URIs it sends and the issuer form it needs.
	App      *config.App
	Provider config.Provider
	// Secret is the resolved client secret; SecretKnown is false when the configured secret could
	// not be resolved here (an unset variable), and the client probe is skipped.
	Secret      string
	SecretKnown bool
	// Now is the clock the Date header is compared with; time.Now when nil.
	Now func() time.Time
}

// ProviderReport is what CheckProvider found.
type ProviderReport struct {
	// Discovery is the discovery report, for OpenID Connect kinds with an issuer.
	Discovery *discovery.Report
	// Preflights are the redirect pre-flights, one per redirect URI the app sends.
	Preflights []PreflightResult
	// Client is the client probe's result.
	Client ClientProbeResult
	// Findings are every problem, DSC codes from discovery first, in the order checked; passed
	// checks are not findings.
	Findings []Finding
}

// CheckProvider runs everything `validate --online` checks for one provider, without a user and
// without logging anyone in: what `ssoctl discover` checks (discovery document, JWKS, clock), the
// issuer variants when discovery fails, the ID token signing algorithms against the app's
// (SigningAlgsForApp), the redirect pre-flight for each redirect URI the app sends (RedirectURIs),
// the client probe at the token endpoint, and whether the authorize and userinfo endpoints answer.
// Where the app's client is a plain OAuth 2.0 login of its own (app.Client.Plain: AList's platforms
// but OIDC), no discovery is read: its URLs (AppPlainLogin) are probed with its own authorize
// request, which carries no openid scope. Discovery's checks become findings with their DSC code and a severity from their status (fail
// error, warn warning, note note), about the field "issuer". Where the provider's flavour is known
// (configured, or detected from its discovery document), each provider-side fix is named in its
// terms (ProviderFixes).
func CheckProvider(ctx context.Context, client *http.Client, in ProviderCheck) ProviderReport {
	rep := checkProvider(ctx, client, in)
	var md *provider.Discovery
	if rep.Discovery != nil {
		md = rep.Discovery.Metadata
	}
	rep.Findings = ProviderFixes(rep.Findings, in.Provider, md)
	for i, pf := range rep.Preflights {
		if pf.Finding != nil {
			rep.Preflights[i].Finding = &ProviderFixes([]Finding{*pf.Finding}, in.Provider, md)[0]
		}
	}
	return rep
}

func checkProvider(ctx context.Context, client *http.Client, in ProviderCheck) ProviderReport {
	var rep ProviderReport
	p := in.Provider
	if client == nil {
		client = http.DefaultClient
	}
	ep, err := provider.Resolve(p)
	if err != nil {
		return rep // offline validation reports what is missing
	}
	kind := appKind(in.App)
	authURL, tokenURL, userinfoURL := ep.AuthorizeURL, ep.TokenURL, ep.UserinfoURL
	// The app's OAuth client (pkg/app), when app.kind names one: the pre-flight sends its request
	// (PKCE and nonce only where it does, its scopes), the client probe tries its methods first.
	oauth, hasClient := appClientOf(in.App, p.Type)
	scopes := ep.Scopes
	if hasClient {
		scopes = oauth.ScopesFor(ep.Scopes)
		rep.Findings = append(rep.Findings, ScopesForApp(oauth, p)...)
	}
	var supported, challengeMethods []string
	// The app's own plain OAuth 2.0 login (AList's platforms but OIDC) reads no discovery document
	// and goes to its own URLs (fixed, or built on the endpoint), moved only where the config moves
	// test-login's rehearsal: those are the endpoints to probe, with the app's scope (no openid).
	plainLogin, plain := AppPlainLogin(&oauth, p, ep)
	if plain {
		authURL, tokenURL, userinfoURL = plainLogin.AuthorizeURL, plainLogin.TokenURL, plainLogin.UserURL
	} else if hasClient && oauth.Plain != nil {
		return rep // no endpoint to build the app's URLs on: offline validation reports it
	}
	pr, _ := provider.Lookup(p.Type)
	if pr.OIDC && ep.Issuer != "" && !plain {
		dr, err := discovery.Inspect(ctx, ep.Issuer, discovery.Options{Client: client, Now: in.Now})
		if err != nil {
			return rep // not a URL: offline validation reports it
		}
		rep.Discovery = dr
		rep.Findings = append(rep.Findings, discoveryFindings(dr, p, kind)...)
		md := dr.Metadata
		if md == nil {
			if !answeredWrongly(dr) {
				return rep // no answer at all: the variants live on the same host
			}
			if m, ok := FindIssuer(ctx, client, ep.Issuer); ok {
				rep.Findings = append(rep.Findings, IssuerVariantFinding(ep.Issuer, m, kind))
			}
			return rep
		}
		if f := IssuerForApp(kind, md.Issuer); f != nil {
			rep.Findings = append(rep.Findings, *f)
		}
		if f := SigningAlgsForApp(kind, p.Type, md.IDTokenSigningAlgValuesSupported); f != nil {
			rep.Findings = append(rep.Findings, *f)
		}
		authURL, tokenURL, userinfoURL = first(authURL, md.AuthorizationEndpoint), first(tokenURL, md.TokenEndpoint), first(userinfoURL, md.UserinfoEndpoint)
		supported = md.TokenEndpointAuthMethodsSupported
		challengeMethods = md.CodeChallengeMethodsSupported
		if !contains(scopes, "openid") {
			scopes = append([]string{"openid"}, scopes...)
		}
	}

	redirects := RedirectURIs(in.App, p)
	if authURL != "" {
		if len(redirects) == 0 {
			if f := Reach(ctx, client, "authorize endpoint", authURL, "authorize_url"); f != nil {
				rep.Findings = append(rep.Findings, *f)
			}
		}
		for _, r := range redirects {
			req := AuthorizeRequest{AuthorizeURL: authURL, Type: p.Type, ClientID: p.ClientID, RedirectURI: r, Scopes: scopes, TokenURL: tokenURL}
			if hasClient {
				req.Client, req.PKCE = &oauth, oauth.SendsPKCE(p.PKCE, challengeMethods)
			}
			if plain {
				req.Plain = &plainLogin
			}
			if rep.Discovery != nil {
				req.setFlavor(p, rep.Discovery.Metadata)
			}
			res := Preflight(ctx, client, req)
			rep.Preflights = append(rep.Preflights, res)
			if res.Finding != nil {
				rep.Findings = append(rep.Findings, *res.Finding)
				if res.Outcome == OutcomeUnknown || res.Outcome == OutcomeNoAnswer {
					break // the same for every redirect URI
				}
			}
		}
	}
	unknownClient := false
	for _, r := range rep.Preflights {
		unknownClient = unknownClient || r.Outcome == OutcomeUnknown
	}
	// An unknown client fails the client probe too; one cause, one finding.
	if tokenURL != "" && !unknownClient && (in.SecretKnown || p.ClientSecret == "") {
		probe := ClientProbe{TokenURL: tokenURL, Type: p.Type, ClientID: p.ClientID, ClientSecret: in.Secret, Supported: supported}
		if hasClient {
			probe.Methods = oauth.MethodsTried(p.TokenEndpointAuthMethod, in.Secret != "", supported)
		}
		if len(redirects) > 0 {
			probe.RedirectURI = redirects[0]
		}
		rep.Client = ProbeClient(ctx, client, probe)
		f := rep.Client.Finding
		if hasClient && rep.Client.Accepted != "" {
			if af := ClientAuthForApp(oauth, p.ClientID, rep.Client.Accepted, p.TokenEndpointAuthMethod, in.Secret != "", supported); af != nil {
				f = af
			}
		}
		if f != nil {
			rep.Findings = append(rep.Findings, *f)
		}
	}
	if userinfoURL != "" {
		if f := Reach(ctx, client, "userinfo endpoint", userinfoURL, "userinfo_url"); f != nil {
			rep.Findings = append(rep.Findings, *f)
		}
	}
	if plain && !oauth.Plain.Fixed() {
		builtOnEndpoint(rep.Findings, oauth, p)
	}
	return rep
}

// builtOnEndpoint says, in the hint of a finding about an endpoint the app builds on its endpoint
// setting (AList's Casdoor URLs under sso_endpoint_name), which the config does not move, that the
// endpoint is what to change: the app has no setting for the URL itself, and reads no discovery.
func builtOnEndpoint(fs []Finding, c app.Client, p config.Provider) {
	configured := map[string]string{"authorize_url": p.AuthorizeURL, "token_url": p.TokenURL, "userinfo_url": p.UserinfoURL}
	for i, f := range fs {
		if v, ok := configured[f.Field]; !ok || v != "" || f.Code != CodeEndpointStatus {
			continue
		}
		fs[i].Hint = fmt.Sprintf("%s (%s) builds this URL from %s, the issuer here: set issuer to the %s origin (such as https://door.example.com), the value %s gets",
			c.App, c.Platform, c.Plain.Endpoint, c.Platform, c.Plain.Endpoint)
	}
}

// setFlavor fills in what the pre-flight reads from the provider's flavour (configured, or
// detected from md): its own error page, whether it requires PKCE, and its portal error codes;
// nothing for a provider that is not OpenID Connect or whose flavour is unknown.
func (req *AuthorizeRequest) setFlavor(p config.Provider, md *provider.Discovery) {
	fl, _, ok := provider.FlavorOf(p.Flavor, md)
	if !ok || p.Type != config.TypeOIDC {
		return
	}
	req.FlavorErrorPage, req.FlavorRequiresPKCE, req.PortalErrors = fl.ErrorPage, fl.PKCERequired, fl.PortalErrors
}

// appClientOf is the app's OAuth client for providers of type typ; false for the generic app, an
// app without a login for typ, or an app block that does not resolve (validate reports it).
func appClientOf(a *config.App, typ string) (app.Client, bool) {
	t, err := app.Resolve(a)
	if err != nil {
		return app.Client{}, false
	}
	return app.ClientFor(t, typ)
}

// discoveryFindings turns discovery's checks that did not pass into findings. DSC020 gets the value
// to paste and what the app needs; for a Microsoft issuer derived from the tenant, Entra's
// multi-tenant template issuer is not a mismatch.
func discoveryFindings(dr *discovery.Report, p config.Provider, kind string) []Finding {
	var out []Finding
	for _, c := range dr.Checks {
		if c.Status == discovery.StatusPass {
			continue
		}
		if c.Code == discovery.CodeIssuer && dr.Metadata != nil && p.Type == config.TypeMicrosoft && p.Issuer == "" &&
			provider.CheckIssuer(p.Type, dr.Issuer, true, dr.Metadata) == nil {
			continue
		}
		f := Finding{Code: c.Code, Severity: severityOf(c.Status), Field: "issuer", Message: c.Message, Hint: c.Hint,
			Expected: c.Expected, Actual: c.Actual}
		switch c.Code {
		case discovery.CodeIssuer:
			f.ExpectedLabel, f.ActualLabel = "discovery", "configured"
			f.Fix = "issuer: " + c.Expected
			if setting, value, why, ok := AppIssuer(kind, c.Expected); ok {
				f.Hint += "; " + appTitle(kind) + "'s " + setting + " must then be " + value + " (" + why + ")"
			}
		case discovery.CodeWellKnownURL:
			f.Fix = "issuer: " + dr.Issuer
		case discovery.CodeSigningAlgs, discovery.CodeNoSigningKey:
			// An HMAC-only or unsigned provider, or a JWKS without a public key: the signing key is
			// chosen at the provider.
			general := "authentik: select a signing key in the provider's settings"
			if !strings.Contains(f.Hint, general) {
				general = ""
			}
			f = f.providerSide(provider.FixSigningKey, general)
		}
		out = append(out, f)
	}
	return out
}

// answeredWrongly says the discovery URL answered, but not with a discovery document (a 404, a web
// page, other JSON): the case where a variant of the issuer may work.
func answeredWrongly(dr *discovery.Report) bool {
	for _, code := range []string{discovery.CodeHTTPStatus, discovery.CodeHTML, discovery.CodeNotJSON, discovery.CodeNotMetadata} {
		if c, ok := dr.Find(code); ok && c.Status == discovery.StatusFail {
			return true
		}
	}
	return false
}

func severityOf(s discovery.Status) Severity {
	switch s {
	case discovery.StatusFail:
		return SeverityError
	case discovery.StatusWarn:
		return SeverityWarning
	}
	return SeverityNote
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
