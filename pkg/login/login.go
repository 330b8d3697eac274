// Package login is the test-login use case: one OAuth 2.0 authorization-code login with PKCE S256, a
// fresh state and nonce, through a loopback callback (or a pasted callback URL), followed by the
// code exchange, verification of the ID token (every check named), and the userinfo request. Each
// step is reported as it happens, with its duration, and the result is a Report.
//
// Dependencies come in through Input: the HTTP client, the browser, the clock, the reporter. Run
// never prints; the command decides what goes where.
package login

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/loopback"
)

// Browser opens the authorize URL; cmdutil.Browser satisfies it.
type Browser interface {
	Browse(url string) error
}

// Reporter hears about the login as it happens; the command prints it on stderr.
type Reporter interface {
	// Step reports a finished step: its name, how long it took and what it found.
	Step(name string, d time.Duration, detail string)
	// Warn reports something the user should know that does not stop the login.
	Warn(msg string)
	// Waiting says the login now waits for the user (the browser or a paste).
	Waiting(msg string)
}

// Mapper turns the verified identity into the app's user (username, roles, groups, permissions,
// registration decision). The mapping package provides it; when Input.Mapper is nil the report's
// User stays empty and no mapping step runs.
type Mapper interface {
	Map(ctx context.Context, id Identity) (any, error)
}

// Identity is what the login proved about the user.
type Identity struct {
	Provider config.Provider
	// Claims are the verified ID token's claims.
	Claims map[string]any
	// Userinfo is the userinfo document; nil when the provider has no userinfo endpoint.
	Userinfo map[string]any
}

// Input is everything one login needs.
type Input struct {
	// Provider is the configured provider (type, client_id, redirect_url, scopes, issuer, ...).
	Provider config.Provider
	// Endpoints, when set, are the provider's resolved endpoints and scopes (pkg/provider knows the
	// platforms); when nil they are derived from Provider.
	Endpoints *Endpoints
	// ClientSecret is the resolved client secret; "" for a public client.
	ClientSecret string

	// HTTPClient talks to the provider (it trusts --ca-file); nil means http.DefaultClient.
	HTTPClient *http.Client
	// Browser opens the authorize URL; nil means do not open one (--no-browser, --paste).
	Browser Browser
	// Reporter hears each step; nil means nobody listens.
	Reporter Reporter
	// Mapper maps the identity to the app user; nil means no mapping step.
	Mapper Mapper
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// Listen is --listen HOST:PORT for the callback listener.
	Listen string
	// RedirectURL is --redirect-url: the redirect URI to send instead of the provider's.
	RedirectURL string
	// Paste, when set, is where the callback URL is read from (--paste) instead of a listener.
	Paste io.Reader
	// Prompt is the OIDC prompt parameter (login, consent, ...); "" sends none.
	Prompt string
	// LoginHint is the OIDC login_hint parameter; "" sends none.
	LoginHint string
	// Timeout bounds the whole login; 0 means no bound beyond ctx.
	Timeout time.Duration
	// Reveal puts the tokens into the report.
	Reveal bool
	// ClockSkew is how far iat may lie in the future; 0 means DefaultClockSkew.
	ClockSkew time.Duration
	// MaxBodyBytes bounds every response body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
}

// Report is the result of a login: every step, the verified claims, the userinfo document and what
// the provider granted. Tokens appear only when Input.Reveal is set; the client secret never does.
type Report struct {
	Provider    string `json:"provider"`
	Type        string `json:"type"`
	Issuer      string `json:"issuer,omitempty"`
	ClientID    string `json:"clientId"`
	RedirectURL string `json:"redirectUrl,omitempty"`
	// ClientAuth is how ssoctl authenticated at the token endpoint (client_secret_basic,
	// client_secret_post, none).
	ClientAuth string `json:"clientAuth,omitempty"`
	// Steps are the steps that finished, in order.
	Steps []Step `json:"steps"`
	// RequestedScopes were sent; GrantedScopes came back in the token response (when the provider
	// omits "scope", RFC 6749 §5.1 says the requested ones were granted: GrantedScopesListed is false).
	RequestedScopes     []string `json:"requestedScopes"`
	GrantedScopes       []string `json:"grantedScopes"`
	GrantedScopesListed bool     `json:"grantedScopesListed"`
	// RefreshToken says whether the provider issued a refresh token; it is never assumed.
	RefreshToken bool   `json:"refreshToken"`
	TokenType    string `json:"tokenType,omitempty"`
	ExpiresIn    int64  `json:"expiresIn,omitempty"`
	// IDToken is the verified ID token: header, claims and the checks that passed.
	IDToken *IDTokenReport `json:"idToken,omitempty"`
	// Userinfo is the userinfo document as the provider sent it.
	Userinfo map[string]any `json:"userinfo,omitempty"`
	// User is the mapped app user, filled by Input.Mapper (pkg/mapping); null until mapping runs.
	User any `json:"user"`
	// Tokens holds the raw tokens, only with Input.Reveal.
	Tokens *Tokens `json:"tokens,omitempty"`
}

// Step is one finished step of the login.
type Step struct {
	Name       string  `json:"name"`
	DurationMS float64 `json:"durationMs"`
	Detail     string  `json:"detail,omitempty"`
}

// IDTokenReport describes the verified ID token.
type IDTokenReport struct {
	Header Header         `json:"header"`
	Claims map[string]any `json:"claims"`
	// Checks lists the checks that passed, in order (signature ALG, exp, iss, aud, azp, iat, nonce,
	// at_hash).
	Checks []string `json:"checks"`
}

// Tokens are the raw tokens (--reveal only).
type Tokens struct {
	AccessToken  string `json:"accessToken,omitempty"`
	IDToken      string `json:"idToken,omitempty"`
	RefreshToken string `json:"refreshToken,omitempty"`
}

// Run performs one login and returns its report. On failure the report holds the steps that
// finished and the error says which step or check failed (*Error, *TimeoutError,
// *UnsupportedTypeError, or a loopback error); context.Canceled comes back when ctx was cancelled.
func Run(ctx context.Context, in Input) (*Report, error) {
	r := &run{in: in, rep: &Report{
		Provider: in.Provider.Name,
		Type:     in.Provider.Type,
		ClientID: in.Provider.ClientID,
		Steps:    []Step{},
	}}
	r.defaults()
	runCtx := ctx
	if in.Timeout > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, in.Timeout)
		defer cancel()
	}
	err := r.do(runCtx)
	if err != nil {
		err = r.explain(ctx, runCtx, err)
	}
	return r.rep, err
}

type run struct {
	in   Input
	rep  *Report
	step string // the step in progress, for timeout messages
}

func (r *run) defaults() {
	if r.in.Now == nil {
		r.in.Now = time.Now
	}
	if r.in.Reporter == nil {
		r.in.Reporter = nopReporter{}
	}
	if r.in.ClockSkew == 0 {
		r.in.ClockSkew = DefaultClockSkew
	}
	if r.in.MaxBodyBytes == 0 {
		r.in.MaxBodyBytes = DefaultMaxBodyBytes
	}
}

// explain turns context errors into the user's terms and makes sure no message carries the secret.
func (r *run) explain(parent, runCtx context.Context, err error) error {
	if parent.Err() != nil {
		// Interrupted (Ctrl-C): the root command maps this to exit 130.
		return fmt.Errorf("%s: %w", r.step, context.Canceled)
	}
	if runCtx.Err() == context.DeadlineExceeded {
		var le *Error
		if !errors.As(err, &le) || le.Check == "" {
			err = &TimeoutError{Step: r.step, Timeout: r.in.Timeout}
		}
	}
	if s := r.in.ClientSecret; s != "" && strings.Contains(err.Error(), s) {
		err = &Error{Step: r.step, Message: strings.ReplaceAll(err.Error(), s, config.Redacted), HintText: hintOf(err)}
	}
	return err
}

func hintOf(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}

// begin starts a step; the returned func reports it done.
func (r *run) begin(name string) func(detail string) {
	r.step = name
	start := r.in.Now()
	return func(detail string) {
		d := r.in.Now().Sub(start)
		r.rep.Steps = append(r.rep.Steps, Step{Name: name, DurationMS: float64(d.Microseconds()) / 1000, Detail: detail})
		r.in.Reporter.Step(name, d, detail)
	}
}

// metadata is the part of the discovery document a login uses.
type metadata struct {
	Issuer                    string   `json:"issuer"`
	AuthorizationEndpoint     string   `json:"authorization_endpoint"`
	TokenEndpoint             string   `json:"token_endpoint"`
	UserinfoEndpoint          string   `json:"userinfo_endpoint"`
	JWKSURI                   string   `json:"jwks_uri"`
	IDTokenSigningAlgs        []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethods  []string `json:"token_endpoint_auth_methods_supported"`
	CodeChallengeMethods      []string `json:"code_challenge_methods_supported"`
	AuthorizationResponseIss  bool     `json:"authorization_response_iss_parameter_supported"`
	ScopesSupported           []string `json:"scopes_supported"`
	ResponseTypesSupported    []string `json:"response_types_supported"`
	GrantTypesSupported       []string `json:"grant_types_supported"`
	SubjectTypesSupported     []string `json:"subject_types_supported"`
	ClaimsSupported           []string `json:"claims_supported"`
	EndSessionEndpoint        string   `json:"end_session_endpoint"`
	RevocationEndpoint        string   `json:"revocation_endpoint"`
	IntrospectionEndpoint     string   `json:"introspection_endpoint"`
	RequestParameterSupported bool     `json:"request_parameter_supported"`
}

func (r *run) do(ctx context.Context) error {
	in := r.in
	ep := in.Endpoints
	if ep == nil {
		e, err := resolveEndpoints(in.Provider)
		if err != nil {
			return err
		}
		ep = &e
	} else if !slices.Contains(oidcTypes, in.Provider.Type) {
		return &UnsupportedTypeError{Type: in.Provider.Type}
	}
	if in.Provider.ClientID == "" {
		return &Error{Step: "config", Message: fmt.Sprintf("provider %q has no client_id", in.Provider.Name),
			HintText: "copy the client ID from the application's page at the provider into client_id"}
	}
	scopes := slices.Clone(ep.Scopes)
	if !slices.Contains(scopes, oidc.ScopeOpenID) {
		scopes = append([]string{oidc.ScopeOpenID}, scopes...)
		in.Reporter.Warn(fmt.Sprintf("the provider's scopes %v lack \"openid\", without which there is no ID token; added it for this test (add it to scopes in the config too)", ep.Scopes))
	}
	r.rep.RequestedScopes = scopes

	client := boundedClient(in.HTTPClient, in.MaxBodyBytes)
	ctx = oidc.ClientContext(ctx, client)

	// Discovery. The issuer is compared here, with a hint, rather than inside go-oidc.
	done := r.begin("discovery")
	dctx := oidc.InsecureIssuerURLContext(ctx, ep.Issuer)
	op, err := oidc.NewProvider(dctx, ep.Issuer)
	if err != nil {
		return discoveryError(ep.Issuer, err)
	}
	var md metadata
	if err := op.Claims(&md); err != nil {
		return &Error{Step: "discovery", Message: "the discovery document cannot be decoded: " + err.Error(), Err: err}
	}
	var template string
	switch {
	case md.Issuer == ep.Issuer:
	case in.Provider.Type == config.TypeMicrosoft && strings.Contains(md.Issuer, microsoftTenantPlaceholder):
		template = md.Issuer
	default:
		return checkError("discovery", "issuer", ep.Issuer, md.Issuer,
			fmt.Sprintf("discovery issuer check failed: the configured issuer is %q, the discovery document says %q", ep.Issuer, md.Issuer),
			issuerHint(ep.Issuer, md.Issuer))
	}
	r.rep.Issuer = ep.Issuer
	authURL, tokenURL, userinfoURL := first(ep.AuthorizeURL, md.AuthorizationEndpoint), first(ep.TokenURL, md.TokenEndpoint), first(ep.UserinfoURL, md.UserinfoEndpoint)
	if authURL == "" || tokenURL == "" || md.JWKSURI == "" {
		return &Error{Step: "discovery", Message: fmt.Sprintf("the discovery document of %s lacks authorization_endpoint, token_endpoint or jwks_uri", ep.Issuer),
			HintText: "the provider is not a complete OpenID provider; set authorize_url and token_url in the config"}
	}
	detail := "issuer " + md.Issuer
	if template != "" {
		detail += " (tenant template: iss is checked against the token's tid)"
	}
	done(detail)

	// JWKS, fetched up front so the report shows the keys and signature failures can name them.
	done = r.begin("jwks")
	keys := &keySet{url: md.JWKSURI, secret: in.ClientSecret}
	if err := keys.fetch(ctx, client); err != nil {
		return &Error{Step: "jwks", Message: fmt.Sprintf("cannot fetch the issuer's signing keys: %v", err), HintText: netHint(err), Err: err}
	}
	done(keys.describe())

	// PKCE, state, nonce: fresh for every login.
	if len(md.CodeChallengeMethods) > 0 && !slices.Contains(md.CodeChallengeMethods, "S256") {
		in.Reporter.Warn(fmt.Sprintf("the provider lists code_challenge_methods_supported %v without S256; sending S256 anyway", md.CodeChallengeMethods))
	}
	verifier := oauth2.GenerateVerifier()
	state, nonce := randomString(), randomString()

	// The callback: a loopback listener, or a pasted URL.
	var srv *loopback.Server
	var redirect string
	if in.Paste != nil {
		redirect = pasteRedirect(in)
	} else {
		cfgRedirect := in.RedirectURL
		if cfgRedirect == "" && loopback.IsLoopbackURL(in.Provider.RedirectURL) {
			cfgRedirect = in.Provider.RedirectURL
		}
		srv, err = loopback.Start(loopback.Config{RedirectURL: cfgRedirect, Listen: in.Listen, State: state})
		if err != nil {
			return err
		}
		defer srv.Close()
		redirect = srv.RedirectURL()
	}
	r.rep.RedirectURL = redirect
	if !sameRegistration(in.Provider.RedirectURL, redirect) {
		in.Reporter.Warn(fmt.Sprintf("the provider must have this redirect URL registered for client %s: %s", in.Provider.ClientID, redirect))
	}

	authStyle, authName := clientAuth(in.ClientSecret, md.TokenEndpointAuthMethods)
	r.rep.ClientAuth = authName
	conf := &oauth2.Config{
		ClientID:     in.Provider.ClientID,
		ClientSecret: in.ClientSecret,
		Endpoint:     oauth2.Endpoint{AuthURL: authURL, TokenURL: tokenURL, AuthStyle: authStyle},
		RedirectURL:  redirect,
		Scopes:       scopes,
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)}
	if in.Prompt != "" {
		opts = append(opts, oauth2.SetAuthURLParam("prompt", in.Prompt))
	}
	if in.LoginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", in.LoginHint))
	}
	authorize := conf.AuthCodeURL(state, opts...)
	r.begin("authorize URL")(authorize)

	start := in.Now()
	if in.Browser != nil {
		done = r.begin("browser")
		if err := in.Browser.Browse(authorize); err != nil {
			in.Reporter.Warn(fmt.Sprintf("cannot open a browser (%v); open the authorize URL above yourself", err))
		} else {
			done("opened")
		}
	}

	// Wait for the user.
	r.step = "callback"
	var cb *loopback.Callback
	if in.Paste != nil {
		in.Reporter.Waiting("log in with the URL above in any browser, then paste the whole URL the browser ends on (it may show an error page) and press Enter")
		cb, err = readPaste(ctx, in.Paste, state, redirect)
	} else {
		in.Reporter.Waiting("waiting for the browser to come back to " + redirect)
		cb, err = srv.Wait(ctx)
	}
	if err != nil {
		var se *loopback.StateError
		if errors.As(err, &se) {
			return &Error{Step: "callback", Check: "state", Actual: se.Got, Message: se.Error(), HintText: se.Hint(), Err: err}
		}
		var ae *loopback.AuthError
		if errors.As(err, &ae) {
			return &Error{Step: "callback", Check: "error response", Actual: ae.Code, Message: ae.Error(), HintText: ae.Hint(), Err: err}
		}
		return err
	}
	r.rep.Steps = append(r.rep.Steps, Step{Name: "callback", DurationMS: float64(in.Now().Sub(start).Microseconds()) / 1000, Detail: "authorization code received"})
	in.Reporter.Step("callback", in.Now().Sub(start), "authorization code received")
	r.begin("state")("matches the state sent")

	// RFC 9207: the iss parameter names the issuer that answered (mix-up defence).
	done = r.begin("iss parameter")
	switch {
	case cb.Iss != "" && template == "" && cb.Iss != md.Issuer:
		return checkError("callback", "iss parameter", md.Issuer, cb.Iss,
			fmt.Sprintf("callback issuer check (RFC 9207) failed: expected %q, got %q", md.Issuer, cb.Iss),
			"the authorization response came from another issuer than the one configured (an IdP mix-up); the code was not redeemed")
	case cb.Iss == "" && md.AuthorizationResponseIss:
		return checkError("callback", "iss parameter", md.Issuer, "",
			"callback issuer check (RFC 9207) failed: the provider announces authorization_response_iss_parameter_supported but the callback has no iss parameter",
			"the callback did not come from this provider, or a proxy strips parameters; the code was not redeemed")
	case cb.Iss != "":
		done("matches the issuer")
	default:
		done("not sent by the provider (RFC 9207 is optional)")
	}

	// Code exchange.
	done = r.begin("code exchange")
	tok, err := conf.Exchange(ctx, cb.Code, oauth2.VerifierOption(verifier))
	if err != nil {
		return exchangeError(err, in.ClientSecret, authName, md.TokenEndpointAuthMethods)
	}
	r.rep.TokenType = tok.TokenType
	r.rep.ExpiresIn = tok.ExpiresIn
	r.rep.RefreshToken = tok.RefreshToken != ""
	if s, ok := tok.Extra("scope").(string); ok && s != "" {
		r.rep.GrantedScopes = strings.Fields(s)
		r.rep.GrantedScopesListed = true
	} else {
		r.rep.GrantedScopes = slices.Clone(scopes)
	}
	refresh := "no refresh token"
	if r.rep.RefreshToken {
		refresh = "refresh token issued"
	}
	done(fmt.Sprintf("client auth %s; token_type %s, expires_in %ds; %s", authName, tok.TokenType, tok.ExpiresIn, refresh))

	rawID, _ := tok.Extra("id_token").(string)
	if in.Reveal {
		r.rep.Tokens = &Tokens{AccessToken: tok.AccessToken, IDToken: rawID, RefreshToken: tok.RefreshToken}
	}
	if rawID == "" {
		return &Error{Step: "id token", Check: "present", Message: "the token response has no id_token",
			HintText: "the provider did not treat this as an OpenID Connect login: request the openid scope and check that the client is an OIDC client"}
	}

	// ID token.
	done = r.begin("id token")
	v := &idTokenVerifier{
		issuer: md.Issuer, issuerTemplate: template, clientID: in.Provider.ClientID, nonce: nonce,
		now: in.Now, skew: in.ClockSkew, discoveredAlgs: md.IDTokenSigningAlgs, keys: keys,
	}
	vt, err := v.verify(ctx, rawID, tok.AccessToken)
	if vt != nil && vt.header.Alg != "" {
		r.rep.IDToken = &IDTokenReport{Header: vt.header, Claims: vt.claims, Checks: vt.checks}
	}
	if err != nil {
		if r.rep.IDToken != nil {
			// Claims of a token that failed verification are not evidence of anything.
			r.rep.IDToken.Claims = nil
		}
		return err
	}
	kid := ""
	if vt.header.Kid != "" {
		kid = " kid " + vt.header.Kid
	}
	done(fmt.Sprintf("%s%s; checks passed: %s", vt.header.Alg, kid, strings.Join(vt.checks, ", ")))

	// Userinfo.
	var userinfo map[string]any
	if userinfoURL != "" {
		done = r.begin("userinfo")
		userinfo, err = fetchUserinfo(ctx, client, userinfoURL, tok.AccessToken, keys)
		if err != nil {
			return err
		}
		sub, _ := userinfo["sub"].(string)
		if sub != vt.sub {
			return checkError("userinfo", "sub", vt.sub, sub,
				fmt.Sprintf("userinfo subject check failed: expected sub %q (from the ID token), got %q", vt.sub, sub),
				"the userinfo document describes another user than the ID token: the provider or a proxy mixes up sessions or tokens; do not trust either")
		}
		r.rep.Userinfo = userinfo
		done(fmt.Sprintf("%d claims; sub matches the ID token", len(userinfo)))
	} else {
		in.Reporter.Warn("the provider has no userinfo endpoint; the ID token's claims are all there is")
	}

	if in.Mapper != nil {
		done = r.begin("mapping")
		user, err := in.Mapper.Map(ctx, Identity{Provider: in.Provider, Claims: vt.claims, Userinfo: userinfo})
		if err != nil {
			return err
		}
		r.rep.User = user
		done("")
	}
	return nil
}

// sameRegistration reports whether the redirect URI used matches the one configured, counting a
// loopback URL registered without a port as matching any port (RFC 8252 §7.3).
func sameRegistration(configured, used string) bool {
	if configured == used {
		return true
	}
	c, err1 := url.Parse(configured)
	u, err2 := url.Parse(used)
	if err1 != nil || err2 != nil || !loopback.IsLoopbackURL(configured) || c.Port() != "" {
		return false
	}
	return c.Scheme == u.Scheme && c.Hostname() == u.Hostname() && c.Path == u.Path && c.RawQuery == u.RawQuery
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func randomString() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// pasteRedirect is the redirect URI of a paste login: --redirect-url, else the provider's when it is
// a loopback URL, else http://127.0.0.1/callback (no port: nothing listens; the browser shows an
// error page whose URL the user copies). The app's own callback is not used: the app would redeem
// the code first.
func pasteRedirect(in Input) string {
	if in.RedirectURL != "" {
		return in.RedirectURL
	}
	if loopback.IsLoopbackURL(in.Provider.RedirectURL) {
		return in.Provider.RedirectURL
	}
	return "http://127.0.0.1" + loopback.DefaultPath
}

// readPaste reads one non-empty line, giving up when ctx ends.
func readPaste(ctx context.Context, rd io.Reader, state, redirect string) (*loopback.Callback, error) {
	type res struct {
		line string
		err  error
	}
	ch := make(chan res, 1)
	go func() {
		sc := bufio.NewScanner(rd)
		sc.Buffer(make([]byte, 64*1024), 64*1024)
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" {
				ch <- res{line: l}
				return
			}
		}
		err := sc.Err()
		if err == nil {
			err = errors.New("standard input ended before a callback URL was pasted")
		}
		ch <- res{err: err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		if r.err != nil {
			return nil, &Error{Step: "callback", Message: "cannot read the pasted callback URL: " + r.err.Error(), HintText: "paste the URL on standard input, or run without --paste", Err: r.err}
		}
		return loopback.ParseCallback(r.line, state, redirect)
	}
}

// clientAuth picks how to authenticate at the token endpoint: none for a public client, else
// client_secret_basic when the provider lists it (the spec's default) or lists nothing, else
// client_secret_post. Setting it explicitly avoids x/oauth2's auto-detection, which sends a second
// token request after a failure.
func clientAuth(secret string, supported []string) (oauth2.AuthStyle, string) {
	switch {
	case secret == "":
		return oauth2.AuthStyleInParams, "none"
	case len(supported) == 0 || slices.Contains(supported, "client_secret_basic"):
		return oauth2.AuthStyleInHeader, "client_secret_basic"
	case slices.Contains(supported, "client_secret_post"):
		return oauth2.AuthStyleInParams, "client_secret_post"
	}
	return oauth2.AuthStyleInHeader, "client_secret_basic"
}

type nopReporter struct{}

func (nopReporter) Step(string, time.Duration, string) {}
func (nopReporter) Warn(string)                        {}
func (nopReporter) Waiting(string)                     {}
