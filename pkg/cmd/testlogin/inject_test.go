package testlogin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// TestInjectedProviderTextIsEscaped logs in for real with a provider whose claim names and values,
// granted scopes and userinfo carry an OSC title sequence, a CR + erase-line forging "✓ verified",
// U+202E and a C1 CSI: the text report shows them escaped, on stdout and stderr, and -o json keeps
// the exact values.
func TestInjectedProviderTextIsEscaped(t *testing.T) {
	for _, output := range []string{"text", "json"} {
		t.Run(output, func(t *testing.T) {
			op := logintest.NewHostile(logintest.ModeInjected)
			defer op.Close()
			cfg := fmt.Sprintf("version: 1\napp:\n  kind: alist\n  url: https://files.example.com\nproviders:\n  - name: op\n    type: oidc\n    issuer: %s\n    client_id: %s\n    client_secret: env:OP_SECRET\n    redirect_url: https://files.example.com/cb\n", op.Issuer(), logintest.HostileClientID)
			opts, stdout, stderr := runOpts(t, cfg, map[string]string{"OP_SECRET": logintest.HostileSecret, "XDG_STATE_HOME": t.TempDir()}, login.Run)
			opts.Name, opts.Diagnose, opts.Output, opts.Client = "op", true, output, ClientStrict
			opts.Browser = logintest.NewBrowser(logintest.FollowOptions{})
			opts.Now = time.Now // the provider signs tokens with the real clock
			require.NoError(t, testLoginRun(context.Background(), opts), stderr.String())

			streams := map[string]string{"stdout": stdout.String(), "stderr": stderr.String()}
			if output == "json" {
				delete(streams, "stdout") // exact values: encoding/json leaves U+202E and C1 as they are
			}
			for name, s := range streams {
				assert.NotContains(t, s, "\x1b", "%s: no raw ESC", name)
				assert.NotContains(t, s, "\r", "%s: no raw CR", name)
				assert.NotContains(t, s, "\u202e", "%s: no raw U+202E", name)
				assert.NotContains(t, s, "\u009b", "%s: no raw C1 CSI", name)
			}
			if output == "text" {
				out := stdout.String()
				assert.Contains(t, out, `Hostile\x1b]0;pwned\x07\r\x1b[2K✓ verified\u202e\u009b31m`, "the name claim, escaped")
				assert.Contains(t, out, `x\x1b]0;pwned\x07`, "the claim name, escaped")
				assert.Contains(t, out, `admin\r\x1b[2K✓ verified`, "preferred_username, escaped")
				assert.Contains(t, out, `groups\x1b]0;pwned\x07\r\x1b[2K✓`, "the granted scope, escaped")
				assert.Contains(t, out, `"nickname": "nick\r\u001b[2K✓ verified"`, "userinfo stays JSON, its controls escaped")
				assert.Contains(t, out, `user1@example.com\u202e`, "U+202E in userinfo, escaped")
				return
			}
			var res struct {
				IDToken struct {
					Claims map[string]any `json:"claims"`
				} `json:"idToken"`
				Userinfo      map[string]any `json:"userinfo"`
				GrantedScopes []string       `json:"grantedScopes"`
			}
			require.NoError(t, json.Unmarshal(stdout.Bytes(), &res), stdout.String())
			assert.Equal(t, "Hostile"+logintest.InjectEverything, res.IDToken.Claims["name"], "JSON keeps the exact value")
			assert.Equal(t, "claim name", res.IDToken.Claims["x"+logintest.InjectEverything])
			assert.Equal(t, "nick"+logintest.InjectForgedOK, res.Userinfo["nickname"])
			assert.Contains(t, strings.Join(res.GrantedScopes, " "), "groups"+logintest.InjectEverything)
		})
	}
}
