package hydra

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

const hydraSecret = logintest.HydraClientSecret

// providerConfig is an ssoctl.yaml for app kind (and version, "" for none) with one oidc provider
// "hydra" on h for clientID, its secret read from $HYDRA_SECRET, and a loopback redirect URL that
// Hydra's clients have registered (any port matches).
func providerConfig(t *testing.T, h *logintest.Hydra, kind, version, clientID string) string {
	t.Helper()
	b := fmt.Sprintf("version: 1\napp:\n  kind: %s\n  url: http://127.0.0.1:5244\n", kind)
	if version != "" {
		b += fmt.Sprintf("  version: %q\n", version)
	}
	b += fmt.Sprintf(`providers:
  - name: hydra
    type: oidc
    flavor: hydra
    issuer: %s
    client_id: %s
    client_secret: env:HYDRA_SECRET
    redirect_url: http://127.0.0.1:%d/callback
    scopes: [openid, profile, email]
`, h.Issuer, clientID, freePort(t))
	return b
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestProviderAddFlavorHydra (issue 16): a new user adds Hydra with --flavor hydra and the base URL
// they know; the issuer ssoctl builds is the one Hydra serves, validate --online passes, and
// test-login logs alice in with the ID token verified and userinfo shown. Under app.kind generic
// with a loopback redirect URL; under AList with the callback provider add proposes for the app
// (registered at Hydra as AList's two callback URLs, sso_get_token and get_sso_id, which validate
// --online asks Hydra about, and as written, which test-login's listener sends).
func TestProviderAddFlavorHydra(t *testing.T) {
	h := hydras.plain
	alistClientOnce.Do(func() {
		alistClientErr = h.CreateClient(context.Background(), map[string]any{
			"client_id": alistClientID, "client_secret": hydraSecret, "token_endpoint_auth_method": "client_secret_basic",
			"redirect_uris": []string{
				"http://127.0.0.1/api/auth/sso_callback?method=sso_get_token",
				// Only AList's own two callbacks: test-login sends AList's form (?method=sso_get_token).
				"http://127.0.0.1/api/auth/sso_callback?method=get_sso_id",
			},
		})
	})
	require.NoError(t, alistClientErr)
	tests := []struct {
		kind, clientID string
		// add are provider add's flags besides the flavour, host, client and secret.
		add []string
	}{
		{kind: "generic", clientID: logintest.HydraBasicClientID,
			add: []string{"--redirect-url", "http://127.0.0.1:" + strconv.Itoa(freePort(t)) + "/callback"}},
		{kind: "alist", clientID: alistClientID},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			w := newWorkdir(t, "version: 1\napp:\n  kind: "+tt.kind+"\n  url: http://127.0.0.1:"+strconv.Itoa(freePort(t))+"\n")
			add := w.ssoctl(t, nil, append([]string{"provider", "add", "hydra", "--flavor", "hydra", "--host", h.PublicURL,
				"--client-id", tt.clientID, "--client-secret-env", "HYDRA_SECRET", "--discover"}, tt.add...)...)
			require.Equal(t, 0, add.Code, "provider add: %s", add)
			cfg, err := os.ReadFile(w.config)
			require.NoError(t, err)
			assert.Contains(t, string(cfg), "issuer: "+h.Issuer, "the issuer built from --host is the one Hydra serves")

			v := w.ssoctl(t, nil, "validate", "--online")
			assert.Equal(t, 0, v.Code, "validate --online: %s", v)

			before := len(h.LoginHints())
			tl := w.testLogin(t, "alice", "hydra")
			require.Equal(t, 0, tl.Code, "test-login: %s", tl)
			assert.Equal(t, []string{"alice"}, h.LoginHints()[before:], "alice logged in at Hydra's login app")
			assert.Regexp(t, `✓ id token \([^)]*\): RS256 kid [^;]+; checks passed: signature RS256, exp, iss, aud, iat`, tl.Stderr)
			assert.Regexp(t, `✓ userinfo \([^)]*\): \d+ claims; sub matches the ID token`, tl.Stderr)
			assert.Contains(t, tl.Stdout, "Userinfo\n{")
			assert.Contains(t, tl.Stdout, `"email": "alice@example.com"`)
		})
	}
}

// alistClientID is the Hydra client registered with AList's callback URLs, once per Hydra.
const alistClientID = "alist-client"

var (
	alistClientOnce sync.Once
	alistClientErr  error
)

// TestPostOnlyClient (issue 13): a client registered for client_secret_post only. AList's client
// (x/oauth2's auto-detected auth style) sends HTTP Basic, is refused with 401, and sends the secret
// in the body: test-login logs in as AList would and says so. LobeChat 1.x (oauth4webapi's
// client_secret_basic, no setting) never sends the body secret: test-login exits 1 with DOC023,
// naming the client's token endpoint authentication method at the provider.
func TestPostOnlyClient(t *testing.T) {
	h := hydras.plain
	t.Run("alist", func(t *testing.T) {
		w := newWorkdir(t, providerConfig(t, h, "alist", "", logintest.HydraPostClientID))
		tl := w.testLogin(t, "alice", "hydra")
		require.Equal(t, 0, tl.Code, "test-login: %s", tl)
		assert.Contains(t, tl.Stderr, "as AList 3.63 (OIDC): no PKCE; client auth auto-detect")
		// Hydra's 401 for the Basic attempt, then the body: what x/oauth2's AuthStyleAutoDetect does.
		assert.Regexp(t, `✓ code exchange \([^)]*\): client auth auto-detect: client_secret_basic refused \(401 Unauthorized with invalid_client [^\n]*\), then client_secret_post;`, tl.Stderr)
		assert.NotContains(t, tl.Stdout+tl.Stderr, "DOC023")
	})
	t.Run("lobechat1", func(t *testing.T) {
		w := newWorkdir(t, providerConfig(t, h, "lobechat", "1.85.8", logintest.HydraPostClientID))
		tl := w.testLogin(t, "alice", "hydra")
		require.Equal(t, 1, tl.Code, "test-login: %s", tl)
		assert.Contains(t, tl.Stderr, "X DOC023 the token endpoint accepts client post-client only with client_secret_post, which LobeChat 1.85.8 never sends (it uses client_secret_basic)")
		assert.Contains(t, tl.Stderr, "fix: ORY Hydra: hydra update oauth2-client post-client --token-endpoint-auth-method client_secret_basic")
		// Hydra's own words for the refused Basic attempt (fosite v0.49.0 client_authentication.go).
		assert.Contains(t, tl.Stderr, "The OAuth 2.0 Client supports client authentication method 'client_secret_post', but method 'client_secret_basic' was requested.")
	})
}

// TestBasicOnlyClientInvenTree (issue 13, the other way round): a client registered for
// client_secret_basic only (Hydra's default) and InvenTree, whose django-allauth sends the secret
// in the body unless told otherwise. test-login exits 1 with DOC023 naming InvenTree's
// token_auth_method setting; with token_endpoint_auth_method: client_secret_basic in the config
// (the admin's choice InvenTree offers) it logs in with HTTP Basic.
func TestBasicOnlyClientInvenTree(t *testing.T) {
	h := hydras.plain
	cfg := providerConfig(t, h, "inventree", "", logintest.HydraBasicClientID)
	w := newWorkdir(t, cfg)
	tl := w.testLogin(t, "alice", "hydra")
	require.Equal(t, 1, tl.Code, "test-login: %s", tl)
	assert.Contains(t, tl.Stderr, "X DOC023 the token endpoint accepts client basic-client only with client_secret_basic, which InvenTree never sends (it uses client_secret_post)")
	assert.Contains(t, tl.Stderr, `"token_auth_method": "client_secret_basic"`)
	assert.Contains(t, tl.Stderr, "The OAuth 2.0 Client supports client authentication method 'client_secret_basic', but method 'client_secret_post' was requested.")

	w = newWorkdir(t, cfg+"    token_endpoint_auth_method: client_secret_basic\n")
	tl = w.testLogin(t, "alice", "hydra")
	require.Equal(t, 0, tl.Code, "test-login with token_endpoint_auth_method: client_secret_basic: %s", tl)
	assert.Regexp(t, `✓ code exchange \([^)]*\): client auth client_secret_basic;`, tl.Stderr)
}

// TestPKCEEnforced (issue 13): Hydra with oauth2.pkce.enforced sends AList's authorization request,
// which has no code_challenge, on to its login page, and refuses only when it would issue the
// code, after login and consent, with an error redirect to the callback whose words never say
// "PKCE". test-login under app.kind alist exits 1 with DOC013 naming PKCE and AList, from that
// answer; ssoctl's strict client, which sends PKCE, logs in.
func TestPKCEEnforced(t *testing.T) {
	h := hydras.pkce
	w := newWorkdir(t, providerConfig(t, h, "alist", "", logintest.HydraBasicClientID))
	before := len(h.LoginHints())
	tl := w.testLogin(t, "alice", "hydra")
	require.Equal(t, 1, tl.Code, "test-login: %s", tl)
	assert.Equal(t, []string{"alice"}, h.LoginHints()[before:], "Hydra sent the request on to its login page")
	assert.Contains(t, tl.Stderr, "✓ pre-flight", "Hydra does not refuse the request before the login")
	assert.Contains(t, tl.Stderr, "X DOC013 the provider requires PKCE, and AList 3.63 (OIDC) sends no code_challenge: every login of the app is refused at the authorize endpoint after the user logged in")
	assert.Contains(t, tl.Stderr, "fix: ORY Hydra: oauth2.pkce.enforced: false")
	assert.Contains(t, tl.Stderr, "AList 3.63 has no PKCE setting")
	said := lineWith(tl.Stderr, "error: the identity provider refused the login: invalid_request")
	assert.Contains(t, said, "Clients must include a code_challenge when performing the authorize code flow, but it is missing.")
	assert.NotContains(t, said, "PKCE", "Hydra's words never say PKCE: the doctor knows them")

	strict := w.testLogin(t, "alice", "hydra", "--client", "strict")
	require.Equal(t, 0, strict.Code, "test-login --client strict: %s", strict)
	assert.Contains(t, strict.Stdout, "as ssoctl's strict client: PKCE S256")
	assert.NotContains(t, strict.Stdout+strict.Stderr, "DOC013")
}

// TestLoginRefused: the login app refuses the login (Hydra's reject-login request with
// access_denied): Hydra sends the error to the callback and test-login exits 1 with its words.
func TestLoginRefused(t *testing.T) {
	h := hydras.plain
	w := newWorkdir(t, providerConfig(t, h, "generic", "", logintest.HydraBasicClientID))
	tl := w.testLogin(t, "deny", "hydra")
	require.Equal(t, 1, tl.Code, "test-login: %s", tl)
	assert.Contains(t, lineWith(tl.Stderr, "error: "), "access_denied")
	assert.Contains(t, tl.Stderr, "The user refused the login.")
}

// TestPublicPKCEClient: a public client (token_endpoint_auth_method none, no secret) with PKCE is a
// valid configuration: validate --online passes and test-login logs in with it.
func TestPublicPKCEClient(t *testing.T) {
	h := hydras.plain
	w := newWorkdir(t, fmt.Sprintf(`version: 1
app:
  kind: generic
  url: http://127.0.0.1:%d
providers:
  - name: hydra
    type: oidc
    flavor: hydra
    issuer: %s
    client_id: %s
    token_endpoint_auth_method: none
    pkce: S256
    redirect_url: http://127.0.0.1:%d/callback
    scopes: [openid, profile, email]
`, freePort(t), h.Issuer, logintest.HydraPublicClientID, freePort(t)))
	v := w.ssoctl(t, nil, "validate", "--online")
	assert.Equal(t, 0, v.Code, "validate --online: %s", v)
	tl := w.testLogin(t, "bob", "hydra")
	require.Equal(t, 0, tl.Code, "test-login: %s", tl)
	assert.Regexp(t, `✓ code exchange \([^)]*\): client auth none;`, tl.Stderr)
	assert.Contains(t, tl.Stdout, `"email": "bob@example.org"`)
}

// lineWith returns the first line of s containing sub, "" when none does.
func lineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

// recordedDiscovery is the recorded Hydra discovery document the provider package's flavour tests
// read; this test proves it is what Hydra v2.3.0 serves, with the public URL
// https://hydra.example.com/ in place of the test's loopback address.
const recordedDiscovery = "testdata/discovery/hydra.json"

// TestRecordedDiscoveryIsHydras compares testdata/discovery/hydra.json with the real Hydra's
// document (-update rewrites it).
func TestRecordedDiscoveryIsHydras(t *testing.T) {
	h := hydras.plain
	raw, err := h.Discovery(context.Background())
	require.NoError(t, err)
	served := strings.ReplaceAll(string(raw), h.PublicURL, "https://hydra.example.com")
	path := filepath.Join(moduleRoot(), recordedDiscovery)
	if *update {
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(served), &doc))
		doc["_comment"] = "ORY Hydra " + logintest.HydraVersion + " as served by `hydra serve all --dev` (DSN=memory, defaults otherwise) with URLS_SELF_ISSUER and URLS_SELF_PUBLIC http://127.0.0.1:<port>/, that base URL replaced by https://hydra.example.com; recorded by go test ./e2e/hydra -update, which checks it on every run."
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		require.NoError(t, enc.Encode(doc))
		require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
	}
	recorded, err := os.ReadFile(path)
	require.NoError(t, err)
	var want, got map[string]any
	require.NoError(t, json.Unmarshal(recorded, &want))
	require.NoError(t, json.Unmarshal([]byte(served), &got))
	delete(want, "_comment")
	assert.Equal(t, want, got, "%s differs from Hydra's document; go test ./e2e/hydra -update rewrites it", recordedDiscovery)
}
