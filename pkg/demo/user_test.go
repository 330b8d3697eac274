package demo

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

func TestConfig(t *testing.T) {
	dir := t.TempDir()
	path, err := WriteConfig(dir, "http://127.0.0.1:4444")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, ConfigFileName), path)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	f, err := config.Load(path)
	require.NoError(t, err)
	p, ok := f.Config.Provider(ProviderName)
	require.True(t, ok)
	assert.Equal(t, config.TypeOIDC, p.Type)
	assert.Equal(t, "http://127.0.0.1:4444", p.Issuer)
	assert.Equal(t, ClientID, p.ClientID)
	assert.Equal(t, RedirectURL, p.RedirectURL)
	assert.Equal(t, Scopes(), p.Scopes)
	assert.True(t, p.ClientSecret == "", "public client")
	require.NotNil(t, p.Registration)
	assert.Equal(t, []string{"webdav-read", "webdav-manage"}, p.Registration.DefaultPermission.Items)

	// An existing file is never overwritten.
	_, err = WriteConfig(dir, "http://127.0.0.1:5555")
	assert.ErrorIs(t, err, os.ErrExist)
}

func TestMapUser(t *testing.T) {
	userinfo := map[string]any{
		"sub": "u-1", "preferred_username": "dana", "name": "Dana Demo", "email": "dana@example.com",
		"groups": []any{"alist-users", "webdav"},
	}
	sum := func(n int64) config.Permission { return config.Permission{Sum: &n} }
	base := func() config.Provider {
		return config.Provider{
			Name: "demo", Type: config.TypeOIDC,
			Mapping: &config.Mapping{Type: "oidc"},
			Groups:  &config.Groups{Claim: "groups"},
			Registration: &config.Registration{Enabled: true, AllowedDomains: []string{"example.com"},
				DefaultPermission: config.Permission{Items: []string{"webdav-read", "webdav-manage"}}},
		}
	}
	demoUser := AppUser{
		Source: "userinfo", MappingType: "oidc", ID: "u-1", Username: "dana", Email: "dana@example.com",
		Nickname: "Dana Demo", Groups: []string{"alist-users", "webdav"},
		Permission:   Permission{Scheme: "alist", Sum: 768, Names: []string{"webdav-read", "webdav-manage"}},
		Registration: Registration{Allowed: true, Reason: "the email domain example.com is in allowed_domains"},
	}
	tests := []struct {
		name     string
		change   func(*config.Provider)
		claims   map[string]any
		userinfo map[string]any
		want     func(*AppUser)
		wantErr  string
	}{
		{name: "demo config", change: func(*config.Provider) {}, userinfo: userinfo, want: func(*AppUser) {}},
		{
			name: "sum instead of names", userinfo: userinfo,
			change: func(p *config.Provider) { p.Registration.DefaultPermission = sum(256) },
			want: func(u *AppUser) {
				u.Permission = Permission{Scheme: "alist", Sum: 256, Names: []string{"webdav-read"}}
			},
		},
		{
			name: "no userinfo: the ID token's claims", claims: userinfo,
			change: func(*config.Provider) {},
			want:   func(u *AppUser) { u.Source = "id token" },
		},
		{
			name: "groups only in the ID token", userinfo: without(userinfo, "groups"), claims: map[string]any{"groups": "solo"},
			change: func(*config.Provider) {},
			want:   func(u *AppUser) { u.Groups = []string{"solo"} },
		},
		{
			name: "custom rule overrides the preset", userinfo: userinfo,
			change: func(p *config.Provider) { p.Mapping.Rules = map[string]string{"name": "$.name"} },
			want:   func(u *AppUser) { u.Username = "Dana Demo" },
		},
		{
			name: "no mapping type: the provider type's preset", userinfo: userinfo,
			change: func(p *config.Provider) { p.Mapping = nil },
			want:   func(*AppUser) {},
		},
		{
			name: "group map", userinfo: userinfo,
			change: func(p *config.Provider) { p.Groups.Map = map[string]string{"webdav": "dav", "other": "x"} },
			want:   func(u *AppUser) { u.AppGroups = []string{"dav"} },
		},
		{
			name: "domain not allowed", userinfo: userinfo,
			change: func(p *config.Provider) { p.Registration.AllowedDomains = []string{"corp.example"} },
			want: func(u *AppUser) {
				u.Registration = Registration{Reason: "the email domain example.com is not in allowed_domains [corp.example]"}
			},
		},
		{
			name: "registration disabled", userinfo: userinfo,
			change: func(p *config.Provider) { p.Registration.Enabled = false },
			want: func(u *AppUser) {
				u.Registration = Registration{Reason: "registration is disabled: only users who already have an account can log in"}
			},
		},
		{
			name: "no registration section", userinfo: userinfo,
			change: func(p *config.Provider) { p.Registration = nil },
			want: func(u *AppUser) {
				u.Permission = Permission{Scheme: "alist", Sum: 0, Names: []string{}}
				u.Registration = Registration{Reason: "registration is disabled: only users who already have an account can log in"}
			},
		},
		{
			name: "unknown permission name", userinfo: userinfo,
			change:  func(p *config.Provider) { p.Registration.DefaultPermission.Items = []string{"webdav-reed"} },
			wantErr: "webdav-reed",
		},
		{
			name: "unknown preset", userinfo: userinfo,
			change:  func(p *config.Provider) { p.Mapping.Type = "nope" },
			wantErr: `mapping type "nope" has no preset`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.change(&p)
			got, err := MapUser(&config.Config{Version: 1}, p, tt.claims, tt.userinfo)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			want := demoUser
			tt.want(&want)
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("MapUser (-want +got):\n%s", diff)
			}
		})
	}
}

func without(m map[string]any, key string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}
