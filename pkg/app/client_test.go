package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

func target(t *testing.T, kind, version string) Target {
	t.Helper()
	tg, err := Resolve(&config.App{Kind: kind, Version: version})
	require.NoError(t, err)
	return tg
}

func TestClientForAList(t *testing.T) {
	c, ok := ClientFor(target(t, config.AppAList, "3.63"), config.TypeOIDC)
	require.True(t, ok)
	assert.Equal(t, "as AList 3.63 (OIDC): no PKCE; client auth auto-detect; scopes openid profile + extra; no nonce; no userinfo", c.Summary())
	assert.False(t, c.SendsPKCE("", []string{"S256"}), "AList sends no PKCE whatever the provider lists")
	assert.Equal(t, []string{AuthBasic, AuthPost}, c.MethodsTried("", true, nil))
	assert.Equal(t, []string{"openid", "profile", "groups"}, c.ScopesFor([]string{"openid", "groups"}))
	assert.True(t, c.SigningAlgsFromDiscovery)
	// go-oidc v2's Provider.Verifier: the discovery list, asymmetric algorithms only, else RS256.
	assert.Equal(t, []string{"ES256", "RS256"}, c.AcceptedAlgs([]string{"HS256", "ES256", "RS256"}))
	assert.Equal(t, []string{"RS256"}, c.AcceptedAlgs([]string{"HS256"}))
	assert.Equal(t, []string{"RS256"}, c.AcceptedAlgs(nil))

	gh, ok := ClientFor(target(t, config.AppOpenList, ""), config.TypeGitHub)
	require.True(t, ok)
	assert.Equal(t, AuthPost, gh.AuthMethod("", true, nil))
	assert.Equal(t, []string{"read:user"}, gh.ScopesFor([]string{"user:email"}), "AList's GitHub scope is fixed")
	assert.Equal(t, "none", gh.State)

	_, ok = ClientFor(target(t, config.AppAList, ""), config.TypeLark)
	assert.False(t, ok, "AList has no Lark login")
}

func TestClientConfigChoices(t *testing.T) {
	al, _ := ClientFor(target(t, config.AppAList, ""), config.TypeOIDC)
	errs := al.ConfigErrors(config.Provider{PKCE: "S256", TokenEndpointAuthMethod: "client_secret_post"})
	require.Len(t, errs, 2)
	assert.Equal(t, "pkce", errs[0].Key)
	assert.Contains(t, errs[0].Message, "AList 3.63 (OIDC) offers no PKCE setting: it sends no PKCE")
	assert.Equal(t, "token_endpoint_auth_method", errs[1].Key)

	inv, ok := ClientFor(target(t, config.AppInvenTree, ""), config.TypeOIDC)
	require.True(t, ok)
	assert.Empty(t, inv.ConfigErrors(config.Provider{PKCE: "S256", TokenEndpointAuthMethod: "client_secret_basic"}))
	assert.True(t, inv.SendsPKCE("S256", nil), "oauth_pkce_enabled")
	assert.False(t, inv.SendsPKCE("", []string{"S256"}), "allauth's default is no PKCE")
	assert.Equal(t, AuthPost, inv.AuthMethod("", true, []string{AuthBasic, AuthPost}))
	assert.Equal(t, AuthBasic, inv.AuthMethod("", true, []string{AuthBasic}))
	assert.Equal(t, AuthBasic, inv.AuthMethod(AuthBasic, true, []string{AuthPost}))
	assert.NotEmpty(t, inv.ConfigErrors(config.Provider{TokenEndpointAuthMethod: "none"}))

	strict := StrictClient()
	assert.Empty(t, strict.ConfigErrors(config.Provider{PKCE: "none", TokenEndpointAuthMethod: "none"}))
	assert.Equal(t, AuthNone, strict.AuthMethod("", false, nil))
	assert.Equal(t, AuthPost, strict.AuthMethod("", true, []string{AuthPost}))
	assert.Equal(t, AuthBasic, strict.AuthMethod("", true, nil))
}

func TestClientForOthers(t *testing.T) {
	pp, ok := ClientFor(target(t, config.AppPhotoPrism, ""), config.TypeOIDC)
	require.True(t, ok)
	assert.True(t, pp.SendsPKCE("", []string{"plain", "S256"}))
	assert.False(t, pp.SendsPKCE("", nil))
	assert.Equal(t, []string{"openid", "email"}, pp.ScopesFor([]string{"openid", "email"}))

	lc1, ok := ClientFor(target(t, config.AppLobeChat, "1.110"), config.TypeOIDC)
	require.True(t, ok)
	assert.Equal(t, "Auth.js (@auth/core on oauth4webapi)", lc1.Library)
	assert.Equal(t, AuthBasic, lc1.AuthMethod("", true, nil))
	assert.Contains(t, lc1.Laxities(), "LobeChat 1.110 does not verify the ID token signature")

	lh, ok := ClientFor(target(t, config.AppLobeChat, "2.2.19"), config.TypeOIDC)
	require.True(t, ok)
	assert.Equal(t, "LobeHub 2.2.19", lh.App)
	assert.Equal(t, "Better Auth generic OAuth", lh.Library)
	assert.Equal(t, AuthPost, lh.AuthMethod("", true, []string{AuthBasic}))
	assert.Contains(t, lh.Laxities(), "LobeHub 2.2.19 does not verify the ID token signature")

	// Unversioned, LobeChat is 1.x here as for its callbacks and export (LobeChatCallbackPath).
	lc, ok := ClientFor(target(t, config.AppLobeChat, ""), config.TypeOIDC)
	require.True(t, ok)
	assert.Equal(t, "LobeChat 1.x", lc.App)
	assert.Equal(t, lc1.Library, lc.Library)
	assert.Equal(t, AuthBasic, lc.AuthMethod("", true, nil))
	assert.Equal(t, "/api/auth/callback/authentik", LobeChatCallbackPath(target(t, config.AppLobeChat, ""), "authentik"))

	g, ok := ClientFor(target(t, config.AppGeneric, ""), config.TypeOIDC)
	assert.False(t, ok)
	assert.True(t, g.Strict)
	assert.Empty(t, g.Laxities())
}

// TestLoginRedirect: AList's client sends its normal-mode login callback with
// ?method=sso_get_token (ssoRedirectUri), whatever form of it redirect_url registers; other apps
// and other paths are sent as configured.
func TestLoginRedirect(t *testing.T) {
	al, _ := ClientFor(target(t, config.AppAList, ""), config.TypeOIDC)
	for _, tc := range []struct{ redirect, want string }{
		{"http://127.0.0.1/api/auth/sso_callback", "http://127.0.0.1/api/auth/sso_callback?method=sso_get_token"},
		{"https://files.example.com/alist/api/auth/sso_callback", "https://files.example.com/alist/api/auth/sso_callback?method=sso_get_token"},
		{"https://files.example.com/api/auth/sso_callback?method=sso_get_token", "https://files.example.com/api/auth/sso_callback?method=sso_get_token"},
		{"http://127.0.0.1/callback", "http://127.0.0.1/callback"},
	} {
		assert.Equal(t, tc.want, al.LoginRedirect(config.Provider{RedirectURL: tc.redirect}), tc.redirect)
	}
	compat := config.Provider{RedirectURL: "https://files.example.com/api/auth/sso_get_token", CompatMode: true}
	assert.Equal(t, compat.RedirectURL, al.LoginRedirect(compat))
	compat.RedirectURL = "https://files.example.com/api/auth/sso_callback"
	assert.Equal(t, compat.RedirectURL, al.LoginRedirect(compat), "compatibility mode sends no method query")

	p := config.Provider{RedirectURL: "http://127.0.0.1/api/auth/sso_callback"}
	assert.Equal(t, p.RedirectURL, StrictClient().LoginRedirect(p))
	inv, _ := ClientFor(target(t, config.AppInvenTree, ""), config.TypeOIDC)
	assert.Equal(t, p.RedirectURL, inv.LoginRedirect(p))
}

// TestAListPlatformClients: AList's and OpenList's client per platform, as server/handles/ssologin.go
// builds it (AList v3.63.0, OpenList v4.2.5): fixed or sso_endpoint_name-based endpoints, the scope
// sent, the token request's shape, the user API and the fields read from it. Only OIDC reads an ID
// token.
func TestAListPlatformClients(t *testing.T) {
	tests := []struct {
		typ, platform, authorize, token, user string
		scopes                                []string
		grantType, json                       bool
		id, username, header                  string
		params                                [][2]string
	}{
		{config.TypeGitHub, "Github", "https://github.com/login/oauth/authorize", "https://github.com/login/oauth/access_token", "https://api.github.com/user",
			[]string{"read:user"}, false, false, "id", "login", "Authorization", nil},
		{config.TypeMicrosoft, "Microsoft", "https://login.microsoftonline.com/common/oauth2/v2.0/authorize", "https://login.microsoftonline.com/common/oauth2/v2.0/token", "https://graph.microsoft.com/v1.0/me",
			[]string{"user.read"}, true, false, "id", "displayName", "Authorization", [][2]string{{"response_mode", "query"}}},
		{config.TypeGoogle, "Google", "https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token", "https://www.googleapis.com/oauth2/v1/userinfo",
			[]string{"https://www.googleapis.com/auth/userinfo.profile"}, true, false, "id", "name", "Authorization", nil},
		{config.TypeDingTalk, "Dingtalk", "https://login.dingtalk.com/oauth2/auth", "https://api.dingtalk.com/v1.0/oauth2/userAccessToken", "https://api.dingtalk.com/v1.0/contact/users/me",
			[]string{"openid"}, false, true, "unionId", "nick", "x-acs-dingtalk-access-token", [][2]string{{"prompt", "consent"}, {"response_type", "code"}}},
		{config.TypeCasdoor, "Casdoor", "https://door.example.com/login/oauth/authorize", "https://door.example.com/api/login/oauth/access_token", "https://door.example.com/api/userinfo",
			[]string{"profile"}, true, false, "sub", "preferred_username", "Authorization", [][2]string{{"state", "https://door.example.com"}}},
	}
	for _, kind := range []string{config.AppAList, config.AppOpenList} {
		for _, tt := range tests {
			c, ok := ClientFor(target(t, kind, ""), tt.typ)
			require.True(t, ok, tt.typ)
			require.NotNil(t, c.Plain, tt.typ)
			assert.Equal(t, tt.platform, c.Platform)
			l := c.Plain.Resolve("https://door.example.com/") // AList trims the slash
			assert.Equal(t, []string{tt.authorize, tt.token, tt.user}, []string{l.AuthorizeURL, l.TokenURL, l.UserURL}, tt.typ)
			assert.Equal(t, tt.typ != config.TypeCasdoor, c.Plain.Fixed(), tt.typ)
			assert.Equal(t, tt.scopes, c.ScopesFor([]string{"openid", "email"}), "%s: the scope is fixed", tt.typ)
			assert.Equal(t, tt.grantType, l.GrantType, tt.typ)
			assert.Equal(t, tt.json, l.TokenJSON, tt.typ)
			assert.Equal(t, []string{tt.id, tt.username}, []string{c.IDField, c.UsernameField}, tt.typ)
			assert.Equal(t, tt.header, l.UserHeader, tt.typ)
			assert.Equal(t, tt.params, l.AuthorizeParams, tt.typ)
			assert.Equal(t, PKCENone, c.PKCE)
			assert.Equal(t, AuthPost, c.AuthMethod("", true, []string{AuthBasic}))
			assert.False(t, c.Nonce || c.VerifiesSignature, "%s reads no ID token", tt.typ)
			assert.Equal(t, ClaimsPlatformAPI, c.Claims)
		}
		oidc, ok := ClientFor(target(t, kind, ""), config.TypeOIDC)
		require.True(t, ok)
		assert.Nil(t, oidc.Plain, "OIDC is go-oidc and x/oauth2 with discovery")
		assert.True(t, oidc.VerifiesSignature)
	}
	g, _ := ClientFor(target(t, config.AppAList, "3.63"), config.TypeGoogle)
	assert.Equal(t, "as AList 3.63 (Google): no PKCE; client auth in the form body; fixed scopes https://www.googleapis.com/auth/userinfo.profile; no ID token: the user is id and name of Google's legacy GET https://www.googleapis.com/oauth2/v1/userinfo; state none", g.Summary())
}
