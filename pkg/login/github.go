package login

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"github.com/ssoctl/ssoctl/pkg/loopback"
)

// githubFlow is a GitHub OAuth app login: plain OAuth 2.0 with PKCE S256 (supported since
// 2025-07) and state, no ID token, no nonce. The user is GET /user; when its email is null (the
// user keeps the address private) the address comes from GET /user/emails, the primary and
// verified one, which needs scope user:email.
type githubFlow struct {
	ep   Endpoints
	conf *oauth2.Config
}

var _ flow = (*githubFlow)(nil)

// githubAPIVersion pins the REST API version GitHub answers in.
const githubAPIVersion = "2022-11-28"

func (f *githubFlow) prepare(_ context.Context, r *run) error {
	r.rep.RequestedScopes = r.plainScopes(f.ep.Scopes)
	if r.in.ClientSecret == "" {
		r.rep.ClientAuth = "none"
		r.warn("GitHub OAuth apps authenticate with their client secret at the token endpoint even with PKCE; without client_secret the code exchange will fail")
	} else {
		// GitHub takes client_id and client_secret in the form body (AList does the same).
		r.rep.ClientAuth = "client_secret_post"
	}
	if r.in.Prompt != "" && r.in.Prompt != "select_account" {
		r.warn(fmt.Sprintf("GitHub's authorize page knows only prompt=select_account (the account picker); --prompt %s is not sent", r.in.Prompt))
	}
	r.noIDToken("GitHub")
	return nil
}

func (f *githubFlow) authorizeURL(r *run, a authRequest) (string, error) {
	f.conf = oauth2Config(r.in, f.ep.AuthorizeURL, f.ep.TokenURL, oauth2.AuthStyleInParams, a.redirect, r.rep.RequestedScopes)
	// GitHub's "login" parameter suggests the account to sign in with, its login_hint.
	in := r.in
	if in.Prompt != "select_account" {
		in.Prompt = ""
	}
	opts, _ := r.pkceOptions(a)
	opts = append(opts, promptOptions(in, "login")...)
	return f.conf.AuthCodeURL(a.state, opts...), nil
}

func (f *githubFlow) checkCallback(*run, *loopback.Callback) error { return nil }

func (f *githubFlow) authErrorHint(code string) string {
	switch code {
	case "access_denied":
		return "the user pressed Cancel on GitHub's authorization page; run test-login again and authorize the app"
	case "redirect_uri_mismatch":
		return githubRedirectHint
	case "application_suspended":
		return "the OAuth app is suspended at GitHub; its owner must contact GitHub Support"
	}
	return ""
}

const githubRedirectHint = "GitHub accepts only the OAuth app's Authorization callback URL or a sub-path of it as redirect_uri: set the callback URL to the redirect URL ssoctl printed, or pass the registered one with --redirect-url"

func (f *githubFlow) redeem(ctx context.Context, r *run, cb *loopback.Callback, a authRequest) (*Identity, error) {
	in := r.in
	// GitHub answers the token request form-encoded unless it asks for JSON.
	tc := *r.client
	tc.Transport = acceptJSON{base: r.client.Transport}
	done := r.begin("code exchange")
	tok, err := f.conf.Exchange(context.WithValue(ctx, oauth2.HTTPClient, &tc), cb.Code, exchangeOpts(r, a)...)
	if err != nil {
		return nil, githubExchangeError(exchangeError(err, in.ClientSecret, r.rep.ClientAuth, nil), in.ClientSecret)
	}
	scope, _ := tok.Extra("scope").(string)
	r.recordGrant(tok.TokenType, tok.ExpiresIn, tok.RefreshToken != "", scope)
	r.keepTokens(tok.AccessToken, "", tok.RefreshToken)
	done(r.grantDetail(""))

	done = r.begin("userinfo")
	user, err := f.get(ctx, r, "userinfo", f.ep.UserinfoURL, tok.AccessToken)
	if err != nil {
		return nil, err
	}
	doc, derr := decodeObject(user)
	if derr != nil {
		return nil, &Error{Step: "userinfo", Message: fmt.Sprintf("userinfo check failed: GET %s did not answer a JSON object: %v", f.ep.UserinfoURL, derr),
			HintText: "userinfo_url must be GitHub's user API: https://api.github.com/user (GitHub Enterprise Server: https://HOST/api/v3/user)", Err: derr}
	}
	id := jsonString(doc["id"])
	if id == "" || id == "0" {
		return nil, checkError("userinfo", "id", "GitHub's numeric user id", id,
			fmt.Sprintf("userinfo check failed: GET %s has no id, GitHub's permanent user ID", f.ep.UserinfoURL),
			"userinfo_url must be GitHub's user API: https://api.github.com/user (GitHub Enterprise Server: https://HOST/api/v3/user)")
	}
	r.rep.Userinfo = doc
	done(fmt.Sprintf("login %s, id %s", jsonString(doc["login"]), id))

	if email, _ := doc["email"].(string); email == "" {
		if err := f.primaryEmail(ctx, r, tok.AccessToken, doc); err != nil {
			return nil, err
		}
	}
	return &Identity{Provider: in.Provider, Userinfo: doc}, nil
}

// primaryEmail fills doc's null email with the primary, verified address from /user/emails, or
// says why there is none. A missing address does not fail the login: the app decides whether it
// needs one.
func (f *githubFlow) primaryEmail(ctx context.Context, r *run, token string, doc map[string]any) error {
	if r.rep.GrantedScopesListed && !slices.Contains(r.rep.GrantedScopes, "user:email") && !slices.Contains(r.rep.GrantedScopes, "user") {
		msg := fmt.Sprintf("GitHub's /user has \"email\": null (the user keeps the address private) and the token lacks scope user:email (granted: %s), so /user/emails cannot be read and the app gets no email; add user:email to the provider's scopes",
			scopeList(r.rep.GrantedScopes))
		r.warn(msg)
		r.rep.Notes = append(r.rep.Notes, "email: null in /user and not readable from /user/emails without scope user:email")
		return nil
	}
	done := r.begin("emails")
	url := strings.TrimSuffix(f.ep.UserinfoURL, "/") + "/emails"
	resp, err := r.call(ctx, http.MethodGet, url, githubHeaders(token), nil)
	if err != nil {
		return callError("emails", "GET "+url, err)
	}
	if resp.status != http.StatusOK {
		r.warn(fmt.Sprintf("GET %s answered %s (%s): the app gets no email; GitHub answers so when the token lacks scope user:email: add user:email to the provider's scopes",
			url, resp.statusText, githubMessage(resp.body)))
		r.rep.Notes = append(r.rep.Notes, "email: null in /user, and /user/emails answered "+resp.statusText)
		done("not readable: " + resp.statusText)
		return nil
	}
	var emails []struct {
		Email    string `json:"email"`
		Primary  bool   `json:"primary"`
		Verified bool   `json:"verified"`
	}
	if err := json.Unmarshal(resp.body, &emails); err != nil {
		return &Error{Step: "emails", Message: fmt.Sprintf("GET %s did not answer a JSON array of addresses: %v", url, err),
			HintText: "userinfo_url must be GitHub's user API; /emails is appended to it", Err: err}
	}
	for _, e := range emails {
		if !e.Primary {
			continue
		}
		if !e.Verified {
			r.warn(fmt.Sprintf("the primary address %s is not verified at GitHub, so ssoctl does not use it as the email; the user should verify it", e.Email))
			r.rep.Notes = append(r.rep.Notes, "email: the primary address in /user/emails is not verified and was not used")
			done(fmt.Sprintf("%d addresses; the primary one is not verified", len(emails)))
			return nil
		}
		doc["email"] = e.Email
		r.rep.Notes = append(r.rep.Notes, "email: taken from GET /user/emails (the primary, verified address); /user has null")
		done(fmt.Sprintf("%d addresses; primary and verified: %s", len(emails), e.Email))
		return nil
	}
	r.warn("GET /user/emails lists no primary address; the app gets no email")
	done(fmt.Sprintf("%d addresses, none primary", len(emails)))
	return nil
}

// get GETs a GitHub API resource and returns the body of a 200 answer.
func (f *githubFlow) get(ctx context.Context, r *run, step, url, token string) ([]byte, error) {
	resp, err := r.call(ctx, http.MethodGet, url, githubHeaders(token), nil)
	if err != nil {
		return nil, callError(step, "GET "+url, err)
	}
	if resp.status == http.StatusOK {
		return resp.body, nil
	}
	e := &Error{Step: step, Message: fmt.Sprintf("%s request failed: GET %s answered %s (%s)", step, url, resp.statusText, githubMessage(resp.body))}
	switch {
	case resp.status == http.StatusUnauthorized:
		e.HintText = "GitHub did not accept the access token it just issued: userinfo_url may belong to another GitHub (github.com vs. an Enterprise Server) than token_url"
	case resp.status == http.StatusForbidden && resp.header.Get("X-RateLimit-Remaining") == "0":
		e.HintText = "GitHub's API rate limit is used up for this token; wait for the reset time in the X-RateLimit-Reset header"
	case resp.status == http.StatusNotFound:
		e.HintText = "userinfo_url is wrong: GitHub's user API is https://api.github.com/user (GitHub Enterprise Server: https://HOST/api/v3/user)"
	default:
		e.HintText = "GitHub refused the request; its message above says why"
	}
	return nil, e
}

func githubHeaders(token string) http.Header {
	h := bearer(token)
	h.Set("Accept", "application/vnd.github+json")
	h.Set("X-GitHub-Api-Version", githubAPIVersion)
	return h
}

// githubMessage is the message of a GitHub API error body ({"message": ..., "documentation_url": ...}).
func githubMessage(body []byte) string {
	var e struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) == nil && e.Message != "" {
		return truncate(e.Message, 200)
	}
	return excerpt(body)
}

// githubExchangeError adds what GitHub's own token error codes mean. GitHub answers them with HTTP
// 200, which x/oauth2 recognises by the error field.
func githubExchangeError(e *Error, secret string) *Error {
	var hint string
	switch e.Check {
	case "bad_verification_code":
		hint = "the code is wrong or expired (GitHub codes work once, for 10 minutes), or the PKCE code_verifier does not match the challenge; run test-login again"
	case "incorrect_client_credentials":
		hint = "client_id or client_secret is wrong: copy both from the OAuth app's page (Settings, Developer settings, OAuth Apps); GitHub shows a new client secret only once"
		if secret == "" {
			hint = "set client_secret: GitHub OAuth apps always authenticate with their client secret at the token endpoint"
		}
	case "redirect_uri_mismatch":
		hint = githubRedirectHint
	case "unverified_user_email":
		hint = "the user must verify the primary email address at GitHub before authorizing apps"
	}
	if hint != "" {
		e.HintText = hint
	}
	if strings.Contains(e.Message, "answered 200 OK with") {
		e.Message += "; GitHub reports token errors with HTTP 200"
	}
	return e
}

// acceptJSON asks every request for JSON.
type acceptJSON struct{ base http.RoundTripper }

func (t acceptJSON) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Accept", "application/json")
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(req)
}

// jsonString renders a JSON scalar (string or json.Number) as text; "" for anything else.
func jsonString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return ""
}

func scopeList(ss []string) string {
	if len(ss) == 0 {
		return "none"
	}
	return strings.Join(ss, ", ")
}
