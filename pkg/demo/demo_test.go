package demo

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/login"
)

func TestMain(m *testing.M) {
	// The provider library logs every refused request through log/slog; the refusals below are
	// deliberate.
	slog.SetDefault(slog.New(slog.DiscardHandler))
	os.Exit(m.Run())
}

// startProvider runs a demo provider with a small key (tests need no 2048-bit keys) for the test.
func startProvider(t *testing.T) *Provider {
	t.Helper()
	p, err := Start(Options{KeyBits: 1024})
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func demoProvider(issuer string) config.Provider {
	return config.Provider{
		Name: ProviderName, Type: config.TypeOIDC, Issuer: issuer, ClientID: ClientID,
		RedirectURL: RedirectURL, Scopes: Scopes(),
	}
}

// TestLogin runs a complete login through login.Run against the provider, over real HTTP on
// 127.0.0.1, and checks what was verified.
func TestLogin(t *testing.T) {
	p := startProvider(t)
	u := DefaultUser()

	rep, err := login.Run(context.Background(), login.Input{
		Provider: demoProvider(p.Issuer()),
		Browser:  &Browser{},
		Timeout:  30 * time.Second,
	})
	require.NoError(t, err)

	assert.Equal(t, p.Issuer(), rep.Issuer)
	assert.Equal(t, "none", rep.ClientAuth, "a public client authenticates with PKCE only")
	assert.False(t, rep.RefreshToken)
	require.NotNil(t, rep.IDToken)
	assert.Equal(t, "RS256", rep.IDToken.Header.Alg)
	assert.NotEmpty(t, rep.IDToken.Header.Kid)
	assert.Subset(t, rep.IDToken.Checks, []string{"exp", "iss", "aud", "nonce", "at_hash"})
	c := rep.IDToken.Claims
	assert.Equal(t, p.Issuer(), c["iss"])
	assert.Equal(t, u.Subject, c["sub"])
	assert.Equal(t, ClientID, audience(c["aud"]))
	assert.Equal(t, u.PreferredUsername, c["preferred_username"])
	assert.Equal(t, u.Name, c["name"])
	assert.Equal(t, u.Email, c["email"])
	assert.Equal(t, true, c["email_verified"])
	assert.Equal(t, []any{"alist-users", "webdav"}, c["groups"])

	assert.Equal(t, u.Subject, rep.Userinfo["sub"])
	assert.Equal(t, u.PreferredUsername, rep.Userinfo["preferred_username"])
	assert.Equal(t, u.Email, rep.Userinfo["email"])
	assert.Equal(t, []any{"alist-users", "webdav"}, rep.Userinfo["groups"])

	var names []string
	for _, s := range rep.Steps {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"discovery", "jwks", "authorize URL", "browser", "callback", "state", "iss parameter", "code exchange", "id token", "userinfo"}, names)
}

// audience reads aud, which go-oidc's claims keep as JSON: a string or a list of strings.
func audience(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		if len(v) == 1 {
			s, _ := v[0].(string)
			return s
		}
	}
	return ""
}

func TestDiscoveryAndKeys(t *testing.T) {
	p := startProvider(t)
	var md struct {
		Issuer     string   `json:"issuer"`
		JWKSURI    string   `json:"jwks_uri"`
		Userinfo   string   `json:"userinfo_endpoint"`
		PKCE       []string `json:"code_challenge_methods_supported"`
		Algs       []string `json:"id_token_signing_alg_values_supported"`
		Scopes     []string `json:"scopes_supported"`
		GrantTypes []string `json:"grant_types_supported"`
	}
	getJSON(t, p.Issuer()+"/.well-known/openid-configuration", &md)
	assert.Equal(t, p.Issuer(), md.Issuer)
	assert.Equal(t, []string{"S256"}, md.PKCE)
	assert.Equal(t, []string{"RS256"}, md.Algs)
	assert.Subset(t, md.Scopes, Scopes())
	assert.NotEmpty(t, md.Userinfo)

	var jwks struct {
		Keys []map[string]any `json:"keys"`
	}
	getJSON(t, md.JWKSURI, &jwks)
	require.Len(t, jwks.Keys, 1)
	assert.Equal(t, "RSA", jwks.Keys[0]["kty"])
	assert.Equal(t, "RS256", jwks.Keys[0]["alg"])
	assert.Equal(t, "sig", jwks.Keys[0]["use"])
	assert.NotContains(t, jwks.Keys[0], "d", "the JWKS must not publish the private key")
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(v))
}

// TestAuthorizeRefusals checks that the provider enforces what the demo claims to: a known client,
// a registered loopback redirect, PKCE with S256.
func TestAuthorizeRefusals(t *testing.T) {
	p := startProvider(t)
	verifier := oauth2.GenerateVerifier()
	base := url.Values{
		"client_id":             {ClientID},
		"redirect_uri":          {"http://127.0.0.1:9/callback"},
		"response_type":         {"code"},
		"scope":                 {"openid email"},
		"state":                 {"st"},
		"nonce":                 {"n"},
		"code_challenge":        {oauth2.S256ChallengeFromVerifier(verifier)},
		"code_challenge_method": {"S256"},
	}
	tests := []struct {
		name   string
		change func(url.Values)
		// wantRedirect is the error sent back to the client; "" means no redirect at all (the
		// provider must not send anything to an unverified redirect URI).
		wantRedirect string
	}{
		{name: "approved at once", change: func(url.Values) {}, wantRedirect: ""},
		{name: "no PKCE", change: func(v url.Values) { v.Del("code_challenge"); v.Del("code_challenge_method") }, wantRedirect: "invalid_request"},
		{name: "plain PKCE", change: func(v url.Values) { v.Set("code_challenge_method", "plain") }, wantRedirect: "invalid_request"},
		{name: "unknown client", change: func(v url.Values) { v.Set("client_id", "other") }},
		{name: "unregistered redirect", change: func(v url.Values) { v.Set("redirect_uri", "http://127.0.0.1:9/elsewhere") }},
		{name: "non-loopback redirect", change: func(v url.Values) { v.Set("redirect_uri", "http://example.com/callback") }},
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{}
			for k, v := range base {
				q[k] = append([]string(nil), v...)
			}
			tt.change(q)
			resp, err := noFollow.Get(p.Issuer() + "/authorize?" + q.Encode())
			require.NoError(t, err)
			resp.Body.Close()
			loc := resp.Header.Get("Location")
			switch {
			case tt.name == "approved at once":
				require.Equal(t, http.StatusFound, resp.StatusCode)
				assert.True(t, strings.HasPrefix(loc, p.Issuer()+"/authorize/callback?id="), "goes straight to the callback, no login page: %s", loc)
			case tt.wantRedirect != "":
				require.Equal(t, http.StatusFound, resp.StatusCode)
				to, err := url.Parse(loc)
				require.NoError(t, err)
				assert.Equal(t, "127.0.0.1:9", to.Host)
				assert.Equal(t, tt.wantRedirect, to.Query().Get("error"))
				assert.Equal(t, "st", to.Query().Get("state"))
			default:
				assert.NotEqual(t, http.StatusFound, resp.StatusCode, "redirected to %s", loc)
				assert.Empty(t, loc)
			}
		})
	}
}

// TestCodeExchange redeems a code twice: the second exchange must fail, and so must an exchange
// with the wrong PKCE verifier or none.
func TestCodeExchange(t *testing.T) {
	p := startProvider(t)
	conf := &oauth2.Config{
		ClientID:    ClientID,
		Endpoint:    oauth2.Endpoint{AuthURL: p.Issuer() + "/authorize", TokenURL: p.Issuer() + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams},
		RedirectURL: "http://127.0.0.1:9/callback",
		Scopes:      Scopes(),
	}
	code := func(t *testing.T, verifier string) string {
		t.Helper()
		var got string
		c := &http.Client{CheckRedirect: func(req *http.Request, _ []*http.Request) error {
			if req.URL.Host == "127.0.0.1:9" {
				got = req.URL.Query().Get("code")
				return http.ErrUseLastResponse
			}
			return nil
		}}
		resp, err := c.Get(conf.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier)))
		require.NoError(t, err)
		resp.Body.Close()
		require.NotEmpty(t, got)
		return got
	}
	ctx := context.Background()

	t.Run("single use", func(t *testing.T) {
		v := oauth2.GenerateVerifier()
		c := code(t, v)
		tok, err := conf.Exchange(ctx, c, oauth2.VerifierOption(v))
		require.NoError(t, err)
		assert.NotEmpty(t, tok.Extra("id_token"))
		_, err = conf.Exchange(ctx, c, oauth2.VerifierOption(v))
		var re *oauth2.RetrieveError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "invalid_grant", re.ErrorCode)
	})
	t.Run("wrong verifier", func(t *testing.T) {
		c := code(t, oauth2.GenerateVerifier())
		_, err := conf.Exchange(ctx, c, oauth2.VerifierOption(oauth2.GenerateVerifier()))
		var re *oauth2.RetrieveError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "invalid_grant", re.ErrorCode)
	})
	t.Run("no verifier", func(t *testing.T) {
		c := code(t, oauth2.GenerateVerifier())
		_, err := conf.Exchange(ctx, c)
		var re *oauth2.RetrieveError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "invalid_request", re.ErrorCode)
	})
}

func TestUserinfoNeedsValidToken(t *testing.T) {
	p := startProvider(t)
	req, err := http.NewRequest(http.MethodGet, p.Issuer()+"/userinfo", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer forged")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestStartPort(t *testing.T) {
	// A port that is taken: the error names it and says what to do.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	_, err = Start(Options{Port: port, KeyBits: 1024})
	var pe *PortError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "cannot start the demo provider on 127.0.0.1:"+strconv.Itoa(port)+": the port is in use", err.Error())
	assert.Contains(t, pe.Hint(), "--port")
	assert.Equal(t, 1, pe.ExitCode())

	// A free port is used as given.
	ln2, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	free := ln2.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln2.Close())
	p, err := Start(Options{Port: free, KeyBits: 1024})
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:"+strconv.Itoa(free), p.Issuer())
	require.NoError(t, p.Close())
}
