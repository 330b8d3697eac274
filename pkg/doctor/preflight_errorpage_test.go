package doctor

import (
	"cmp"
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

// kanidmDisplayName is a domain display name as an organisation may set it: Kanidm prints it at
// the top of its error page, before the error code, and a long one pushed the code past the
// 240 characters a finding quotes.
const kanidmDisplayName = "Example Municipal Utilities Cooperative — Identity Management Service"

// kanidmErrorPageHTML is the page Kanidm's web view renders, with HTTP 200 and no redirect, for any
// authorize request it refuses (kanidm/kanidm server/core/src/https/views/oauth2.rs oauth2_auth_req,
// server/core/templates/unrecoverable_error.html inside base.html at f72676f, v1.12.0-dev-25): the
// template's shape, with its head (title Error, stylesheets, scripts), the logo whose alt text is
// the domain display name, the display name as a heading, the words, and base.html's footer.
func kanidmErrorPageHTML(displayName string) string {
	return `<!DOCTYPE html>
<html lang="en">
	<head>
		<meta charset="utf-8" />
		<meta name="theme-color" content="white" />
		<meta name="viewport" content="width=device-width" />
		<title>Error</title>
		<link rel="icon" href="/pkg/img/favicon.png" />
		<link rel="stylesheet" href="/pkg/external/bootstrap.min.css?v=1" />
		<script src="/pkg/external/bootstrap.bundle.min.js?v=1"></script>
		<script src="/pkg/style.js?v=1" defer></script>
		<link rel="stylesheet" href="/pkg/style.css?v=1" />
		<link rel="stylesheet" href="/pkg/override.css?v=1" />
	</head>
	<body class="flex-column d-flex h-100">
<main id="main" class="m-auto align-items-center d-flex flex-column">
			<img src="/pkg/img/logo-square.svg?v=1" alt="` + displayName + `" class="kanidm_logo" />
	<h3>` + displayName + `</h3>


	<h2>Error</h2>
		<p>An unrecoverable error occurred. Please contact your administrator with the details below.</p>
		<p>Operation ID: 5c1f4f0e-8a56-4a7e-9d0c-0f0c6d1b7b2a</p>
		<p>Error Code: InvalidState</p>
		<a href=/ui>Return</a>
	</main>

		<footer class="footer mt-auto py-3 bg-body-tertiary text-end">
			<div class="container">
				<span class="text-muted">Powered by <a
						href="https://kanidm.com">Kanidm</a></span>
			</div>
		</footer>
	</body>
</html>
`
}

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
			_, _ = w.Write([]byte(kanidmErrorPageHTML(kanidmDisplayName)))
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
// challenge was all that was missing, DOC068 (an error: every login fails) when the page comes
// back with the challenge too, so the client or the redirect URI is wrong, with Kanidm's command to
// register the redirect URI.
func TestPreflightKanidmErrorPage(t *testing.T) {
	alist := &config.App{Kind: config.AppAList, URL: "https://files.example.com"}
	for _, tt := range []struct {
		name, clientID, flavor string
		// registered is the prefix of the redirect URIs the Kanidm-like provider has registered.
		registered string
		want       string
		retried    bool
	}{
		{name: "pkce missing, detected", clientID: "files", want: CodePKCERequired, retried: true},
		{name: "pkce missing, configured", clientID: "files", flavor: provider.FlavorKanidm, want: CodePKCERequired, retried: true},
		{name: "unknown client", clientID: "nobody", want: CodeAuthorizeUnexplained, retried: true},
		{name: "redirect URI not registered", clientID: "files", registered: "https://files.example.org/", want: CodeAuthorizeUnexplained, retried: true},
		{name: "redirect URI not registered, configured", clientID: "files", flavor: provider.FlavorKanidm, registered: "https://files.example.org/", want: CodeAuthorizeUnexplained, retried: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			registered := cmp.Or(tt.registered, "https://files.example.com/")
			srv, md, retries := kanidmLike(t, "files", registered)
			p := config.Provider{Name: "idm", Type: config.TypeOIDC, Flavor: tt.flavor, ClientID: tt.clientID, ClientSecret: "env:X", Issuer: md.Issuer}
			rep := CheckProvider(context.Background(), srv.Client(), ProviderCheck{App: alist, Provider: p, Secret: "s", SecretKnown: true})
			var got []Finding
			for _, f := range rep.Findings {
				if f.Code == CodePKCERequired || f.Code == CodeAuthorizeRefused || f.Code == CodeRedirectUnregistered || f.Code == CodeUnknownClient || f.Code == CodeAuthorizeUnexplained {
					got = append(got, f)
				}
			}
			require.NotEmpty(t, got, "findings: %+v", rep.Findings)
			for _, f := range got {
				assert.Equal(t, tt.want, f.Code, "each redirect URI AList sends: %s", f.Message)
			}
			assert.Equal(t, tt.retried, retries.Load() > 0, "asked again with a PKCE challenge")
			for _, pf := range rep.Preflights {
				assert.Equal(t, "Error Code: InvalidState", pf.Text, "the page's words, not the whole page")
			}
			f := got[0]
			switch tt.want {
			case CodePKCERequired:
				assert.Contains(t, f.Message, `"Error Code: InvalidState"`)
				assert.Contains(t, f.Fix, "kanidm system oauth2 warning-insecure-client-disable-pkce files")
			case CodeAuthorizeUnexplained:
				assert.Equal(t, SeverityError, f.Severity, "the refusal is certain: validate --online exits 1")
				assert.Contains(t, f.Message, "its own error page, with a PKCE challenge too")
				assert.Contains(t, f.Message, "either the redirect URI is not registered for the client or the provider knows no client "+tt.clientID)
				assert.True(t, strings.HasPrefix(f.Fix, "https://files.example.com/api/auth/sso_callback?method="), "the URI to register: %s", f.Fix)
				title := "Kanidm (detected from discovery)"
				if tt.flavor != "" {
					title = "Kanidm"
				}
				assert.Contains(t, f.Hint, title+": kanidm system oauth2 add-redirect-url "+tt.clientID+" <URI>", "Kanidm's own command")
				assert.Contains(t, f.Hint, "the client ID is wrong")
				for _, pf := range rep.Preflights {
					assert.Equal(t, OutcomeRefusedPage, pf.Outcome)
					assert.False(t, pf.OK())
				}
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
	assert.Equal(t, OutcomeRefusedPage, res.Outcome, "the request carried a challenge: not for want of PKCE")
	require.NotNil(t, res.Finding)
	assert.Equal(t, CodeAuthorizeUnexplained, res.Finding.Code)
}

// Kanidm's page puts the domain's display name, the "unrecoverable error" sentence and the
// operation ID before its error code. The pre-flight finds the code however long the display name
// is (it searches the whole page, read up to maxBody) and quotes the page cut to pageTextDisplay.
func TestPreflightErrorPageLongHeader(t *testing.T) {
	for _, name := range []string{"idm.example.com", kanidmDisplayName, strings.Repeat("Identity ", 100)} {
		page := kanidmErrorPageHTML(name)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(page))
		}))
		t.Cleanup(srv.Close)
		a := answer{status: http.StatusOK, body: []byte(page)}
		assert.LessOrEqual(t, len([]rune(pageText(a))), pageTextDisplay+1, "quoted cut (with the ellipsis)")
		assert.Contains(t, fullPageText(a), "Error Code: InvalidState")
		assert.True(t, strings.HasSuffix(fullPageText(a), "Error Code: InvalidState Return Powered by Kanidm"), fullPageText(a))

		req := AuthorizeRequest{AuthorizeURL: srv.URL + "/ui/oauth2", Type: config.TypeOIDC, ClientID: "files",
			RedirectURI: "https://files.example.com/api/auth/sso_callback", FlavorErrorPage: "Error Code: InvalidState"}
		res := Preflight(context.Background(), srv.Client(), req)
		assert.Equal(t, OutcomeRefusedPage, res.Outcome, "display name of %d characters", len([]rune(name)))
		assert.Equal(t, "Error Code: InvalidState", res.Text)
	}
	assert.Greater(t, len([]rune(kanidmDisplayName)), 65, "long enough to push the code past the cut")
}

// setFlavor fills the pre-flight's flavour fields from one lookup: the configured flavour, else the
// detected one, and nothing for a provider that is not OpenID Connect.
func TestAuthorizeRequestSetFlavor(t *testing.T) {
	_, md, _ := kanidmLike(t, "files", "https://files.example.com/")
	for _, tt := range []struct {
		name string
		p    config.Provider
		md   *provider.Discovery
		want bool
	}{
		{name: "configured", p: config.Provider{Type: config.TypeOIDC, Flavor: provider.FlavorKanidm}, want: true},
		{name: "detected", p: config.Provider{Type: config.TypeOIDC}, md: md, want: true},
		{name: "unknown", p: config.Provider{Type: config.TypeOIDC}},
		{name: "not OIDC", p: config.Provider{Type: config.TypeGitHub, Flavor: provider.FlavorKanidm}, md: md},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var req AuthorizeRequest
			req.setFlavor(tt.p, tt.md)
			if !tt.want {
				assert.Equal(t, AuthorizeRequest{}, req)
				return
			}
			assert.Equal(t, "Error Code: InvalidState", req.FlavorErrorPage)
			assert.True(t, req.FlavorRequiresPKCE)
			assert.Nil(t, req.PortalErrors, "Kanidm has no portal codes")
		})
	}
	var req AuthorizeRequest
	req.setFlavor(config.Provider{Type: config.TypeOIDC, Flavor: provider.FlavorLemonLDAP}, nil)
	assert.NotEmpty(t, req.PortalErrors, "LemonLDAP::NG's portal codes")
	assert.Empty(t, req.FlavorErrorPage)
}
