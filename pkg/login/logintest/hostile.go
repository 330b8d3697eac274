package logintest

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Hostile provider modes: each misbehaves in exactly one way. ModeOK behaves.
const (
	ModeOK                  = "ok"
	ModeBadSignature        = "bad-signature"         // signed with a key other than the published one
	ModeAlgNone             = "alg-none"              // unsigned ID token
	ModeHS256PublicKey      = "hs256-public-key"      // HMAC keyed with the published RSA public key
	ModeUnknownKid          = "unknown-kid"           // signed with a key the JWKS never publishes
	ModeWrongIss            = "wrong-iss"             // iss with a trailing slash
	ModeWrongAud            = "wrong-aud"             // aud is another client
	ModeMultiAudNoAzp       = "multi-aud-no-azp"      // two audiences and no azp
	ModeExpired             = "expired"               // exp in the past
	ModeIatFuture           = "iat-future"            // iat an hour ahead
	ModeNonceMismatch       = "nonce-mismatch"        // another nonce
	ModeNonceMissing        = "nonce-missing"         // no nonce
	ModeAtHashMismatch      = "at-hash-mismatch"      // at_hash of another access token
	ModeErrorCallback       = "error-callback"        // authorize answers error=access_denied
	ModeStateMismatch       = "state-mismatch"        // authorize answers with another state
	ModeIssParamMismatch    = "iss-param-mismatch"    // RFC 9207 iss of another issuer
	ModeTokenError          = "token-error"           // token endpoint answers invalid_client
	ModeTokenHang           = "token-hang"            // token endpoint never answers
	ModeUserinfoSubMismatch = "userinfo-sub-mismatch" // userinfo describes another user
	ModeUserinfoHuge        = "userinfo-huge"         // a 50 MB userinfo body
	ModeDiscoveryIssuer     = "discovery-issuer"      // discovery names another issuer
	ModeEncryptedIDToken    = "encrypted-id-token"    // the ID token is a JWE (five parts), as with an encryption key set

	// Quirks: the login passes, and the doctor names what is odd.
	ModeMultiAud               = "multi-aud"                // two audiences, with azp naming the client
	ModeGroupsScopeUnannounced = "groups-scope-unannounced" // scopes_supported lists no groups scope

	// ModeInjected passes every check, and every word of the provider's own choosing (a claim name
	// and values, the granted scopes, userinfo) carries InjectEverything: a client must never print
	// them raw. It is in neither list: the doctor has nothing to say about it.
	ModeInjected = "injected"
)

// HostileModes lists every misbehaving mode.
var HostileModes = []string{
	ModeBadSignature, ModeAlgNone, ModeHS256PublicKey, ModeUnknownKid, ModeWrongIss, ModeWrongAud,
	ModeMultiAudNoAzp, ModeExpired, ModeIatFuture, ModeNonceMismatch, ModeNonceMissing, ModeAtHashMismatch,
	ModeErrorCallback, ModeStateMismatch, ModeIssParamMismatch, ModeTokenError, ModeTokenHang,
	ModeUserinfoSubMismatch, ModeUserinfoHuge, ModeDiscoveryIssuer, ModeEncryptedIDToken,
}

// QuirkModes lists the modes whose login passes while the provider does something the doctor
// reports (test-login's Doctor section).
var QuirkModes = []string{ModeMultiAud, ModeGroupsScopeUnannounced}

// Hostile client credentials and user.
const (
	HostileClientID = "hostile-client"
	HostileSecret   = "hostile-secret-do-not-print"
	HostileSubject  = "user-1"
)

// Hostile is an OpenID provider on httptest that misbehaves in one way (its Mode).
type Hostile struct {
	*httptest.Server
	Mode string

	key, other *rsa.PrivateKey
	kid        string

	mu         sync.Mutex
	codes      map[string]authRequest
	tokens     map[string]bool
	tokenCalls int
	jwksCalls  int
	stop       chan struct{}
	stopOnce   sync.Once
}

type authRequest struct {
	nonce, challenge, redirect string
}

// hostileKeys are generated once per process: RSA key generation costs up to a second under -race,
// and every hostile server of a test run may share them.
var hostileKeys = sync.OnceValues(func() (*rsa.PrivateKey, *rsa.PrivateKey) {
	gen := func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	}
	return gen(), gen()
})

// NewHostile starts a hostile provider; Close it when done.
func NewHostile(mode string) *Hostile {
	h := &Hostile{Mode: mode, kid: "hostile-key-1", codes: map[string]authRequest{}, tokens: map[string]bool{}, stop: make(chan struct{})}
	h.key, h.other = hostileKeys()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", h.discovery)
	mux.HandleFunc("GET /jwks", h.jwks)
	mux.HandleFunc("GET /authorize", h.authorize)
	mux.HandleFunc("POST /token", h.token)
	mux.HandleFunc("GET /userinfo", h.userinfo)
	// Assign before starting: handlers read h.URL, and the race detector sees no order between this
	// write and the handler goroutines NewServer would start.
	h.Server = httptest.NewUnstartedServer(mux)
	h.Start()
	return h
}

// Close stops the server, releasing a hanging token request first.
func (h *Hostile) Close() {
	h.stopOnce.Do(func() { close(h.stop) })
	h.Server.Close()
}

// Issuer is the provider's issuer URL.
func (h *Hostile) Issuer() string { return h.URL }

// TokenCalls counts token requests: a rejected callback must leave it at 0.
func (h *Hostile) TokenCalls() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.tokenCalls
}

// JWKSCalls counts JWKS fetches.
func (h *Hostile) JWKSCalls() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.jwksCalls
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (h *Hostile) discovery(w http.ResponseWriter, r *http.Request) {
	iss := h.URL
	if h.Mode == ModeDiscoveryIssuer {
		iss = h.URL + "/"
	}
	md := map[string]any{
		"issuer":                                         iss,
		"authorization_endpoint":                         h.URL + "/authorize",
		"token_endpoint":                                 h.URL + "/token",
		"userinfo_endpoint":                              h.URL + "/userinfo",
		"jwks_uri":                                       h.URL + "/jwks",
		"response_types_supported":                       []string{"code"},
		"subject_types_supported":                        []string{"public"},
		"id_token_signing_alg_values_supported":          []string{"RS256"},
		"code_challenge_methods_supported":               []string{"S256"},
		"token_endpoint_auth_methods_supported":          []string{"client_secret_basic"},
		"authorization_response_iss_parameter_supported": true,
	}
	if h.Mode == ModeGroupsScopeUnannounced {
		// The scopes the token endpoint grants in every mode: a provider without a groups scope
		// (Keycloak without a groups client scope) ignores a request for it.
		md["scopes_supported"] = []string{"openid", "profile", "email"}
	}
	writeJSON(w, 200, md)
}

func (h *Hostile) jwks(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.jwksCalls++
	h.mu.Unlock()
	writeJSON(w, 200, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &h.key.PublicKey, KeyID: h.kid, Algorithm: "RS256", Use: "sig"}}})
}

func randomCode() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (h *Hostile) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || q.Get("client_id") != HostileClientID {
		http.Error(w, "unknown client or redirect_uri", http.StatusBadRequest)
		return
	}
	back := url.Values{"state": {q.Get("state")}, "iss": {h.URL}}
	switch {
	case q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "":
		back.Set("error", "invalid_request")
		back.Set("error_description", "PKCE S256 is required")
	case h.Mode == ModeErrorCallback:
		back.Set("error", "access_denied")
		back.Set("error_description", "the user said no")
	default:
		code := randomCode()
		h.mu.Lock()
		h.codes[code] = authRequest{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
		h.mu.Unlock()
		back.Set("code", code)
		switch h.Mode {
		case ModeStateMismatch:
			back.Set("state", "not-the-state-you-sent")
		case ModeIssParamMismatch:
			back.Set("iss", "https://evil.example.com")
		}
	}
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func (h *Hostile) token(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.tokenCalls++
	h.mu.Unlock()
	if h.Mode == ModeTokenHang {
		select {
		case <-r.Context().Done():
		case <-h.stop:
		}
		return
	}
	id, secret, ok := r.BasicAuth()
	if h.Mode == ModeTokenError || !ok || id != HostileClientID || secret != HostileSecret {
		// Echoes the secret it was sent, as careless providers do: a client must mask it.
		writeJSON(w, 401, map[string]string{"error": "invalid_client", "error_description": "client authentication failed for secret " + secret})
		return
	}
	_ = r.ParseForm()
	h.mu.Lock()
	ar, found := h.codes[r.PostForm.Get("code")]
	delete(h.codes, r.PostForm.Get("code"))
	h.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if !found || ar.redirect != r.PostForm.Get("redirect_uri") || base64.RawURLEncoding.EncodeToString(sum[:]) != ar.challenge {
		writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "bad code, redirect_uri or code_verifier"})
		return
	}
	access := randomCode()
	h.mu.Lock()
	h.tokens[access] = true
	h.mu.Unlock()
	writeJSON(w, 200, map[string]any{
		"access_token": access,
		"token_type":   "Bearer",
		"expires_in":   300,
		"scope":        h.grantedScope(),
		"id_token":     h.idToken(ar.nonce, access),
	})
}

// grantedScope is the token response's scope: with ModeInjected a granted scope carries the
// injection too.
func (h *Hostile) grantedScope() string {
	if h.Mode == ModeInjected {
		return "openid profile email groups" + InjectEverything
	}
	return "openid profile email"
}

func (h *Hostile) idToken(nonce, access string) string {
	now := time.Now()
	at := sha256.Sum256([]byte(access))
	claims := map[string]any{
		"iss":     h.URL,
		"sub":     HostileSubject,
		"aud":     HostileClientID,
		"exp":     now.Add(5 * time.Minute).Unix(),
		"iat":     now.Unix(),
		"nonce":   nonce,
		"at_hash": base64.RawURLEncoding.EncodeToString(at[:16]),
		"name":    "Hostile User",
	}
	switch h.Mode {
	case ModeWrongIss:
		claims["iss"] = h.URL + "/"
	case ModeWrongAud:
		claims["aud"] = "someone-else"
	case ModeMultiAudNoAzp:
		claims["aud"] = []string{HostileClientID, "someone-else"}
	case ModeMultiAud:
		// An audience mapper adds an API, as Keycloak's and Entra's do; azp names the client.
		claims["aud"] = []string{HostileClientID, "hostile-api"}
		claims["azp"] = HostileClientID
	case ModeExpired:
		claims["iat"] = now.Add(-70 * time.Minute).Unix()
		claims["exp"] = now.Add(-10 * time.Minute).Unix()
	case ModeIatFuture:
		claims["iat"] = now.Add(time.Hour).Unix()
		claims["exp"] = now.Add(2 * time.Hour).Unix()
	case ModeNonceMismatch:
		claims["nonce"] = "a-nonce-from-another-login"
	case ModeNonceMissing:
		delete(claims, "nonce")
	case ModeAtHashMismatch:
		claims["at_hash"] = "AAAAAAAAAAAAAAAAAAAAAA"
	case ModeInjected:
		claims["name"] = "Hostile" + InjectEverything
		claims["preferred_username"] = "admin" + InjectForgedOK
		claims["email"] = "user1@example.com" + InjectRLO
		claims["groups"] = []string{"staff" + InjectOSCTitle}
		claims["x"+InjectEverything] = "claim name"
	}
	payload, _ := json.Marshal(claims)
	switch h.Mode {
	case ModeAlgNone:
		return b64(`{"alg":"none","typ":"JWT"}`) + "." + base64.RawURLEncoding.EncodeToString(payload) + "."
	case ModeHS256PublicKey:
		// The classic confusion attack: an HMAC whose key is the public key everybody can fetch.
		der, _ := x509.MarshalPKIXPublicKey(&h.key.PublicKey)
		pub := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
		signing := b64(fmt.Sprintf(`{"alg":"HS256","kid":%q,"typ":"JWT"}`, h.kid)) + "." + base64.RawURLEncoding.EncodeToString(payload)
		mac := hmac.New(sha256.New, pub)
		mac.Write([]byte(signing))
		return signing + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	case ModeBadSignature:
		return sign(h.other, h.kid, payload)
	case ModeUnknownKid:
		return sign(h.other, "rotated-away", payload)
	case ModeEncryptedIDToken:
		return encrypt(&h.other.PublicKey, sign(h.key, h.kid, payload))
	}
	return sign(h.key, h.kid, payload)
}

// encrypt wraps a signed token in a JWE to key, as providers do for clients with an encryption key
// (a nested JWT: RFC 7519 §5.2, cty "JWT").
func encrypt(key *rsa.PublicKey, jws string) string {
	enc, err := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.RSA_OAEP_256, Key: key},
		(&jose.EncrypterOptions{}).WithType("JWT").WithContentType("JWT"))
	if err != nil {
		panic(err)
	}
	obj, err := enc.Encrypt([]byte(jws))
	if err != nil {
		panic(err)
	}
	s, err := obj.CompactSerialize()
	if err != nil {
		panic(err)
	}
	return s
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func sign(key crypto.Signer, kid string, payload []byte) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), kid))
	if err != nil {
		panic(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		panic(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		panic(err)
	}
	return s
}

func (h *Hostile) userinfo(w http.ResponseWriter, r *http.Request) {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	h.mu.Lock()
	known := h.tokens[tok]
	h.mu.Unlock()
	if !known {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "unknown token", http.StatusUnauthorized)
		return
	}
	switch h.Mode {
	case ModeUserinfoSubMismatch:
		writeJSON(w, 200, map[string]any{"sub": "user-2", "name": "Somebody Else"})
	case ModeUserinfoHuge:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"sub":"user-1","padding":"`))
		chunk := []byte(strings.Repeat("x", 64*1024))
		for written := 0; written < 50<<20; written += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the client stopped reading, as it should
			}
		}
		_, _ = w.Write([]byte(`"}`))
	case ModeInjected:
		writeJSON(w, 200, map[string]any{"sub": HostileSubject, "name": "Hostile" + InjectEverything, "email": "user1@example.com" + InjectRLO, "nickname": "nick" + InjectForgedOK})
	default:
		writeJSON(w, 200, map[string]any{"sub": HostileSubject, "name": "Hostile User", "email": "user1@example.com"})
	}
}
