package login

import (
	"errors"
	"fmt"
	"slices"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
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

// oidcTypes are the provider types whose login is OpenID Connect with discovery.
var oidcTypes = []string{config.TypeOIDC, config.TypeCasdoor, config.TypeGoogle, config.TypeMicrosoft}

// resolveEndpoints fills the endpoints of a provider from its config when the caller gave none:
// explicit values first, then, for OpenID Connect, the platform's fixed issuer (discovery does the
// rest); other kinds take their preset's endpoints (pkg/provider).
func resolveEndpoints(p config.Provider) (Endpoints, error) {
	if !slices.Contains(oidcTypes, p.Type) {
		if _, ok := provider.Lookup(p.Type); !ok {
			// newFlow names the unknown kind.
			return Endpoints{}, nil
		}
		pe, err := provider.Resolve(p)
		if err != nil {
			var ie *provider.IncompleteError
			if errors.As(err, &ie) {
				return Endpoints{}, &Error{Step: "config", Message: ie.Error(), HintText: ie.Hint(), Err: err}
			}
			return Endpoints{}, err
		}
		return Endpoints{AuthorizeURL: pe.AuthorizeURL, TokenURL: pe.TokenURL, UserinfoURL: pe.UserinfoURL, Scopes: pe.Scopes}, nil
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
