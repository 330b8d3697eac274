package provider

import "github.com/ssoctl/ssoctl/pkg/config"

// oidc is any OpenID Connect provider (authentik, Keycloak, Zitadel, Okta, Auth0, ...): everything
// but the issuer comes from discovery.
func oidc() Preset {
	return Preset{
		Type:          config.TypeOIDC,
		Title:         "OpenID Connect",
		OIDC:          true,
		DefaultScopes: []string{"openid", "profile", "email"},
		PKCE:          PKCEOptional,
		ClientAuth:    AuthDiscovery,
		MappingType:   config.TypeOIDC,
		Required:      []string{KeyClientID, KeyIssuer, KeyClientSecret},
		StableID:      "sub",
		Notes: []string{
			"the issuer must equal the discovery document's \"issuer\" exactly: authentik's ends in /, Keycloak's does not",
			"authentik: https://auth.example.com/application/o/<slug>/; Keycloak: https://kc.example.com/realms/<realm>; Zitadel: https://<instance-domain>",
			"groups reach the userinfo only when the IdP maps them (Keycloak: a Group Membership mapper)",
		},
	}
}
