package provider

import "net/url"

// hydraFlavor is ORY Hydra: OAuth 2.0 and OpenID Connect with login and consent in another app.
func hydraFlavor() Flavor {
	return Flavor{
		Name: FlavorHydra, Title: "ORY Hydra",
		IssuerForm: "URLS_SELF_ISSUER, e.g. https://<host>/",
		issuer:     func(base, _ string, _ bool) string { return base + "/" },
		// Hydra has no users: the consent app puts whatever it wants in session.id_token.
		GroupsShape: "none of its own: the login/consent app sets the claims",
		SigningAlg:  "RS256",
		Facts: []Fact{
			{"issuer", "URLS_SELF_ISSUER, byte for byte; --host builds https://<host>/ with the trailing slash Hydra's quickstart issuer has (use --issuer for another form)", "unconfirmed", "v2.3.0 (unconfirmed)"},
			{"groups", "none by default: claims come from the consent app's accept-consent session.id_token", "unconfirmed", "unconfirmed"},
			{"signing", "RS256 (hydra.openid.id-token key set)", "unconfirmed", "unconfirmed"},
			{"pkce", "supported; enforced only with oauth2.pkce.enforced", "unconfirmed", "unconfirmed"},
			{"client auth", "per client token_endpoint_auth_method, client_secret_basic by default", "unconfirmed", "unconfirmed"},
		},
		detect: func(_ *Discovery, iss, auth, token, _, _ *url.URL) (string, bool) {
			ra, okA := relPath(iss, auth)
			rt, okT := relPath(iss, token)
			if okA && okT && ra == "/oauth2/auth" && rt == "/oauth2/token" {
				return "endpoints /oauth2/auth and /oauth2/token", true
			}
			return "", false
		},
	}
}
