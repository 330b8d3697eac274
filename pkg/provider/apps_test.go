package provider

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

func TestAppKinds(t *testing.T) {
	kinds := AppKinds()
	require.Len(t, kinds, len(config.AppKinds))
	for i, k := range kinds {
		assert.Equal(t, config.AppKinds[i], k.Kind)
		assert.NotEmpty(t, k.Title)
		assert.NotEmpty(t, k.Notes)
	}
	_, ok := LookupApp("nextcloud")
	assert.False(t, ok)
}

func TestCallbackURLs(t *testing.T) {
	tests := []struct {
		name     string
		kind     string
		appURL   string
		provider string
		compat   bool
		want     []string
		suggest  string
	}{
		{name: "alist", kind: "alist", appURL: "https://files.example.com", provider: "github",
			want:    []string{"https://files.example.com/api/auth/sso_callback?method=sso_get_token", "https://files.example.com/api/auth/sso_callback?method=get_sso_id"},
			suggest: "https://files.example.com/api/auth/sso_callback"},
		{name: "alist compat mode and trailing slash", kind: "alist", appURL: "https://files.example.com/", provider: "github", compat: true,
			want:    []string{"https://files.example.com/api/auth/sso_get_token", "https://files.example.com/api/auth/get_sso_id"},
			suggest: "https://files.example.com/api/auth/sso_get_token"},
		{name: "alist under a path prefix", kind: "alist", appURL: "https://example.com/alist/", provider: "github",
			want:    []string{"https://example.com/alist/api/auth/sso_callback?method=sso_get_token", "https://example.com/alist/api/auth/sso_callback?method=get_sso_id"},
			suggest: "https://example.com/alist/api/auth/sso_callback"},
		{name: "photoprism", kind: "photoprism", appURL: "https://photos.example.com", provider: "authentik",
			want: []string{"https://photos.example.com/api/v1/oidc/redirect"}, suggest: "https://photos.example.com/api/v1/oidc/redirect"},
		{name: "inventree keeps the trailing slash", kind: "inventree", appURL: "https://inv.example.com", provider: "keycloak",
			want: []string{"https://inv.example.com/accounts/keycloak/login/callback/"}, suggest: "https://inv.example.com/accounts/keycloak/login/callback/"},
		{name: "lobechat", kind: "lobechat", appURL: "https://chat.example.com", provider: "authentik",
			want: []string{"https://chat.example.com/api/auth/callback/authentik"}, suggest: "https://chat.example.com/api/auth/callback/authentik"},
		{name: "generic has no convention", kind: "generic", appURL: "https://app.example.com", provider: "x"},
		{name: "unknown kind", kind: "nextcloud", appURL: "https://app.example.com", provider: "x"},
		{name: "no app url", kind: "alist", provider: "github"},
		{name: "app url that is not absolute", kind: "alist", appURL: "files.example.com", provider: "github"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, CallbackURLs(tt.kind, tt.appURL, tt.provider, tt.compat))
			assert.Equal(t, tt.suggest, SuggestRedirectURL(tt.kind, tt.appURL, tt.provider, tt.compat))
		})
	}
}

func TestCallbackPaths(t *testing.T) {
	assert.Equal(t, []string{"/api/auth/sso_get_token", "/api/auth/get_sso_id"}, CallbackPaths("alist", "gh", true))
	assert.Equal(t, []string{"/accounts/{provider}/login/callback/"}, CallbackPaths("inventree", "{provider}", false))
	assert.Nil(t, CallbackPaths("generic", "x", false))
}
