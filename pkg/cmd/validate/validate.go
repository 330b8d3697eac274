// Package validate implements `ssoctl validate`: the offline check of the config file, with findings
// printed as text, JSON, GitHub workflow annotations or SARIF.
package validate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/build"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
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

	// File is the file given as an argument; "" means the config file.
	File   string
	Format string
	Strict bool
}

// NewCmdValidate returns `ssoctl validate`.
func NewCmdValidate(f *cmdutil.Factory, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{
		IO:        f.IOStreams,
		Config:    f.Config,
		Load:      config.Load,
		LookupEnv: f.LookupEnv,
		Getwd:     os.Getwd,
	}
	var output string
	cmd := &cobra.Command{
		Use:   "validate [<file>] [--format {text | json | github | sarif}] [--strict]",
		Short: "Check the config file offline and report problems with their line and column",
		Long: heredoc.Doc(`
			Check the config file without contacting any provider: keys and types against the schema,
			the fields each provider type needs, URLs, redirect hosts and callback paths for the app
			kind, mapping rules, permissions, group maps, allowed domains and secret references.

			Every finding has a stable code, a severity, the provider and field path, the line and column,
			a message and a hint. validate exits with 1 when it finds an error (or, with --strict, a
			warning), with 2 when the file cannot be read or parsed, and with 0 otherwise.

			Formats: text (grouped by provider), json, github (workflow annotations for GitHub Actions)
			and sarif (SARIF 2.1.0 for code scanning).

			Silence a finding with a comment on its line, or on a line of its own directly above it:
			  redirect_url: http://sso.lan/cb  # ssoctl:ignore SSO013 internal network without TLS
			or file-wide with a top-level list:
			  ignore: [{code: SSO060, provider: demo, reason: throwaway test client}]
			An ignore without a reason, with an unknown code or that matches nothing is itself a finding.
		`) + "\nCodes:\n" + codeTable(),
		Example: heredoc.Doc(`
			$ ssoctl validate
			$ ssoctl validate deploy/ssoctl.yaml --strict
			$ ssoctl validate --format github      # in a GitHub Actions step
			$ ssoctl validate --format sarif > ssoctl.sarif
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
			if runF != nil {
				return runF(opts)
			}
			return validateRun(opts)
		},
	}
	cmdutil.StringEnumFlag(cmd, &opts.Format, "format", "", "text", Formats, "Output format")
	cmdutil.StringEnumFlag(cmd, &output, "output", "o", "text", Formats, "Same as --format")
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "Fail (exit 1) on warnings too")
	return cmd
}

func codeTable() string {
	var b strings.Builder
	for _, c := range validate.Codes() {
		fmt.Fprintf(&b, "  %s  %-8s %s\n", c.ID, c.Severity, c.Title)
	}
	return b.String()
}

func validateRun(opts *ValidateOptions) error {
	var (
		f   *config.File
		err error
	)
	if opts.File != "" {
		f, err = opts.Load(opts.File)
	} else {
		f, err = opts.Config()
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
	report := validate.Check(f, validate.Options{LookupEnv: opts.LookupEnv, DisplayPath: displayPath(opts, f.Path)})
	if err := writeFindings(opts, report); err != nil {
		return err
	}
	sum := validate.Summarize(report.Findings)
	printSummary(opts, report, sum)
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
		return validate.WriteSARIF(out, r.Findings, validate.SARIFOptions{ToolVersion: build.Version})
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
