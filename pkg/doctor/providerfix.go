package doctor

import (
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// ProviderFixes names each finding's provider-side change in the provider's own terms (the admin
// screen path or the command) when the provider's flavour is known: the config's flavor, else the
// one its discovery document shows (md; nil when unknown). The flavour's text for the finding's
// FixKey (pkg/provider, flavor_*.go) replaces the general words in the hint, and becomes the Fix
// where the finding has no value to paste. Findings without a FixKey, or whose key the flavour has
// no setting for, are returned as they are.
func ProviderFixes(fs []Finding, p config.Provider, md *provider.Discovery) []Finding {
	if p.Type != config.TypeOIDC {
		return fs
	}
	fl, detected, ok := provider.FlavorOf(p.Flavor, md)
	if !ok {
		return fs
	}
	title := fl.Title
	if detected {
		title += " (detected from discovery)"
	}
	for i := range fs {
		applyProviderFix(&fs[i], fl, title, p.ClientID)
	}
	return fs
}

// applyProviderFix puts the flavour's words for f's change into f.
func applyProviderFix(f *Finding, fl provider.Flavor, title, clientID string) {
	if f.FixKey == "" || f.named {
		return
	}
	method := ""
	if f.FixKey == provider.FixClientAuth {
		// DOC021 and DOC023 compare methods: the expected one (the app's first, DOC023; the one
		// that works, DOC021) is the method to register at the provider.
		if m := strings.Fields(f.Expected); len(m) > 0 {
			method = m[0]
		}
	}
	text, ok := fl.FixWith(f.FixKey, clientID, method)
	if !ok {
		return
	}
	named := title + ": " + text
	switch {
	case f.ProviderSide != "" && strings.Contains(f.Hint, f.ProviderSide):
		f.Hint = strings.Replace(f.Hint, f.ProviderSide, named, 1)
	case f.Hint == "":
		f.Hint = named
	default:
		f.Hint += "; " + named
	}
	f.ProviderSide, f.named = named, true
	// The flavour's words become the value to paste unless the finding has one of its own, or has
	// only the bare method where the fix is wholly at the provider.
	if f.Fix == "" || (f.FixKey == provider.FixClientAuth && f.Field == "") {
		f.Fix = named
	}
}

// providerSide marks part of f's hint as the general provider-side change key asks for, which a
// known flavour's words replace (ProviderFixes).
func (f Finding) providerSide(key provider.FixKey, general string) Finding {
	f.FixKey, f.ProviderSide = key, general
	return f
}
