package show

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

const sample = `version: 1
app: {kind: alist, url: https://files.example.com}
providers:
  - name: github
    type: github
    client_id: Iv1.abc
    client_secret: env:GITHUB_CLIENT_SECRET
    redirect_url: https://files.example.com/api/auth/sso_callback
  - name: authentik
    type: oidc
    display_name: Company SSO
    issuer: https://auth.example.com/application/o/alist/
    client_id: alist
    client_secret: s3cr3t-literal
    scopes: [openid, profile, email, groups]
    mapping:
      type: oidc
      rules: {name: $.preferred_username, email: $.email}
    compat_mode: true
  - name: entra
    type: microsoft
    client_id: 0000-1111
    client_secret: file:/run/secrets/entra
  - name: broken
    type: oauth2
    client_id: x
`

func TestNewCmdShow(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    ShowOptions
		wantErr string
	}{
		{name: "name", args: []string{"github"}, want: ShowOptions{Name: "github", Output: "text"}},
		{name: "yaml and reveal", args: []string{"github", "-o", "yaml", "--reveal"}, want: ShowOptions{Name: "github", Output: "yaml", Reveal: true}},
		{name: "json", args: []string{"github", "--output", "json"}, want: ShowOptions{Name: "github", Output: "json"}},
		{name: "missing name", args: nil, wantErr: "cannot show provider: name argument required"},
		{name: "two names", args: []string{"a", "b"}, wantErr: "too many arguments: b"},
		{name: "bad output", args: []string{"a", "-o", "xml"}, wantErr: `invalid argument "xml" for "-o, --output" flag: valid values are {text}|{yaml}|{json}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *ShowOptions
			cmd := NewCmdShow(&cmdutil.Factory{IOStreams: ios}, func(o *ShowOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want.Name, got.Name)
			assert.Equal(t, tt.want.Output, got.Output)
			assert.Equal(t, tt.want.Reveal, got.Reveal)
		})
	}
}

func setup(t *testing.T, content string) (string, func() (*config.File, error), func() (string, config.PathSource)) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ssoctl.yaml")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path, func() (*config.File, error) { return config.Load(path) }, func() (string, config.PathSource) { return path, config.SourceFlag }
}

func TestShowRun(t *testing.T) {
	tests := []struct {
		name       string
		provider   string
		output     string
		reveal     bool
		tty        bool
		wantStdout string
		wantStderr string
	}{
		{
			name: "github with preset endpoints and AList callbacks", provider: "github", output: "text",
			wantStdout: `name:           github
type:           github (GitHub)
client id:      Iv1.abc
client secret:  env:GITHUB_CLIENT_SECRET
redirect url:   https://files.example.com/api/auth/sso_callback
authorize url:  https://github.com/login/oauth/authorize (preset)
token url:      https://github.com/login/oauth/access_token (preset)
userinfo url:   https://api.github.com/user (preset)
scopes:         read:user user:email (preset)
mapping:        github (preset)
callback urls:  https://files.example.com/api/auth/sso_callback?method=sso_get_token
                https://files.example.com/api/auth/sso_callback?method=get_sso_id
`,
		},
		{
			name: "oidc with a literal secret on a terminal", provider: "authentik", output: "text", tty: true,
			wantStdout: `name:           authentik
type:           oidc (OpenID Connect)
display name:   Company SSO
client id:      alist
client secret:  ***
redirect url:   none: test-login uses a loopback callback
issuer:         https://auth.example.com/application/o/alist/
authorize url:  from discovery
token url:      from discovery
userinfo url:   from discovery
scopes:         openid profile email groups
mapping:        oidc
rules:          email = $.email
                name = $.preferred_username
compat mode:    yes
callback urls:  https://files.example.com/api/auth/sso_get_token
                https://files.example.com/api/auth/get_sso_id
`,
		},
		{
			name: "microsoft with the default tenant", provider: "entra", output: "text",
			wantStdout: `name:           entra
type:           microsoft (Microsoft Entra ID)
client id:      0000-1111
client secret:  file:/run/secrets/entra
redirect url:   none: test-login uses a loopback callback
tenant:         common (default)
issuer:         https://login.microsoftonline.com/common/v2.0 (preset)
authorize url:  https://login.microsoftonline.com/common/oauth2/v2.0/authorize (preset)
token url:      https://login.microsoftonline.com/common/oauth2/v2.0/token (preset)
userinfo url:   https://graph.microsoft.com/oidc/userinfo (preset)
scopes:         openid profile email (preset)
mapping:        microsoft (preset)
callback urls:  https://files.example.com/api/auth/sso_callback?method=sso_get_token
                https://files.example.com/api/auth/sso_callback?method=get_sso_id
`,
		},
		{
			name: "incomplete provider is shown with a warning", provider: "broken", output: "text",
			wantStdout: `name:           broken
type:           oauth2 (OAuth 2.0 (custom))
client id:      x
redirect url:   none: test-login uses a loopback callback
authorize url:  missing
token url:      missing
userinfo url:   missing
scopes:         none (preset)
mapping:        custom (preset)
callback urls:  https://files.example.com/api/auth/sso_callback?method=sso_get_token
                https://files.example.com/api/auth/sso_callback?method=get_sso_id
`,
			wantStderr: "! provider \"broken\" of type oauth2 has no authorize_url, token_url, userinfo_url\n",
		},
		{
			name: "reveal shows a literal and warns", provider: "authentik", output: "yaml", reveal: true,
			wantStdout: `provider:
  name: authentik
  type: oidc
  displayName: Company SSO
  clientId: alist
  scopes:
    - openid
    - profile
    - email
    - groups
  issuer: https://auth.example.com/application/o/alist/
  mapping:
    type: oidc
    rules:
      email: $.email
      name: $.preferred_username
  compatMode: true
  clientSecret: s3cr3t-literal
resolved:
  issuer: https://auth.example.com/application/o/alist/
  scopes:
    - openid
    - profile
    - email
    - groups
callbackUrls:
  - https://files.example.com/api/auth/sso_get_token
  - https://files.example.com/api/auth/get_sso_id
`,
			wantStderr: "! showing the literal client secret of authentik; keep this output private\n",
		},
		{
			name: "yaml redacts", provider: "authentik", output: "yaml",
			wantStdout: `provider:
  name: authentik
  type: oidc
  displayName: Company SSO
  clientId: alist
  scopes:
    - openid
    - profile
    - email
    - groups
  issuer: https://auth.example.com/application/o/alist/
  mapping:
    type: oidc
    rules:
      email: $.email
      name: $.preferred_username
  compatMode: true
  clientSecret: '***'
resolved:
  issuer: https://auth.example.com/application/o/alist/
  scopes:
    - openid
    - profile
    - email
    - groups
callbackUrls:
  - https://files.example.com/api/auth/sso_get_token
  - https://files.example.com/api/auth/get_sso_id
`,
		},
		{
			name: "json", provider: "github", output: "json",
			wantStdout: `{
  "provider": {
    "name": "github",
    "type": "github",
    "clientId": "Iv1.abc",
    "redirectUrl": "https://files.example.com/api/auth/sso_callback",
    "clientSecret": "env:GITHUB_CLIENT_SECRET"
  },
  "resolved": {
    "authorizeUrl": "https://github.com/login/oauth/authorize",
    "tokenUrl": "https://github.com/login/oauth/access_token",
    "userinfoUrl": "https://api.github.com/user",
    "scopes": [
      "read:user",
      "user:email"
    ]
  },
  "callbackUrls": [
    "https://files.example.com/api/auth/sso_callback?method=sso_get_token",
    "https://files.example.com/api/auth/sso_callback?method=get_sso_id"
  ]
}
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, load, path := setup(t, sample)
			ios, _, stdout, stderr := iostreams.Test()
			ios.SetStdoutTTY(tt.tty)
			err := showRun(&ShowOptions{IO: ios, Config: load, ConfigPath: path, Name: tt.provider, Output: tt.output, Reveal: tt.reveal})
			require.NoError(t, err)
			assert.Equal(t, tt.wantStdout, stdout.String())
			assert.Equal(t, tt.wantStderr, stderr.String())
			if !tt.reveal {
				assert.NotContains(t, stdout.String()+stderr.String(), "s3cr3t-literal")
			}
		})
	}
}

// TestShowJSONRedacts covers every output format without --reveal: a literal secret never appears.
func TestShowJSONRedacts(t *testing.T) {
	for _, output := range []string{"text", "yaml", "json"} {
		t.Run(output, func(t *testing.T) {
			_, load, path := setup(t, sample)
			ios, _, stdout, stderr := iostreams.Test()
			require.NoError(t, showRun(&ShowOptions{IO: ios, Config: load, ConfigPath: path, Name: "authentik", Output: output}))
			assert.NotContains(t, stdout.String()+stderr.String(), "s3cr3t-literal")
			assert.Contains(t, stdout.String(), "***")
		})
	}
	t.Run("json reveal", func(t *testing.T) {
		_, load, path := setup(t, sample)
		ios, _, stdout, _ := iostreams.Test()
		require.NoError(t, showRun(&ShowOptions{IO: ios, Config: load, ConfigPath: path, Name: "authentik", Output: "json", Reveal: true}))
		var doc struct {
			Provider map[string]any `json:"provider"`
		}
		require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc))
		assert.Equal(t, "s3cr3t-literal", doc.Provider["clientSecret"])
	})
}

func TestShowJSONFields(t *testing.T) {
	_, load, path := setup(t, sample)
	ios, _, stdout, _ := iostreams.Test()
	require.NoError(t, showRun(&ShowOptions{IO: ios, Config: load, ConfigPath: path, Name: "authentik", Output: "json"}))
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc))
	assert.ElementsMatch(t, []string{"provider", "resolved", "callbackUrls"}, keys(doc))
	var p map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(doc["provider"], &p))
	assert.ElementsMatch(t, []string{"name", "type", "displayName", "clientId", "clientSecret", "scopes", "issuer", "mapping", "compatMode"}, keys(p))
}

// TestShowYAMLSameAsJSON: -o yaml and -o json are one document, so a script can switch between them.
func TestShowYAMLSameAsJSON(t *testing.T) {
	docs := map[string]any{}
	for _, output := range []string{"yaml", "json"} {
		_, load, path := setup(t, sample)
		ios, _, stdout, _ := iostreams.Test()
		require.NoError(t, showRun(&ShowOptions{IO: ios, Config: load, ConfigPath: path, Name: "authentik", Output: output}))
		var doc any
		require.NoError(t, yaml.Unmarshal(stdout.Bytes(), &doc)) // JSON is YAML too
		docs[output] = doc
	}
	assert.Equal(t, docs["json"], docs["yaml"])
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestShowRunUnknown(t *testing.T) {
	tests := []struct {
		name, content, provider, wantErr, wantHint string
	}{
		{name: "typo", content: sample, provider: "githb", wantErr: `no provider named "githb" in PATH`, wantHint: `did you mean "github"?`},
		{name: "no file", provider: "github", wantErr: `no provider named "github" in PATH`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ssoctl.yaml")
			if tt.content != "" {
				require.NoError(t, os.WriteFile(path, []byte(tt.content), 0o600))
			}
			ios, _, stdout, _ := iostreams.Test()
			err := showRun(&ShowOptions{IO: ios, Config: func() (*config.File, error) { return config.Load(path) },
				ConfigPath: func() (string, config.PathSource) { return path, config.SourceFlag }, Name: tt.provider, Output: "text"})
			require.Error(t, err)
			assert.Equal(t, strings.ReplaceAll(tt.wantErr, "PATH", path), err.Error())
			assert.Equal(t, cmdutil.ExitCheckFailed, cmdutil.ExitCodeOf(err))
			if tt.wantHint != "" {
				assert.Contains(t, cmdutil.HintOf(err), tt.wantHint)
			}
			assert.Empty(t, stdout.String())
		})
	}
}

func TestShowCompletion(t *testing.T) {
	path, load, _ := setup(t, sample)
	_ = path
	ios, _, _, _ := iostreams.Test()
	cmd := NewCmdShow(&cmdutil.Factory{IOStreams: ios, Config: load}, nil)
	got, dir := cmd.ValidArgsFunction(cmd, nil, "a")
	assert.Equal(t, []string{"authentik\toidc"}, got)
	assert.Equal(t, cobra.ShellCompDirectiveNoFileComp, dir)
	got, _ = cmd.ValidArgsFunction(cmd, []string{"github"}, "")
	assert.Empty(t, got, "only one name is completed")
}

func TestShowTextGroupsAndRegistration(t *testing.T) {
	_, load, path := setup(t, `version: 1
providers:
  - name: kc
    type: oidc
    issuer: https://kc.example.com/realms/r
    client_id: inventree
    client_secret: env:KC_SECRET
    mapping:
      username: {from: preferred_username, on_conflict: fail}
    groups:
      claim: groups
      map: {"/inventree/admins": admin, "/inventree/staff": staff}
      remove_unmapped: true
    registration:
      enabled: true
      allowed_domains: [example.com]
      default_permission: [webdav-read, webdav-manage]
`)
	ios, _, stdout, _ := iostreams.Test()
	require.NoError(t, showRun(&ShowOptions{IO: ios, Config: load, ConfigPath: path, Name: "kc", Output: "text"}))
	assert.Contains(t, stdout.String(), `username:       from preferred_username, on conflict fail
groups claim:   groups
group map:      /inventree/admins -> admin
                /inventree/staff -> staff
remove groups:  yes: app groups the provider no longer sends are removed
registration:   enabled
domains:        example.com
permission:     webdav-read + webdav-manage
`)
}
