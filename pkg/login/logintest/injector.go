package logintest

import (
	"net/http"
	"net/http/httptest"

	jose "github.com/go-jose/go-jose/v4"
)

// Terminal attacks the Injector puts in everything it says. Each one, printed raw, does something to
// a terminal: OSC 0 sets the window title, CR + erase-line overwrites the line before with a forged
// success line, U+202E reverses what follows, and 0x9b is CSI to an 8-bit terminal.
const (
	InjectOSCTitle   = "\x1b]0;pwned\x07"
	InjectForgedOK   = "\r\x1b[2K✓ verified"
	InjectRLO        = "\u202e"
	InjectC1CSI      = "\u009b31m"
	InjectEverything = InjectOSCTitle + InjectForgedOK + InjectRLO + InjectC1CSI
)

// Injector is an OpenID provider on httptest whose words are hostile: every discovery field it
// may choose freely, its key IDs and its token endpoint's error_description carry the Inject*
// sequences, and the error_description echoes the client secret it was sent. Nothing it does is
// malformed: a client must simply never print it raw, nor print the secret.
type Injector struct {
	*httptest.Server
	// Secret is the client secret the injector echoes (whatever the client sends is echoed too).
	Secret string
}

// NewInjector starts an injector that echoes secret; Close it when done.
func NewInjector(secret string) *Injector {
	in := &Injector{Secret: secret}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", in.discovery)
	mux.HandleFunc("GET /jwks", in.jwks)
	mux.HandleFunc("POST /token", in.token)
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte("<h1>" + InjectEverything + " " + secret + "</h1>"))
	})
	mux.HandleFunc("GET /userinfo", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, map[string]string{"error": "invalid_token", "error_description": InjectEverything + " " + secret})
	})
	in.Server = httptest.NewUnstartedServer(mux)
	in.Start()
	return in
}

func (in *Injector) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{
		"issuer":                                in.URL,
		"authorization_endpoint":                in.URL + "/authorize",
		"token_endpoint":                        in.URL + "/token",
		"userinfo_endpoint":                     in.URL + "/userinfo",
		"jwks_uri":                              in.URL + "/jwks",
		"response_types_supported":              []string{"code", "code" + InjectForgedOK},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256", "RS512" + InjectOSCTitle},
		"code_challenge_methods_supported":      []string{"S256", "plain" + InjectRLO},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post" + InjectC1CSI},
		"scopes_supported":                      []string{"openid", "profile", "email", "groups" + InjectEverything},
		"service_documentation":                 "https://docs.example.com/" + InjectEverything,
	})
}

func (in *Injector) jwks(w http.ResponseWriter, r *http.Request) {
	key, _ := hostileKeys()
	writeJSON(w, 200, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "key" + InjectEverything, Algorithm: "RS256", Use: "sig"}}})
}

// token answers every request with invalid_request, which says nothing about the client (DOC022 in
// the doctor's client probe), and echoes the secret it was configured with.
func (in *Injector) token(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 400, map[string]string{
		"error":             "invalid_request",
		"error_description": "client_secret " + in.Secret + " is not expected here" + InjectEverything,
	})
}
