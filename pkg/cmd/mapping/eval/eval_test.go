package eval

import (
	"context"
	"encoding/json"
	"io"
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
	"github.com/ssoctl/ssoctl/pkg/mapping"
)

const evalConfig = `version: 1
app:
  kind: alist
providers:
  - name: gh
    type: github
    registration:
      enabled: true
      default_permission: [webdav-read, webdav-manage]
  - name: kc
    type: oidc
    issuer: https://kc.example.com/realms/x
    mapping:
      username: {normalize: handle}
`

const monaUser = `{"login": "mona-ops", "id": 58121947, "name": "Mona Ops", "email": null}`

func evalFactory(t *testing.T, cfg string) (*cmdutil.Factory, *iostreams.IOStreams) {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{
		IOStreams: ios,
		Config: func() (*config.File, error) {
			if cfg == "" {
				return config.Load(filepath.Join(t.TempDir(), "none.yaml"))
			}
			return config.Parse("ssoctl.yaml", []byte(cfg))
		},
		LookupEnv: func(string) (string, bool) { return "", false },
		Now:       time.Now,
	}
	return f, ios
}

func TestNewCmdEval(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		tty      bool
		want     EvalOptions
		wantErr  string
		wantCode int
		wantHint string
	}{
		{name: "provider and input", args: []string{"gh", "--input", "u.json"},
			want: EvalOptions{Name: "gh", Input: "u.json", Output: "text", Dialect: "jayway"}},
		{name: "rules, type, existing, seed and json", args: []string{"--mapping-type", "custom", "--rule", "name=$.login", "--rule", "email=$.mail", "--existing", "x.txt", "--seed", "7", "-o", "json"},
			want: EvalOptions{MappingType: "custom", Rules: []string{"name=$.login", "email=$.mail"}, Existing: "x.txt", Seed: 7, SeedSet: true, Output: "json", Dialect: "jayway"}},
		{name: "bulk flags", args: []string{"gh", "--report", "--fail-fast", "--ndjson", "--require"},
			want: EvalOptions{Name: "gh", Report: true, FailFast: true, NDJSON: true, Require: true, Output: "text", Dialect: "jayway"}},
		{name: "last", args: []string{"--last"}, want: EvalOptions{Last: true, Output: "text", Dialect: "jayway"}},
		{name: "dialect", args: []string{"gh", "--dialect", "rfc9535"}, want: EvalOptions{Name: "gh", Output: "text", Dialect: "rfc9535"}},
		{name: "nothing to evaluate", args: []string{},
			wantErr: "cannot evaluate: give a provider name, --last, or --mapping-type", wantCode: 2},
		{name: "rule without =", args: []string{"gh", "--rule", "email"},
			wantErr: `--rule "email" is not FIELD=JSONPATH`, wantCode: 2},
		{name: "rule for an unknown field", args: []string{"gh", "--rule", "emial=$.mail"},
			wantErr: `--rule emial=$.mail: unknown mapping field "emial"`, wantCode: 2, wantHint: "did you mean email?"},
		{name: "last and input", args: []string{"--last", "--input", "x"},
			wantErr: "if any flags in the group [last input] are set none of the others can be; [input last] were all set", wantCode: 2},
		{name: "interactive without a terminal", args: []string{"gh", "-i"},
			wantErr: "map eval -i needs a terminal on standard input and standard error", wantCode: 2, wantHint: "without one, run ssoctl map eval gh --input FILE"},
		{name: "interactive on a terminal", args: []string{"gh", "-i"}, tty: true,
			want: EvalOptions{Name: "gh", Interactive: true, Output: "text", Dialect: "jayway"}},
		{name: "two providers", args: []string{"gh", "kc"},
			wantErr: "too many arguments: kc", wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, ios := evalFactory(t, evalConfig)
			ios.SetStdinTTY(tt.tty)
			ios.SetStderrTTY(tt.tty)
			var got *EvalOptions
			cmd := NewCmdEval(f, func(o *EvalOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			_, err := cmd.ExecuteC()
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				if tt.wantCode != 0 {
					assert.Equal(t, tt.wantCode, exitCode(err))
				}
				if tt.wantHint != "" {
					assert.Contains(t, cmdutil.HintOf(err), tt.wantHint)
				}
				return
			}
			require.NoError(t, err)
			got.IO, got.Config, got.LookupEnv, got.Now = nil, nil, nil, nil
			assert.Equal(t, tt.want, *got)
		})
	}
}

// exitCode is root's rule: an ExitCoder decides, cobra's own flag errors are usage errors.
func exitCode(err error) int {
	if c := cmdutil.ExitCodeOf(err); c != cmdutil.ExitCheckFailed || strings.Contains(err.Error(), "check") {
		return c
	}
	if strings.HasPrefix(err.Error(), "if any flags") || strings.HasPrefix(err.Error(), "unknown flag") {
		return cmdutil.ExitUsage
	}
	return cmdutil.ExitCheckFailed
}

// runEval runs map eval with args and stdin, and returns stdout, stderr and the error.
func runEval(t *testing.T, cfg, stdin string, args ...string) (string, string, error) {
	t.Helper()
	f, ios := evalFactory(t, cfg)
	in, out, errOut := ios.In.(interface{ WriteString(string) (int, error) }), ios.Out, ios.ErrOut
	_, _ = in.WriteString(stdin)
	cmd := NewCmdEval(f, nil)
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetContext(context.Background())
	_, err := cmd.ExecuteC()
	return out.(interface{ String() string }).String(), errOut.(interface{ String() string }).String(), err
}

func TestEvalRunSingle(t *testing.T) {
	stdout, stderr, err := runEval(t, evalConfig, monaUser, "gh")
	require.NoError(t, err)
	assert.Contains(t, stdout, "App user (provider gh, app alist, mapping github)\n")
	assert.Contains(t, stdout, "  id            58121947  userinfo $.id\n")
	assert.Contains(t, stdout, "  username      mona-ops  userinfo $.login\n")
	assert.Contains(t, stdout, "  email         -\n")
	assert.Contains(t, stdout, "  permission    768 = webdav-read + webdav-manage (scheme alist, stored but not read: see rights)")
	assert.Contains(t, stdout, "  registration  allowed: registration is enabled for every email domain\n")
	assert.Contains(t, stdout, "  email        userinfo  $.email  [null]        null\n")
	assert.Contains(t, stdout, "  description  userinfo  $.bio    []            (matched nothing)\n")
	assert.Contains(t, stdout, "AList (github platform) reads GET https://api.github.com/user")
	assert.Contains(t, stdout, "  rights        0 = no rights at /: role guest (id 1) (default_role)")
	assert.Contains(t, stdout, "  login         registered: creates mona-ops; no account is bound to this SSO id")
	// AList 3.63 (the newest, assumed) reads roles, not the user's bits.
	assert.Equal(t, "! AList 3.63 decides rights by roles: sso_default_permission (768) is stored on the user but no check reads it\n", stderr)
}

func TestEvalRunJSON(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.txt")
	require.NoError(t, os.WriteFile(existing, []byte("# app users\nmona-ops\n\n"), 0o600))
	stdout, _, err := runEval(t, evalConfig, monaUser, "gh", "-o", "json", "--existing", existing)
	require.NoError(t, err)
	var u map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &u))
	assert.Equal(t, "mona-ops_58121947", u["username"])
	assert.Equal(t, map[string]any{"taken": "mona-ops", "with": "existing", "policy": "suffix-id", "resolved": true}, u["usernameDerivation"].(map[string]any)["conflict"])
	var keys []string
	dec := json.NewDecoder(strings.NewReader(stdout))
	_, _ = dec.Token()
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	assert.Equal(t, mapping.UserFields, keys)
}

func TestEvalRunRequire(t *testing.T) {
	_, stderr, err := runEval(t, "", `{"user": {"login": "x"}}`, "--mapping-type", "custom", "--rule", "name=$.user.login", "--rule", "email=$.user.mail", "--require")
	require.Error(t, err)
	assert.Equal(t, "--require: rule email ($.user.mail) matched nothing", err.Error())
	assert.Equal(t, 1, cmdutil.ExitCodeOf(err))
	assert.Contains(t, stderr, "X required field email is empty: rule email ($.user.mail) matched nothing\n")
	// Without --require the same document maps, with the error shown, and exits 1 (issue 14, 16):
	// the app would refuse the user.
	stdout, _, err := runEval(t, "", `{"user": {"login": "x"}}`, "--mapping-type", "custom", "--rule", "name=$.user.login", "--rule", "email=$.user.mail")
	require.Error(t, err)
	assert.Equal(t, "the required field email is empty, so the app would refuse this user", err.Error())
	assert.Equal(t, 1, cmdutil.ExitCodeOf(err))
	assert.Contains(t, stdout, "x")
}

func TestEvalRunErrors(t *testing.T) {
	tests := []struct {
		name, cfg, stdin string
		args             []string
		want             string
		code             int
	}{
		{"invalid JSON", evalConfig, `{"login": }`, []string{"gh"},
			"standard input is not valid JSON: invalid character '}' looking for beginning of value at line 1, column 11", 2},
		{"empty input", evalConfig, "  \n", []string{"gh"}, "standard input is empty", 2},
		{"binary junk", evalConfig, "\x00\x01\x02\xff", []string{"gh"}, "standard input is not JSON: it holds binary data", 2},
		{"two pretty documents", evalConfig, "{\n}\n{\n}\n", []string{"gh"}, "standard input holds more than one JSON document, and they are not one per line", 2},
		{"rule that does not compile", evalConfig, monaUser, []string{"gh", "--rule", "email=$.emails[?(@.primary"},
			`rule email "$.emails[?(@.primary" has a syntax error at column 20: expected ')' to close the '(' at column 11`, 2},
		{"unknown provider", evalConfig, monaUser, []string{"gitlab"}, `no provider named "gitlab" in ssoctl.yaml`, 1},
		{"app without the platform", "version: 1\napp: {kind: alist}\nproviders:\n  - {name: l, type: lark}\n", "{}", []string{"l"},
			"cannot map users for AList with a lark provider: AList has no lark platform", 1},
		{"custom without email", "", monaUser, []string{"--mapping-type", "custom", "--rule", "name=$.login"},
			"custom mapping has no email rule, which is required", 2},
		{"provider needs a config", "", monaUser, []string{"gh"}, "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := runEval(t, tt.cfg, tt.stdin, tt.args...)
			require.Error(t, err)
			if tt.want != "" {
				assert.Equal(t, tt.want, err.Error())
			}
			assert.Equal(t, tt.code, cmdutil.ExitCodeOf(err))
			assert.NotEmpty(t, cmdutil.HintOf(err), "every error has a hint")
			assert.Empty(t, stdout)
		})
	}
}

func TestEvalRunLast(t *testing.T) {
	state := t.TempDir()
	rep := &login.Report{Provider: "kc", Type: "oidc",
		IDToken:  &login.IDTokenReport{Claims: map[string]any{"sub": "s1", "preferred_username": "Jens Mander", "email": "jens@example.com"}},
		Userinfo: map[string]any{"sub": "s1", "preferred_username": "Jens Mander", "email": "jens@example.com"}}
	require.NoError(t, login.SaveLast(filepath.Join(state, "ssoctl"), rep))
	f, ios := evalFactory(t, evalConfig)
	f.LookupEnv = func(k string) (string, bool) {
		if k == "XDG_STATE_HOME" {
			return state, true
		}
		return "", false
	}
	cmd := NewCmdEval(f, nil)
	cmd.SetArgs([]string{"--last", "-o", "json"})
	cmd.SetContext(context.Background())
	_, err := cmd.ExecuteC()
	require.NoError(t, err)
	var u map[string]any
	require.NoError(t, json.Unmarshal(ios.Out.(interface{ Bytes() []byte }).Bytes(), &u))
	// kc is in the config, app alist: AList reads the ID token's preferred_username as is.
	assert.Equal(t, "Jens Mander", u["username"])
	assert.Equal(t, "kc", u["provider"])
	assert.Equal(t, map[string]any{"from": "idToken", "path": "$.preferred_username"}, u["sources"].(map[string]any)["username"])

	// Without a saved login: exit 2 with a hint.
	f.LookupEnv = func(k string) (string, bool) { return filepath.Join(t.TempDir()), k == "XDG_STATE_HOME" }
	cmd = NewCmdEval(f, nil)
	cmd.SetArgs([]string{"--last"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetContext(context.Background())
	_, err = cmd.ExecuteC()
	require.EqualError(t, err, "no test-login result has been saved yet")
	assert.Equal(t, 2, cmdutil.ExitCodeOf(err))
}

func TestEvalRunBulk(t *testing.T) {
	input := strings.Join([]string{
		`{"login":"anyi","id":1,"email":"a@example.com"}`,
		`{"login":"anyi","id":2,"email":"b@example.com"}`,
		`not json`,
		`{"login":"zed","id":3}`,
	}, "\n") + "\n"
	stdout, stderr, err := runEval(t, evalConfig, input, "gh")
	require.Error(t, err)
	assert.Equal(t, "1 of 4 lines were malformed and skipped", err.Error())
	assert.Equal(t, 1, cmdutil.ExitCodeOf(err))
	assert.Contains(t, stderr, "X line 3 is not valid JSON: invalid character 'o' in literal null (expecting 'u')\n")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 3)
	var second struct {
		Line     int64  `json:"line"`
		Username string `json:"username"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &second))
	assert.Equal(t, int64(2), second.Line)
	assert.Equal(t, "anyi_2", second.Username)

	stdout, _, err = runEval(t, evalConfig, input, "gh", "--report", "-o", "json")
	require.Error(t, err)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	assert.Equal(t, float64(3), rep["users"])
	assert.Equal(t, map[string]any{"existing": float64(0), "input": float64(1), "renamed": float64(1), "unresolved": float64(0), "approximate": false}, rep["conflicts"])

	stdout, _, err = runEval(t, evalConfig, input, "gh", "--report")
	require.Error(t, err)
	assert.Contains(t, stdout, "Report (app alist, mapping github)\n")
	assert.Contains(t, stdout, "  username conflicts  1")

	_, _, err = runEval(t, evalConfig, input, "gh", "--fail-fast")
	require.EqualError(t, err, "stopped at line 3 (--fail-fast); the 2 documents before it were mapped")
	assert.Equal(t, 1, cmdutil.ExitCodeOf(err))
}

// TestEvalRunEscapesDocumentText: a GitHub user whose login, name and email carry an OSC title
// sequence, a CR + erase-line forging "✓ verified" and U+202E maps to a user whose text report shows
// them escaped (values, rules table, login line); -o json keeps the exact values.
func TestEvalRunEscapesDocumentText(t *testing.T) {
	const hostile = `{"login": "mona\u001b]0;pwned\u0007", "id": 58121947, "name": "Mona\r\u001b[2K✓ verified", "email": "m@example.com\u202e"}`
	stdout, stderr, err := runEval(t, evalConfig, hostile, "gh")
	require.NoError(t, err)
	for name, s := range map[string]string{"stdout": stdout, "stderr": stderr} {
		assert.NotContains(t, s, "\x1b", "%s: no raw ESC", name)
		assert.NotContains(t, s, "\r", "%s: no raw CR", name)
		assert.NotContains(t, s, "\u202e", "%s: no raw U+202E", name)
	}
	assert.Contains(t, stdout, `  username      mona\x1b]0;pwned\x07     userinfo $.login`)
	assert.Contains(t, stdout, `  nickname      Mona\r\x1b[2K✓ verified`)
	assert.Contains(t, stdout, `m@example.com\u202e`)
	assert.Contains(t, stdout, `creates mona\x1b]0;pwned\x07;`)

	stdout, _, err = runEval(t, evalConfig, hostile, "gh", "-o", "json")
	require.NoError(t, err)
	var u map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &u))
	assert.Equal(t, "mona\x1b]0;pwned\x07", u["username"])
	assert.Equal(t, "Mona\r\x1b[2K✓ verified", u["nickname"])
}

// TestEvalExistingLongLine: --existing with a line over 1 MiB is refused in one sentence naming the
// line (exit 2), not read as a username nor reported as a Go scanner error.
func TestEvalExistingLongLine(t *testing.T) {
	existing := filepath.Join(t.TempDir(), "existing.txt")
	require.NoError(t, os.WriteFile(existing, []byte("mona-ops\n"+strings.Repeat("a", 2<<20)+"\n"), 0o600))
	_, _, err := runEval(t, evalConfig, monaUser, "gh", "--existing", existing)
	require.Error(t, err)
	assert.Equal(t, 2, exitCode(err))
	assert.Equal(t, "line 2 of --existing "+existing+" is longer than 1 MiB, which no username is: the file is not a list of usernames", err.Error())
	assert.Contains(t, cmdutil.HintOf(err), "one username per line")
}
