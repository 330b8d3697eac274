package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"hash"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/ssoctl/ssoctl/pkg/discovery"
)

// DefaultClockSkew is how far exp, nbf and iat may be off this machine's clock: clocks of two
// machines differ by seconds when NTP works. It equals login.DefaultClockSkew and
// discovery.ClockTolerance, so discover warns exactly when tokens would start failing.
const DefaultClockSkew = 2 * time.Minute

// hmacAlgs are verified with the client secret (OIDC Core §10.1), never with a published key.
var hmacAlgs = []string{"HS256", "HS384", "HS512"}

// hmacHashes are the HMACs' hash functions: RFC 7518 §3.2 requires a key at least the hash's size,
// and go-jose refuses a shorter one (ErrInvalidKeySize), which its Verify reports as a failed
// signature. login.HMACKeySize says the same for test-login.
var hmacHashes = map[string]func() hash.Hash{"HS256": sha256.New, "HS384": sha512.New384, "HS512": sha512.New}

// VerifyOptions say what a token must satisfy.
type VerifyOptions struct {
	// Issuer is the expected iss, compared byte for byte.
	Issuer string
	// Audience is the client ID that must be among aud (and equal azp when aud has several).
	Audience string
	// Nonce, when set, must equal the nonce claim.
	Nonce string
	// Keys are the issuer's public signing keys (discovery.Report.SigningKeys).
	Keys []jose.JSONWebKey
	// Secret is the client secret, for HS256/384/512 tokens; nil refuses them.
	Secret []byte
	// AnnouncedAlgs is the issuer's id_token_signing_alg_values_supported, when known: an
	// asymmetric alg outside it is refused.
	AnnouncedAlgs []string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Skew is the allowed clock skew; DefaultClockSkew when 0.
	Skew time.Duration
}

// Passed is one check that passed, with what it found.
type Passed struct {
	Check  string `json:"check"`
	Detail string `json:"detail"`
}

// CheckError is a failed verification check: which one, the expected and the actual value, and a
// hint. Its exit code is 1.
type CheckError struct {
	// Check is signature, secret length, iss, aud, azp, exp, nbf, iat, nonce or sub.
	Check    string `json:"check"`
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
	Message  string `json:"message"`
	HintText string `json:"hint,omitempty"`
}

func (e *CheckError) Error() string { return e.Message }

// Hint says what to do.
func (e *CheckError) Hint() string { return e.HintText }

// ExitCode is 1: the token was rejected.
func (e *CheckError) ExitCode() int { return 1 }

func fail(check, expected, actual, msg, hint string) *CheckError {
	return &CheckError{Check: check, Expected: expected, Actual: actual, Message: msg, HintText: hint}
}

// Verify checks the token as an ID token (OIDC Core §3.1.3.7): signature, iss, aud, azp, exp, nbf,
// iat, nonce, sub, in that order, stopping at the first failure. It returns the checks that passed
// and a *CheckError for the one that failed.
func Verify(t *Token, opts VerifyOptions) ([]Passed, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Skew == 0 {
		opts.Skew = DefaultClockSkew
	}
	if t.Encrypted {
		return nil, &EncryptedError{Alg: t.Alg, Enc: t.Enc}
	}
	var passed []Passed
	detail, err := verifySignature(t, opts)
	if err != nil {
		return passed, err
	}
	passed = append(passed, Passed{"signature", detail})

	iss, _ := t.Claims["iss"].(string)
	if iss != opts.Issuer {
		return passed, fail("iss", opts.Issuer, iss,
			fmt.Sprintf("token issuer check failed: expected %q, got %q", opts.Issuer, iss), issuerHint(opts.Issuer, iss))
	}
	passed = append(passed, Passed{"iss", iss})

	aud, ok := audiences(t.Claims["aud"])
	if !ok {
		return passed, fail("aud", opts.Audience, "", "token audience check failed: aud is missing or not a string or list of strings",
			"an ID token's aud names the client it was issued to; this is not an ID token, or the provider is not compliant")
	}
	if !slices.Contains(aud, opts.Audience) {
		return passed, fail("aud", opts.Audience, strings.Join(aud, ", "),
			fmt.Sprintf("token audience check failed: expected client ID %q among the audiences, got %s", opts.Audience, quoteList(aud)),
			"the token was issued to another client: compare --audience with the client ID on the provider's application page (and with client_id in the app)")
	}
	passed = append(passed, Passed{"aud", strings.Join(aud, ", ")})
	azp, hasAzp := t.Claims["azp"].(string)
	switch {
	case len(aud) > 1 && !hasAzp:
		return passed, fail("azp", opts.Audience, "",
			fmt.Sprintf("token azp check failed: the token has %d audiences and no azp claim naming the client it was issued to", len(aud)),
			"with several audiences OpenID Connect requires azp; the provider's client configuration adds audiences it should not")
	case hasAzp && azp != opts.Audience:
		return passed, fail("azp", opts.Audience, azp, fmt.Sprintf("token azp check failed: expected %q, got %q", opts.Audience, azp),
			"the token was issued to another client of the provider")
	case hasAzp:
		passed = append(passed, Passed{"azp", azp})
	}

	now := opts.Now()
	exp, err := timeClaim(t, "exp", true)
	if err != nil {
		return passed, err
	}
	if late := now.Sub(exp); late > opts.Skew {
		return passed, fail("exp", "after "+now.Add(-opts.Skew).UTC().Format(time.RFC3339), exp.UTC().Format(time.RFC3339),
			fmt.Sprintf("token expiry check failed: it expired at %s, %s ago (allowed clock skew %s)", exp.UTC().Format(time.RFC3339), shortDuration(late.Round(time.Second)), opts.Skew),
			"ID tokens live minutes: get a fresh one (ssoctl test-login NAME --reveal); when a token arrives already expired, this machine's or the provider's clock is off")
	}
	passed = append(passed, Passed{"exp", Relative(exp, now)})
	if nbf, err := timeClaim(t, "nbf", false); err != nil {
		return passed, err
	} else if !nbf.IsZero() {
		if early := nbf.Sub(now); early > opts.Skew {
			return passed, fail("nbf", "before "+now.Add(opts.Skew).UTC().Format(time.RFC3339), nbf.UTC().Format(time.RFC3339),
				fmt.Sprintf("token not-before check failed: it is valid only from %s, %s from now (allowed clock skew %s)", nbf.UTC().Format(time.RFC3339), shortDuration(early.Round(time.Second)), opts.Skew),
				clockHint)
		}
		passed = append(passed, Passed{"nbf", Relative(nbf, now)})
	}
	iat, err := timeClaim(t, "iat", true)
	if err != nil {
		return passed, err
	}
	if ahead := iat.Sub(now); ahead > opts.Skew {
		return passed, fail("iat", "before "+now.Add(opts.Skew).UTC().Format(time.RFC3339), iat.UTC().Format(time.RFC3339),
			fmt.Sprintf("token issued-at check failed: it was issued at %s, %s in the future of this machine's time (allowed clock skew %s)", iat.UTC().Format(time.RFC3339), shortDuration(ahead.Round(time.Second)), opts.Skew),
			clockHint)
	}
	passed = append(passed, Passed{"iat", Relative(iat, now)})

	if opts.Nonce != "" {
		nonce, _ := t.Claims["nonce"].(string)
		if subtle.ConstantTimeCompare([]byte(nonce), []byte(opts.Nonce)) != 1 {
			return passed, fail("nonce", opts.Nonce, nonce, fmt.Sprintf("token nonce check failed: expected %q, got %q", opts.Nonce, nonce),
				"the token belongs to another login request than the one that sent this nonce")
		}
		passed = append(passed, Passed{"nonce", "matches"})
	}
	if sub, _ := t.Claims["sub"].(string); sub == "" {
		return passed, fail("sub", "a subject", "", "token subject check failed: the token has no sub claim",
			"an ID token names its user in sub; this is not an ID token, or the provider is not compliant")
	} else {
		passed = append(passed, Passed{"sub", sub})
	}
	return passed, nil
}

const clockHint = "the clocks of this machine and the provider disagree; check both (timedatectl, NTP); ssoctl discover ISSUER compares them"

func issuerHint(expected, actual string) string {
	if actual == "" {
		return "an ID token names its issuer in iss; this is not an ID token, or the provider is not compliant"
	}
	return discovery.IssuerHint(expected, actual)
}

// hmacMatches says whether sig is the alg HMAC of the compact token's signing input under key,
// computed with crypto/hmac, which takes a key of any length: it tells a secret too short for
// go-jose from a wrong one or a forgery.
func hmacMatches(alg string, key []byte, raw string, sig []byte) bool {
	mac := hmac.New(hmacHashes[alg], key)
	mac.Write([]byte(raw[:strings.LastIndexByte(raw, '.')])) // header.payload
	return hmac.Equal(mac.Sum(nil), sig)
}

// verifySignature checks the alg first (RFC 8725 §3.1: never let the token choose how it is
// verified), then the signature with the matching key or the client secret.
func verifySignature(t *Token, opts VerifyOptions) (string, error) {
	alg := t.Alg
	isHMAC := slices.Contains(hmacAlgs, alg)
	switch {
	case alg == "" || strings.EqualFold(alg, "none"):
		return "", fail("signature", "a signed token", "alg "+orQuote(alg),
			"token signature check failed: the token is unsigned (alg \"none\"), which ssoctl never accepts",
			"configure the provider's client to sign ID tokens (RS256 or ES256); an unsigned token proves nothing about who issued it")
	case isHMAC && opts.Secret == nil:
		return "", fail("signature", "a client secret for "+alg, "none given",
			fmt.Sprintf("token signature check failed: alg %s is an HMAC keyed with the client secret, and no secret was given", alg),
			"pass the client secret in an environment variable: --client-secret-env VAR; ssoctl never keys an HMAC with the provider's public key (a known forgery). Apps that accept only RS256 reject such tokens: authentik, select a signing key")
	case !isHMAC && !slices.Contains(discovery.SignatureAlgorithms, alg):
		return "", fail("signature", strings.Join(discovery.SignatureAlgorithms, ", "), alg,
			fmt.Sprintf("token signature check failed: alg %q is not a JWS signature algorithm ssoctl accepts", alg),
			"configure the provider to sign ID tokens with RS256 or ES256")
	case !isHMAC && len(opts.AnnouncedAlgs) > 0 && !slices.Contains(opts.AnnouncedAlgs, alg):
		return "", fail("signature", strings.Join(opts.AnnouncedAlgs, ", "), alg,
			fmt.Sprintf("token signature check failed: alg %s is not among the algorithms the issuer announces (id_token_signing_alg_values_supported: %s)", alg, strings.Join(opts.AnnouncedAlgs, ", ")),
			"the token was not made by this issuer's configuration: check --issuer")
	}
	jws, err := jose.ParseSignedCompact(t.raw, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
	if err != nil || len(jws.Signatures) != 1 {
		return "", fail("signature", "a JWS with one signature", "", fmt.Sprintf("token signature check failed: the token is not a well-formed JWS: %v", err), "")
	}
	if isHMAC {
		if need := hmacHashes[alg]().Size(); len(opts.Secret) < need && hmacMatches(alg, opts.Secret, t.raw, jws.Signatures[0].Signature) {
			return "", fail("secret length", fmt.Sprintf("at least %d bytes (%s)", need, alg), fmt.Sprintf("%d bytes", len(opts.Secret)),
				fmt.Sprintf("token signature check failed: the token is signed with %s keyed with the client secret, and the secret is %d bytes, shorter than the %d bytes %s needs (RFC 7518 §3.2): its HMAC matches, but go-jose refuses so short a key, so the signature does not count as verified", alg, len(opts.Secret), need, alg),
				fmt.Sprintf("give the client a secret of at least %d bytes at the provider, or make the provider sign this client's ID tokens with RS256", need))
		}
		if _, err := jws.Verify(opts.Secret); err != nil {
			return "", fail("signature", "an HMAC with the client secret", "invalid",
				fmt.Sprintf("token signature check failed: the %s signature does not verify with the client secret", alg),
				"the secret differs from the provider's for this client, or the token was altered or forged")
		}
		return alg + " with the client secret", nil
	}
	var candidates []jose.JSONWebKey
	var kids []string
	for _, k := range opts.Keys {
		kids = append(kids, orDash(k.KeyID))
		if (t.Kid == "" || k.KeyID == t.Kid) && (k.Algorithm == "" || k.Algorithm == alg) {
			candidates = append(candidates, k)
		}
	}
	if len(candidates) == 0 {
		msg := fmt.Sprintf("token signature check failed: the issuer's JWKS has no %s key with kid %q (its keys: %s)", alg, t.Kid, strings.Join(kids, ", "))
		if len(kids) == 0 {
			msg = "token signature check failed: the issuer's JWKS has no signing keys"
		}
		return "", fail("signature", "a key with kid "+orQuote(t.Kid), strings.Join(kids, ", "), msg,
			"the token comes from another issuer or environment (staging vs production), or the provider rotated its keys and this token is older than the rotation")
	}
	for _, k := range candidates {
		if _, err := jws.Verify(k); err == nil {
			return fmt.Sprintf("%s with key %s", alg, orDash(k.KeyID)), nil
		}
	}
	return "", fail("signature", "a valid "+alg+" signature", "invalid",
		fmt.Sprintf("token signature check failed: the %s signature does not verify with key %s from the issuer's JWKS", alg, orDash(t.Kid)),
		"the token was altered (copied incompletely?) or signed by someone else")
}

// timeClaim reads a NumericDate claim; a required claim that is missing, or any that is not a
// number, fails its check.
func timeClaim(t *Token, name string, required bool) (time.Time, error) {
	v, ok := t.Claims[name]
	if !ok {
		if required {
			return time.Time{}, fail(name, "a time", "", fmt.Sprintf("token %s check failed: the token has no %s claim, which ID tokens must have", name, name),
				"the provider is not OpenID Connect compliant, or this is not an ID token")
		}
		return time.Time{}, nil
	}
	n, ok := v.(json.Number)
	if ok {
		if at, ok := numericDate(n); ok {
			return at, nil
		}
	}
	b, _ := json.Marshal(v)
	return time.Time{}, fail(name, "seconds since 1970", string(b), fmt.Sprintf("token %s check failed: %s is %s, not a number of seconds", name, name, b),
		"the provider is not OpenID Connect compliant")
}

// audiences reads aud, a string or a list of strings (RFC 7519 §4.1.3).
func audiences(v any) ([]string, bool) {
	switch a := v.(type) {
	case string:
		return []string{a}, a != ""
	case []any:
		out := make([]string, 0, len(a))
		for _, e := range a {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, len(out) > 0
	}
	return nil, false
}

func orQuote(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
