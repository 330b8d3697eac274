package clientlibs_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// invenTree is InvenTree 1.5.0 with one openid_connect app whose provider_id is "oidc": its callback
// is /accounts/<provider_id>/login/callback/ because InvenTree sets
// SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = "" (InvenTree/settings.py), and the scopes are the ones
// InvenTree's SSO docs configure for group sync (openid profile email groups).
var invenTree = appSpec{
	name: "inventree", kind: "inventree", version: "1.5.0",
	redirectPath: "/accounts/oidc/login/callback/",
	scopes:       []string{"openid", "profile", "email", "groups"},
	adminAuth:    invenTreeAdminAuth,
	// InvenTree's group sync reads SSO_GROUP_KEY, default "groups" (common/setting/system.py).
	providerYAML: "    groups:\n      claim: groups\n",
}

// invenTreeAdminAuth: the client authentication cases (and PKCE's) keep allauth's default
// (client_secret_post unless discovery offers only basic); the others are about ID tokens and
// claims, so there the admin sets token_auth_method to the client's registered method, as
// InvenTree's social_providers settings allow (allauth openid_connect/views.py).
func invenTreeAdminAuth(c loginCase) string {
	switch c.name {
	case "pkce-required", "post-only", "basic-only":
		return ""
	}
	return c.auth
}

// TestInvenTree logs in with django-allauth 65.18.0 configured as InvenTree configures it (see
// python/harness/settings.py), from the offline setup in the project's shared apps folder.
func TestInvenTree(t *testing.T) {
	python := allauthPython(t)
	testApp(t, invenTree, func(t *testing.T, c loginCase) record {
		base := startHarness(t, "python", []string{
			"ISSUER=" + c.issuer(), "CLIENT_ID=" + clientID(invenTree, c), "CLIENT_SECRET=" + clientSecret(invenTree, c),
			"HARNESS_DB=" + filepath.Join(t.TempDir(), "db.sqlite3"), "TOKEN_AUTH_METHOD=" + invenTreeAdminAuth(c),
		}, python, "serve.py")
		h := harnessLogin(t, base, c)
		r := record{Login: h.login()}
		if h.OK {
			// allauth stores the account's uid (sub) and the user's username (preferred_username),
			// email and names; InvenTree's group sync reads extra_data["userinfo"]["groups"] as is.
			r.User = map[string]any{
				"id": h.User["uid"], "username": h.User["username"], "email": h.User["email"],
				"name":   strings.TrimSpace(h.User["first_name"].(string) + " " + h.User["last_name"].(string)),
				"groups": h.User["groups"], "extraData": h.User["extra_data_keys"],
			}
		}
		return r
	})
}

// allauthPython runs the shared apps folder's setup.sh (idempotent; it apt-installs nothing here:
// scripts/test.sh runs it as root first) and returns the venv's python. Without that folder, as in a
// clone of ssoctl alone, the test skips.
func allauthPython(t *testing.T) string {
	t.Helper()
	setup := ""
	for dir := moduleRoot(); ; dir = filepath.Dir(dir) {
		candidate := filepath.Join(filepath.Dir(dir), "shared", "apps", "python", "setup.sh")
		if _, err := os.Stat(candidate); err == nil {
			setup = candidate
			break
		}
		if filepath.Dir(dir) == dir {
			t.Skip("skipping the InvenTree (django-allauth) login: ../shared/apps/python/setup.sh is not beside this checkout")
		}
	}
	cmd := exec.Command("bash", setup)
	cmd.Env = append(os.Environ(), "SSOCTL_APPS_NO_APT=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		requireTool(t, "the django-allauth setup failed ("+err.Error()+"); run: bash "+setup+" as root once: "+strings.TrimSpace(stderr.String()))
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	return lines[len(lines)-1]
}
