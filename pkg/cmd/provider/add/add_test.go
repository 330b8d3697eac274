package add

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/provider"
	"github.com/ssoctl/ssoctl/pkg/tui/providerform"
)

func TestNewCmdAdd(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		tty     bool
		want    AddOptions
		wantErr string
	}{
		{
			name: "github with every common flag",
			args: []string{"github", "--type", "github", "--client-id", "Iv1.abc", "--client-secret-env", "GITHUB_CLIENT_SECRET",
				"--redirect-url", "https://files.example.com/api/auth/sso_callback", "--display-name", "GitHub", "--force"},
			want: AddOptions{Name: "github", Type: "github", ClientID: "Iv1.abc", ClientSecretEnv: "GITHUB_CLIENT_SECRET",
				RedirectURL: "https://files.example.com/api/auth/sso_callback", DisplayName: "GitHub", Force: true},
		},
		{
			name: "scopes split on spaces and repeat; rules parse",
			args: []string{"custom", "-t", "oauth2", "--scope", "openid profile", "--scope", "email", "--rule", "name=$.login", "--rule", "email = $.mail",
				"--client-secret-file", "/run/secrets/x", "--mapping-type", "custom"},
			want: AddOptions{Name: "custom", Type: "oauth2", Scopes: []string{"openid", "profile", "email"}, ClientSecretFile: "/run/secrets/x",
				Rules: map[string]string{"name": "$.login", "email": "$.mail"}, MappingType: "custom"},
		},
		{
			name: "oidc with discover",
			args: []string{"ak", "--type", "oidc", "--issuer", "https://auth.example.com/application/o/app/", "--discover"},
			want: AddOptions{Name: "ak", Type: "oidc", Issuer: "https://auth.example.com/application/o/app/", Discover: true},
		},
		{
			name: "microsoft tenant",
			args: []string{"entra", "--type", "microsoft", "--tenant", "organizations"},
			want: AddOptions{Name: "entra", Type: "microsoft", Tenant: "organizations"},
		},
		{
			name: "type may be asked for on a terminal",
			args: []string{"github"}, tty: true,
			want: AddOptions{Name: "github"},
		},
		{name: "type is required without a terminal", args: []string{"github"},
			wantErr: "missing required flag: --type (one of github, google, microsoft, dingtalk, lark, casdoor, oidc, oauth2)"},
		{name: "unknown type", args: []string{"x", "--type", "okta"},
			wantErr: `invalid argument "okta" for "-t, --type" flag: valid values are {github}|{google}|{microsoft}|{dingtalk}|{lark}|{casdoor}|{oidc}|{oauth2}`},
		{name: "name argument required", args: []string{"--type", "github"}, wantErr: "cannot add provider: name argument required"},
		{name: "name with capitals", args: []string{"GitHub", "--type", "github"},
			wantErr: `invalid provider name "GitHub": use lowercase letters, digits, - and _, starting with a letter or digit`},
		{name: "name starting with a dash", args: []string{"--type", "github", "--", "-gh"},
			wantErr: `invalid provider name "-gh": use lowercase letters, digits, - and _, starting with a letter or digit`},
		{name: "secret env and file exclude each other", args: []string{"gh", "--type", "github", "--client-secret-env", "A", "--client-secret-file", "f"},
			wantErr: "if any flags in the group [client-secret-env client-secret-file] are set none of the others can be; [client-secret-env client-secret-file] were all set"},
		{name: "a secret given as the env var name", args: []string{"gh", "--type", "github", "--client-secret-env", "ghs_12-ab.cd"},
			wantErr: `invalid --client-secret-env "ghs_12-ab.cd": give the name of an environment variable, not the secret`},
		{name: "relative issuer", args: []string{"ak", "--type", "oidc", "--issuer", "auth.example.com"},
			wantErr: `invalid --issuer: "auth.example.com" is not an absolute http:// or https:// URL`},
		{name: "tenant for github", args: []string{"gh", "--type", "github", "--tenant", "common"},
			wantErr: "--tenant applies only to type microsoft, not github"},
		{name: "issuer for github", args: []string{"gh", "--type", "github", "--issuer", "https://github.com"},
			wantErr: "--issuer does not apply to type github: it issues no ID token and has no discovery"},
		{name: "discover for oauth2", args: []string{"c", "--type", "oauth2", "--discover"},
			wantErr: "--discover needs an OpenID Connect type (google, microsoft, casdoor, oidc), not oauth2"},
		{name: "rule without =", args: []string{"c", "--type", "oauth2", "--rule", "$.login"},
			wantErr: `invalid --rule "$.login": use FIELD=JSONPATH, e.g. --rule email=$.email`},
		{name: "rule for an unknown field", args: []string{"c", "--type", "oauth2", "--rule", "mail=$.mail"},
			wantErr: `invalid --rule "mail=$.mail": field must be one of name, email, nickname, phone, description`},
		{name: "rule twice", args: []string{"c", "--type", "oauth2", "--rule", "name=$.a", "--rule", "name=$.b"},
			wantErr: "--rule name is given twice"},
		{
			name: "keycloak realm builds the issuer and implies oidc",
			args: []string{"kc", "--flavor", "keycloak", "--host", "kc.example.com", "--realm", "home", "--group", "admins=Admins"},
			want: AddOptions{Name: "kc", Type: "oidc", Flavor: "keycloak", Host: "kc.example.com", Realm: "home",
				Issuer: "https://kc.example.com/realms/home", Groups: map[string]string{"admins": "Admins"}},
		},
		{
			name: "keycloak before 17",
			args: []string{"kc", "--type", "oidc", "--flavor", "keycloak", "--host", "https://sso.example.com", "--realm", "master", "--legacy-issuer"},
			want: AddOptions{Name: "kc", Type: "oidc", Flavor: "keycloak", Host: "https://sso.example.com", Realm: "master", LegacyIssuer: true,
				Issuer: "https://sso.example.com/auth/realms/master"},
		},
		{
			name: "authentik slug",
			args: []string{"ak", "--flavor", "authentik", "--host", "auth.example.com", "--slug", "inventree"},
			want: AddOptions{Name: "ak", Type: "oidc", Flavor: "authentik", Host: "auth.example.com", Slug: "inventree",
				Issuer: "https://auth.example.com/application/o/inventree/"},
		},
		{
			name: "kanidm client name",
			args: []string{"idm", "--flavor", "kanidm", "--host", "idm.example.com", "--client-name", "alist"},
			want: AddOptions{Name: "idm", Type: "oidc", Flavor: "kanidm", Host: "idm.example.com", ClientName: "alist",
				Issuer: "https://idm.example.com/oauth2/openid/alist"},
		},
		{
			name: "flavor with a given issuer",
			args: []string{"z", "--flavor", "zitadel", "--issuer", "https://id.example.com"},
			want: AddOptions{Name: "z", Type: "oidc", Flavor: "zitadel", Issuer: "https://id.example.com"},
		},
		{name: "flavor on a non-oidc type", args: []string{"gh", "--type", "github", "--flavor", "keycloak"},
			wantErr: "--flavor applies only to type oidc, not github"},
		{name: "realm without flavor", args: []string{"kc", "--type", "oidc", "--realm", "home"},
			wantErr: "--realm needs --flavor: it is a part of a product's issuer"},
		{name: "host without flavor", args: []string{"kc", "--type", "oidc", "--host", "kc.example.com"},
			wantErr: "--host and --legacy-issuer need --flavor; without one, give --issuer"},
		{name: "slug for keycloak", args: []string{"kc", "--flavor", "keycloak", "--host", "kc.example.com", "--slug", "x"},
			wantErr: "--slug does not apply to flavor keycloak: its issuer is https://<host>/realms/<realm>"},
		{name: "realm without host", args: []string{"kc", "--flavor", "keycloak", "--realm", "home"},
			wantErr: "--host is required to build the Keycloak issuer https://<host>/realms/<realm>"},
		{name: "keycloak without realm", args: []string{"kc", "--flavor", "keycloak", "--host", "kc.example.com"},
			wantErr: "cannot build the Keycloak issuer: its realm is missing"},
		{name: "host and issuer exclude each other", args: []string{"kc", "--flavor", "keycloak", "--host", "h", "--issuer", "https://h"},
			wantErr: "if any flags in the group [issuer host] are set none of the others can be; [host issuer] were all set"},
		{name: "group without =", args: []string{"kc", "--flavor", "dex", "--host", "h", "--group", "admins"},
			wantErr: `invalid --group "admins": use IDP_GROUP=APP_GROUP, e.g. --group admins=Admins`},
		{name: "unknown flavor", args: []string{"x", "--flavor", "okta"},
			wantErr: `invalid argument "okta" for "--flavor" flag: valid values are {authentik}|{keycloak}|{authelia}|{zitadel}|{kanidm}|{pocket-id}|{dex}|{lemonldap}|{hydra}`},
		{name: "bad mapping type", args: []string{"c", "--type", "oauth2", "--mapping-type", "okta"},
			wantErr: `invalid argument "okta" for "--mapping-type" flag: valid values are {github}|{google}|{microsoft}|{dingtalk}|{lark}|{casdoor}|{oidc}|{custom}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			ios.SetStdinTTY(tt.tty)
			ios.SetStderrTTY(tt.tty)
			var got *AddOptions
			cmd := NewCmdAdd(&cmdutil.Factory{IOStreams: ios}, func(o *AddOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, *got, cmp.FilterPath(func(p cmp.Path) bool {
				// Dependencies are not flag values.
				switch p.Last().String() {
				case ".IO", ".Config", ".ConfigPath", ".HttpClient", ".LookupEnv", ".Prompt", ".SelectType":
					return true
				}
				return false
			}, cmp.Ignore())); diff != "" {
				t.Errorf("AddOptions (-want +got):\n%s", diff)
			}
		})
	}
}

type fixture struct {
	path   string
	opts   *AddOptions
	stdout *bytes.Buffer
	stderr *bytes.Buffer
}

func newFixture(t *testing.T, content string, tty bool, env map[string]string) *fixture {
	t.Helper()
	fx := &fixture{path: filepath.Join(t.TempDir(), "ssoctl.yaml")}
	if content != "" {
		require.NoError(t, os.WriteFile(fx.path, []byte(content), 0o600))
	}
	ios, _, stdout, stderr := iostreams.Test()
	ios.SetStdinTTY(tty)
	ios.SetStderrTTY(tty)
	fx.stdout, fx.stderr = stdout, stderr
	fx.opts = &AddOptions{
		IO:         ios,
		Config:     func() (*config.File, error) { return config.Load(fx.path) },
		ConfigPath: func() (string, config.PathSource) { return fx.path, config.SourceFlag },
		HttpClient: func() (*http.Client, error) { return http.DefaultClient, nil },
		LookupEnv:  func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		Prompt: func(context.Context, provider.Preset, providerform.Values, []string) (providerform.Values, error) {
			t.Fatal("no prompt expected")
			return providerform.Values{}, nil
		},
		SelectType: func(context.Context) (string, error) {
			t.Fatal("no prompt expected")
			return "", nil
		},
	}
	return fx
}

func (fx *fixture) providers(t *testing.T) []config.Provider {
	t.Helper()
	f, err := config.Load(fx.path)
	require.NoError(t, err)
	return f.Config.Providers
}

func (fx *fixture) errOut() string { return strings.ReplaceAll(fx.stderr.String(), fx.path, "PATH") }

const withApp = "version: 1\napp:\n  kind: alist\n  url: https://files.example.com\nproviders: []\n"

func TestAddRunNoTerminal(t *testing.T) {
	tests := []struct {
		name       string
		content    string
		set        func(o *AddOptions)
		env        map[string]string
		want       []config.Provider
		wantStderr string
		wantErr    string
		wantCode   int
		wantHint   string
	}{
		{
			name: "github to a new file",
			set: func(o *AddOptions) {
				o.Name, o.Type, o.ClientID, o.ClientSecretEnv = "github", "github", "Iv1.abc", "GITHUB_CLIENT_SECRET"
			},
			env:        map[string]string{"GITHUB_CLIENT_SECRET": "x"},
			want:       []config.Provider{{Name: "github", Type: "github", ClientID: "Iv1.abc", ClientSecret: "env:GITHUB_CLIENT_SECRET"}},
			wantStderr: "✓ Added provider github to PATH\n",
		},
		{
			name:    "redirect URL proposed from the app",
			content: withApp,
			set: func(o *AddOptions) {
				o.Name, o.Type, o.ClientID, o.ClientSecretEnv = "github", "github", "Iv1.abc", "GITHUB_CLIENT_SECRET"
			},
			want: []config.Provider{{Name: "github", Type: "github", ClientID: "Iv1.abc", ClientSecret: "env:GITHUB_CLIENT_SECRET",
				RedirectURL: "https://files.example.com/api/auth/sso_callback"}},
			wantStderr: "Using redirect URL https://files.example.com/api/auth/sso_callback (the AList callback for app.url); pass --redirect-url to choose another.\n" +
				"✓ Added provider github to PATH\n" +
				"! $GITHUB_CLIENT_SECRET is not set here; set it before \"ssoctl test-login github\"\n" +
				// GitHub takes one callback URL, and AList's two (?method=sso_get_token, get_sso_id) are under it.
				"Register this callback URL at GitHub:\n" +
				"  https://files.example.com/api/auth/sso_callback\n",
		},
		{
			name: "explicit redirect URL without an app",
			set: func(o *AddOptions) {
				o.Name, o.Type, o.ClientID, o.ClientSecretFile = "ak", "oidc", "alist", "/nonexistent/secret"
				o.Issuer, o.RedirectURL = "https://auth.example.com/application/o/alist/", "https://files.example.com/api/auth/sso_callback"
				o.Scopes = []string{"openid", "profile", "email", "groups"}
			},
			want: []config.Provider{{Name: "ak", Type: "oidc", ClientID: "alist", ClientSecret: "file:/nonexistent/secret",
				Issuer: "https://auth.example.com/application/o/alist/", RedirectURL: "https://files.example.com/api/auth/sso_callback",
				Scopes: []string{"openid", "profile", "email", "groups"}}},
			wantStderr: "✓ Added provider ak to PATH\n" +
				"! /nonexistent/secret does not exist yet; put the client secret in it before \"ssoctl test-login ak\"\n" +
				"Register this callback URL at your identity provider:\n" +
				"  https://files.example.com/api/auth/sso_callback\n",
		},
		{
			name:     "missing flags are named in one line",
			set:      func(o *AddOptions) { o.Name, o.Type = "ak", "oidc" },
			wantErr:  "missing required flags for type oidc: --client-id, --issuer, --client-secret-env or --client-secret-file",
			wantCode: 2,
			wantHint: "pass them on the command line, or run the command in a terminal to be asked for them",
		},
		{
			name:     "one missing flag",
			set:      func(o *AddOptions) { o.Name, o.Type, o.ClientSecretEnv = "gh", "github", "S" },
			wantErr:  "missing required flag for type github: --client-id",
			wantCode: 2,
		},
		{
			name: "oauth2 needs endpoints and rules",
			set: func(o *AddOptions) {
				o.Name, o.Type, o.ClientID, o.ClientSecretEnv, o.TokenURL = "c", "oauth2", "id", "S", "https://o.example.com/token"
			},
			wantErr:  "missing required flags for type oauth2: --authorize-url, --userinfo-url, --rule name=JSONPATH, --rule email=JSONPATH",
			wantCode: 2,
		},
		{
			// The edit fails (the list is shared through an alias); the unset variable is not the
			// reason, so it is not mentioned.
			name:    "failed write warns about nothing else",
			content: "version: 1\nx: &l\n  - name: a\n    type: oidc\nproviders: *l\n",
			set: func(o *AddOptions) {
				o.Name, o.Type, o.ClientID, o.ClientSecretEnv = "gh", "github", "id", "UNSET"
			},
			wantErr:  `cannot add provider "gh" to PATH: the providers list is an alias (*l) of a list defined elsewhere`,
			wantCode: 1,
		},
		{
			name:    "duplicate name",
			content: "version: 1\nproviders:\n  - name: gh\n    type: github\n",
			set: func(o *AddOptions) {
				o.Name, o.Type, o.ClientID, o.ClientSecretEnv = "gh", "github", "id", "S"
			},
			wantErr:  "provider \"gh\" already exists in PATH",
			wantCode: 1,
			wantHint: "use --force to replace it, or choose another name",
			want:     []config.Provider{{Name: "gh", Type: "github"}},
		},
		{
			name:    "force replaces",
			content: "version: 1\nproviders:\n  - name: gh\n    type: github\n    client_id: old\n  - name: other\n    type: google\n",
			set: func(o *AddOptions) {
				o.Name, o.Type, o.ClientID, o.ClientSecretEnv, o.Force = "gh", "github", "new", "S", true
			},
			env:        map[string]string{"S": "x"},
			want:       []config.Provider{{Name: "gh", Type: "github", ClientID: "new", ClientSecret: "env:S"}, {Name: "other", Type: "google"}},
			wantStderr: "✓ Replaced provider gh in PATH\n",
		},
		{
			name: "force on a new name adds",
			set: func(o *AddOptions) {
				o.Name, o.Type, o.ClientID, o.ClientSecretEnv, o.Force = "gh", "github", "new", "S", true
			},
			env:        map[string]string{"S": "x"},
			want:       []config.Provider{{Name: "gh", Type: "github", ClientID: "new", ClientSecret: "env:S"}},
			wantStderr: "✓ Added provider gh to PATH\n",
		},
		{
			name: "custom mapping on a preset type",
			set: func(o *AddOptions) {
				o.Name, o.Type, o.ClientID, o.ClientSecretEnv = "lark", "lark", "cli_a", "S"
				o.MappingType, o.Rules = "custom", map[string]string{"name": "$.data.name", "email": "$.data.email"}
			},
			env: map[string]string{"S": "x"},
			want: []config.Provider{{Name: "lark", Type: "lark", ClientID: "cli_a", ClientSecret: "env:S",
				Mapping: &config.Mapping{Type: "custom", Rules: map[string]string{"name": "$.data.name", "email": "$.data.email"}}}},
			wantStderr: "✓ Added provider lark to PATH\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, tt.content, false, tt.env)
			tt.set(fx.opts)
			err := addRun(context.Background(), fx.opts)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Equal(t, tt.wantErr, strings.ReplaceAll(err.Error(), fx.path, "PATH"))
				assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
				if tt.wantHint != "" {
					assert.Equal(t, tt.wantHint, cmdutil.HintOf(err))
				}
				if tt.content == "" {
					assert.NoFileExists(t, fx.path, "nothing is written on error")
				}
			} else {
				require.NoError(t, err)
			}
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, fx.providers(t)); diff != "" {
					t.Errorf("providers (-want +got):\n%s", diff)
				}
			}
			assert.Equal(t, tt.wantStderr, fx.errOut())
			assert.Empty(t, fx.stdout.String(), "add prints nothing on stdout")
		})
	}
}

func TestAddRunTerminal(t *testing.T) {
	t.Run("missing values and the suggested redirect URL are asked for", func(t *testing.T) {
		fx := newFixture(t, withApp, true, map[string]string{"AK_SECRET": "x"})
		fx.opts.Name, fx.opts.Type, fx.opts.ClientID = "ak", "oidc", "alist"
		fx.opts.Prompt = func(_ context.Context, preset provider.Preset, v providerform.Values, ask []string) (providerform.Values, error) {
			assert.Equal(t, "oidc", preset.Type)
			assert.Equal(t, []string{"issuer", "client_secret", "redirect_url"}, ask)
			assert.Equal(t, "alist", v.ClientID)
			assert.Equal(t, "https://files.example.com/api/auth/sso_callback", v.RedirectURL, "the suggestion is the default")
			v.Issuer, v.ClientSecret = "https://auth.example.com/application/o/alist/", "env:AK_SECRET"
			v.ClientID = "changed-but-not-asked"
			return v, nil
		}
		require.NoError(t, addRun(context.Background(), fx.opts))
		want := []config.Provider{{Name: "ak", Type: "oidc", ClientID: "alist", ClientSecret: "env:AK_SECRET",
			Issuer: "https://auth.example.com/application/o/alist/", RedirectURL: "https://files.example.com/api/auth/sso_callback"}}
		assert.Empty(t, cmp.Diff(want, fx.providers(t)))
		assert.Equal(t, "✓ Added provider ak to PATH\n"+
			"Register these callback URLs at your identity provider:\n"+
			"  https://files.example.com/api/auth/sso_callback?method=sso_get_token\n"+
			"  https://files.example.com/api/auth/sso_callback?method=get_sso_id\n", fx.errOut())
	})
	t.Run("type is selected, then the rest asked", func(t *testing.T) {
		fx := newFixture(t, "", true, map[string]string{"S": "x"})
		fx.opts.Name = "gh"
		fx.opts.SelectType = func(context.Context) (string, error) { return "github", nil }
		fx.opts.Prompt = func(_ context.Context, _ provider.Preset, v providerform.Values, ask []string) (providerform.Values, error) {
			assert.Equal(t, []string{"client_id", "client_secret"}, ask)
			v.ClientID, v.ClientSecret = "Iv1.x", "env:S"
			return v, nil
		}
		require.NoError(t, addRun(context.Background(), fx.opts))
		assert.Equal(t, []config.Provider{{Name: "gh", Type: "github", ClientID: "Iv1.x", ClientSecret: "env:S"}}, fx.providers(t))
	})
	t.Run("a literal secret from the form is never written", func(t *testing.T) {
		fx := newFixture(t, "", true, nil)
		fx.opts.Name, fx.opts.Type, fx.opts.ClientID = "gh", "github", "id"
		fx.opts.Prompt = func(_ context.Context, _ provider.Preset, v providerform.Values, _ []string) (providerform.Values, error) {
			v.ClientSecret = "hunter2"
			return v, nil
		}
		err := addRun(context.Background(), fx.opts)
		require.EqualError(t, err, "still missing for type github: --client-secret-env or --client-secret-file")
		assert.NoFileExists(t, fx.path)
	})
	t.Run("nothing to ask", func(t *testing.T) {
		fx := newFixture(t, "", true, map[string]string{"S": "x"})
		fx.opts.Name, fx.opts.Type, fx.opts.ClientID, fx.opts.ClientSecretEnv = "gh", "github", "id", "S"
		require.NoError(t, addRun(context.Background(), fx.opts))
		assert.Equal(t, "✓ Added provider gh to PATH\n", fx.errOut())
	})
	t.Run("cancelled form writes nothing", func(t *testing.T) {
		fx := newFixture(t, "", true, nil)
		fx.opts.Name, fx.opts.Type = "gh", "github"
		fx.opts.Prompt = func(context.Context, provider.Preset, providerform.Values, []string) (providerform.Values, error) {
			return providerform.Values{}, providerform.ErrAborted
		}
		err := addRun(context.Background(), fx.opts)
		require.EqualError(t, err, "cancelled: nothing was written")
		assert.Equal(t, cmdutil.ExitInterrupted, cmdutil.ExitCodeOf(err))
		assert.NoFileExists(t, fx.path)
	})
	t.Run("duplicate is refused before asking", func(t *testing.T) {
		fx := newFixture(t, "version: 1\nproviders:\n  - name: gh\n    type: github\n", true, nil)
		fx.opts.Name, fx.opts.Type = "gh", "github"
		err := addRun(context.Background(), fx.opts)
		var pe *config.ProviderExistsError
		require.True(t, errors.As(err, &pe))
	})
}

func TestAddRunDiscover(t *testing.T) {
	var issuer string // what the served document says
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/application/o/alist/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(`{"issuer":"` + issuer + `","authorization_endpoint":"x","token_endpoint":"y","jwks_uri":"z","code_challenge_methods_supported":["plain"]}`))
	}))
	defer srv.Close()
	base := srv.URL + "/application/o/alist/"

	tests := []struct {
		name       string
		served     string
		configured string
		wantErr    string
		wantHint   string
		wantStderr string
	}{
		{
			name: "issuer matches", served: base, configured: base,
			wantStderr: "✓ Discovery: issuer " + base + " matches\n" +
				"! the provider does not list PKCE S256 (code_challenge_methods_supported: plain)\n" +
				"✓ Added provider ak to PATH\n",
		},
		{
			name: "trailing slash missing", served: base, configured: strings.TrimSuffix(base, "/"),
			wantErr:  `issuer "` + strings.TrimSuffix(base, "/") + `" lacks the trailing slash of the discovered issuer "` + base + `"`,
			wantHint: "use --issuer " + base + ": the issuer must equal the discovery document's exactly",
		},
		{
			name: "unreachable", configured: "http://127.0.0.1:1/x",
			// In discover's words, not the dial error's.
			wantErr:  "cannot fetch the discovery document at http://127.0.0.1:1/x/.well-known/openid-configuration: TCP: connect: connection refused",
			wantHint: "nothing accepts connections there: check the port, that the provider runs, and firewalls between this machine and it; or add the provider without --discover",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issuer = tt.served
			fx := newFixture(t, "", false, map[string]string{"S": "x"})
			fx.opts.Name, fx.opts.Type, fx.opts.ClientID, fx.opts.ClientSecretEnv = "ak", "oidc", "alist", "S"
			fx.opts.Issuer, fx.opts.Discover = tt.configured, true
			err := addRun(context.Background(), fx.opts)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Equal(t, cmdutil.ExitCheckFailed, cmdutil.ExitCodeOf(err))
				if tt.wantHint != "" {
					assert.Equal(t, tt.wantHint, cmdutil.HintOf(err))
				}
				assert.NoFileExists(t, fx.path, "a failed check writes nothing")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantStderr, fx.errOut())
			assert.Equal(t, []config.Provider{{Name: "ak", Type: "oidc", ClientID: "alist", ClientSecret: "env:S", Issuer: tt.configured}},
				fx.providers(t), "discovery fills nothing in")
		})
	}
}

func TestAddRunDiscoverFlavor(t *testing.T) {
	// A recorded Kanidm document (testdata/discovery/kanidm.json, see its _comment) on loopback.
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "testdata", "discovery", "kanidm.json"))
	require.NoError(t, err)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.ReplaceAll(string(b), "https://idm.example.com", srv.URL)))
	}))
	defer srv.Close()
	tests := []struct {
		name, flavor, wantLine string
	}{
		{"unset: detected and said", "", "✓ Discovery: the document looks like kanidm (issuer path /oauth2/openid/<client>); \"ssoctl provider presets --flavor kanidm\" shows its defaults\n"},
		{"another product: warned", "authentik", "! --flavor is authentik, but the discovery document looks like kanidm (issuer path /oauth2/openid/<client>)\n"},
		{"the same: nothing more said", "kanidm", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, "", false, map[string]string{"S": "x"})
			fx.opts.Name, fx.opts.Type, fx.opts.ClientID, fx.opts.ClientSecretEnv = "idm", "oidc", "alist", "S"
			fx.opts.Issuer, fx.opts.Discover, fx.opts.Flavor = srv.URL+"/oauth2/openid/alist", true, tt.flavor
			require.NoError(t, addRun(context.Background(), fx.opts))
			want := "✓ Discovery: issuer " + srv.URL + "/oauth2/openid/alist matches\n" + tt.wantLine + "✓ Added provider idm to PATH\n"
			assert.Equal(t, want, fx.errOut())
			assert.Equal(t, tt.flavor, fx.providers(t)[0].Flavor)
		})
	}
}

// TestAllUnder: GitHub's one callback URL replaces the app's several only where it covers each.
func TestAllUnder(t *testing.T) {
	base := "https://files.example.com/api/auth/sso_callback"
	assert.True(t, allUnder([]string{base + "?method=sso_get_token", base + "?method=get_sso_id"}, base))
	assert.True(t, allUnder([]string{base, base + "/x"}, base))
	// AList's compatibility mode: two sibling paths, the suggested login callback covers one only.
	assert.False(t, allUnder([]string{"https://files.example.com/api/auth/sso_get_token", "https://files.example.com/api/auth/get_sso_id"},
		"https://files.example.com/api/auth/sso_get_token"))
	assert.False(t, allUnder([]string{base + "_other"}, base))
}
