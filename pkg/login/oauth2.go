package login

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	"golang.org/x/oauth2"

	"github.com/ssoctl/ssoctl/pkg/loopback"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// oauth2Flow is a generic OAuth 2.0 login (type oauth2): the endpoints are explicit, there is no
// discovery and no ID token, so the user is whatever the userinfo endpoint says. PKCE S256 is sent
// (servers that do not know it ignore it); how the client authenticates at the token endpoint is
// unknown unless the preset says, so x/oauth2 detects it: HTTP Basic first, then the form body.
type oauth2Flow struct {
	ep     Endpoints
	style  oauth2.AuthStyle
	detect bool
	conf   *oauth2.Config
}

var _ flow = (*oauth2Flow)(nil)

func (f *oauth2Flow) prepare(_ context.Context, r *run) error {
	r.rep.RequestedScopes = r.plainScopes(f.ep.Scopes)
	pr, _ := provider.Lookup(r.in.Provider.Type)
	switch {
	case r.in.ClientSecret == "":
		f.style, r.rep.ClientAuth = oauth2.AuthStyleInParams, "none"
	case pr.ClientAuth == provider.AuthBasic:
		f.style, r.rep.ClientAuth = oauth2.AuthStyleInHeader, "client_secret_basic"
	case pr.ClientAuth == provider.AuthPost:
		f.style, r.rep.ClientAuth = oauth2.AuthStyleInParams, "client_secret_post"
	default:
		f.style, f.detect = oauth2.AuthStyleAutoDetect, true
		r.rep.ClientAuth = "auto"
	}
	r.noIDToken("A provider of type oauth2")
	return nil
}

func (f *oauth2Flow) authorizeURL(r *run, a authRequest) (string, error) {
	if _, err := withQuery(f.ep.AuthorizeURL, nil); err != nil {
		return "", err
	}
	f.conf = oauth2Config(r.in, f.ep.AuthorizeURL, f.ep.TokenURL, f.style, a.redirect, r.rep.RequestedScopes)
	opts, _ := r.pkceOptions(a)
	opts = append(opts, promptOptions(r.in, "login_hint")...)
	return f.conf.AuthCodeURL(a.state, opts...), nil
}

func (f *oauth2Flow) checkCallback(*run, *loopback.Callback) error { return nil }

func (f *oauth2Flow) redeem(ctx context.Context, r *run, cb *loopback.Callback, a authRequest) (*Identity, error) {
	in := r.in
	rec := &authRecorder{base: r.client.Transport}
	tc := *r.client
	tc.Transport = rec
	done := r.begin("code exchange")
	tok, err := f.conf.Exchange(context.WithValue(ctx, oauth2.HTTPClient, &tc), cb.Code, exchangeOpts(r, a)...)
	used := rec.used()
	if len(used) > 0 {
		r.rep.ClientAuth = used[len(used)-1]
	}
	if err != nil {
		e := exchangeError(err, in.ClientSecret, r.rep.ClientAuth, nil)
		if f.detect && len(used) == 2 {
			e.Message += " (HTTP Basic was tried first and refused too"
			if first := rec.firstAnswer(); first != "" {
				e.Message += ": " + first
			}
			e.Message += ")"
			if e.Check == "invalid_client" || e.Check == "unauthorized_client" || e.Check == "" {
				e.HintText = "the server refused the client both with HTTP Basic and with client_id and client_secret in the form body: check client_id and client_secret"
			}
		}
		if e.HintText == "" {
			e.HintText = "check token_url and the client's credentials; the server's answer above says what it refused"
		}
		return nil, e
	}
	scope, _ := tok.Extra("scope").(string)
	r.recordGrant(tok.TokenType, tok.ExpiresIn, tok.RefreshToken != "", scope)
	rawID, _ := tok.Extra("id_token").(string)
	r.keepTokens(tok.AccessToken, rawID, tok.RefreshToken)
	extra := ""
	if f.detect {
		extra = "detected: HTTP Basic worked"
		if len(used) == 2 {
			extra = "detected: HTTP Basic was refused, the form body worked"
		}
	}
	done(r.grantDetail(extra))
	if rawID != "" {
		r.warn("the token response carries an id_token, which type oauth2 does not verify (no issuer, no signing keys); use type oidc with the provider's issuer to verify it")
		r.rep.Notes = append(r.rep.Notes, "id_token: present in the token response but not verified (type oauth2)")
	}

	done = r.begin("userinfo")
	resp, err := r.call(ctx, http.MethodGet, f.ep.UserinfoURL, bearer(tok.AccessToken), nil)
	if err != nil {
		return nil, callError("userinfo", "userinfo request: GET "+f.ep.UserinfoURL, err)
	}
	if resp.status != http.StatusOK {
		msg := fmt.Sprintf("userinfo request failed: GET %s answered %s", f.ep.UserinfoURL, resp.statusText)
		if wa := resp.header.Get("WWW-Authenticate"); wa != "" {
			msg += " (" + truncate(wa, 200) + ")"
		} else {
			msg += " with " + excerpt(resp.body)
		}
		return nil, &Error{Step: "userinfo", Message: msg,
			HintText: "the access token was not accepted for userinfo: check userinfo_url and the scopes the user API needs"}
	}
	doc, derr := decodeObject(resp.body)
	if derr != nil {
		return nil, &Error{Step: "userinfo", Message: fmt.Sprintf("userinfo check failed: GET %s did not answer a JSON object: %v", f.ep.UserinfoURL, derr),
			HintText: "userinfo_url must point at the server's user API, which answers a JSON object describing the user", Err: derr}
	}
	r.rep.Userinfo = doc
	done(fmt.Sprintf("%d fields", len(doc)))
	return &Identity{Provider: in.Provider, Userinfo: doc}, nil
}

// authRecorder notes how each token request authenticated the client and what the first answer
// said, so the report can say which way x/oauth2's detection settled on, or why both failed.
type authRecorder struct {
	base  http.RoundTripper
	mu    sync.Mutex
	ways  []string
	first string
}

func (t *authRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	way := "client_secret_post"
	if strings.HasPrefix(req.Header.Get("Authorization"), "Basic ") {
		way = "client_secret_basic"
	}
	resp, err := t.base.RoundTrip(req)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ways = append(t.ways, way)
	if len(t.ways) == 1 && err == nil && resp.StatusCode != http.StatusOK {
		// The body is bounded below; keep a copy for the message and hand an identical one on.
		b, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		if rerr != nil {
			resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), errReader{rerr}))
		}
		var e struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		t.first = resp.Status
		if json.Unmarshal(b, &e) == nil && e.Error != "" {
			t.first += " with " + e.Error
			if e.Description != "" {
				t.first += " (" + truncate(e.Description, 200) + ")"
			}
		}
	}
	return resp, err
}

func (t *authRecorder) used() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.ways)
}

func (t *authRecorder) firstAnswer() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.first
}

// errReader fails with err, so a body that could not be read whole still fails its reader.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
