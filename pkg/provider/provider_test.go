package provider

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

func TestPresets(t *testing.T) {
	presets := Presets()
	require.Len(t, presets, len(config.ProviderTypes))
	for i, p := range presets {
		t.Run(p.Type, func(t *testing.T) {
			assert.Equal(t, config.ProviderTypes[i], p.Type, "Presets follows config.ProviderTypes order")
			assert.NotEmpty(t, p.Title)
			assert.Contains(t, []string{PKCES256, PKCEOptional, PKCEUnknown}, p.PKCE)
			assert.Contains(t, []string{AuthPost, AuthBasic, AuthJSONBody, AuthDiscovery, AuthAuto}, p.ClientAuth)
			assert.NotEmpty(t, p.MappingType)
			assert.NotNil(t, p.DefaultScopes, "an empty list, not nil, so JSON shows []")
			assert.Contains(t, p.Required, KeyClientID)
			assert.Contains(t, p.Required, KeyClientSecret)
			assert.NotEmpty(t, p.Notes)
			for _, u := range []string{p.Issuer, p.AuthorizeURL, p.TokenURL, p.UserinfoURL} {
				if u == "" {
					continue
				}
				filled := strings.NewReplacer("{tenant}", "common", "{origin}", "https://door.example.com").Replace(u)
				pu, err := url.Parse(filled)
				require.NoError(t, err)
				assert.Equal(t, "https", pu.Scheme, u)
				assert.NotContains(t, filled, "{", "only known placeholders: %s", u)
			}
			if p.OIDC && p.Issuer == "" {
				assert.Contains(t, p.Required, KeyIssuer, "an OIDC type without a fixed issuer needs one")
			}
			if !p.OIDC && (p.AuthorizeURL == "" || p.TokenURL == "" || p.UserinfoURL == "") {
				assert.Subset(t, p.Required, []string{KeyAuthorizeURL, KeyTokenURL, KeyUserinfoURL})
			}
		})
	}
}

func TestLookup(t *testing.T) {
	p, ok := Lookup(config.TypeDingTalk)
	require.True(t, ok)
	assert.Equal(t, "unionId", p.StableID)
	assert.Equal(t, AuthJSONBody, p.ClientAuth)

	// A caller that modifies its preset does not change the next caller's.
	p.DefaultScopes[0] = "changed"
	p2, _ := Lookup(config.TypeDingTalk)
	assert.Equal(t, []string{"openid"}, p2.DefaultScopes)

	_, ok = Lookup("okta")
	assert.False(t, ok)
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name     string
		p        config.Provider
		want     Endpoints
		wantErr  string
		wantKeys []string
	}{
		{
			name: "github preset",
			p:    config.Provider{Name: "gh", Type: "github"},
			want: Endpoints{AuthorizeURL: "https://github.com/login/oauth/authorize", TokenURL: "https://github.com/login/oauth/access_token",
				UserinfoURL: "https://api.github.com/user", Scopes: []string{"read:user", "user:email"}},
		},
		{
			name: "explicit scopes and endpoint override the preset",
			p:    config.Provider{Name: "gh", Type: "github", Scopes: []string{"read:user"}, UserinfoURL: "https://ghe.example.com/api/v3/user"},
			want: Endpoints{AuthorizeURL: "https://github.com/login/oauth/authorize", TokenURL: "https://github.com/login/oauth/access_token",
				UserinfoURL: "https://ghe.example.com/api/v3/user", Scopes: []string{"read:user"}},
		},
		{
			name: "microsoft defaults to the common tenant",
			p:    config.Provider{Name: "ms", Type: "microsoft"},
			want: Endpoints{Issuer: "https://login.microsoftonline.com/common/v2.0",
				AuthorizeURL: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
				TokenURL:     "https://login.microsoftonline.com/common/oauth2/v2.0/token",
				UserinfoURL:  "https://graph.microsoft.com/oidc/userinfo", Scopes: []string{"openid", "profile", "email"}},
		},
		{
			name: "microsoft tenant fills the templates",
			p:    config.Provider{Name: "ms", Type: "microsoft", Tenant: "contoso.onmicrosoft.com"},
			want: Endpoints{Issuer: "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0",
				AuthorizeURL: "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
				TokenURL:     "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
				UserinfoURL:  "https://graph.microsoft.com/oidc/userinfo", Scopes: []string{"openid", "profile", "email"}},
		},
		{
			name: "casdoor endpoints hang off the origin without its trailing slash",
			p:    config.Provider{Name: "door", Type: "casdoor", Issuer: "https://door.example.com/"},
			want: Endpoints{Issuer: "https://door.example.com/", AuthorizeURL: "https://door.example.com/login/oauth/authorize",
				TokenURL: "https://door.example.com/api/login/oauth/access_token", UserinfoURL: "https://door.example.com/api/userinfo",
				Scopes: []string{"openid", "profile", "email"}},
		},
		{
			name:     "casdoor without issuer",
			p:        config.Provider{Name: "door", Type: "casdoor"},
			want:     Endpoints{Scopes: []string{"openid", "profile", "email"}},
			wantErr:  `provider "door" of type casdoor has no issuer`,
			wantKeys: []string{"issuer"},
		},
		{
			name: "oidc endpoints come from discovery",
			p:    config.Provider{Name: "ak", Type: "oidc", Issuer: "https://auth.example.com/application/o/app/"},
			want: Endpoints{Issuer: "https://auth.example.com/application/o/app/", Scopes: []string{"openid", "profile", "email"}},
		},
		{
			name:     "oidc without issuer",
			p:        config.Provider{Name: "ak", Type: "oidc"},
			want:     Endpoints{Scopes: []string{"openid", "profile", "email"}},
			wantErr:  `provider "ak" of type oidc has no issuer`,
			wantKeys: []string{"issuer"},
		},
		{
			name:     "oauth2 needs every endpoint",
			p:        config.Provider{Name: "custom", Type: "oauth2", TokenURL: "https://o.example.com/token"},
			want:     Endpoints{TokenURL: "https://o.example.com/token", Scopes: []string{}},
			wantErr:  `provider "custom" of type oauth2 has no authorize_url, userinfo_url`,
			wantKeys: []string{"authorize_url", "userinfo_url"},
		},
		{
			name:    "unknown type",
			p:       config.Provider{Name: "x", Type: "okta"},
			wantErr: `unknown provider kind "okta"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(tt.p)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				var ie *IncompleteError
				if errors.As(err, &ie) {
					assert.Equal(t, tt.wantKeys, ie.Keys)
					assert.NotEmpty(t, ie.Hint())
				}
			} else {
				require.NoError(t, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Resolve (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMissing(t *testing.T) {
	tests := []struct {
		name string
		p    config.Provider
		want []string
	}{
		{name: "github complete", p: config.Provider{Type: "github", ClientID: "id", ClientSecret: "env:S"}},
		{name: "github empty", p: config.Provider{Type: "github"}, want: []string{"client_id", "client_secret"}},
		{name: "oidc order puts the secret last", p: config.Provider{Type: "oidc"}, want: []string{"client_id", "issuer", "client_secret"}},
		{name: "oauth2 with custom mapping needs rules", p: config.Provider{Type: "oauth2", ClientID: "id", ClientSecret: "env:S",
			AuthorizeURL: "https://a", TokenURL: "https://t", UserinfoURL: "https://u",
			Mapping: &config.Mapping{Rules: map[string]string{"name": "$.login"}}},
			want: []string{"mapping.rules.email"}},
		{name: "oauth2 with a preset mapping needs no rules", p: config.Provider{Type: "oauth2", ClientID: "id", ClientSecret: "env:S",
			AuthorizeURL: "https://a", TokenURL: "https://t", UserinfoURL: "https://u", Mapping: &config.Mapping{Type: "github"}}},
		{name: "github switched to custom mapping needs rules", p: config.Provider{Type: "github", ClientID: "id", ClientSecret: "lit",
			Mapping: &config.Mapping{Type: "custom"}}, want: []string{"mapping.rules.name", "mapping.rules.email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, ok := Lookup(tt.p.Type)
			require.True(t, ok)
			assert.Equal(t, tt.want, pr.Missing(tt.p))
		})
	}
}

func TestCheckURL(t *testing.T) {
	for _, s := range []string{"https://auth.example.com/application/o/app/", "http://127.0.0.1:8080/callback"} {
		assert.NoError(t, CheckURL(s), s)
	}
	for _, s := range []string{"", "auth.example.com", "ftp://x.example.com", "https://", "/relative/path"} {
		assert.Error(t, CheckURL(s), s)
	}
}
