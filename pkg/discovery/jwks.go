package discovery

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// privateMembers are the JWK members that hold private key material (RFC 7518 §6.2.2, §6.3.2, §6.4;
// RFC 8037 §2).
var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth"}

// inspectJWKS fetches jwks_uri and checks the keys: parsable, public, asymmetric, signing, with kids
// that let a verifier pick the right one.
func inspectJWKS(ctx context.Context, r *Report, client *http.Client) {
	u, err := url.Parse(r.Metadata.JWKSURI)
	if r.Metadata.JWKSURI == "" || err != nil || !u.IsAbs() {
		return // DSC021 or DSC023 said why
	}
	f, body, fail := get(ctx, client, "jwks", r.Metadata.JWKSURI)
	r.Fetches = append(r.Fetches, f)
	if fail != nil {
		r.add(*fail)
		return
	}
	obj, fail := jsonObject(f, body)
	if fail != nil {
		r.add(*fail)
		return
	}
	var rawKeys []json.RawMessage
	if err := json.Unmarshal(obj["keys"], &rawKeys); err != nil || obj["keys"] == nil {
		r.add(Check{Code: CodeNotKeySet, Status: StatusFail,
			Message: fmt.Sprintf("the JWKS at %s has no \"keys\" array (its keys: %s)", f.URL, keyList(obj)),
			Hint:    "jwks_uri must serve a JSON Web Key Set (RFC 7517 §5); check the provider's signing key settings"})
		return
	}
	r.add(Check{Code: CodeJWKSFetch, Status: StatusPass, Message: fmt.Sprintf("JWKS fetched: %s, %d key(s)%s in %s", f.Status, len(rawKeys), redirected(f), FormatDuration(f.Duration))})
	r.JWKS = &JWKS{URL: f.URL, Keys: []Key{}}

	var symmetric, private, unusable []string
	kids := map[string]int{}
	noKid := 0
	for i, raw := range rawKeys {
		var members map[string]json.RawMessage
		if err := json.Unmarshal(raw, &members); err != nil {
			unusable = append(unusable, fmt.Sprintf("key %d is not a JSON object", i))
			continue
		}
		k := Key{Kid: str(members, "kid"), Kty: str(members, "kty"), Alg: str(members, "alg"), Use: str(members, "use")}
		name := keyName(i, k.Kid)
		if k.Kty == "oct" {
			symmetric = append(symmetric, name)
			r.JWKS.Keys = append(r.JWKS.Keys, k)
			continue
		}
		if slices.ContainsFunc(privateMembers, func(m string) bool { _, ok := members[m]; return ok }) {
			private = append(private, name)
		}
		var jwk jose.JSONWebKey
		if err := jwk.UnmarshalJSON(raw); err != nil {
			unusable = append(unusable, fmt.Sprintf("%s (kty %s): %v", name, orDash(k.Kty), err))
			r.JWKS.Keys = append(r.JWKS.Keys, k)
			continue
		}
		if !jwk.IsPublic() {
			jwk = jwk.Public()
		}
		switch key := jwk.Key.(type) {
		case *rsa.PublicKey:
			k.Bits = key.N.BitLen()
		case *ecdsa.PublicKey:
			k.Crv = key.Curve.Params().Name
		case ed25519.PublicKey:
			k.Crv = "Ed25519"
		}
		switch {
		case !jwk.Valid():
			unusable = append(unusable, name+" is not a valid public key")
		case k.Use != "" && k.Use != "sig":
			unusable = append(unusable, fmt.Sprintf("%s has use %q, not sig", name, k.Use))
		case k.Alg != "" && !slices.Contains(SignatureAlgorithms, k.Alg):
			unusable = append(unusable, fmt.Sprintf("%s has alg %q, not a signature algorithm", name, k.Alg))
		default:
			k.Usable = true
			r.signingKeys = append(r.signingKeys, jwk)
			if k.Kid == "" {
				noKid++
			} else {
				kids[k.Kid]++
			}
		}
		r.JWKS.Keys = append(r.JWKS.Keys, k)
	}

	if len(symmetric) > 0 {
		r.add(Check{Code: CodeSymmetricKey, Status: StatusFail,
			Message: fmt.Sprintf("the JWKS publishes symmetric (kty oct) keys: %s", strings.Join(symmetric, ", ")),
			Hint:    "a symmetric key in a public key set is a shared secret made public: anyone can sign tokens with it; remove it from the provider's published keys and rotate it"})
	}
	if len(private) > 0 {
		r.add(Check{Code: CodePrivateKey, Status: StatusFail,
			Message: fmt.Sprintf("the JWKS publishes private key material: %s", strings.Join(private, ", ")),
			Hint:    "anyone can now sign tokens as this provider: replace the key pair at once and publish only the public part"})
	}
	algs := r.Metadata.IDTokenSigningAlgValuesSupported
	hmacOnly := len(algs) > 0 && !slices.ContainsFunc(algs, func(a string) bool { return !isHMAC(a) })
	switch {
	case len(r.signingKeys) > 0:
		r.add(Check{Code: CodeNoSigningKey, Status: StatusPass, Message: fmt.Sprintf("%d public signing key(s)", len(r.signingKeys))})
	case hmacOnly:
		r.add(Check{Code: CodeNoSigningKey, Status: StatusWarn,
			Message: "the JWKS holds no public signing key; the provider signs ID tokens with client secrets (" + strings.Join(algs, ", ") + ")",
			Hint:    "apps that verify with the JWKS (RS256) will fail; authentik: select a signing key in the provider's settings"})
	default:
		r.add(Check{Code: CodeNoSigningKey, Status: StatusFail,
			Message: "the JWKS holds no public signing key, so no ID token signature can be verified",
			Hint:    "configure a signing key (RS256) in the provider; authentik: select a signing key in the provider's settings"})
	}
	if n := len(r.signingKeys); n > 1 {
		var dup []string
		for kid, c := range kids {
			if c > 1 {
				dup = append(dup, kid)
			}
		}
		slices.Sort(dup)
		switch {
		case noKid > 0:
			r.add(Check{Code: CodeKeyID, Status: StatusWarn,
				Message: fmt.Sprintf("%d of %d signing keys have no kid", noKid, n),
				Hint:    "verifiers pick the key by the token's kid; without one some libraries try none or only the first"})
		case len(dup) > 0:
			r.add(Check{Code: CodeKeyID, Status: StatusWarn,
				Message: fmt.Sprintf("several signing keys share a kid: %s", strings.Join(dup, ", ")),
				Hint:    "verifiers pick the key by the token's kid; give every key its own"})
		}
	}
	if len(unusable) > 0 {
		r.add(Check{Code: CodeKeyUnusable, Status: StatusNote,
			Message: fmt.Sprintf("keys that cannot verify ID tokens, skipped: %s", strings.Join(unusable, "; ")),
			Hint:    "harmless when the provider signs with another key; encryption keys belong here too"})
	}
	checkAlgsHaveKeys(r, algs)
}

// checkAlgsHaveKeys warns about an announced asymmetric algorithm no published key can verify.
func checkAlgsHaveKeys(r *Report, algs []string) {
	if len(r.signingKeys) == 0 {
		return
	}
	var orphan []string
	for _, alg := range algs {
		kty := keyTypeFor(alg)
		if kty == "" {
			continue
		}
		if !slices.ContainsFunc(r.JWKS.Keys, func(k Key) bool { return k.Usable && k.Kty == kty && (k.Alg == "" || k.Alg == alg) }) {
			orphan = append(orphan, alg)
		}
	}
	if len(orphan) > 0 {
		r.add(Check{Code: CodeAlgWithoutKey, Status: StatusWarn,
			Message: fmt.Sprintf("id_token_signing_alg_values_supported announces %s, but the JWKS has no key for it", strings.Join(orphan, ", ")),
			Hint:    "a client configured for that algorithm gets tokens nobody can verify; publish the key or stop announcing the algorithm"})
	}
}

// SignatureAlgorithms are the asymmetric JWS algorithms a published key can verify.
var SignatureAlgorithms = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

func keyTypeFor(alg string) string {
	switch {
	case strings.HasPrefix(alg, "RS"), strings.HasPrefix(alg, "PS"):
		return "RSA"
	case strings.HasPrefix(alg, "ES"):
		return "EC"
	case alg == "EdDSA":
		return "OKP"
	}
	return ""
}

func str(m map[string]json.RawMessage, k string) string {
	var s string
	_ = json.Unmarshal(m[k], &s)
	return s
}

func keyName(i int, kid string) string {
	if kid == "" {
		return fmt.Sprintf("key %d (no kid)", i)
	}
	return fmt.Sprintf("kid %q", kid)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
