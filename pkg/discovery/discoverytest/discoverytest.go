// Package discoverytest serves an OpenID provider's discovery document and JWKS on httptest, broken in
// exactly one way at a time (a Fault), and signs tokens with the published key, for the tests of
// `ssoctl discover` and `ssoctl token decode --verify`.
package discoverytest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Faults: each breaks one thing. OK breaks nothing.
const (
	OK            = "ok"
	WrongIssuer   = "wrong-issuer"   // the document names another issuer
	TrailingSlash = "trailing-slash" // the document's issuer has a trailing slash the server URL lacks
	MissingFields = "missing-fields" // no subject_types_supported, no id_token_signing_alg_values_supported
	HTML          = "html"           // a login page instead of the document
	Status500     = "status-500"     // 500 Internal Server Error
	InvalidJSON   = "invalid-json"   // a truncated document
	NotMetadata   = "not-metadata"   // JSON, but an error object
	NoS256        = "no-s256"        // code_challenge_methods_supported: [plain]
	NoPKCEField   = "no-pkce-field"  // code_challenge_methods_supported absent
	SymmetricKey  = "symmetric-key"  // the JWKS publishes a kty oct key
	PrivateKey    = "private-key"    // the JWKS publishes the private RSA key
	HTTPEndpoint  = "http-endpoint"  // the token endpoint is plain http on a public host
	OtherHost     = "other-host"     // the token endpoint is on another host
	HMACOnly      = "hmac-only"      // HS256 only and an empty JWKS
	JWKS404       = "jwks-404"       // jwks_uri answers 404
	ClockAhead    = "clock-ahead"    // the Date header is ten minutes ahead
	// KeycloakLegacy serves the document only under /auth/realms/main, as Keycloak before 17 did,
	// for the issuer URL/auth/realms/main; the root answers 404.
	KeycloakLegacy = "keycloak-legacy"
)

// LegacyRealmPath is where KeycloakLegacy serves its realm.
const LegacyRealmPath = "/auth/realms/main"

// Faults lists every fault but OK.
var Faults = []string{WrongIssuer, TrailingSlash, MissingFields, HTML, Status500, InvalidJSON, NotMetadata,
	NoS256, NoPKCEField, SymmetricKey, PrivateKey, HTTPEndpoint, OtherHost, HMACOnly, JWKS404, ClockAhead, KeycloakLegacy}

// KeyID is the kid of the published key.
const KeyID = "dt-key-1"

// keys are generated once per process: RSA key generation is slow under -race.
var keys = sync.OnceValues(func() (*rsa.PrivateKey, *rsa.PrivateKey) {
	gen := func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	}
	return gen(), gen()
})

// Server is a provider with one fault.
type Server struct {
	*httptest.Server
	Fault string
	// Key is the private key of the published signing key; Other is a key the JWKS never names.
	Key, Other *rsa.PrivateKey
	// caPEM is the CA clients must trust, for servers whose certificate is not self-signed.
	caPEM []byte
	// now is the clock of the Date header (ClockAhead); time.Now unless NewWithClock set one.
	now func() time.Time
}

// New starts a plain HTTP provider with the fault; Close it when done.
func New(fault string) *Server { return NewWithClock(fault, nil) }

// NewWithClock is New with the clock the ClockAhead Date header is computed from (time.Now when
// nil). A test that gives ssoctl the same fixed clock gets an exact offset, whatever second
// boundary passes between the server's answer and ssoctl's check.
func NewWithClock(fault string, now func() time.Time) *Server {
	s := newServer(fault)
	s.now = now
	// Assign before starting: handlers read s.URL, and the race detector sees no order between this
	// goroutine's write and a handler goroutine started by NewServer.
	s.Server = httptest.NewUnstartedServer(s.mux())
	s.Start()
	return s
}

// NewTLS starts an HTTPS provider with the fault; its certificate (CAPEM) is trusted by nobody but
// s.Client() and clients given CAPEM.
func NewTLS(fault string) *Server {
	s := newServer(fault)
	s.Server = httptest.NewUnstartedServer(s.mux())
	// Clients that reject the certificate are the point of most TLS tests; their handshake
	// failures are not news.
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	return s
}

func newServer(fault string) *Server {
	s := &Server{Fault: fault}
	s.Key, s.Other = keys()
	return s
}

// Issuer is the server's issuer URL (the document may claim another with some faults).
func (s *Server) Issuer() string { return s.URL }

// CAPEM is the certificate (PEM) a client must trust, for --ca-file: the server's own certificate,
// or the root CA of NewTLSChain's chains.
func (s *Server) CAPEM() []byte {
	if s.caPEM != nil {
		return s.caPEM
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
}

func (s *Server) mux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", s.discovery)
	mux.HandleFunc("GET "+LegacyRealmPath+"/.well-known/openid-configuration", s.discovery)
	mux.HandleFunc("GET /jwks", s.jwks)
	// The endpoints answer as a healthy provider does to requests without a user, so that online
	// checks (validate --online) see only the fault: a login page, invalid_grant for the code a
	// probe makes up, 401 without a token.
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = fmt.Fprint(w, "<!DOCTYPE html><title>Sign in</title><form method=post><input name=username></form>\n")
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "unknown code"})
	})
	mux.HandleFunc("GET /userinfo", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		w.WriteHeader(http.StatusUnauthorized)
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) discovery(w http.ResponseWriter, r *http.Request) {
	if s.Fault == ClockAhead {
		now := time.Now
		if s.now != nil {
			now = s.now
		}
		w.Header().Set("Date", now().Add(10*time.Minute).UTC().Format(http.TimeFormat))
	}
	legacy := r.URL.Path == LegacyRealmPath+"/.well-known/openid-configuration"
	if legacy != (s.Fault == KeycloakLegacy) {
		http.NotFound(w, r)
		return
	}
	switch s.Fault {
	case HTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = fmt.Fprint(w, "<!DOCTYPE html>\n<html><head><title>Sign in – Example SSO</title></head><body><form>…</form></body></html>\n")
		return
	case Status500:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = fmt.Fprint(w, "upstream connect error or disconnect/reset before headers\n")
		return
	case InvalidJSON:
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"issuer":%q,"authorization_endpoint":`, s.URL)
		return
	case NotMetadata:
		writeJSON(w, http.StatusOK, map[string]any{"error": "not_found", "message": "no route"})
		return
	}
	doc := map[string]any{
		"issuer":                                s.URL,
		"authorization_endpoint":                s.URL + "/authorize",
		"token_endpoint":                        s.URL + "/token",
		"userinfo_endpoint":                     s.URL + "/userinfo",
		"jwks_uri":                              s.URL + "/jwks",
		"scopes_supported":                      []string{"openid", "profile", "email", "groups"},
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	}
	switch s.Fault {
	case WrongIssuer:
		doc["issuer"] = "https://sso.example.com/realms/main"
	case TrailingSlash:
		doc["issuer"] = s.URL + "/"
	case MissingFields:
		delete(doc, "subject_types_supported")
		delete(doc, "id_token_signing_alg_values_supported")
	case NoS256:
		doc["code_challenge_methods_supported"] = []string{"plain"}
	case NoPKCEField:
		delete(doc, "code_challenge_methods_supported")
	case HTTPEndpoint:
		doc["token_endpoint"] = "http://sso.example.com/token"
	case OtherHost:
		doc["token_endpoint"] = "https://sso-internal.example.com/token"
	case HMACOnly:
		doc["id_token_signing_alg_values_supported"] = []string{"HS256"}
	case KeycloakLegacy:
		doc["issuer"] = s.URL + LegacyRealmPath
	}
	writeJSON(w, http.StatusOK, doc)
}

func (s *Server) jwks(w http.ResponseWriter, r *http.Request) {
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &s.Key.PublicKey, KeyID: KeyID, Algorithm: "RS256", Use: "sig"}}}
	switch s.Fault {
	case JWKS404:
		http.NotFound(w, r)
		return
	case HMACOnly:
		set.Keys = []jose.JSONWebKey{}
	case SymmetricKey:
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: []byte("a-shared-secret-that-is-32-bytes"), KeyID: "hmac-1", Algorithm: "HS256", Use: "sig"})
	case PrivateKey:
		set.Keys[0].Key = s.Key
	}
	writeJSON(w, http.StatusOK, set)
}

// Sign returns a compact RS256 JWS of claims signed with the published key (kid KeyID).
func (s *Server) Sign(claims map[string]any) string {
	return SignRS256(s.Key, KeyID, claims)
}

// Claims are valid ID token claims for this server: iss, aud, sub, iat now, exp in an hour.
func (s *Server) Claims(aud string, now time.Time) map[string]any {
	return map[string]any{
		"iss": s.URL, "aud": aud, "sub": "user-1", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"auth_time": now.Add(-time.Minute).Unix(), "email": "alice@example.com", "name": "Alice",
	}
}

// SignRS256 signs claims with key, naming kid in the header.
func SignRS256(key crypto.Signer, kid string, claims map[string]any) string {
	return sign(jose.SigningKey{Algorithm: jose.RS256, Key: key}, kid, claims)
}

// SignHS256 signs claims with an HMAC keyed with secret (OIDC Core §10.1: the client secret).
func SignHS256(secret []byte, claims map[string]any) string {
	return sign(jose.SigningKey{Algorithm: jose.HS256, Key: secret}, "", claims)
}

func sign(key jose.SigningKey, kid string, claims map[string]any) string {
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader(jose.HeaderKey("kid"), kid)
	}
	signer, err := jose.NewSigner(key, opts)
	if err != nil {
		panic(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		panic(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		panic(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		panic(err)
	}
	return out
}
