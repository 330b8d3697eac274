// Package discover implements `ssoctl discover ISSUER`: fetch an OpenID provider's discovery document
// and JWKS, show what they announce and check them the way apps' OIDC libraries will read them.
package discover

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/discovery"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// DefaultTimeout bounds both fetches together.
const DefaultTimeout = 30 * time.Second

// DiscoverOptions are the inputs of `ssoctl discover`.
type DiscoverOptions struct {
	IO         *iostreams.IOStreams
	HttpClient func() (*http.Client, error)
	Now        func() time.Time

	Issuer  string
	Timeout time.Duration
	Output  string
}

// NewCmdDiscover returns `ssoctl discover`.
func NewCmdDiscover(f *cmdutil.Factory, runF func(*DiscoverOptions) error) *cobra.Command {
	opts := &DiscoverOptions{IO: f.IOStreams, HttpClient: f.HttpClient, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "discover <issuer>",
		Short: "Fetch and check an OpenID provider's discovery document and signing keys",
		Long: heredoc.Docf(`
			Fetch ISSUER/.well-known/openid-configuration and the JWKS it names, show the endpoints,
			supported features and keys, and check them the way apps' OIDC libraries read them:
			the issuer equals the document's byte for byte, required fields are present, PKCE S256 is
			supported, endpoints use https (plain http only on loopback), keys are public signing
			keys, and this machine's clock agrees with the provider's. The provider product (Keycloak,
			authentik, Kanidm, ...) is named when the document's shape shows it; that is the flavor
			"provider add --flavor" and "provider presets --flavor" take.

			Failures are classified (DNS, TCP, TLS unknown authority, host name or expiry, HTTP
			status, an HTML page, JSON that is not provider metadata) and every check has a stable
			code (DSC001...) that "validate --online" reports too. A pasted discovery URL is accepted:
			the issuer is the part before %[1]s/.well-known/openid-configuration%[1]s.

			Exits 1 when a check fails (warnings and notes do not fail), 2 when ISSUER is not a URL.
			A private CA is trusted with --ca-file.
		`, "`"),
		Example: heredoc.Doc(`
			$ ssoctl discover https://auth.example.com/application/o/files/
			$ ssoctl discover https://kc.example.com/realms/main -o json
			$ ssoctl discover https://sso.internal.example --ca-file internal-ca.pem
		`),
		Args:              cmdutil.ExactArgs(1, "cannot discover: issuer URL argument required"),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Issuer = args[0]
			if _, _, err := discovery.NormalizeIssuer(opts.Issuer); err != nil {
				return cmdutil.FlagErrorWrap(err)
			}
			if opts.Timeout <= 0 {
				return cmdutil.FlagErrorf("--timeout must be positive, such as 30s")
			}
			if runF != nil {
				return runF(opts)
			}
			return discoverRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", DefaultTimeout, "Give up when the provider takes longer to answer")
	cmdutil.AddOutputFlag(cmd, &opts.Output, "text", "json")
	return cmd
}

func discoverRun(ctx context.Context, opts *DiscoverOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	client, err := opts.HttpClient()
	if err != nil {
		return err
	}
	tctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	rep, err := discovery.Inspect(tctx, opts.Issuer, discovery.Options{Client: client, Now: opts.Now})
	if err != nil {
		return cmdutil.FlagErrorWrap(err)
	}
	if ctx.Err() != nil {
		return ctx.Err() // interrupted: the report would only say so
	}
	if opts.Output == "json" {
		if err := cmdutil.PrintJSON(opts.IO.Out, reportJSON{Report: rep, Flavor: detectFlavor(rep)}); err != nil {
			return err
		}
	} else if err := printText(opts.IO, rep); err != nil {
		return err
	}
	printSummary(opts.IO, rep)
	if !rep.OK() {
		return cmdutil.ErrSilent
	}
	return nil
}

// reportJSON is the JSON output: the report's fields, and the detected flavour.
type reportJSON struct {
	*discovery.Report
	// Flavor is the provider product the document's shape shows, absent when none.
	Flavor *provider.DetectedFlavor `json:"flavor,omitempty"`
}

// detectFlavor names the provider product behind the report's document, nil when none is known.
func detectFlavor(rep *discovery.Report) *provider.DetectedFlavor {
	if rep.Metadata == nil {
		return nil
	}
	if f, ok := provider.DetectFlavor(rep.Metadata); ok {
		return &f
	}
	return nil
}

// printText prints what the provider announces, its keys, then the checks.
func printText(ios *iostreams.IOStreams, rep *discovery.Report) error {
	out := ios.Out
	cs := ios.ColorScheme()
	// Everything below but the labels comes from the provider (or the command line): each value goes
	// through san, so that an escape sequence in a discovery field cannot drive the terminal.
	san := iostreams.Sanitize
	rows := [][2]string{{"Issuer", san(rep.Issuer)}}
	if f := detectFlavor(rep); f != nil {
		rows = append(rows, [2]string{"Flavor", fmt.Sprintf("%s %s", f.Name, cs.Gray("(detected: "+f.Evidence+")"))})
	}
	for _, f := range rep.Fetches {
		label := "Discovery"
		if f.What == "jwks" {
			label = "JWKS"
		}
		rows = append(rows, [2]string{label, fmt.Sprintf("%s %s", san(f.URL), cs.Gray("("+san(fetchSummary(f))+")"))})
	}
	writeRows(out, "", rows)

	if d := rep.Metadata; d != nil {
		fmt.Fprintf(out, "\n%s\n", cs.Bold("Endpoints"))
		writeRows(out, "  ", [][2]string{
			{"authorization_endpoint", san(d.AuthorizationEndpoint)},
			{"token_endpoint", san(d.TokenEndpoint)},
			{"userinfo_endpoint", san(d.UserinfoEndpoint)},
			{"jwks_uri", san(d.JWKSURI)},
		})
		fmt.Fprintf(out, "\n%s\n", cs.Bold("Supported"))
		writeRows(out, "  ", [][2]string{
			{"scopes", san(strings.Join(d.ScopesSupported, " "))},
			{"response types", san(strings.Join(d.ResponseTypesSupported, " "))},
			{"PKCE methods", san(strings.Join(d.CodeChallengeMethodsSupported, " "))},
			{"ID token signing", san(strings.Join(d.IDTokenSigningAlgValuesSupported, " "))},
			{"token endpoint auth", san(strings.Join(d.TokenEndpointAuthMethodsSupported, " "))},
		})
	}
	if rep.JWKS != nil {
		fmt.Fprintf(out, "\n%s\n", cs.Bold("Keys"))
		if len(rep.JWKS.Keys) == 0 {
			fmt.Fprintln(out, "  (none)")
		} else {
			tp := newAligned(out, "  ")
			tp.row(cs.Gray("KID"), cs.Gray("KTY"), cs.Gray("ALG"), cs.Gray("USE"), cs.Gray("SIZE"))
			for _, k := range rep.JWKS.Keys {
				size := k.Crv
				if k.Bits > 0 {
					size = fmt.Sprintf("%d bits", k.Bits)
				}
				tp.row(dash(san(k.Kid)), dash(san(k.Kty)), dash(san(k.Alg)), dash(san(k.Use)), dash(san(size)))
			}
			tp.flush()
		}
	}

	fmt.Fprintf(out, "\n%s\n", cs.Bold("Checks"))
	for _, c := range rep.Checks {
		fmt.Fprintf(out, "%s %s  %s\n", icon(cs, c.Status), cs.Gray(c.Code), san(c.Message))
		if c.Expected != "" || c.Actual != "" {
			fmt.Fprint(out, discovery.Evidence("          ", "expected", c.Expected, "actual", c.Actual))
		}
		if c.Hint != "" && c.Status != discovery.StatusPass {
			fmt.Fprintf(out, "          %s %s\n", cs.Cyan("hint:"), san(c.Hint))
		}
	}
	return nil
}

func fetchSummary(f discovery.Fetch) string {
	if f.Status == "" {
		return "no answer after " + discovery.FormatDuration(f.Duration)
	}
	return f.Status + ", " + discovery.FormatDuration(f.Duration)
}

func icon(cs *iostreams.ColorScheme, s discovery.Status) string {
	switch s {
	case discovery.StatusPass:
		return cs.SuccessIcon()
	case discovery.StatusNote:
		return cs.Cyan("i")
	case discovery.StatusWarn:
		return cs.WarningIcon()
	}
	return cs.FailureIcon()
}

// printSummary counts the outcomes on stderr, so that a script reading stdout sees only the report.
func printSummary(ios *iostreams.IOStreams, rep *discovery.Report) {
	counts := map[discovery.Status]int{}
	for _, c := range rep.Checks {
		counts[c.Status]++
	}
	cs := ios.ErrColorScheme()
	var parts []string
	for _, s := range []struct {
		status discovery.Status
		word   string
	}{{discovery.StatusFail, "failed"}, {discovery.StatusWarn, "warning(s)"}, {discovery.StatusNote, "note(s)"}, {discovery.StatusPass, "passed"}} {
		if n := counts[s.status]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s.word))
		}
	}
	mark := cs.SuccessIcon()
	switch {
	case counts[discovery.StatusFail] > 0:
		mark = cs.FailureIcon()
	case counts[discovery.StatusWarn] > 0:
		mark = cs.WarningIcon()
	}
	fmt.Fprintf(ios.ErrOut, "%s %s: %s\n", mark, iostreams.Sanitize(rep.Issuer), strings.Join(parts, ", "))
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// writeRows prints label/value pairs with the values aligned; empty values show as "-".
func writeRows(w io.Writer, indent string, rows [][2]string) {
	width := 0
	for _, r := range rows {
		width = max(width, iostreams.Width(r[0]))
	}
	for _, r := range rows {
		fmt.Fprintf(w, "%s%s  %s\n", indent, iostreams.PadRight(r[0], width), dash(r[1]))
	}
}

// aligned collects the rows of a small table whose header is coloured; iostreams.TabWriter aligns
// them by display width.
type aligned struct {
	w      io.Writer
	indent string
	rows   [][]string
}

func newAligned(w io.Writer, indent string) *aligned { return &aligned{w: w, indent: indent} }

func (a *aligned) row(cells ...string) { a.rows = append(a.rows, cells) }

func (a *aligned) flush() {
	tw := iostreams.NewTabWriter(a.w, 2)
	for _, r := range a.rows {
		fmt.Fprintln(tw, a.indent+strings.Join(r, "\t"))
	}
	_ = tw.Flush()
}
