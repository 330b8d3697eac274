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
		IDTokenAlgs: []string{"RS256"}, ChallengeMethods: []string{"plain", "S256"},
		// A client is held to its token_endpoint_auth_method, client_secret_basic when unset.
		AuthMethods:               []string{"client_secret_basic"},
		TokenAuthMethodsSupported: []string{"client_secret_post", "client_secret_basic", "private_key_jwt", "none"},
		Fixes: map[FixKey]ProviderFix{
			FixPKCEOptional:    {"oauth2.pkce.enforced: false (and oauth2.pkce.enforced_for_public_clients) in Hydra's configuration", "unconfirmed", "v2.3.0 (unconfirmed)"},
			FixClaimsInIDToken: {"the consent app's accept-consent request must put the claims into session.id_token", "unconfirmed", "v2.3.0 (unconfirmed)"},
			FixGroupsClaim:     {"the consent app's accept-consent request must put groups into session.id_token (and session.access_token for userinfo)", "unconfirmed", "v2.3.0 (unconfirmed)"},
			FixClientAuth:      {"hydra update oauth2-client {client} --token-endpoint-auth-method {method} (update replaces the client: repeat its other flags)", "npm passport-hydra README and fbrass/ory-hydra-asp.net-core-consumer-app-poc README (--token-endpoint-auth-method client_secret_post)", "v1.x–v2.3.0"},
			FixRedirectURI:     {"hydra update oauth2-client {client} --redirect-uri <URI> (update replaces the client: repeat its other flags)", "unconfirmed", "v2.3.0 (unconfirmed)"},
			FixClientSecret:    {"hydra get oauth2-client {client} shows the client; hydra update oauth2-client {client} --secret <new secret> sets one (update replaces the client: repeat its other flags)", "unconfirmed", "v2.3.0 (unconfirmed)"},
		},
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
