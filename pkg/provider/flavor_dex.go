package provider

import "net/url"

// dexFlavor is Dex, the federating OpenID provider.
func dexFlavor() Flavor {
	return Flavor{
		Name: FlavorDex, Title: "Dex",
		IssuerForm:  "the issuer in Dex's config, often https://<host>/dex",
		issuer:      func(base, _ string, _ bool) string { return base },
		GroupsClaim: "groups", GroupsScope: "groups",
		GroupsShape: "group names as the upstream connector reports them (GitHub: org:team)",
		SigningAlg:  "RS256",
		IDTokenAlgs: []string{"RS256"}, ChallengeMethods: []string{"S256", "plain"},
		AuthMethods:               []string{"client_secret_basic", "client_secret_post"},
		TokenAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post"},
		Fixes: map[FixKey]ProviderFix{
			FixGroupsClaim:  {"request the groups scope, and make the connector report groups (LDAP: groupSearch; GitHub: orgs and teams)", "dexidp/dex server/oauth2.go parseScopes (scope groups sets connector.Scopes.Groups) and the ID token's groups only for scope groups; connector/ldap/ldap.go Config.GroupSearch (json groupSearch), connector/github/github.go Config.Orgs (json orgs) at v2.45.1 (11d2eeb)", "v2 (v2.45.1)"},
			FixRedirectURI:  {"staticClients[id: {client}].redirectURIs in Dex's config: add the URI", "dexidp/dex cmd/dex/config.go Config.StaticClients (json staticClients) and storage/storage.go Client.RedirectURIs (json redirectURIs) at v2.45.1 (11d2eeb)", "v2 (v2.45.1)"},
			FixClientSecret: {"staticClients[id: {client}].secret (or secretEnv) in Dex's config", "dexidp/dex storage/storage.go Client.Secret and SecretEnv (json secret, secretEnv) at v2.45.1 (11d2eeb)", "v2 (v2.45.1)"},
		},
		Facts: []Fact{
			{"issuer", "exactly the config's issuer value (a path like /dex is kept); endpoints <issuer>/auth, /token, /keys, /userinfo", "dexidp/dex server/handlers.go discoveryHandler (s.issuerURL, s.absURL) at 0039f55", "v2 (0039f55)"},
			{"groups", "claim groups with scope groups (scopes_supported lists groups), filled by the connector", "dexidp/dex server/handlers.go discoveryHandler at 0039f55 (scopes_supported)", "v2 (0039f55)"},
			{"signing", "RS256 (id_token_signing_alg_values_supported), rotating keys", "dexidp/dex server/handlers.go discoveryHandler at 0039f55 (IDTokenAlgs jose.RS256; keys.NextRotation)", "v2 (0039f55)"},
			{"pkce", "S256 and plain listed (code_challenge_methods_supported); not required: an authorize request without code_challenge is accepted; after v2.45.1 the config's oauth2.pkce.enforce (default false) can require it, refusing with invalid_request \"PKCE is required. The code_challenge parameter must be provided.\"", "dexidp/dex server/handlers.go at 0039f55 (listed); server/oauth2.go parseAuthorizationRequest (code_challenge optional) at v2.45.1 (11d2eeb); cmd/dex/config.go PKCE.Enforce and server/authflow/request.go at ab64ed7 (main after v2.45.1, added in 5bbfbbe)", "v2 (0039f55 to v2.45.1; enforce switch after v2.45.1)"},
			{"client auth", "client_secret_basic and client_secret_post", "dexidp/dex server/handlers.go discoveryHandler at 0039f55 (token_endpoint_auth_methods_supported)", "v2 (0039f55)"},
		},
		detect: func(_ *Discovery, iss, auth, token, _, jwks *url.URL) (string, bool) {
			ra, okA := relPath(iss, auth)
			rt, okT := relPath(iss, token)
			rk, okK := relPath(iss, jwks)
			if okA && okT && okK && ra == "/auth" && rt == "/token" && rk == "/keys" {
				return "endpoints <issuer>/auth, /token and /keys", true
			}
			return "", false
		},
	}
}
