package login_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// logEntry is one line of the test provider's request log (GET /_log).
type logEntry struct {
	Endpoint string            `json:"endpoint"`
	ClientID string            `json:"clientId"`
	Auth     string            `json:"auth"`
	Params   map[string]string `json:"params"`
	Status   int               `json:"status"`
	Error    string            `json:"error"`
}

// requestLog reads what clientID sent to the provider, from its request log.
func requestLog(t *testing.T, issuer, clientID string) []logEntry {
	t.Helper()
	resp, err := http.Get(issuer + "/_log?client_id=" + url.QueryEscape(clientID))
	require.NoError(t, err)
	defer resp.Body.Close()
	var entries []logEntry
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&entries))
	return entries
}

func clientFor(t *testing.T, kind, version, typ string) *app.Client {
	t.Helper()
	tg, err := app.Resolve(&config.App{Kind: kind, Version: version})
	require.NoError(t, err)
	c, ok := app.ClientFor(tg, typ)
	require.True(t, ok)
	return &c
}

// TestRunAsAppClient logs in as each app's OAuth client against the real provider, which accepts
// only each client's registered authentication method (as ORY Hydra does), and reads back from the
// provider's request log what the rehearsal sent: PKCE, nonce, scopes, client authentication. This
// is the half of the comparison with each app's real client library that ssoctl owns.
func TestRunAsAppClient(t *testing.T) {
	op := nodeProvider(t, "PKCE_OPTIONAL_CLIENTS=post-client,confidential-client")
	tests := []struct {
		name             string
		client           *app.Client
		clientID, secret string
		scopes           []string
		pkce, nonce      bool
		sentScope        string
		auths            []string // the token requests' client authentication, in order
		reportAuth       string
	}{
		{name: "AList OIDC, post-only client: Basic refused, then the body", client: clientFor(t, config.AppAList, "3.63", config.TypeOIDC),
			clientID: "post-client", secret: "post-secret", scopes: []string{"openid", "email"},
			sentScope: "openid profile email", auths: []string{"client_secret_basic", "client_secret_post"},
			reportAuth: "auto-detect: client_secret_basic refused (401 Unauthorized with invalid_client (the client is registered for client_secret_post, not client_secret_basic)), then client_secret_post"},
		{name: "OpenList OIDC, basic client: Basic at once", client: clientFor(t, config.AppOpenList, "", config.TypeOIDC),
			clientID: logintest.ConfidentialClientID, secret: logintest.ConfidentialSecret, scopes: []string{"openid", "profile", "groups"},
			sentScope: "openid profile groups", auths: []string{"client_secret_basic"}, reportAuth: "auto-detect: client_secret_basic"},
		{name: "InvenTree, discovery lists both: the body", client: clientFor(t, config.AppInvenTree, "", config.TypeOIDC),
			clientID: "post-client", secret: "post-secret", scopes: []string{"openid", "profile", "email"},
			sentScope: "openid profile email", auths: []string{"client_secret_post"}, reportAuth: "client_secret_post"},
		{name: "LobeChat 1.x: PKCE and Basic, fixed scopes", client: clientFor(t, config.AppLobeChat, "1.110", config.TypeOIDC),
			clientID: logintest.ConfidentialClientID, secret: logintest.ConfidentialSecret, scopes: []string{"openid", "groups"},
			pkce: true, sentScope: "openid email profile", auths: []string{"client_secret_basic"}, reportAuth: "client_secret_basic"},
		{name: "LobeHub 2.x: PKCE and the body", client: clientFor(t, config.AppLobeChat, "2.2.19", config.TypeOIDC),
			clientID: "post-client", secret: "post-secret", scopes: []string{"openid"},
			pkce: true, sentScope: "openid email profile", auths: []string{"client_secret_post"}, reportAuth: "client_secret_post"},
		{name: "PhotoPrism: S256 as discovered, auto-detect", client: clientFor(t, config.AppPhotoPrism, "", config.TypeOIDC),
			clientID: logintest.ConfidentialClientID, secret: logintest.ConfidentialSecret, scopes: []string{"openid", "email", "profile"},
			pkce: true, sentScope: "openid email profile", auths: []string{"client_secret_basic"}, reportAuth: "auto-detect: client_secret_basic"},
		{name: "strict", clientID: logintest.ConfidentialClientID, secret: logintest.ConfidentialSecret, scopes: []string{"openid", "groups"},
			pkce: true, nonce: true, sentScope: "openid groups", auths: []string{"client_secret_basic"}, reportAuth: "client_secret_basic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(requestLog(t, op.Issuer, tt.clientID))
			in, _ := input(op.Issuer, tt.clientID, tt.secret, logintest.FollowOptions{LoginHint: "alice"})
			in.Provider.Scopes, in.Client = tt.scopes, tt.client
			rep, err := login.Run(context.Background(), in)
			require.NoError(t, err)
			assert.Equal(t, tt.reportAuth, rep.ClientAuth)
			assert.Equal(t, tt.pkce, rep.Client.PKCE)
			assert.Equal(t, tt.nonce, rep.Client.Nonce)
			assert.Equal(t, tt.auths, rep.Client.AuthMethods)

			// What the provider saw, this login only.
			entries := requestLog(t, op.Issuer, tt.clientID)[before:]
			var authz []logEntry
			var tokens []string
			for _, e := range entries {
				switch e.Endpoint {
				case "authorization":
					authz = append(authz, e)
				case "token":
					tokens = append(tokens, e.Auth)
				}
			}
			require.Len(t, authz, 1)
			p := authz[0].Params
			assert.Equal(t, tt.pkce, p["code_challenge"] != "", "code_challenge sent")
			if tt.pkce {
				assert.Equal(t, "S256", p["code_challenge_method"])
			}
			assert.Equal(t, tt.nonce, p["nonce"] != "", "nonce sent")
			assert.Equal(t, tt.sentScope, p["scope"])
			assert.NotEmpty(t, p["state"])
			assert.True(t, strings.HasPrefix(p["redirect_uri"], "http://127.0.0.1:"), p["redirect_uri"])
			assert.Equal(t, tt.auths, tokens)
		})
	}
}

// TestRunAsAListGitHub rehearses AList's GitHub login against the fake GitHub: its fixed scope
// read:user whatever the config lists, no PKCE, the secret in the form body.
func TestRunAsAListGitHub(t *testing.T) {
	p, in, _ := platform(t, logintest.KindGitHub, logintest.ModeOK)
	in.Provider.Scopes = []string{"read:user", "user:email"}
	in.Client = clientFor(t, config.AppAList, "3.63", config.TypeGitHub)
	rep, err := login.Run(context.Background(), in)
	require.NoError(t, err)
	assert.False(t, rep.Client.PKCE)
	assert.Equal(t, []string{"read:user"}, rep.RequestedScopes)
	authz := p.Requests(strings.TrimPrefix(p.AuthorizeURL(), p.URL))
	require.Len(t, authz, 1)
	assert.False(t, authz[0].Query.Has("code_challenge"))
	assert.Equal(t, "read:user", authz[0].Query.Get("scope"))
	tok := p.Requests(strings.TrimPrefix(p.TokenURL(), p.URL))
	require.Len(t, tok, 1)
	assert.False(t, tok[0].Form.Has("code_verifier"))
	assert.Equal(t, "present", map[bool]string{true: "present"}[tok[0].Form.Get("client_secret") != ""])
}

// TestRunAsPhotoPrismClockSkew: PhotoPrism lets iat be 5 s ahead, ssoctl 2 minutes; a token issued
// 30 s in this machine's future passes here and the report warns that PhotoPrism would refuse it.
func TestRunAsPhotoPrismClockSkew(t *testing.T) {
	op := nodeProvider(t, "PKCE_OPTIONAL_CLIENTS=post-client,confidential-client")
	in, rec := input(op.Issuer, logintest.ConfidentialClientID, logintest.ConfidentialSecret, logintest.FollowOptions{LoginHint: "alice"})
	in.Client = clientFor(t, config.AppPhotoPrism, "", config.TypeOIDC)
	in.Now = func() time.Time { return time.Now().Add(-30 * time.Second) }
	_, err := login.Run(context.Background(), in)
	require.NoError(t, err)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	assert.True(t, slices.ContainsFunc(rec.warnings, func(w string) bool {
		return strings.Contains(w, "ssoctl allows 2m0s, but PhotoPrism allows 5s and would refuse it")
	}), "%q", rec.warnings)
}

// TestRunAsAListCasdoor rehearses AList's Casdoor platform against the real provider and reads back
// from its request log exactly what was sent: AList's authorize parameters (scope profile, no
// code_challenge, no nonce), its token form (client_id and client_secret in the body, code,
// redirect_uri, scope and grant_type), then the user request. The provider serves userinfo only to
// tokens with the openid scope, which AList never requests, so the user request fails as AList's
// would against it, with AList's answer named. OpenList sends the same.
func TestRunAsAListCasdoor(t *testing.T) {
	op := nodeProvider(t, "PKCE_OPTIONAL_CLIENTS=post-client,confidential-client")
	for _, kind := range []string{config.AppAList, config.AppOpenList} {
		t.Run(kind, func(t *testing.T) {
			before := len(requestLog(t, op.Issuer, "post-client"))
			in, rec := input(op.Issuer, "post-client", "post-secret", logintest.FollowOptions{LoginHint: "alice"})
			in.Provider.Type = config.TypeCasdoor
			in.Provider.AuthorizeURL, in.Provider.TokenURL, in.Provider.UserinfoURL = op.Issuer+"/auth", op.Issuer+"/token", op.Issuer+"/me"
			in.Client = clientFor(t, kind, "", config.TypeCasdoor)
			rep, err := login.Run(context.Background(), in)
			require.Error(t, err)
			var le *login.Error
			require.ErrorAs(t, err, &le)
			assert.Equal(t, "userinfo", le.Step)
			assert.Contains(t, le.Message, "access token missing openid scope")
			assert.Contains(t, le.Message, `reads sub from this answer, finds none and answers "error occurred"`)
			assert.Equal(t, []string{"authorize URL", "browser", "callback", "state", "code exchange"}, stepNames(rep))
			assert.Equal(t, []string{"profile"}, rep.RequestedScopes)
			assert.Equal(t, []string{app.AuthPost}, rep.Client.AuthMethods)
			assert.False(t, rep.Client.PKCE)
			assert.Nil(t, rep.IDToken)
			rec.mu.Lock()
			assert.True(t, slices.ContainsFunc(rec.warnings, func(w string) bool {
				return strings.Contains(w, "(Casdoor) builds its endpoints from sso_endpoint_name and reads no authorize_url, token_url, userinfo_url: it sends users to "+op.Issuer+"/login/oauth/authorize")
			}), "%q", rec.warnings)
			rec.mu.Unlock()

			entries := requestLog(t, op.Issuer, "post-client")[before:]
			require.Len(t, entries, 2, "authorize and token; the user request carries no client_id: %+v", entries)
			authz, tok := entries[0], entries[1]
			require.Equal(t, "authorization", authz.Endpoint)
			assert.Equal(t, []string{"client_id", "login_hint", "redirect_uri", "response_type", "scope", "state"}, keys(authz.Params))
			assert.Equal(t, "profile", authz.Params["scope"])
			require.Equal(t, "token", tok.Endpoint)
			assert.Equal(t, "client_secret_post", tok.Auth)
			assert.Equal(t, []string{"client_id", "client_secret", "code", "grant_type", "redirect_uri", "scope"}, keys(tok.Params))
			assert.Equal(t, "authorization_code", tok.Params["grant_type"])
			assert.Equal(t, "profile", tok.Params["scope"])
			assert.Equal(t, authz.Params["redirect_uri"], tok.Params["redirect_uri"])
			assert.Equal(t, 200, tok.Status)
		})
	}
}

// TestRunAsAListGitHubExact: AList's GitHub token form is client_id, client_secret, code,
// redirect_uri and scope, without grant_type (ssologin.go:373-380), asked for JSON; the user is
// GET /user alone (no /user/emails, which AList never reads), whose id and login AList takes.
func TestRunAsAListGitHubExact(t *testing.T) {
	p, in, _ := platform(t, logintest.KindGitHub, logintest.ModeOK)
	in.Client = clientFor(t, config.AppAList, "3.63", config.TypeGitHub)
	rep, err := login.Run(context.Background(), in)
	require.NoError(t, err)
	tok := one(t, p, "/login/oauth/access_token")
	assert.Equal(t, []string{"client_id", "client_secret", "code", "redirect_uri", "scope"}, keys(tok.Form))
	assert.Equal(t, "read:user", tok.Form.Get("scope"))
	assert.Equal(t, "application/json", tok.Header.Get("Accept"))
	assert.Empty(t, tok.Header.Get("Authorization"))
	user := one(t, p, "/user")
	assert.True(t, strings.HasPrefix(user.Header.Get("Authorization"), "Bearer "))
	assert.Empty(t, p.Requests("/user/emails"), "AList never reads /user/emails")
	assert.Nil(t, rep.Userinfo["email"], "the email stays as /user has it")
	assert.Contains(t, stepDetail(rep, "userinfo"), `AList 3.63 reads id "58121947" and login "mona-ops"`, "a number id is read as its decimal text, as jsoniter's ToString does")
}

// TestRunAsAListDingTalk: AList's DingTalk login, against the fake DingTalk: prompt=consent and
// response_type twice in the authorize request, the JSON token body, the token in
// x-acs-dingtalk-access-token, the user's unionId and nick.
func TestRunAsAListDingTalk(t *testing.T) {
	p, in, _ := platform(t, logintest.KindDingTalk, logintest.ModeOK)
	in.Client = clientFor(t, config.AppOpenList, "", config.TypeDingTalk)
	rep, err := login.Run(context.Background(), in)
	require.NoError(t, err)
	assert.Equal(t, "json_body", rep.ClientAuth)
	auth := one(t, p, "/oauth2/auth").Query
	assert.Equal(t, []string{"code", "code"}, auth["response_type"])
	assert.Equal(t, "consent", auth.Get("prompt"))
	assert.Equal(t, "openid", auth.Get("scope"))
	tok := one(t, p, "/v1.0/oauth2/userAccessToken")
	assert.Equal(t, []string{"clientId", "clientSecret", "code", "grantType"}, keys(tok.JSON))
	assert.NotEmpty(t, one(t, p, "/v1.0/contact/users/me").Header.Get("x-acs-dingtalk-access-token"))
	assert.Contains(t, stepDetail(rep, "userinfo"), `OpenList 4.2.5 reads unionId "p3ZiPexampleUnionId5678iEiE" and nick "张伟"`)
}
