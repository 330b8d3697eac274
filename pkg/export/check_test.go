package export

import (
	"strings"

	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/perm"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

func appOf(kind, u string) *config.App { return &config.App{Kind: kind, URL: u} }

func cfgWith(a *config.App, ps ...config.Provider) *config.Config {
	return &config.Config{Version: 1, App: a, Providers: ps}
}

func ghProvider() config.Provider {
	return config.Provider{Name: "github", Type: config.TypeGitHub, ClientID: "Iv1.abc", ClientSecret: "env:GH_SECRET"}
}

func oidcProvider() config.Provider {
	return config.Provider{Name: "sso", Type: config.TypeOIDC, ClientID: "app", ClientSecret: "env:SSO_SECRET",
		Issuer: "https://auth.example.com/application/o/app/"}
}

func sum(n int64) config.Permission { return config.Permission{Sum: &n} }

// codes returns "CODE field" for each warning, in order.
func codes(ws []Warning) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.Code+" "+w.Field)
	}
	return out
}

func TestCheck(t *testing.T) {
	secondProvider := config.Provider{Name: "other", Type: config.TypeGoogle, ClientID: "x", ClientSecret: "env:X"}
	tests := []struct {
		name   string
		cfg    func(p config.Provider) *config.Config
		p      func() config.Provider
		target string
		want   []string
	}{
		{name: "clean github for alist", target: TargetAList, p: ghProvider, want: []string{}},
		{name: "clean oidc for every field photoprism has", target: TargetPhotoPrism, p: func() config.Provider {
			p := oidcProvider()
			p.DisplayName, p.Icon, p.Scopes = "SSO", "https://x/icon.png", []string{"openid", "email"}
			p.Registration = &config.Registration{Enabled: true}
			return p
		}, want: []string{}},
		{name: "photoprism has no group map", target: TargetPhotoPrism, p: func() config.Provider {
			p := oidcProvider()
			p.Groups = &config.Groups{Claim: "groups", Map: map[string]string{"a": "b"}}
			return p
		}, want: []string{"SSO070 groups"}},
		{name: "alist has one platform at a time", target: TargetAList, p: ghProvider,
			cfg: func(p config.Provider) *config.Config {
				return cfgWith(appOf("alist", "https://f.example.com"), p, secondProvider)
			},
			want: []string{"SSO018 providers"}},
		{name: "alist has no lark platform", target: TargetAList, p: func() config.Provider {
			return config.Provider{Name: "lark", Type: config.TypeLark, ClientID: "cli", ClientSecret: "env:L"}
		}, want: []string{"SSO019 type"}},
		{name: "alist has no oauth2 platform", target: TargetAList, p: func() config.Provider {
			return config.Provider{Name: "c", Type: config.TypeOAuth2, ClientID: "c", ClientSecret: "env:C"}
		}, want: []string{"SSO019 type"}},
		{name: "alist has no group sync", target: TargetAList, p: func() config.Provider {
			p := ghProvider()
			p.Groups = &config.Groups{RemoveUnmapped: true}
			return p
		}, want: []string{"SSO070 groups"}},
		{name: "lobechat has no permission sums", target: TargetLobeChat, p: func() config.Provider {
			p := ghProvider()
			p.Registration = &config.Registration{Enabled: true, DefaultPermission: sum(768)}
			return p
		}, want: []string{"SSO072 registration.default_permission"}},
		{name: "casdoor built-in organization", target: TargetAList, p: func() config.Provider {
			return config.Provider{Name: "door", Type: config.TypeCasdoor, Issuer: "https://door.example.com", ClientID: "c", ClientSecret: "env:C",
				Organization: "built-in", Application: "app-built-in"}
		}, want: []string{"SSO017 organization", "SSO017 application"}},
		{name: "photoprism over plain http", target: TargetPhotoPrism, p: oidcProvider,
			cfg: func(p config.Provider) *config.Config {
				return cfgWith(appOf("photoprism", "http://photos.example.com"), p)
			},
			want: []string{"SSO075 app.url"}},
		{name: "photoprism on localhost http is fine", target: TargetPhotoPrism, p: oidcProvider,
			cfg: func(p config.Provider) *config.Config {
				return cfgWith(appOf("photoprism", "http://localhost:2342"), p)
			},
			want: []string{}},
		{name: "photoprism issuer over http", target: TargetPhotoPrism, p: func() config.Provider {
			p := oidcProvider()
			p.Issuer = "http://auth.example.com"
			return p
		}, want: []string{"SSO075 issuer"}},
		{name: "alist microsoft tenant other than common", target: TargetAList, p: func() config.Provider {
			return config.Provider{Name: "ms", Type: config.TypeMicrosoft, Tenant: "contoso.onmicrosoft.com", ClientID: "c", ClientSecret: "env:C"}
		}, want: []string{"SSO020 tenant"}},
		{name: "alist microsoft tenant common is fine", target: TargetAList, p: func() config.Provider {
			return config.Provider{Name: "ms", Type: config.TypeMicrosoft, Tenant: "common", ClientID: "c", ClientSecret: "env:C"}
		}, want: []string{}},
		{name: "photoprism microsoft common tenant", target: TargetPhotoPrism, p: func() config.Provider {
			return config.Provider{Name: "ms", Type: config.TypeMicrosoft, ClientID: "c", ClientSecret: "env:C"}
		}, want: []string{"SSO078 tenant"}},
		{name: "alist oidc username key name", target: TargetAList, p: func() config.Provider {
			p := oidcProvider()
			p.Mapping = &config.Mapping{Username: &config.Username{From: "nickname"}} // oidc preset: nickname is $.name
			return p
		}, want: []string{"SSO034 mapping.username.from"}},
		{name: "alist oidc username key email claim", target: TargetAList, p: func() config.Provider {
			p := oidcProvider()
			p.Mapping = &config.Mapping{Username: &config.Username{From: "email"}}
			return p
		}, want: []string{"SSO034 mapping.username.from"}},
		{name: "alist oidc username rule that is no claim", target: TargetAList, p: func() config.Provider {
			p := oidcProvider()
			p.Mapping = &config.Mapping{Rules: map[string]string{"name": "$.emails[0].value"}}
			return p
		}, want: []string{"SSO074 mapping.username.from", "SSO073 mapping.rules"}},
		{name: "photoprism username claim it cannot use", target: TargetPhotoPrism, p: func() config.Provider {
			p := oidcProvider()
			p.Mapping = &config.Mapping{Username: &config.Username{From: "sub", Normalize: "none", OnConflict: "suffix-id"}}
			return p
		}, want: []string{"SSO035 mapping.username.from", "SSO074 mapping.username.normalize", "SSO074 mapping.username.on_conflict"}},
		{name: "photoprism needs an OpenID provider", target: TargetPhotoPrism, p: ghProvider, want: []string{"SSO080 type"}},
		{name: "inventree one signup group", target: TargetInvenTree, p: func() config.Provider {
			p := oidcProvider()
			p.Roles = []string{"a", "b"}
			return p
		}, want: []string{"SSO071 roles"}},
		{name: "inventree syncs groups only over openid connect", target: TargetInvenTree, p: func() config.Provider {
			p := ghProvider()
			p.Groups = &config.Groups{Claim: "groups"}
			return p
		}, want: []string{"SSO070 groups"}},
		{name: "inventree with groups over oidc is fine", target: TargetInvenTree, p: func() config.Provider {
			p := oidcProvider()
			p.Groups = &config.Groups{Claim: "groups", Map: map[string]string{"a": "b"}, RemoveUnmapped: true}
			p.Roles = []string{"staff"}
			p.Registration = &config.Registration{Enabled: true, AllowedDomains: []string{"example.com"}}
			return p
		}, want: []string{}},
		{name: "generic form needs icon and roles", target: TargetGeneric, p: ghProvider,
			want: []string{"SSO079 icon", "SSO079 roles"}},
		{name: "redirect url the app does not send", target: TargetLobeChat, p: func() config.Provider {
			p := oidcProvider()
			p.RedirectURL = "https://chat.example.com/api/auth/callback/sso" // LobeChat calls it authentik
			return p
		}, cfg: func(p config.Provider) *config.Config {
			return cfgWith(appOf("lobechat", "https://chat.example.com"), p)
		},
			want: []string{"SSO015 redirect_url"}},
		{name: "unknown target gives nothing", target: "nextcloud", p: ghProvider, want: []string{}},
		{name: "unknown type gives nothing", target: TargetAList, p: func() config.Provider {
			return config.Provider{Name: "x", Type: "saml"}
		}, want: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p()
			cfg := cfgWith(appOf(tt.target, "https://app.example.com"), p)
			if tt.cfg != nil {
				cfg = tt.cfg(p)
			}
			got := Check(cfg, p, tt.target)
			assert.Equal(t, tt.want, codes(got))
			for _, w := range got {
				assert.NotEmpty(t, w.Message)
				assert.NotEmpty(t, w.Hint)
			}
		})
	}
}

// TestExportCarriesCheck pins that Export reports what Check reports.
func TestExportCarriesCheck(t *testing.T) {
	p := oidcProvider()
	p.Groups = &config.Groups{Claim: "groups"}
	cfg := cfgWith(appOf("photoprism", "https://photos.example.com"), p)
	r, err := Export(cfg, p, Options{Target: TargetPhotoPrism})
	require.NoError(t, err)
	assert.Equal(t, Check(cfg, p, TargetPhotoPrism), r.Warnings)
}

func TestExportErrors(t *testing.T) {
	tests := []struct {
		name      string
		p         func() config.Provider
		cfg       func(p config.Provider) *config.Config
		opts      Options
		wantErr   string
		wantHint  string
		wantField string
		wantCode  int
	}{
		{name: "unknown target", p: ghProvider, opts: Options{Target: "nextcloud"},
			wantErr: `unknown export target "nextcloud"`, wantHint: "use --target with one of alist, openlist, photoprism, inventree, lobechat, generic", wantCode: 2},
		{name: "alist lark", p: func() config.Provider {
			return config.Provider{Name: "lark", Type: config.TypeLark, ClientID: "cli", ClientSecret: "env:L"}
		}, opts: Options{Target: TargetAList}, wantErr: `cannot export provider "lark" to AList: AList has no lark platform`, wantCode: 1},
		{name: "photoprism github", p: ghProvider, opts: Options{Target: TargetPhotoPrism},
			wantErr: `cannot export provider "github" to PhotoPrism: PhotoPrism signs in with OpenID Connect only, and GitHub is not an OpenID provider`, wantCode: 1},
		{name: "inventree oauth2", p: func() config.Provider {
			return config.Provider{Name: "c", Type: config.TypeOAuth2, ClientID: "c", ClientSecret: "env:C"}
		}, opts: Options{Target: TargetInvenTree}, wantErr: `cannot export provider "c" to InvenTree: django-allauth, which InvenTree signs in with, has no provider for a custom OAuth 2.0 server`, wantCode: 1},
		{name: "oidc without issuer", p: func() config.Provider {
			p := oidcProvider()
			p.Issuer = ""
			return p
		}, opts: Options{Target: TargetPhotoPrism}, wantErr: `cannot export provider "sso" to PhotoPrism: provider has no issuer, which PHOTOPRISM_OIDC_URI needs`,
			wantHint: `set issuer for provider sso in the config file, or re-add it with "ssoctl provider add sso --force --issuer ..."`, wantField: "issuer", wantCode: 1},
		{name: "no client id", p: func() config.Provider {
			p := ghProvider()
			p.ClientID = ""
			return p
		}, opts: Options{Target: TargetAList}, wantErr: `cannot export provider "github" to AList: provider has no client_id, which sso_client_id needs`, wantField: "client_id", wantCode: 1},
		{name: "no client secret", p: func() config.Provider {
			p := ghProvider()
			p.ClientSecret = ""
			return p
		}, opts: Options{Target: TargetLobeChat}, wantErr: `cannot export provider "github" to LobeChat: provider has no client_secret, which AUTH_GITHUB_SECRET needs`, wantField: "client_secret", wantCode: 1},
		{name: "no app url", p: ghProvider, cfg: func(p config.Provider) *config.Config { return cfgWith(nil, p) },
			opts:    Options{Target: TargetAList},
			wantErr: `cannot export provider "github" to AList: the config has no app.url, which the callback URL to register at the provider is built from`, wantField: "app.url", wantCode: 1},
		{name: "app url not a url", p: ghProvider, cfg: func(p config.Provider) *config.Config { return cfgWith(appOf("alist", "files.example.com"), p) },
			opts:    Options{Target: TargetAList},
			wantErr: `cannot export provider "github" to AList: app.url "files.example.com" is not an absolute http:// or https:// URL`, wantField: "app.url", wantCode: 1},
		{name: "reveal with the variable unset", p: ghProvider, opts: Options{Target: TargetAList, Reveal: true, LookupEnv: func(string) (string, bool) { return "", false }},
			wantErr:  `cannot reveal the client secret of provider "github": environment variable GH_SECRET is not set`,
			wantHint: "export GH_SECRET before running ssoctl, or drop --reveal to write ${GH_SECRET}", wantCode: 1},
		{name: "reveal of a reference without a name", p: func() config.Provider {
			p := ghProvider()
			p.ClientSecret = "env:"
			return p
		}, opts: Options{Target: TargetAList, Reveal: true},
			wantErr:  `cannot reveal the client secret of provider "github": the secret reference "env:" names no environment variable`,
			wantHint: "complete the reference in the config file (client_secret: env:NAME), or drop --reveal", wantCode: 1},
		{name: "permission name outside the scheme", p: func() config.Provider {
			p := ghProvider()
			p.Registration = &config.Registration{DefaultPermission: config.Permission{Items: []string{"webdav-reed"}}}
			return p
		}, opts: Options{Target: TargetAList}, wantErr: `provider "github": registration.default_permission: unknown permission "webdav-reed" in scheme alist`,
			wantHint: `did you mean "webdav-read"? run "ssoctl perm list" to see all names`, wantCode: 1},
		{name: "permission sum outside the scheme", p: func() config.Provider {
			p := ghProvider()
			p.Registration = &config.Registration{DefaultPermission: sum(1 << 20)}
			return p
		}, opts: Options{Target: TargetAList}, wantErr: `provider "github": registration.default_permission: permission 1048576 has bits outside scheme alist (extra 1048576)`, wantCode: 1},
		{name: "lobechat provider id that does not exist", p: oidcProvider, opts: Options{Target: TargetLobeChat, ProviderID: "authentic"},
			wantErr: `LobeChat has no provider id "authentic" for a provider of type oidc`, wantCode: 2},
		{name: "lobechat provider id for a fixed type", p: ghProvider, opts: Options{Target: TargetLobeChat, ProviderID: "generic-oidc"},
			wantErr: `LobeChat has no provider id "generic-oidc" for a provider of type github`, wantHint: "use --provider-id with one of github", wantCode: 2},
		{name: "lobechat unknown generation", p: ghProvider, opts: Options{Target: TargetLobeChat, Generation: "v3"},
			wantErr: `unknown LobeChat generation "v3"`, wantCode: 2},
		{name: "lobechat nextauth has no lark", p: func() config.Provider {
			return config.Provider{Name: "lark", Type: config.TypeLark, ClientID: "cli", ClientSecret: "env:L"}
		}, opts: Options{Target: TargetLobeChat}, wantErr: `cannot export provider "lark" to LobeChat: LobeChat (nextauth) has no SSO provider for type lark`,
			wantHint: "LobeChat supports github, google, microsoft, casdoor, oidc; --target generic writes a custom OAuth form instead", wantCode: 1},
		{name: "generic oidc without endpoints", p: func() config.Provider {
			p := oidcProvider()
			p.RedirectURL = "https://app.example.com/cb"
			return p
		}, opts: Options{Target: TargetGeneric}, wantErr: `cannot export provider "sso" to the generic OAuth form: provider has no authorize_url, which the form's Authorize URL needs`,
			wantHint: "add --discover to read the endpoints from the issuer's discovery document, or set authorize_url for provider sso in the config file", wantField: "authorize_url", wantCode: 1},
		{name: "generic without redirect url", p: ghProvider, opts: Options{Target: TargetGeneric},
			wantErr: `cannot export provider "github" to the generic OAuth form: provider has no redirect_url, which the form's Redirect URL needs`, wantField: "redirect_url", wantCode: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p()
			cfg := cfgWith(appOf(tt.opts.Target, "https://app.example.com"), p)
			if tt.cfg != nil {
				cfg = tt.cfg(p)
			}
			_, err := Export(cfg, p, tt.opts)
			require.EqualError(t, err, tt.wantErr)
			if tt.wantHint != "" {
				var h interface{ Hint() string }
				require.True(t, errors.As(err, &h))
				assert.Equal(t, tt.wantHint, h.Hint())
			}
			if tt.wantField != "" {
				var me *MissingError
				require.True(t, errors.As(err, &me))
				assert.Equal(t, tt.wantField, me.Field)
			}
			var c interface{ ExitCode() int }
			require.True(t, errors.As(err, &c))
			assert.Equal(t, tt.wantCode, c.ExitCode())
		})
	}
}

func TestGenericDiscovery(t *testing.T) {
	p := oidcProvider()
	p.RedirectURL, p.Icon, p.Roles = "https://app.example.com/cb", "https://x/icon.png", []string{"user"}
	d := &provider.Discovery{Issuer: p.Issuer, AuthorizationEndpoint: "https://auth.example.com/application/o/authorize/",
		TokenEndpoint: "https://auth.example.com/application/o/token/", UserinfoEndpoint: "https://auth.example.com/application/o/userinfo/"}
	r, err := Export(cfgWith(appOf("generic", ""), p), p, Options{Target: TargetGeneric, Discovery: d})
	require.NoError(t, err)
	for key, want := range map[string]string{"authorizeUrl": d.AuthorizationEndpoint, "tokenUrl": d.TokenEndpoint, "userInfoUrl": d.UserinfoEndpoint,
		"userInfoMappingType": "CUSTOM", "scope": "openid profile email"} {
		got, ok := r.Doc().Get(key)
		require.True(t, ok, key)
		assert.Equal(t, want, got, key)
	}
	rules, _ := r.Doc().Get("customMappingRules")
	assert.Equal(t, Object{{"name", "$.preferred_username"}, {"email", "$.email"}, {"nickname", "$.name"}, {"phone", "$.phone_number"}}, rules)
	assert.Empty(t, r.Warnings)
}

func TestLobeID(t *testing.T) {
	tests := []struct {
		name, provName, typ, issuer, gen, override, want string
	}{
		{"authentik by issuer", "sso", config.TypeOIDC, "https://auth.example.com/application/o/chat/", GenerationNextAuth, "", "authentik"},
		{"keycloak by issuer", "sso", config.TypeOIDC, "https://kc.example.com/realms/main", GenerationNextAuth, "", "keycloak"},
		{"zitadel by host", "sso", config.TypeOIDC, "https://acme-abc.zitadel.cloud", GenerationNextAuth, "", "zitadel"},
		{"cognito only in betterauth", "sso", config.TypeOIDC, "https://cognito-idp.eu-west-1.amazonaws.com/pool", GenerationNextAuth, "", "generic-oidc"},
		{"cognito in betterauth", "sso", config.TypeOIDC, "https://cognito-idp.eu-west-1.amazonaws.com/pool", GenerationBetterAuth, "", "cognito"},
		{"name that is an id", "logto", config.TypeOIDC, "https://id.example.com/oidc", GenerationNextAuth, "", "logto"},
		{"anything else", "sso", config.TypeOIDC, "https://id.example.com", GenerationNextAuth, "", "generic-oidc"},
		{"override", "sso", config.TypeOIDC, "https://auth.example.com/application/o/chat/", GenerationNextAuth, "generic-oidc", "generic-oidc"},
		{"casdoor", "door", config.TypeCasdoor, "https://door.example.com", GenerationNextAuth, "", "casdoor"},
		{"microsoft nextauth", "ms", config.TypeMicrosoft, "", GenerationNextAuth, "", "microsoft-entra-id"},
		{"microsoft betterauth", "ms", config.TypeMicrosoft, "", GenerationBetterAuth, "", "microsoft"},
		{"lark betterauth", "lark", config.TypeLark, "", GenerationBetterAuth, "", "feishu"},
		{"dingtalk nowhere", "ding", config.TypeDingTalk, "", GenerationBetterAuth, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := config.Provider{Name: tt.provName, Type: tt.typ, Issuer: tt.issuer}
			in, err := newInput(cfgWith(nil, p), p, Options{Target: TargetLobeChat, Generation: tt.gen, ProviderID: tt.override})
			require.NoError(t, err)
			got, _, err := lobeID(in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestLobeChatCallbacks(t *testing.T) {
	p := oidcProvider()
	cfg := cfgWith(appOf("lobechat", "https://chat.example.com/"), p)
	for gen, want := range map[string]string{
		GenerationNextAuth:   "https://chat.example.com/api/auth/callback/authentik",
		GenerationBetterAuth: "https://chat.example.com/api/auth/oauth2/callback/authentik",
	} {
		r, err := Export(cfg, p, Options{Target: TargetLobeChat, Generation: gen, AuthSecret: "generated"})
		require.NoError(t, err)
		assert.Equal(t, []string{want}, r.Callbacks, gen)
		assert.Equal(t, Text{{Lit: "generated"}}, r.Env()[0].Value)
	}
}

func TestAppURLFromRedirect(t *testing.T) {
	p := ghProvider()
	p.RedirectURL = "https://files.example.com/alist/api/auth/sso_callback"
	r, err := Export(cfgWith(nil, p), p, Options{Target: TargetAList})
	require.NoError(t, err)
	assert.Equal(t, []string{"https://files.example.com/alist/api/auth/sso_callback"}, r.Callbacks)

	p = oidcProvider()
	p.RedirectURL = "https://photos.example.com/api/v1/oidc/redirect"
	r, err = Export(cfgWith(nil, p), p, Options{Target: TargetPhotoPrism})
	require.NoError(t, err)
	v, _ := r.Doc().Get("PHOTOPRISM_SITE_URL")
	assert.Equal(t, Lit("https://photos.example.com/"), v)

	// LobeChat's callback names its provider id, not the provider's name in the file.
	p.RedirectURL = "https://chat.example.com/api/auth/callback/authentik"
	r, err = Export(cfgWith(nil, p), p, Options{Target: TargetLobeChat})
	require.NoError(t, err)
	assert.Equal(t, []string{"https://chat.example.com/api/auth/callback/authentik"}, r.Callbacks)
	assert.Empty(t, codes(r.Warnings))
}

func TestAListPermission(t *testing.T) {
	schemes := []config.PermissionScheme{{Name: "photos", Bits: []config.PermissionBit{{Bit: 0, Name: "view"}, {Bit: 3, Name: "upload"}}}}
	tests := []struct {
		name string
		reg  *config.Registration
		want string
		warn []string
	}{
		{"none", nil, "0", []string{}},
		{"names", &config.Registration{DefaultPermission: config.Permission{Items: []string{"webdav-read", "webdav_manage"}}}, "768", []string{}},
		{"sum", &config.Registration{DefaultPermission: sum(152)}, "152", []string{}},
		{"other scheme", &config.Registration{PermissionScheme: "photos", DefaultPermission: config.Permission{Items: []string{"view", "upload"}}}, "9",
			[]string{"SSO072 registration.permission_scheme"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ghProvider()
			p.Registration = tt.reg
			// AList before 3.46 reads the user's bits, so the sum is all there is to check.
			cfg := cfgWith(&config.App{Kind: "alist", Version: "3.45", URL: "https://f.example.com"}, p)
			cfg.PermissionSchemes = schemes
			r, err := Export(cfg, p, Options{Target: TargetAList})
			require.NoError(t, err)
			got, _ := r.Doc().Get("sso_default_permission")
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.warn, codes(r.Warnings))
		})
	}
	// The alist scheme is AList's: its largest sum is what export accepts.
	s, _ := perm.Builtin("alist")
	p := ghProvider()
	p.Registration = &config.Registration{DefaultPermission: sum(s.Max())}
	_, err := Export(cfgWith(appOf("alist", "https://f.example.com"), p), p, Options{Target: TargetAList})
	assert.NoError(t, err)
}

// TestCodes checks that every code Check can report is either validate's (below SSO070) or described
// by Codes, once.
func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Codes() {
		assert.Regexp(t, `^SSO0[78][0-9]$`, c.ID)
		assert.False(t, seen[c.ID], "duplicate %s", c.ID)
		seen[c.ID] = true
		assert.NotEmpty(t, c.Name)
		assert.NotEmpty(t, c.Title)
		assert.NotEmpty(t, c.Description)
	}
	for _, id := range []string{CodeGroupsUnsupported, CodeRolesUnsupported, CodeRegistrationSetting, CodeMappingUnsupported,
		CodeUsernameUnsupported, CodeHTTPApp, CodeScopesUnsupported, CodeDisplayUnsupported, CodeTenantUnsupported,
		CodeFormFieldMissing, CodeAppUnsupportedType} {
		assert.True(t, seen[id], "%s has no CodeInfo", id)
	}
}

// TestAListRightsPerVersion: export writes default_role where AList reads it and says plainly that
// sso_default_permission is not read where roles decide (issue 12, difference 4).
func TestAListRightsPerVersion(t *testing.T) {
	tests := []struct {
		name, kind, version string
		roles               []string
		role                string // default_role written, "" for none
		warn                []string
		note                string
	}{
		{name: "3.45 reads the bits", kind: "alist", version: "3.45", warn: []string{}, note: "checks each user's own permission bits"},
		{name: "3.46 gives no role", kind: "alist", version: "3.46", roles: []string{"2"},
			warn: []string{"SSO071 roles", "SSO072 registration.default_permission"}, note: "creates SSO users with no role"},
		{name: "3.63 without roles", kind: "alist", version: "3.63",
			warn: []string{"SSO072 registration.default_permission"}, note: "new SSO users get the site's default_role"},
		{name: "3.63 role by id", kind: "alist", version: "3.63", roles: []string{"3"}, role: "3",
			warn: []string{"SSO072 registration.default_permission"}, note: "default_role is a site setting"},
		// AList's admin API refuses admin and guest as default_role (SaveSettings).
		{name: "3.63 built-in role admin is refused", kind: "alist", roles: []string{"admin"},
			warn: []string{"SSO072 registration.default_permission", "SSO071 roles"}, note: "new SSO users get the site's default_role"},
		{name: "3.63 a role made in AList, by name", kind: "alist", roles: []string{"editor"}, role: "editor",
			warn: []string{"SSO072 registration.default_permission"}, note: "role editor (default_role): its permissions are defined in AList"},
		{name: "OpenList reads the bits", kind: "openlist", warn: []string{}, note: "OpenList 4.2.5 checks each user's own permission bits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ghProvider()
			p.Roles = tt.roles
			p.Registration = &config.Registration{Enabled: true, DefaultPermission: sum(152)}
			cfg := cfgWith(&config.App{Kind: tt.kind, Version: tt.version, URL: "https://f.example.com"}, p)
			r, err := Export(cfg, p, Options{Target: tt.kind})
			require.NoError(t, err)
			got, ok := r.Doc().Get("default_role")
			if tt.role == "" {
				assert.False(t, ok, "default_role: %v", got)
			} else {
				assert.Equal(t, tt.role, got)
			}
			assert.Equal(t, tt.warn, codes(r.Warnings))
			assert.Contains(t, strings.Join(r.Notes, "\n"), tt.note)
			for _, w := range r.Warnings {
				assert.NotContains(t, w.Hint, "give them rights with registration.default_permission", "the wrong hint of issue 12")
			}
		})
	}
}

// TestAListUsernameKeyLiteral: the key export writes is the one map eval reads (issue 12,
// difference 1), and a JSONPath written as username.from is reported.
func TestAListUsernameKeyLiteral(t *testing.T) {
	tests := []struct {
		name  string
		m     *config.Mapping
		key   string
		codes []string
	}{
		{name: "from unset: the preset's name rule", key: "preferred_username", codes: []string{}},
		{name: "from name, the field, preset rule", m: &config.Mapping{Username: &config.Username{From: "name"}}, key: "preferred_username", codes: []string{}},
		{name: "rules name $.name", m: &config.Mapping{Rules: map[string]string{"name": "$.name"}}, key: "name",
			codes: []string{"SSO073 mapping.rules", "SSO034 mapping.username.from"}},
		{name: "from $.name stays literal", m: &config.Mapping{Username: &config.Username{From: "$.name"}}, key: "$.name",
			codes: []string{"SSO037 mapping.username.from"}},
		{name: "from sub", m: &config.Mapping{Username: &config.Username{From: "sub"}}, key: "sub", codes: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := oidcProvider()
			p.Mapping = tt.m
			r, err := Export(cfgWith(appOf("alist", "https://f.example.com"), p), p, Options{Target: TargetAList})
			require.NoError(t, err)
			got, _ := r.Doc().Get("sso_oidc_username_key")
			assert.Equal(t, tt.key, got)
			assert.ElementsMatch(t, tt.codes, codes(r.Warnings))
		})
	}
}
