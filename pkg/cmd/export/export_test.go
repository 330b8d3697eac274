package export

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

const testYAML = `version: 1
app:
  kind: alist
  version: "3.45" # reads the user's permission bits, so default_permission is all it needs
  url: https://files.example.com
providers:
  - name: github
    type: github
    client_id: Iv1.abc
    client_secret: env:GITHUB_CLIENT_SECRET
    registration:
      enabled: true
      default_permission: [webdav-read, webdav-manage]
`

func configOf(yaml string) func() (*config.File, error) {
	return func() (*config.File, error) { return config.Parse("ssoctl.yaml", []byte(yaml)) }
}

func TestNewCmdExport(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		want     ExportOptions
		wantErr  string
		wantCode int
	}{
		{name: "name only", args: []string{"github"},
			want: ExportOptions{Name: "github", Generation: "nextauth"}},
		{name: "target and format", args: []string{"github", "--target", "photoprism", "-o", "compose"},
			want: ExportOptions{Name: "github", Target: "photoprism", Format: "compose", Generation: "nextauth"}},
		{name: "--output is --format", args: []string{"github", "-t", "alist", "--output", "json"},
			want: ExportOptions{Name: "github", Target: "alist", Format: "json", Generation: "nextauth"}},
		{name: "lobechat flags", args: []string{"sso", "-t", "lobechat", "--generation", "betterauth", "--generate-secret", "--provider-id", "authentik", "--reveal"},
			want: ExportOptions{Name: "sso", Target: "lobechat", Generation: "betterauth", GenerationSet: true, GenerateSecret: true, ProviderID: "authentik", Reveal: true}},
		{name: "discover", args: []string{"sso", "-t", "generic", "--discover"},
			want: ExportOptions{Name: "sso", Target: "generic", Generation: "nextauth", Discover: true}},
		{name: "no name", args: []string{}, wantErr: "cannot export: provider name argument required", wantCode: 2},
		{name: "two names", args: []string{"a", "b"}, wantErr: "too many arguments: b", wantCode: 2},
		{name: "unknown target", args: []string{"github", "--target", "nextcloud"},
			wantErr: `invalid argument "nextcloud" for "-t, --target" flag: valid values are {alist}|{openlist}|{photoprism}|{inventree}|{lobechat}|{generic}`, wantCode: 2},
		{name: "unknown format", args: []string{"github", "-o", "xml"},
			wantErr: `invalid argument "xml" for "-o, --format" flag: valid values are {env}|{compose}|{json}|{yaml}|{table}`, wantCode: 2},
		{name: "unknown generation", args: []string{"github", "--generation", "v3"},
			wantErr: `invalid argument "v3" for "--generation" flag: valid values are {nextauth}|{betterauth}`, wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios, Config: configOf(testYAML)}
			var got *ExportOptions
			cmd := NewCmdExport(f, func(o *ExportOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cmdutil.FlagErrorWrap(err) })
			_, err := cmd.ExecuteC()
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
				return
			}
			require.NoError(t, err)
			got.IO, got.Config, got.HttpClient, got.LookupEnv, got.Context = nil, nil, nil, nil, nil
			assert.Equal(t, tt.want, *got)
		})
	}
}

func TestExportRun(t *testing.T) {
	tests := []struct {
		name       string
		yaml       string
		opts       ExportOptions
		tty        bool
		lookupEnv  func(string) (string, bool)
		wantOut    string
		wantErrOut string
		wantErr    string
		wantHint   string
		wantCode   int
	}{
		{
			name: "alist from app.kind, not a terminal",
			opts: ExportOptions{Name: "github"},
			wantOut: "sso_login_enabled\ttrue\nsso_login_platform\tGithub\nsso_client_id\tIv1.abc\nsso_client_secret\t<secret from env:GITHUB_CLIENT_SECRET: paste its value here>\n" +
				"sso_auto_register\ttrue\nsso_default_dir\t/\nsso_default_permission\t768\nsso_compatibility_mode\tfalse\n",
			wantErrOut: "note: AList 3.45 checks each user's own permission bits: new SSO users get sso_default_permission (768)\n" +
				"note: sso_client_secret is a placeholder: it is typed into AList's admin page, which does not read environment variables; paste the value of $GITHUB_CLIENT_SECRET there, or rerun with --reveal to have it written\n" +
				"note: a GitHub OAuth app takes one callback URL; AList's login and bind callbacks are sub-paths of it\n" +
				"Register this redirect URL at GitHub:\n  https://files.example.com/api/auth/sso_callback\n",
		},
		{
			name: "alist on a terminal",
			opts: ExportOptions{Name: "github", Format: "table"},
			tty:  true,
			wantOut: "KEY                     VALUE\n" +
				"sso_login_enabled       true\n" +
				"sso_login_platform      Github\n" +
				"sso_client_id           Iv1.abc\n" +
				"sso_client_secret       <secret from env:GITHUB_CLIENT_SECRET: paste its value here>\n" +
				"sso_auto_register       true\n" +
				"sso_default_dir         /\n" +
				"sso_default_permission  768\n" +
				"sso_compatibility_mode  false\n",
			wantErrOut: "note: AList 3.45 checks each user's own permission bits: new SSO users get sso_default_permission (768)\n" +
				"note: sso_client_secret is a placeholder: it is typed into AList's admin page, which does not read environment variables; paste the value of $GITHUB_CLIENT_SECRET there, or rerun with --reveal to have it written\n" +
				"note: a GitHub OAuth app takes one callback URL; AList's login and bind callbacks are sub-paths of it\n" +
				"Register this redirect URL at GitHub:\n  https://files.example.com/api/auth/sso_callback\n",
		},
		{
			name:      "photoprism cannot use github",
			opts:      ExportOptions{Name: "github", Target: "photoprism", Reveal: true},
			lookupEnv: func(string) (string, bool) { return "s3cret", true },
			wantErr:   `cannot export provider "github" to PhotoPrism: PhotoPrism signs in with OpenID Connect only, and GitHub is not an OpenID provider`,
			wantCode:  1,
		},
		{
			name:      "reveal writes the value and warns",
			opts:      ExportOptions{Name: "github", Target: "lobechat", Reveal: true, Format: "env"},
			lookupEnv: func(string) (string, bool) { return "s3cret", true },
			wantOut: "NEXT_AUTH_SECRET='<generate with: openssl rand -base64 32>'\nNEXTAUTH_URL=https://files.example.com/api/auth\n" +
				"NEXT_AUTH_SSO_PROVIDERS=github\nAUTH_GITHUB_ID=Iv1.abc\nAUTH_GITHUB_SECRET=s3cret\n",
			wantErrOut: "! --reveal: the output holds the client secret of provider github in clear text; keep it out of version control, logs and shell history\n" +
				"! LobeChat has no setting for permission sums; registration.default_permission is not exported [SSO072 registration.default_permission]\n" +
				"  hint: configure it in LobeChat itself, or remove it from this provider\n" +
				"note: NEXT_AUTH_SECRET is a placeholder: generate one with \"openssl rand -base64 32\" (or rerun with --generate-secret) and keep it, since a new one signs everyone out\n" +
				"note: to offer several providers, join their ids in NEXT_AUTH_SSO_PROVIDERS with commas; LobeChat 1.x also needs NEXT_PUBLIC_ENABLE_NEXT_AUTH=1 at build time (the lobe-chat-database image has it)\n" +
				"Register this redirect URL at GitHub:\n  https://files.example.com/api/auth/callback/github\n",
		},
		{
			name:     "unknown provider",
			opts:     ExportOptions{Name: "gihtub"},
			wantErr:  `no provider named "gihtub" in ssoctl.yaml`,
			wantHint: `did you mean "github"? known providers: github`,
			wantCode: 1,
		},
		{
			name:     "no target and no app.kind",
			yaml:     "version: 1\nproviders: [{name: github, type: github, client_id: x, client_secret: env:X}]\n",
			opts:     ExportOptions{Name: "github"},
			wantErr:  "cannot export: --target required, since the config file has no app.kind",
			wantCode: 2,
		},
		{
			name:     "format the target lacks",
			opts:     ExportOptions{Name: "github", Format: "env"},
			wantErr:  "format env is not available for --target alist; use table, json, yaml",
			wantCode: 2,
		},
		{
			name:     "generation without lobechat",
			opts:     ExportOptions{Name: "github", Generation: "betterauth", GenerationSet: true},
			wantErr:  "--generation applies to --target lobechat only",
			wantCode: 2,
		},
		{
			name:     "provider id for alist",
			opts:     ExportOptions{Name: "github", ProviderID: "gh"},
			wantErr:  "--provider-id applies to --target lobechat and inventree only",
			wantCode: 2,
		},
		{
			name:     "config that does not parse",
			yaml:     "version: 1\nproviders: [\n",
			opts:     ExportOptions{Name: "github"},
			wantErr:  "cannot parse ssoctl.yaml",
			wantCode: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, stdout, stderr := iostreams.Test()
			ios.SetStdoutTTY(tt.tty)
			yaml := tt.yaml
			if yaml == "" {
				yaml = testYAML
			}
			opts := tt.opts
			opts.IO, opts.Config, opts.LookupEnv = ios, configOf(yaml), tt.lookupEnv
			if opts.Generation == "" {
				opts.Generation = "nextauth"
			}
			err := exportRun(&opts)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
				if tt.wantHint != "" {
					assert.Equal(t, tt.wantHint, cmdutil.HintOf(err))
				}
				assert.Empty(t, stdout.String())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantOut, stdout.String())
			assert.Equal(t, tt.wantErrOut, stderr.String())
		})
	}
}

func TestExportRunGenerateSecret(t *testing.T) {
	ios, _, stdout, _ := iostreams.Test()
	opts := &ExportOptions{IO: ios, Config: configOf(testYAML), Name: "github", Target: "lobechat", Format: "json",
		Generation: "betterauth", GenerateSecret: true}
	require.NoError(t, exportRun(opts))
	var doc map[string]string
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc))
	b, err := base64.StdEncoding.DecodeString(doc["AUTH_SECRET"])
	require.NoError(t, err)
	assert.Len(t, b, 32)

	// A second export generates another secret.
	stdout.Reset()
	require.NoError(t, exportRun(opts))
	var again map[string]string
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &again))
	assert.NotEqual(t, doc["AUTH_SECRET"], again["AUTH_SECRET"])
}

// TestExportRunDiscover reads the generic form's endpoints from a discovery document served on
// loopback, and refuses one whose issuer differs.
func TestExportRunDiscover(t *testing.T) {
	var issuer string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, "/realms/main/.well-known/openid-configuration", r.URL.Path)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{
			"issuer":                 issuer,
			"authorization_endpoint": issuer + "/protocol/openid-connect/auth",
			"token_endpoint":         issuer + "/protocol/openid-connect/token",
			"userinfo_endpoint":      issuer + "/protocol/openid-connect/userinfo",
			"jwks_uri":               issuer + "/protocol/openid-connect/certs",
		})
	}))
	defer srv.Close()
	yaml := `version: 1
app: {kind: generic}
providers:
  - name: kc
    type: oidc
    issuer: ` + srv.URL + `/realms/main
    client_id: app
    client_secret: env:KC_SECRET
    redirect_url: https://app.example.com/oauth/callback
    icon: https://app.example.com/kc.png
    roles: [user]
`
	run := func() (string, error) {
		ios, _, stdout, _ := iostreams.Test()
		opts := &ExportOptions{IO: ios, Config: configOf(yaml), HttpClient: func() (*http.Client, error) { return srv.Client(), nil },
			Context: context.Background(), Name: "kc", Format: "json", Discover: true, Generation: "nextauth"}
		err := exportRun(opts)
		return stdout.String(), err
	}

	issuer = srv.URL + "/realms/main"
	out, err := run()
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, issuer+"/protocol/openid-connect/auth", doc["authorizeUrl"])
	assert.Equal(t, issuer+"/protocol/openid-connect/token", doc["tokenUrl"])
	assert.Equal(t, issuer+"/protocol/openid-connect/userinfo", doc["userInfoUrl"])

	issuer = srv.URL + "/realms/main/"
	_, err = run()
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "issuer "), err.Error())
	assert.Contains(t, err.Error(), "lacks the trailing slash")
	assert.Equal(t, 1, cmdutil.ExitCodeOf(err))
}

// TestExportCompletion pins the provider-name completion export shares with the provider commands:
// names with their type, each once even when the file repeats one, and never file names.
func TestExportCompletion(t *testing.T) {
	yaml := "version: 1\nproviders:\n" +
		"  - {name: github, type: github}\n  - {name: gitlab, type: oidc}\n  - {name: github, type: github}\n  - {name: kc, type: oidc}\n"
	tests := []struct {
		name       string
		args       []string
		toComplete string
		want       []string
	}{
		{name: "prefix", toComplete: "git", want: []string{"github\tgithub", "gitlab\toidc"}},
		{name: "all", want: []string{"github\tgithub", "gitlab\toidc", "kc\toidc"}},
		{name: "second argument", args: []string{"github"}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			cmd := NewCmdExport(&cmdutil.Factory{IOStreams: ios, Config: configOf(yaml)}, nil)
			got, directive := cmd.ValidArgsFunction(cmd, tt.args, tt.toComplete)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, cobra.ShellCompDirectiveNoFileComp, directive)
		})
	}
}
