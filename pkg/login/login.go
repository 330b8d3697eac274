// Package login is the test-login use case: one OAuth 2.0 authorization-code login with PKCE S256, a
// fresh state and nonce, through a loopback callback (or a pasted callback URL), followed by the
// code exchange, verification of the ID token (every check named), and the userinfo request. Each
// step is reported as it happens, with its duration, and the result is a Report.
//
// Provider kinds differ in what they send and check: OpenID Connect kinds (oidc, google, microsoft,
// casdoor) verify an ID token; GitHub, DingTalk, Lark/Feishu and generic OAuth 2.0 have none and
// identify the user by their userinfo API, each in its own dialect. Each kind is a flow in its own
// file (oidc.go, github.go, dingtalk.go, lark.go, oauth2.go); newFlow picks one.
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
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/loopback"
	"github.com/ssoctl/ssoctl/pkg/redact"
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
	// Claims are the verified ID token's claims; nil for plain OAuth 2.0 kinds (no ID token).
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
	// Client is the OAuth client the login rehearses (pkg/app: what the app sends); nil means
	// ssoctl's strict client. The config's pkce and token_endpoint_auth_method apply where the client
	// offers them. Every strict check runs either way; where the app's client is laxer the report
	// says so (Report.Client.Laxities).
	Client *app.Client

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
	// Callback, when set, is the callback listener bound in advance by BindCallback; the login
	// serves on it instead of binding its own. The caller closes it, which after a login that
	// served on it does nothing.
	Callback *loopback.Listener
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
	// Client says whose OAuth client the login rehearsed and how it differs from the strict one.
	Client ClientReport `json:"client"`
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
	// NotApplicable lists the checks that do not apply to this provider kind, and why (a plain
	// OAuth 2.0 platform such as GitHub issues no ID token to verify).
	NotApplicable []NotApplicable `json:"notApplicable,omitempty"`
	// Notes say where the report's data differs from what the provider sent, or what it lacks
	// (GitHub's email taken from /user/emails, say).
	Notes []string `json:"notes,omitempty"`
	// Userinfo is the userinfo document as the provider sent it.
	Userinfo map[string]any `json:"userinfo,omitempty"`
	// User is the mapped app user, filled by Input.Mapper (pkg/mapping); null until mapping runs.
	User any `json:"user"`
	// Tokens holds the raw tokens, only with Input.Reveal.
	Tokens *Tokens `json:"tokens,omitempty"`
}

// ClientReport is the client a login rehearsed: the app's (test-login --client app) or ssoctl's
// strict one, what it sent, and the strict checks the app would not make.
type ClientReport struct {
	// App is the app and version whose client was rehearsed ("AList 3.63 (OIDC)"); "ssoctl" for the
	// strict client.
	App string `json:"app"`
	// Summary is the report's first line ("as AList 3.63 (OIDC): no PKCE; client auth auto-detect").
	Summary string `json:"summary"`
	// Strict says the strict client ran.
	Strict bool `json:"strict"`
	// PKCE says whether a code_challenge (S256) was sent; Nonce whether a nonce was.
	PKCE  bool `json:"pkce"`
	Nonce bool `json:"nonce"`
	// AuthMethods are the client authentication methods sent to the token endpoint, in order (two
	// when x/oauth2's auto-detection retried with the form body).
	AuthMethods []string `json:"authMethods"`
	// AppCallsUserinfo says whether the app's client would have called the userinfo endpoint at this
	// login; ssoctl fetches userinfo anyway (its sub check, and the doctor's comparison of the two
	// documents), so a provider's log shows that request either way.
	AppCallsUserinfo bool `json:"appCallsUserinfo"`
	// Laxities are the strict checks the app does not make; ssoctl made them.
	Laxities []string `json:"laxities,omitempty"`
	// Source cites the app's source the client was read from.
	Source string `json:"source,omitempty"`
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

// NotApplicable is a group of checks that do not apply to a provider kind, with the reason.
type NotApplicable struct {
	Checks []string `json:"checks"`
	Reason string   `json:"reason"`
}

// Tokens are the raw tokens (--reveal only).
type Tokens struct {
	AccessToken  string `json:"accessToken,omitempty"`
	IDToken      string `json:"idToken,omitempty"`
	RefreshToken string `json:"refreshToken,omitempty"`
}

// Run performs one login and returns its report. On failure the report holds the steps that
// finished and the error says which step or check failed (*Error, *TimeoutError, or a loopback
// error); context.Canceled comes back when ctx was cancelled.
func Run(ctx context.Context, in Input) (*Report, error) {
	r := &run{in: in, rep: &Report{
		Provider: in.Provider.Name,
		Type:     in.Provider.Type,
		ClientID: in.Provider.ClientID,
		Steps:    []Step{},
	}}
	r.defaults()
	r.rep.Client = ClientReport{App: r.profile.App, Summary: r.profile.Summary(), Strict: r.profile.Strict,
		Laxities: r.profile.Laxities(), Source: r.profile.Source, AuthMethods: []string{}, AppCallsUserinfo: r.profile.Userinfo}
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
	in     Input
	rep    *Report
	step   string       // the step in progress, for timeout messages
	client *http.Client // in.HTTPClient with bounded bodies
	// profile is the OAuth client rehearsed (Input.Client, else the strict one).
	profile app.Client
	// ignored says which requests to the callback the listener ignored for a wrong or missing
	// state ("" for none), for the report and a timeout's message.
	ignored string
	// secrets are values no message may show: the tokens, once issued. They are long and random,
	// so masking them in a finished message cannot hit ssoctl's own words. The client secret is
	// masked where a provider echoes it instead (redact.ErrorTransport on client).
	secrets []string
}

// sensitive adds values that messages must never show.
func (r *run) sensitive(values ...string) {
	for _, v := range values {
		if v != "" {
			r.secrets = append(r.secrets, v)
		}
	}
}

// redact replaces every sensitive value in s.
func (r *run) redact(s string) string {
	for _, v := range r.secrets {
		s = strings.ReplaceAll(s, v, config.Redacted)
	}
	return s
}

// warn reports a warning, redacted.
func (r *run) warn(msg string) { r.in.Reporter.Warn(r.redact(msg)) }

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
	if r.in.Client != nil {
		r.profile = *r.in.Client
	} else {
		r.profile = app.StrictClient()
	}
}

// explain turns context errors into the user's terms and makes sure no message carries a token.
func (r *run) explain(parent, runCtx context.Context, err error) error {
	if parent.Err() != nil {
		// Interrupted (Ctrl-C): the root command maps this to exit 130.
		return fmt.Errorf("%s: %w", r.step, context.Canceled)
	}
	if runCtx.Err() == context.DeadlineExceeded {
		var le *Error
		if !errors.As(err, &le) || le.Check == "" {
			err = &TimeoutError{Step: r.step, Timeout: r.in.Timeout, Ignored: r.ignored}
		}
	}
	var le *Error
	switch {
	case errors.As(err, &le):
		if msg, exp, act, hint := r.redact(le.Message), r.redact(le.Expected), r.redact(le.Actual), r.redact(le.HintText); msg != le.Message || exp != le.Expected || act != le.Actual || hint != le.HintText {
			cp := *le
			cp.Message, cp.Expected, cp.Actual, cp.HintText = msg, exp, act, hint
			err = &cp
		}
	case r.redact(err.Error()) != err.Error():
		err = &Error{Step: r.step, Message: r.redact(err.Error()), HintText: r.redact(hintOf(err))}
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

func (r *run) do(ctx context.Context) error {
	in := r.in
	f, err := newFlow(in)
	if err != nil {
		return err
	}
	if in.Provider.ClientID == "" {
		return &Error{Step: "config", Message: fmt.Sprintf("provider %q has no client_id", in.Provider.Name),
			HintText: "copy the client ID from the application's page at the provider into client_id"}
	}
	r.client = boundedClient(in.HTTPClient, in.MaxBodyBytes)
	// A provider that echoes the client secret (in an error_description, a Lark msg) has it masked
	// in its answer, before any message quotes it; ssoctl's own words are never masked, which a
	// short secret ("e", "secret") would do to a finished message ("client_***_basic"). Successful
	// answers stay exact: the tokens in them may hold a short secret by chance.
	r.client.Transport = redact.ErrorTransport(r.client.Transport, in.ClientSecret)
	if err := f.prepare(ctx, r); err != nil {
		return err
	}
	if r.rep.RequestedScopes == nil {
		// No scopes is a valid request (GitHub then grants public data only); JSON shows [].
		r.rep.RequestedScopes = []string{}
	}

	// PKCE, state, nonce: fresh for every login; the flow sends what its platform understands.
	a := authRequest{verifier: oauth2.GenerateVerifier(), state: randomString(), nonce: randomString()}

	// The callback: a loopback listener, or a pasted URL.
	var srv *loopback.Server
	if in.Paste != nil {
		a.redirect = PasteRedirect(in)
	} else {
		cb := in.Callback
		if cb == nil {
			if cb, err = BindCallback(in); err != nil {
				return err
			}
		}
		srv = cb.Serve(a.state)
		defer srv.Close()
		a.redirect = srv.RedirectURL()
	}
	r.rep.RedirectURL = a.redirect
	if !sameRegistration(in.Provider.RedirectURL, a.redirect) {
		r.warn(fmt.Sprintf("the provider must have this redirect URL registered for client %s: %s", in.Provider.ClientID, a.redirect))
	}

	authorize, err := f.authorizeURL(r, a)
	if err != nil {
		return err
	}
	r.begin("authorize URL")(authorize)

	start := in.Now()
	if in.Browser != nil {
		done := r.begin("browser")
		if err := in.Browser.Browse(authorize); err != nil {
			r.warn(fmt.Sprintf("cannot open a browser (%v); open the authorize URL above yourself", err))
		} else {
			done("opened")
		}
	}

	// Wait for the user.
	r.step = "callback"
	var cb *loopback.Callback
	if in.Paste != nil {
		in.Reporter.Waiting("log in with the URL above in any browser, then paste the whole URL the browser ends on (it may show an error page) and press Enter")
		cb, err = readPaste(ctx, in.Paste, a.state, a.redirect)
	} else {
		waiting := "waiting for the browser to come back to " + a.redirect
		in.Reporter.Waiting(waiting)
		srv.OnIgnored = func(e *loopback.StateError) {
			// Said once, as it happens, so that a user who sees the browser's "not this login's
			// callback" page learns here that the login still runs; a flood adds no lines.
			r.warn("ignored a request to the callback that is not this login's (" + e.Reason() + "); still waiting for the real one")
			in.Reporter.Waiting(waiting)
		}
		cb, err = srv.Wait(ctx)
		if r.ignored = srv.IgnoredSummary(); r.ignored != "" {
			r.rep.Notes = append(r.rep.Notes, r.ignored+": another login's tab, a stale bookmark or a forged request; codes in such requests are never redeemed")
		}
	}
	if err != nil {
		var se *loopback.StateError
		if errors.As(err, &se) {
			return &Error{Step: "callback", Check: "state", Actual: se.Got, Message: se.Error(), HintText: se.Hint(), Err: err}
		}
		var ae *loopback.AuthError
		if errors.As(err, &ae) {
			hint := ae.Hint()
			if h, ok := f.(authErrorHinter); ok {
				if kh := h.authErrorHint(ae.Code); kh != "" {
					hint = kh
				}
			}
			return &Error{Step: "callback", Check: "error response", Actual: ae.Code, Message: ae.Error(), HintText: hint, Err: err}
		}
		return err
	}
	r.rep.Steps = append(r.rep.Steps, Step{Name: "callback", DurationMS: float64(in.Now().Sub(start).Microseconds()) / 1000, Detail: "authorization code received"})
	in.Reporter.Step("callback", in.Now().Sub(start), "authorization code received")
	r.begin("state")("matches the state sent")
	if err := f.checkCallback(r, cb); err != nil {
		return err
	}

	id, err := f.redeem(ctx, r, cb, a)
	if err != nil {
		return err
	}
	if in.Mapper != nil {
		done := r.begin("mapping")
		user, err := in.Mapper.Map(ctx, *id)
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

// BindCallback binds the callback listener a login of in serves on (--listen, --redirect-url, the
// provider's loopback redirect_url, else 127.0.0.1 on a free port). Binding it before the login
// tells the caller the exact redirect URI the login will send; pass it back as Input.Callback.
func BindCallback(in Input) (*loopback.Listener, error) {
	redirect := in.RedirectURL
	if redirect == "" && loopback.IsLoopbackURL(in.Provider.RedirectURL) {
		redirect = in.Provider.RedirectURL
	}
	return loopback.Bind(loopback.Config{RedirectURL: redirect, Listen: in.Listen})
}

// PasteRedirect is the redirect URI of a paste login: --redirect-url, else the provider's when it is
// a loopback URL, else http://127.0.0.1/callback (no port: nothing listens; the browser shows an
// error page whose URL the user copies). The app's own callback is not used: the app would redeem
// the code first.
func PasteRedirect(in Input) string {
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

type nopReporter struct{}

func (nopReporter) Step(string, time.Duration, string) {}
func (nopReporter) Warn(string)                        {}
func (nopReporter) Waiting(string)                     {}
