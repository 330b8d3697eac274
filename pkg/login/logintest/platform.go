package logintest

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// The platforms a Platform imitates: each speaks its documented request and response shapes
// (reference/providers.md, alist.md) and checks the requests it gets the way the real one would,
// answering with that platform's own error shapes.
const (
	KindGitHub    = "github"
	KindDingTalk  = "dingtalk"
	KindLark      = "lark"
	KindOAuth2    = "oauth2"
	KindMicrosoft = "microsoft"
)

// Platform modes. ModeOK (shared with Hostile) behaves; the others misbehave or differ in one way.
const (
	// GitHubNoEmailScope grants read:user only: /user has "email": null and /user/emails answers 404.
	GitHubNoEmailScope = "no-email-scope"
	// GitHubPublicEmail has the address in /user, so /user/emails is not needed.
	GitHubPublicEmail = "public-email"
	// GitHubBadCode answers the token request with HTTP 200 {"error":"bad_verification_code"}.
	GitHubBadCode = "bad-code"

	// DingTalkBadCode answers the token request with HTTP 400 {code, message} about the authCode.
	DingTalkBadCode = "bad-code"
	// DingTalkNoPermission answers userinfo with 403 Forbidden.AccessDenied.AccessTokenPermissionDenied.
	DingTalkNoPermission = "no-permission"

	// LarkV1 hands out the legacy v1 endpoints: app_access_token, then the user token.
	LarkV1 = "v1"
	// LarkBadCode answers the v2 token request with HTTP 400 {"code":20003,"error":"invalid_grant"}.
	LarkBadCode = "bad-code"
	// LarkUserinfoCode answers userinfo with HTTP 200 and a code other than 0.
	LarkUserinfoCode = "userinfo-code"
	// LarkV1BadSecret runs the v1 flow and refuses the app secret with HTTP 200 and code 10014.
	LarkV1BadSecret = "v1-bad-secret"

	// OAuth2PostOnly refuses HTTP Basic at the token endpoint and wants the credentials in the body.
	OAuth2PostOnly = "post-only"
	// OAuth2UserinfoHTML answers userinfo with an HTML page.
	OAuth2UserinfoHTML = "userinfo-html"

	// MicrosoftOrganizations is the organizations authority (also an issuer template).
	MicrosoftOrganizations = "organizations"
	// MicrosoftTenantMismatch signs an ID token whose iss names another tenant than its tid.
	MicrosoftTenantMismatch = "tenant-mismatch"
	// MicrosoftNoTid signs an ID token without tid.
	MicrosoftNoTid = "no-tid"
)

// PlatformModes lists the modes of each kind.
var PlatformModes = map[string][]string{
	KindGitHub:    {ModeOK, GitHubNoEmailScope, GitHubPublicEmail, GitHubBadCode},
	KindDingTalk:  {ModeOK, DingTalkBadCode, DingTalkNoPermission},
	KindLark:      {ModeOK, LarkV1, LarkBadCode, LarkUserinfoCode, LarkV1BadSecret},
	KindOAuth2:    {ModeOK, OAuth2PostOnly, OAuth2UserinfoHTML},
	KindMicrosoft: {ModeOK, MicrosoftOrganizations, MicrosoftTenantMismatch, MicrosoftNoTid},
}

// Platform client credentials, and the Entra tenant of its user.
const (
	PlatformClientID = "platform-client"
	PlatformSecret   = "platform-secret-do-not-print"
	MicrosoftTenant  = "4d3c2b1a-0f9e-4d8c-9b7a-6e5f4d3c2b1a"
)

//go:embed testdata/userinfo/*.json
var samples embed.FS

func sample(name string) []byte {
	b, err := samples.ReadFile("testdata/userinfo/" + name)
	if err != nil {
		panic(err)
	}
	return b
}

// Request is one request a Platform received, kept for assertions.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Query  url.Values
	// Form is a form-encoded body; JSON a JSON object body.
	Form url.Values
	JSON map[string]any
}

// Platform is a fake SSO platform of one kind on httptest.
type Platform struct {
	*httptest.Server
	Kind, Mode string

	mu        sync.Mutex
	codes     map[string]platformGrant
	tokens    map[string]platformGrant
	appTokens map[string]bool
	requests  []Request
}

type platformGrant struct {
	challenge, redirect, nonce, scope string
}

// NewPlatform starts a fake platform of the kind in the mode; Close it when done.
func NewPlatform(kind, mode string) (*Platform, error) {
	if !slices.Contains(PlatformModes[kind], mode) {
		return nil, fmt.Errorf("no platform %q with mode %q (kinds and modes: %v)", kind, mode, PlatformModes)
	}
	p := &Platform{Kind: kind, Mode: mode, codes: map[string]platformGrant{}, tokens: map[string]platformGrant{}, appTokens: map[string]bool{}}
	mux := http.NewServeMux()
	switch kind {
	case KindGitHub:
		mux.HandleFunc("GET /login/oauth/authorize", p.authorize)
		mux.HandleFunc("POST /login/oauth/access_token", p.githubToken)
		mux.HandleFunc("GET /user", p.githubUser)
		mux.HandleFunc("GET /user/emails", p.githubEmails)
	case KindDingTalk:
		mux.HandleFunc("GET /oauth2/auth", p.authorize)
		mux.HandleFunc("POST /v1.0/oauth2/userAccessToken", p.dingtalkToken)
		mux.HandleFunc("GET /v1.0/contact/users/me", p.dingtalkMe)
	case KindLark:
		mux.HandleFunc("GET /open-apis/authen/v1/authorize", p.authorize)
		mux.HandleFunc("POST /open-apis/authen/v2/oauth/token", p.larkTokenV2)
		mux.HandleFunc("POST /open-apis/auth/v3/app_access_token/internal", p.larkAppToken)
		mux.HandleFunc("POST /open-apis/authen/v1/oidc/access_token", p.larkTokenV1)
		mux.HandleFunc("GET /open-apis/authen/v1/user_info", p.larkUserinfo)
	case KindOAuth2:
		mux.HandleFunc("GET /oauth/authorize", p.authorize)
		mux.HandleFunc("POST /oauth/token", p.oauth2Token)
		mux.HandleFunc("GET /api/me", p.oauth2Me)
	case KindMicrosoft:
		mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", p.msDiscovery)
		mux.HandleFunc("GET /{tenant}/discovery/v2.0/keys", p.msKeys)
		mux.HandleFunc("GET /{tenant}/oauth2/v2.0/authorize", p.authorize)
		mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", p.msToken)
		mux.HandleFunc("GET /oidc/userinfo", p.msUserinfo)
	}
	// Assign before starting: handlers read p.URL (race detector; see NewHostile).
	p.Server = httptest.NewUnstartedServer(p.record(mux))
	p.Start()
	return p, nil
}

// AuthorizeURL, TokenURL and UserinfoURL are the platform's endpoints, for the config's
// authorize_url, token_url and userinfo_url.
func (p *Platform) AuthorizeURL() string {
	switch p.Kind {
	case KindGitHub:
		return p.URL + "/login/oauth/authorize"
	case KindDingTalk:
		return p.URL + "/oauth2/auth"
	case KindLark:
		return p.URL + "/open-apis/authen/v1/authorize"
	case KindOAuth2:
		return p.URL + "/oauth/authorize"
	}
	return p.URL + "/" + p.tenant() + "/oauth2/v2.0/authorize"
}

// TokenURL is the token endpoint (Lark: v1 in the v1 modes, else v2).
func (p *Platform) TokenURL() string {
	switch p.Kind {
	case KindGitHub:
		return p.URL + "/login/oauth/access_token"
	case KindDingTalk:
		return p.URL + "/v1.0/oauth2/userAccessToken"
	case KindLark:
		if p.larkV1() {
			return p.URL + "/open-apis/authen/v1/oidc/access_token"
		}
		return p.URL + "/open-apis/authen/v2/oauth/token"
	case KindOAuth2:
		return p.URL + "/oauth/token"
	}
	return p.URL + "/" + p.tenant() + "/oauth2/v2.0/token"
}

// UserinfoURL is the user API.
func (p *Platform) UserinfoURL() string {
	switch p.Kind {
	case KindGitHub:
		return p.URL + "/user"
	case KindDingTalk:
		return p.URL + "/v1.0/contact/users/me"
	case KindLark:
		return p.URL + "/open-apis/authen/v1/user_info"
	case KindOAuth2:
		return p.URL + "/api/me"
	}
	return p.URL + "/oidc/userinfo"
}

// Issuer is the configured issuer of a Microsoft platform (https://login.microsoftonline.com/common/v2.0
// in real life); "" for the other kinds.
func (p *Platform) Issuer() string {
	if p.Kind != KindMicrosoft {
		return ""
	}
	return p.URL + "/" + p.tenant() + "/v2.0"
}

func (p *Platform) tenant() string {
	if p.Mode == MicrosoftOrganizations {
		return "organizations"
	}
	return "common"
}

func (p *Platform) larkV1() bool { return p.Mode == LarkV1 || p.Mode == LarkV1BadSecret }

// Requests returns the requests received on a path, in order.
func (p *Platform) Requests(path string) []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Request
	for _, r := range p.requests {
		if r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// record keeps every request (headers, query, parsed body) and hands the body on unchanged.
func (p *Platform) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Query: r.URL.Query()}
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		switch mt {
		case "application/x-www-form-urlencoded":
			rec.Form, _ = url.ParseQuery(string(body))
		case "application/json":
			_ = json.Unmarshal(body, &rec.JSON)
		}
		p.mu.Lock()
		p.requests = append(p.requests, rec)
		p.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// authorize logs the user in without a page: it checks the request as the platform would and
// redirects back with a code (DingTalk: authCode) or an error.
func (p *Platform) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	clientParam := "client_id"
	if p.Kind == KindLark && p.larkV1() {
		clientParam = "app_id"
	}
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || !loopbackHost(redirect) || q.Get(clientParam) != PlatformClientID {
		// An unknown client or redirect gets an error page and no redirect, as on the real platforms.
		http.Error(w, "unknown "+clientParam+" or redirect_uri", http.StatusBadRequest)
		return
	}
	back := url.Values{"state": {q.Get("state")}}
	fail := func(code, desc string) {
		back.Set("error", code)
		back.Set("error_description", desc)
		redirect.RawQuery = back.Encode()
		http.Redirect(w, r, redirect.String(), http.StatusFound)
	}
	pkce := p.Kind != KindDingTalk && !p.larkV1()
	// GitHub takes PKCE since 2025-07 but does not require it (AList sends none); the others here do.
	pkceOptional := p.Kind == KindGitHub && !q.Has("code_challenge") && !q.Has("code_challenge_method")
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "response_type must be code")
		return
	case pkce && !pkceOptional && (q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43):
		fail("invalid_request", "PKCE S256 is required")
		return
	case !pkce && q.Has("code_challenge"):
		fail("invalid_request", "this platform takes no code_challenge")
		return
	case p.Kind == KindDingTalk && q.Get("prompt") != "consent":
		fail("invalid_request", "prompt must be consent")
		return
	case p.Kind == KindMicrosoft && (q.Get("nonce") == "" || !slices.Contains(strings.Fields(q.Get("scope")), "openid")):
		fail("invalid_request", "an OpenID Connect request needs scope openid and a nonce")
		return
	}
	code := randomCode()
	p.mu.Lock()
	p.codes[code] = platformGrant{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri"), nonce: q.Get("nonce"), scope: q.Get("scope")}
	p.mu.Unlock()
	if p.Kind == KindDingTalk {
		back.Set("authCode", code)
	} else {
		back.Set("code", code)
	}
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func loopbackHost(u *url.URL) bool {
	ip := net.ParseIP(u.Hostname())
	return u.Scheme == "http" && (u.Hostname() == "localhost" || ip != nil && ip.IsLoopback())
}

// redeem takes a code once; checkPKCE false skips the PKCE check (platforms without PKCE), and so
// does a code requested without a challenge (GitHub's optional PKCE) redeemed without a verifier.
func (p *Platform) redeem(code, redirect, verifier string, checkPKCE bool) (platformGrant, string) {
	p.mu.Lock()
	g, ok := p.codes[code]
	delete(p.codes, code)
	p.mu.Unlock()
	switch {
	case !ok:
		return g, "the code is unknown, expired or used"
	case redirect != "" && redirect != g.redirect:
		return g, "redirect_uri differs from the authorize request's"
	case checkPKCE && (g.challenge != "" || verifier != "") && pkceS256(verifier) != g.challenge:
		return g, "code_verifier does not match the code_challenge"
	}
	return g, ""
}

func pkceS256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func (p *Platform) issue(g platformGrant) string {
	tok := randomCode()
	p.mu.Lock()
	p.tokens[tok] = g
	p.mu.Unlock()
	return tok
}

func (p *Platform) tokenGrant(tok string) (platformGrant, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	g, ok := p.tokens[tok]
	return g, ok
}

func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	for _, prefix := range []string{"Bearer ", "bearer ", "token "} {
		if strings.HasPrefix(h, prefix) {
			return strings.TrimPrefix(h, prefix)
		}
	}
	return ""
}

func jsonBody(r *http.Request) (map[string]any, bool) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var m map[string]any
	if mt != "application/json" || json.NewDecoder(r.Body).Decode(&m) != nil {
		return nil, false
	}
	return m, true
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

// GitHub: form request; the answer is form-encoded unless the request accepts JSON, and errors come
// with HTTP 200.
func (p *Platform) githubToken(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := r.PostForm
	answer := func(v map[string]string) {
		if r.Header.Get("Accept") == "application/json" {
			writeJSON(w, http.StatusOK, v)
			return
		}
		q := url.Values{}
		for k, s := range v {
			q.Set(k, s)
		}
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		_, _ = io.WriteString(w, q.Encode())
	}
	if f.Get("client_id") != PlatformClientID || f.Get("client_secret") != PlatformSecret {
		answer(map[string]string{"error": "incorrect_client_credentials", "error_description": "The client_id and/or client_secret passed are incorrect.",
			"error_uri": "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#incorrect-client-credentials"})
		return
	}
	g, problem := p.redeem(f.Get("code"), f.Get("redirect_uri"), f.Get("code_verifier"), true)
	if problem != "" || p.Mode == GitHubBadCode {
		answer(map[string]string{"error": "bad_verification_code", "error_description": "The code passed is incorrect or expired.",
			"error_uri": "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code"})
		return
	}
	scopes := strings.Fields(g.scope)
	if p.Mode == GitHubNoEmailScope {
		scopes = slices.DeleteFunc(scopes, func(s string) bool { return s == "user:email" })
	}
	g.scope = strings.Join(scopes, ",")
	answer(map[string]string{"access_token": "gho_" + p.issue(g), "token_type": "bearer", "scope": g.scope})
}

func (p *Platform) githubAuth(w http.ResponseWriter, r *http.Request) (platformGrant, bool) {
	g, ok := p.tokenGrant(strings.TrimPrefix(bearerToken(r), "gho_"))
	if !ok {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"})
	}
	return g, ok
}

func (p *Platform) githubUser(w http.ResponseWriter, r *http.Request) {
	if _, ok := p.githubAuth(w, r); !ok {
		return
	}
	body := sample("github.json")
	if p.Mode == GitHubPublicEmail {
		body = bytes.Replace(body, []byte(`"email": null`), []byte(`"email": "mona@example.com"`), 1)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(body)
}

func (p *Platform) githubEmails(w http.ResponseWriter, r *http.Request) {
	g, ok := p.githubAuth(w, r)
	if !ok {
		return
	}
	if !slices.Contains(strings.Split(g.scope, ","), "user:email") {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found", "documentation_url": "https://docs.github.com/rest/users/emails", "status": "404"})
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(sample("github-emails.json"))
}

// DingTalk: JSON request in camelCase, errors {code, message, requestid}. The code strings below are
// the fake's own; the shapes follow DingTalk's documentation.
func (p *Platform) dingtalkToken(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, code, msg string) {
		writeJSON(w, status, map[string]string{"code": code, "message": msg, "requestid": "9F4E1C2A-0000-0000-0000-000000000000"})
	}
	m, ok := jsonBody(r)
	if !ok {
		fail(http.StatusBadRequest, "InvalidParameter.ContentType", "the request body must be JSON")
		return
	}
	if keys := sortedKeys(m); !slices.Equal(keys, []string{"clientId", "clientSecret", "code", "grantType"}) || str(m, "grantType") != "authorization_code" {
		fail(http.StatusBadRequest, "MissingParameter", fmt.Sprintf("expected clientId, clientSecret, code and grantType=authorization_code, got %v", keys))
		return
	}
	if str(m, "clientId") != PlatformClientID || str(m, "clientSecret") != PlatformSecret {
		fail(http.StatusBadRequest, "invalidClientIdOrSecret", "clientId或clientSecret不正确")
		return
	}
	g, problem := p.redeem(str(m, "code"), "", "", false)
	if problem != "" || p.Mode == DingTalkBadCode {
		fail(http.StatusBadRequest, "invalidParameter.authCode.notFound", "不合法的临时授权码")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"accessToken": p.issue(g), "refreshToken": randomCode(), "expireIn": 7200, "corpId": "ding9f8e7d6c5b4a3"})
}

func (p *Platform) dingtalkMe(w http.ResponseWriter, r *http.Request) {
	if _, ok := p.tokenGrant(r.Header.Get("x-acs-dingtalk-access-token")); !ok {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"code": "InvalidAuthentication", "message": "不合法的access_token", "requestid": "0"})
		return
	}
	if p.Mode == DingTalkNoPermission {
		writeJSON(w, http.StatusForbidden, map[string]any{"code": "Forbidden.AccessDenied.AccessTokenPermissionDenied",
			"message": "没有调用该接口的权限，接口权限申请参考：https://open.dingtalk.com/document/orgapp/add-api-permission", "requestid": "0",
			"accessdenieddetail": map[string]any{"requiredScopes": []string{"Contact.User.Read"}}})
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	_, _ = w.Write(sample("dingtalk.json"))
}

// Lark v2: an RFC 6749 token endpoint with a JSON body; answers carry Lark's code too.
func (p *Platform) larkTokenV2(w http.ResponseWriter, r *http.Request) {
	fail := func(status, code int, errCode, desc string) {
		writeJSON(w, status, map[string]any{"code": code, "error": errCode, "error_description": desc})
	}
	m, ok := jsonBody(r)
	if !ok {
		fail(http.StatusBadRequest, 20001, "invalid_request", "the request body must be JSON (application/json; charset=utf-8)")
		return
	}
	if str(m, "grant_type") != "authorization_code" {
		fail(http.StatusBadRequest, 20001, "unsupported_grant_type", "grant_type must be authorization_code")
		return
	}
	if str(m, "client_id") != PlatformClientID || str(m, "client_secret") != PlatformSecret {
		fail(http.StatusUnauthorized, 20002, "invalid_client", "client_id or client_secret is invalid")
		return
	}
	g, problem := p.redeem(str(m, "code"), str(m, "redirect_uri"), str(m, "code_verifier"), true)
	if problem != "" || p.Mode == LarkBadCode {
		if problem == "" {
			problem = "the code is expired"
		}
		fail(http.StatusBadRequest, 20003, "invalid_grant", problem)
		return
	}
	resp := map[string]any{"code": 0, "access_token": "u-" + p.issue(g), "expires_in": 7200, "token_type": "Bearer", "scope": g.scope}
	if slices.Contains(strings.Fields(g.scope), "offline_access") {
		resp["refresh_token"] = "ur-" + randomCode()
		resp["refresh_token_expires_in"] = 604800
	}
	writeJSON(w, http.StatusOK, resp)
}

func (p *Platform) larkAppToken(w http.ResponseWriter, r *http.Request) {
	m, ok := jsonBody(r)
	if !ok || str(m, "app_id") != PlatformClientID || str(m, "app_secret") != PlatformSecret || p.Mode == LarkV1BadSecret {
		writeJSON(w, http.StatusOK, map[string]any{"code": 10014, "msg": "app secret invalid"})
		return
	}
	tok := "a-" + randomCode()
	p.mu.Lock()
	p.appTokens[tok] = true
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"code": 0, "msg": "ok", "app_access_token": tok, "expire": 7200})
}

func (p *Platform) larkTokenV1(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	known := p.appTokens[bearerToken(r)]
	p.mu.Unlock()
	if !known {
		writeJSON(w, http.StatusBadRequest, map[string]any{"code": 99991664, "msg": "invalid app access token"})
		return
	}
	m, ok := jsonBody(r)
	if !ok || str(m, "grant_type") != "authorization_code" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"code": 20001, "msg": "invalid request: grant_type must be authorization_code"})
		return
	}
	g, problem := p.redeem(str(m, "code"), "", "", false)
	if problem != "" {
		writeJSON(w, http.StatusOK, map[string]any{"code": 20003, "msg": problem})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": 0, "msg": "success", "data": map[string]any{
		"access_token": "u-" + p.issue(g), "refresh_token": "ur-" + randomCode(), "token_type": "Bearer",
		"expires_in": 6900, "refresh_expires_in": 2592000, "scope": g.scope,
	}})
}

func (p *Platform) larkUserinfo(w http.ResponseWriter, r *http.Request) {
	if _, ok := p.tokenGrant(strings.TrimPrefix(bearerToken(r), "u-")); !ok {
		writeJSON(w, http.StatusBadRequest, map[string]any{"code": 99991663, "msg": "Invalid access token for authorization. Please make a request with token attached."})
		return
	}
	if p.Mode == LarkUserinfoCode {
		writeJSON(w, http.StatusOK, map[string]any{"code": 99991672, "msg": "Access denied. One of the following scopes is required: [contact:user.base:readonly]", "data": map[string]any{}})
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(sample("lark.json"))
}

// A generic OAuth 2.0 server: HTTP Basic at the token endpoint (post-only: the form body).
func (p *Platform) oauth2Token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, secret, basic := r.BasicAuth()
	if p.Mode == OAuth2PostOnly {
		if basic {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "HTTP Basic is not supported; send client_id and client_secret in the body"})
			return
		}
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	} else if !basic {
		w.Header().Set("WWW-Authenticate", `Basic realm="oauth"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "client authentication with HTTP Basic is required"})
		return
	}
	if id != PlatformClientID || secret != PlatformSecret {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "bad client credentials"})
		return
	}
	g, problem := p.redeem(r.PostForm.Get("code"), r.PostForm.Get("redirect_uri"), r.PostForm.Get("code_verifier"), true)
	if problem != "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": problem})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": p.issue(g), "token_type": "Bearer", "expires_in": 3600, "scope": g.scope})
}

func (p *Platform) oauth2Me(w http.ResponseWriter, r *http.Request) {
	if _, ok := p.tokenGrant(bearerToken(r)); !ok {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if p.Mode == OAuth2UserinfoHTML {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<!DOCTYPE html><html><body>Please log in</body></html>")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": 4242, "username": "dana", "email": "dana@example.com", "display_name": "Dana Scully", "groups": []string{"staff"}})
}

// Microsoft Entra ID, multi-tenant: discovery names the issuer template, tokens the user's tenant.
func (p *Platform) msDiscovery(w http.ResponseWriter, r *http.Request) {
	tenant := r.PathValue("tenant")
	iss := p.URL + "/" + tenant + "/v2.0"
	if tenant == "common" || tenant == "organizations" {
		iss = p.URL + "/{tenantid}/v2.0"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                iss,
		"authorization_endpoint":                p.URL + "/" + tenant + "/oauth2/v2.0/authorize",
		"token_endpoint":                        p.URL + "/" + tenant + "/oauth2/v2.0/token",
		"jwks_uri":                              p.URL + "/" + tenant + "/discovery/v2.0/keys",
		"userinfo_endpoint":                     p.URL + "/oidc/userinfo",
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"claims_supported":                      []string{"sub", "iss", "aud", "exp", "iat", "nonce", "tid", "oid", "name", "email"},
	})
}

func (p *Platform) msKeys(w http.ResponseWriter, _ *http.Request) {
	key, _ := hostileKeys()
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "entra-key-1", Algorithm: "RS256", Use: "sig"}}})
}

func (p *Platform) msToken(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	if _, _, basic := r.BasicAuth(); basic || r.PostForm.Get("client_id") != PlatformClientID || r.PostForm.Get("client_secret") != PlatformSecret {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided.", "error_codes": []int{7000215}})
		return
	}
	g, problem := p.redeem(r.PostForm.Get("code"), r.PostForm.Get("redirect_uri"), r.PostForm.Get("code_verifier"), true)
	if problem != "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_grant", "error_description": "AADSTS70008: " + problem, "error_codes": []int{70008}})
		return
	}
	access := p.issue(g)
	now := time.Now()
	claims := map[string]any{
		"iss": p.URL + "/" + MicrosoftTenant + "/v2.0", "aud": PlatformClientID, "sub": "Kq3vBxZpT1e8YbXw0kR2mN5sL7uC9dF4gH6jA0zQwEr",
		"tid": MicrosoftTenant, "oid": "00000000-0000-0000-66f3-3332eca7ea81", "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"nonce": g.nonce, "name": "Ana Pereira", "preferred_username": "ana.pereira@contoso.example", "ver": "2.0",
	}
	switch p.Mode {
	case MicrosoftTenantMismatch:
		claims["iss"] = p.URL + "/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/v2.0"
	case MicrosoftNoTid:
		delete(claims, "tid")
	}
	payload, _ := json.Marshal(claims)
	key, _ := hostileKeys()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 3599, "scope": "openid profile email",
		"id_token": sign(key, "entra-key-1", payload)})
}

func (p *Platform) msUserinfo(w http.ResponseWriter, r *http.Request) {
	if _, ok := p.tokenGrant(bearerToken(r)); !ok {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(sample("microsoft.json"))
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
