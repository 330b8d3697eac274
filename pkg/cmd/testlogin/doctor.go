package testlogin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/doctor"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/loopback"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// checkup is the doctor around one login: the redirect pre-flight before the browser opens, the
// analysis of the report after.
type checkup struct {
	opts   *TestLoginOptions
	app    *config.App
	ignore []config.Ignore
	p      config.Provider
	ep     provider.Endpoints
	client *http.Client
	secret string
	// oauth is the OAuth client the login rehearses (the app's or the strict one).
	oauth *app.Client

	pre  doctor.LoginCheckResult
	step *login.Step
}

// newCheckup prepares the doctor for a login of p; nil when opts.Diagnose is off (tests that fake
// the login), and every method of a nil checkup does nothing.
func newCheckup(opts *TestLoginOptions, file *config.File, p config.Provider, ep provider.Endpoints, in login.Input) *checkup {
	if !opts.Diagnose {
		return nil
	}
	return &checkup{opts: opts, app: file.Config.App, ignore: file.Config.Ignore, p: p, ep: ep, client: in.HTTPClient, secret: in.ClientSecret, oauth: in.Client}
}

// before runs the pre-flight unless --skip-preflight; a failed one is printed as the JSON result
// with -o json, and returned.
func (c *checkup) before(ctx context.Context, in login.Input) error {
	if c == nil || c.opts.SkipPreflight {
		return nil
	}
	err := c.preflight(ctx, in, newReporter(c.opts.IO))
	var pe *preflightError
	if errors.As(err, &pe) && c.opts.Output == "json" {
		if jerr := cmdutil.PrintJSON(c.opts.IO.Out, c.preflightResult(pe)); jerr != nil {
			return jerr
		}
	}
	return err
}

// after is the analysis of the finished login.
func (c *checkup) after(ctx context.Context, rep *login.Report, runErr error) []doctor.Finding {
	if c == nil || errors.Is(runErr, context.Canceled) {
		return nil
	}
	return c.analyze(ctx, rep, runErr)
}

// printFailure prints the findings about a failed login on stderr, before the error.
func (c *checkup) printFailure(fs []doctor.Finding) {
	if c == nil || c.opts.Output == "json" {
		return
	}
	_ = printDoctor(c.opts.IO.ErrOut, c.opts.IO.ErrColorScheme(), fs)
}

// preflightError is a pre-flight that proves the login cannot work: the provider does not know
// the redirect URI or the client, or its authorize endpoint does not answer. It stops test-login
// before a browser opens, with exit 1.
type preflightError struct{ f doctor.Finding }

func (e *preflightError) Error() string {
	return "redirect pre-flight failed: " + e.f.Message
}

// Hint says what to do, with the value to paste.
func (e *preflightError) Hint() string {
	if e.f.Fix != "" && e.f.Code == doctor.CodeRedirectUnregistered && !strings.HasPrefix(e.f.Hint, "register ") {
		return fmt.Sprintf("register %s at the provider: %s; --skip-preflight opens the browser anyway", e.f.Fix, e.f.Hint)
	}
	return e.f.Hint + "; --skip-preflight opens the browser anyway"
}

// ExitCode is 1: the provider's setup is wrong.
func (e *preflightError) ExitCode() int { return 1 }

// loginRedirect is the redirect URI the login will send: its callback listener's, bound before the
// pre-flight, or the --paste one. "" when the listener could not be bound; the login says why.
func loginRedirect(in login.Input) string {
	switch {
	case in.Paste != nil:
		return login.PasteRedirect(in)
	case in.Callback != nil:
		return in.Callback.RedirectURL()
	}
	return ""
}

// preflight runs the redirect pre-flight and reports it as a step; an error stops the login.
func (c *checkup) preflight(ctx context.Context, in login.Input, rep *reporter) error {
	redirect := loginRedirect(in)
	if redirect == "" {
		return nil
	}
	start := time.Now()
	c.pre = doctor.CheckLogin(ctx, c.client, doctor.LoginCheck{Provider: c.p, Endpoints: c.ep, RedirectURI: redirect, Now: c.opts.Now, Client: c.oauth, ClientSecret: c.secret})
	pf := c.pre.Preflight
	d := time.Since(start)
	switch {
	case pf.Outcome == "":
		return nil // discovery failed; the login says why
	case pf.Finding != nil && pf.Finding.Code == doctor.CodePKCERequired:
		// The provider refused the app's request before any login: so would it refuse the app.
		return &preflightError{f: *pf.Finding}
	case pf.OK():
		detail := fmt.Sprintf("the provider accepts redirect URI %s for client %s", redirect, c.p.ClientID)
		c.step = &login.Step{Name: "pre-flight", DurationMS: float64(d.Microseconds()) / 1000, Detail: detail}
		rep.Step("pre-flight", d, detail)
		if pf.Finding != nil {
			rep.Warn(pf.Finding.Message)
		}
		return nil
	case pf.Outcome == doctor.OutcomeErrorPage:
		// Not proof: the provider did not say why. The login goes on and shows what happens.
		rep.Warn(pf.Finding.Message)
		return nil
	}
	f := *pf.Finding
	if f.Code == doctor.CodeRedirectUnregistered && in.Callback != nil && in.Callback.FreePort() {
		// The login's port is a free one: what to register is the portless loopback URI, which
		// providers match with any port for native clients (RFC 8252 §7.3).
		if u, err := url.Parse(redirect); err == nil && loopback.IsLoopbackURL(redirect) {
			u.Host = strings.TrimSuffix(u.Host, ":"+u.Port()) // keeps [::1] bracketed
			f.Fix = u.String()
			f.Hint = "register " + f.Fix + " as a redirect URI of a native (or public) client, whose loopback URIs match any port (RFC 8252 §7.3), or pass the registered one with --redirect-url"
		}
	}
	return &preflightError{f: f}
}

// analyze diagnoses the finished login. After invalid_client it asks the token endpoint whether
// the other client authentication method works.
func (c *checkup) analyze(ctx context.Context, rep *login.Report, runErr error) []doctor.Finding {
	if rep != nil && c.step != nil {
		rep.Steps = append([]login.Step{*c.step}, rep.Steps...)
	}
	now := time.Now()
	if c.opts.Now != nil {
		now = c.opts.Now()
	}
	silenced := func(code string) bool {
		_, ignored := ignoreFindings([]doctor.Finding{{Code: code}}, c.ignore, c.p.Name)
		return len(ignored) > 0
	}
	fs := doctor.Analyze(doctor.Login{App: c.app, Provider: c.p, Report: rep, Err: runErr, Metadata: c.pre.Metadata, ClockOffset: c.pre.ClockOffset, Now: now, Silenced: silenced})
	var le *login.Error
	if errors.As(runErr, &le) && le.Step == "discovery" && le.Check == "" && c.ep.Issuer != "" {
		// No discovery document at the issuer: try the usual mistakes (slash, /auth, .well-known).
		if m, ok := doctor.FindIssuer(ctx, c.client, c.ep.Issuer); ok {
			fs = append(fs, doctor.IssuerVariantFinding(c.ep.Issuer, m, appKindOf(c.app)))
		}
	}
	if c.oauth != nil {
		fs = append(fs, doctor.ScopesForApp(*c.oauth, c.p)...)
	}
	if errors.As(runErr, &le) && c.oauth != nil && rep != nil && !rep.Client.PKCE && doctor.IsPKCERefusal(le.Message) {
		switch le.Step {
		case "code exchange":
			// A provider that lets a request without code_challenge through and refuses only the
			// code exchange.
			fs = append(fs, doctor.PKCERequired(*c.oauth, c.p.ClientID, le.Message, "at the token endpoint, after the user logged in"))
		case "callback":
			// The authorize endpoint's error redirect. When the pre-flight's request (no user) was
			// sent on to the login page, the refusal came after the login: ORY Hydra v2.3.0 checks
			// PKCE only when it issues the code, after login and consent (oauth2/handler.go
			// oAuth2Authorize → NewAuthorizeResponse → fosite v0.49.0 handler/pkce/handler.go
			// validateNoPKCE), and redirects "Clients must include a code_challenge…" to the callback.
			where := "at the authorize endpoint"
			if c.pre.Preflight.Outcome == doctor.OutcomeLoginPage {
				where = "at the authorize endpoint after the user logged in (the same request without a user was let through to the login page)"
			}
			fs = append(fs, doctor.PKCERequired(*c.oauth, c.p.ClientID, le.Message, where))
		}
	}
	if errors.As(runErr, &le) && le.Step == "code exchange" && le.Check == "invalid_client" && c.secret != "" {
		tokenURL := c.ep.TokenURL
		var supported []string
		if md := c.pre.Metadata; md != nil {
			tokenURL = first(tokenURL, md.TokenEndpoint)
			supported = md.TokenEndpointAuthMethodsSupported
		}
		// The methods this login sent were all refused (it ended with invalid_client): the probe
		// counts them as tried and sends only the other one.
		var refused []doctor.MethodResult
		if rep != nil {
			for _, m := range rep.Client.AuthMethods {
				refused = append(refused, doctor.MethodResult{Method: m, Status: 401, Error: le.Check})
			}
		}
		res := doctor.ProbeClient(ctx, c.client, doctor.ClientProbe{TokenURL: tokenURL, Type: c.p.Type, ClientID: c.p.ClientID,
			ClientSecret: c.secret, RedirectURI: rep.RedirectURL, Supported: supported, Methods: c.methods(supported), Refused: refused})
		switch {
		case res.Finding == nil || res.Finding.Code == doctor.CodeClientProbeUnclear:
		case c.oauth != nil && !c.oauth.Strict && res.Accepted != "":
			if f := doctor.ClientAuthForApp(*c.oauth, c.p.ClientID, res.Accepted, c.p.TokenEndpointAuthMethod, true, supported); f != nil {
				fs = append(fs, *f)
			} else {
				fs = append(fs, *res.Finding)
			}
		default:
			fs = append(fs, *res.Finding)
		}
	}
	// The findings added here name their provider-side fixes in the flavour's terms too.
	return doctor.ProviderFixes(fs, c.p, c.pre.Metadata)
}

// methods are the client authentication methods the rehearsed client sends, in order, for the
// client probe to try first.
func (c *checkup) methods(supported []string) []string {
	if c.oauth == nil {
		return nil
	}
	return c.oauth.MethodsTried(c.p.TokenEndpointAuthMethod, c.secret != "", supported)
}

// preflightResult is the JSON document of a login the pre-flight stopped.
func (c *checkup) preflightResult(err *preflightError) Result {
	rep := &login.Report{Provider: c.p.Name, Type: c.p.Type, ClientID: c.p.ClientID, RedirectURL: c.pre.Preflight.RedirectURI, Steps: []login.Step{}}
	if c.oauth != nil {
		// What the pre-flight's authorize request carried, as the login would have.
		var challenge []string
		if md := c.pre.Metadata; md != nil {
			challenge = md.CodeChallengeMethodsSupported
		}
		rep.Client = login.ClientReport{App: c.oauth.App, Summary: c.oauth.Summary(), Strict: c.oauth.Strict,
			PKCE: c.oauth.SendsPKCE(c.p.PKCE, challenge), Nonce: c.oauth.Nonce, AuthMethods: []string{},
			Laxities: c.oauth.Laxities(), Source: c.oauth.Source}
	}
	return Result{OK: false, Report: rep, Doctor: []doctor.Finding{err.f},
		Error: &login.Error{Step: "pre-flight", Check: err.f.Code, Actual: c.pre.Preflight.RedirectURI, Message: err.Error(), HintText: err.Hint()}}
}

// printDoctor prints the findings under a heading.
func printDoctor(w io.Writer, cs *iostreams.ColorScheme, fs []doctor.Finding) error {
	if len(fs) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\n%s\n", cs.Bold("Doctor"))
	return doctor.WriteText(w, fs, cs)
}

// ignoreFindings drops the findings the config's top-level ignore list silences for provider, as
// validate does; it returns the rest and the codes it dropped.
func ignoreFindings(fs []doctor.Finding, ignores []config.Ignore, provider string) (kept []doctor.Finding, ignored []string) {
	for _, f := range fs {
		silenced := slices.ContainsFunc(ignores, func(ig config.Ignore) bool {
			return ig.Code == f.Code && (ig.Provider == "" || ig.Provider == provider)
		})
		if silenced {
			ignored = append(ignored, f.Code)
			continue
		}
		kept = append(kept, f)
	}
	return kept, ignored
}

// doctorError fails a login that passed at the provider when the doctor found an error in it: the
// provider let ssoctl in, but the app would trip over it (a groups claim that is not a list, a
// signing algorithm it rejects). validate fails on an error finding the same way.
func doctorError(fs []doctor.Finding, output string) error {
	var codes []string
	for _, f := range fs {
		if f.Severity == doctor.SeverityError {
			codes = append(codes, f.Code)
			if f.Code == doctor.CodeAppClaimAbsent {
				// The app's own refusal, word for word, belongs in the one sentence.
				codes[len(codes)-1] += " (" + f.Message + ")"
			}
		}
	}
	if len(codes) == 0 {
		return nil
	}
	hint := "the Doctor section above says what to change"
	if output == "json" {
		hint = "the findings, with what to change, are in the JSON's doctor list"
	}
	what := "an error"
	if len(codes) > 1 {
		what = fmt.Sprintf("%d errors", len(codes))
	}
	return cmdutil.Failf(hint, "the login passed at the provider, but the doctor found %s the app would trip over: %s", what, strings.Join(codes, ", "))
}

func appKindOf(app *config.App) string {
	if app == nil {
		return ""
	}
	return app.Kind
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
