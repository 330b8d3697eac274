package doctor_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/doctor"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// TestCheckLoginAListPlatform: test-login's pre-flight under AList's Casdoor platform sends AList's
// own authorize request (pkg/app's PlainLogin): to the configured authorize_url (the test provider's,
// as test-login's rehearsal does; AList itself would build <endpoint>/login/oauth/authorize), with
// scope profile alone (no openid added), no code_challenge, and no discovery. The real provider
// requires PKCE of this client, so it refuses before anyone logs in, and the finding names AList's
// platform.
func TestCheckLoginAListPlatform(t *testing.T) {
	op := requireNode(t)
	tg, err := app.Resolve(&config.App{Kind: config.AppAList, Version: "3.63"})
	require.NoError(t, err)
	c, ok := app.ClientFor(tg, config.TypeCasdoor)
	require.True(t, ok)
	p := config.Provider{Name: "c", Type: config.TypeCasdoor, Issuer: op.Issuer, ClientID: "confidential-client",
		AuthorizeURL: op.Issuer + "/auth", RedirectURL: "http://127.0.0.1/callback"}
	ep, err := provider.Resolve(p)
	require.NoError(t, err)

	pre := doctor.CheckLogin(ctx(t), nil, doctor.LoginCheck{Provider: p, Endpoints: ep, RedirectURI: "http://127.0.0.1:1/callback", Client: &c})
	assert.Nil(t, pre.Metadata, "AList's Casdoor platform reads no discovery document")
	require.NotNil(t, pre.Preflight.Finding)
	assert.Equal(t, doctor.CodePKCERequired, pre.Preflight.Finding.Code)
	assert.Contains(t, pre.Preflight.Finding.Message, "AList 3.63 (Casdoor) sends no code_challenge")

	// What the provider saw: AList's scope, and nothing of PKCE.
	resp, err := http.Get(op.Issuer + "/_log?client_id=confidential-client")
	require.NoError(t, err)
	defer resp.Body.Close()
	var entries []struct {
		Endpoint string            `json:"endpoint"`
		Params   map[string]string `json:"params"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&entries))
	require.NotEmpty(t, entries)
	last := entries[len(entries)-1]
	assert.Equal(t, "authorization", last.Endpoint)
	assert.Equal(t, "profile", last.Params["scope"])
	assert.NotContains(t, last.Params, "code_challenge")
	assert.NotContains(t, last.Params, "nonce")
}

// authorizeLog is the test provider's request log of authorization requests whose redirect_uri is
// redirect: each one's parameters, a parameter sent twice as a list.
func authorizeLog(t *testing.T, issuer, redirect string) []map[string]any {
	t.Helper()
	resp, err := http.Get(issuer + "/_log")
	require.NoError(t, err)
	defer resp.Body.Close()
	var entries []struct {
		Endpoint string         `json:"endpoint"`
		Params   map[string]any `json:"params"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&entries))
	var out []map[string]any
	for _, e := range entries {
		if e.Endpoint == "authorization" && e.Params["redirect_uri"] == redirect {
			out = append(out, e.Params)
		}
	}
	return out
}

// alistClientFor is AList 3.63's client on platform typ.
func alistClientFor(t *testing.T, typ string) app.Client {
	t.Helper()
	tg, err := app.Resolve(&config.App{Kind: config.AppAList, Version: "3.63"})
	require.NoError(t, err)
	c, ok := app.ClientFor(tg, typ)
	require.True(t, ok)
	require.NotNil(t, c.Plain)
	return c
}

// wantAList is the authorize request AList v3.63.0 sends on each plain platform, beyond
// client_id and redirect_uri (server/handles/ssologin.go SSOLoginRedirect, lines 75-112): written
// out here from the source, not read from pkg/app, so that the table is checked against it.
// Casdoor's state is its endpoint, the test provider's issuer here.
func wantAList(typ, endpoint string) map[string]any {
	switch typ {
	case config.TypeGitHub:
		return map[string]any{"response_type": "code", "scope": "read:user"}
	case config.TypeMicrosoft:
		return map[string]any{"response_type": "code", "scope": "user.read", "response_mode": "query"}
	case config.TypeGoogle:
		return map[string]any{"response_type": "code", "scope": "https://www.googleapis.com/auth/userinfo.profile"}
	case config.TypeDingTalk:
		return map[string]any{"response_type": []any{"code", "code"}, "scope": "openid", "prompt": "consent"}
	case config.TypeCasdoor:
		return map[string]any{"response_type": "code", "scope": "profile", "state": endpoint}
	}
	return nil
}

var plainPlatforms = []string{config.TypeGitHub, config.TypeMicrosoft, config.TypeGoogle, config.TypeDingTalk, config.TypeCasdoor}

// TestCheckLoginAListPlatformParams: test-login's pre-flight sends, on each of AList's plain
// platforms, exactly AList's authorize request as the real provider's request log shows it:
// Microsoft's response_mode=query, DingTalk's prompt=consent and its response_type twice, Casdoor's
// state = the endpoint, and no state, nonce or code_challenge of ssoctl's.
func TestCheckLoginAListPlatformParams(t *testing.T) {
	op := requireNode(t)
	for i, typ := range plainPlatforms {
		t.Run(typ, func(t *testing.T) {
			c := alistClientFor(t, typ)
			// Each platform's own loopback port, so that the log tells its requests apart.
			redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", 1001+i)
			p := config.Provider{Name: typ, Type: typ, ClientID: "confidential-client", AuthorizeURL: op.Issuer + "/auth"}
			if typ == config.TypeCasdoor {
				p.Issuer = op.Issuer
			}
			ep, err := provider.Resolve(p)
			require.NoError(t, err)
			pre := doctor.CheckLogin(ctx(t), nil, doctor.LoginCheck{Provider: p, Endpoints: ep, RedirectURI: redirect, Client: &c})
			assert.Nil(t, pre.Metadata, "AList's %s platform reads no discovery document", typ)
			require.NotEmpty(t, pre.Preflight.Outcome)

			sent := authorizeLog(t, op.Issuer, redirect)
			require.Len(t, sent, 1)
			want := wantAList(typ, op.Issuer)
			want["client_id"], want["redirect_uri"] = "confidential-client", redirect
			assert.Equal(t, want, sent[0])
		})
	}
}

// TestCheckProviderAListPlatforms: validate --online under AList's plain platforms probes what AList
// uses, not the platform's OpenID Connect discovery (Google's and Microsoft's would go to
// accounts.google.com and login.microsoftonline.com, which AList never asks): its authorize, token
// and user URLs, here moved to the real test provider by the config as test-login's rehearsal is,
// with AList's exact authorize request for each redirect URI the app sends.
func TestCheckProviderAListPlatforms(t *testing.T) {
	op := requireNode(t)
	for i, typ := range plainPlatforms {
		t.Run(typ, func(t *testing.T) {
			redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", 2001+i)
			p := config.Provider{Name: typ, Type: typ, ClientID: "confidential-client", RedirectURL: redirect,
				AuthorizeURL: op.Issuer + "/auth", TokenURL: op.Issuer + "/token", UserinfoURL: op.Issuer + "/me"}
			if typ == config.TypeCasdoor {
				p.Issuer = op.Issuer
			}
			rep := doctor.CheckProvider(ctx(t), nil, doctor.ProviderCheck{App: &config.App{Kind: config.AppAList, Version: "3.63"},
				Provider: p, Secret: "confidential-secret", SecretKnown: true})
			assert.Nil(t, rep.Discovery, "AList's %s platform reads no discovery document", typ)
			for _, f := range rep.Findings {
				assert.NotContains(t, f.Code, "DSC", "no discovery finding: %s", f.Message)
			}
			require.Len(t, rep.Preflights, 1)
			sent := authorizeLog(t, op.Issuer, redirect)
			require.Len(t, sent, 1)
			want := wantAList(typ, op.Issuer)
			want["client_id"], want["redirect_uri"] = "confidential-client", redirect
			assert.Equal(t, want, sent[0])
			f := rep.Preflights[0].Finding
			require.NotNil(t, f)
			if typ == config.TypeDingTalk {
				// oidc-provider refuses a parameter sent twice (RFC 6749 §3.1), as AList's DingTalk
				// request sends response_type: what AList's request would meet here.
				assert.Equal(t, doctor.CodeAuthorizeRefused, f.Code)
				assert.Contains(t, f.Message, "'response_type' parameter must not be provided twice")
			} else {
				// This provider requires PKCE of every client, and AList sends none.
				assert.Equal(t, doctor.CodePKCERequired, f.Code)
			}
			if typ != config.TypeDingTalk {
				// The client probe reached the moved token endpoint (DingTalk's dialect is not probed).
				assert.NotEmpty(t, rep.Client.Tried, "the token endpoint was probed")
			}
		})
	}
}
