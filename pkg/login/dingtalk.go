package login

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/loopback"
)

// dingtalkFlow is DingTalk's OAuth 2.0 (api.dingtalk.com), which x/oauth2 cannot speak: the
// authorize request needs prompt=consent, the code comes back as authCode, the token request is a
// JSON body {clientId, clientSecret, code, grantType} answered in camelCase, and the user API takes
// the token in header x-acs-dingtalk-access-token. Errors are {code, message} with a string code.
// DingTalk documents no PKCE and the JSON token request has no code_verifier, so none is sent.
type dingtalkFlow struct {
	ep Endpoints
}

var _ flow = (*dingtalkFlow)(nil)

// dingtalkTokenHeader carries the user's access token to DingTalk's APIs (not Authorization).
const dingtalkTokenHeader = "x-acs-dingtalk-access-token"

func (f *dingtalkFlow) prepare(_ context.Context, r *run) error {
	r.rep.RequestedScopes = r.profile.ScopesFor(f.ep.Scopes)
	r.rep.ClientAuth = "json_body"
	if r.in.Prompt != "" && r.in.Prompt != "consent" {
		r.warn(fmt.Sprintf("DingTalk's authorize page takes only prompt=consent, which ssoctl always sends; --prompt %s is not sent", r.in.Prompt))
	}
	r.noIDToken("DingTalk")
	r.notApplicable("DingTalk documents no PKCE and its JSON token request has no code_verifier; state still binds the callback to this login", "pkce")
	return nil
}

func (f *dingtalkFlow) authorizeURL(r *run, a authRequest) (string, error) {
	q := url.Values{
		"redirect_uri":  {a.redirect},
		"response_type": {"code"},
		"client_id":     {r.in.Provider.ClientID},
		"state":         {a.state},
		"prompt":        {"consent"},
	}
	if len(r.rep.RequestedScopes) > 0 {
		q.Set("scope", strings.Join(r.rep.RequestedScopes, " "))
	}
	return withQuery(f.ep.AuthorizeURL, q)
}

func (f *dingtalkFlow) checkCallback(*run, *loopback.Callback) error { return nil }

// dingtalkToken is the token response of /v1.0/oauth2/userAccessToken.
type dingtalkToken struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	ExpireIn     int64  `json:"expireIn"`
	CorpID       string `json:"corpId"`
}

// dingtalkError is the error body of DingTalk's new APIs.
type dingtalkError struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"requestid"`
}

func (f *dingtalkFlow) redeem(ctx context.Context, r *run, cb *loopback.Callback, _ authRequest) (*Identity, error) {
	in := r.in
	done := r.begin("code exchange")
	resp, err := r.call(ctx, http.MethodPost, f.ep.TokenURL, nil, map[string]string{
		"clientId":     in.Provider.ClientID,
		"clientSecret": in.ClientSecret,
		"code":         cb.Code,
		"grantType":    "authorization_code",
	})
	if err != nil {
		return nil, callError("code exchange", "code exchange: POST "+f.ep.TokenURL, err)
	}
	var tok dingtalkToken
	if resp.status != http.StatusOK || json.Unmarshal(resp.body, &tok) != nil || tok.AccessToken == "" {
		return nil, dingtalkFailure("code exchange", "POST "+f.ep.TokenURL, resp)
	}
	r.recordGrant("", tok.ExpireIn, tok.RefreshToken != "", "")
	r.keepTokens(tok.AccessToken, "", tok.RefreshToken)
	extra := ""
	if tok.CorpID != "" {
		extra = "corpId " + tok.CorpID
	}
	done(r.grantDetail(extra))

	done = r.begin("userinfo")
	resp, err = r.call(ctx, http.MethodGet, f.ep.UserinfoURL, http.Header{dingtalkTokenHeader: {tok.AccessToken}}, nil)
	if err != nil {
		return nil, callError("userinfo", "userinfo request: GET "+f.ep.UserinfoURL, err)
	}
	if resp.status != http.StatusOK {
		return nil, dingtalkFailure("userinfo", "GET "+f.ep.UserinfoURL, resp)
	}
	doc, derr := decodeObject(resp.body)
	if derr != nil {
		return nil, &Error{Step: "userinfo", Message: fmt.Sprintf("userinfo check failed: GET %s did not answer a JSON object: %v", f.ep.UserinfoURL, derr),
			HintText: "userinfo_url must be DingTalk's https://api.dingtalk.com/v1.0/contact/users/me", Err: derr}
	}
	unionID := jsonString(doc["unionId"])
	if unionID == "" {
		return nil, checkError("userinfo", "unionId", "the user's unionId", "",
			fmt.Sprintf("userinfo check failed: GET %s has no unionId, DingTalk's stable user ID", f.ep.UserinfoURL),
			"userinfo_url must be DingTalk's https://api.dingtalk.com/v1.0/contact/users/me (unionId \"me\" is the logged-in user)")
	}
	r.rep.Userinfo = doc
	done(fmt.Sprintf("nick %s, unionId %s", jsonString(doc["nick"]), unionID))
	return &Identity{Provider: in.Provider, Userinfo: doc}, nil
}

// dingtalkFailure explains an error answer of DingTalk's API: its code and message, and what they
// usually mean. DingTalk's codes are strings such as Forbidden.AccessDenied.AccessTokenPermissionDenied;
// only their common shapes are matched, the code itself is always shown.
func dingtalkFailure(step, request string, resp *apiResponse) *Error {
	var de dingtalkError
	_ = json.Unmarshal(resp.body, &de)
	e := &Error{Step: step, Check: de.Code}
	if de.Code == "" && de.Message == "" {
		e.Message = fmt.Sprintf("%s failed: %s answered %s with %s", step, request, resp.statusText, excerpt(resp.body))
	} else {
		e.Message = fmt.Sprintf("%s failed: %s answered %s with code %q (%s)", step, request, resp.statusText, de.Code, truncate(de.Message, 300))
	}
	lc, lm := strings.ToLower(de.Code), strings.ToLower(de.Message)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(lc, w) || strings.Contains(lm, w) {
				return true
			}
		}
		return false
	}
	switch {
	case resp.status == http.StatusOK:
		e.HintText = "the answer has no accessToken; token_url must be DingTalk's https://api.dingtalk.com/v1.0/oauth2/userAccessToken"
	case has("forbidden", "accessdenied", "permission"):
		e.HintText = "the app lacks an API permission: grant it the address book's personal information read permission (Contact.User.Read) in the DingTalk developer console; mobile and email need their own"
	case step == "code exchange" && has("secret"):
		e.HintText = "client_secret must be the app's AppSecret (Client Secret) from the DingTalk developer console"
	case step == "code exchange" && has("client", "appkey"):
		e.HintText = "client_id must be the app's AppKey (Client ID) from the DingTalk developer console"
	case step == "code exchange" && has("authcode", "code"):
		e.HintText = "the authCode is wrong, expired or was used already (DingTalk codes work once); run test-login again"
	case step == "code exchange":
		e.HintText = "compare client_id (AppKey) and client_secret (AppSecret) with the app's credentials in the DingTalk developer console"
	case resp.status == http.StatusUnauthorized || has("authentication", "token"):
		e.HintText = "DingTalk did not accept the access token it just issued: userinfo_url may belong to another API than token_url"
	case resp.status == http.StatusNotFound:
		e.HintText = "userinfo_url is wrong: DingTalk's is https://api.dingtalk.com/v1.0/contact/users/me"
	default:
		e.HintText = "DingTalk refused the request; the code and message above say why"
	}
	return e
}
