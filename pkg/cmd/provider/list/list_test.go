package list

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

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
`

func TestNewCmdList(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    string
		wantErr string
	}{
		{name: "default", want: "text"},
		{name: "json", args: []string{"-o", "json"}, want: "json"},
		{name: "long output flag", args: []string{"--output=json"}, want: "json"},
		{name: "no arguments", args: []string{"github"}, wantErr: `unexpected argument "github" for "list"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *ListOptions
			cmd := NewCmdList(&cmdutil.Factory{IOStreams: ios}, func(o *ListOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.Output)
		})
	}
}

func TestListRun(t *testing.T) {
	tests := []struct {
		name       string
		content    *string // nil: no file
		tty        bool
		output     string
		wantStdout string
		wantStderr string
	}{
		{
			name: "tty table", content: ptr(sample), tty: true, output: "text",
			wantStdout: "" +
				"NAME       TYPE    CLIENT-ID  REDIRECT\n" +
				"github     github  Iv1.abc    https://files.example.com/api/auth/sso_callback\n" +
				"authentik  oidc    alist      \n",
		},
		{
			name: "tab separated without a terminal", content: ptr(sample), output: "text",
			wantStdout: "github\tgithub\tIv1.abc\thttps://files.example.com/api/auth/sso_callback\n" +
				"authentik\toidc\talist\t\n",
		},
		{
			name: "json redacts a literal secret", content: ptr(sample), output: "json",
			wantStdout: `[
  {
    "name": "github",
    "type": "github",
    "displayName": "",
    "clientId": "Iv1.abc",
    "clientSecret": "env:GITHUB_CLIENT_SECRET",
    "redirectUrl": "https://files.example.com/api/auth/sso_callback"
  },
  {
    "name": "authentik",
    "type": "oidc",
    "displayName": "Company SSO",
    "clientId": "alist",
    "clientSecret": "***",
    "redirectUrl": ""
  }
]
`,
		},
		{
			name: "empty file", content: ptr("version: 1\n"), output: "text",
			wantStderr: "No providers in CONFIG yet; add one with \"ssoctl provider add\".\n",
		},
		{
			name: "no file", output: "text",
			wantStderr: "No providers: CONFIG does not exist yet; add one with \"ssoctl provider add\".\n",
		},
		{
			name: "no file json", output: "json",
			wantStdout: "[]\n",
			wantStderr: "No providers: CONFIG does not exist yet; add one with \"ssoctl provider add\".\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ssoctl.yaml")
			if tt.content != nil {
				require.NoError(t, os.WriteFile(path, []byte(*tt.content), 0o600))
			}
			ios, _, stdout, stderr := iostreams.Test()
			ios.SetStdoutTTY(tt.tty)
			opts := &ListOptions{
				IO:         ios,
				Config:     func() (*config.File, error) { return config.Load(path) },
				ConfigPath: func() (string, config.PathSource) { return path, config.SourceFlag },
				Output:     tt.output,
			}
			require.NoError(t, listRun(opts))
			assert.Equal(t, tt.wantStdout, stdout.String())
			assert.Equal(t, replacePath(tt.wantStderr, path), stderr.String())
			assert.NotContains(t, stdout.String()+stderr.String(), "s3cr3t-literal")
		})
	}
}

func TestListRunBadConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ssoctl.yaml")
	require.NoError(t, os.WriteFile(path, []byte("providers: [\n"), 0o600))
	ios, _, _, _ := iostreams.Test()
	err := listRun(&ListOptions{IO: ios, Config: func() (*config.File, error) { return config.Load(path) },
		ConfigPath: func() (string, config.PathSource) { return path, config.SourceFlag }, Output: "text"})
	require.Error(t, err)
	assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCodeOf(err))
}

func ptr(s string) *string { return &s }

func replacePath(s, path string) string {
	return string(bytes.ReplaceAll([]byte(s), []byte("CONFIG"), []byte(path)))
}
