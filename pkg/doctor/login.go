package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// LoginCheck is what a login's pre-flight needs.
type LoginCheck struct {
	Provider config.Provider
	// Endpoints are the provider's resolved endpoints (provider.Resolve).
	Endpoints provider.Endpoints
	// RedirectURI is the exact redirect URI the login will send.
	RedirectURI string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Client is the app's OAuth client the login rehearses (pkg/app); nil for ssoctl's strict one.
	Client *app.Client
	// ClientSecret is the resolved secret, for the app's own next step after a refused authorize
	// request (app.Client.ExchangesAfterAuthorizeError); "" for a public client.
	ClientSecret string
}

// LoginCheckResult is what the pre-flight learned.
type LoginCheckResult struct {
	// Metadata is the discovery document, for OpenID Connect kinds whose discovery worked.
	Metadata *provider.Discovery `json:"-"`
	// ClockOffset is the provider's clock minus this machine's, from the discovery answer's Date header.
	ClockOffset *time.Duration `json:"-"`
	// Preflight is the authorize endpoint's answer; its Outcome is "" when no pre-flight ran
	// (discovery failed: the login reports that itself).
	Preflight PreflightResult `json:"preflight"`
}

// CheckLogin runs what test-login runs before it opens a browser: for OpenID Connect kinds the
// discovery document (for the authorize endpoint, scopes_supported and the Date header), then the
// redirect pre-flight with the login's exact redirect URI. It never fails by itself; the result's
// Preflight.Finding says what is wrong.
func CheckLogin(ctx context.Context, client *http.Client, in LoginCheck) LoginCheckResult {
	var res LoginCheckResult
	if in.Now == nil {
		in.Now = time.Now
	}
	ep := in.Endpoints
	authURL := ep.AuthorizeURL
	scopes := slices.Clone(ep.Scopes)
	if in.Client != nil {
		scopes = in.Client.ScopesFor(ep.Scopes)
	}
	var challengeMethods []string
	// The app's own plain OAuth 2.0 login (AList's platforms): its authorize URL, as test-login
	// rehearses it (the configured authorize_url only where the config moves it), its scope
	// without openid, its own extra parameters, and no discovery.
	plainLogin, plain := AppPlainLogin(in.Client, in.Provider, ep)
	if plain {
		authURL = plainLogin.AuthorizeURL
	} else if in.Client != nil && !in.Client.Strict && in.Client.Plain != nil {
		return res // no endpoint to build the app's URLs on: the login says so
	}
	if pr, ok := provider.Lookup(in.Provider.Type); ok && pr.OIDC && ep.Issuer != "" && !plain {
		md, offset, err := fetchMetadata(ctx, client, ep.Issuer, in.Now)
		if err != nil {
			return res
		}
		res.Metadata, res.ClockOffset = md, offset
		challengeMethods = md.CodeChallengeMethodsSupported
		if authURL == "" || in.Client != nil && in.Client.EndpointsFromDiscovery {
			authURL = md.AuthorizationEndpoint
		}
		if !slices.Contains(scopes, "openid") {
			scopes = append([]string{"openid"}, scopes...)
		}
	}
	if authURL == "" || in.RedirectURI == "" {
		return res
	}
	req := AuthorizeRequest{AuthorizeURL: authURL, Type: in.Provider.Type,
		ClientID: in.Provider.ClientID, RedirectURI: in.RedirectURI, Scopes: scopes, TokenURL: ep.TokenURL, Client: in.Client}
	if in.Client != nil {
		req.PKCE = in.Client.SendsPKCE(in.Provider.PKCE, challengeMethods)
	}
	if plain {
		req.Plain = &plainLogin
	}
	req.setFlavor(in.Provider, res.Metadata)
	res.Preflight = Preflight(ctx, client, req)
	tokenURL := ep.TokenURL
	if tokenURL == "" && res.Metadata != nil {
		tokenURL = res.Metadata.TokenEndpoint
	}
	// Only an error redirect reaches the app; a refusal on the provider's own page never does.
	if f := res.Preflight.Finding; f != nil && f.Code == CodePKCERequired && res.Preflight.Location != "" && in.Client.ExchangesAfterAuthorizeError && tokenURL != "" {
		if said := login.ExchangeMissingCode(ctx, client, *in.Client, tokenURL, in.Provider.ClientID, in.ClientSecret, in.RedirectURI); said != "" {
			f.Message += fmt.Sprintf("; %s then redeems the missing code anyway and shows its user the token endpoint's answer: %s", in.Client.App, said)
		}
	}
	if f := res.Preflight.Finding; f != nil {
		*f = ProviderFixes([]Finding{*f}, in.Provider, res.Metadata)[0]
	}
	return res
}

// AppPlainLogin is the app's own plain OAuth 2.0 login (app.Client.Plain: AList's and OpenList's
// Github, Microsoft, Google, Dingtalk and Casdoor platforms) for provider p, where test-login
// rehearses it: its URLs built on the endpoint (the issuer, AList's sso_endpoint_name) where the app
// builds them, then moved to the configured authorize_url, token_url and userinfo_url where the
// config sets them (app.PlainLogin.Moved, as pkg/login's rehearsal does). ok is false for the strict
// client, an OpenID Connect client, or a login built on an endpoint p does not name.
func AppPlainLogin(c *app.Client, p config.Provider, ep provider.Endpoints) (app.PlainLogin, bool) {
	if c == nil || c.Strict || c.Plain == nil {
		return app.PlainLogin{}, false
	}
	endpoint := first(p.Issuer, ep.Issuer)
	if !c.Plain.Fixed() && endpoint == "" {
		return app.PlainLogin{}, false
	}
	l, _ := c.Plain.Resolve(endpoint).Moved(p.AuthorizeURL, p.TokenURL, p.UserinfoURL)
	return l, true
}

// fetchMetadata reads the discovery document and the answer's Date header.
func fetchMetadata(ctx context.Context, client *http.Client, issuer string, now func() time.Time) (*provider.Discovery, *time.Duration, error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, provider.DiscoveryURL(issuer), nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	a := readAnswer(resp)
	if a.status != http.StatusOK {
		return nil, nil, fmt.Errorf("discovery answered %s", a.statusText)
	}
	var d provider.Discovery
	if err := json.Unmarshal(a.body, &d); err != nil {
		return nil, nil, err
	}
	var offset *time.Duration
	if o, ok := DateOffset(a.date, now()); ok {
		offset = &o
	}
	return &d, offset, nil
}

// RedirectURIs are the exact redirect URIs the app sends for the provider: the app kind's callbacks
// at app.url (provider.CallbackURLsFor), else the configured redirect_url; nil when neither is known.
func RedirectURIs(app *config.App, p config.Provider) []string {
	if app != nil {
		if urls := provider.CallbackURLsFor(app, p.Name, p.CompatMode); len(urls) > 0 {
			return urls
		}
	}
	if p.RedirectURL != "" {
		return []string{p.RedirectURL}
	}
	return nil
}
