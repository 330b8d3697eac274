package login

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// DefaultClockSkew is how far in the future an ID token's iat may lie: clocks of two machines differ
// by seconds when NTP works, and by minutes when it does not; more than this is worth a failure.
const DefaultClockSkew = 2 * time.Minute

// Header is the part of a JWS header the report shows.
type Header struct {
	Alg string `json:"alg"`
	Kid string `json:"kid,omitempty"`
	Typ string `json:"typ,omitempty"`
	// Enc is set only for an encrypted ID token (a JWE, which the login rejects): its content
	// encryption algorithm, next to the key management algorithm in Alg.
	Enc string `json:"enc,omitempty"`
}

// idTokenVerifier runs every ID token check of OIDC Core §3.1.3.7 and says which one failed.
type idTokenVerifier struct {
	issuer string
	// issuerTemplate is set for Entra's multi-tenant authorities: the expected iss is the template
	// with the token's tid.
	issuerTemplate string
	clientID       string
	nonce          string
	now            func() time.Time
	skew           time.Duration
	// discoveredAlgs is id_token_signing_alg_values_supported.
	discoveredAlgs []string
	keys           *keySet
}

// verified is what a successful verification yields.
type verified struct {
	header Header
	claims map[string]any
	sub    string
	checks []string
}

func parseHeader(raw string) (Header, error) {
	first, _, ok := strings.Cut(raw, ".")
	if !ok || strings.Count(raw, ".") != 2 {
		return Header{}, errors.New("it is not a compact JWS (three base64url parts separated by dots)")
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(first, "="))
	if err != nil {
		return Header{}, fmt.Errorf("its header is not base64url: %v", err)
	}
	var h Header
	if err := json.Unmarshal(b, &h); err != nil {
		return Header{}, fmt.Errorf("its header is not JSON: %v", err)
	}
	return h, nil
}

// encryptedToken is the error for an ID token that is a JWE (five parts): encrypted to a key the
// client registered at the provider, which neither ssoctl nor the apps it tests hold.
func encryptedToken(raw string) (*verified, error) {
	var h Header
	first, _, _ := strings.Cut(raw, ".")
	if b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(first, "=")); err == nil {
		_ = json.Unmarshal(b, &h) // the message says what the header names, if anything
	}
	algs := "alg " + orQuote(h.Alg) + ", enc " + orQuote(h.Enc)
	return &verified{header: h}, checkError("id token", "encrypted", "a signed JWT (JWS, 3 parts)", "an encrypted JWT (JWE, 5 parts, "+algs+")",
		"the id_token is encrypted (JWE, 5 parts, "+algs+"), not signed: ssoctl and the apps can only read and verify signed ID tokens",
		"remove the encryption key in the provider's settings so that ID tokens are only signed: authentik: clear the provider's Encryption Key; Keycloak: clear the client's ID token encryption algorithms (Advanced tab)")
}

func (v *idTokenVerifier) verify(ctx context.Context, raw, accessToken string) (*verified, error) {
	if strings.Count(raw, ".") == 4 {
		return encryptedToken(raw)
	}
	h, err := parseHeader(raw)
	if err != nil {
		return nil, &Error{Step: "id token", Check: "format", Message: "the id_token is malformed: " + err.Error(), HintText: "the provider returned something that is not a signed JWT in id_token", Err: err}
	}
	out := &verified{header: h}
	// The algorithm decides how the signature is checked, so it is checked first (RFC 8725 §3.1).
	switch {
	case strings.EqualFold(h.Alg, "none") || h.Alg == "":
		return out, checkError("id token", "signature", "a signed token", "alg "+orQuote(h.Alg),
			"id token signature check failed: the token is unsigned (alg \"none\"), which ssoctl never accepts",
			"configure the provider to sign ID tokens (RS256 or ES256); an unsigned token proves nothing about who issued it")
	case slices.Contains(hmacAlgs, h.Alg):
		if v.keys.secret == "" {
			return out, hmacWithoutSecret(h.Alg)
		}
	case !slices.Contains(asymmetricAlgs, h.Alg):
		return out, checkError("id token", "signature", strings.Join(asymmetricAlgs, ", "), h.Alg,
			fmt.Sprintf("id token signature check failed: alg %q is not a JWS signature algorithm ssoctl accepts", h.Alg),
			"configure the provider to sign ID tokens with RS256 or ES256")
	case len(v.discoveredAlgs) > 0 && !slices.Contains(v.discoveredAlgs, h.Alg):
		return out, checkError("id token", "signature", strings.Join(v.discoveredAlgs, ", "), h.Alg,
			fmt.Sprintf("id token signature check failed: alg %s is not among the algorithms the provider announces (id_token_signing_alg_values_supported: %s)", h.Alg, strings.Join(v.discoveredAlgs, ", ")),
			"the token was not made by this provider's configuration, or its discovery document is out of date")
	}
	algs := append(slices.Clone(asymmetricAlgs), hmacAlgs...)
	gv := oidc.NewVerifier(v.issuer, v.keys, &oidc.Config{
		// iss and aud are checked below, with messages that say what differs.
		SkipIssuerCheck:      true,
		SkipClientIDCheck:    true,
		SupportedSigningAlgs: algs,
		Now:                  v.now,
	})
	tok, err := gv.Verify(ctx, raw)
	if err != nil {
		if kerr := v.keys.takeErr(); kerr != nil {
			return out, kerr
		}
		var exp *oidc.TokenExpiredError
		if errors.As(err, &exp) {
			now := v.now()
			return out, checkError("id token", "exp", "after "+now.UTC().Format(time.RFC3339), exp.Expiry.UTC().Format(time.RFC3339),
				fmt.Sprintf("id token expiry check failed: it expired at %s, %s before this machine's time %s",
					exp.Expiry.UTC().Format(time.RFC3339), now.Sub(exp.Expiry).Round(time.Second), now.UTC().Format(time.RFC3339)),
				"ID tokens usually live minutes, so a token that arrives expired means a clock is off: "+clockSkewHint(issuedAt(raw), now))
		}
		return out, &Error{Step: "id token", Check: "claims", Message: "id token check failed: " + strings.TrimPrefix(err.Error(), "oidc: "), Err: err}
	}
	out.checks = append(out.checks, "signature "+h.Alg, "exp")
	claims, err := decodeClaims(raw)
	if err != nil {
		return out, &Error{Step: "id token", Check: "claims", Message: "id token claims are not a JSON object: " + err.Error(), Err: err}
	}
	out.claims = claims

	// iss
	wantIss := v.issuer
	if v.issuerTemplate != "" {
		tid, _ := claims["tid"].(string)
		if tid == "" {
			return out, checkError("id token", "iss", v.issuerTemplate, tok.Issuer,
				"id token issuer check failed: the provider's issuer is a tenant template, and the token has no tid claim to fill it",
				"use a concrete tenant ID instead of common/organizations in the provider's tenant")
		}
		if !tenantIDPattern().MatchString(tid) {
			return out, checkError("id token", "iss", v.issuerTemplate, tok.Issuer,
				fmt.Sprintf("id token issuer check failed: the token's tid %q is not a tenant ID (a GUID), so it cannot fill the issuer template %q", truncate(tid, 64), v.issuerTemplate),
				"the token was not issued by Entra ID; check issuer and tenant in the config")
		}
		wantIss = microsoftIssuer(v.issuerTemplate, tid)
	}
	if tok.Issuer != wantIss {
		return out, checkError("id token", "iss", wantIss, tok.Issuer,
			fmt.Sprintf("id token issuer check failed: expected %q, got %q", wantIss, tok.Issuer), issuerHint(wantIss, tok.Issuer))
	}
	out.checks = append(out.checks, "iss")

	// aud, and azp when several audiences (OIDC Core §3.1.3.7 steps 3-5)
	if !slices.Contains(tok.Audience, v.clientID) {
		return out, checkError("id token", "aud", v.clientID, strings.Join(tok.Audience, ", "),
			fmt.Sprintf("id token audience check failed: expected client ID %q among the audiences, got %s", v.clientID, quoteList(tok.Audience)),
			"client_id in the config is not the client the provider issued the token for; copy the client ID from the provider's application page")
	}
	out.checks = append(out.checks, "aud")
	azp, hasAzp := claims["azp"].(string)
	if len(tok.Audience) > 1 && !hasAzp {
		return out, checkError("id token", "azp", v.clientID, "",
			fmt.Sprintf("id token azp check failed: the token has %d audiences (%s) and no azp claim naming the client it was issued to", len(tok.Audience), strings.Join(tok.Audience, ", ")),
			"with several audiences OIDC requires azp; the provider's client configuration adds audiences it should not")
	}
	if hasAzp && azp != v.clientID {
		return out, checkError("id token", "azp", v.clientID, azp,
			fmt.Sprintf("id token azp check failed: expected %q, got %q", v.clientID, azp),
			"the token was issued to another client of the provider; check client_id")
	}
	if hasAzp {
		out.checks = append(out.checks, "azp")
	}

	// iat
	now := v.now()
	if tok.IssuedAt.IsZero() {
		return out, checkError("id token", "iat", "a time", "",
			"id token issued-at check failed: the token has no iat claim, which OIDC requires",
			"the provider is not OpenID Connect compliant")
	}
	if ahead := tok.IssuedAt.Sub(now); ahead > v.skew {
		return out, checkError("id token", "iat", "before "+now.Add(v.skew).UTC().Format(time.RFC3339), tok.IssuedAt.UTC().Format(time.RFC3339),
			fmt.Sprintf("id token issued-at check failed: it was issued at %s, %s in the future of this machine's time (allowed clock skew %s)",
				tok.IssuedAt.UTC().Format(time.RFC3339), ahead.Round(time.Second), v.skew),
			clockSkewHint(tok.IssuedAt, now))
	}
	out.checks = append(out.checks, "iat")

	// nonce, when one was sent (an app's client may send none: the report says so)
	switch {
	case v.nonce == "":
		// Nothing was sent, so nothing to compare.
	case tok.Nonce == "":
		return out, checkError("id token", "nonce", v.nonce, "",
			"id token nonce check failed: the token has no nonce claim, but ssoctl sent one in the authorize request",
			"the provider must copy the nonce of the authorize request into the ID token (OIDC Core §3.1.2.1); without it a replayed token cannot be told apart")
	case subtle.ConstantTimeCompare([]byte(tok.Nonce), []byte(v.nonce)) != 1:
		return out, checkError("id token", "nonce", v.nonce, tok.Nonce,
			fmt.Sprintf("id token nonce check failed: expected the nonce ssoctl sent (%s), got %q", v.nonce, truncate(tok.Nonce, 64)),
			"the token belongs to another login (replayed or mixed up by the provider or a proxy)")
	default:
		out.checks = append(out.checks, "nonce")
	}

	// at_hash, when present (code flow tokens may omit it)
	if tok.AccessTokenHash != "" {
		want, ok := atHash(h.Alg, accessToken)
		if !ok {
			return out, checkError("id token", "at_hash", "", tok.AccessTokenHash,
				fmt.Sprintf("id token at_hash check failed: no hash is defined for alg %s", h.Alg), "")
		}
		if want != tok.AccessTokenHash {
			return out, checkError("id token", "at_hash", want, tok.AccessTokenHash,
				fmt.Sprintf("id token at_hash check failed: the access token hashes to %q, the token says %q", want, tok.AccessTokenHash),
				"the access token and the ID token do not belong together; a proxy or the provider mixed up responses")
		}
		out.checks = append(out.checks, "at_hash")
	}

	if tok.Subject == "" {
		return out, checkError("id token", "sub", "a subject", "",
			"id token subject check failed: the token has no sub claim", "the provider is not OpenID Connect compliant")
	}
	out.sub = tok.Subject
	return out, nil
}

// atHash is the left half of the access token's hash with the hash of the token's alg
// (OIDC Core §3.1.3.6).
func atHash(alg, accessToken string) (string, bool) {
	var h hash.Hash
	switch {
	case alg == "EdDSA":
		h = sha512.New()
	case strings.HasSuffix(alg, "256"):
		h = sha256.New()
	case strings.HasSuffix(alg, "384"):
		h = sha512.New384()
	case strings.HasSuffix(alg, "512"):
		h = sha512.New()
	default:
		return "", false
	}
	h.Write([]byte(accessToken))
	sum := h.Sum(nil)
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2]), true
}

// decodeClaims decodes a JWT's payload keeping numbers exact (timestamps, numeric IDs).
func decodeClaims(raw string) (map[string]any, error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a compact JWS")
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, err
	}
	return decodeObject(b)
}

func decodeObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("null instead of an object")
	}
	return m, nil
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

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
