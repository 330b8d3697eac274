package provider

import "github.com/ssoctl/ssoctl/pkg/config"

// microsoft is Entra ID with the v2 endpoints of one tenant (DefaultTenant when unset).
func microsoft() Preset {
	return Preset{
		Type:          config.TypeMicrosoft,
		Title:         "Microsoft Entra ID",
		OIDC:          true,
		Issuer:        "https://login.microsoftonline.com/{tenant}/v2.0",
		AuthorizeURL:  "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
		TokenURL:      "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
		UserinfoURL:   "https://graph.microsoft.com/oidc/userinfo",
		DefaultScopes: []string{"openid", "profile", "email"},
		PKCE:          PKCES256,
		ClientAuth:    AuthPost,
		MappingType:   config.TypeMicrosoft,
		Required:      secretRequired(),
		StableID:      "sub",
		Notes: []string{
			"tenant defaults to common (work, school and personal accounts); also organizations, consumers, a tenant ID or domain",
			"discovery for common/organizations reports the issuer https://login.microsoftonline.com/{tenantid}/v2.0 literally; tokens carry the user's tenant ID, so the issuer is checked against tid",
			"\"sub\" is pairwise (different per app); oid together with tid identifies a user across apps",
			"AList hard-codes tenant common and reads Graph /v1.0/me (scope User.Read): register a multi-tenant app",
			"redirect URIs must be https, or http://localhost",
		},
	}
}
