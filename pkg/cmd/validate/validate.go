// Package validate implements `ssoctl validate`: the offline check of the config file, with findings
// printed as text, JSON, GitHub workflow annotations or SARIF.
package validate

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/build"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/finding"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

// Formats are the values of --format.
var Formats = []string{"text", "json", "github", "sarif"}

// ValidateOptions are the inputs of `ssoctl validate`.
type ValidateOptions struct {
	IO *iostreams.IOStreams
	// Config loads the config file chosen by --config, $SSOCTL_CONFIG and the defaults.
	Config func() (*config.File, error)
	// Load loads a file given as an argument.
	Load      func(path string) (*config.File, error)
	LookupEnv func(string) (string, bool)
	Getwd     func() (string, error)
	// HttpClient talks to the providers with --online; it trusts --ca-file.
	HttpClient func() (*http.Client, error)
	Now        func() time.Time

	// File is the file given as an argument; "" means the config file.
	File   string
	Format string
	Strict bool
	// Online checks every provider against the provider itself.
	Online bool
	// Timeout bounds each request of the online checks.
	Timeout time.Duration
}

// NewCmdValidate returns `ssoctl validate`.
func NewCmdValidate(f *cmdutil.Factory, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{
		IO:         f.IOStreams,
		Config:     f.Config,
		Load:       config.Load,
		LookupEnv:  f.LookupEnv,
		Getwd:      os.Getwd,
		HttpClient: f.HttpClient,
		Now:        f.Now,
	}
	var output string
	cmd := &cobra.Command{
		Use:   "validate [<file>] [--format {text | json | github | sarif}] [--strict] [--online]",
		Short: "Check the config file and report problems with their line and column",
		Long: heredoc.Doc(`
			Check the config file without contacting any provider: keys and types against the schema,
			the fields each provider type needs, URLs, redirect hosts and callback paths for the app
			kind, mapping rules, permissions, group maps, allowed domains and secret references.

			Every finding has a stable code, a severity, the provider and field path, the line and column,
			a message and a hint. validate exits with 1 when it finds an error (or, with --strict, a
			warning), with 2 when the file cannot be read or parsed, and with 0 otherwise.

			Formats: text (grouped by provider), json, github (workflow annotations for GitHub Actions)
			and sarif (SARIF 2.1.0 for code scanning).

			With --online every provider is also checked against the provider itself, without a user
			and without logging anyone in: the discovery document, signing keys and clock as "ssoctl
			discover" checks them (DSC codes); issuer variants when discovery fails; a pre-flight of the
			authorize endpoint with each exact redirect URI the app sends, which tells an unregistered
			redirect URI or an unknown client from a login page; a token request with a deliberately
			invalid code, which tells whether the client ID, secret and authentication method are
			accepted; and whether the authorize and userinfo endpoints answer (DOC codes). Where the
			app logs in without OpenID Connect (AList and OpenList on GitHub, Microsoft, Google,
			DingTalk and Casdoor), no discovery is read: the app's own URLs are probed with its own
			request. Providers are checked concurrently; --timeout bounds each request, and --ca-file
			trusts a private CA.

			Silence a finding with a comment on its line, or on a line of its own directly above it:
			  redirect_url: http://sso.lan/cb  # ssoctl:ignore SSO013 internal network without TLS
			or file-wide with a top-level list:
			  ignore: [{code: SSO060, provider: demo, reason: throwaway test client}]
			An ignore without a reason, with an unknown code or that matches nothing is itself a finding.
		`) + "\nCodes:\n" + finding.Table(validate.Codes()),
		Example: heredoc.Doc(`
			$ ssoctl validate
			$ ssoctl validate deploy/ssoctl.yaml --strict
			$ ssoctl validate --format github      # in a GitHub Actions step
			$ ssoctl validate --format sarif > ssoctl.sarif
			$ ssoctl validate --online --ca-file internal-ca.pem
		`),
		Args: cmdutil.MaximumArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.File = args[0]
			}
			if cmd.Flags().Changed("output") {
				if cmd.Flags().Changed("format") && output != opts.Format {
					return cmdutil.FlagErrorf("--output %s and --format %s disagree; give one of them", output, opts.Format)
				}
				opts.Format = output
			}
			if opts.Timeout <= 0 {
				return cmdutil.FlagErrorf("--timeout must be positive, such as 10s")
			}
			if runF != nil {
				return runF(opts)
			}
			return validateRun(cmd.Context(), opts)
		},
	}
	cmdutil.StringEnumFlag(cmd, &opts.Format, "format", "", "text", Formats, "Output format")
	cmdutil.StringEnumFlag(cmd, &output, "output", "o", "text", Formats, "Same as --format")
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "Fail (exit 1) on warnings too")
	cmd.Flags().BoolVar(&opts.Online, "online", false, "Also check every provider against the provider itself (never a login)")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", validate.DefaultRequestTimeout, "With --online, give up on a request after this long")
	return cmd
}

func validateRun(ctx context.Context, opts *ValidateOptions) error {
	var (
		f   *config.File
		err error
	)
	if opts.File != "" {
		f, err = opts.Load(opts.File)
	} else {
		f, err = opts.Config()
		// Other commands refuse a version they do not read; validate reports it as finding SSO005,
		// at its line, among the file's other findings.
		if _, ok := errors.AsType[*config.VersionError](err); ok && f != nil {
			err = nil
		}
	}
	if err != nil {
		// Parse errors are exit 2, but CI still gets them in the format it reads, at their line.
		if fd, ok := validate.ParseErrorFinding(err, displayPath(opts, pathOf(err, opts.File))); ok && opts.Format != "text" {
			if werr := writeFindings(opts, &validate.Report{File: fd.File, Findings: []validate.Finding{fd}}); werr != nil {
				return werr
			}
		}
		return err
	}
	vopts := validate.Options{LookupEnv: opts.LookupEnv, DisplayPath: displayPath(opts, f.Path)}
	var report *validate.Report
	if opts.Online {
		if report, err = checkOnline(ctx, opts, f, vopts); err != nil {
			return err
		}
	} else {
		report = validate.Check(f, vopts)
	}
	if err := writeFindings(opts, report); err != nil {
		return err
	}
	sum := validate.Summarize(report.Findings)
	printSummary(opts, report, sum)
	// A version this ssoctl does not read is unreadable input for every command (exit 2, as README
	// says); validate still lists the file's findings first, SSO005 among them.
	if f.CheckVersion() != nil {
		return &cmdutil.SilentError{Code: cmdutil.ExitUsage}
	}
	if sum.Failed(opts.Strict) {
		return cmdutil.ErrSilent
	}
	return nil
}

func writeFindings(opts *ValidateOptions, r *validate.Report) error {
	out := opts.IO.Out
	switch opts.Format {
	case "json":
		return validate.WriteJSON(out, r)
	case "github":
		return validate.WriteGitHub(out, r.Findings)
	case "sarif":
		return validate.WriteSARIF(out, r.Findings, validate.SARIFOptions{ToolVersion: build.Get().Version})
	}
	return validate.WriteText(out, r.Findings, opts.IO.ColorScheme())
}

func printSummary(opts *ValidateOptions, r *validate.Report, sum validate.Summary) {
	cs := opts.IO.ErrColorScheme()
	ignored := ""
	if n := len(r.Ignored); n > 0 {
		ignored = fmt.Sprintf(" (%d ignored)", n)
	}
	switch {
	case sum.Failed(opts.Strict):
		why := ""
		if sum.Errors == 0 {
			why = "; --strict makes warnings fail"
		}
		fmt.Fprintf(opts.IO.ErrOut, "%s %s: %s%s%s\n", cs.FailureIcon(), r.File, sum, ignored, why)
	case sum.Errors+sum.Warnings+sum.Notes > 0:
		fmt.Fprintf(opts.IO.ErrOut, "%s %s: %s%s\n", cs.WarningIcon(), r.File, sum, ignored)
	default:
		fmt.Fprintf(opts.IO.ErrOut, "%s %s: no problems found%s\n", cs.SuccessIcon(), r.File, ignored)
	}
	if r.Assumed != "" {
		fmt.Fprintf(opts.IO.ErrOut, "checked as %s, the newest version ssoctl models: app.version is unset\n", r.Assumed)
	}
}

// pathOf returns the path a load error is about.
func pathOf(err error, fallback string) string {
	if pe, ok := err.(*config.ParseError); ok {
		return pe.Path
	}
	return fallback
}

// displayPath shows the file relative to the working directory when it is inside it, as editors,
// GitHub annotations and SARIF viewers resolve paths from the repository root.
func displayPath(opts *ValidateOptions, p string) string {
	if p == "" {
		return p
	}
	if !filepath.IsAbs(p) || opts.Getwd == nil {
		return filepath.Clean(p)
	}
	wd, err := opts.Getwd()
	if err != nil {
		return p
	}
	rel, err := filepath.Rel(wd, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return rel
}

// checkOnline runs the online checks and says on stderr how long they took.
func checkOnline(ctx context.Context, opts *ValidateOptions, f *config.File, vopts validate.Options) (*validate.Report, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	client, err := opts.HttpClient()
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	start := time.Now()
	report := validate.CheckOnline(ctx, f, vopts, validate.OnlineOptions{Client: client, Timeout: opts.Timeout, Now: now})
	if ctx.Err() != nil {
		return nil, ctx.Err() // interrupted: exit 130, not a partial report
	}
	n := 0
	if f.Config != nil {
		n = len(f.Config.Providers)
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s checked %s online in %s\n", opts.IO.ErrColorScheme().Gray("·"), plural(n, "provider"), time.Since(start).Round(time.Millisecond))
	return report, nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
