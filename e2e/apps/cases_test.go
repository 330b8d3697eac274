package apps

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ssoctl/ssoctl/pkg/app"
)

// ssoCase is one login through the real app and ssoctl's prediction of it.
type ssoCase struct {
	name string
	// user logs in at the provider (its login_hint).
	user string
	// conform keeps profile claims out of the ID token (in userinfo only).
	conform bool
	// client is the test client (basicClient when empty).
	client string
	// from is mapping.username.from ("" leaves it unset), rules are mapping.rules.
	from  string
	rules map[string]string
	// scopes are the provider's scopes (openid profile email when nil).
	scopes []string
	// register is registration.enabled (true unless noRegister).
	noRegister bool
	defaultDir string
	permission []string
	roles      []string
	// appRoles passes the app's own role list (GET /api/admin/role/list, as the app answered it) to
	// map eval --roles, so that a role the admin created has known rights (AList only).
	appRoles bool
	compat   bool
	// appVersion is app.version ("" leaves it unset: the newest modelled).
	appVersion string
	// casdoor logs in through the app's Casdoor platform (sso_login_platform Casdoor, a plain
	// OAuth 2.0 login of the app's own) instead of its OIDC one, at casdoorPaths in front of the
	// provider.
	casdoor bool
	// prepare changes the app before its SSO settings are stored, setup after them; both run
	// before the prediction.
	prepare, setup func(t *testing.T, in *instance)
}

// ssoCases are the cases of issue 12, item 1, run against each app.
var ssoCases = []ssoCase{
	{name: "key-name-field", user: "alice", from: "name"},
	{name: "key-name-claim", user: "alice", from: "name", rules: map[string]string{"name": "$.name"}},
	{name: "key-preferred-username", user: "alice", from: "preferred_username"},
	{name: "key-email", user: "alice", from: "email"},
	{name: "key-sub", user: frankSub, from: "sub"},
	{name: "key-custom-claim", user: frankSub, from: "department", scopes: []string{"openid", "profile", "groups"}},
	{name: "key-jsonpath", user: "alice", from: "$.preferred_username"},
	{name: "missing-claim", user: "erin", from: "department", scopes: []string{"openid", "profile", "groups"}},
	{name: "no-email-scope", user: "alice", from: "email", scopes: []string{"openid", "profile"}},
	{name: "claims-in-userinfo-only", user: "alice", from: "preferred_username", conform: true},
	{name: "conflict-local-user", user: "alice", from: "preferred_username", setup: localUser("alice")},
	{name: "returning-user", user: "alice", from: "preferred_username", setup: earlierLogin("alice")},
	{name: "bound-register-off", user: "bob", from: "preferred_username", noRegister: true, setup: boundAccount("builder", "bob")},
	{name: "register-off-unbound", user: "bob", from: "preferred_username", noRegister: true},
	{name: "default-dir-slash", user: "alice", from: "preferred_username", defaultDir: "/data/", permission: []string{"write"}},
	{name: "default-dir-no-slash", user: "alice", from: "preferred_username", defaultDir: "/data", permission: []string{"write"}},
	{name: "rights-permission-bits", user: "alice", from: "preferred_username", permission: []string{"write", "rename"}},
	{name: "rights-role-builtin", user: "alice", from: "preferred_username", roles: []string{"admin"}},
	// A role made in the app: the config names it by id, as export's hint says (the next id on a
	// fresh AList is 3; editorRole checks it).
	{name: "rights-role-custom", user: "alice", from: "preferred_username", roles: []string{"3"}, appRoles: true, prepare: editorRole},
	{name: "pkce-required", user: "alice", from: "preferred_username", client: pkceClient},
	{name: "client-secret-post", user: "alice", from: "preferred_username", client: postClient},
	{name: "id-token-es256", user: "alice", from: "preferred_username", client: es256Client},
	{name: "id-token-hs256", user: "alice", from: "preferred_username", client: hs256Client},
	{name: "compatibility-mode", user: "alice", from: "preferred_username", compat: true},
	// The Casdoor platform: scope profile without openid, state = the endpoint, the secret in the
	// form body, then <endpoint>/api/userinfo, which this provider serves only to tokens with the
	// openid scope: the app answers "error occurred", and test-login, rehearsing the same requests,
	// must say so.
	{name: "casdoor-platform", user: "alice", client: postClient, casdoor: true},
}

func TestAList(t *testing.T)    { runCases(t, "alist") }
func TestOpenList(t *testing.T) { runCases(t, "openlist") }

func runCases(t *testing.T, kind string) {
	requireApp(t, kind)
	for _, c := range ssoCases {
		t.Run(c.name, func(t *testing.T) { runCase(t, kind, c) })
	}
}

func runCase(t *testing.T, kind string, c ssoCase) {
	pkind := claimsProvider
	if c.conform {
		pkind = conformProvider
	}
	op := provider(t, pkind)
	in := startApp(t, kind)
	client := c.client
	if client == "" {
		client = basicClient
	}
	issuer := op.Issuer
	if c.casdoor {
		issuer = casdoorPaths(t, op.Issuer)
	}
	w := newWorkdir(t, c.config(kind, in.base, issuer, client))
	secretEnv := []string{"IDP_SECRET=" + clientSecrets[client]}

	// The app's SSO settings are what `ssoctl export` writes.
	ex := w.ssoctl(t, secretEnv, "export", "idp", "--target", kind, "-o", "json", "--reveal")
	if ex.code != 0 {
		t.Fatalf("ssoctl export --target %s exited %d: %s", kind, ex.code, ex.stderr)
	}
	var settings map[string]string
	if err := json.Unmarshal([]byte(ex.stdout), &settings); err != nil {
		t.Fatalf("export -o json: %v\n%s", err, ex.stdout)
	}
	if c.prepare != nil {
		c.prepare(t, in)
	}
	saveErr := in.saveSettings(t, settings)
	var ae *app.APIError
	if saveErr != nil && !errors.As(saveErr, &ae) {
		t.Fatalf("save SSO settings: %v", saveErr)
	}
	if saveErr == nil && c.setup != nil {
		c.setup(t, in)
	}

	existing, err := json.MarshalIndent(in.userList(t), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	w.env = append(w.env, secretEnv...)
	var roles []byte
	if c.appRoles && in.kind == "alist" {
		roles = in.roleListJSON(t)
	}
	pred := predict(t, w, c.user, existing, roles, op, client)
	var got appAnswer
	if saveErr != nil {
		// The app refused what export wrote: nobody logs in with these settings.
		got = appAnswer{Login: "settings refused", Message: ae.Message}
	} else {
		got = in.answer(t, c.user, op, client)
	}

	dir := filepath.Join("testdata", kind)
	golden := filepath.Join(dir, c.name+".app.json")
	predFile := filepath.Join(dir, c.name+".prediction.json")
	gotJSON := marshal(t, got)
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, golden, gotJSON)
		writeFile(t, predFile, marshal(t, pred))
	} else {
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("no golden app answer (%v); run go test ./e2e/apps -update", err)
		} else if !bytes.Equal(want, gotJSON) {
			t.Errorf("%s answered differently from its golden %s:\n%s\nwant:\n%s", kind, golden, gotJSON, want)
		}
	}
	if d := differences(got, pred); len(d) > 0 {
		t.Errorf("ssoctl's prediction differs from what %s did:\n  %s", kind, strings.Join(d, "\n  "))
		t.Logf("ssoctl's output:\n%s", pred.log)
	}
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func writeFile(t *testing.T, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// config is the case's ssoctl.yaml.
func (c ssoCase) config(kind, base, issuer, client string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "version: 1\napp:\n  kind: %s\n  url: %s\n", kind, base)
	if c.appVersion != "" {
		fmt.Fprintf(&b, "  version: %q\n", c.appVersion)
	}
	typ := "oidc"
	if c.casdoor {
		typ = "casdoor"
	}
	fmt.Fprintf(&b, "providers:\n  - name: idp\n    type: %s\n", typ)
	fmt.Fprintf(&b, "    issuer: %s\n    client_id: %s\n    client_secret: env:IDP_SECRET\n", issuer, client)
	scopes := c.scopes
	if scopes == nil {
		scopes = []string{"openid", "profile", "email"}
	}
	fmt.Fprintf(&b, "    scopes: [%s]\n", strings.Join(scopes, ", "))
	if c.from != "" || len(c.rules) > 0 {
		b.WriteString("    mapping:\n")
	}
	if len(c.rules) > 0 {
		b.WriteString("      rules:\n")
		for _, k := range slices.Sorted(maps.Keys(c.rules)) {
			fmt.Fprintf(&b, "        %s: %q\n", k, c.rules[k])
		}
	}
	if c.from != "" {
		fmt.Fprintf(&b, "      username:\n        from: %q\n", c.from)
	}
	if len(c.roles) > 0 {
		fmt.Fprintf(&b, "    roles: [%s]\n", strings.Join(c.roles, ", "))
	}
	fmt.Fprintf(&b, "    registration:\n      enabled: %t\n", !c.noRegister)
	if c.defaultDir != "" {
		fmt.Fprintf(&b, "      default_dir: %q\n", c.defaultDir)
	}
	if len(c.permission) > 0 {
		fmt.Fprintf(&b, "      default_permission: [%s]\n", strings.Join(c.permission, ", "))
	}
	if c.compat {
		b.WriteString("    compat_mode: true\n")
	}
	return b.String()
}

// localRole is the role of a local account: OpenList's general role 0; on AList a role "member"
// without rights, created on first use, because a fresh AList has only guest and admin, and its
// admin API refuses to create a guest or an admin (server/handles/user.go CreateUser).
func (in *instance) localRole(t *testing.T) json.RawMessage {
	t.Helper()
	if in.kind == "openlist" {
		return json.RawMessage(`0`)
	}
	ctx := context.Background()
	find := func() (int, bool) {
		roles, err := in.admin.Roles(ctx)
		if err != nil {
			t.Fatalf("list roles: %v", err)
		}
		for _, r := range roles {
			if r.Name == "member" {
				return r.ID, true
			}
		}
		return 0, false
	}
	id, ok := find()
	if !ok {
		if err := in.admin.CreateRole(ctx, app.Role{Name: "member"}); err != nil {
			t.Fatalf("create role member: %v", err)
		}
		if id, ok = find(); !ok {
			t.Fatal("role member was created but is not listed")
		}
	}
	return json.RawMessage(fmt.Sprintf("[%d]", id))
}

// localUser creates a local account of that name before the login.
func localUser(name string) func(t *testing.T, in *instance) {
	return func(t *testing.T, in *instance) {
		if err := in.admin.CreateUser(context.Background(), name, "Local-Passw0rd-1", in.localRole(t)); err != nil {
			t.Fatalf("create local user %s: %v", name, err)
		}
	}
}

// earlierLogin logs the user in through the app once before the case's login.
func earlierLogin(user string) func(t *testing.T, in *instance) {
	return func(t *testing.T, in *instance) {
		if a := in.answer(t, user, nil, ""); a.Login != "accepted" {
			t.Fatalf("the first login of %s was refused: %s", user, a.Message)
		}
	}
}

// boundAccount creates local account name and binds the SSO account of user to it the way AList's
// web UI does: the bind walk (?method=get_sso_id) returns the SSO id, and the account stores it
// through /api/me/update.
func boundAccount(name, user string) func(t *testing.T, in *instance) {
	return func(t *testing.T, in *instance) {
		ctx := context.Background()
		const pw = "Local-Passw0rd-1"
		if err := in.admin.CreateUser(ctx, name, pw, in.localRole(t)); err != nil {
			t.Fatalf("create local user %s: %v", name, err)
		}
		r := in.ssoWalk(t, "get_sso_id", user)
		if r.ssoID == "" {
			t.Fatalf("the bind walk for %s returned no SSO id: %s", user, r.refusal)
		}
		local, err := app.Login(ctx, in.base, name, pw)
		if err != nil {
			t.Fatalf("log in as %s: %v", name, err)
		}
		if err := local.UpdateMe(ctx, name, "", r.ssoID); err != nil {
			t.Fatalf("bind SSO id %q to %s: %v", r.ssoID, name, err)
		}
	}
}

// roleListJSON is the app's answer to GET /api/admin/role/list, byte for byte, as an admin saves it
// for map eval --roles (server/handles/role.go ListRoles, AList v3.63.0).
func (in *instance) roleListJSON(t *testing.T) []byte {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet,
		in.base+"/api/admin/role/list?page=1&per_page=100", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", in.admin.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("role list: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("role list: HTTP %d, %v: %s", resp.StatusCode, err, body)
	}
	return body
}

// editorRole gives AList a role "editor", id 3, that may write everywhere (permission bits: write,
// rename), for the config's roles: [3]. OpenList v4.2.5 has no roles to create.
func editorRole(t *testing.T, in *instance) {
	if in.kind != "alist" {
		return
	}
	ctx := context.Background()
	if err := in.admin.CreateRole(ctx, app.Role{Name: "editor",
		Scopes: []app.Scope{{Path: "/", Permission: 8 | 16}}}); err != nil {
		t.Fatalf("create role editor: %v", err)
	}
	roles, err := in.admin.Roles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range roles {
		if r.Name == "editor" && r.ID != 3 {
			t.Fatalf("role editor got id %d; the case's config says roles: [3]", r.ID)
		}
	}
}

// casdoorPaths serves the provider at issuer under Casdoor's paths, the ones AList's Casdoor
// platform builds from sso_endpoint_name (server/handles/ssologin.go, AList v3.63.0):
// /login/oauth/authorize, /api/login/oauth/access_token and /api/userinfo are the provider's
// /auth, /token and /me; everything else (its interaction pages) passes as it is. It returns the
// URL to configure as the Casdoor endpoint.
func casdoorPaths(t *testing.T, issuer string) string {
	t.Helper()
	target, err := url.Parse(issuer)
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{"/login/oauth/authorize": "/auth", "/api/login/oauth/access_token": "/token", "/api/userinfo": "/me"}
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target)
		if p, ok := paths[r.In.URL.Path]; ok {
			r.Out.URL.Path = p
		}
	}}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	return srv.URL
}
