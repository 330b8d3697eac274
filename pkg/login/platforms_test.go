package login_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// platform starts a fake platform and returns a login against it, the way test-login builds one
// from a config with authorize_url/token_url/userinfo_url overrides (Endpoints derived by Run).
func platform(t *testing.T, kind, mode string, scopes ...string) (*logintest.Platform, login.Input, *recorder) {
	t.Helper()
	p, err := logintest.NewPlatform(kind, mode)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	rec := &recorder{}
	return p, login.Input{
		Provider: config.Provider{
			Name: kind, Type: kind, ClientID: logintest.PlatformClientID,
			RedirectURL:  "http://127.0.0.1/callback",
			Scopes:       scopes,
			Issuer:       p.Issuer(),
			AuthorizeURL: p.AuthorizeURL(), TokenURL: p.TokenURL(), UserinfoURL: p.UserinfoURL(),
		},
		ClientSecret: logintest.PlatformSecret,
		Browser:      logintest.NewBrowser(logintest.FollowOptions{}),
		Reporter:     rec,
		Timeout:      10 * time.Second,
	}, rec
}

func stepNames(rep *login.Report) []string {
	var names []string
	for _, s := range rep.Steps {
		names = append(names, s.Name)
	}
	return names
}

func stepDetail(rep *login.Report, name string) string {
	for _, s := range rep.Steps {
		if s.Name == name {
			return s.Detail
		}
	}
	return ""
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// one returns the only request on path.
func one(t *testing.T, p *logintest.Platform, path string) logintest.Request {
	t.Helper()
	reqs := p.Requests(path)
	require.Len(t, reqs, 1, "requests to %s", path)
	return reqs[0]
}

// noLeaks asserts that neither the error nor the report shows the client secret or a token.
func noLeaks(t *testing.T, rep *login.Report, err error, tokens ...string) {
	t.Helper()
	b, jerr := json.Marshal(rep)
	require.NoError(t, jerr)
	text := string(b)
	if err != nil {
		text += err.Error() + hint(err)
	}
	for _, s := range append(tokens, logintest.PlatformSecret) {
		if s != "" {
			assert.NotContains(t, text, s)
		}
	}
}

// noIDTokenChecks asserts the report says plainly which OpenID Connect checks do not apply.
func noIDTokenChecks(t *testing.T, rep *login.Report, rec *recorder) {
	t.Helper()
	assert.Nil(t, rep.IDToken)
	var checks []string
	for _, na := range rep.NotApplicable {
		assert.NotEmpty(t, na.Reason)
		checks = append(checks, na.Checks...)
	}
	for _, c := range []string{"discovery", "jwks", "signature", "iss", "aud", "exp", "iat", "nonce", "at_hash", "userinfo sub"} {
		assert.Contains(t, checks, c)
	}
	assert.Contains(t, strings.Join(rec.warnings, "\n"), "is plain OAuth 2.0: there is no ID token")
}

func TestGitHub(t *testing.T) {
	p, in, rec := platform(t, logintest.KindGitHub, logintest.ModeOK, "read:user", "user:email")
	rep, err := login.Run(context.Background(), in)
	require.NoError(t, err)

	assert.Equal(t, []string{"authorize URL", "browser", "callback", "state", "code exchange", "userinfo", "emails"}, stepNames(rep))
	assert.Equal(t, "client_secret_post", rep.ClientAuth)
	assert.Equal(t, []string{"read:user", "user:email"}, rep.GrantedScopes, "GitHub lists granted scopes comma-separated")
	assert.True(t, rep.GrantedScopesListed)
	assert.Equal(t, "bearer", rep.TokenType)
	assert.False(t, rep.RefreshToken)
	assert.Equal(t, json.Number("58121947"), rep.Userinfo["id"])
	assert.Equal(t, "mona-ops", rep.Userinfo["login"])
	assert.Equal(t, "mona@example.com", rep.Userinfo["email"], "null email filled from /user/emails: primary and verified")
	assert.Contains(t, rep.Notes, "email: taken from GET /user/emails (the primary, verified address); /user has null")
	assert.Equal(t, "login mona-ops, id 58121947", stepDetail(rep, "userinfo"))
	noIDTokenChecks(t, rep, rec)

	// The authorize request: PKCE S256 and state, no nonce (no ID token to carry it).
	auth := one(t, p, "/login/oauth/authorize").Query
	assert.Equal(t, "S256", auth.Get("code_challenge_method"))
	assert.Equal(t, "read:user user:email", auth.Get("scope"))
	assert.NotEmpty(t, auth.Get("state"))
	assert.False(t, auth.Has("nonce"))

	// The token request: form body with the client's credentials, JSON asked for, verifier matching.
	tok := one(t, p, "/login/oauth/access_token")
	assert.Equal(t, "application/json", tok.Header.Get("Accept"))
	assert.Empty(t, tok.Header.Get("Authorization"))
	assert.Equal(t, []string{"client_id", "client_secret", "code", "code_verifier", "grant_type", "redirect_uri"}, keys(tok.Form))
	assert.Equal(t, auth.Get("code_challenge"), s256(tok.Form.Get("code_verifier")))
	assert.Equal(t, auth.Get("redirect_uri"), tok.Form.Get("redirect_uri"))

	user := one(t, p, "/user")
	assert.True(t, strings.HasPrefix(user.Header.Get("Authorization"), "Bearer gho_"), user.Header.Get("Authorization"))
	assert.Equal(t, "2022-11-28", user.Header.Get("X-GitHub-Api-Version"))
	assert.Equal(t, user.Header.Get("Authorization"), one(t, p, "/user/emails").Header.Get("Authorization"))
	noLeaks(t, rep, nil, strings.TrimPrefix(user.Header.Get("Authorization"), "Bearer "))
}

func TestGitHubEmails(t *testing.T) {
	tests := []struct {
		name      string
		mode      string
		email     any
		emailsReq int
		warning   string
		note      string
	}{
		{name: "public email: /user/emails not needed", mode: logintest.GitHubPublicEmail, email: "mona@example.com"},
		{name: "scope user:email not granted", mode: logintest.GitHubNoEmailScope, email: nil,
			warning: "the token lacks scope user:email (granted: read:user), so /user/emails cannot be read and the app gets no email; add user:email to the provider's scopes",
			note:    "email: null in /user and not readable from /user/emails without scope user:email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, in, rec := platform(t, logintest.KindGitHub, tt.mode, "read:user", "user:email")
			rep, err := login.Run(context.Background(), in)
			require.NoError(t, err, "a missing email does not fail the login")
			assert.Equal(t, tt.email, rep.Userinfo["email"])
			assert.Len(t, p.Requests("/user/emails"), tt.emailsReq)
			if tt.warning != "" {
				assert.Contains(t, strings.Join(rec.warnings, "\n"), tt.warning)
			}
			if tt.note != "" {
				assert.Contains(t, rep.Notes, tt.note)
			} else {
				assert.Empty(t, rep.Notes)
			}
		})
	}
}

func TestGitHubEmailsWithoutScopeInRequest(t *testing.T) {
	// Scope user:email not even requested: GitHub grants what was asked, ssoctl names the missing scope.
	_, in, rec := platform(t, logintest.KindGitHub, logintest.ModeOK, "read:user")
	rep, err := login.Run(context.Background(), in)
	require.NoError(t, err)
	assert.Nil(t, rep.Userinfo["email"])
	assert.Contains(t, strings.Join(rec.warnings, "\n"), "add user:email to the provider's scopes")
}

// failure is one way a platform login fails.
type failure struct {
	name    string
	mode    string
	secret  string // "" means the right one
	scopes  []string
	step    string
	check   string
	message []string
	hint    string
}

func runFailures(t *testing.T, kind string, tests []failure) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, in, _ := platform(t, kind, tt.mode, tt.scopes...)
			if tt.secret != "" {
				in.ClientSecret = tt.secret
			}
			start := time.Now()
			rep, err := login.Run(context.Background(), in)
			require.Error(t, err)
			assert.Less(t, time.Since(start), 5*time.Second, "failed at once, not by timeout")
			assert.Equal(t, 1, exitCode(err))
			var le *login.Error
			require.ErrorAs(t, err, &le)
			assert.Equal(t, tt.step, le.Step)
			assert.Equal(t, tt.check, le.Check)
			for _, m := range tt.message {
				assert.Contains(t, err.Error(), m)
			}
			assert.Contains(t, hint(err), tt.hint)
			noLeaks(t, rep, err, tt.secret)
		})
	}
}

func TestGitHubFailures(t *testing.T) {
	runFailures(t, logintest.KindGitHub, []failure{
		{name: "bad_verification_code with HTTP 200", mode: logintest.GitHubBadCode, step: "code exchange", check: "bad_verification_code",
			message: []string{"code exchange failed: the token endpoint answered 200 OK with bad_verification_code (The code passed is incorrect or expired.)", "GitHub reports token errors with HTTP 200"},
			hint:    "GitHub codes work once, for 10 minutes"},
		{name: "wrong client secret", mode: logintest.ModeOK, secret: "wrong-github-secret", step: "code exchange", check: "incorrect_client_credentials",
			message: []string{"incorrect_client_credentials"}, hint: "client_id or client_secret is wrong"},
	})
}

func TestGitHubReveal(t *testing.T) {
	_, in, _ := platform(t, logintest.KindGitHub, logintest.ModeOK, "read:user", "user:email")
	in.Reveal = true
	rep, err := login.Run(context.Background(), in)
	require.NoError(t, err)
	require.NotNil(t, rep.Tokens)
	assert.True(t, strings.HasPrefix(rep.Tokens.AccessToken, "gho_"))
	assert.Empty(t, rep.Tokens.IDToken)
}

func TestDingTalk(t *testing.T) {
	p, in, rec := platform(t, logintest.KindDingTalk, logintest.ModeOK, "openid")
	in.Reveal = true
	rep, err := login.Run(context.Background(), in)
	require.NoError(t, err)

	assert.Equal(t, []string{"authorize URL", "browser", "callback", "state", "code exchange", "userinfo"}, stepNames(rep))
	assert.Equal(t, "json_body", rep.ClientAuth)
	assert.EqualValues(t, 7200, rep.ExpiresIn)
	assert.True(t, rep.RefreshToken)
	assert.Equal(t, []string{"openid"}, rep.GrantedScopes)
	assert.False(t, rep.GrantedScopesListed, "DingTalk's token response lists no scopes")
	assert.Contains(t, stepDetail(rep, "code exchange"), "corpId ding9f8e7d6c5b4a3")
	assert.Equal(t, "p3ZiPexampleUnionId5678iEiE", rep.Userinfo["unionId"])
	assert.Equal(t, "张伟", rep.Userinfo["nick"])
	noIDTokenChecks(t, rep, rec)
	assert.Contains(t, rep.NotApplicable, login.NotApplicable{Checks: []string{"pkce"},
		Reason: "DingTalk documents no PKCE and its JSON token request has no code_verifier; state still binds the callback to this login"})

	auth := one(t, p, "/oauth2/auth").Query
	assert.Equal(t, "consent", auth.Get("prompt"))
	assert.Equal(t, "code", auth.Get("response_type"))
	assert.Equal(t, "openid", auth.Get("scope"))
	assert.Equal(t, logintest.PlatformClientID, auth.Get("client_id"))
	assert.False(t, auth.Has("code_challenge"))

	tok := one(t, p, "/v1.0/oauth2/userAccessToken")
	assert.Equal(t, "application/json; charset=utf-8", tok.Header.Get("Content-Type"))
	assert.Equal(t, map[string]any{"clientId": logintest.PlatformClientID, "clientSecret": logintest.PlatformSecret, "code": tok.JSON["code"], "grantType": "authorization_code"}, tok.JSON)
	assert.NotEmpty(t, tok.JSON["code"], "the authCode of the callback")

	me := one(t, p, "/v1.0/contact/users/me")
	assert.Equal(t, rep.Tokens.AccessToken, me.Header.Get("x-acs-dingtalk-access-token"))
	assert.Empty(t, me.Header.Get("Authorization"), "DingTalk takes the token in its own header")
}

func TestDingTalkFailures(t *testing.T) {
	runFailures(t, logintest.KindDingTalk, []failure{
		{name: "authCode refused", mode: logintest.DingTalkBadCode, step: "code exchange", check: "invalidParameter.authCode.notFound",
			message: []string{`answered 400 Bad Request with code "invalidParameter.authCode.notFound" (不合法的临时授权码)`}, hint: "the authCode is wrong, expired or was used already"},
		{name: "wrong AppSecret", mode: logintest.ModeOK, secret: "wrong-dingtalk-secret", step: "code exchange", check: "invalidClientIdOrSecret",
			hint: "client_secret must be the app's AppSecret"},
		{name: "no contact permission", mode: logintest.DingTalkNoPermission, step: "userinfo", check: "Forbidden.AccessDenied.AccessTokenPermissionDenied",
			message: []string{"userinfo failed: GET http://127.0.0.1:", "answered 403 Forbidden"}, hint: "Contact.User.Read"},
	})
}

func TestLark(t *testing.T) {
	p, in, rec := platform(t, logintest.KindLark, logintest.ModeOK)
	rep, err := login.Run(context.Background(), in)
	require.NoError(t, err)

	assert.Equal(t, []string{"authorize URL", "browser", "callback", "state", "code exchange", "userinfo"}, stepNames(rep))
	assert.Equal(t, "json_body", rep.ClientAuth)
	assert.False(t, rep.RefreshToken, "a refresh token only with offline_access")
	data, _ := rep.Userinfo["data"].(map[string]any)
	assert.Equal(t, "on_7e6d5c4b3a291807f6e5d4c3b2a19080", data["union_id"], "the data wrapper is kept for $.data rules")
	assert.Equal(t, json.Number("0"), rep.Userinfo["code"])
	noIDTokenChecks(t, rep, rec)

	auth := one(t, p, "/open-apis/authen/v1/authorize").Query
	assert.Equal(t, logintest.PlatformClientID, auth.Get("client_id"))
	assert.Equal(t, "S256", auth.Get("code_challenge_method"))
	assert.False(t, auth.Has("scope"), "no scopes configured, none sent")
	assert.Equal(t, []string{}, rep.RequestedScopes)

	tok := one(t, p, "/open-apis/authen/v2/oauth/token")
	assert.Equal(t, "application/json; charset=utf-8", tok.Header.Get("Content-Type"))
	assert.Equal(t, []string{"client_id", "client_secret", "code", "code_verifier", "grant_type", "redirect_uri"}, keys(tok.JSON))
	assert.Equal(t, "authorization_code", tok.JSON["grant_type"])
	assert.Equal(t, auth.Get("code_challenge"), s256(tok.JSON["code_verifier"].(string)))
	assert.Empty(t, tok.Header.Get("Authorization"))

	ui := one(t, p, "/open-apis/authen/v1/user_info")
	assert.True(t, strings.HasPrefix(ui.Header.Get("Authorization"), "Bearer u-"))
	assert.Empty(t, p.Requests("/open-apis/auth/v3/app_access_token/internal"), "v2 needs no app token")
	noLeaks(t, rep, nil, strings.TrimPrefix(ui.Header.Get("Authorization"), "Bearer "))
}

func TestLarkV1(t *testing.T) {
	p, in, rec := platform(t, logintest.KindLark, logintest.LarkV1, "offline_access")
	rep, err := login.Run(context.Background(), in)
	require.NoError(t, err)

	assert.Equal(t, []string{"authorize URL", "browser", "callback", "state", "app token", "code exchange", "userinfo"}, stepNames(rep))
	assert.Equal(t, "app_access_token", rep.ClientAuth)
	assert.True(t, rep.RefreshToken)
	assert.Contains(t, strings.Join(rec.warnings, "\n"), "legacy v1 endpoint")

	auth := one(t, p, "/open-apis/authen/v1/authorize").Query
	assert.Equal(t, logintest.PlatformClientID, auth.Get("app_id"), "the v1 authorize page names the app app_id")
	assert.False(t, auth.Has("code_challenge"), "the v1 token request has no code_verifier")

	app := one(t, p, "/open-apis/auth/v3/app_access_token/internal")
	assert.Equal(t, map[string]any{"app_id": logintest.PlatformClientID, "app_secret": logintest.PlatformSecret}, app.JSON)

	tok := one(t, p, "/open-apis/authen/v1/oidc/access_token")
	assert.True(t, strings.HasPrefix(tok.Header.Get("Authorization"), "Bearer a-"), "the app_access_token authenticates the user token request")
	assert.Equal(t, []string{"code", "grant_type"}, keys(tok.JSON))
	appToken := strings.TrimPrefix(tok.Header.Get("Authorization"), "Bearer ")
	noLeaks(t, rep, nil, appToken)
}

func TestLarkFailures(t *testing.T) {
	runFailures(t, logintest.KindLark, []failure{
		{name: "v2 invalid_grant", mode: logintest.LarkBadCode, step: "code exchange", check: "invalid_grant",
			message: []string{"code exchange failed: the token endpoint answered 400 Bad Request with invalid_grant (the code is expired) (Lark code 20003)"}, hint: "the provider rejected the code"},
		{name: "v2 wrong secret", mode: logintest.ModeOK, secret: "wrong-lark-secret", step: "code exchange", check: "invalid_client", hint: "client secret is wrong"},
		{name: "userinfo code != 0 with HTTP 200", mode: logintest.LarkUserinfoCode, step: "userinfo", check: "99991672",
			message: []string{"answered 200 OK with Lark code 99991672", "a code other than 0 is a failure even with HTTP 200"}, hint: "the app lacks a permission"},
		{name: "v1 app secret refused", mode: logintest.LarkV1BadSecret, step: "app token", check: "10014",
			message: []string{"app token check failed", "Lark code 10014 (app secret invalid)"}, hint: "client_secret its App Secret"},
	})
}

func TestOAuth2(t *testing.T) {
	tests := []struct {
		name   string
		mode   string
		ways   []string // how each token request authenticated
		auth   string
		detail string
	}{
		{name: "server wants HTTP Basic", mode: logintest.ModeOK, ways: []string{"basic"}, auth: "client_secret_basic", detail: "detected: HTTP Basic worked"},
		{name: "server wants the form body", mode: logintest.OAuth2PostOnly, ways: []string{"basic", "post"}, auth: "client_secret_post", detail: "detected: HTTP Basic was refused, the form body worked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, in, rec := platform(t, logintest.KindOAuth2, tt.mode, "profile")
			rep, err := login.Run(context.Background(), in)
			require.NoError(t, err)
			assert.Equal(t, []string{"authorize URL", "browser", "callback", "state", "code exchange", "userinfo"}, stepNames(rep))
			assert.Equal(t, tt.auth, rep.ClientAuth)
			assert.Contains(t, stepDetail(rep, "code exchange"), tt.detail)
			assert.Equal(t, "dana", rep.Userinfo["username"])
			noIDTokenChecks(t, rep, rec)

			auth := one(t, p, "/oauth/authorize").Query
			assert.Equal(t, "S256", auth.Get("code_challenge_method"))
			var ways []string
			for _, r := range p.Requests("/oauth/token") {
				if _, _, ok := (&http.Request{Header: r.Header}).BasicAuth(); ok {
					ways = append(ways, "basic")
					assert.False(t, r.Form.Has("client_secret"), "never both")
				} else {
					ways = append(ways, "post")
					assert.Equal(t, logintest.PlatformSecret, r.Form.Get("client_secret"))
				}
				assert.Equal(t, auth.Get("code_challenge"), s256(r.Form.Get("code_verifier")))
			}
			assert.Equal(t, tt.ways, ways)
		})
	}
}

func TestOAuth2Failures(t *testing.T) {
	runFailures(t, logintest.KindOAuth2, []failure{
		{name: "wrong secret, both ways tried", mode: logintest.ModeOK, secret: "wrong-oauth2-secret", step: "code exchange", check: "invalid_client",
			message: []string{"answered 401 Unauthorized with invalid_client", "(HTTP Basic was tried first and refused too: 401 Unauthorized with invalid_client (bad client credentials))"}, hint: "both with HTTP Basic and with client_id and client_secret in the form body"},
		{name: "userinfo is an HTML page", mode: logintest.OAuth2UserinfoHTML, step: "userinfo",
			message: []string{"userinfo check failed: GET http://127.0.0.1:", "did not answer a JSON object"}, hint: "userinfo_url must point at the server's user API"},
	})
}

func TestOAuth2PublicClient(t *testing.T) {
	// Without a secret the client authenticates with PKCE only; this server insists on HTTP Basic.
	_, in, _ := platform(t, logintest.KindOAuth2, logintest.ModeOK)
	in.ClientSecret = ""
	_, err := login.Run(context.Background(), in)
	var le *login.Error
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "invalid_client", le.Check)
	assert.Contains(t, le.Hint(), "set client_secret")
}

func TestMicrosoftTenantTemplate(t *testing.T) {
	tests := []struct {
		name    string
		mode    string
		check   string
		message string
	}{
		{name: "common", mode: logintest.ModeOK},
		{name: "organizations", mode: logintest.MicrosoftOrganizations},
		{name: "iss names another tenant than tid", mode: logintest.MicrosoftTenantMismatch, check: "iss",
			message: `id token issuer check failed: expected "http://127.0.0.1:`},
		{name: "no tid", mode: logintest.MicrosoftNoTid, check: "iss",
			message: "id token issuer check failed: the provider's issuer is a tenant template, and the token has no tid claim to fill it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, in, _ := platform(t, logintest.KindMicrosoft, tt.mode, "openid", "profile", "email")
			rep, err := login.Run(context.Background(), in)
			if tt.check != "" {
				var le *login.Error
				require.ErrorAs(t, err, &le)
				assert.Equal(t, tt.check, le.Check)
				assert.Contains(t, err.Error(), tt.message)
				if tt.mode == logintest.MicrosoftTenantMismatch {
					assert.Equal(t, p.URL+"/"+logintest.MicrosoftTenant+"/v2.0", le.Expected, "the template filled with the token's tid")
				}
				noLeaks(t, rep, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, p.Issuer(), rep.Issuer)
			assert.Contains(t, stepDetail(rep, "discovery"), "issuer "+p.URL+"/{tenantid}/v2.0 (tenant template: iss is checked against the token's tid)")
			assert.Equal(t, "client_secret_post", rep.ClientAuth, "Entra lists client_secret_post, not Basic")
			require.NotNil(t, rep.IDToken)
			assert.Equal(t, p.URL+"/"+logintest.MicrosoftTenant+"/v2.0", rep.IDToken.Claims["iss"])
			assert.Equal(t, logintest.MicrosoftTenant, rep.IDToken.Claims["tid"])
			assert.True(t, slices.Contains(rep.IDToken.Checks, "iss"))
			assert.Equal(t, rep.IDToken.Claims["sub"], rep.Userinfo["sub"])
			assert.Empty(t, rep.NotApplicable, "an OpenID Connect login skips no check")
			tok := one(t, p, strings.TrimPrefix(p.TokenURL(), p.URL))
			assert.Equal(t, logintest.PlatformSecret, tok.Form.Get("client_secret"))
		})
	}
}

func TestPlatformBodiesAreBounded(t *testing.T) {
	// The token answers fit in the bound, the user documents do not: the read stops at the bound.
	for kind, bound := range map[string]int64{logintest.KindGitHub: 200, logintest.KindDingTalk: 200, logintest.KindLark: 200, logintest.KindOAuth2: 100} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			_, in, _ := platform(t, kind, logintest.ModeOK)
			in.MaxBodyBytes = bound
			_, err := login.Run(context.Background(), in)
			var le *login.Error
			require.ErrorAs(t, err, &le)
			assert.Equal(t, "userinfo", le.Step)
			assert.Regexp(t, `^userinfo check failed: the response from http://127\.0\.0\.1:\d+/\S+ is larger than \d+ bytes; ssoctl stopped reading there$`, err.Error())
			assert.NotEmpty(t, le.Hint())
		})
	}
}

func TestPlatformStateMismatchIsNotRedeemed(t *testing.T) {
	for _, kind := range []string{logintest.KindGitHub, logintest.KindDingTalk, logintest.KindLark, logintest.KindOAuth2} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			p, in, _ := platform(t, kind, logintest.ModeOK)
			ctx, giveUp := context.WithCancel(context.Background())
			in.Browser = walkThenGiveUp(ctx, giveUp, logintest.FollowOptions{Modify: logintest.ParamModifier("state", "forged")})
			rep, err := login.Run(ctx, in)
			require.ErrorIs(t, err, context.Canceled, "a callback with a forged state is ignored; the login waits on")
			assert.Contains(t, strings.Join(rep.Notes, "\n"), "ignored 1 request to the callback with a wrong state")
			assert.Empty(t, p.Requests(strings.TrimPrefix(p.TokenURL(), p.URL)), "the code went to the token endpoint")
		})
	}
}

func TestPlatformErrorCallback(t *testing.T) {
	// An error redirect (here: the platform wants PKCE S256) is reported with its description.
	_, in, _ := platform(t, logintest.KindGitHub, logintest.ModeOK)
	in.Browser = logintest.NewBrowser(logintest.FollowOptions{Modify: logintest.ParamModifier("code_challenge_method", "plain")})
	_, err := login.Run(context.Background(), in)
	var le *login.Error
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "error response", le.Check)
	assert.Equal(t, "invalid_request", le.Actual)
	assert.Contains(t, err.Error(), "PKCE S256 is required")
}

func TestPlatformPrompt(t *testing.T) {
	tests := []struct {
		kind, prompt, sent, warning string
	}{
		{kind: logintest.KindGitHub, prompt: "select_account", sent: "select_account"},
		{kind: logintest.KindGitHub, prompt: "login", warning: "GitHub's authorize page knows only prompt=select_account"},
		{kind: logintest.KindDingTalk, prompt: "login", sent: "consent", warning: "DingTalk's authorize page takes only prompt=consent"},
		{kind: logintest.KindOAuth2, prompt: "login", sent: "login"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+" "+tt.prompt, func(t *testing.T) {
			t.Parallel()
			p, in, rec := platform(t, tt.kind, logintest.ModeOK)
			in.Prompt = tt.prompt
			_, err := login.Run(context.Background(), in)
			require.NoError(t, err)
			auth := one(t, p, strings.TrimPrefix(p.AuthorizeURL(), p.URL)).Query
			assert.Equal(t, tt.sent, auth.Get("prompt"))
			if tt.warning != "" {
				assert.Contains(t, strings.Join(rec.warnings, "\n"), tt.warning)
			}
		})
	}
}
