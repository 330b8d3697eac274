package provider

import "net/url"

// pocketIDFlavor is Pocket ID, a passkey-only OpenID provider.
func pocketIDFlavor() Flavor {
	return Flavor{
		Name: FlavorPocketID, Title: "Pocket ID",
		IssuerForm:  "https://<host> (APP_URL)",
		issuer:      func(base, _ string, _ bool) string { return base },
		GroupsClaim: "groups", GroupsScope: "groups",
		GroupsShape: "group names",
		SigningAlg:  "RS256",
		IDTokenAlgs: []string{"RS256"}, ChallengeMethods: []string{"S256"},
		AuthMethods:               []string{"client_secret_basic", "client_secret_post"},
		TokenAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post"},
		Fixes: map[FixKey]ProviderFix{
			FixPKCEOptional: {"OIDC Clients → {client} → PKCE: off", "unconfirmed", "unconfirmed"},
			FixGroupsClaim:  {"request the groups scope; the claim lists the user's Pocket ID groups (Settings → User Groups)", "unconfirmed", "unconfirmed"},
			FixRedirectURI:  {"OIDC Clients → {client} → Callback URLs: add the URI", "unconfirmed", "unconfirmed"},
		},
		Facts: []Fact{
			{"issuer", "the APP_URL, no trailing slash", "unconfirmed", "unconfirmed"},
			{"groups", "claim groups with scope groups: group names", "unconfirmed", "unconfirmed"},
			{"pkce", "optional per client; public clients use it (\"Public Client\" marks PKCE)", "Home Assistant auth_oidc docs, Pocket ID section (code corpus)", "unconfirmed"},
			{"signing", "RS256", "unconfirmed", "unconfirmed"},
			{"client auth", "client_secret_basic and client_secret_post", "unconfirmed", "unconfirmed"},
		},
		detect: func(_ *Discovery, iss, auth, token, _, _ *url.URL) (string, bool) {
			ra, okA := relPath(iss, auth)
			rt, okT := relPath(iss, token)
			if okA && okT && ra == "/authorize" && rt == "/api/oidc/token" {
				return "endpoints /authorize and /api/oidc/token", true
			}
			return "", false
		},
	}
}
