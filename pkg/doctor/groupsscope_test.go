package doctor_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/doctor"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// recordedDiscovery reads a recorded discovery document (testdata/discovery).
func recordedDiscovery(t *testing.T, file string) *provider.Discovery {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "discovery", file))
	require.NoError(t, err)
	var d provider.Discovery
	require.NoError(t, json.Unmarshal(raw, &d))
	return &d
}

// TestGroupsScopeHydra: the real ORY Hydra v2.3.0's scopes_supported lists only offline_access,
// offline and openid, yet Hydra grants any scope the client's registration allows, so DOC051 is a
// note naming Hydra's setting, not a warning that the scope goes unheard with Keycloak's and
// authentik's fixes. With another flavour (set, or detected from its own document) it stays a warning.
func TestGroupsScopeHydra(t *testing.T) {
	hydra := recordedDiscovery(t, "hydra.json")
	analyze := func(flavor string, md *provider.Discovery) doctor.Finding {
		rep := okReport()
		rep.RequestedScopes = []string{"openid", "profile", "groups"}
		rep.GrantedScopes, rep.GrantedScopesListed = rep.RequestedScopes, true
		fs := doctor.Analyze(doctor.Login{Provider: config.Provider{Type: "oidc", Flavor: flavor}, Report: rep, Metadata: md, Now: now})
		return find(t, fs, doctor.CodeGroupsScope)
	}
	for _, tc := range []struct{ flavor, title string }{
		{"hydra", "ORY Hydra's"},
		{"", "ORY Hydra (detected from discovery)'s"},
	} {
		f := analyze(tc.flavor, hydra)
		assert.Equal(t, doctor.SeverityNote, f.Severity, tc.flavor)
		assert.Equal(t, "the scope groups is requested; "+tc.title+" scopes_supported (offline_access offline openid) does not list it, but ORY Hydra grants any scope the client's registration allows", f.Message)
		assert.Equal(t, "nothing to change for the login; to have the discovery document list groups, add it to webfinger.oidc_discovery.supported_scope in Hydra's configuration", f.Hint)
		assert.NotContains(t, f.Hint, "Keycloak")
		assert.Empty(t, f.Fix, "nothing to paste")
	}

	f := analyze("keycloak", hydra)
	assert.Equal(t, doctor.SeverityWarning, f.Severity)
	assert.Contains(t, f.Message, "scopes_supported (offline_access offline openid) does not list it")
	f = analyze("", recordedDiscovery(t, "zitadel.json"))
	assert.Equal(t, doctor.SeverityWarning, f.Severity)
	assert.Contains(t, f.Message, "does not list it")
}
