package hydra

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/login/logintest"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// TestFixCommandsRun (issue 16): the Hydra commands ssoctl names as the provider-side fixes for an
// unregistered redirect URI and for a wrong client secret are run as printed, with the real hydra
// CLI against the real Hydra, and they fix it. A client registered without the test's redirect URI:
// validate --online exits 1 with DOC010 naming `hydra update oauth2-client ... --redirect-uri`;
// after that command (with a new --secret and the client's other flags repeated, since update
// replaces the client) validate --online passes, `hydra get oauth2-client` shows the new redirect
// URI and no secret, validate --online with the old secret exits 1 with DOC020 naming the
// --secret fix, and with the new secret validate --online passes and test-login logs in.
func TestFixCommandsRun(t *testing.T) {
	h := hydras.plain
	bin, err := logintest.HydraBinary()
	require.NoError(t, err)
	const clientID = "fix-client"
	const newSecret = "hydra-new-secret-9876543210"
	require.NoError(t, h.CreateClient(context.Background(), map[string]any{
		"client_id": clientID, "client_secret": hydraSecret, "token_endpoint_auth_method": "client_secret_basic",
		"redirect_uris": []string{"http://127.0.0.1/elsewhere"},
	}))
	port := freePort(t)
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", port)
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
    client_secret: env:HYDRA_SECRET
    redirect_url: %s
    scopes: [openid, profile, email]
`, freePort(t), h.Issuer, clientID, redirect))

	hydraFix := func(key provider.FixKey) string {
		f, ok := provider.LookupFlavor(provider.FlavorHydra)
		require.True(t, ok)
		text, ok := f.Fix(key, clientID)
		require.True(t, ok, "the hydra flavour names a fix for %s", key)
		return text
	}

	v := w.ssoctl(t, nil, "validate", "--online")
	require.Equal(t, 1, v.Code, "validate --online: %s", v)
	assert.Contains(t, v.Stdout+v.Stderr, "DOC010")
	assert.Contains(t, v.Stdout+v.Stderr, hydraFix(provider.FixRedirectURI))

	// The fix as printed: update replaces the whole client, so the flags it had are repeated.
	hydra := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, append(args, "--endpoint", h.AdminURL)...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		require.NoError(t, cmd.Run(), "hydra %s: %s%s", strings.Join(args, " "), out.String(), errb.String())
		return out.String()
	}
	hydra("update", "oauth2-client", clientID,
		"--redirect-uri", "http://127.0.0.1/elsewhere,"+redirect,
		"--secret", newSecret,
		"--token-endpoint-auth-method", "client_secret_basic",
		"--grant-type", "authorization_code,refresh_token", "--response-type", "code",
		"--scope", "openid,profile,email,groups,offline_access")
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(hydra("get", "oauth2-client", clientID, "--format", "json")), &got))
	assert.Contains(t, got["redirect_uris"], redirect, "hydra get oauth2-client shows the added redirect URI")
	assert.Empty(t, got["client_secret"], "hydra get oauth2-client does not show the secret")

	// The app still sends the old secret: Hydra now refuses it, and ssoctl names the other fix.
	v = w.ssoctl(t, nil, "validate", "--online")
	require.Equal(t, 1, v.Code, "validate --online with the old secret: %s", v)
	assert.NotContains(t, v.Stdout+v.Stderr, "DOC010", "the redirect URI is registered now")
	assert.Contains(t, v.Stdout+v.Stderr, "DOC020")
	assert.Contains(t, v.Stdout+v.Stderr, hydraFix(provider.FixClientSecret))

	w.env = append(w.env, "HYDRA_SECRET="+newSecret)
	v = w.ssoctl(t, nil, "validate", "--online")
	assert.Equal(t, 0, v.Code, "validate --online with the new secret: %s", v)
	tl := w.testLogin(t, "alice", "hydra")
	require.Equal(t, 0, tl.Code, "test-login with the new secret: %s", tl)
	assert.Contains(t, tl.Stdout, `"email": "alice@example.com"`)
}
