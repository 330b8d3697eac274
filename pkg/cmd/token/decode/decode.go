// Package decode implements `ssoctl token decode`: show a JWT's header and claims with readable
// times, and with --verify check it against its issuer's keys as an ID token.
package decode

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/readfile"
	"github.com/ssoctl/ssoctl/pkg/token"
)

// DefaultTimeout bounds discovery and the JWKS fetch of --verify.
const DefaultTimeout = 30 * time.Second

// DecodeOptions are the inputs of `ssoctl token decode`.
type DecodeOptions struct {
	IO         *iostreams.IOStreams
	HttpClient func() (*http.Client, error)
	Now        func() time.Time
	LookupEnv  func(string) (string, bool)

	// Token is the argument; "" when the token comes from stdin.
	Token string
	// Stdin says the token is read from IO.In (argument "-", or none with stdin not a terminal).
	Stdin bool

	Verify          bool
	Issuer          string
	Audience        string
	Nonce           string
	ClientSecretEnv string
	ClockSkew       time.Duration
	Timeout         time.Duration
	Output          string
}

// NewCmdDecode returns `ssoctl token decode`.
func NewCmdDecode(f *cmdutil.Factory, runF func(*DecodeOptions) error) *cobra.Command {
	opts := &DecodeOptions{IO: f.IOStreams, HttpClient: f.HttpClient, Now: f.Now, LookupEnv: f.LookupEnv}
	cmd := &cobra.Command{
		Use:   "decode [<jwt> | -]",
		Short: "Show a JWT's header and claims; with --verify, check it as an ID token",
		Long: heredoc.Docf(`
			Decode a JSON Web Token given as the argument, or read from stdin (argument %[1]s-%[1]s, or no
			argument with stdin not a terminal; stdin keeps the token out of the shell history). The
			header (alg, kid, typ) and the claims go to stdout; exp, iat, nbf, auth_time and
			updated_at are also shown in RFC 3339 and relative to now ("in 5m", "2h ago"). The token
			itself is never printed: it is a credential. Decoding checks nothing.

			An encrypted ID token (JWE, five parts) cannot be read: its header is shown and the
			command exits 1. Input that is not a JWT exits 2.

			With --verify the token is checked as an ID token: the issuer's discovery document and
			JWKS are fetched (--ca-file trusts a private CA), then signature (never alg none; HS256
			and friends only with the client secret from --client-secret-env), iss byte for byte,
			aud and azp against --audience, exp, nbf and iat with --clock-skew of tolerance (default
			2m), nonce with --nonce, and sub. The first failed check exits 1, naming the expected and
			the actual value.
		`, "`"),
		Example: heredoc.Doc(`
			$ pbpaste | ssoctl token decode
			$ ssoctl token decode - < id_token.txt
			$ ssoctl token decode --verify --issuer https://kc.example.com/realms/main --audience files < id_token.txt
			$ CLIENT_SECRET=... ssoctl token decode --verify --issuer https://auth.example.com/application/o/files/ --audience files --client-secret-env CLIENT_SECRET < id_token.txt
			$ ssoctl token decode -o json < id_token.txt
		`),
		// Not cmdutil.MaximumArgs: its message repeats the extra arguments, which may be tokens.
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return cmdutil.FlagErrorf("token decode takes one token (or - for stdin), got %d arguments", len(args))
			}
			return nil
		},
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 1 && args[0] != "-":
				opts.Token = args[0]
			case len(args) == 1 || !opts.IO.IsStdinTTY():
				opts.Stdin = true
			default:
				return cmdutil.FlagErrorf("cannot decode: token argument required, or pipe the token on stdin")
			}
			if !opts.Verify {
				var set []string
				for _, name := range []string{"issuer", "audience", "nonce", "client-secret-env", "clock-skew"} {
					if cmd.Flags().Changed(name) {
						set = append(set, "--"+name)
					}
				}
				if len(set) > 0 {
					return cmdutil.FlagErrorf("%s only apply with --verify", strings.Join(set, ", "))
				}
			}
			if opts.ClockSkew < 0 {
				return cmdutil.FlagErrorf("--clock-skew must not be negative")
			}
			if opts.Timeout <= 0 {
				return cmdutil.FlagErrorf("--timeout must be positive, such as 30s")
			}
			if runF != nil {
				return runF(opts)
			}
			return decodeRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.Verify, "verify", false, "Verify the token as an ID token against its issuer's keys")
	fl.StringVar(&opts.Issuer, "issuer", "", "Expected issuer `URL` (with --verify); its discovery document names the keys")
	fl.StringVar(&opts.Audience, "audience", "", "Expected audience: the app's client `ID` (with --verify)")
	fl.StringVar(&opts.Nonce, "nonce", "", "Expected nonce (with --verify)")
	fl.StringVar(&opts.ClientSecretEnv, "client-secret-env", "", "Read the client secret for HS256/HS384/HS512 tokens from this environment `VARIABLE`")
	fl.DurationVar(&opts.ClockSkew, "clock-skew", token.DefaultClockSkew, "Tolerance for exp, nbf and iat (with --verify)")
	fl.DurationVar(&opts.Timeout, "timeout", DefaultTimeout, "Give up when the issuer takes longer to answer (with --verify)")
	cmdutil.AddOutputFlag(cmd, &opts.Output, "text", "json")
	return cmd
}

// Result is the JSON document `token decode -o json` prints.
type Result struct {
	Header map[string]any `json:"header"`
	// Claims is null for an encrypted token.
	Claims map[string]any `json:"claims"`
	// Times are the time claims made readable.
	Times     map[string]token.Time `json:"times"`
	Encrypted bool                  `json:"encrypted"`
	// Verified is true only when --verify ran and every check passed.
	Verified bool `json:"verified"`
	// Verification is present with --verify.
	Verification *Verification `json:"verification,omitempty"`
}

// Verification is what --verify found.
type Verification struct {
	Issuer   string `json:"issuer"`
	Audience string `json:"audience"`
	// Skew is the clock skew allowed, such as "2m0s".
	Skew string `json:"clockSkew"`
	// Passed are the checks that passed, in order.
	Passed []token.Passed `json:"passed"`
	// Error is the check that failed.
	Error *token.CheckError `json:"error,omitempty"`
}

func decodeRun(ctx context.Context, opts *DecodeOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	raw := opts.Token
	if opts.Stdin {
		// Through the bounded reader, so that Ctrl-C ends a wait on a pipe nobody writes to.
		b, err := readfile.Reader(ctx, opts.IO.In, "standard input", readfile.Token)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case readfile.IsTooLarge(err):
			return &token.FormatError{Reason: fmt.Sprintf("it is longer than %d KiB; real tokens have a few KiB", token.MaxBytes>>10)}
		case err != nil:
			return cmdutil.InputErrorf("", "cannot read the token from stdin: %v", err)
		}
		raw = string(b)
	}
	tok, parseErr := token.Parse(raw)
	if tok == nil {
		return parseErr
	}
	now := opts.Now()
	res := &Result{Header: tok.Header, Claims: tok.Claims, Times: tok.Times(now), Encrypted: tok.Encrypted}
	if parseErr != nil { // encrypted: show what can be shown, then fail
		return output(opts, tok, res, now, parseErr)
	}

	var verifyErr error
	if opts.Verify {
		res.Verification, verifyErr = verify(ctx, opts, tok)
		if errors.Is(verifyErr, context.Canceled) {
			return verifyErr
		}
		var ce *token.CheckError
		switch {
		case verifyErr == nil:
			res.Verified = true
		case errors.As(verifyErr, &ce):
			res.Verification.Error = ce
		case res.Verification == nil:
			return verifyErr // usage: missing flags or secret
		}
	} else if opts.Output == "text" {
		w := opts.IO.ErrOut
		cs := opts.IO.ErrColorScheme()
		fmt.Fprintf(w, "%s decoded only: the signature and claims were not verified (add --verify --issuer URL --audience CLIENT_ID)\n", cs.WarningIcon())
	}
	return output(opts, tok, res, now, verifyErr)
}

// output prints the result and returns err, the command's outcome.
func output(opts *DecodeOptions, tok *token.Token, res *Result, now time.Time, err error) error {
	if opts.Output == "json" {
		if perr := cmdutil.PrintJSON(opts.IO.Out, res); perr != nil {
			return perr
		}
		return err
	}
	printText(opts.IO, tok, res.Times)
	return err
}

// headerOrder puts the fields people look for first.
var headerOrder = []string{"alg", "kid", "typ", "enc", "cty"}

func printText(ios *iostreams.IOStreams, tok *token.Token, times map[string]token.Time) {
	out := ios.Out
	cs := ios.ColorScheme()
	title := "Header"
	if tok.Encrypted {
		title = "Header (JWE, encrypted)"
	}
	fmt.Fprintln(out, cs.Bold(title))
	keys := sortedKeys(tok.Header)
	sort.SliceStable(keys, func(i, j int) bool { return rank(keys[i]) < rank(keys[j]) })
	writeValues(out, keys, tok.Header, nil)
	if tok.Claims == nil {
		return
	}
	fmt.Fprintf(out, "\n%s\n", cs.Bold("Claims"))
	writeValues(out, sortedKeys(tok.Claims), tok.Claims, times)
}

func rank(k string) int {
	for i, h := range headerOrder {
		if k == h {
			return i
		}
	}
	return len(headerOrder)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func writeValues(w io.Writer, keys []string, m map[string]any, times map[string]token.Time) {
	width := 0
	for _, k := range keys {
		width = max(width, iostreams.Width(printable(k)))
	}
	for _, k := range keys {
		v := value(m[k])
		if t, ok := times[k]; ok {
			v = fmt.Sprintf("%s  %s (%s)", v, t.Time, t.Relative)
		}
		fmt.Fprintf(w, "  %s  %s\n", iostreams.PadRight(printable(k), width), v)
	}
}

// printable quotes s when it holds control characters. A token is untrusted input: a claim with
// an escape sequence or a line break would otherwise restyle the terminal or forge output lines.
// Bidi overrides (U+202E), DEL and C1 controls count too: json.Marshal leaves them as they are, so
// the quoted form goes through iostreams.Sanitize as well.
func printable(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 && iostreams.Sanitize(s) == s {
		return s
	}
	b, _ := json.Marshal(s)
	return iostreams.Sanitize(string(b))
}

func value(v any) string {
	switch v := v.(type) {
	case string:
		return printable(v)
	case json.Number:
		return v.String()
	}
	b, _ := json.Marshal(v)
	return iostreams.Sanitize(string(b))
}
