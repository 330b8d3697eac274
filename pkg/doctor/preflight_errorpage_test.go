package doctor

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// kanidmErrorPageHTML is the page Kanidm's web view renders, with HTTP 200 and no redirect, for any
// authorize request it refuses (kanidm/kanidm server/core/src/https/views/oauth2.rs oauth2_auth_req
// and server/core/templates/unrecoverable_error.html at f72676f, v1.12.0-dev-25): its visible words.
const kanidmErrorPageHTML = `<!DOCTYPE html><html><head><title>Error</title></head><body><main>
<h3>idm.example.com</h3><h2>Error</h2>
<p>An unrecoverable error occurred. Please contact your administrator with the details below.</p>
<p>Operation ID: 5c1f4f0e-8a56-4a7e-9d0c-0f0c6d1b7b2a</p><p>Error Code: InvalidState</p>
<a href="/ui">Return</a></main></body></html>`

// kanidmLike serves kanidm.json's discovery document and an authorize endpoint that checks as
// Kanidm's check_oauth2_authorisation does, in its order: the client, then the redirect URI, then
// PKCE, before any session; every refusal is the same 200 error page. A request it accepts gets a
// login page. pkceRetries counts requests that carried a code_challenge.
func kanidmLike(t *testing.T, client, redirectPrefix string) (srv *httptest.Server, md *provider.Discovery, pkceRetries *atomic.Int32) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "discovery", "kanidm.json"))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	delete(doc, "_comment")
	mux := http.NewServeMux()
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	paths := map[string]string{}
	for _, k := range []string{"issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"} {
		u, err := url.Parse(doc[k].(string))
		require.NoError(t, err)
		doc[k], paths[k] = srv.URL+u.Path, u.Path
	}
	body, err := json.Marshal(doc)
	require.NoError(t, err)
	md = new(provider.Discovery)
	require.NoError(t, json.Unmarshal(body, md))
	jwks := jwksFor(t, md.IDTokenSigningAlgValuesSupported)
	pkceRetries = new(atomic.Int32)

	mux.HandleFunc(paths["issuer"]+"/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	mux.HandleFunc(paths["jwks_uri"], func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(jwks)
	})
	mux.HandleFunc(paths["authorization_endpoint"], func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("code_challenge") != "" {
			pkceRetries.Add(1)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if q.Get("client_id") != client || !strings.HasPrefix(q.Get("redirect_uri"), redirectPrefix) || q.Get("code_challenge") == "" {
			_, _ = w.Write([]byte(kanidmErrorPageHTML))
			return
		}
		_, _ = w.Write([]byte(`<!DOCTYPE html><html><head><title>Login</title></head><body><form method="post"><input name="username"><button>Begin</button></form></body></html>`))
	})
	mux.HandleFunc(paths["token_endpoint"], func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_grant"}`))
	})
	mux.HandleFunc(paths["userinfo_endpoint"], func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	})
	return srv, md, pkceRetries
}

// Kanidm refuses an authorize request without PKCE before login on its own 200 page, the same page
// it shows for an unknown client or an unregistered redirect URI. The pre-flight reads that page as
// a refusal (not a login page), and asks again with a challenge to name the cause: DOC013 when the
// challenge was all that was missing, the error page finding when the client or URI is wrong.
func TestPreflightKanidmErrorPage(t *testing.T) {
	alist := &config.App{Kind: config.AppAList, URL: "https://files.example.com"}
	for _, tt := range []struct {
		name, clientID, flavor string
		want                   string
		retried                bool
	}{
		{name: "pkce missing, detected", clientID: "files", want: CodePKCERequired, retried: true},
		{name: "pkce missing, configured", clientID: "files", flavor: provider.FlavorKanidm, want: CodePKCERequired, retried: true},
		{name: "unknown client", clientID: "nobody", want: CodeAuthorizeRefused, retried: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, md, retries := kanidmLike(t, "files", "https://files.example.com/")
			p := config.Provider{Name: "idm", Type: config.TypeOIDC, Flavor: tt.flavor, ClientID: tt.clientID, ClientSecret: "env:X", Issuer: md.Issuer}
			rep := CheckProvider(context.Background(), srv.Client(), ProviderCheck{App: alist, Provider: p, Secret: "s", SecretKnown: true})
			var got []Finding
			for _, f := range rep.Findings {
				if f.Code == CodePKCERequired || f.Code == CodeAuthorizeRefused || f.Code == CodeRedirectUnregistered || f.Code == CodeUnknownClient {
					got = append(got, f)
				}
			}
			require.NotEmpty(t, got, "findings: %+v", rep.Findings)
			assert.Equal(t, []string{tt.want}, codesOf(got))
			assert.Equal(t, tt.retried, retries.Load() > 0, "asked again with a PKCE challenge")
			for _, pf := range rep.Preflights {
				assert.Equal(t, "Error Code: InvalidState", pf.Text, "the page's words, not the whole page")
			}
			f := got[0]
			switch tt.want {
			case CodePKCERequired:
				assert.Contains(t, f.Message, `"Error Code: InvalidState"`)
				assert.Contains(t, f.Fix, "kanidm system oauth2 warning-insecure-client-disable-pkce files")
			case CodeAuthorizeRefused:
				assert.Contains(t, f.Message, "its own error page")
				assert.Contains(t, f.Hint, "redirect URI that is not registered exactly and an unknown client ID")
			}
		})
	}
}

// Without a flavour that names the page (a generic provider), a 200 page stays a login page: the
// words "Error Code: InvalidState" mean nothing from an unknown product.
func TestPreflightErrorPageNeedsFlavor(t *testing.T) {
	srv, md, _ := kanidmLike(t, "files", "https://files.example.com/")
	req := AuthorizeRequest{AuthorizeURL: md.AuthorizationEndpoint, Type: config.TypeOIDC, ClientID: "files", RedirectURI: "https://files.example.com/api/auth/sso_callback"}
	res := Preflight(context.Background(), srv.Client(), req)
	assert.Equal(t, OutcomeLoginPage, res.Outcome, "a generic provider's 200 page is not read by Kanidm's words")
	req.FlavorErrorPage = "Error Code: InvalidState"
	req.ClientID = "nobody"
	res = Preflight(context.Background(), srv.Client(), req)
	assert.Equal(t, OutcomeErrorPage, res.Outcome)
	require.NotNil(t, res.Finding)
	assert.Equal(t, CodeAuthorizeRefused, res.Finding.Code)
}
