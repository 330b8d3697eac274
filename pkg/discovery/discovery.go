// Package discovery fetches and checks an OpenID provider's discovery document and JWKS, the way an
// app's OIDC library will read them, and says what is wrong in terms an admin can act on.
//
// Inspect runs every check and returns a Report: the document as served, the keys, the fetches with
// their timings, and one Check per finding, each with a stable code (Codes). It never prints. A
// check's status is pass, note, warn or fail; only fail makes `ssoctl discover` exit 1.
//
// # Codes
//
//	code    worst  what is checked
//	DSC001  note   a .well-known/openid-configuration URL was given; the issuer is the part before it
//	DSC002  fail   the discovery document was fetched (fail: a transport error no other code classifies)
//	DSC003  fail   DNS: the host name does not resolve
//	DSC004  fail   TCP: no connection (refused, unreachable)
//	DSC005  fail   TLS: certificate signed by an unknown authority (self-signed, private CA, missing intermediate)
//	DSC006  fail   TLS: certificate for another host name
//	DSC007  fail   TLS: certificate expired or not valid yet
//	DSC008  fail   TLS: other handshake failure (the server does not speak TLS, ...)
//	DSC009  fail   HTTP status other than 200
//	DSC010  fail   HTML page instead of JSON (login page, proxy error page)
//	DSC011  fail   not JSON
//	DSC012  fail   JSON, but not provider metadata (or, for the JWKS, a JSON value that is not an object)
//	DSC013  fail   larger than 1 MiB
//	DSC014  fail   no answer in time
//	DSC020  fail   the issuer equals the document's issuer byte for byte (caret, trailing slash explained)
//	DSC021  fail   required fields: issuer, authorization_endpoint, token_endpoint, jwks_uri,
//	               response_types_supported, subject_types_supported, id_token_signing_alg_values_supported
//	DSC022  fail   code_challenge_methods_supported includes S256 (warn when the field is absent)
//	DSC023  fail   endpoints are absolute URLs, https unless the host is loopback
//	DSC024  note   an endpoint's host differs from the issuer's (split-horizon DNS, proxies)
//	DSC025  warn   id_token_signing_alg_values_supported lists "none" (warn) or only HMAC algorithms (note)
//	DSC026  fail   response_types_supported includes "code"
//	DSC030  fail   the JWKS was fetched (transport failures use DSC003-DSC014)
//	DSC031  fail   the JWKS has no "keys" array
//	DSC032  fail   no public signing key (warn when the provider announces only HMAC algorithms)
//	DSC033  fail   a symmetric (kty "oct") key is published
//	DSC034  fail   private key material is published
//	DSC035  warn   signing keys without kid, or with the same kid, when there are several
//	DSC036  note   a key that cannot verify ID tokens (use "enc", unknown kty, unparsable)
//	DSC037  warn   an announced asymmetric algorithm has no key of its type
//	DSC040  warn   this machine's clock differs from the provider's Date header by more than ClockTolerance
package discovery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/ssoctl/ssoctl/pkg/provider"
)

// WellKnownPath is appended to an issuer to find its discovery document (OpenID Connect Discovery §4).
const WellKnownPath = "/.well-known/openid-configuration"

// MaxDocumentBytes bounds every document read: real discovery documents and key sets are a few KiB.
const MaxDocumentBytes = 1 << 20

// ClockTolerance is how far this machine's clock may differ from the provider's Date header before
// DSC040 warns. It equals the clock skew ID token checks allow (login.DefaultClockSkew): beyond it,
// fresh tokens fail their iat or exp check.
const ClockTolerance = 2 * time.Minute

// Status is the outcome of one check.
type Status string

// Statuses, from good to bad. Only StatusFail makes discover exit 1.
const (
	StatusPass Status = "pass"
	StatusNote Status = "note"
	StatusWarn Status = "warn"
	StatusFail Status = "fail"
)

// Check is one finding.
type Check struct {
	// Code is the stable check code, e.g. "DSC020".
	Code string `json:"code"`
	// Status is pass, note, warn or fail.
	Status Status `json:"status"`
	// Message is one sentence saying what was found.
	Message string `json:"message"`
	// Hint says what to do about it; empty for passes.
	Hint string `json:"hint,omitempty"`
	// Expected and Actual are the compared values of a failed comparison: Expected is the value to
	// use, Actual the one found. A text report puts a caret under their first difference.
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
}

// Fetch is one HTTP GET made while inspecting.
type Fetch struct {
	// What names the document: "discovery" or "jwks".
	What string `json:"what"`
	URL  string `json:"url"`
	// FinalURL is where redirects led, when they led elsewhere.
	FinalURL string `json:"finalUrl,omitempty"`
	// Status is the HTTP status line ("200 OK"); empty when no answer came.
	Status     string `json:"status,omitempty"`
	StatusCode int    `json:"statusCode,omitempty"`
	// ContentType is the media type of the answer, without parameters.
	ContentType string `json:"contentType,omitempty"`
	// DurationMs is how long the fetch took, in milliseconds.
	DurationMs int64 `json:"durationMs"`
	// Duration is the same, exact.
	Duration time.Duration `json:"-"`
	// Date is the answer's Date header, zero when absent.
	Date time.Time `json:"-"`
}

// Key is one entry of the JWKS as the report shows it.
type Key struct {
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	Alg string `json:"alg"`
	Use string `json:"use"`
	// Crv is the curve of EC and OKP keys.
	Crv string `json:"crv,omitempty"`
	// Bits is the modulus size of RSA keys.
	Bits int `json:"bits,omitempty"`
	// Usable says whether the key can verify ID token signatures.
	Usable bool `json:"usable"`
}

// JWKS is the key set as the report shows it.
type JWKS struct {
	URL  string `json:"url"`
	Keys []Key  `json:"keys"`
}

// Report is what Inspect found.
type Report struct {
	// Input is the argument as given.
	Input string `json:"input"`
	// Issuer is the issuer that was checked: Input, without a pasted well-known suffix.
	Issuer string `json:"issuer"`
	// DiscoveryURL is where the document was fetched.
	DiscoveryURL string `json:"discoveryUrl"`
	// Document is the discovery document as served, when it was a JSON object.
	Document json.RawMessage `json:"document"`
	// JWKS is the key set, when it was fetched and read.
	JWKS *JWKS `json:"jwks"`
	// Fetches are the HTTP requests made, in order.
	Fetches []Fetch `json:"fetches"`
	// Checks are the findings, in order.
	Checks []Check `json:"checks"`

	// Metadata is the document decoded, nil when it could not be.
	Metadata *provider.Discovery `json:"-"`
	// signingKeys are the keys that verify signatures.
	signingKeys []jose.JSONWebKey
}

// OK says no check failed.
func (r *Report) OK() bool { return len(r.Failed()) == 0 }

// Failed returns the failed checks.
func (r *Report) Failed() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Status == StatusFail {
			out = append(out, c)
		}
	}
	return out
}

// Find returns the first check with the code.
func (r *Report) Find(code string) (Check, bool) {
	for _, c := range r.Checks {
		if c.Code == code {
			return c, true
		}
	}
	return Check{}, false
}

// SigningKeys returns the JWKS's public signing keys, for verifying tokens.
func (r *Report) SigningKeys() []jose.JSONWebKey {
	return append([]jose.JSONWebKey(nil), r.signingKeys...)
}

func (r *Report) add(c Check) { r.Checks = append(r.Checks, c) }

// Options tune Inspect.
type Options struct {
	// Client makes the requests; http.DefaultClient when nil. Pass one that trusts --ca-file.
	Client *http.Client
	// Now is the clock the Date header is compared with; time.Now when nil.
	Now func() time.Time
}

// InputError is an issuer argument that is not an issuer URL. Its exit code is 2 (usage).
type InputError struct {
	Input  string
	Reason string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("%q is not an issuer URL: %s", e.Input, e.Reason)
}

// Hint shows what an issuer looks like.
func (e *InputError) Hint() string {
	return "pass the issuer as the provider shows it, such as https://auth.example.com/application/o/app/ (authentik) or https://kc.example.com/realms/main (Keycloak)"
}

// ExitCode is 2: the argument is unusable.
func (e *InputError) ExitCode() int { return 2 }

// NormalizeIssuer checks that input is an http(s) URL without query or fragment and strips a pasted
// "/.well-known/openid-configuration" suffix, reporting whether it did.
func NormalizeIssuer(input string) (issuer string, stripped bool, err error) {
	s := strings.TrimSpace(input)
	u, perr := url.Parse(s)
	switch {
	case s == "":
		return "", false, &InputError{Input: input, Reason: "it is empty"}
	case perr != nil:
		return "", false, &InputError{Input: input, Reason: strings.TrimPrefix(perr.Error(), "parse "+fmt.Sprintf("%q", s)+": ")}
	case u.Scheme != "http" && u.Scheme != "https":
		return "", false, &InputError{Input: input, Reason: "it must start with https:// (or http:// on loopback)"}
	case u.Host == "":
		return "", false, &InputError{Input: input, Reason: "it has no host"}
	case u.RawQuery != "" || u.Fragment != "":
		return "", false, &InputError{Input: input, Reason: "an issuer has no query or fragment (OpenID Connect Discovery §2)"}
	}
	if base, ok := strings.CutSuffix(strings.TrimSuffix(s, "/"), WellKnownPath); ok {
		return base, true, nil
	}
	return s, false, nil
}

// Inspect fetches the discovery document of issuer (an issuer URL, or its discovery URL) and its
// JWKS, and checks both. The error is an *InputError for an argument that is not a URL; every
// problem with the provider is a failed Check in the report.
func Inspect(ctx context.Context, input string, opts Options) (*Report, error) {
	issuer, stripped, err := NormalizeIssuer(input)
	if err != nil {
		return nil, err
	}
	if opts.Client == nil {
		opts.Client = http.DefaultClient
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	r := &Report{Input: input, Issuer: issuer, DiscoveryURL: provider.DiscoveryURL(issuer), Fetches: []Fetch{}, Checks: []Check{}}

	f, body, fail := get(ctx, opts.Client, "discovery", r.DiscoveryURL)
	r.Fetches = append(r.Fetches, f)
	if fail == nil {
		r.Document, r.Metadata, fail = decodeDocument(f, body)
	}
	if stripped {
		r.add(wellKnownNote(r, input))
	}
	if fail != nil {
		r.add(*fail)
		return r, nil
	}
	r.add(Check{Code: CodeFetch, Status: StatusPass, Message: fmt.Sprintf("discovery document fetched: %s%s in %s", f.Status, redirected(f), FormatDuration(f.Duration))})
	checkDocument(r, stripped)
	checkClock(r, f, opts.Now())
	inspectJWKS(ctx, r, opts.Client)
	return r, nil
}

// wellKnownNote explains the stripped suffix. When the document names the issuer with a trailing
// slash, the stripped input has none, and the note says which form to use.
func wellKnownNote(r *Report, input string) Check {
	iss := r.Issuer
	if r.Metadata != nil && strings.TrimSuffix(r.Metadata.Issuer, "/") == strings.TrimSuffix(iss, "/") {
		iss = r.Metadata.Issuer
	}
	return Check{Code: CodeWellKnownURL, Status: StatusNote,
		Message: fmt.Sprintf("%s is the discovery document's URL; the issuer is %s", strings.TrimSpace(input), iss),
		Hint:    fmt.Sprintf("configure the issuer as %s: apps append %s themselves", iss, WellKnownPath)}
}

func redirected(f Fetch) string {
	if f.FinalURL == "" {
		return ""
	}
	return " (after a redirect to " + f.FinalURL + ")"
}

// decodeDocument reads the answer as provider metadata.
func decodeDocument(f Fetch, body []byte) (json.RawMessage, *provider.Discovery, *Check) {
	obj, fail := jsonObject(f, body)
	if fail != nil {
		return nil, nil, fail
	}
	known := 0
	for _, k := range []string{"issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"} {
		if _, ok := obj[k]; ok {
			known++
		}
	}
	if known == 0 {
		return nil, nil, &Check{Code: CodeNotMetadata, Status: StatusFail,
			Message: fmt.Sprintf("%s answered JSON that is not OpenID provider metadata: it has none of issuer, authorization_endpoint, token_endpoint, jwks_uri (its keys: %s)", f.URL, keyList(obj)),
			Hint:    "the URL serves another API's JSON (an error object, another application); check the issuer URL"}
	}
	var d provider.Discovery
	if err := json.Unmarshal(body, &d); err != nil {
		var te *json.UnmarshalTypeError
		msg := err.Error()
		if errors.As(err, &te) {
			msg = fmt.Sprintf("field %s is a JSON %s, not a %s", te.Field, te.Value, jsonKind(te.Type.String()))
		}
		return nil, nil, &Check{Code: CodeNotMetadata, Status: StatusFail,
			Message: fmt.Sprintf("the discovery document at %s is not valid provider metadata: %s", f.URL, msg),
			Hint:    "the provider serves a malformed document; apps' OIDC libraries will reject it too"}
	}
	return json.RawMessage(body), &d, nil
}

func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "list"
	case goType == "string":
		return "string"
	}
	return goType
}
