package apps

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// ssoResult is where an SSO walk through the app ended.
type ssoResult struct {
	token   string // sso_get_token: the app's login token
	ssoID   string // get_sso_id: the SSO id the app read
	refusal string // the app's (or, when the walk never got back to it, the provider's) message
}

// The two answers of a successful OIDC callback (server/handles/ssologin.go OIDCLoginCallback, AList
// v3.63.0 and OpenList v4.2.5): a page posting {"token": …} or {"sso_id": …} to the opener, or in
// compatibility mode a redirect to /@login?token=… or /@manage?sso_id=….
var (
	tokenInPage = regexp.MustCompile(`"token":"([^"]+)"`)
	ssoIDInPage = regexp.MustCompile(`"sso_id": "([^"]*)"`)
	providerErr = regexp.MustCompile(`<h1>([^<]*)</h1><p>([^<]*)</p>`)
)

// ssoWalk opens the app's SSO start (GET /api/auth/sso?method=M) in the scripted browser, adds
// login_hint=user to the provider's authorize request (the app sends none), and follows the
// redirects back through the app's callback. The app keeps its state by client IP, not by cookie,
// so the walk may pause at the provider.
func (in *instance) ssoWalk(t *testing.T, method, user string) ssoResult {
	t.Helper()
	ctx := context.Background()
	appURL, _ := url.Parse(in.base)
	start := in.base + "/api/auth/sso?method=" + method
	first, err := logintest.Follow(ctx, start, logintest.FollowOptions{
		StopAt: func(u *url.URL) bool { return u.Host != appURL.Host },
	})
	if err != nil {
		t.Fatalf("open %s: %v", start, err)
	}
	res := first
	if first.Status == 0 { // stopped at the provider
		res, err = logintest.Follow(ctx, first.URL, logintest.FollowOptions{LoginHint: user})
		if err != nil {
			t.Fatalf("log in at the provider: %v", err)
		}
	}
	if m := tokenInPage.FindStringSubmatch(res.Body); m != nil {
		return ssoResult{token: m[1]}
	}
	if m := ssoIDInPage.FindStringSubmatch(res.Body); m != nil {
		return ssoResult{ssoID: m[1]}
	}
	if u, err := url.Parse(res.URL); err == nil && u.Host == appURL.Host {
		if tok := u.Query().Get("token"); tok != "" {
			return ssoResult{token: tok}
		}
		if u.Query().Has("sso_id") {
			return ssoResult{ssoID: u.Query().Get("sso_id")}
		}
	}
	var env struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal([]byte(res.Body), &env) == nil && env.Code != 0 {
		return ssoResult{refusal: env.Message}
	}
	if m := providerErr.FindStringSubmatch(res.Body); m != nil {
		return ssoResult{refusal: "provider: " + strings.TrimSpace(m[1]+": "+m[2])}
	}
	t.Fatalf("the SSO walk ended at %s (HTTP %d) with neither a token nor an error: %.300s", res.URL, res.Status, res.Body)
	return ssoResult{}
}

// appAnswer is what the app did with one login: the golden of each case.
type appAnswer struct {
	// Login is "accepted" or "refused".
	Login string `json:"login"`
	// Message is the app's refusal, as it answered it.
	Message string `json:"message,omitempty"`
	// The account signed in (accepted logins only), as /api/me shows it.
	Username string `json:"username,omitempty"`
	SSOID    string `json:"ssoId,omitempty"`
	BasePath string `json:"basePath,omitempty"`
	// Permission is the account's own permission bits.
	Permission *int32 `json:"permission,omitempty"`
	// Role is the account's role as the app stores it (AList: role ids; OpenList: a number), and
	// RoleNames AList's names for them.
	Role      json.RawMessage `json:"role,omitempty"`
	RoleNames []string        `json:"roleNames,omitempty"`
	// NewAccount says the login created the account.
	NewAccount *bool `json:"newAccount,omitempty"`
	// Mkdir is "allowed" or "denied: <message>" for a folder under the account's base path on the
	// mounted local storage: the write right in effect.
	Mkdir string `json:"mkdir,omitempty"`
	// List is what the account sees at / (its base path), or "denied: <message>".
	List *[]string `json:"list,omitempty"`
	// Sent is what the app's OAuth client sent the provider during this login (its request log).
	Sent *clientRequests `json:"sent,omitempty"`
}

// answer logs user in through the app and reads what it did; with op and client set it also
// records what the app's client sent the provider.
func (in *instance) answer(t *testing.T, user string, op *logintest.NodeProvider, client string) appAnswer {
	t.Helper()
	ctx := context.Background()
	before := in.userList(t)
	var logStart int
	if op != nil {
		logStart = len(requestLog(t, op, client))
	}
	r := in.ssoWalk(t, "sso_get_token", user)
	var sent *clientRequests
	if op != nil {
		sent = summarize(requestLog(t, op, client)[logStart:])
	}
	if r.token == "" {
		return appAnswer{Login: "refused", Message: r.refusal, Sent: sent}
	}
	u := in.admin.WithToken(r.token)
	me, err := u.Me(ctx)
	if err != nil {
		t.Fatalf("/api/me with the SSO token: %v", err)
	}
	isNew := true
	for _, b := range before {
		if b.ID == me.ID {
			isNew = false
		}
	}
	// The admin list holds what is stored, /api/me what the token's session sees; both must agree.
	for _, a := range in.userList(t) {
		if a.ID == me.ID && (a.Username != me.Username || a.SSOID != me.SSOID || a.BasePath != me.BasePath) {
			t.Errorf("the admin user list and /api/me differ: %+v vs %+v", a, me)
		}
	}
	perm := me.Permission
	ans := appAnswer{Login: "accepted", Username: me.Username, SSOID: me.SSOID, BasePath: me.BasePath,
		Permission: &perm, Role: me.Role, RoleNames: me.RoleNames, NewAccount: &isNew, Sent: sent}
	switch err := u.Mkdir(ctx, "/e2e-mkdir"); {
	case err == nil:
		ans.Mkdir = "allowed"
		if _, err := os.Stat(filepath.Join(in.files, me.BasePath, "e2e-mkdir")); err != nil {
			t.Errorf("mkdir was allowed, but the folder is not on the storage: %v", err)
		}
		names, err := u.List(ctx, "/")
		if err != nil || !slices.Contains(names, "e2e-mkdir") {
			t.Errorf("mkdir was allowed, but listing / shows %q (%v)", names, err)
		}
		ans.List = &names
	default:
		var ae *app.APIError
		if !errors.As(err, &ae) {
			t.Fatalf("mkdir: %v", err)
		}
		ans.Mkdir = "denied: " + ae.Message
		if names, err := u.List(ctx, "/"); err == nil {
			ans.List = &names
		} else if errors.As(err, &ae) {
			ans.List = &[]string{"denied: " + ae.Message}
		} else {
			t.Fatalf("list /: %v", err)
		}
	}
	return ans
}

// logEntry is one request in the test provider's log (GET /_log, testdata/oidcprovider/server.mjs).
type logEntry struct {
	Endpoint string            `json:"endpoint"`
	Auth     string            `json:"auth"`
	Params   map[string]string `json:"params"`
	Error    string            `json:"error"`
}

func requestLog(t *testing.T, op *logintest.NodeProvider, client string) []logEntry {
	t.Helper()
	resp, err := http.Get(op.Issuer + "/_log?client_id=" + url.QueryEscape(client))
	if err != nil {
		t.Fatalf("provider request log: %v", err)
	}
	defer resp.Body.Close()
	var log []logEntry
	if err := json.NewDecoder(resp.Body).Decode(&log); err != nil {
		t.Fatalf("provider request log: %v", err)
	}
	return log
}

// clientRequests is what a client sent during one login: whether its authorization request
// carried PKCE, the scope it asked for, and each token request's client authentication with the
// provider's error, if any.
type clientRequests struct {
	PKCE  bool   `json:"pkce"`
	Scope string `json:"scope,omitempty"`
	// AuthorizeError is the provider's refusal of the authorization request; the token requests
	// that follow one (AList exchanges the empty code anyway) are not compared.
	AuthorizeError string   `json:"authorizeError,omitempty"`
	Token          []string `json:"token,omitempty"`
}

func summarize(entries []logEntry) *clientRequests {
	c := &clientRequests{}
	for _, e := range entries {
		switch e.Endpoint {
		case "authorization":
			if e.Params["code_challenge"] != "" {
				c.PKCE = true
			}
			c.Scope = e.Params["scope"]
			c.AuthorizeError = e.Error
		case "token":
			s := e.Auth
			if e.Error != "" {
				s += ": " + e.Error
			}
			c.Token = append(c.Token, s)
		}
	}
	return c
}
