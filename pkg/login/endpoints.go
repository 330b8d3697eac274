package login

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// Endpoints are where a login goes. Issuer drives discovery; the URLs, when set, override what
// discovery says (the config's authorize_url, token_url and userinfo_url).
type Endpoints struct {
	Issuer       string
	AuthorizeURL string
	TokenURL     string
	UserinfoURL  string
	Scopes       []string
}

// defaultOIDCScopes are requested when the provider lists none.
var defaultOIDCScopes = []string{"openid", "profile", "email"}

// microsoftTenantPlaceholder is what Entra's discovery for the multi-tenant authorities (common,
// organizations) puts into "issuer": tokens carry the user's tenant ID there instead.
const microsoftTenantPlaceholder = "{tenantid}"

// oidcTypes are the provider types whose login is OpenID Connect with discovery.
var oidcTypes = []string{config.TypeOIDC, config.TypeCasdoor, config.TypeGoogle, config.TypeMicrosoft}

// resolveEndpoints fills the endpoints of an OpenID Connect provider from its config: explicit values
// first, then the platform's fixed issuer. Other types are not supported yet.
func resolveEndpoints(p config.Provider) (Endpoints, error) {
	if !slices.Contains(oidcTypes, p.Type) {
		return Endpoints{}, &UnsupportedTypeError{Type: p.Type}
	}
	ep := Endpoints{
		Issuer:       p.Issuer,
		AuthorizeURL: p.AuthorizeURL,
		TokenURL:     p.TokenURL,
		UserinfoURL:  p.UserinfoURL,
		Scopes:       slices.Clone(p.Scopes),
	}
	if ep.Issuer == "" {
		switch p.Type {
		case config.TypeGoogle:
			ep.Issuer = "https://accounts.google.com"
		case config.TypeMicrosoft:
			tenant := p.Tenant
			if tenant == "" {
				tenant = "common"
			}
			ep.Issuer = "https://login.microsoftonline.com/" + tenant + "/v2.0"
		}
	}
	if ep.Issuer == "" {
		return ep, &Error{
			Step:     "discovery",
			Message:  fmt.Sprintf("provider %q of type %s has no issuer", p.Name, p.Type),
			HintText: "set issuer to the provider's issuer URL (its discovery document is at ISSUER/.well-known/openid-configuration)",
		}
	}
	if len(ep.Scopes) == 0 {
		ep.Scopes = slices.Clone(defaultOIDCScopes)
	}
	return ep, nil
}

// microsoftIssuer returns the issuer a token of tenant tid must carry under an issuer template.
func microsoftIssuer(template, tid string) string {
	return strings.ReplaceAll(template, microsoftTenantPlaceholder, tid)
}
