package logintest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// HydraVersion is the ORY Hydra release scripts/build-hydra.sh builds.
const HydraVersion = "v2.3.0"

// HydraBinEnv names the Hydra binary to run instead of build-hydra.sh's cached one.
const HydraBinEnv = "SSOCTL_HYDRA"

// hydraStartTimeout bounds Hydra's start (migrations of its in-memory SQLite and its first RSA
// keys). It is a cap against a hang on a loaded CI machine, not a speed test.
const hydraStartTimeout = 3 * time.Minute

// Clients every StartHydra creates through Hydra's admin API, each with the loopback redirect
// http://127.0.0.1/callback (fosite v0.49.0 authorize_helper.go isMatchingAsLoopback: any port
// matches, RFC 8252 §7.3) and the scopes openid profile email groups offline_access.
const (
	// HydraBasicClientID authenticates with client_secret_basic only.
	HydraBasicClientID = "basic-client"
	// HydraPostClientID authenticates with client_secret_post only.
	HydraPostClientID = "post-client"
	// HydraPublicClientID is public (token_endpoint_auth_method none): it proves nothing but PKCE.
	HydraPublicClientID = "public-client"
	// HydraClientSecret is the secret of both confidential clients.
	HydraClientSecret = "hydra-test-secret-0123456789"
)

// HydraUsers are the accounts the login/consent app logs in (by login_hint) and the claims it puts
// into Hydra's ID token and userinfo (session.id_token), released by scope: profile gives name and
// preferred_username, email gives email and email_verified, groups gives groups. The same people
// as testdata/oidcprovider's alice and bob.
var HydraUsers = map[string]map[string]any{
	"alice": {"name": "Alice Liddell", "preferred_username": "alice", "email": "alice@example.com",
		"email_verified": true, "groups": []string{"/inventree/admins", "staff"}},
	"bob": {"name": "Bob Builder", "preferred_username": "bob", "email": "bob@example.org",
		"email_verified": false, "groups": []string{"users"}},
}

// hydraScopeClaims says which claims each scope releases.
var hydraScopeClaims = map[string][]string{
	"profile": {"name", "preferred_username"},
	"email":   {"email", "email_verified"},
	"groups":  {"groups"},
}

// ErrHydraUnavailable says the Hydra binary is not built here.
var ErrHydraUnavailable = errors.New("ORY Hydra " + HydraVersion + " is not built")

// HydraOptions change one Hydra instance's configuration.
type HydraOptions struct {
	// PKCEEnforced sets oauth2.pkce.enforced: every client must send a code_challenge (Hydra
	// v2.3.0 spec/config.json "oauth2.pkce"; it is a server setting, not a client's).
	PKCEEnforced bool
}

// Hydra is a running `hydra serve all --dev` with its login/consent app; Stop ends both.
type Hydra struct {
	*Process
	// Issuer is the issuer Hydra was configured with (URLS_SELF_ISSUER): PublicURL + "/".
	Issuer string
	// PublicURL and AdminURL are http://127.0.0.1:PORT of its two listeners.
	PublicURL, AdminURL string
	loginApp            *httptest.Server
	admin               *http.Client

	mu   sync.Mutex
	seen []string // login_hint of every login request, for the tests
}

// HydraBinary returns the Hydra binary: $SSOCTL_HYDRA, else the one scripts/build-hydra.sh caches.
// Errors wrap ErrHydraUnavailable with the command that builds it.
func HydraBinary() (string, error) {
	if p := os.Getenv(HydraBinEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%w: %s=%s does not exist", ErrHydraUnavailable, HydraBinEnv, p)
		}
		return p, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrHydraUnavailable, err)
	}
	p := filepath.Join(cache, "ssoctl-hydra", HydraVersion, "hydra")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%w: build it with scripts/build-hydra.sh (or set %s)", ErrHydraUnavailable, HydraBinEnv)
	}
	return p, nil
}

// RequireHydra turns a StartHydra or HydraBinary failure into the test's outcome: under CI=true a
// missing Hydra fails; elsewhere the test skips with the command that builds it.
func RequireHydra(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if errors.Is(err, ErrHydraUnavailable) && os.Getenv("CI") != "true" {
		t.Skipf("skipping tests against the real ORY Hydra: %v", err)
	}
	t.Fatalf("%v", err)
}

// StartHydra starts `hydra serve all --dev` with DSN=memory on free 127.0.0.1 ports, with a
// login/consent app inside the test process, waits until both listeners answer /health/ready, and
// creates the HydraBasicClientID, HydraPostClientID and HydraPublicClientID clients.
func StartHydra(opts HydraOptions) (*Hydra, error) {
	bin, err := HydraBinary()
	if err != nil {
		return nil, err
	}
	h := &Hydra{admin: &http.Client{}}
	h.loginApp = httptest.NewServer(http.HandlerFunc(h.serveLoginApp))
	// Two free ports can be taken by another program between the check and Hydra's listen; a
	// start that fails for that reason is tried again with new ports.
	for attempt := 1; ; attempt++ {
		err = h.start(bin, opts)
		if err == nil || attempt == 3 || !strings.Contains(err.Error(), "address already in use") {
			break
		}
	}
	if err != nil {
		h.loginApp.Close()
		return nil, fmt.Errorf("ORY Hydra: %w", err)
	}
	if err := h.makeKeys(); err != nil {
		h.Stop()
		return nil, fmt.Errorf("ORY Hydra's signing keys: %w", err)
	}
	for _, c := range []map[string]any{
		{"client_id": HydraBasicClientID, "client_secret": HydraClientSecret, "token_endpoint_auth_method": "client_secret_basic"},
		{"client_id": HydraPostClientID, "client_secret": HydraClientSecret, "token_endpoint_auth_method": "client_secret_post"},
		{"client_id": HydraPublicClientID, "token_endpoint_auth_method": "none"},
	} {
		if err := h.CreateClient(context.Background(), c); err != nil {
			h.Stop()
			return nil, err
		}
	}
	return h, nil
}

func (h *Hydra) start(bin string, opts HydraOptions) error {
	public, err := freePort()
	if err != nil {
		return err
	}
	admin, err := freePort()
	if err != nil {
		return err
	}
	h.PublicURL = "http://127.0.0.1:" + public
	h.AdminURL = "http://127.0.0.1:" + admin
	// The form Hydra itself falls back to when URLS_SELF_ISSUER is unset: the public URL with a
	// trailing slash (Hydra v2.3.0 driver/config/provider.go IssuerURL).
	h.Issuer = h.PublicURL + "/"
	cmd := exec.Command(bin, "serve", "all", "--dev", "--sqa-opt-out")
	cmd.Env = append(os.Environ(),
		"DSN=memory",
		"SQA_OPT_OUT=true", // no usage statistics sent anywhere
		"LOG_LEVEL=info",
		"SERVE_PUBLIC_HOST=127.0.0.1", "SERVE_PUBLIC_PORT="+public,
		"SERVE_ADMIN_HOST=127.0.0.1", "SERVE_ADMIN_PORT="+admin,
		"URLS_SELF_ISSUER="+h.Issuer,
		"URLS_SELF_PUBLIC="+h.PublicURL+"/",
		"URLS_LOGIN="+h.loginApp.URL+"/login",
		"URLS_CONSENT="+h.loginApp.URL+"/consent",
		"URLS_ERROR="+h.loginApp.URL+"/error",
		"SECRETS_SYSTEM=ssoctl-hydra-test-system-secret-0123456789",
		"OAUTH2_PKCE_ENFORCED="+strconv.FormatBool(opts.PKCEEnforced),
	)
	// Hydra prints no ready line: it is ready when both listeners answer /health/ready. Each line it
	// logs (it logs as it sets each listener up) makes the check run again; a slow backoff covers
	// the moment between its last line and its listen.
	logged := make(chan struct{}, 1)
	p := &Process{cmd: cmd, stderr: &lockedBuffer{}, exited: make(chan struct{})}
	cmd.Stdout = io.Discard
	cmd.Stderr = notifyWriter{p.stderr, logged}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait(); close(p.exited) }()
	deadline := time.NewTimer(hydraStartTimeout)
	defer deadline.Stop()
	backoff := 10 * time.Millisecond
	for {
		if h.ready() {
			h.Process = p
			return nil
		}
		retry := time.NewTimer(backoff)
		backoff = min(2*backoff, time.Second)
		select {
		case <-logged:
		case <-retry.C:
		case <-p.exited:
			retry.Stop()
			return fmt.Errorf("it exited before it was ready: %s", tail(p.stderr.String(), 4000))
		case <-deadline.C:
			retry.Stop()
			p.Stop()
			return fmt.Errorf("it did not answer /health/ready within %s: %s", hydraStartTimeout, tail(p.stderr.String(), 4000))
		}
		retry.Stop()
	}
}

// makeKeys has Hydra make its signing keys, which it does on the first request that needs them:
// two RSA keys, which took over 10 s on a loaded two-core machine, longer than Hydra's own write
// timeout (ory/graceful v0.1.3 http_defaults.go DefaultWriteTimeout), so that request is cut
// with no answer while Hydra goes on making and storing them. It asks again until the keys are
// served, each try bounded by Hydra's timeout, the whole by hydraStartTimeout.
func (h *Hydra) makeKeys() error {
	deadline := time.Now().Add(hydraStartTimeout)
	for {
		_, err := h.get(context.Background(), h.PublicURL+"/.well-known/jwks.json")
		if err == nil {
			return nil
		}
		select {
		case <-h.exited:
			return fmt.Errorf("%v; Hydra exited: %s", err, tail(h.Stderr(), 4000))
		default:
		}
		if time.Now().After(deadline) {
			return err
		}
	}
}

// ready is whether both of Hydra's listeners answer /health/ready with 200.
func (h *Hydra) ready() bool {
	for _, u := range []string{h.PublicURL + "/health/ready", h.AdminURL + "/health/ready"} {
		resp, err := h.admin.Get(u)
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return false
		}
	}
	return true
}

// Stop ends Hydra and its login/consent app.
func (h *Hydra) Stop() {
	if h == nil {
		return
	}
	h.Process.Stop()
	h.loginApp.Close()
}

// LoginHints are the login_hint values of the login requests Hydra sent to the login app, in order
// (what reached Hydra's login page).
func (h *Hydra) LoginHints() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.seen)
}

// CreateClient registers an OAuth 2.0 client through Hydra's admin API (POST /admin/clients).
// Fields left out get the defaults of this harness: the loopback redirect URI, the code and
// refresh grants, response type code and the scopes openid profile email groups offline_access.
func (h *Hydra) CreateClient(ctx context.Context, client map[string]any) error {
	c := map[string]any{
		"redirect_uris":  []string{"http://127.0.0.1/callback", "http://localhost/callback"},
		"grant_types":    []string{"authorization_code", "refresh_token"},
		"response_types": []string{"code"},
		"scope":          "openid profile email groups offline_access",
	}
	for k, v := range client {
		c[k] = v
	}
	var out map[string]any
	if err := h.call(ctx, http.MethodPost, "/admin/clients", c, http.StatusCreated, &out); err != nil {
		return fmt.Errorf("creating Hydra client %v: %w", client["client_id"], err)
	}
	return nil
}

// Discovery returns Hydra's /.well-known/openid-configuration as served.
func (h *Hydra) Discovery(ctx context.Context) ([]byte, error) {
	return h.get(ctx, h.PublicURL+"/.well-known/openid-configuration")
}

// get returns the body of a GET that answers 200.
func (h *Hydra) get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := h.admin.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s answered %s: %s", u, resp.Status, b)
	}
	return b, err
}

// call sends a JSON request to Hydra's admin API and decodes the answer into out, or returns an
// error with the answer when the status is not want.
func (h *Hydra) call(ctx context.Context, method, path string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, h.AdminURL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.admin.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s answered %s: %s", method, path, resp.Status, b)
	}
	return json.Unmarshal(b, out)
}

// serveLoginApp is the login and consent app Hydra redirects the browser to (URLS_LOGIN,
// URLS_CONSENT): it accepts each challenge through the admin API (Hydra v2.3.0 consent/handler.go,
// /admin/oauth2/auth/requests/{login,consent}/{accept,reject}) and sends the browser on.
// A login_hint of a known user logs that user in; "deny" refuses with access_denied; anything else
// gets a page saying no user was chosen (the scripted browser posts no forms).
func (h *Hydra) serveLoginApp(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var redirect struct {
		RedirectTo string `json:"redirect_to"`
	}
	var err error
	switch r.URL.Path {
	case "/login":
		challenge := r.URL.Query().Get("login_challenge")
		var lr struct {
			Skip        bool   `json:"skip"`
			Subject     string `json:"subject"`
			OIDCContext struct {
				LoginHint string `json:"login_hint"`
			} `json:"oidc_context"`
		}
		q := "?login_challenge=" + url.QueryEscape(challenge)
		if err = h.call(ctx, http.MethodGet, "/admin/oauth2/auth/requests/login"+q, nil, http.StatusOK, &lr); err != nil {
			break
		}
		hint := lr.OIDCContext.LoginHint
		h.mu.Lock()
		h.seen = append(h.seen, hint)
		h.mu.Unlock()
		switch {
		case lr.Skip:
			err = h.call(ctx, http.MethodPut, "/admin/oauth2/auth/requests/login/accept"+q, map[string]any{"subject": lr.Subject}, http.StatusOK, &redirect)
		case HydraUsers[hint] != nil:
			err = h.call(ctx, http.MethodPut, "/admin/oauth2/auth/requests/login/accept"+q, map[string]any{"subject": hint, "remember": false}, http.StatusOK, &redirect)
		case hint == "deny":
			err = h.call(ctx, http.MethodPut, "/admin/oauth2/auth/requests/login/reject"+q,
				map[string]any{"error": "access_denied", "error_description": "The user refused the login."}, http.StatusOK, &redirect)
		default:
			http.Error(w, "login page: no known login_hint (users: alice, bob; deny refuses)", http.StatusBadRequest)
			return
		}
	case "/consent":
		challenge := r.URL.Query().Get("consent_challenge")
		var cr struct {
			Subject        string   `json:"subject"`
			RequestedScope []string `json:"requested_scope"`
			Audience       []string `json:"requested_access_token_audience"`
		}
		q := "?consent_challenge=" + url.QueryEscape(challenge)
		if err = h.call(ctx, http.MethodGet, "/admin/oauth2/auth/requests/consent"+q, nil, http.StatusOK, &cr); err != nil {
			break
		}
		claims := map[string]any{}
		for _, s := range cr.RequestedScope {
			for _, c := range hydraScopeClaims[s] {
				if v, ok := HydraUsers[cr.Subject][c]; ok {
					claims[c] = v
				}
			}
		}
		err = h.call(ctx, http.MethodPut, "/admin/oauth2/auth/requests/consent/accept"+q, map[string]any{
			"grant_scope": cr.RequestedScope, "grant_access_token_audience": cr.Audience, "remember": false,
			"session": map[string]any{"id_token": claims},
		}, http.StatusOK, &redirect)
	default:
		// URLS_ERROR: Hydra's own error page, for errors it cannot send back to the client.
		http.Error(w, "Hydra error: "+r.URL.Query().Get("error")+": "+r.URL.Query().Get("error_description")+" "+r.URL.Query().Get("error_hint"), http.StatusBadRequest)
		return
	}
	if err != nil {
		http.Error(w, "login/consent app: "+err.Error(), http.StatusBadGateway)
		return
	}
	http.Redirect(w, r, redirect.RedirectTo, http.StatusFound)
}

// notifyWriter writes to w and signals (without blocking) that something was written.
type notifyWriter struct {
	w      io.Writer
	notify chan<- struct{}
}

func (n notifyWriter) Write(p []byte) (int, error) {
	select {
	case n.notify <- struct{}{}:
	default:
	}
	return n.w.Write(p)
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
