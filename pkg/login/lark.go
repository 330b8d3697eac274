package login

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"github.com/ssoctl/ssoctl/pkg/loopback"
)

// larkFlow is a Lark/Feishu login. The current (v2) token endpoint follows RFC 6749 with a JSON
// body (grant_type, client_id, client_secret, code, redirect_uri, code_verifier; Content-Type
// application/json per open.feishu.cn "get-user-access-token"). When token_url names the legacy v1
// endpoint (/open-apis/authen/v1/oidc/access_token or /authen/v1/access_token) the v1 flow runs
// instead: an app_access_token from app_id and app_secret first, then the user token with that
// app token as bearer, answered inside a {code, msg, data} wrapper. Userinfo is wrapped the same
// way, and a code other than 0 is a failure even with HTTP 200.
type larkFlow struct {
	ep Endpoints
	v1 bool
}

var _ flow = (*larkFlow)(nil)

func newLarkFlow(ep Endpoints) *larkFlow {
	return &larkFlow{ep: ep, v1: isLarkV1(ep.TokenURL)}
}

// isLarkV1 reports whether a token URL is one of the legacy v1 user token endpoints.
func isLarkV1(tokenURL string) bool {
	u, err := url.Parse(tokenURL)
	if err != nil {
		return false
	}
	p := strings.TrimSuffix(u.Path, "/")
	return strings.HasSuffix(p, "/authen/v1/oidc/access_token") || strings.HasSuffix(p, "/authen/v1/access_token")
}

// larkAppTokenPath is the v1 flow's app_access_token endpoint (for custom apps), on token_url's host.
const larkAppTokenPath = "/open-apis/auth/v3/app_access_token/internal"

func (f *larkFlow) prepare(_ context.Context, r *run) error {
	r.rep.RequestedScopes = slices.Clone(f.ep.Scopes)
	r.rep.ClientAuth = "json_body"
	r.noIDToken("Lark/Feishu")
	if f.v1 {
		r.rep.ClientAuth = "app_access_token"
		r.warn("token_url is Lark/Feishu's legacy v1 endpoint, so ssoctl runs the v1 flow (app_access_token, then the user token); the current endpoint is https://open.feishu.cn/open-apis/authen/v2/oauth/token")
		r.notApplicable("the legacy v1 user token request has no code_verifier; state still binds the callback to this login", "pkce")
	}
	return nil
}

func (f *larkFlow) authorizeURL(r *run, a authRequest) (string, error) {
	q := url.Values{
		"client_id":     {r.in.Provider.ClientID},
		"redirect_uri":  {a.redirect},
		"response_type": {"code"},
		"state":         {a.state},
	}
	if len(r.rep.RequestedScopes) > 0 {
		q.Set("scope", strings.Join(r.rep.RequestedScopes, " "))
	}
	if f.v1 {
		// The v1 authorize page names the app app_id; client_id is kept for the accounts.feishu.cn page.
		q.Set("app_id", r.in.Provider.ClientID)
	} else {
		q.Set("code_challenge", oauth2.S256ChallengeFromVerifier(a.verifier))
		q.Set("code_challenge_method", "S256")
	}
	if r.in.Prompt != "" {
		q.Set("prompt", r.in.Prompt)
	}
	return withQuery(f.ep.AuthorizeURL, q)
}

func (f *larkFlow) checkCallback(*run, *loopback.Callback) error { return nil }

// larkTokenV2 is the v2 token response: RFC 6749 fields plus Lark's code (0 on success).
type larkTokenV2 struct {
	Code             int    `json:"code"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	AccessToken      string `json:"access_token"`
	ExpiresIn        int64  `json:"expires_in"`
	RefreshToken     string `json:"refresh_token"`
	TokenType        string `json:"token_type"`
	Scope            string `json:"scope"`
}

// larkEnvelope is Lark's {code, msg, data} wrapper.
type larkEnvelope struct {
	Code *int            `json:"code"`
	Msg  string          `json:"msg"`
	Data json.RawMessage `json:"data"`
}

func (f *larkFlow) redeem(ctx context.Context, r *run, cb *loopback.Callback, a authRequest) (*Identity, error) {
	var access string
	var err error
	if f.v1 {
		access, err = f.exchangeV1(ctx, r, cb)
	} else {
		access, err = f.exchangeV2(ctx, r, cb, a)
	}
	if err != nil {
		return nil, err
	}

	done := r.begin("userinfo")
	resp, err := r.call(ctx, http.MethodGet, f.ep.UserinfoURL, bearer(access), nil)
	if err != nil {
		return nil, callError("userinfo", "userinfo request: GET "+f.ep.UserinfoURL, err)
	}
	env, ferr := larkAnswer("userinfo", "GET "+f.ep.UserinfoURL, resp)
	if ferr != nil {
		return nil, ferr
	}
	doc, derr := decodeObject(resp.body)
	data, _ := doc["data"].(map[string]any)
	if derr != nil || data == nil {
		return nil, &Error{Step: "userinfo", Message: fmt.Sprintf("userinfo check failed: GET %s answered code %d without a data object", f.ep.UserinfoURL, *env.Code),
			HintText: "userinfo_url must be Lark/Feishu's https://open.feishu.cn/open-apis/authen/v1/user_info", Err: derr}
	}
	unionID := jsonString(data["union_id"])
	if unionID == "" {
		return nil, checkError("userinfo", "union_id", "the user's union_id", "",
			fmt.Sprintf("userinfo check failed: GET %s has no data.union_id, Lark/Feishu's stable user ID", f.ep.UserinfoURL),
			"userinfo_url must be Lark/Feishu's https://open.feishu.cn/open-apis/authen/v1/user_info")
	}
	// The wrapper is kept: mapping rules read $.data.*, as the app's own form does.
	r.rep.Userinfo = doc
	done(fmt.Sprintf("name %s, union_id %s", jsonString(data["name"]), unionID))
	return &Identity{Provider: r.in.Provider, Userinfo: doc}, nil
}

func (f *larkFlow) exchangeV2(ctx context.Context, r *run, cb *loopback.Callback, a authRequest) (string, error) {
	in := r.in
	done := r.begin("code exchange")
	resp, err := r.call(ctx, http.MethodPost, f.ep.TokenURL, nil, map[string]string{
		"grant_type":    "authorization_code",
		"client_id":     in.Provider.ClientID,
		"client_secret": in.ClientSecret,
		"code":          cb.Code,
		"redirect_uri":  a.redirect,
		"code_verifier": a.verifier,
	})
	if err != nil {
		return "", callError("code exchange", "code exchange: POST "+f.ep.TokenURL, err)
	}
	var tok larkTokenV2
	jerr := json.Unmarshal(resp.body, &tok)
	if resp.status != http.StatusOK || jerr != nil || tok.Code != 0 || tok.Error != "" || tok.AccessToken == "" {
		e := &Error{Step: "code exchange", Check: tok.Error}
		switch {
		case tok.Error != "":
			e.Message = fmt.Sprintf("code exchange failed: the token endpoint answered %s with %s", resp.statusText, tok.Error)
			if tok.ErrorDescription != "" {
				e.Message += fmt.Sprintf(" (%s)", truncate(tok.ErrorDescription, 300))
			}
			e.HintText = oauthErrorHint(tok.Error, in.ClientSecret, "json_body", nil)
		case tok.Code != 0:
			e.Message = fmt.Sprintf("code exchange failed: the token endpoint answered %s with Lark code %d", resp.statusText, tok.Code)
		default:
			e.Message = fmt.Sprintf("code exchange failed: the token endpoint answered %s with %s", resp.statusText, excerpt(resp.body))
		}
		if tok.Code != 0 && tok.Error != "" {
			e.Message += fmt.Sprintf(" (Lark code %d)", tok.Code)
		}
		if h := larkCodeHint(tok.Code); h != "" {
			e.HintText = h
		}
		if e.HintText == "" {
			e.HintText = "token_url must be Lark/Feishu's https://open.feishu.cn/open-apis/authen/v2/oauth/token; compare client_id (App ID) and client_secret (App Secret) with the app's credentials"
		}
		if e.Check == "" && tok.Code != 0 {
			e.Check = fmt.Sprint(tok.Code)
		}
		return "", e
	}
	r.recordGrant(tok.TokenType, tok.ExpiresIn, tok.RefreshToken != "", tok.Scope)
	r.keepTokens(tok.AccessToken, "", tok.RefreshToken)
	extra := ""
	if tok.RefreshToken == "" {
		extra = "a refresh token needs scope offline_access"
	}
	done(r.grantDetail(extra))
	return tok.AccessToken, nil
}

func (f *larkFlow) exchangeV1(ctx context.Context, r *run, cb *loopback.Callback) (string, error) {
	in := r.in
	u, err := url.Parse(f.ep.TokenURL)
	if err != nil {
		return "", &Error{Step: "app token", Message: fmt.Sprintf("token_url %q is not a URL", f.ep.TokenURL), HintText: "set token_url to Lark/Feishu's token endpoint", Err: err}
	}
	appURL := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: larkAppTokenPath}).String()

	done := r.begin("app token")
	resp, err := r.call(ctx, http.MethodPost, appURL, nil, map[string]string{"app_id": in.Provider.ClientID, "app_secret": in.ClientSecret})
	if err != nil {
		return "", callError("app token", "app token request: POST "+appURL, err)
	}
	var app struct {
		Code           *int   `json:"code"`
		Msg            string `json:"msg"`
		AppAccessToken string `json:"app_access_token"`
		Expire         int64  `json:"expire"`
	}
	if jerr := json.Unmarshal(resp.body, &app); resp.status != http.StatusOK || jerr != nil || app.Code == nil || *app.Code != 0 || app.AppAccessToken == "" {
		e := larkFailure("app token", "POST "+appURL, resp, app.Code, app.Msg)
		if larkCodeHint(code(app.Code)) == "" {
			e.HintText = "client_id must be the app's App ID and client_secret its App Secret (the developer console's credentials page); ssoctl asks for the app_access_token of a custom app"
		}
		return "", e
	}
	r.sensitive(app.AppAccessToken)
	done(fmt.Sprintf("app_access_token issued, expires in %ds", app.Expire))

	done = r.begin("code exchange")
	h := bearer(app.AppAccessToken)
	resp, err = r.call(ctx, http.MethodPost, f.ep.TokenURL, h, map[string]string{"grant_type": "authorization_code", "code": cb.Code})
	if err != nil {
		return "", callError("code exchange", "code exchange: POST "+f.ep.TokenURL, err)
	}
	env, ferr := larkAnswer("code exchange", "POST "+f.ep.TokenURL, resp)
	if ferr != nil {
		return "", ferr
	}
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		TokenType    string `json:"token_type"`
		ExpiresIn    int64  `json:"expires_in"`
		Scope        string `json:"scope"`
	}
	if json.Unmarshal(env.Data, &tok) != nil || tok.AccessToken == "" {
		return "", &Error{Step: "code exchange", Message: fmt.Sprintf("code exchange failed: POST %s answered code 0 without data.access_token", f.ep.TokenURL),
			HintText: "token_url must be Lark/Feishu's user token endpoint, https://open.feishu.cn/open-apis/authen/v1/oidc/access_token"}
	}
	r.recordGrant(tok.TokenType, tok.ExpiresIn, tok.RefreshToken != "", tok.Scope)
	r.keepTokens(tok.AccessToken, "", tok.RefreshToken)
	done(r.grantDetail(""))
	return tok.AccessToken, nil
}

// larkAnswer checks a {code, msg, data} answer: HTTP 200 and code 0, or an error naming both.
func larkAnswer(step, request string, resp *apiResponse) (*larkEnvelope, *Error) {
	var env larkEnvelope
	if json.Unmarshal(resp.body, &env) == nil && env.Code != nil && *env.Code == 0 && resp.status == http.StatusOK {
		return &env, nil
	}
	return nil, larkFailure(step, request, resp, env.Code, env.Msg)
}

func larkFailure(step, request string, resp *apiResponse, c *int, msg string) *Error {
	e := &Error{Step: step}
	switch {
	case c == nil:
		e.Message = fmt.Sprintf("%s failed: %s answered %s with %s", step, request, resp.statusText, excerpt(resp.body))
		e.HintText = "the URL does not answer like Lark/Feishu's open API ({code, msg, data}); check it"
		return e
	case resp.status == http.StatusOK:
		e.Message = fmt.Sprintf("%s check failed: %s answered %s with Lark code %d (%s); a code other than 0 is a failure even with HTTP 200", step, request, resp.statusText, *c, truncate(msg, 300))
	default:
		e.Message = fmt.Sprintf("%s failed: %s answered %s with Lark code %d (%s)", step, request, resp.statusText, *c, truncate(msg, 300))
	}
	e.Check = fmt.Sprint(*c)
	e.HintText = larkCodeHint(*c)
	if e.HintText == "" {
		lm := strings.ToLower(msg)
		switch {
		case strings.Contains(lm, "token"):
			e.HintText = "Lark/Feishu did not accept the token: userinfo_url may belong to another host (Feishu open.feishu.cn vs. Lark open.larksuite.com) than token_url"
		case strings.Contains(lm, "permission") || strings.Contains(lm, "scope"):
			e.HintText = "the app lacks a permission: add it in the developer console and publish a new app version"
		default:
			e.HintText = "look the code up in Lark/Feishu's server error code list; the message above says what failed"
		}
	}
	return e
}

// larkCodeHint explains the Lark codes the documentation names.
func larkCodeHint(c int) string {
	switch c {
	case 20010:
		// open.feishu.cn get-user-access-token: the user lacks the app's usage permission.
		return "the user may not use this app: make the app available to them (availability settings in the developer console)"
	}
	return ""
}

func code(c *int) int {
	if c == nil {
		return 0
	}
	return *c
}
