package apps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// adminPassword is the local admin's password in every fresh data dir.
const adminPassword = "Admin-Passw0rd-1"

// appStartTimeout bounds one app's start; it answers /ping after about 0.6 s on an idle machine,
// but CI builds and tests on two loaded cores.
const appStartTimeout = 2 * time.Minute

// instance is one running app with a fresh data dir on 127.0.0.1.
type instance struct {
	kind  string // "alist" or "openlist"
	base  string // http://127.0.0.1:PORT
	data  string
	files string // the local storage mounted at /
	admin *app.AdminClient
	log   string
}

// envPrefix is the app's environment prefix (ALIST_ / OPENLIST_, ../shared/apps/README.md).
func envPrefix(kind string) string { return strings.ToUpper(kind) + "_" }

// startApp runs the app on a free loopback port with a fresh data dir, signs the admin in and
// mounts a local folder at / with a subfolder data/ (for default_dir cases).
func startApp(t *testing.T, kind string) *instance {
	t.Helper()
	bin := requireApp(t, kind)
	data := t.TempDir()
	port := freePort(t)
	in := &instance{kind: kind, base: "http://127.0.0.1:" + strconv.Itoa(port), data: data,
		files: filepath.Join(data, "files"), log: filepath.Join(data, "server.log")}
	env := append(os.Environ(),
		envPrefix(kind)+"ADDR=127.0.0.1",
		envPrefix(kind)+"HTTP_PORT="+strconv.Itoa(port),
		envPrefix(kind)+"SITE_URL="+in.base)
	// admin set writes the fresh install; with HTTP_PORT set its cache flush can reach no other
	// instance (README, caveats).
	set := exec.Command(bin, "admin", "set", adminPassword, "--data", data)
	set.Env = env
	if out, err := set.CombinedOutput(); err != nil {
		t.Fatalf("%s admin set: %v\n%s", kind, err, out)
	}
	logf, err := os.Create(in.log)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"server", "--data", data}
	if kind == "openlist" {
		args = append(args, "--log-std")
	}
	srv := exec.Command(bin, args...)
	srv.Env = env
	srv.Stdout, srv.Stderr = logf, logf
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = srv.Wait(); close(exited); logf.Close() }()
	t.Cleanup(func() {
		_ = srv.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = srv.Process.Kill()
			<-exited
		}
	})
	if err := waitPing(in.base, exited); err != nil {
		b, _ := os.ReadFile(in.log)
		t.Fatalf("%s did not start: %v\n%s", kind, err, tail(string(b), 3000))
	}
	ctx := context.Background()
	in.admin, err = app.Login(ctx, in.base, "admin", adminPassword)
	if err != nil {
		t.Fatalf("%s admin login: %v", kind, err)
	}
	if err := os.MkdirAll(filepath.Join(in.files, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := in.admin.AddLocalStorage(ctx, "/", in.files); err != nil {
		t.Fatalf("%s: mount the local storage: %v", kind, err)
	}
	return in
}

// waitPing waits until /ping answers, the process exits, or appStartTimeout passes. The app gives
// no other sign that it listens; each failed attempt waits for a refused connection, not a timer.
func waitPing(base string, exited <-chan struct{}) error {
	deadline := time.After(appStartTimeout)
	client := &http.Client{Timeout: 5 * time.Second}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := client.Get(base + "/ping")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-exited:
			return errors.New("the server exited")
		case <-deadline:
			return fmt.Errorf("no answer on %s/ping within %s", base, appStartTimeout)
		case <-tick.C:
		}
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// applySettings stores export's key/values: SSO keys through the SSO group's whole items, others
// (default_role) through their own item. The app refusing the values fails the test.
func (in *instance) applySettings(t *testing.T, values map[string]string) {
	t.Helper()
	if err := in.saveSettings(t, values); err != nil {
		t.Fatalf("save SSO settings: %v", err)
	}
}

// saveSettings is applySettings that returns the app's refusal.
func (in *instance) saveSettings(t *testing.T, values map[string]string) error {
	t.Helper()
	ctx := context.Background()
	items, err := in.admin.Settings(ctx, app.SSOGroup)
	if err != nil {
		t.Fatalf("list SSO settings: %v", err)
	}
	seen := map[string]bool{}
	var save []app.Setting
	for _, it := range items {
		if v, ok := values[it.Key]; ok {
			it.Value = v
			save = append(save, it)
			seen[it.Key] = true
		}
	}
	for k, v := range values {
		if seen[k] {
			continue
		}
		it, err := in.admin.Setting(ctx, k)
		if err != nil {
			t.Fatalf("export wrote %s=%q, which %s does not have: %v", k, v, in.kind, err)
		}
		it.Value = v
		save = append(save, it)
	}
	return in.admin.SaveSettings(ctx, save)
}

// userList is the admin user list as the app returns it (the --existing input of map eval).
func (in *instance) userList(t *testing.T) []app.User {
	t.Helper()
	users, err := in.admin.Users(context.Background())
	if err != nil {
		t.Fatalf("admin user list: %v", err)
	}
	return users
}

// The test provider, shared by the test binary: claimsProvider puts profile, email and groups
// claims into the ID token (CONFORM_ID_TOKEN_CLAIMS=false: AList reads only the ID token);
// conformProvider keeps them in userinfo, as the OIDC spec's default says.
var (
	providersMu                     sync.Mutex
	providers                       = map[string]*logintest.NodeProvider{}
	providerErrs                    = map[string]error{}
	claimsProvider, conformProvider = "claims", "conform"
)

// Test clients registered for the apps' callbacks. AList's OAuth client sends no PKCE
// (server/handles/ssologin.go GetOIDCClient: a plain oauth2.Config), so every client but
// pkceClient may skip it; pkceClient shows a provider that requires it.
const (
	basicClient = "app-basic"
	postClient  = "app-post"
	es256Client = "app-es256"
	hs256Client = "app-hs256"
	pkceClient  = "app-pkce"
)

// clientSecrets are the test clients' secrets (HS256 keys are the secret: at least 32 bytes).
var clientSecrets = map[string]string{
	basicClient: "app-basic-secret",
	postClient:  "app-post-secret",
	es256Client: "app-es256-secret",
	hs256Client: "app-hs256-secret-that-is-at-least-32-bytes-long",
	pkceClient:  "app-pkce-secret",
}

// frankSub is the subject of frank, an extra user whose sub differs from his preferred_username.
const frankSub = "u-frank-01"

// extraUsers are users besides the provider's fixed table: frank has a custom claim of his own and
// a sub that is not his username.
const extraUsers = `{"` + frankSub + `": {"name": "Frank Custom", "preferred_username": "frank", "email": "frank@example.com", "email_verified": true, "department": "Research"}}`

func extraClients() string {
	// Native clients: a loopback redirect URI matches on any port (RFC 8252 §7.3). Both AList
	// callback forms and ssoctl's own test-login callback.
	uris := []string{
		"http://127.0.0.1/api/auth/sso_callback?method=sso_get_token",
		"http://127.0.0.1/api/auth/sso_callback?method=get_sso_id",
		"http://127.0.0.1/api/auth/sso_get_token",
		"http://127.0.0.1/api/auth/get_sso_id",
		"http://127.0.0.1/callback",
	}
	var cs []map[string]any
	for _, id := range []string{basicClient, postClient, es256Client, hs256Client, pkceClient} {
		c := map[string]any{
			"client_id": id, "client_secret": clientSecrets[id], "application_type": "native",
			"token_endpoint_auth_method": "client_secret_basic", "redirect_uris": uris,
			"grant_types": []string{"authorization_code"}, "response_types": []string{"code"},
		}
		switch id {
		case postClient:
			c["token_endpoint_auth_method"] = "client_secret_post"
		case es256Client:
			c["id_token_signed_response_alg"] = "ES256"
		case hs256Client:
			c["id_token_signed_response_alg"] = "HS256"
		}
		cs = append(cs, c)
	}
	b, _ := json.Marshal(cs)
	return string(b)
}

// provider returns the shared provider of that kind, starting it on first use.
func provider(t *testing.T, kind string) *logintest.NodeProvider {
	t.Helper()
	providersMu.Lock()
	defer providersMu.Unlock()
	if p := providers[kind]; p != nil {
		return p
	}
	if err := providerErrs[kind]; err != nil {
		logintest.Require(t, err)
	}
	env := []string{
		"EXTRA_CLIENTS=" + extraClients(),
		"EXTRA_USERS=" + extraUsers,
		"PKCE_OPTIONAL_CLIENTS=" + strings.Join([]string{basicClient, postClient, es256Client, hs256Client}, ","),
	}
	if kind == claimsProvider {
		env = append(env, "CONFORM_ID_TOKEN_CLAIMS=false")
	}
	p, err := logintest.StartNode(env...)
	if err != nil {
		providerErrs[kind] = err
		logintest.Require(t, err)
	}
	providers[kind] = p
	return p
}

func stopProviders() {
	providersMu.Lock()
	defer providersMu.Unlock()
	for _, p := range providers {
		p.Stop()
	}
}
