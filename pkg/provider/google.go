package provider

import "github.com/ssoctl/ssoctl/pkg/config"

// google is OpenID Connect with a fixed issuer; the endpoints are the ones its discovery document
// lists, so a login needs no discovery round trip.
func google() Preset {
	return Preset{
		Type:          config.TypeGoogle,
		Title:         "Google",
		OIDC:          true,
		Issuer:        "https://accounts.google.com",
		AuthorizeURL:  "https://accounts.google.com/o/oauth2/v2/auth",
		TokenURL:      "https://oauth2.googleapis.com/token",
		UserinfoURL:   "https://openidconnect.googleapis.com/v1/userinfo",
		DefaultScopes: []string{"openid", "email", "profile"},
		PKCE:          PKCES256,
		ClientAuth:    AuthPost,
		MappingType:   config.TypeGoogle,
		Required:      secretRequired(),
		StableID:      "sub",
		Notes: []string{
			"ID tokens may carry the legacy issuer \"accounts.google.com\" (no scheme); both spellings are accepted",
			"AList reads the legacy https://www.googleapis.com/oauth2/v1/userinfo, where the user id is \"id\" rather than \"sub\"",
		},
	}
}
