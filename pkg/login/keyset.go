package login

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/json"
	"fmt"
	"hash"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"
)

// asymmetricAlgs are the signature algorithms verified against the issuer's published keys.
var asymmetricAlgs = []string{
	oidc.RS256, oidc.RS384, oidc.RS512, oidc.ES256, oidc.ES384, oidc.ES512,
	oidc.PS256, oidc.PS384, oidc.PS512, oidc.EdDSA,
}

// hmacAlgs are verified with the client secret (OIDC Core §10.1), never with a published key.
var hmacAlgs = []string{"HS256", "HS384", "HS512"}

// hmacHashes are the HMACs' hash functions. A key shorter than the hash's output is refused: RFC
// 7518 §3.2 says a key of the hash's size or larger MUST be used, and go-jose v4.1.9 (symmetric.go,
// symmetricMac.hmac) answers a shorter one with ErrInvalidKeySize, which its Verify reports only as
// a failed signature (ErrCryptoFailure).
var hmacHashes = map[string]func() hash.Hash{"HS256": sha256.New, "HS384": sha512.New384, "HS512": sha512.New}

// CheckSecretLength is the Error.Check of an HMAC-signed ID token whose client secret is shorter
// than the HMAC's hash (RFC 7518 §3.2).
const CheckSecretLength = "secret length"

// keySet is the issuer's JWKS as an oidc.KeySet that explains its failures: an unknown kid refetches
// the set once and then fails naming the kids it has; HMAC algorithms use the client secret only.
type keySet struct {
	url    string
	secret string

	mu        sync.Mutex
	keys      []jose.JSONWebKey
	skipped   []string
	refetched bool
	// lastErr keeps the typed error of the last failed verification: go-oidc wraps it with %v.
	lastErr *Error
}

var _ oidc.KeySet = (*keySet)(nil)

// fetch loads the JWKS. Keys that cannot be parsed are skipped and named, not fatal: providers
// publish encryption keys and key types no client needs.
func (k *keySet) fetch(ctx context.Context, client *http.Client) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := readBody(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s returned %s", k.url, resp.Status)
	}
	var raw struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return fmt.Errorf("the JWKS at %s is not a JSON key set: %v", k.url, err)
	}
	var keys []jose.JSONWebKey
	var skipped []string
	for i, r := range raw.Keys {
		var key jose.JSONWebKey
		if err := key.UnmarshalJSON(r); err != nil {
			skipped = append(skipped, fmt.Sprintf("key %d: %v", i, err))
			continue
		}
		if !key.IsPublic() || key.Use == "enc" {
			skipped = append(skipped, fmt.Sprintf("key %q: not a public signing key", key.KeyID))
			continue
		}
		keys = append(keys, key)
	}
	k.mu.Lock()
	k.keys, k.skipped = keys, skipped
	k.mu.Unlock()
	return nil
}

// describe lists the keys for the report: kid and algorithm.
func (k *keySet) describe() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	parts := make([]string, 0, len(k.keys))
	for _, key := range k.keys {
		alg := key.Algorithm
		if alg == "" {
			alg = keyType(key)
		}
		parts = append(parts, fmt.Sprintf("%s %s", orNone(key.KeyID), alg))
	}
	s := fmt.Sprintf("%d signing key(s)", len(k.keys))
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	if len(k.skipped) > 0 {
		s += fmt.Sprintf(" (%d skipped)", len(k.skipped))
	}
	return s
}

func keyType(key jose.JSONWebKey) string {
	switch fmt.Sprintf("%T", key.Key) {
	case "*rsa.PublicKey":
		return "RSA"
	case "*ecdsa.PublicKey":
		return "EC"
	case "ed25519.PublicKey":
		return "OKP"
	}
	return "?"
}

func (k *keySet) kids() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var ids []string
	for _, key := range k.keys {
		ids = append(ids, orNone(key.KeyID))
	}
	return ids
}

func orNone(s string) string {
	if s == "" {
		return "(no kid)"
	}
	return s
}

// VerifySignature implements oidc.KeySet.
func (k *keySet) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	payload, err := k.verify(ctx, jwt)
	k.mu.Lock()
	k.lastErr = err
	k.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return payload, nil
}

func (k *keySet) verify(ctx context.Context, jwt string) ([]byte, *Error) {
	algs := make([]jose.SignatureAlgorithm, 0, len(asymmetricAlgs)+len(hmacAlgs))
	for _, a := range append(slices.Clone(asymmetricAlgs), hmacAlgs...) {
		algs = append(algs, jose.SignatureAlgorithm(a))
	}
	jws, err := jose.ParseSignedCompact(jwt, algs)
	if err != nil || len(jws.Signatures) != 1 {
		return nil, &Error{Step: "id token", Check: "signature", Message: fmt.Sprintf("id token signature check failed: the token is not a JWS with one signature: %v", err), Err: err}
	}
	h := jws.Signatures[0].Header
	if slices.Contains(hmacAlgs, h.Algorithm) {
		if k.secret == "" {
			return nil, hmacWithoutSecret(h.Algorithm)
		}
		if err := shortHMACSecret(h.Algorithm, k.secret, jwt, jws.Signatures[0].Signature); err != nil {
			return nil, err
		}
		payload, err := jws.Verify([]byte(k.secret))
		if err != nil {
			return nil, &Error{Step: "id token", Check: "signature", Expected: "an HMAC with the client secret",
				Message:  fmt.Sprintf("id token signature check failed: the %s signature does not verify with the client secret", h.Algorithm),
				HintText: "the configured client secret differs from the provider's, or the token was forged (an HMAC keyed with the provider's public key is a known attack)", Err: err}
		}
		return payload, nil
	}
	client := http.DefaultClient
	if c, ok := ctx.Value(oauth2.HTTPClient).(*http.Client); ok {
		client = c
	}
	candidates := k.matching(h.KeyID)
	if len(candidates) == 0 && h.KeyID != "" {
		// Key rotation: the provider may sign with a key it has just published (OIDC Core §10.1.1).
		k.mu.Lock()
		again := !k.refetched
		k.refetched = true
		k.mu.Unlock()
		if again {
			if err := k.fetch(ctx, client); err != nil {
				return nil, &Error{Step: "id token", Check: "signature", Message: fmt.Sprintf("id token signature check failed: key id %q is unknown and refetching the JWKS failed: %v", h.KeyID, err), Err: err}
			}
			candidates = k.matching(h.KeyID)
		}
	}
	if len(candidates) == 0 {
		return nil, checkError("id token", "kid", strings.Join(k.kids(), ", "), h.KeyID,
			fmt.Sprintf("id token signature check failed: key id %q is not in the issuer's JWKS (%s), even after fetching it again", h.KeyID, strings.Join(k.kids(), ", ")),
			"the token was signed by a key the issuer does not publish: it comes from another issuer or environment, or the provider rotated keys without publishing the new one")
	}
	var lastErr error
	for _, key := range candidates {
		payload, err := jws.Verify(&key)
		if err == nil {
			return payload, nil
		}
		lastErr = err
	}
	return nil, &Error{Step: "id token", Check: "signature", Expected: "a valid " + h.Algorithm + " signature", Actual: "invalid",
		Message:  fmt.Sprintf("id token signature check failed: the %s signature does not verify with key %s from the issuer's JWKS", h.Algorithm, orNone(h.KeyID)),
		HintText: "the token was altered on the way or signed by someone else; if it persists, the provider signs with a key other than the one it publishes",
		Err:      lastErr}
}

// HMACKeySize is the smallest key, in bytes, RFC 7518 §3.2 allows for an HMAC algorithm (its hash's
// size); 0 for another algorithm.
func HMACKeySize(alg string) int {
	if h, ok := hmacHashes[alg]; ok {
		return h().Size()
	}
	return 0
}

// shortHMACSecret is the error for an HMAC-signed token whose client secret is shorter than the
// hash and made its signature, nil otherwise: go-jose refuses such a key as ErrInvalidKeySize, which
// would read as a bad signature. The HMAC is computed here (crypto/hmac takes any key) only to tell
// the two apart: a token whose HMAC does not match the secret either (a forgery keyed with the
// provider's public key, or another secret) is left to the signature check, which says so.
func shortHMACSecret(alg, secret, jwt string, sig []byte) *Error {
	need := HMACKeySize(alg)
	if len(secret) >= need {
		return nil
	}
	mac := hmac.New(hmacHashes[alg], []byte(secret))
	mac.Write([]byte(jwt[:strings.LastIndexByte(jwt, '.')])) // the JWS signing input: header.payload
	if !hmac.Equal(mac.Sum(nil), sig) {
		return nil
	}
	return &Error{Step: "id token", Check: CheckSecretLength,
		Expected: fmt.Sprintf("at least %d bytes (%s)", need, alg), Actual: fmt.Sprintf("%d bytes", len(secret)),
		Message: fmt.Sprintf("id token signature check failed: the ID token is signed with %s keyed with the client secret, and the client secret is %d bytes, shorter than the %d bytes %s needs (RFC 7518 §3.2): its HMAC matches, but go-jose refuses so short a key, so the signature does not count as verified",
			alg, len(secret), need, alg),
		HintText: fmt.Sprintf("give the client a secret of at least %d bytes at the provider and in the config (openssl rand -hex %d prints one), or make the provider sign this client's ID tokens with RS256", need, need/2),
		Err:      jose.ErrInvalidKeySize}
}

func hmacWithoutSecret(alg string) *Error {
	return checkError("id token", "signature", "an asymmetric signature (RS256, ES256, ...)", alg,
		fmt.Sprintf("id token signature check failed: alg %s is an HMAC, which only a client secret can key, and this client has none", alg),
		"ssoctl never keys an HMAC with the provider's public key (a known forgery); configure the provider to sign ID tokens with RS256 or ES256")
}

// matching returns the keys a token with this kid may be verified with: the key with that kid, or
// every key when the token names none.
func (k *keySet) matching(kid string) []jose.JSONWebKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []jose.JSONWebKey
	for _, key := range k.keys {
		if kid == "" || key.KeyID == kid {
			out = append(out, key)
		}
	}
	return out
}

func (k *keySet) takeErr() *Error {
	k.mu.Lock()
	defer k.mu.Unlock()
	err := k.lastErr
	k.lastErr = nil
	return err
}
