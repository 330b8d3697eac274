package validate

import (
	"fmt"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// checkFlavor refuses a flavor on a provider that is not of type oidc (SSO027): the flavours
// (pkg/provider, flavor_*.go) describe OpenID provider products behind the generic oidc type.
func (c *checker) checkFlavor(i int, p *config.Provider) {
	if p.Flavor == "" || p.Type == config.TypeOIDC {
		return
	}
	c.add(CodeFlavorNotOIDC, provSegs(i, "flavor"),
		fmt.Sprintf("provider %q has flavor %s, but flavors apply only to type oidc, not %s", p.Name, p.Flavor, p.Type),
		"remove flavor, or make the provider type: oidc with the product's issuer")
}

// withFlavorFix appends to a hint the provider-side change key names, in the terms of the
// provider's configured flavour (pkg/provider flavor_*.go), when it has one.
func withFlavorFix(hint string, p *config.Provider, key provider.FixKey) string {
	if named := provider.NamedFix(p.Flavor, key, p.ClientID); named != "" {
		return hint + " (" + named + ")"
	}
	return hint
}
