package eval

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/login"
	validatepkg "github.com/ssoctl/ssoctl/pkg/validate"
)

const interactiveConfig = `version: 1
providers:
  - name: lark
    type: lark
    client_id: cli_a1b2c3
    registration:
      enabled: true
      default_permission: [webdav-read, webdav-manage]
`

const larkUser = `{"code": 0, "data": {"name": "Li Na", "email": "lina@example.cn", "union_id": "on_1"}}`

// runInteractive runs map eval -i with the keys on a fake terminal. Bubble Tea reads them from the
// buffer as a terminal would send them; the workbench applies keys typed before the document has
// loaded once it has.
func runInteractive(t *testing.T, keys string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runInteractiveOn(t, interactiveConfig, keys, args...)
}

// runInteractiveOn is runInteractive on the config file cfg.
func runInteractiveOn(t *testing.T, cfg, keys string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "ssoctl.yaml")
	require.NoError(t, os.WriteFile(cfgPath, []byte(cfg), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "user.json"), []byte(larkUser), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "users.ndjson"), []byte(larkUser+"\n"+larkUser+"\n"), 0o600))
	state := filepath.Join(dir, "state")
	require.NoError(t, login.SaveLast(filepath.Join(state, "ssoctl"), &login.Report{
		Provider: "lark", Type: "lark",
		Userinfo: map[string]any{"code": 0, "data": map[string]any{"name": "From Last", "union_id": "on_2"}},
	}))

	ios, in, out, errOut := iostreams.Test()
	ios.SetStdinTTY(true)
	ios.SetStderrTTY(true)
	in.WriteString(keys)
	env := map[string]string{"XDG_STATE_HOME": state}
	f := &cmdutil.Factory{
		IOStreams: ios,
		Config:    func() (*config.File, error) { return config.Load(cfgPath) },
		LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		Now:       time.Now,
	}
	cmd := NewCmdEval(f, nil)
	for i, a := range args {
		args[i] = strings.ReplaceAll(a, "$DIR", dir)
	}
	cmd.SetArgs(args)
	// The root command prints errors and usage; here only the error is wanted.
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetIn(in)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	// No deadline of our own (the tests must pass on a loaded machine): a workbench that waits for
	// keys that never come is caught by go test's -timeout, with every goroutine's stack.
	_, err = cmd.ExecuteContextC(t.Context())
	return out.String(), errOut.String(), err
}

func TestInteractiveRun(t *testing.T) {
	t.Run("text result on stdout, UI on stderr", func(t *testing.T) {
		stdout, stderr, err := runInteractive(t, "q", "lark", "-i", "--input", "$DIR/user.json")
		require.NoError(t, err)
		assert.Contains(t, stdout, "# provider lark; evaluated against ")
		assert.Contains(t, stdout, `name: $.data.name # "Li Na"`)
		assert.Contains(t, stdout, "default_permission: 768 # alist: webdav-read, webdav-manage")
		assert.NotContains(t, stdout, "\x1b", "no terminal codes on stdout")
		assert.Contains(t, stderr, "\x1b[?1049h", "the UI takes over stderr's screen")
	})
	t.Run("json", func(t *testing.T) {
		stdout, _, err := runInteractive(t, "q", "lark", "-i", "--input", "$DIR/user.json", "-o", "json")
		require.NoError(t, err)
		var res struct {
			Provider   string                    `json:"provider"`
			Rules      map[string]string         `json:"rules"`
			Permission struct{ Sum int64 }       `json:"permission"`
			User       struct{ Username string } `json:"user"`
			Saved      bool                      `json:"saved"`
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &res), stdout)
		assert.Equal(t, "lark", res.Provider)
		assert.Equal(t, "$.data.email", res.Rules["email"])
		assert.Equal(t, int64(768), res.Permission.Sum)
		assert.Equal(t, "Li Na", res.User.Username)
		assert.False(t, res.Saved)
	})
	t.Run("last test-login", func(t *testing.T) {
		stdout, _, err := runInteractive(t, "q", "-i", "--last", "-o", "json")
		require.NoError(t, err)
		assert.Contains(t, stdout, `"provider": "lark"`, "the last login's provider, found in the config")
		assert.Contains(t, stdout, `"username": "From Last"`)
		assert.Contains(t, stdout, `"source": "the last test-login (lark)"`)
	})
	t.Run("rules from flags start unsaved", func(t *testing.T) {
		stdout, _, err := runInteractive(t, "qy", "lark", "-i", "--input", "$DIR/user.json", "--rule", "nickname=$.data.email")
		require.NoError(t, err)
		assert.Contains(t, stdout, "changes NOT saved")
		assert.Contains(t, stdout, `nickname: $.data.email # "lina@example.cn"`)
	})
	t.Run("ctrl+c", func(t *testing.T) {
		stdout, _, err := runInteractive(t, "\x03", "lark", "-i", "--input", "$DIR/user.json")
		require.ErrorIs(t, err, context.Canceled)
		assert.Empty(t, stdout)
	})
}

// customConfig's provider has a custom mapping, which needs a name and an email rule (SSO031).
const customConfig = `version: 1
providers:
  - name: lark
    type: lark
    client_id: cli_a1b2c3
    mapping:
      type: custom
      rules:
        name: $.data.name
        email: $.data.email
`

// TestInteractiveSaveValidated checks that the workbench's save (saveUpdate, its Options.Update) is
// validated as provider add's write is, and that --no-validate is the same escape. Dropping the
// email rule of a custom mapping makes a file with error SSO031.
func TestInteractiveSaveValidated(t *testing.T) {
	dropEmail := func(f *config.File) error {
		return f.SetProviderValue("lark", []string{"mapping", "rules"}, map[string]string{"name": "$.data.name"})
	}
	t.Run("refused", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ssoctl.yaml")
		require.NoError(t, os.WriteFile(path, []byte(customConfig), 0o600))
		err := saveUpdate(&EvalOptions{LookupEnv: os.LookupEnv})(context.Background(), path, dropEmail)
		var refused *validatepkg.IntroducedError
		require.ErrorAs(t, err, &refused)
		assert.Contains(t, err.Error(), "SSO031")
		assert.Contains(t, refused.Hint(), "--no-validate")
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, customConfig, string(b))
	})
	t.Run("--no-validate writes anyway", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ssoctl.yaml")
		require.NoError(t, os.WriteFile(path, []byte(customConfig), 0o600))
		require.NoError(t, saveUpdate(&EvalOptions{LookupEnv: os.LookupEnv, NoValidate: true})(context.Background(), path, dropEmail))
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Contains(t, string(b), "name: $.data.name")
		assert.NotContains(t, string(b), "email: $.data.email")
	})
	t.Run("only with -i", func(t *testing.T) {
		_, _, err := runInteractiveOn(t, customConfig, "", "lark", "--input", "$DIR/user.json", "--no-validate")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "--no-validate applies to the workbench's save only")
	})
}

func TestInteractiveRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantErr  string
		wantCode int
	}{
		{"stdin holds the keys", []string{"lark", "-i", "--input", "-"}, "map eval -i reads keys from standard input", 2},
		{"ndjson", []string{"lark", "-i", "--input", "$DIR/users.ndjson"}, "map eval -i works on one document", 2},
		{"unknown provider", []string{"larc", "-i", "--input", "$DIR/user.json"}, `no provider named "larc"`, 1},
		{"missing file", []string{"lark", "-i", "--input", "$DIR/nope.json"}, "cannot read input", 2},
		{"bad rule", []string{"lark", "-i", "--rule", "mail=$.x"}, `unknown mapping field "mail"`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := runInteractive(t, "", tt.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
			assert.Empty(t, stdout)
		})
	}
}
