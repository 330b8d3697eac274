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
