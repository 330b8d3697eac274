package provider

import "github.com/ssoctl/ssoctl/pkg/config"

// oauth2 is a custom OAuth 2.0 server: the user gives every endpoint and the mapping rules.
func oauth2() Preset {
	return Preset{
		Type:          config.TypeOAuth2,
		Title:         "OAuth 2.0 (custom)",
		DefaultScopes: []string{},
		PKCE:          PKCEUnknown,
		ClientAuth:    AuthAuto,
		MappingType:   MappingCustom,
		Required:      []string{KeyClientID, KeyAuthorizeURL, KeyTokenURL, KeyUserinfoURL, KeyClientSecret},
		StableID:      "",
		Notes: []string{
			"no ID token and no discovery: give the authorize, token and userinfo URLs",
			"the mapping is custom: rules for name and email are required",
			"client authentication is detected: HTTP Basic first, then the form body",
		},
	}
}
