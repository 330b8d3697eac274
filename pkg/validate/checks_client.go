package validate

import (
	"fmt"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// checkClientChoice checks token_endpoint_auth_method and pkce against the app's OAuth client
// (pkg/app): a value the app offers no setting for is SSO025; a public client without PKCE SSO026.
func (c *checker) checkClientChoice(i int, p *config.Provider) {
	if p.TokenEndpointAuthMethod == "" && p.PKCE == "" {
		return
	}
	client := app.StrictClient()
	if t, err := app.Resolve(c.cfg.App); err == nil {
		if ac, ok := app.ClientFor(t, p.Type); ok {
			client = ac
		}
	}
	for _, e := range client.ConfigErrors(*p) {
		hint := e.Hint
		switch e.Key {
		case "pkce":
			hint = withFlavorFix(hint, p, provider.FixPKCEOptional)
		case "token_endpoint_auth_method":
			hint = withFlavorFix(hint, p, provider.FixClientAuth)
		}
		c.add(CodeClientChoice, provSegs(i, e.Key), fmt.Sprintf("provider %q: %s", p.Name, e.Message), hint)
	}
	if p.TokenEndpointAuthMethod == app.AuthNone && p.ClientSecret != "" {
		c.add(CodeClientChoice, provSegs(i, "client_secret"), fmt.Sprintf("provider %q is a public client (token_endpoint_auth_method: none) but has a client_secret, which is never sent", p.Name),
			"remove client_secret, or set token_endpoint_auth_method to the method the client is registered with at the provider")
	}
	if p.TokenEndpointAuthMethod == app.AuthNone && p.PKCE == "none" {
		c.add(CodePublicClientNoPKCE, provSegs(i, "pkce"), fmt.Sprintf("provider %q is a public client without PKCE: anyone who intercepts an authorization code can redeem it", p.Name),
			"remove pkce: none (S256 is the default for a public client)")
	}
}
