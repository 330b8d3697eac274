package decode

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/discovery"
	"github.com/ssoctl/ssoctl/pkg/token"
)

// fetchCodes are the checks whose failure means a document could not be read at all.
var fetchCodes = []string{
	discovery.CodeFetch, discovery.CodeDNS, discovery.CodeConnect, discovery.CodeTLSUnknownCA, discovery.CodeTLSHostname,
	discovery.CodeTLSExpired, discovery.CodeTLSHandshake, discovery.CodeHTTPStatus, discovery.CodeHTML, discovery.CodeNotJSON,
	discovery.CodeNotMetadata, discovery.CodeTooLarge, discovery.CodeTimeout, discovery.CodeNotKeySet,
}

// verify fetches the issuer's keys through discovery and runs token.Verify, printing each step on
// stderr. A nil *Verification comes with a usage error; otherwise a failed check is a
// *token.CheckError.
func verify(ctx context.Context, opts *DecodeOptions, tok *token.Token) (*Verification, error) {
	if err := requireFlags(opts, tok); err != nil {
		return nil, err
	}
	var secret []byte
	if opts.ClientSecretEnv != "" {
		v, ok := opts.LookupEnv(opts.ClientSecretEnv)
		if !ok || v == "" {
			return nil, cmdutil.InputErrorf(fmt.Sprintf("export %s with the client secret of the app's client", opts.ClientSecretEnv),
				"--client-secret-env %s: the environment variable is not set", opts.ClientSecretEnv)
		}
		secret = []byte(v)
	}
	client, err := opts.HttpClient()
	if err != nil {
		return nil, err
	}
	tctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	rep, err := discovery.Inspect(tctx, opts.Issuer, discovery.Options{Client: client, Now: opts.Now})
	if err != nil {
		var ie *discovery.InputError
		if errors.As(err, &ie) {
			return nil, cmdutil.FlagErrorf("--issuer %s", err)
		}
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	v := &Verification{Issuer: rep.Issuer, Audience: opts.Audience, Skew: opts.ClockSkew.String(), Passed: []token.Passed{}}
	st := newSteps(opts)

	if rep.Metadata == nil {
		c := firstFailed(rep, fetchCodes...)
		return v, st.fail(&token.CheckError{Check: "discovery", Message: "cannot verify: " + c.Message, HintText: c.Hint})
	}
	if c, ok := rep.Find(discovery.CodeIssuer); ok && c.Status == discovery.StatusFail {
		return v, st.fail(&token.CheckError{Check: "discovery", Expected: c.Expected, Actual: c.Actual,
			Message: "cannot verify: " + c.Message, HintText: c.Hint})
	}
	st.pass("discovery", rep.Fetches[0], "issuer "+rep.Issuer)

	hmac := strings.HasPrefix(tok.Alg, "HS")
	if rep.JWKS == nil && !hmac {
		c := firstFailed(rep, fetchCodes...)
		return v, st.fail(&token.CheckError{Check: "jwks", Message: "cannot verify: " + c.Message, HintText: c.Hint})
	}
	if rep.JWKS != nil {
		st.pass("jwks", rep.Fetches[len(rep.Fetches)-1], fmt.Sprintf("%d signing key(s)", len(rep.SigningKeys())))
	}

	passed, err := token.Verify(tok, token.VerifyOptions{
		Issuer: rep.Issuer, Audience: opts.Audience, Nonce: opts.Nonce,
		Keys: rep.SigningKeys(), Secret: secret, AnnouncedAlgs: rep.Metadata.IDTokenSigningAlgValuesSupported,
		Now: opts.Now, Skew: opts.ClockSkew,
	})
	if passed != nil {
		v.Passed = passed
	}
	for _, p := range passed {
		st.check(p)
	}
	if err != nil {
		var ce *token.CheckError
		if errors.As(err, &ce) {
			return v, st.fail(ce)
		}
		return v, err
	}
	return v, nil
}

// requireFlags names the missing --issuer and --audience. Their values must come from the user:
// checking a token against its own iss and aud proves nothing, so the hint shows them only for
// comparison.
func requireFlags(opts *DecodeOptions, tok *token.Token) error {
	var missing []string
	if opts.Issuer == "" {
		missing = append(missing, "--issuer")
	}
	if opts.Audience == "" {
		missing = append(missing, "--audience")
	}
	if len(missing) == 0 {
		return nil
	}
	iss, _ := tok.Claims["iss"].(string)
	aud := value(tok.Claims["aud"])
	return cmdutil.WithHint(cmdutil.FlagErrorf("--verify needs %s", strings.Join(missing, " and ")),
		fmt.Sprintf("pass the issuer and client ID the app is configured with (the token claims iss %s and aud %s; using the token's own values would prove nothing)", orNone(iss), orNone(aud)))
}

func orNone(s string) string {
	if s == "" || s == "null" {
		return "(none)"
	}
	return fmt.Sprintf("%q", s)
}

func firstFailed(rep *discovery.Report, codes ...string) discovery.Check {
	for _, c := range rep.Checks {
		if c.Status == discovery.StatusFail && slices.Contains(codes, c.Code) {
			return c
		}
	}
	for _, c := range rep.Checks {
		if c.Status == discovery.StatusFail {
			return c
		}
	}
	return discovery.Check{Message: "the issuer's documents could not be read", Hint: "run ssoctl discover ISSUER for details"}
}

// steps prints verification steps on stderr as test-login does.
type steps struct {
	opts *DecodeOptions
}

func newSteps(opts *DecodeOptions) *steps { return &steps{opts: opts} }

func (s *steps) pass(name string, f discovery.Fetch, detail string) {
	cs := s.opts.IO.ErrColorScheme()
	fmt.Fprintf(s.opts.IO.ErrOut, "%s %s %s: %s\n", cs.SuccessIcon(), name, cs.Gray("("+discovery.FormatDuration(f.Duration)+")"), detail)
}

func (s *steps) check(p token.Passed) {
	cs := s.opts.IO.ErrColorScheme()
	fmt.Fprintf(s.opts.IO.ErrOut, "%s %s: %s\n", cs.SuccessIcon(), p.Check, p.Detail)
}

// fail prints the failed check with its evidence (a caret under the first difference) and returns
// it; root prints its message and hint.
func (s *steps) fail(ce *token.CheckError) error {
	cs := s.opts.IO.ErrColorScheme()
	fmt.Fprintf(s.opts.IO.ErrOut, "%s %s check failed\n", cs.FailureIcon(), ce.Check)
	if ce.Expected != "" && ce.Actual != "" {
		fmt.Fprint(s.opts.IO.ErrOut, discovery.Evidence("    ", "expected", ce.Expected, "actual", ce.Actual))
	}
	return ce
}
