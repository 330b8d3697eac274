package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	cmdTestLogin "github.com/ssoctl/ssoctl/pkg/cmd/testlogin"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/login"
)

func TestNewCmdDemo(t *testing.T) {
	tests := []struct {
		name    string
		cli     string
		want    DemoOptions
		wantErr string
	}{
		{name: "defaults", cli: "", want: DemoOptions{Output: "text"}},
		{name: "all flags", cli: "--port 8765 --keep -o json", want: DemoOptions{Port: 8765, Keep: true, Output: "json"}},
		{name: "negative port", cli: "--port -1", wantErr: "--port must be between 0 and 65535 (0 picks a free port), not -1"},
		{name: "port too big", cli: "--port 70000", wantErr: "--port must be between 0 and 65535"},
		{name: "argument", cli: "github", wantErr: "github"},
		{name: "bad output", cli: "-o yaml", wantErr: "valid values are"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *DemoOptions
			cmd := NewCmdDemo(&cmdutil.Factory{IOStreams: ios}, func(o *DemoOptions) error { got = o; return nil })
			cmd.SetArgs(strings.Fields(tt.cli))
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			_, err := cmd.ExecuteC()
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want.Port, got.Port)
			assert.Equal(t, tt.want.Keep, got.Keep)
			assert.Equal(t, tt.want.Output, got.Output)
		})
	}
}

// testOpts runs the demo for real (provider, test-login, headless browser) with test streams, a
// temporary directory of the test's and a state directory under it.
func testOpts(t *testing.T, output string, keep bool) (*DemoOptions, *bytes.Buffer, *bytes.Buffer, string) {
	t.Helper()
	ios, _, stdout, stderr := iostreams.Test()
	tmp := t.TempDir()
	env := map[string]string{"XDG_STATE_HOME": filepath.Join(tmp, "state")}
	f := &cmdutil.Factory{
		IOStreams:  ios,
		Global:     &cmdutil.GlobalFlags{},
		HttpClient: func() (*http.Client, error) { return &http.Client{Timeout: 10 * time.Second}, nil },
		Now:        time.Now,
		LookupEnv:  func(k string) (string, bool) { v, ok := env[k]; return v, ok },
	}
	dir := filepath.Join(tmp, "demo")
	opts := &DemoOptions{
		IO:        ios,
		Factory:   f,
		TempDir:   func() (string, error) { return dir, os.Mkdir(dir, 0o700) },
		TestLogin: runTestLogin,
		Output:    output,
		Keep:      keep,
	}
	return opts, stdout, stderr, dir
}

func TestDemoRun(t *testing.T) {
	opts, stdout, stderr, dir := testOpts(t, "text", false)
	slogBefore, logBefore := slog.Default(), log.Writer()
	require.NoError(t, demoRun(context.Background(), opts))
	assert.Same(t, slogBefore, slog.Default(), "the provider's log redirection ends with the demo")
	assert.Equal(t, logBefore, log.Writer())

	// test-login's report, then the app user.
	out := stdout.String()
	assert.Contains(t, out, "ID token claims (RS256, kid ")
	assert.Contains(t, out, "  preferred_username  dana\n")
	assert.Contains(t, out, "\nUserinfo\n{\n")
	assert.Contains(t, out, "Granted scopes: openid profile email groups\n")
	// The app user is test-login's own mapped-user section.
	for _, line := range []string{
		"App user (provider demo, app generic, mapping oidc)\n",
		"  username      dana ",
		"  email         dana@example.com (verified) ",
		"  idp groups    alist-users, webdav ",
		"  permission    768 = webdav-read + webdav-manage (scheme alist) ",
		"  registration  allowed: ",
	} {
		assert.Contains(t, out, line)
	}

	errOut := stderr.String()
	assert.Contains(t, errOut, "ssoctl demo: a real OpenID Connect login, no account needed\n  provider  http://127.0.0.1:")
	assert.Contains(t, errOut, "  config    "+filepath.Join(dir, "ssoctl.yaml")+" (temporary; --keep keeps it)\n")
	for _, step := range []string{"discovery", "jwks", "browser", "callback", "state", "code exchange", "id token", "userinfo"} {
		assert.Contains(t, errOut, "✓ "+step+" (", "step %s", step)
	}
	assert.Contains(t, errOut, "checks passed: signature RS256, exp, iss, aud, azp, iat, nonce, at_hash")
	assert.Contains(t, errOut, "Next steps\n  ssoctl provider presets")
	assert.Contains(t, errOut, "ssoctl test-login NAME")
	assert.NotContains(t, errOut, "provider: ", "the provider logged nothing")

	assert.NoDirExists(t, dir, "the temporary config is removed")
	// test-login kept the result for "map eval --last", as after any login.
	assert.FileExists(t, filepath.Join(filepath.Dir(dir), "state", "ssoctl", "last-login.json"))
}

func TestDemoRunJSON(t *testing.T) {
	opts, stdout, stderr, dir := testOpts(t, "json", true)
	require.NoError(t, demoRun(context.Background(), opts))

	var doc map[string]any
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc), "stdout is one JSON document: %s", stdout)
	assert.Equal(t, true, doc["ok"])
	assert.Equal(t, "demo", doc["provider"])
	assert.Equal(t, "none", doc["clientAuth"])
	user := doc["user"].(map[string]any)
	assert.Equal(t, "dana", user["username"])
	assert.Equal(t, "dana@example.com", user["email"])
	groups := user["groups"].(map[string]any)
	assert.Equal(t, []any{"alist-users", "webdav"}, groups["idp"])
	permission := user["permission"].(map[string]any)
	assert.Equal(t, float64(768), permission["sum"])
	assert.Equal(t, []any{"webdav-read", "webdav-manage"}, permission["names"])
	info := doc["demo"].(map[string]any)
	assert.Equal(t, filepath.Join(dir, "ssoctl.yaml"), info["configPath"])
	assert.Equal(t, true, info["kept"])
	assert.Equal(t, doc["issuer"], info["issuer"])
	claims := doc["idToken"].(map[string]any)["claims"].(map[string]any)
	assert.Equal(t, "dana", claims["preferred_username"])

	assert.FileExists(t, filepath.Join(dir, "ssoctl.yaml"), "--keep keeps the config")
	assert.FileExists(t, filepath.Join(dir, "login.json"))
	assert.Contains(t, stderr.String(), "kept the demo config at "+filepath.Join(dir, "ssoctl.yaml"))
}

func TestDemoRunFailures(t *testing.T) {
	t.Run("login fails before a result", func(t *testing.T) {
		opts, stdout, _, dir := testOpts(t, "text", false)
		loginErr := cmdutil.Failf("hint", "the login broke")
		opts.TestLogin = func(context.Context, *cmdutil.Factory, []string) error { return loginErr }
		err := demoRun(context.Background(), opts)
		assert.Same(t, loginErr, err)
		assert.Empty(t, stdout.String())
		assert.NoDirExists(t, dir)
	})
	t.Run("login fails a check", func(t *testing.T) {
		opts, stdout, _, _ := testOpts(t, "json", false)
		loginErr := &login.Error{Step: "id token", Check: "nonce", Message: "id token nonce check failed"}
		opts.TestLogin = func(_ context.Context, _ *cmdutil.Factory, args []string) error {
			// test-login saves its result, failed or not, where --save says.
			i := slices.Index(args, "--save")
			require.GreaterOrEqual(t, i, 0)
			require.Contains(t, args, "json")
			res := cmdTestLogin.Result{Report: &login.Report{Provider: "demo", Steps: []login.Step{}}, Error: loginErr}
			b, err := json.Marshal(res)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(args[i+1], b, 0o600))
			return loginErr
		}
		err := demoRun(context.Background(), opts)
		assert.Same(t, loginErr, err)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc), "stdout is one JSON document: %s", stdout)
		assert.Equal(t, false, doc["ok"])
		assert.Nil(t, doc["user"], "no app user without a verified login")
		assert.Equal(t, "nonce", doc["error"].(map[string]any)["check"])
	})
	t.Run("interrupted", func(t *testing.T) {
		opts, _, _, _ := testOpts(t, "text", false)
		opts.TestLogin = func(context.Context, *cmdutil.Factory, []string) error {
			return errors.Join(errors.New("callback"), context.Canceled)
		}
		assert.ErrorIs(t, demoRun(context.Background(), opts), context.Canceled)
	})
	t.Run("no temporary directory", func(t *testing.T) {
		opts, _, _, _ := testOpts(t, "text", false)
		opts.TempDir = func() (string, error) { return "", errors.New("read-only file system") }
		err := demoRun(context.Background(), opts)
		require.EqualError(t, err, "cannot create a temporary directory for the demo config: read-only file system")
		assert.Equal(t, "set TMPDIR to a writable directory", cmdutil.HintOf(err))
	})
	t.Run("state directory not writable", func(t *testing.T) {
		opts, stdout, stderr, _ := testOpts(t, "text", false)
		blocker := filepath.Join(t.TempDir(), "file")
		require.NoError(t, os.WriteFile(blocker, nil, 0o600))
		opts.Factory.LookupEnv = func(k string) (string, bool) {
			if k == "XDG_STATE_HOME" {
				return filepath.Join(blocker, "state"), true
			}
			return "", false
		}
		require.NoError(t, demoRun(context.Background(), opts), "state is best effort")
		assert.Contains(t, stdout.String(), "  permission    768 = webdav-read + webdav-manage (scheme alist)")
		assert.Contains(t, stderr.String(), "cannot keep the result for \"map eval --last\"")
	})
}

func TestPrefixWriter(t *testing.T) {
	var buf bytes.Buffer
	w := prefixWriter{w: &buf, prefix: "  provider: "}
	n, err := w.Write([]byte("level=WARN msg=one\nsecond line\n"))
	require.NoError(t, err)
	assert.Equal(t, len("level=WARN msg=one\nsecond line\n"), n)
	assert.Equal(t, "  provider: level=WARN msg=one\n  provider: second line\n", buf.String())
}
