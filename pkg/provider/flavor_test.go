package provider

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

func TestFlavorIssuer(t *testing.T) {
	tests := []struct {
		name, flavor, host, part string
		legacy                   bool
		want                     string
	}{
		{name: "keycloak realm", flavor: FlavorKeycloak, host: "kc.example.com", part: "home", want: "https://kc.example.com/realms/home"},
		{name: "keycloak legacy /auth", flavor: FlavorKeycloak, host: "https://sso.example.com/", part: "master", legacy: true, want: "https://sso.example.com/auth/realms/master"},
		{name: "keycloak realm with slashes trimmed", flavor: FlavorKeycloak, host: "http://localhost:8080", part: "/home/", want: "http://localhost:8080/realms/home"},
		{name: "authentik slug keeps trailing slash", flavor: FlavorAuthentik, host: "auth.example.com", part: "alist", want: "https://auth.example.com/application/o/alist/"},
		{name: "kanidm client", flavor: FlavorKanidm, host: "idm.example.com", part: "alist", want: "https://idm.example.com/oauth2/openid/alist"},
		{name: "zitadel instance domain", flavor: FlavorZitadel, host: "example-abc123.zitadel.cloud", want: "https://example-abc123.zitadel.cloud"},
		{name: "authelia host", flavor: FlavorAuthelia, host: "https://auth.example.com/", want: "https://auth.example.com"},
		{name: "pocket-id host", flavor: FlavorPocketID, host: "id.example.com", want: "https://id.example.com"},
		{name: "dex keeps its path", flavor: FlavorDex, host: "https://example.com/dex", want: "https://example.com/dex"},
		{name: "hydra trailing slash", flavor: FlavorHydra, host: "hydra.example.com", want: "https://hydra.example.com/"},
		{name: "lemonldap portal", flavor: FlavorLemonLDAP, host: "auth.example.com", want: "https://auth.example.com/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, ok := LookupFlavor(tt.flavor)
			require.True(t, ok)
			got, err := f.Issuer(tt.host, tt.part, tt.legacy)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFlavorIssuerErrors(t *testing.T) {
	tests := []struct {
		name, flavor, host, part string
		legacy                   bool
		wantErr, wantHint        string
	}{
		{name: "keycloak without realm", flavor: FlavorKeycloak, host: "kc.example.com",
			wantErr: "cannot build the Keycloak issuer: its realm is missing", wantHint: "pass --realm (the issuer is https://<host>/realms/<realm>)"},
		{name: "slug given as URL", flavor: FlavorAuthentik, host: "auth.example.com", part: "a/b",
			wantErr: `cannot build the authentik issuer: slug "a/b" contains /, ? or #`},
		{name: "legacy without legacy form", flavor: FlavorAuthentik, host: "auth.example.com", part: "x", legacy: true,
			wantErr: "cannot build the authentik issuer: it has no legacy issuer form", wantHint: "drop --legacy-issuer"},
		{name: "bad host", flavor: FlavorDex, host: "ftp://x",
			wantErr: `cannot build the Dex issuer: "ftp://x" is not a host name or an http(s) URL without query`},
		{name: "empty host", flavor: FlavorZitadel, host: " ", wantErr: "cannot build the ZITADEL issuer: the host is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := LookupFlavor(tt.flavor)
			_, err := f.Issuer(tt.host, tt.part, tt.legacy)
			require.EqualError(t, err, tt.wantErr)
			var ie *IssuerError
			require.True(t, errors.As(err, &ie))
			if tt.wantHint != "" {
				assert.Equal(t, tt.wantHint, ie.Hint())
			}
		})
	}
}

// loadDiscovery reads a recorded discovery document from testdata/discovery (see each file's
// _comment for where its shape comes from).
func loadDiscovery(t *testing.T, name string) *Discovery {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "discovery", name))
	require.NoError(t, err)
	var d Discovery
	require.NoError(t, json.Unmarshal(b, &d))
	return &d
}

func TestDetectFlavor(t *testing.T) {
	tests := []struct {
		file, want, evidence string
	}{
		{"keycloak.json", FlavorKeycloak, "issuer path /realms/<realm> and token endpoint /protocol/openid-connect/token"},
		{"keycloak-legacy.json", FlavorKeycloak, "issuer path /realms/<realm> and token endpoint /protocol/openid-connect/token"},
		{"authentik.json", FlavorAuthentik, "issuer path /application/o/<slug>/ and authorization endpoint /application/o/authorize/"},
		{"kanidm.json", FlavorKanidm, "issuer path /oauth2/openid/<client>"},
		{"zitadel.json", FlavorZitadel, "scopes_supported lists urn:zitadel: scopes"},
		{"authelia.json", FlavorAuthelia, "endpoints /api/oidc/authorization and /api/oidc/token"},
		{"pocket-id.json", FlavorPocketID, "endpoints /authorize and /api/oidc/token"},
		{"dex.json", FlavorDex, "endpoints <issuer>/auth, /token and /keys"},
		{"hydra.json", FlavorHydra, "endpoints /oauth2/auth and /oauth2/token"},
		{"lemonldap.json", FlavorLemonLDAP, "endpoints /oauth2/authorize and /oauth2/token"},
		{"oidc-provider.json", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, ok := DetectFlavor(loadDiscovery(t, tt.file))
			assert.Equal(t, tt.want != "", ok)
			assert.Equal(t, DetectedFlavor{Name: tt.want, Evidence: tt.evidence}, got)
		})
	}
}

func TestDetectFlavorZitadelByPaths(t *testing.T) {
	d := loadDiscovery(t, "zitadel.json")
	d.ScopesSupported = nil // a self-hosted instance need not list its urn scopes
	got, ok := DetectFlavor(d)
	require.True(t, ok)
	assert.Equal(t, DetectedFlavor{Name: FlavorZitadel, Evidence: "endpoints /oauth/v2/authorize and /oidc/v1/userinfo"}, got)
}

// Each flavour's issuer builder and detector agree: the issuer built from the parts of a recorded
// document is that document's issuer.
func TestFlavorIssuerMatchesRecordedDiscovery(t *testing.T) {
	tests := []struct {
		file, flavor, host, part string
		legacy                   bool
	}{
		{"keycloak.json", FlavorKeycloak, "kc.example.com", "home", false},
		{"keycloak-legacy.json", FlavorKeycloak, "sso.example.com", "master", true},
		{"authentik.json", FlavorAuthentik, "auth.example.com", "alist", false},
		{"kanidm.json", FlavorKanidm, "idm.example.com", "alist", false},
		{"zitadel.json", FlavorZitadel, "example-abc123.zitadel.cloud", "", false},
		{"authelia.json", FlavorAuthelia, "auth.example.com", "", false},
		{"pocket-id.json", FlavorPocketID, "id.example.com", "", false},
		{"dex.json", FlavorDex, "example.com/dex", "", false},
		{"hydra.json", FlavorHydra, "hydra.example.com", "", false},
		{"lemonldap.json", FlavorLemonLDAP, "auth.example.com", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, _ := LookupFlavor(tt.flavor)
			iss, err := f.Issuer(tt.host, tt.part, tt.legacy)
			require.NoError(t, err)
			assert.Equal(t, loadDiscovery(t, tt.file).Issuer, iss)
		})
	}
}

func TestFlavorsMatchSchemaEnum(t *testing.T) {
	// The config schema's enum and the flavours must name the same products in the same order.
	b, err := os.ReadFile(filepath.Join("..", "config", "schema.json"))
	require.NoError(t, err)
	var schema struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(b, &schema))
	var enum []string
	for _, d := range schema.Defs {
		if p, ok := d.Properties["flavor"]; ok {
			enum = p.Enum
		}
	}
	assert.Equal(t, enum, FlavorNames())
	for _, f := range Flavors() {
		assert.NotEmpty(t, f.Facts, f.Name)
		for _, fact := range f.Facts {
			assert.NotEmpty(t, fact.Source, "%s %s", f.Name, fact.Topic)
			assert.NotEmpty(t, fact.Version, "%s %s", f.Name, fact.Topic)
		}
	}
}

func TestFlavorMismatch(t *testing.T) {
	d := loadDiscovery(t, "keycloak.json")
	assert.Nil(t, FlavorMismatch(config.Provider{Type: config.TypeOIDC}, d), "unset flavour")
	assert.Nil(t, FlavorMismatch(config.Provider{Type: config.TypeOIDC, Flavor: FlavorKeycloak}, d))
	got := FlavorMismatch(config.Provider{Type: config.TypeOIDC, Flavor: FlavorAuthentik}, d)
	require.NotNil(t, got)
	assert.Equal(t, FlavorKeycloak, got.Name)
	assert.Nil(t, FlavorMismatch(config.Provider{Type: config.TypeOIDC, Flavor: FlavorDex}, loadDiscovery(t, "oidc-provider.json")), "nothing detected")
}

func TestFlavorGroupKey(t *testing.T) {
	tests := []struct {
		name, flavor, group, wantKey string
		wantNote                     bool
	}{
		{"keycloak adds the path slash", FlavorKeycloak, "admins", "/admins", true},
		{"keycloak path kept", FlavorKeycloak, "/inventree/admins", "/inventree/admins", false},
		{"kanidm without domain is flagged", FlavorKanidm, "admins", "admins", true},
		{"kanidm spn kept", FlavorKanidm, "admins@idm.example.com", "admins@idm.example.com", false},
		{"authentik names as given", FlavorAuthentik, "authentik Admins", "authentik Admins", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := LookupFlavor(tt.flavor)
			key, note := f.GroupKey(tt.group)
			assert.Equal(t, tt.wantKey, key)
			assert.Equal(t, tt.wantNote, note != "", note)
		})
	}
}

func TestFlavorGroupScopes(t *testing.T) {
	kanidm, _ := LookupFlavor(FlavorKanidm)
	base := []string{"openid", "profile", "email"}
	assert.Equal(t, []string{"openid", "profile", "email", "groups"}, kanidm.GroupScopes(base))
	assert.Equal(t, []string{"openid", "profile", "email"}, base, "input not modified")
	authentik, _ := LookupFlavor(FlavorAuthentik)
	assert.Equal(t, base, authentik.GroupScopes(base), "profile already carries authentik's groups")
	keycloak, _ := LookupFlavor(FlavorKeycloak)
	assert.Equal(t, base, keycloak.GroupScopes(base), "the dedicated scope needs no request")
}

// The flavour's declared discovery defaults are the recorded discovery document's: the matrix
// (doctor.FlavorMatrix) predicts from the former, the recorded provider in the doctor's tests serves
// the latter.
func TestFlavorDefaultsMatchRecordedDiscovery(t *testing.T) {
	files := map[string]string{FlavorAuthentik: "authentik.json", FlavorKeycloak: "keycloak.json", FlavorAuthelia: "authelia.json",
		FlavorZitadel: "zitadel.json", FlavorKanidm: "kanidm.json", FlavorPocketID: "pocket-id.json", FlavorDex: "dex.json",
		FlavorLemonLDAP: "lemonldap.json", FlavorHydra: "hydra.json"}
	for _, f := range Flavors() {
		t.Run(f.Name, func(t *testing.T) {
			d := loadDiscovery(t, files[f.Name])
			assert.Equal(t, d.IDTokenSigningAlgValuesSupported, f.IDTokenAlgs, "id_token_signing_alg_values_supported")
			assert.Equal(t, d.CodeChallengeMethodsSupported, f.ChallengeMethods, "code_challenge_methods_supported")
			assert.Equal(t, d.TokenEndpointAuthMethodsSupported, f.TokenAuthMethodsSupported, "token_endpoint_auth_methods_supported")
			if f.PKCERequired {
				assert.NotEmpty(t, f.PKCERefusal, "a flavour that requires PKCE says how it refuses")
			}
			assert.NotEmpty(t, f.AuthMethods)
			for _, m := range f.AuthMethods {
				assert.Contains(t, f.TokenAuthMethodsSupported, m)
			}
		})
	}
}

// Every fix names a known key, has text in the product's terms and a source and version.
func TestFlavorFixes(t *testing.T) {
	for _, f := range Flavors() {
		for k, fx := range f.Fixes {
			assert.True(t, ValidFixKey(k), "%s: %s", f.Name, k)
			assert.NotEmpty(t, fx.Text, "%s %s", f.Name, k)
			assert.NotEmpty(t, fx.Source, "%s %s", f.Name, k)
			assert.NotEmpty(t, fx.Version, "%s %s", f.Name, k)
		}
	}
	kanidm, _ := LookupFlavor(FlavorKanidm)
	got, ok := kanidm.Fix(FixPKCEOptional, "alist")
	require.True(t, ok)
	assert.Equal(t, "kanidm system oauth2 warning-insecure-client-disable-pkce alist", got)
	hydra, _ := LookupFlavor(FlavorHydra)
	got, _ = hydra.FixWith(FixClientAuth, "chat", "client_secret_post")
	assert.Contains(t, got, "hydra update oauth2-client chat --token-endpoint-auth-method client_secret_post")
	_, _, ok = FlavorOf("", loadDiscovery(t, "oidc-provider.json"))
	assert.False(t, ok, "no flavour for a generic provider")
	fl, detected, ok := FlavorOf("", loadDiscovery(t, "kanidm.json"))
	assert.True(t, ok && detected)
	assert.Equal(t, FlavorKanidm, fl.Name)
}

func TestFlavorAppPreset(t *testing.T) {
	base := []string{"openid", "profile", "email"}
	tests := []struct {
		flavor, app string
		want        AppPreset
	}{
		{FlavorKeycloak, "inventree", AppPreset{App: "inventree", Groups: true, GroupsClaim: "groups", UsernameClaim: "preferred_username",
			Roles: "realm_access.roles and resource_access.<client-id>.roles (in the access token only, by default), not read by the app (it gives new users a default role)"}},
		{FlavorKanidm, "inventree", AppPreset{App: "inventree", Groups: true, GroupsClaim: "groups", Scopes: []string{"openid", "profile", "email", "groups"},
			UsernameClaim: "preferred_username", Roles: "none of its own"}},
		{FlavorZitadel, "inventree", AppPreset{App: "inventree", Groups: true, GroupsClaim: zitadelRolesClaim,
			Scopes: []string{"openid", "profile", "email", "urn:zitadel:iam:org:projects:roles"}, UsernameClaim: "preferred_username",
			Roles: zitadelRolesClaim + ", read as the groups claim"}},
		{FlavorKeycloak, "alist", AppPreset{App: "alist", UsernameClaim: "preferred_username",
			Roles: "realm_access.roles and resource_access.<client-id>.roles (in the access token only, by default), not read by the app (it gives new users a default role)"}},
		{FlavorHydra, "inventree", AppPreset{App: "inventree", UsernameClaim: "preferred_username", Roles: "none of its own"}},
	}
	for _, tt := range tests {
		t.Run(tt.flavor+"/"+tt.app, func(t *testing.T) {
			f, _ := LookupFlavor(tt.flavor)
			got := f.AppPreset(tt.app, base)
			got.Notes = nil // sentences; their presence is checked below
			assert.Equal(t, tt.want, got)
		})
	}
	kc, _ := LookupFlavor(FlavorKeycloak)
	assert.Contains(t, kc.AppPreset("inventree", base).Notes[0], "Group Membership")
	k, _ := LookupFlavor(FlavorKanidm)
	assert.Contains(t, strings.Join(k.AppPreset("alist", base).Notes, " "), "prefer-short-username")
}
