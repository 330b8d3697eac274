package validate_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

// A Kanidm that knows neither the client nor the redirect URI answers every authorize request,
// with a PKCE challenge or without, with its own 200 page "Error Code: InvalidState" (kanidm/kanidm
// server/core/src/https/views/oauth2.rs oauth2_auth_req at f72676f). validate --online reports it
// as DOC068, an error (so validate exits 1), with Kanidm's command to register the redirect URI;
// it used to be DOC012, a warning, and validate exited 0 although every login would fail.
func TestCheckOnlineKanidmRefusal(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "discovery", "kanidm.json"))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	delete(doc, "_comment")
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	paths := map[string]string{}
	for _, k := range []string{"issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"} {
		u, err := url.Parse(doc[k].(string))
		require.NoError(t, err)
		doc[k], paths[k] = srv.URL+u.Path, u.Path
	}
	body, err := json.Marshal(doc)
	require.NoError(t, err)
	mux.HandleFunc(paths["issuer"]+"/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	mux.HandleFunc(paths["jwks_uri"], func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"keys":[]}`))
	})
	mux.HandleFunc(paths["authorization_endpoint"], func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html lang="en"><head><title>Error</title></head><body><main>
<h3>` + strings.Repeat("Example Identity Service ", 4) + `</h3><h2>Error</h2>
<p>An unrecoverable error occurred. Please contact your administrator with the details below.</p>
<p>Operation ID: 5c1f4f0e-8a56-4a7e-9d0c-0f0c6d1b7b2a</p><p>Error Code: InvalidState</p><a href=/ui>Return</a></main>
<footer><span>Powered by <a href="https://kanidm.com">Kanidm</a></span></footer></body></html>`))
	})
	mux.HandleFunc(paths["token_endpoint"], func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_grant"}`))
	})

	text := `version: 1
app: {kind: inventree, url: https://inv.example.com}
providers:
  - name: idm
    type: oidc
    flavor: kanidm
    issuer: ` + doc["issuer"].(string) + `
    client_id: inventree
    client_secret: env:S
`
	f, err := config.Parse("c.yaml", []byte(text))
	require.NoError(t, err)
	opts := validate.Options{LookupEnv: func(string) (string, bool) { return "secret", true }}
	r := validate.CheckOnline(context.Background(), f, opts, validate.OnlineOptions{Concurrency: 1, Client: srv.Client()})
	var refusals []validate.Finding
	for _, fd := range r.Findings {
		assert.NotEqual(t, "DOC012", fd.Code, "not a warning: %s", fd.Message)
		if fd.Code == "DOC068" {
			refusals = append(refusals, fd)
		}
	}
	require.NotEmpty(t, refusals, "findings: %+v", r.Findings)
	for _, fd := range refusals {
		assert.Equal(t, validate.SeverityError, fd.Severity)
		assert.Equal(t, "idm", fd.Provider)
		assert.Contains(t, fd.Message, "either the redirect URI is not registered for the client or the provider knows no client inventree")
		assert.Contains(t, fd.Hint, "Kanidm: kanidm system oauth2 add-redirect-url inventree <URI>")
	}
}
