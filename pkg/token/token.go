// Package token decodes JSON Web Tokens for people: the header (alg, kid, typ), the claims with their
// times made readable, whether it is a signed (JWS, three parts) or an encrypted (JWE, five parts)
// token, and, on request, verifies an ID token against its issuer's keys naming each check.
//
// Decoding never verifies anything, and nothing here prints or returns the raw token: it is a
// bearer credential, while its claims are what an admin needs to see.
package token

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// MaxBytes bounds a token read from stdin or an argument: real ID tokens are a few KiB.
const MaxBytes = 256 << 10

// Token is a decoded, unverified JWT.
type Token struct {
	// Header is the JOSE header as sent (the protected header of a JWE).
	Header map[string]any
	// Claims is the payload, nil for an encrypted token. Numbers are json.Number, exact.
	Claims map[string]any
	// Alg, Kid and Typ are the header's alg, kid and typ ("" when absent).
	Alg, Kid, Typ string
	// Encrypted is set for a five-part JWE, whose claims cannot be read.
	Encrypted bool
	// Enc is a JWE's content encryption algorithm.
	Enc string

	// raw is the compact token, kept for signature verification and never shown.
	raw string
}

// FormatError is input that is not a JWT. Its exit code is 2: the input is unusable.
type FormatError struct{ Reason string }

func (e *FormatError) Error() string { return "the input is not a JWT: " + e.Reason }

// Hint describes what a JWT looks like, without echoing the input (it may be a secret).
func (e *FormatError) Hint() string {
	return "a JWT is three base64url parts separated by dots (header.payload.signature), starting with eyJ; pass the id_token value itself, not the whole token response"
}

// ExitCode is 2.
func (e *FormatError) ExitCode() int { return 2 }

// EncryptedError is a JWE: its claims are encrypted to the client's key. Its exit code is 1: the
// token is not what apps (and ssoctl) can use.
type EncryptedError struct{ Alg, Enc string }

func (e *EncryptedError) Error() string {
	return fmt.Sprintf("this is an encrypted ID token (JWE, alg %s, enc %s); remove the encryption key in the provider's settings to get a signed one", orDash(e.Alg), orDash(e.Enc))
}

// Hint names the settings.
func (e *EncryptedError) Hint() string {
	return "apps expect signed ID tokens they can read; authentik: clear the provider's Encryption Key; Keycloak: clear the client's ID token encryption algorithms (Advanced tab)"
}

// ExitCode is 1.
func (e *EncryptedError) ExitCode() int { return 1 }

// Parse decodes a compact JWT without verifying it. Surrounding blanks, quotes and a "Bearer "
// prefix are ignored, as they come with copied headers and JSON values. A JWE returns the token
// (header only) together with an *EncryptedError; input that is not a JWT a *FormatError.
func Parse(input string) (*Token, error) {
	s := strings.TrimSpace(input)
	if len(s) > MaxBytes {
		// Input read from stdin is cut at MaxBytes+1, so its real length is unknown here.
		return nil, &FormatError{Reason: fmt.Sprintf("it is longer than %d KiB; real tokens have a few KiB", MaxBytes>>10)}
	}
	if len(s) >= 7 && strings.EqualFold(s[:7], "bearer ") {
		s = strings.TrimSpace(s[7:])
	}
	s = strings.Trim(s, `"'`)
	if s == "" {
		return nil, &FormatError{Reason: "it is empty"}
	}
	if strings.ContainsAny(s, " \t\r\n") {
		return nil, &FormatError{Reason: "it contains blanks or line breaks; a JWT is one word"}
	}
	parts := strings.Split(s, ".")
	switch len(parts) {
	case 3, 5:
	default:
		return nil, &FormatError{Reason: fmt.Sprintf("it has %d dot-separated part(s); a signed JWT has 3, an encrypted one 5", len(parts))}
	}
	header, err := decodePart(parts[0])
	if err != nil {
		return nil, &FormatError{Reason: "its header " + err.Error()}
	}
	t := &Token{Header: header, raw: s}
	t.Alg, t.Kid, t.Typ = str(header, "alg"), str(header, "kid"), str(header, "typ")
	if len(parts) == 5 {
		t.Encrypted = true
		t.Enc = str(header, "enc")
		return t, &EncryptedError{Alg: t.Alg, Enc: t.Enc}
	}
	if _, ok := header["alg"]; !ok {
		return nil, &FormatError{Reason: `its header has no "alg"`}
	}
	claims, err := decodePart(parts[1])
	if err != nil {
		return nil, &FormatError{Reason: "its payload " + err.Error()}
	}
	t.Claims = claims
	return t, nil
}

// Signed says whether the token has a signature part (alg "none" tokens have none).
func (t *Token) Signed() bool {
	return !t.Encrypted && !strings.HasSuffix(t.raw, ".")
}

func decodePart(p string) (map[string]any, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(p, "="))
	if err != nil {
		return nil, errors.New("is not base64url")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil || dec.More() {
		return nil, errors.New("is not a JSON object")
	}
	return m, nil
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// TimeClaims are the claims that hold seconds since the epoch (RFC 7519 §4.1, OIDC Core §2, §5.1).
var TimeClaims = []string{"exp", "iat", "nbf", "auth_time", "updated_at"}

// Time is a time claim made readable.
type Time struct {
	// Unix is the value as sent.
	Unix json.Number `json:"unix"`
	// Time is the value in RFC 3339, UTC.
	Time string `json:"time"`
	// Relative is the distance from now: "in 5m", "2h ago", "now".
	Relative string `json:"relative"`
}

// Times returns the token's time claims made readable relative to now. Claims that are not
// numbers are left out (the claims show them as they are).
func (t *Token) Times(now time.Time) map[string]Time {
	out := map[string]Time{}
	for _, name := range TimeClaims {
		n, ok := t.Claims[name].(json.Number)
		if !ok {
			continue
		}
		at, ok := numericDate(n)
		if !ok {
			continue
		}
		out[name] = Time{Unix: n, Time: at.UTC().Format(time.RFC3339), Relative: Relative(at, now)}
	}
	return out
}

// numericDate reads a NumericDate, which may have a fraction (RFC 7519 §2).
func numericDate(n json.Number) (time.Time, bool) {
	if i, err := n.Int64(); err == nil {
		return time.Unix(i, 0), true
	}
	f, err := n.Float64()
	if err != nil || f > 1e15 || f < -1e15 {
		return time.Time{}, false
	}
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9)), true
}

// Relative says how far t is from now in at most two units: "in 5m", "2h30m ago", "now".
func Relative(t, now time.Time) string {
	d := t.Sub(now).Round(time.Second)
	switch {
	case d == 0:
		return "now"
	case d > 0:
		return "in " + shortDuration(d)
	}
	return shortDuration(-d) + " ago"
}

func shortDuration(d time.Duration) string {
	const day = 24 * time.Hour
	two := func(n1 int64, u1 string, n2 int64, u2 string) string {
		if n2 == 0 {
			return fmt.Sprintf("%d%s", n1, u1)
		}
		return fmt.Sprintf("%d%s%d%s", n1, u1, n2, u2)
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int64(d/time.Second))
	case d < time.Hour:
		return two(int64(d/time.Minute), "m", int64(d%time.Minute/time.Second), "s")
	case d < day:
		return two(int64(d/time.Hour), "h", int64(d%time.Hour/time.Minute), "m")
	}
	return two(int64(d/day), "d", int64(d%day/time.Hour), "h")
}
