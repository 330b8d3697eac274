package provider

import "net/url"

// lemonLDAPFlavor is LemonLDAP::NG's OpenID Connect issuer.
func lemonLDAPFlavor() Flavor {
	return Flavor{
		Name: FlavorLemonLDAP, Title: "LemonLDAP::NG",
		IssuerForm:  "the portal URL, https://auth.<domain>",
		issuer:      func(base, _ string, _ bool) string { return base },
		GroupsShape: "none by default: export a groups claim from the RP's Exported attributes and an extra scope",
		SigningAlg:  "RS256",
		IDTokenAlgs: []string{"RS256"}, ChallengeMethods: []string{"plain", "S256"},
		AuthMethods:               []string{"client_secret_basic", "client_secret_post"},
		TokenAuthMethodsSupported: []string{"client_secret_post", "client_secret_basic", "client_secret_jwt", "private_key_jwt"},
		Fixes: map[FixKey]ProviderFix{
			FixSigningKey:      {"Manager → OpenID Connect Relying Parties → {client} → Options → Security → ID Token signature algorithm: RS256", "unconfirmed", "2.x (unconfirmed)"},
			FixPKCEOptional:    {"Manager → OpenID Connect Relying Parties → {client} → Options → Security → Require PKCE: off", "unconfirmed", "2.x (unconfirmed)"},
			FixClaimsInIDToken: {"Manager → OpenID Connect Relying Parties → {client} → Options → Security → Force claims to be returned in ID Token: on", "unconfirmed", "2.x (unconfirmed)"},
			FixGroupsClaim:     {"Manager → OpenID Connect Relying Parties → {client} → Exported attributes: groups (multivalued), and Extra claims: a groups scope releasing it; request that scope", "unconfirmed", "2.x (unconfirmed)"},
			FixRedirectURI:     {"Manager → OpenID Connect Relying Parties → {client} → Options → Basic → Allowed redirection addresses for login: add the URI", "unconfirmed", "2.x (unconfirmed)"},
			FixClientSecret:    {"Manager → OpenID Connect Relying Parties → {client} → Options → Basic → Client ID and Client secret", "unconfirmed", "2.x (unconfirmed)"},
		},
		Facts: []Fact{
			{"issuer", "the portal URL", "unconfirmed", "unconfirmed"},
			{"groups", "no groups claim until the RP exports one (Relying parties → <rp> → Exported attributes, Extra claims)", "unconfirmed", "unconfirmed"},
			{"signing", "RS256", "unconfirmed", "unconfirmed"},
			{"pkce", "optional per RP (Require PKCE off by default)", "unconfirmed", "unconfirmed"},
			{"client auth", "client_secret_basic and client_secret_post", "unconfirmed", "unconfirmed"},
		},
		detect: func(_ *Discovery, iss, auth, token, _, _ *url.URL) (string, bool) {
			ra, okA := relPath(iss, auth)
			rt, okT := relPath(iss, token)
			if okA && okT && ra == "/oauth2/authorize" && rt == "/oauth2/token" {
				return "endpoints /oauth2/authorize and /oauth2/token", true
			}
			return "", false
		},
	}
}
