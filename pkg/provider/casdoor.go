package provider

import "github.com/ssoctl/ssoctl/pkg/config"

// casdoor is OpenID Connect whose issuer is the Casdoor origin; the endpoints are fixed paths under it,
// as AList builds them.
func casdoor() Preset {
	return Preset{
		Type:          config.TypeCasdoor,
		Title:         "Casdoor",
		OIDC:          true,
		AuthorizeURL:  "{origin}/login/oauth/authorize",
		TokenURL:      "{origin}/api/login/oauth/access_token",
		UserinfoURL:   "{origin}/api/userinfo",
		DefaultScopes: []string{"openid", "profile", "email"},
		PKCE:          PKCES256,
		ClientAuth:    AuthPost,
		MappingType:   config.TypeCasdoor,
		Required:      []string{KeyClientID, KeyIssuer, KeyClientSecret},
		StableID:      "sub",
		Notes: []string{
			"issuer is the Casdoor origin, e.g. https://door.example.com",
			"\"preferred_username\" holds the account name and \"name\" the display name",
			"never log in to apps with users of the built-in organization: they are global administrators",
			"some versions always send email_verified: true",
		},
	}
}
