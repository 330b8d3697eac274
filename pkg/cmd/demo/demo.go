// Package demo implements `ssoctl demo`: a complete, verified OpenID Connect login against a
// provider embedded in the process, for someone with no account anywhere. It starts the provider
// (pkg/demo) on 127.0.0.1, writes a temporary config for it and runs `ssoctl test-login` itself
// against that config, with a headless browser, then shows the mapped app user and permission.
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	cmdTestLogin "github.com/ssoctl/ssoctl/pkg/cmd/testlogin"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/demo"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// LoginTimeout bounds the demo login. The provider and the browser are in this process, so a login
// takes milliseconds; the bound only matters if something is broken.
const LoginTimeout = 30 * time.Second

// resultFile is test-login's --save file inside the demo's temporary directory.
const resultFile = "login.json"

// DemoOptions are the inputs of `ssoctl demo`.
type DemoOptions struct {
	IO *iostreams.IOStreams
	// Factory is the base of the factory test-login runs with: its clock, HTTP client and
	// environment are kept; the config and the browser are the demo's.
	Factory *cmdutil.Factory
	// TempDir makes the directory for the temporary config.
	TempDir func() (string, error)
	// TestLogin runs `ssoctl test-login` with a factory and arguments; runTestLogin unless a test
	// replaces it.
	TestLogin func(ctx context.Context, f *cmdutil.Factory, args []string) error

	Port   int
	Keep   bool
	Output string
}

// NewCmdDemo returns `ssoctl demo`.
func NewCmdDemo(f *cmdutil.Factory, runF func(*DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{
		IO:        f.IOStreams,
		Factory:   f,
		TempDir:   func() (string, error) { return os.MkdirTemp("", "ssoctl-demo-") },
		TestLogin: runTestLogin,
	}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Watch a complete SSO login against a built-in provider, no account needed",
		Long: heredoc.Doc(`
			Run a complete OpenID Connect login without an account anywhere, without a browser and
			without network access.

			The demo starts an OpenID provider inside this process on 127.0.0.1 (zitadel/oidc, with a
			fresh RS256 signing key and one demo user in two groups), writes a temporary config for it
			and runs exactly what "ssoctl test-login" runs: discovery, signing keys, the authorize
			request with PKCE, state and nonce, the callback, the code exchange, every ID token check
			and userinfo. A headless browser stands in for yours. Then it shows the app user the
			login maps to: username, email, groups and the default permission sum with its names.

			The temporary config is removed at exit unless --keep is given.
		`),
		Example: heredoc.Doc(`
			$ ssoctl demo
			$ ssoctl demo --keep
			$ ssoctl demo -o json
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Port < 0 || opts.Port > 65535 {
				return cmdutil.FlagErrorf("--port must be between 0 and 65535 (0 picks a free port), not %d", opts.Port)
			}
			if runF != nil {
				return runF(opts)
			}
			return demoRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.Port, "port", 0, "Run the demo provider on this `PORT` of 127.0.0.1 (0: a free one)")
	cmd.Flags().BoolVar(&opts.Keep, "keep", false, "Keep the temporary config and the login result, and print where they are")
	cmdutil.AddOutputFlag(cmd, &opts.Output, "text", "json")
	return cmd
}

// Result is the JSON document `ssoctl demo -o json` prints: test-login's document, with the mapped
// app user in "user", and where the demo ran.
type Result struct {
	cmdTestLogin.Result
	Demo Info `json:"demo"`
}

// Info describes the demo run.
type Info struct {
	// Issuer is the embedded provider's issuer URL; it stops when the demo ends.
	Issuer string `json:"issuer"`
	// ConfigPath is the temporary config file; it exists after the run only when Kept is true.
	ConfigPath string `json:"configPath"`
	Kept       bool   `json:"kept"`
}

func demoRun(ctx context.Context, opts *DemoOptions) (err error) {
	ios := opts.IO
	cs := ios.ErrColorScheme()

	// The provider library logs refused requests through log/slog's default logger; show them as
	// the provider's, on stderr, only while the demo runs. slog.SetDefault also redirects the log
	// package, which restoring the previous slog logger does not undo, so log is restored too.
	prevSlog, prevLogOut, prevLogFlags := slog.Default(), log.Writer(), log.Flags()
	defer func() {
		slog.SetDefault(prevSlog)
		log.SetOutput(prevLogOut)
		log.SetFlags(prevLogFlags)
	}()
	slog.SetDefault(slog.New(slog.NewTextHandler(prefixWriter{w: ios.ErrOut, prefix: "  provider: "}, &slog.HandlerOptions{
		Level: slog.LevelWarn,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	})))

	op, err := demo.Start(demo.Options{Port: opts.Port})
	if err != nil {
		return err
	}
	defer op.Close()

	dir, err := opts.TempDir()
	if err != nil {
		return cmdutil.Failf("set TMPDIR to a writable directory", "cannot create a temporary directory for the demo config: %v", err)
	}
	if !opts.Keep {
		defer os.RemoveAll(dir)
	}
	path, err := demo.WriteConfig(dir, op.Issuer())
	if err != nil {
		return cmdutil.Failf("set TMPDIR to a writable directory", "cannot write the demo config: %v", err)
	}

	u := op.User()
	fmt.Fprintf(ios.ErrOut, "%s\n", cs.Bold("ssoctl demo: a real OpenID Connect login, no account needed"))
	fmt.Fprintf(ios.ErrOut, "  provider  %s (embedded in ssoctl; stops when the demo ends)\n", op.Issuer())
	fmt.Fprintf(ios.ErrOut, "  user      %s <%s>, groups %s\n", u.PreferredUsername, u.Email, strings.Join(u.Groups, ", "))
	fmt.Fprintf(ios.ErrOut, "  browser   headless, in this process (no browser opens)\n")
	keepNote := "temporary; --keep keeps it"
	if opts.Keep {
		keepNote = "kept"
	}
	fmt.Fprintf(ios.ErrOut, "  config    %s (%s)\n", path, keepNote)
	fmt.Fprintf(ios.ErrOut, "Each step below is what \"ssoctl test-login\" does with your own provider.\n\n")

	f := loginFactory(opts, path)
	args := []string{demo.ProviderName, "--save", filepath.Join(dir, resultFile), "--timeout", LoginTimeout.String()}
	if opts.Output == "json" {
		// test-login's own document is read back from --save and printed with the app user.
		args = append(args, "-o", "json")
	}
	loginErr := opts.TestLogin(ctx, f, args)
	if errors.Is(loginErr, context.Canceled) {
		return loginErr
	}

	res, readErr := readResult(filepath.Join(dir, resultFile))
	if readErr != nil {
		// test-login failed before the login ran (or could not save): it said why.
		if loginErr != nil {
			return loginErr
		}
		return cmdutil.Failf("", "cannot read the login result: %v", readErr)
	}
	out := Result{Result: *res, Demo: Info{Issuer: op.Issuer(), ConfigPath: path, Kept: opts.Keep}}

	if opts.Output == "json" {
		if err := cmdutil.PrintJSON(ios.Out, out); err != nil {
			return err
		}
	}
	if loginErr != nil {
		return loginErr
	}
	if opts.Keep {
		fmt.Fprintf(ios.ErrOut, "\n%s kept the demo config at %s and the login result at %s\n", cs.SuccessIcon(), path, filepath.Join(dir, resultFile))
	}
	fmt.Fprintf(ios.ErrOut, "\n%s\n", cs.Bold("Next steps"))
	fmt.Fprintf(ios.ErrOut, "  ssoctl provider presets               what each provider type needs\n")
	fmt.Fprintf(ios.ErrOut, "  ssoctl provider add NAME --type TYPE  register your own provider (on a terminal, a form asks for the rest)\n")
	fmt.Fprintf(ios.ErrOut, "  ssoctl test-login NAME                run this same login against it\n")
	return nil
}

// loginFactory is the factory test-login runs with: the caller's, with the demo config and the
// headless browser. In JSON mode test-login's stdout is discarded: its document is printed once,
// with the app user, by the demo.
func loginFactory(opts *DemoOptions, path string) *cmdutil.Factory {
	f := *opts.Factory
	if opts.Output == "json" {
		ios := *opts.IO
		ios.Out = io.Discard
		f.IOStreams = &ios
	}
	f.ConfigPath = func() (string, config.PathSource) { return path, config.SourceFlag }
	f.Config = sync.OnceValues(func() (*config.File, error) { return config.Load(path) })
	f.Browser = &demo.Browser{Timeout: LoginTimeout}
	return &f
}

// runTestLogin runs `ssoctl test-login ARGS` with factory f: the very command, so that the demo's
// steps, report, saved state and errors are test-login's own.
func runTestLogin(ctx context.Context, f *cmdutil.Factory, args []string) error {
	cmd := cmdTestLogin.NewCmdTestLogin(f, nil)
	cmd.SetContext(ctx)
	if err := cmd.ParseFlags(args); err != nil {
		return err
	}
	return cmd.RunE(cmd, cmd.Flags().Args())
}

func readResult(path string) (*cmdTestLogin.Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var res cmdTestLogin.Result
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, err
	}
	if res.Report == nil {
		return nil, errors.New("the result holds no report")
	}
	return &res, nil
}

// prefixWriter starts every line written to w with prefix.
type prefixWriter struct {
	w      io.Writer
	prefix string
}

func (p prefixWriter) Write(b []byte) (int, error) {
	s := strings.TrimSuffix(string(b), "\n")
	s = p.prefix + strings.ReplaceAll(s, "\n", "\n"+p.prefix) + "\n"
	if _, err := io.WriteString(p.w, s); err != nil {
		return 0, err
	}
	return len(b), nil
}
