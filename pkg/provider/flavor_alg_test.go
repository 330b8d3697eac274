package provider

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The algorithm a new client's ID tokens are signed with is SigningAlg's, where the discovery
// document lists it: LemonLDAP::NG's manager signs with HS512 although discovery lists RS256 first
// among the asymmetric ones; authentik's prose ("HS256 with the client secret when ...") names HS256.
func TestDefaultIDTokenAlg(t *testing.T) {
	want := map[string]string{FlavorAuthentik: "HS256", FlavorKeycloak: "RS256", FlavorAuthelia: "RS256", FlavorZitadel: "RS256",
		FlavorKanidm: "ES256", FlavorPocketID: "RS256", FlavorDex: "RS256", FlavorLemonLDAP: "HS512", FlavorHydra: "RS256"}
	for _, f := range Flavors() {
		assert.Equal(t, want[f.Name], f.DefaultIDTokenAlg(), f.Name)
	}
	assert.Empty(t, Flavor{SigningAlg: "HS512", IDTokenAlgs: []string{"RS256"}}.DefaultIDTokenAlg(), "an algorithm discovery does not list")
	assert.Empty(t, Flavor{IDTokenAlgs: []string{"RS256"}}.DefaultIDTokenAlg(), "none stated")
}
