package login

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/loopback"
)

// appPlatformFlow rehearses an app's own plain OAuth 2.0 login on a platform (app.Client.Plain:
// AList's and OpenList's Github, Microsoft, Google, Dingtalk and Casdoor platforms). The app uses
// no OAuth library there: it sends its fixed scope (without openid, also where the platform is an
// OpenID provider), no PKCE and no nonce, posts client_id and client_secret in a form (DingTalk: a
// JSON body), reads no ID token and takes the user from the platform's user API (GitHub /user,
// Google's legacy v1 userinfo, Microsoft Graph /me, DingTalk's users/me, Casdoor /api/userinfo). So
// the rehearsal does the same, not an OpenID Connect login and not ssoctl's own GitHub or DingTalk
// login (no /user/emails): none of the ID token checks can run, because the app's request gets no
// ID token to check.
//
// Where the app's endpoints are fixed (Google, Microsoft) it cannot be pointed anywhere else; the
// rehearsal goes to them unless the config names authorize_url, token_url or userinfo_url, which
// it then uses and says that the app would not (a test provider, say).
type appPlatformFlow struct {
	ep Endpoints
	// login is the app's login with the URLs this rehearsal uses.
	login app.PlainLogin
}

var _ flow = (*appPlatformFlow)(nil)

func (f *appPlatformFlow) prepare(_ context.Context, r *run) error {
	c, in := r.profile, r.in
	name := c.App + " (" + c.Platform + ")"
	endpoint := in.Provider.Issuer
	if endpoint == "" {
		endpoint = f.ep.Issuer
	}
	if c.Plain.Endpoint != "" && endpoint == "" {
		return &Error{Step: "config", Message: fmt.Sprintf("%s builds its endpoints from %s, and provider %q has no issuer to take it from", name, c.Plain.Endpoint, in.Provider.Name),
			HintText: "set issuer to the " + c.Platform + " origin, such as https://door.example.com"}
	}
	own := c.Plain.Resolve(endpoint)
	var moved []string
	f.login, moved = own.Moved(in.Provider.AuthorizeURL, in.Provider.TokenURL, in.Provider.UserinfoURL)
	if len(moved) > 0 {
		where := "has fixed endpoints"
		if !own.Fixed() {
			where = "builds its endpoints from " + own.Endpoint
		}
		msg := fmt.Sprintf("%s %s and reads no %s: it sends users to %s, redeems the code at %s and reads the user from %s; this rehearsal sends what %s sends to the configured %s instead",
			name, where, strings.Join(moved, ", "), own.AuthorizeURL, own.TokenURL, own.UserURL, c.App, strings.Join(moved, ", "))
		r.warn(msg)
		r.rep.Notes = append(r.rep.Notes, msg)
	}

	if in.Provider.Type == config.TypeMicrosoft && in.Provider.Tenant != "" && f.login.AuthorizeURL == own.AuthorizeURL {
		r.warn(fmt.Sprintf("%s always uses the common tenant, not %q: the rehearsal does too", name, in.Provider.Tenant))
	}
	r.rep.RequestedScopes = c.ScopesFor(f.ep.Scopes)
	r.rep.Client.PKCE = false
	r.rep.ClientAuth = app.AuthPost
	if f.login.TokenJSON {
		r.rep.ClientAuth = "json_body"
	}
	r.notApplicable(name+" sends no PKCE, so the rehearsal sends none either", "pkce")
	r.notApplicable(fmt.Sprintf("%s requests no openid scope and reads no ID token: it identifies the user by %s of %s, fetched with the access token", name, c.IDField, c.UserAPI),
		"discovery", "jwks", "signature", "iss", "aud", "azp", "exp", "iat", "nonce", "at_hash", "userinfo sub")
	if state := stateParam(own); state != "" {
		r.notApplicable(fmt.Sprintf("%s sends state=%s, the same for every login; the rehearsal sends a fresh state instead, so that its callback can tell this login's answer", name, state), "app state")
	}
	return nil
}

// stateParam is the fixed state the app's authorize request carries ("" for none).
func stateParam(l app.PlainLogin) string {
	for _, kv := range l.AuthorizeParams {
		if kv[0] == "state" {
			return kv[1]
		}
	}
	return ""
}

func (f *appPlatformFlow) authorizeURL(r *run, a authRequest) (string, error) {
	q := url.Values{}
	q.Add("response_type", "code")
	q.Add("redirect_uri", a.redirect)
	q.Add("client_id", r.in.Provider.ClientID)
	q.Add("scope", strings.Join(r.rep.RequestedScopes, " "))
	for _, kv := range f.login.AuthorizeParams {
		if kv[0] != "state" {
			q.Add(kv[0], kv[1])
		}
	}
	q.Set("state", a.state)
	if r.in.Prompt != "" {
		q.Set("prompt", r.in.Prompt)
	}
	if r.in.LoginHint != "" {
		q.Set("login_hint", r.in.LoginHint)
	}
	return withQuery(f.login.AuthorizeURL, q)
}

func (f *appPlatformFlow) checkCallback(*run, *loopback.Callback) error { return nil }

func (f *appPlatformFlow) redeem(ctx context.Context, r *run, cb *loopback.Callback, a authRequest) (*Identity, error) {
	in, c := r.in, r.profile
	name := c.App + " (" + c.Platform + ")"
	done := r.begin("code exchange")
	r.rep.Client.AuthMethods = []string{app.AuthPost}
	resp, err := r.postToken(ctx, f.login, in.Provider.ClientID, in.ClientSecret, cb.Code, a.redirect, strings.Join(r.rep.RequestedScopes, " "))
	if err != nil {
		return nil, callError("code exchange", "code exchange: POST "+f.login.TokenURL, err)
	}
	var tok map[string]any
	_ = json.Unmarshal(resp.body, &tok)
	access := jsonString(tok[f.login.TokenField])
	if resp.status != http.StatusOK || access == "" {
		outcome := fmt.Sprintf("%s does not look at this answer: it calls the user API with an empty access token and answers %q", name, app.MsgNoSSOID)
		if in.Provider.Type == config.TypeDingTalk {
			e := dingtalkFailure("code exchange", "POST "+f.login.TokenURL, resp)
			e.Message += "; " + outcome
			return nil, e
		}
		e := &Error{Step: "code exchange", Message: fmt.Sprintf("code exchange failed: POST %s answered %s with %s; %s",
			f.login.TokenURL, resp.statusText, excerpt(resp.body), outcome)}
		if code := jsonString(tok["error"]); code != "" {
			e.Check = code
		}
		e.HintText = "check client_id and client_secret; the provider's answer above says what it refused"
		if e.Check == "invalid_client" || e.Check == "unauthorized_client" {
			e.HintText = fmt.Sprintf("%s sends client_id and client_secret in the form body (client_secret_post) and nothing else: register the client for client_secret_post at the provider", name)
		}
		if in.Provider.Type == config.TypeGitHub {
			// GitHub answers its token errors with HTTP 200 and codes of its own.
			e = githubExchangeError(e, in.ClientSecret)
		}
		return nil, e
	}
	// DingTalk spells them refreshToken and expireIn.
	refresh, idToken := first(jsonString(tok["refresh_token"]), jsonString(tok["refreshToken"])), jsonString(tok["id_token"])
	expires, ok := tok["expires_in"].(float64)
	if !ok {
		expires, _ = tok["expireIn"].(float64)
	}
	r.recordGrant(jsonString(tok["token_type"]), int64(expires), refresh != "", jsonString(tok["scope"]))
	r.keepTokens(access, idToken, refresh)
	done(r.grantDetail(""))
	if idToken != "" {
		r.rep.Notes = append(r.rep.Notes, "id_token: present in the token response; "+name+" ignores it, so it was not verified")
	}

	done = r.begin("userinfo")
	header := bearer(access)
	if f.login.UserHeader != "Authorization" {
		header = http.Header{f.login.UserHeader: {access}}
	}
	resp, err = r.call(ctx, http.MethodGet, f.login.UserURL, header, nil)
	if err != nil {
		return nil, callError("userinfo", "user request: GET "+f.login.UserURL, err)
	}
	if resp.status != http.StatusOK && in.Provider.Type == config.TypeDingTalk {
		e := dingtalkFailure("userinfo", "GET "+f.login.UserURL, resp)
		e.Message += fmt.Sprintf("; %s reads %s from this answer, finds none and answers %q", name, c.IDField, app.MsgNoSSOID)
		return nil, e
	}
	if resp.status != http.StatusOK {
		msg := fmt.Sprintf("user request failed: GET %s answered %s", f.login.UserURL, resp.statusText)
		if wa := resp.header.Get("WWW-Authenticate"); wa != "" {
			msg += " (" + truncate(wa, 200) + ")"
		} else {
			msg += " with " + excerpt(resp.body)
		}
		msg += fmt.Sprintf("; %s reads %s from this answer, finds none and answers %q", name, c.IDField, app.MsgNoSSOID)
		return nil, &Error{Step: "userinfo", Message: msg,
			HintText: fmt.Sprintf("%s requests only the scope %s: the user API must answer with a token of that scope", name, strings.Join(r.rep.RequestedScopes, " "))}
	}
	doc, derr := decodeObject(resp.body)
	if derr != nil {
		return nil, &Error{Step: "userinfo", Message: fmt.Sprintf("user request failed: GET %s did not answer a JSON object (%v); %s answers %q", f.login.UserURL, derr, name, app.MsgNoSSOID), Err: derr}
	}
	r.rep.Userinfo = doc
	done(fmt.Sprintf("%d fields; %s reads %s %q and %s %q", len(doc), c.App, c.IDField, jsonString(doc[c.IDField]), c.UsernameField, jsonString(doc[c.UsernameField])))
	return &Identity{Provider: in.Provider, Userinfo: doc}, nil
}

// postToken sends the app's token request: a form of client_id, client_secret, code, redirect_uri
// and scope (and grant_type where the app sends it) with Accept: application/json, or the JSON body
// {clientId, clientSecret, code, grantType} (app.PlainLogin).
func (r *run) postToken(ctx context.Context, l app.PlainLogin, clientID, secret, code, redirect, scope string) (*apiResponse, error) {
	if l.TokenJSON {
		return r.call(ctx, http.MethodPost, l.TokenURL, nil, map[string]string{
			"clientId": clientID, "clientSecret": secret, "code": code, "grantType": "authorization_code"})
	}
	form := url.Values{"client_id": {clientID}, "client_secret": {secret}, "code": {code}, "redirect_uri": {redirect}, "scope": {scope}}
	if l.GrantType {
		form.Set("grant_type", "authorization_code")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	return r.send(req)
}
