package export

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

func TestTrustNote(t *testing.T) {
	oidc := func(issuer string) config.Provider {
		return config.Provider{Name: "sso", Type: config.TypeOIDC, Issuer: issuer, ClientID: "files", ClientSecret: "env:SSO_SECRET",
			RedirectURL: "https://files.example.com/api/auth/sso_callback"}
	}
	// oauth2 is a custom OAuth 2.0 server whose browser-facing login page is public and whose API,
	// which only the app's server calls, is at api.
	oauth2 := func(api string) config.Provider {
		return config.Provider{Name: "custom", Type: config.TypeOAuth2, ClientID: "files", ClientSecret: "env:SSO_SECRET",
			RedirectURL: "https://files.example.com/cb", Icon: "https://files.example.com/icon.png", Roles: []string{"user"},
			Mapping:      &config.Mapping{Type: "custom", Rules: map[string]string{"name": "$.login", "email": "$.email"}},
			AuthorizeURL: "https://login.example.com/authorize", TokenURL: api + "/token", UserinfoURL: api + "/me"}
	}
	tests := []struct {
		name     string
		target   string
		p        config.Provider
		caFile   string
		contains []string // empty: no trust note
	}{
		{name: "public issuer", target: TargetAList, p: oidc("https://auth.example.com/application/o/files/")},
		{name: "plain http on a private host has no TLS to trust", target: TargetAList, p: oidc("http://192.168.1.20:9000/application/o/files/")},
		{name: "private name, AList", target: TargetAList, p: oidc("https://auth.home.lan/application/o/files/"),
			contains: []string{"the identity provider's certificate at auth.home.lan is issued by a private CA", "AList's server must trust it too",
				"mount the CA certificate (PEM) into the container at /certs/idp-ca.pem", "set SSL_CERT_FILE=/certs/idp-ca.pem in AList's environment (Go)", "/etc/ssl/certs"}},
		{name: "private IP, PhotoPrism", target: TargetPhotoPrism, p: oidc("https://10.0.0.5:8443/realms/main"),
			contains: []string{"at 10.0.0.5 is issued by a private CA", "SSL_CERT_FILE=/certs/idp-ca.pem in PhotoPrism's environment (Go)"}},
		{name: "ca-file on a public name, LobeChat", target: TargetLobeChat, p: oidc("https://auth.example.com/application/o/files/"), caFile: "/etc/ssoctl/ca.pem",
			contains: []string{"--ca-file says the identity provider's certificate at auth.example.com is issued by a CA this machine does not trust by default",
				"mount /etc/ssoctl/ca.pem into the container", "NODE_EXTRA_CA_CERTS=/certs/idp-ca.pem in LobeChat's environment (Node.js)"}},
		{name: "single-label name, InvenTree", target: TargetInvenTree, p: oidc("https://keycloak:8443/realms/main"),
			contains: []string{"REQUESTS_CA_BUNDLE=/certs/idp-ca.pem in InvenTree's environment (Python requests)", "certifi's cacert.pem"}},
		{name: "generic form names the runtimes' variables", target: TargetGeneric, p: oauth2("https://sso.example.com"), caFile: "ca.pem",
			contains: []string{"the app's server must trust ca.pem too", "Go: SSL_CERT_FILE, Node.js: NODE_EXTRA_CA_CERTS, Python requests: REQUESTS_CA_BUNDLE"}},
		{name: "oauth2 token endpoint on a .internal name", target: TargetGeneric, p: oauth2("https://api.sso.internal"),
			contains: []string{"at api.sso.internal is issued by a private CA"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &config.Config{Version: 1, App: &config.App{Kind: tt.target, URL: "https://files.example.com"}, Providers: []config.Provider{tt.p}}
			r, err := Export(cfg, tt.p, Options{Target: tt.target, CAFile: tt.caFile, LookupEnv: lookupFake})
			require.NoError(t, err)
			var note string
			for _, n := range r.Notes {
				if strings.Contains(n, "must trust") {
					note = n
				}
			}
			if len(tt.contains) == 0 {
				assert.Empty(t, note, "notes: %q", r.Notes)
				return
			}
			require.NotEmpty(t, note, "notes: %q", r.Notes)
			for _, c := range tt.contains {
				assert.Contains(t, note, c)
			}
		})
	}
}

func TestPrivateHost(t *testing.T) {
	for host, want := range map[string]bool{
		"auth.example.com": false, "8.8.8.8": false, "2001:4860::8888": false, "sso.ts.net": false,
		"auth.home.lan": true, "nas.local": true, "sso.internal": true, "id.home.arpa": true, "keycloak": true,
		"192.168.1.2": true, "10.1.2.3": true, "172.16.0.1": true, "127.0.0.1": true, "::1": true, "fd00::1": true,
		"fe80::1": true, "100.100.1.1": true, "Auth.Home.Lan.": true,
	} {
		assert.Equal(t, want, privateHost(host), host)
	}
}
