package validate

import (
	"fmt"

	"github.com/ssoctl/ssoctl/pkg/config"
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
