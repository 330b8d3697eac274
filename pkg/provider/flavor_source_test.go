package provider

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A fact or fix read in a copy of the source without a commit says so in its own words ("not
// pinned"): the vague pins a reviewer found ("a version in the code index, which gives no commit",
// "found through the code index", "a later version", version "1.x") stay out.
func TestFlavorSourcesPinned(t *testing.T) {
	vague := []string{"which gives no commit", "commit not given", "found through the code index", "and a later version", "a 25+ version"}
	for _, f := range Flavors() {
		check := func(what, source, version string) {
			for _, v := range vague {
				if strings.Contains(source, v) && !strings.Contains(source, "not pinned") {
					t.Errorf("%s %s: source %q is vague (%q) and does not say it is not pinned", f.Name, what, source, v)
				}
			}
			assert.NotEqual(t, "1.x", version, "%s %s", f.Name, what)
		}
		for _, fact := range f.Facts {
			check("fact "+fact.Topic, fact.Source, fact.Version)
		}
		for k, fx := range f.Fixes {
			check("fix "+string(k), fx.Source, fx.Version)
		}
	}
}

// Kanidm's signing fact and the fix for the same setting (warning-enable-legacy-crypto) were read
// at the same versions, so they give the same range.
func TestKanidmVersionRanges(t *testing.T) {
	fl, ok := LookupFlavor(FlavorKanidm)
	assert.True(t, ok)
	for _, fact := range fl.Facts {
		switch fact.Topic {
		case "signing":
			assert.Equal(t, fl.Fixes[FixSigningKey].Version, fact.Version)
		case "pkce":
			assert.Equal(t, fl.Fixes[FixPKCEOptional].Version, fact.Version)
		case "username":
			assert.Equal(t, fl.Fixes[FixShortUsername].Version, fact.Version)
		}
	}
}
