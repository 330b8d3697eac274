package hydra

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

// TestProviderAddFlavorHydra (issue 16): a new user adds Hydra with --flavor hydra and the host
// they know; the issuer ssoctl builds is the one Hydra serves, validate --online passes, and
// test-login logs alice in with the ID token verified and userinfo shown.
func TestProviderAddFlavorHydra(t *testing.T) {
	h := hydras.plain
	for _, kind := range []string{"generic", "alist"} {
		t.Run(kind, func(t *testing.T) {
			w := newWorkdir(t, "version: 1\napp:\n  kind: "+kind+"\n  url: http://127.0.0.1:5244\n")
			port := strconv.Itoa(freePort(t))
			add := w.ssoctl(t, nil, "provider", "add", "hydra", "--flavor", "hydra", "--host", h.PublicURL,
				"--client-id", logintest.HydraBasicClientID, "--client-secret-env", "HYDRA_SECRET",
				"--redirect-url", "http://127.0.0.1:"+port+"/callback", "--discover")
			require.Equal(t, 0, add.code, "provider add: %s", add)

			v := w.ssoctl(t, nil, "validate", "--online")
			assert.Equal(t, 0, v.code, "validate --online: %s", v)

			tl := w.testLogin(t, "alice", "hydra")
			require.Equal(t, 0, tl.code, "test-login: %s", tl)
			assert.Contains(t, tl.stdout+tl.stderr, "alice@example.com", "userinfo is shown")
			assert.Equal(t, []string{"alice"}, lastHints(h, 1))
		})
	}
}

func lastHints(h *logintest.Hydra, n int) []string {
	s := h.LoginHints()
	if len(s) < n {
		return s
	}
	return s[len(s)-n:]
}

// TestPostOnlyClient (issue 13): a client registered for client_secret_post only. AList's client
// (x/oauth2's auto-detected auth style) sends HTTP Basic, is refused with 401, and sends the secret
// in the body: test-login logs in as AList would and says so. LobeChat 1.x (oauth4webapi's
// client_secret_basic, no setting) never sends the body secret: test-login fails with DOC023,
// naming the client's authentication method at the provider.
func TestPostOnlyClient(t *testing.T) {
	h := hydras.plain
	t.Run("alist", func(t *testing.T) {
		w := newWorkdir(t, providerConfig(t, h, "alist", "", logintest.HydraPostClientID))
		tl := w.testLogin(t, "alice", "hydra")
		require.Equal(t, 0, tl.code, "test-login: %s", tl)
		assert.Contains(t, tl.stderr, "as AList")
		assert.Contains(t, tl.stderr, "client_secret_post")
		assert.NotContains(t, tl.stderr, "DOC023")
	})
	t.Run("lobechat1", func(t *testing.T) {
		w := newWorkdir(t, providerConfig(t, h, "lobechat", "1.85.8", logintest.HydraPostClientID))
		tl := w.testLogin(t, "alice", "hydra")
		require.Equal(t, 1, tl.code, "test-login: %s", tl)
		assert.Contains(t, tl.stderr, "DOC023")
		assert.Contains(t, tl.stderr, "client_secret_post")
		assert.Contains(t, tl.stderr, "token endpoint authentication method")
	})
}

// TestPKCEEnforced (issue 13): Hydra with oauth2.pkce.enforced lets AList's authorization request,
// which has no code_challenge, through to its login page and refuses only after the login and
// consent, in words that never say "PKCE". test-login under app.kind alist exits 1 with DOC013
// naming PKCE and AList; ssoctl's strict client, which sends PKCE, logs in.
func TestPKCEEnforced(t *testing.T) {
	h := hydras.pkce
	w := newWorkdir(t, providerConfig(t, h, "alist", "", logintest.HydraBasicClientID))
	before := len(h.LoginHints())
	tl := w.testLogin(t, "alice", "hydra")
	require.Equal(t, 1, tl.code, "test-login: %s", tl)
	assert.Equal(t, []string{"alice"}, h.LoginHints()[before:], "Hydra sent the request on to its login page")
	assert.Contains(t, tl.stderr, "DOC013")
	assert.Contains(t, tl.stderr, "the provider requires PKCE, and AList")
	assert.Contains(t, tl.stderr, "Clients must include a code_challenge")

	strict := w.testLogin(t, "alice", "hydra", "--client", "strict")
	assert.Equal(t, 0, strict.code, "test-login --client strict: %s", strict)
	assert.False(t, strings.Contains(strict.stderr, "DOC013"), strict.stderr)
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
		b, err := json.MarshalIndent(doc, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, append(b, '\n'), 0o644))
	}
	recorded, err := os.ReadFile(path)
	require.NoError(t, err)
	var want, got map[string]any
	require.NoError(t, json.Unmarshal(recorded, &want))
	require.NoError(t, json.Unmarshal([]byte(served), &got))
	delete(want, "_comment")
	assert.Equal(t, want, got, "%s differs from Hydra's document; go test ./e2e/hydra -update rewrites it", recordedDiscovery)
}
