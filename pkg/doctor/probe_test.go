package doctor_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/doctor"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// node is the real OpenID provider (testdata/oidcprovider), started once for the package; nil with
// nodeErr set when it cannot run here.
var (
	node    *logintest.NodeProvider
	nodeErr error
)

func TestMain(m *testing.M) {
	node, nodeErr = logintest.StartNode()
	code := m.Run()
	node.Stop()
	os.Exit(code)
}

func requireNode(t *testing.T) *logintest.NodeProvider {
	t.Helper()
	logintest.Require(t, nodeErr)
	return node
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// TestPreflightRealProvider runs the redirect pre-flight against the real oidc-provider: a
// registered loopback redirect (any port), an unregistered one, an unknown client.
func TestPreflightRealProvider(t *testing.T) {
	p := requireNode(t)
	tests := []struct {
		name     string
		clientID string
		redirect string
		outcome  string
		code     string
		words    []string
	}{
		{name: "registered loopback", clientID: logintest.PublicClientID, redirect: "http://127.0.0.1:43111/callback", outcome: doctor.OutcomeLoginPage},
		{name: "unregistered redirect", clientID: logintest.PublicClientID, redirect: "https://files.example.com/api/auth/sso_callback?method=sso_get_token",
			outcome: doctor.OutcomeNotRegistd, code: doctor.CodeRedirectUnregistered, words: []string{"does not accept redirect URI https://files.example.com/api/auth/sso_callback?method=sso_get_token", "invalid_redirect_uri"}},
		{name: "unknown client", clientID: "no-such-client", redirect: "http://127.0.0.1/callback",
			outcome: doctor.OutcomeUnknown, code: doctor.CodeUnknownClient, words: []string{"does not know client no-such-client", "invalid_client"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := doctor.Preflight(ctx(t), nil, doctor.AuthorizeRequest{AuthorizeURL: p.Issuer + "/auth", Type: "oidc",
				ClientID: tt.clientID, RedirectURI: tt.redirect, Scopes: []string{"openid", "email"}})
			assert.Equal(t, tt.outcome, res.Outcome, "text: %s", res.Text)
			if tt.code == "" {
				assert.Nil(t, res.Finding)
				assert.True(t, res.OK())
				return
			}
			require.NotNil(t, res.Finding)
			assert.False(t, res.OK())
			assert.Equal(t, tt.code, res.Finding.Code)
			assert.Equal(t, doctor.SeverityError, res.Finding.Severity)
			for _, w := range tt.words {
				assert.Contains(t, res.Finding.Message, w)
			}
		})
	}
}

// TestProbeClientRealProvider posts an invalid code to the real provider's token endpoint.
func TestProbeClientRealProvider(t *testing.T) {
	p := requireNode(t)
	tests := []struct {
		name     string
		clientID string
		secret   string
		accepted string
		code     string
		words    []string
	}{
		{name: "right secret", clientID: logintest.ConfidentialClientID, secret: logintest.ConfidentialSecret, accepted: doctor.MethodBasic},
		{name: "public client", clientID: logintest.PublicClientID, accepted: doctor.MethodNone},
		{name: "wrong secret", clientID: logintest.ConfidentialClientID, secret: "not-the-secret", code: doctor.CodeClientRejected,
			words: []string{"rejects client confidential-client's credentials with client_secret_basic and client_secret_post", "invalid_client"}},
		{name: "confidential without secret", clientID: logintest.ConfidentialClientID, code: doctor.CodeClientRejected,
			words: []string{"without a secret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := doctor.ProbeClient(ctx(t), nil, doctor.ClientProbe{TokenURL: p.Issuer + "/token", Type: "oidc", ClientID: tt.clientID,
				ClientSecret: tt.secret, RedirectURI: "http://127.0.0.1/callback", Supported: []string{"client_secret_basic", "client_secret_post", "none"}})
			assert.Equal(t, tt.accepted, res.Accepted)
			if tt.code == "" {
				assert.Nil(t, res.Finding)
				return
			}
			require.NotNil(t, res.Finding)
			assert.Equal(t, tt.code, res.Finding.Code)
			for _, w := range tt.words {
				assert.Contains(t, res.Finding.Message, w)
			}
			if tt.secret != "" {
				assert.NotContains(t, res.Finding.Message, tt.secret, "the secret is never shown")
			}
		})
	}
}

// fakeToken answers token requests: invalid_grant for the accepted method, invalid_client otherwise.
func fakeToken(t *testing.T, accept string, status int, body string) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		method := doctor.MethodNone
		if _, _, ok := r.BasicAuth(); ok {
			method = doctor.MethodBasic
		} else if r.PostForm.Get("client_secret") != "" {
			method = doctor.MethodPost
		}
		if body != "" {
			w.WriteHeader(status)
			fmt.Fprint(w, body)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if method == accept {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"invalid_grant","error_description":"code not valid"}`)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"invalid_client","error_description":"the provided authentication mechanism does not match the registered client authentication method"}`)
	}))
	t.Cleanup(s.Close)
	return s
}

func TestProbeClientFaults(t *testing.T) {
	tests := []struct {
		name      string
		accept    string
		status    int
		body      string
		typ       string
		supported []string
		code      string
		accepted  string
		fix       string
		words     []string
	}{
		{name: "post only", accept: doctor.MethodPost, code: doctor.CodeClientAuthMethod, accepted: doctor.MethodPost, fix: doctor.MethodPost,
			words: []string{"rejects client app with client_secret_basic", "accepts it with client_secret_post"}},
		{name: "basic only, discovery lists post", accept: doctor.MethodBasic, supported: []string{"client_secret_post"}, code: doctor.CodeClientAuthMethod,
			accepted: doctor.MethodBasic, fix: doctor.MethodBasic, words: []string{"rejects client app with client_secret_post"}},
		{name: "github accepts", typ: "github", status: 200, body: `{"error":"bad_verification_code","error_description":"The code passed is incorrect or expired."}`, accepted: doctor.MethodPost},
		{name: "github wrong secret", typ: "github", status: 200, body: `{"error":"incorrect_client_credentials"}`, code: doctor.CodeClientRejected,
			words: []string{"incorrect_client_credentials"}},
		{name: "unclear", status: 400, body: `{"error":"invalid_request","error_description":"code format"}`, code: doctor.CodeClientProbeUnclear,
			words: []string{"invalid_request: code format", "says nothing"}},
		{name: "not found", status: 404, body: `<html><title>404 Not Found</title></html>`, code: doctor.CodeEndpointStatus,
			words: []string{"answered 404 Not Found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakeToken(t, tt.accept, tt.status, tt.body)
			typ := tt.typ
			if typ == "" {
				typ = "oidc"
			}
			res := doctor.ProbeClient(ctx(t), s.Client(), doctor.ClientProbe{TokenURL: s.URL + "/token", Type: typ, ClientID: "app", ClientSecret: "s3cret", Supported: tt.supported})
			assert.Equal(t, tt.accepted, res.Accepted)
			if tt.code == "" {
				assert.Nil(t, res.Finding)
				return
			}
			require.NotNil(t, res.Finding)
			assert.Equal(t, tt.code, res.Finding.Code)
			assert.Equal(t, tt.fix, res.Finding.Fix)
			for _, w := range tt.words {
				assert.Contains(t, res.Finding.Message, w)
			}
			assert.NotContains(t, res.Finding.Message, "s3cret")
		})
	}

	t.Run("dingtalk is not probed", func(t *testing.T) {
		res := doctor.ProbeClient(ctx(t), nil, doctor.ClientProbe{TokenURL: "http://127.0.0.1:1/token", Type: "dingtalk", ClientID: "a", ClientSecret: "b"})
		assert.Contains(t, res.Skipped, "dingtalk")
		assert.Nil(t, res.Finding)
	})
}

// authorizeServer answers every authorize request with what the test says.
func authorizeServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

func TestPreflightFaults(t *testing.T) {
	const redirect = "https://files.example.com/api/auth/sso_callback"
	tests := []struct {
		name    string
		h       http.HandlerFunc
		outcome string
		code    string
		words   []string
	}{
		{name: "login page", h: func(w http.ResponseWriter, r *http.Request) {
			// A login form carries client_id and redirect_uri in its action: not an error.
			fmt.Fprintf(w, `<html><title>Sign in</title><form action="/login?client_id=x&redirect_uri=y"></form></html>`)
		}, outcome: doctor.OutcomeLoginPage},
		{name: "redirect to login", h: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/login?return_to=x", http.StatusFound)
		}, outcome: doctor.OutcomeLoginPage},
		{name: "back with a code", h: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Query().Get("redirect_uri")+"?code=abc&state="+r.URL.Query().Get("state"), http.StatusFound)
		}, outcome: doctor.OutcomeCode},
		{name: "error redirect to the redirect URI", h: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Query().Get("redirect_uri")+"?error=invalid_scope&error_description=groups", http.StatusFound)
		}, outcome: doctor.OutcomeRefused, code: doctor.CodeAuthorizeRefused, words: []string{"accepts redirect URI", "invalid_scope: groups"}},
		{name: "github mismatch redirect", h: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://files.example.com/registered?error=redirect_uri_mismatch&error_description=The+redirect_uri+MUST+match", http.StatusFound)
		}, outcome: doctor.OutcomeNotRegistd, code: doctor.CodeRedirectUnregistered},
		{name: "keycloak page", h: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `<html><head><title>Sign in to main</title><script>var x = "client_id";</script></head><body><p>Invalid parameter: redirect_uri</p></body></html>`)
		}, outcome: doctor.OutcomeNotRegistd, code: doctor.CodeRedirectUnregistered, words: []string{"Invalid parameter: redirect_uri"}},
		{name: "keycloak unknown client", h: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `<html><body><p>Client not found.</p></body></html>`)
		}, outcome: doctor.OutcomeUnknown, code: doctor.CodeUnknownClient},
		{name: "entra 200 page", h: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `<html><body>AADSTS50011: The redirect URI specified in the request does not match.</body></html>`)
		}, outcome: doctor.OutcomeNotRegistd, code: doctor.CodeRedirectUnregistered},
		{name: "unexplained error page", h: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `<html><title>Oops</title><body>Something went wrong</body></html>`)
		}, outcome: doctor.OutcomeErrorPage, code: doctor.CodeAuthorizeRefused, words: []string{"Oops: Something went wrong"}},
		{name: "not found", h: http.NotFound, outcome: doctor.OutcomeNoAnswer, code: doctor.CodeEndpointStatus, words: []string{"404 Not Found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := authorizeServer(t, tt.h)
			res := doctor.Preflight(ctx(t), s.Client(), doctor.AuthorizeRequest{AuthorizeURL: s.URL + "/authorize", ClientID: "app", RedirectURI: redirect})
			assert.Equal(t, tt.outcome, res.Outcome, "text %q", res.Text)
			if tt.code == "" {
				assert.Nil(t, res.Finding)
				return
			}
			require.NotNil(t, res.Finding)
			assert.Equal(t, tt.code, res.Finding.Code)
			for _, w := range tt.words {
				assert.Contains(t, res.Finding.Message, w)
			}
		})
	}

	t.Run("request carries PKCE, state and nonce", func(t *testing.T) {
		var got url.Values
		s := authorizeServer(t, func(w http.ResponseWriter, r *http.Request) { got = r.URL.Query() })
		doctor.Preflight(ctx(t), s.Client(), doctor.AuthorizeRequest{AuthorizeURL: s.URL + "/a?x=1", Type: "oidc", ClientID: "cli", RedirectURI: redirect, Scopes: []string{"openid", "email"}})
		assert.Equal(t, "1", got.Get("x"))
		assert.Equal(t, "code", got.Get("response_type"))
		assert.Equal(t, "cli", got.Get("client_id"))
		assert.Empty(t, got.Get("app_id"))
		assert.Equal(t, redirect, got.Get("redirect_uri"))
		assert.Equal(t, "openid email", got.Get("scope"))
		assert.Equal(t, "S256", got.Get("code_challenge_method"))
		assert.Len(t, got.Get("code_challenge"), 43)
		assert.NotEmpty(t, got.Get("state"))
		assert.NotEmpty(t, got.Get("nonce"))

		// Each kind gets what its login sends.
		doctor.Preflight(ctx(t), s.Client(), doctor.AuthorizeRequest{AuthorizeURL: s.URL + "/a", Type: "lark", ClientID: "cli", RedirectURI: redirect,
			TokenURL: "https://open.feishu.cn/open-apis/authen/v1/oidc/access_token"})
		assert.Equal(t, "cli", got.Get("app_id"), "Lark's v1 page reads app_id")
		assert.Empty(t, got.Get("code_challenge"))
		assert.Empty(t, got.Get("nonce"))
		doctor.Preflight(ctx(t), s.Client(), doctor.AuthorizeRequest{AuthorizeURL: s.URL + "/a", Type: "dingtalk", ClientID: "cli", RedirectURI: redirect})
		assert.Equal(t, "consent", got.Get("prompt"))
		assert.Empty(t, got.Get("code_challenge"), "DingTalk takes no PKCE")
		doctor.Preflight(ctx(t), s.Client(), doctor.AuthorizeRequest{AuthorizeURL: s.URL + "/a", Type: "github", ClientID: "cli", RedirectURI: redirect})
		assert.Equal(t, "S256", got.Get("code_challenge_method"))
		assert.Empty(t, got.Get("nonce"))
	})

	t.Run("unreachable", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		require.NoError(t, ln.Close())
		res := doctor.Preflight(ctx(t), nil, doctor.AuthorizeRequest{AuthorizeURL: "http://" + addr + "/auth", ClientID: "a", RedirectURI: redirect})
		require.NotNil(t, res.Finding)
		assert.Equal(t, doctor.CodeUnreachable, res.Finding.Code)
		assert.Contains(t, res.Finding.Message, "cannot reach the authorize endpoint")
		assert.Contains(t, res.Finding.Message, "TCP")
	})
}

func TestReach(t *testing.T) {
	s := authorizeServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/userinfo":
			w.WriteHeader(http.StatusUnauthorized)
		case "/broken":
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, "upstream connect error")
		default:
			http.NotFound(w, r)
		}
	})
	assert.Nil(t, doctor.Reach(ctx(t), s.Client(), "userinfo endpoint", s.URL+"/userinfo", "userinfo_url"))
	f := doctor.Reach(ctx(t), s.Client(), "userinfo endpoint", s.URL+"/me", "userinfo_url")
	require.NotNil(t, f)
	assert.Equal(t, doctor.CodeEndpointStatus, f.Code)
	assert.Equal(t, "userinfo_url", f.Field)
	assert.Contains(t, f.Hint, "URL is wrong")
	f = doctor.Reach(ctx(t), s.Client(), "userinfo endpoint", s.URL+"/broken", "userinfo_url")
	require.NotNil(t, f)
	assert.Contains(t, f.Message, `502 Bad Gateway (it says "upstream connect error")`)
}

// TestFindIssuer serves discovery at one form of the issuer only and checks that the variants find
// it, for each common mistake.
func TestFindIssuer(t *testing.T) {
	var base string
	s := authorizeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/realms/main/.well-known/openid-configuration" {
			fmt.Fprintf(w, `{"issuer":%q}`, base+"/realms/main")
			return
		}
		http.NotFound(w, r)
	})
	base = s.URL
	for _, configured := range []string{
		base + "/realms/main/",
		base + "/auth/realms/main",
		base + "/auth/realms/main/",
	} {
		t.Run(strings.TrimPrefix(configured, base), func(t *testing.T) {
			m, ok := doctor.FindIssuer(ctx(t), s.Client(), configured)
			require.True(t, ok)
			assert.Equal(t, base+"/realms/main", m.Issuer)
			f := doctor.IssuerVariantFinding(configured, m, "alist")
			assert.Equal(t, doctor.CodeIssuerVariant, f.Code)
			assert.Equal(t, "issuer: "+base+"/realms/main", f.Fix)
			assert.Contains(t, f.Hint, "AList's sso_endpoint_name must then be "+base+"/realms/main")
		})
	}
	_, ok := doctor.FindIssuer(ctx(t), s.Client(), base+"/realms/other")
	assert.False(t, ok)
}

func TestIssuerVariants(t *testing.T) {
	assert.Equal(t, []string{"https://a/x"}, doctor.IssuerVariants("https://a/x/"))
	assert.Equal(t, []string{"https://a/app", "https://a/app/"}, doctor.IssuerVariants("https://a/app/.well-known/openid-configuration"))
	assert.Equal(t, []string{"https://kc/realms/r/", "https://kc/auth/realms/r", "https://kc/auth/realms/r/"}, doctor.IssuerVariants("https://kc/realms/r"))
}

func TestIssuerForApp(t *testing.T) {
	f := doctor.IssuerForApp("inventree", "https://auth.example.com/application/o/inv/")
	require.NotNil(t, f)
	assert.Equal(t, "https://auth.example.com/application/o/inv/.well-known/openid-configuration", f.Fix)
	assert.Contains(t, f.Message, "InvenTree's server_url must be")
	f = doctor.IssuerForApp("lobechat", "https://auth.example.com/application/o/lobe/")
	require.NotNil(t, f)
	assert.Contains(t, f.Message, "keep the trailing slash")
	assert.Nil(t, doctor.IssuerForApp("lobechat", "https://kc.example.com/realms/main"))
	assert.Nil(t, doctor.IssuerForApp("alist", "https://kc.example.com/realms/main"))
}
