package testlogin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/login"
)

func TestNewCmdTestLogin(t *testing.T) {
	tests := []struct {
		name    string
		cli     string
		want    TestLoginOptions
		wantErr string
	}{
		{name: "defaults", cli: "authentik", want: TestLoginOptions{Name: "authentik", Timeout: 3 * time.Minute, Output: "text"}},
		{name: "all flags", cli: "kc --listen 127.0.0.1:8000 --redirect-url http://127.0.0.1:8000/cb --no-browser --timeout 90s --prompt login --save out.json --reveal -o json",
			want: TestLoginOptions{Name: "kc", Listen: "127.0.0.1:8000", RedirectURL: "http://127.0.0.1:8000/cb", NoBrowser: true, Timeout: 90 * time.Second, Prompt: "login", Save: "out.json", Reveal: true, Output: "json"}},
		{name: "paste", cli: "google --paste", want: TestLoginOptions{Name: "google", Paste: true, Timeout: 3 * time.Minute, Output: "text"}},
		{name: "no name", cli: "", wantErr: "cannot test a login: provider name argument required"},
		{name: "two names", cli: "a b", wantErr: "too many arguments: b"},
		{name: "bad prompt", cli: "a --prompt always", wantErr: "valid values are"},
		{name: "zero timeout", cli: "a --timeout 0s", wantErr: "--timeout must be positive"},
		{name: "paste and listen", cli: "a --paste --listen 127.0.0.1:0", wantErr: "--paste and --listen cannot be combined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios}
			var got *TestLoginOptions
			cmd := NewCmdTestLogin(f, func(o *TestLoginOptions) error { got = o; return nil })
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
			assert.Equal(t, tt.want.Name, got.Name)
			assert.Equal(t, tt.want.Listen, got.Listen)
			assert.Equal(t, tt.want.RedirectURL, got.RedirectURL)
			assert.Equal(t, tt.want.NoBrowser, got.NoBrowser)
			assert.Equal(t, tt.want.Paste, got.Paste)
			assert.Equal(t, tt.want.Timeout, got.Timeout)
			assert.Equal(t, tt.want.Prompt, got.Prompt)
			assert.Equal(t, tt.want.Save, got.Save)
			assert.Equal(t, tt.want.Reveal, got.Reveal)
			assert.Equal(t, tt.want.Output, got.Output)
		})
	}
}

type fakeBrowser struct{}

func (fakeBrowser) Browse(string) error { return nil }

func runOpts(t *testing.T, cfg string, env map[string]string, loginF func(context.Context, login.Input) (*login.Report, error)) (*TestLoginOptions, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	ios, _, stdout, stderr := iostreams.Test()
	file, err := config.Parse("ssoctl.yaml", []byte(cfg))
	require.NoError(t, err)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return &TestLoginOptions{
		IO:         ios,
		Config:     func() (*config.File, error) { return file, nil },
		HttpClient: func() (*http.Client, error) { return http.DefaultClient, nil },
		Browser:    fakeBrowser{},
		Now:        func() time.Time { return now },
		LookupEnv:  func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		Login:      loginF,
		Timeout:    time.Minute,
		Output:     "text",
	}, stdout, stderr
}

const testConfig = `version: 1
providers:
  - name: auth
    type: oidc
    issuer: https://auth.example.com/application/o/app/
    client_id: app
    client_secret: env:AUTH_SECRET
    scopes: [openid, email]
`

func fakeReport() *login.Report {
	return &login.Report{
		Provider: "auth", Type: "oidc", Issuer: "https://auth.example.com/application/o/app/", ClientID: "app",
		Steps:           []login.Step{{Name: "discovery", DurationMS: 3}},
		RequestedScopes: []string{"openid", "email"}, GrantedScopes: []string{"openid", "email"}, GrantedScopesListed: true,
		IDToken: &login.IDTokenReport{Header: login.Header{Alg: "RS256", Kid: "k1"}, Claims: map[string]any{
			"sub": "u1", "exp": json.Number("1767323045"), "groups": []any{"a", "b"},
		}, Checks: []string{"signature RS256"}},
		Userinfo: map[string]any{"sub": "u1", "email": "u1@example.com"},
		Tokens:   &login.Tokens{AccessToken: "at-secret"},
	}
}

func TestTestLoginRun(t *testing.T) {
	state := t.TempDir()
	var got login.Input
	opts, stdout, stderr := runOpts(t, testConfig, map[string]string{"AUTH_SECRET": "s3cret", "XDG_STATE_HOME": state},
		func(_ context.Context, in login.Input) (*login.Report, error) {
			got = in
			return fakeReport(), nil
		})
	opts.Name = "auth"
	require.NoError(t, testLoginRun(context.Background(), opts))

	assert.Equal(t, "s3cret", got.ClientSecret, "secret resolved from the environment")
	assert.Equal(t, "https://auth.example.com/application/o/app/", got.Endpoints.Issuer)
	assert.Equal(t, []string{"openid", "email"}, got.Endpoints.Scopes)
	assert.NotNil(t, got.Browser)
	assert.Nil(t, got.Paste)
	assert.Equal(t, time.Minute, got.Timeout)

	assert.Equal(t, `ID token claims (RS256, kid k1)
  exp     1767323045 (2026-01-02T03:04:05Z, in 0s)
  groups  ["a","b"]
  sub     u1

Userinfo
{
  "email": "u1@example.com",
  "sub": "u1"
}

Granted scopes: openid email
Refresh token: none

Tokens
  access_token   at-secret
  id_token       -
  refresh_token  -
`, stdout.String())
	assert.Empty(t, stderr.String())

	// The last login is kept without tokens, readable by the user only.
	last := filepath.Join(state, "ssoctl", "last-login.json")
	fi, err := os.Stat(last)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	b, _ := os.ReadFile(last)
	assert.NotContains(t, string(b), "at-secret")
	rep, err := login.LoadLast(filepath.Join(state, "ssoctl"))
	require.NoError(t, err)
	assert.Equal(t, "u1@example.com", rep.Userinfo["email"])
}

func TestTestLoginRunPlainOAuth2(t *testing.T) {
	// A platform without ID token: no claims section; the checks that do not apply and the notes
	// are data, printed with the rest.
	opts, stdout, _ := runOpts(t, testConfig, map[string]string{"AUTH_SECRET": "x", "XDG_STATE_HOME": t.TempDir()},
		func(context.Context, login.Input) (*login.Report, error) {
			return &login.Report{
				Provider: "gh", Type: "github", Steps: []login.Step{},
				GrantedScopes: []string{"read:user", "user:email"}, GrantedScopesListed: true,
				Userinfo:      map[string]any{"id": json.Number("1"), "email": "m@example.com"},
				NotApplicable: []login.NotApplicable{{Checks: []string{"signature", "nonce"}, Reason: "GitHub issues no ID token"}},
				Notes:         []string{"email: taken from GET /user/emails"},
			}, nil
		})
	opts.Name = "auth"
	require.NoError(t, testLoginRun(context.Background(), opts))
	assert.Equal(t, `Userinfo
{
  "email": "m@example.com",
  "id": 1
}

Granted scopes: read:user user:email
Refresh token: none

Not applicable to type github
  signature, nonce: GitHub issues no ID token

Notes
  email: taken from GET /user/emails
`, stdout.String())

	// The same in JSON: camelCase fields, pinned.
	stdout.Reset()
	opts.Output = "json"
	require.NoError(t, testLoginRun(context.Background(), opts))
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc))
	assert.JSONEq(t, `[{"checks":["signature","nonce"],"reason":"GitHub issues no ID token"}]`, string(doc["notApplicable"]))
	assert.JSONEq(t, `["email: taken from GET /user/emails"]`, string(doc["notes"]))
	assert.NotContains(t, doc, "idToken")
}

func TestTestLoginRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		provider string
		loginErr error
		output   string
		wantErr  string
		wantCode int
		stdout   string
	}{
		{name: "unknown provider", provider: "nope", wantErr: `no provider named "nope" in ssoctl.yaml`, wantCode: 1},
		{name: "secret env unset", provider: "auth", wantErr: `cannot read the client secret of provider "auth" (env:AUTH_SECRET)`, wantCode: 2},
		{name: "login fails, json still printed", provider: "auth", env: map[string]string{"AUTH_SECRET": "x"}, output: "json",
			loginErr: &login.Error{Step: "id token", Check: "aud", Message: "id token audience check failed", HintText: "h"},
			wantErr:  "id token audience check failed", wantCode: 1, stdout: `"check": "aud"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"XDG_STATE_HOME": t.TempDir()}
			for k, v := range tt.env {
				env[k] = v
			}
			opts, stdout, _ := runOpts(t, testConfig, env, func(context.Context, login.Input) (*login.Report, error) {
				return &login.Report{Provider: "auth", Steps: []login.Step{}}, tt.loginErr
			})
			opts.Name = tt.provider
			if tt.output != "" {
				opts.Output = tt.output
			}
			err := testLoginRun(context.Background(), opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
			assert.NotEmpty(t, cmdutil.HintOf(err))
			if tt.stdout != "" {
				assert.Contains(t, stdout.String(), tt.stdout)
				assert.Contains(t, stdout.String(), `"ok": false`)
			}
		})
	}
}

func TestTestLoginRunNoBrowserAndPaste(t *testing.T) {
	for _, tc := range []struct {
		name           string
		noBrowser      bool
		paste          bool
		browser, pastd bool
	}{
		{name: "browser", browser: true},
		{name: "no browser", noBrowser: true},
		{name: "paste", paste: true, pastd: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got login.Input
			opts, _, _ := runOpts(t, testConfig, map[string]string{"AUTH_SECRET": "x", "XDG_STATE_HOME": t.TempDir()},
				func(_ context.Context, in login.Input) (*login.Report, error) { got = in; return fakeReport(), nil })
			opts.Name, opts.NoBrowser, opts.Paste = "auth", tc.noBrowser, tc.paste
			require.NoError(t, testLoginRun(context.Background(), opts))
			assert.Equal(t, tc.browser, got.Browser != nil)
			assert.Equal(t, tc.pastd, got.Paste != nil)
		})
	}
}

func TestTestLoginJSONFields(t *testing.T) {
	opts, stdout, _ := runOpts(t, testConfig, map[string]string{"AUTH_SECRET": "x", "XDG_STATE_HOME": t.TempDir()},
		func(context.Context, login.Input) (*login.Report, error) {
			rep := fakeReport()
			rep.RedirectURL, rep.ClientAuth, rep.TokenType, rep.ExpiresIn, rep.User = "http://127.0.0.1:1/callback", "client_secret_basic", "Bearer", 300, map[string]any{"username": "u1"}
			rep.Client = login.ClientReport{App: "AList 3.63", Summary: "as AList 3.63 (OIDC): no PKCE; client auth auto-detect", PKCE: false, Nonce: false,
				AuthMethods: []string{"client_secret_basic", "client_secret_post"}, Laxities: []string{"AList 3.63 (OIDC) sends no PKCE"}, Source: "server/handles/ssologin.go"}
			return rep, nil
		})
	opts.Name, opts.Output = "auth", "json"
	require.NoError(t, testLoginRun(context.Background(), opts))
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc))
	var keys []string
	for k := range doc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	assert.Equal(t, []string{"client", "clientAuth", "clientId", "expiresIn", "grantedScopes", "grantedScopesListed", "idToken", "issuer", "ok",
		"provider", "redirectUrl", "refreshToken", "requestedScopes", "steps", "tokenType", "tokens", "type", "user", "userinfo"}, keys)
	assert.JSONEq(t, `{"header":{"alg":"RS256","kid":"k1"},"claims":{"exp":1767323045,"groups":["a","b"],"sub":"u1"},"checks":["signature RS256"]}`, string(doc["idToken"]))
	assert.JSONEq(t, `[{"name":"discovery","durationMs":3}]`, string(doc["steps"]))
	assert.JSONEq(t, `{"app":"AList 3.63","summary":"as AList 3.63 (OIDC): no PKCE; client auth auto-detect","strict":false,"pkce":false,"nonce":false,"appCallsUserinfo":false,
		"authMethods":["client_secret_basic","client_secret_post"],"laxities":["AList 3.63 (OIDC) sends no PKCE"],"source":"server/handles/ssologin.go"}`, string(doc["client"]))
}

func TestTestLoginInterrupted(t *testing.T) {
	opts, stdout, _ := runOpts(t, testConfig, map[string]string{"AUTH_SECRET": "x", "XDG_STATE_HOME": t.TempDir()},
		func(context.Context, login.Input) (*login.Report, error) {
			return &login.Report{Steps: []login.Step{}}, fmt.Errorf("callback: %w", context.Canceled)
		})
	opts.Name, opts.Output = "auth", "json"
	err := testLoginRun(context.Background(), opts)
	assert.ErrorIs(t, err, context.Canceled, "root maps this to exit 130")
	assert.Empty(t, stdout.String())
}
