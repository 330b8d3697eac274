// Package testlogin implements `ssoctl test-login`: one real login with a configured provider, every
// step shown with its timing on stderr, the verified claims and userinfo on stdout.
package testlogin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/app"
	cmdEval "github.com/ssoctl/ssoctl/pkg/cmd/mapping/eval"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/discovery"
	"github.com/ssoctl/ssoctl/pkg/doctor"
	"github.com/ssoctl/ssoctl/pkg/finding"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/loopback"
	"github.com/ssoctl/ssoctl/pkg/mapping"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// DefaultTimeout bounds a login; kubelogin waits 180 s too.
const DefaultTimeout = 3 * time.Minute

// TestLoginOptions are the inputs of `ssoctl test-login`.
type TestLoginOptions struct {
	IO         *iostreams.IOStreams
	Config     func() (*config.File, error)
	HttpClient func() (*http.Client, error)
	Browser    cmdutil.Browser
	Now        func() time.Time
	LookupEnv  func(string) (string, bool)
	// Login runs the login; login.Run unless a test replaces it.
	Login func(context.Context, login.Input) (*login.Report, error)
	// Diagnose runs the doctor: the redirect pre-flight before the login, the analysis after it.
	Diagnose bool

	Name        string
	Listen      string
	RedirectURL string
	NoBrowser   bool
	Paste       bool
	Timeout     time.Duration
	Prompt      string
	Save        string
	Reveal      bool
	Output      string
	// SkipPreflight opens the browser without requesting the authorize endpoint first.
	SkipPreflight bool
	// Client is --client: "app" rehearses the app's own OAuth client (app.kind), "strict" ssoctl's.
	Client string
}

// Values of --client.
const (
	ClientApp    = "app"
	ClientStrict = "strict"
)

// NewCmdTestLogin returns `ssoctl test-login`.
func NewCmdTestLogin(f *cmdutil.Factory, runF func(*TestLoginOptions) error) *cobra.Command {
	opts := &TestLoginOptions{
		IO:         f.IOStreams,
		Config:     f.Config,
		HttpClient: f.HttpClient,
		Browser:    f.Browser,
		Now:        f.Now,
		LookupEnv:  f.LookupEnv,
		Login:      login.Run,
		Diagnose:   true,
	}
	cmd := &cobra.Command{
		Use:   "test-login <provider>",
		Short: "Log in once with a provider and show every step, the verified ID token and userinfo",
		// Un-indented, with the table of doctor codes, when help shows it (DeferLong below).
		Long: `
			Run one real authorization-code login with a configured provider and show each step with its
			timing: discovery, signing keys, the authorize URL, the callback, the code exchange, every ID
			token check (signature, iss, aud, azp, exp, iat, nonce, at_hash) and userinfo (whose sub must
			equal the ID token's).

			The login sends what the app's own OAuth client sends (--client app, the default, for the
			config's app.kind and app.version): AList and OpenList send no PKCE and no nonce and let
			x/oauth2 auto-detect the client authentication (HTTP Basic, then the form body after a
			failure) on their OIDC platform, while their GitHub, Google, Microsoft, DingTalk and Casdoor
			platforms are plain OAuth 2.0 logins of their own (a fixed scope without openid, the secret
			in the form body, no ID token, the user from the platform's user API), rehearsed as such;
			InvenTree's django-allauth sends no PKCE unless enabled and prefers the form body;
			LobeChat 1.x (also when app.version is unset) sends PKCE and HTTP Basic, LobeHub 2.x PKCE
			and the form body; each with the scopes the app really requests. The report opens with a line saying how the app's client
			differs from the strict one, and lists the checks the app skips that ssoctl made anyway.
			--client strict (and app.kind generic) sends ssoctl's own client: PKCE S256, fresh state and
			nonce, HTTP Basic (none for a public client), or what token_endpoint_auth_method and pkce say.

			GitHub, DingTalk, Lark/Feishu and generic OAuth 2.0 (type oauth2) issue no ID token: their
			logins identify the user by the platform's user API, in its own dialect (GitHub's
			/user/emails for a private address, DingTalk's JSON token request and authCode, Lark's
			{code, msg, data} answers), and the report names the checks that do not apply.

			The callback is served on a loopback address: exactly the provider's redirect_url when that
			is a loopback URL, else 127.0.0.1 with a free port and path /callback (the provider must
			have that URL registered; it is printed). Under AList and OpenList, --client app sends a
			redirect_url ending in /api/auth/sso_callback with ?method=sso_get_token, as the app does
			(and as validate --online checks); --client strict and --redirect-url send it as written. --listen HOST:PORT chooses the address; the
			redirect URI then names HOST as written (localhost stays localhost), or the registered
			loopback URL's host when that is the same address. The browser is $BROWSER when set, else
			the system's. With --paste, log in with a browser on another machine and paste the URL it
			ends on.

			Before a browser opens, the authorize endpoint is requested once with the login's exact
			redirect URI and client ID, not following the answer (the pre-flight): a redirect URI the
			provider has not registered, or a client it does not know, fails at once with the
			provider's reason instead of a timeout, and so does a provider that requires PKCE from an app
			that sends none. --skip-preflight skips it. After the login a Doctor
			section names what else is wrong (scopes, claims the app reads, the groups claim, clock
			skew) with the value to paste, or says that the provider side works and lists the usual
			app-side causes for app.kind.

			Doctor error findings (an error the app would trip over although the login passed) make
			the exit code 1, like validate's. The config's top-level ignore list silences a doctor
			code as it silences validate's:
			  ignore: [{code: DOC056, provider: keycloak, reason: fixed at the provider next week}]

			The verified claims and userinfo go to stdout; steps and hints to stderr. The result is
			also kept, without tokens, for "ssoctl map eval --last". Tokens are shown only with --reveal.
		`,
		Example: heredoc.Doc(`
			$ ssoctl test-login authentik
			$ ssoctl test-login keycloak --listen 127.0.0.1:8000 --prompt login
			$ ssoctl test-login google --paste
			$ ssoctl test-login authentik -o json --save login.json
		`),
		Args: cmdutil.ExactArgs(1, "cannot test a login: provider name argument required"),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			file, err := f.Config()
			if err != nil || file == nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return file.Config.ProviderNames(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			if opts.Timeout <= 0 {
				return cmdutil.FlagErrorf("--timeout must be positive, such as 3m or 90s")
			}
			if opts.Paste && opts.Listen != "" {
				return cmdutil.FlagErrorf("--paste and --listen cannot be combined: with --paste nothing listens")
			}
			if runF != nil {
				return runF(opts)
			}
			return testLoginRun(cmd.Context(), opts)
		},
	}
	// A login does not pay for un-indenting the long help and building its code table.
	rawLong := cmd.Long
	cmdutil.DeferLong(cmd, func() string {
		return heredoc.Doc(rawLong) + "\nDoctor codes:\n" + finding.Table(doctor.Codes())
	})
	fl := cmd.Flags()
	fl.StringVar(&opts.Listen, "listen", "", "Serve the callback on this loopback `HOST:PORT` (port 0: a free one)")
	fl.StringVar(&opts.RedirectURL, "redirect-url", "", "Send this redirect `URL` instead of the provider's redirect_url")
	fl.BoolVar(&opts.NoBrowser, "no-browser", false, "Print the authorize URL instead of opening a browser")
	fl.DurationVar(&opts.Timeout, "timeout", DefaultTimeout, "Give up when the login takes longer")
	fl.BoolVar(&opts.Paste, "paste", false, "Read the callback URL from stdin (for a browser on another machine)")
	cmdutil.StringEnumFlag(cmd, &opts.Prompt, "prompt", "", "", []string{"login", "consent", "select_account", "none"}, "Send the OIDC prompt parameter")
	fl.StringVar(&opts.Save, "save", "", "Also write the JSON result to `FILE`")
	fl.BoolVar(&opts.Reveal, "reveal", false, "Include the raw tokens in the output")
	cmdutil.StringEnumFlag(cmd, &opts.Client, "client", "", ClientApp, []string{ClientApp, ClientStrict},
		"Whose OAuth client to rehearse: the app's (app.kind: its PKCE, client authentication, scopes, nonce) or ssoctl's strict one")
	fl.BoolVar(&opts.SkipPreflight, "skip-preflight", false, "Open the browser without checking the redirect URI and client at the authorize endpoint first")
	cmdutil.AddOutputFlag(cmd, &opts.Output, "text", "json")
	return cmd
}

// Result is the JSON document test-login prints: the login report, whether it succeeded, and the
// error when it did not.
type Result struct {
	OK bool `json:"ok"`
	*login.Report
	Error *login.Error `json:"error,omitempty"`
	// Doctor holds the diagnosis: what is wrong and what to paste, or the app-side suspects when
	// every provider-side step passed.
	Doctor []doctor.Finding `json:"doctor,omitempty"`
	// Ignored lists the codes of the findings the config's ignore list silenced.
	Ignored []string `json:"ignoredDoctorCodes,omitempty"`
}

func testLoginRun(ctx context.Context, opts *TestLoginOptions) error {
	file, err := opts.Config()
	if err != nil {
		return err
	}
	p, ok := file.Config.Provider(opts.Name)
	if !ok {
		hint := "add it with \"ssoctl provider add\""
		if names := file.Config.ProviderNames(); len(names) > 0 {
			hint = "configured providers: " + strings.Join(names, ", ")
		}
		return cmdutil.Failf(hint, "no provider named %q in %s", opts.Name, file.Path) // README: exit 1, as everywhere
	}
	rpt := newReporter(opts.IO)
	in := login.Input{
		Provider:    *p,
		Now:         opts.Now,
		Listen:      opts.Listen,
		RedirectURL: opts.RedirectURL,
		Prompt:      opts.Prompt,
		Timeout:     opts.Timeout,
		Reveal:      opts.Reveal,
		Reporter:    rpt,
	}
	// The report shows the app user the login maps to, as map eval computes it.
	in.Mapper = newUserMapper(file.Config)
	if p.ClientSecret != "" {
		secret, err := p.ClientSecret.Resolve(opts.LookupEnv)
		if err != nil {
			return cmdutil.InputErrorf(secretHint(p.ClientSecret), "cannot read the client secret of provider %q (%s): %v", p.Name, p.ClientSecret.String(), err)
		}
		in.ClientSecret = secret
	}
	ep, err := provider.Resolve(*p)
	if err != nil {
		return err
	}
	var choiceErrs []app.ConfigError
	if in.Client, choiceErrs, err = rehearsedClient(file.Config.App, *p, opts.Client); err != nil {
		return err
	}
	// The app's client sends its own form of the redirect URI (AList adds ?method=sso_get_token),
	// the one validate --online checks: the loopback callback and the pre-flight use that form, so
	// that a provider registered for the app's callbacks only passes both. --client strict and
	// --redirect-url send their URL as written.
	in.Provider.RedirectURL = in.Client.LoginRedirect(*p)
	if opts.Output != "json" && !in.Client.Strict {
		fmt.Fprintf(opts.IO.ErrOut, "i %s\n", in.Client.Summary())
	}
	for _, e := range choiceErrs {
		rpt.Warn(fmt.Sprintf("%s: %s, so the rehearsal ignores it too (%s)", e.Key, e.Message, e.Hint))
	}
	in.Endpoints = &login.Endpoints{Issuer: ep.Issuer, AuthorizeURL: ep.AuthorizeURL, TokenURL: ep.TokenURL, UserinfoURL: ep.UserinfoURL, Scopes: ep.Scopes}
	if in.HTTPClient, err = opts.HttpClient(); err != nil {
		return err
	}
	if opts.Paste {
		in.Paste = opts.IO.In
	} else if !opts.NoBrowser {
		in.Browser = opts.Browser
	}

	if in.Paste == nil {
		// Bound before the pre-flight, so that it checks the redirect URI the login sends, port
		// included. A --listen or redirect URL that cannot be listened on is a usage error, at once;
		// a port in use is left to the login, whose report (and -o json document) says so.
		cb, err := login.BindCallback(in)
		if _, usage := errors.AsType[*loopback.NotLoopbackError](err); usage {
			return err
		}
		if err == nil {
			defer cb.Close()
			in.Callback = cb
		}
	}
	chk := newCheckup(opts, file, *p, ep, in)
	if err := chk.before(ctx, in); err != nil {
		return err
	}
	rep, runErr := opts.Login(ctx, in)
	rpt.stopSpinner()
	if errors.Is(runErr, context.Canceled) {
		return runErr
	}
	res := Result{OK: runErr == nil, Report: rep}
	res.Doctor, res.Ignored = ignoreFindings(chk.after(ctx, rep, runErr), file.Config.Ignore, p.Name)
	if len(res.Ignored) > 0 && opts.Output != "json" {
		fmt.Fprintf(opts.IO.ErrOut, "i doctor findings silenced by the config's ignore list: %s\n", strings.Join(res.Ignored, ", "))
	}
	if runErr != nil {
		res.Error = errorInfo(runErr)
	}
	if rep != nil && (rep.IDToken != nil && rep.IDToken.Claims != nil || rep.Userinfo != nil) {
		env := config.Env{Getenv: func(k string) string { v, _ := opts.LookupEnv(k); return v }}
		if err := login.SaveLast(config.StateDir(env), rep); err != nil {
			fmt.Fprintf(opts.IO.ErrOut, "%s cannot keep the result for \"map eval --last\": %v\n", opts.IO.ErrColorScheme().WarningIcon(), err)
		}
	}
	if opts.Save != "" && rep != nil {
		if err := saveResult(opts.Save, res); err != nil {
			return cmdutil.Failf("check that the directory exists and is writable", "cannot write --save %s: %v", opts.Save, err)
		}
	}
	if opts.Output == "json" {
		if rep != nil {
			if err := cmdutil.PrintJSON(opts.IO.Out, res); err != nil {
				return err
			}
		}
		if runErr != nil {
			return runErr
		}
		return doctorError(res.Doctor, opts.Output)
	}
	if runErr != nil {
		chk.printFailure(res.Doctor)
		return runErr
	}
	if err := printText(opts.IO, rep, opts.Now()); err != nil {
		return err
	}
	if err := printDoctor(opts.IO.Out, opts.IO.ColorScheme(), res.Doctor); err != nil {
		return err
	}
	return doctorError(res.Doctor, opts.Output)
}

// rehearsedClient is the OAuth client the login rehearses: with --client app (the default) the
// app's, for the config's app.kind and version and the provider's type, else ssoctl's strict one.
// It also returns the config's choices (pkce, token_endpoint_auth_method) the client cannot make,
// which it ignores as the app does (validate reports them).
func rehearsedClient(a *config.App, p config.Provider, which string) (*app.Client, []app.ConfigError, error) {
	c := app.StrictClient()
	if which != ClientStrict {
		t, err := app.Resolve(a)
		if err != nil {
			return nil, nil, cmdutil.InputErrorf("fix app in the config file (ssoctl validate shows where)", "%v", err)
		}
		if ac, ok := app.ClientFor(t, p.Type); ok {
			c = ac
		}
	}
	return &c, c.ConfigErrors(p), nil
}

func secretHint(s config.Secret) string {
	switch s.Kind() {
	case config.SecretEnv:
		return fmt.Sprintf("export %s with the client secret, or change client_secret in the config file", s.Ref())
	case config.SecretFile:
		return fmt.Sprintf("create %s holding the client secret, or change client_secret in the config file", s.Ref())
	case config.SecretKeyring:
		return "store the secret in the system keyring under that service and user, or change client_secret"
	}
	return "check client_secret in the config file"
}

// errorInfo is the JSON form of any login error.
func errorInfo(err error) *login.Error {
	var le *login.Error
	if errors.As(err, &le) {
		return le
	}
	info := &login.Error{Message: err.Error(), HintText: cmdutil.HintOf(err)}
	var te *login.TimeoutError
	if errors.As(err, &te) {
		info.Step, info.Check = te.Step, "timeout"
	}
	return info
}

func saveResult(path string, res Result) error {
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	return config.WriteFileAtomic(path, append(b, '\n'), 0o600)
}

// printText prints the data of a successful login on stdout: claims with readable times, userinfo
// as JSON (what mapping rules run against), scopes and tokens.
//
// Every word the provider chose (claim names and values, scopes, userinfo, tokens, notes quoting
// it) goes through iostreams.Sanitize, so that none can drive the terminal; -o json stays exact.
func printText(ios *iostreams.IOStreams, rep *login.Report, now time.Time) error {
	out := ios.Out
	cs := ios.ColorScheme()
	san := iostreams.Sanitize
	if rep.Client.Summary != "" {
		fmt.Fprintf(out, "%s\n", cs.Bold(rep.Client.Summary))
		if len(rep.Client.Laxities) > 0 {
			fmt.Fprintf(out, "%s\n", cs.Bold("Where the app is laxer (ssoctl checked anyway)"))
			for _, l := range rep.Client.Laxities {
				fmt.Fprintf(out, "  %s\n", san(l))
			}
		}
		fmt.Fprintln(out)
	}
	if rep.IDToken != nil {
		fmt.Fprintf(out, "%s (%s%s)\n", cs.Bold("ID token claims"), san(rep.IDToken.Header.Alg), san(kidSuffix(rep.IDToken.Header.Kid)))
		keys := make([]string, 0, len(rep.IDToken.Claims))
		width := 0
		for k := range rep.IDToken.Claims {
			keys = append(keys, k)
			width = max(width, iostreams.Width(san(k)))
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(out, "  %s  %s\n", iostreams.PadRight(san(k), width), san(claimValue(k, rep.IDToken.Claims[k], now)))
		}
	}
	if rep.Userinfo != nil {
		if rep.IDToken != nil {
			fmt.Fprintln(out)
		}
		fmt.Fprintf(out, "%s\n", cs.Bold("Userinfo"))
		b, err := json.MarshalIndent(rep.Userinfo, "", "  ")
		if err != nil {
			return err
		}
		// encoding/json escapes C0 controls but not DEL, C1 or bidi overrides; their escapes keep
		// the JSON valid and meaning the same.
		fmt.Fprintln(out, iostreams.SanitizeLines(string(b)))
	}
	fmt.Fprintf(out, "\n%s %s\n", cs.Bold("Granted scopes:"), san(strings.Join(rep.GrantedScopes, " ")))
	if !rep.GrantedScopesListed {
		fmt.Fprintln(out, "  (the provider did not list them: the requested scopes count as granted)")
	}
	fmt.Fprintf(out, "%s %s\n", cs.Bold("Refresh token:"), map[bool]string{true: "issued", false: "none"}[rep.RefreshToken])
	if len(rep.NotApplicable) > 0 {
		fmt.Fprintf(out, "\n%s\n", cs.Bold("Not applicable to type "+rep.Type))
		for _, na := range rep.NotApplicable {
			fmt.Fprintf(out, "  %s: %s\n", strings.Join(na.Checks, ", "), san(na.Reason))
		}
	}
	if len(rep.Notes) > 0 {
		fmt.Fprintf(out, "\n%s\n", cs.Bold("Notes"))
		for _, n := range rep.Notes {
			fmt.Fprintf(out, "  %s\n", san(n))
		}
	}
	if u, ok := rep.User.(*mapping.User); ok {
		fmt.Fprintln(out)
		if err := cmdEval.PrintUser(ios, u); err != nil {
			return err
		}
	} else if rep.User != nil {
		b, err := json.MarshalIndent(rep.User, "", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\n%s\n%s\n", cs.Bold("App user"), iostreams.SanitizeLines(string(b)))
	}
	if t := rep.Tokens; t != nil {
		fmt.Fprintf(out, "\n%s\n  access_token   %s\n  id_token       %s\n  refresh_token  %s\n", cs.Bold("Tokens"), san(t.AccessToken), san(orDash(t.IDToken)), san(orDash(t.RefreshToken)))
	}
	return nil
}

func kidSuffix(kid string) string {
	if kid == "" {
		return ""
	}
	return ", kid " + kid
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// timeClaims are the claims holding seconds since the epoch.
var timeClaims = []string{"exp", "iat", "nbf", "auth_time", "updated_at"}

func claimValue(name string, v any, now time.Time) string {
	if n, ok := v.(json.Number); ok && slices.Contains(timeClaims, name) {
		if sec, err := n.Int64(); err == nil {
			t := time.Unix(sec, 0).UTC()
			rel := t.Sub(now).Round(time.Second)
			when := "in " + rel.String()
			if rel < 0 {
				when = (-rel).String() + " ago"
			}
			return fmt.Sprintf("%s (%s, %s)", n, t.Format(time.RFC3339), when)
		}
	}
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// reporter prints the steps on stderr as they happen. A step's detail and a warning quote the
// provider (an issuer, a key ID, an error_description): they go through iostreams.Sanitize. While the login waits for the browser it shows
// a spinner with the time waited, but only when stderr is a terminal: a log or CI gets one plain line.
type reporter struct {
	w       io.Writer
	cs      *iostreams.ColorScheme
	animate bool

	mu   sync.Mutex
	stop chan struct{} // closed to stop the running spinner; nil when none runs
	done chan struct{} // closed when the spinner has cleared its line
}

func newReporter(ios *iostreams.IOStreams) *reporter {
	return &reporter{w: ios.ErrOut, cs: ios.ErrColorScheme(), animate: ios.IsStderrTTY()}
}

// spinnerFrames are braille dots; plain ASCII would do, but every terminal that runs ssoctl renders these.
var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// stopSpinner ends a running spinner and waits until its line is cleared, so the next line starts clean.
func (r *reporter) stopSpinner() {
	r.mu.Lock()
	stop, done := r.stop, r.done
	r.stop, r.done = nil, nil
	r.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
}

func (r *reporter) Step(name string, d time.Duration, detail string) {
	r.stopSpinner()
	if name == "authorize URL" {
		// Always printed, ready to copy: the browser may not open, or may be on another machine.
		fmt.Fprintf(r.w, "%s authorize URL (open it in a browser if none opens):\n  %s\n", r.cs.SuccessIcon(), iostreams.Sanitize(detail))
		return
	}
	line := fmt.Sprintf("%s %s %s", r.cs.SuccessIcon(), name, r.cs.Gray("("+discovery.FormatDuration(d)+")"))
	if detail != "" {
		line += ": " + iostreams.Sanitize(detail)
	}
	fmt.Fprintln(r.w, line)
}

func (r *reporter) Warn(msg string) {
	r.stopSpinner()
	fmt.Fprintf(r.w, "%s %s\n", r.cs.WarningIcon(), iostreams.Sanitize(msg))
}

func (r *reporter) Waiting(msg string) {
	r.stopSpinner()
	msg = iostreams.Sanitize(msg)
	if !r.animate {
		fmt.Fprintf(r.w, "%s %s …\n", r.cs.Gray("…"), msg)
		return
	}
	stop, done := make(chan struct{}), make(chan struct{})
	r.mu.Lock()
	r.stop, r.done = stop, done
	r.mu.Unlock()
	go func() {
		defer close(done)
		start := time.Now()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			fmt.Fprintf(r.w, "\r\x1b[K%s %s … %s", r.cs.Cyan(spinnerFrames[i%len(spinnerFrames)]), msg, r.cs.Gray(time.Since(start).Truncate(time.Second).String()))
			select {
			case <-stop:
				fmt.Fprint(r.w, "\r\x1b[K")
				return
			case <-tick.C:
			}
		}
	}()
}
