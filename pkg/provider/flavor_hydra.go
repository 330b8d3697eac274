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
		// Confirmed against the real Hydra v2.3.0 (e2e/hydra; its discovery document recorded in
		// testdata/discovery/hydra.json) and its source in the Go module cache.
		IDTokenAlgs: []string{"RS256"}, ChallengeMethods: []string{"plain", "S256"},
		// A client is held to its token_endpoint_auth_method, client_secret_basic when unset.
		AuthMethods:               []string{"client_secret_basic"},
		TokenAuthMethodsSupported: []string{"client_secret_post", "client_secret_basic", "private_key_jwt", "none"},
		// The "scopes announced" fact below: scopes_supported is webfinger.oidc_discovery.supported_scope
		// plus offline_access, offline and openid, and says nothing of what a client is granted.
		UnlistedScopeSetting: "webfinger.oidc_discovery.supported_scope in Hydra's configuration",
		Fixes: map[FixKey]ProviderFix{
			FixPKCEOptional:    {"oauth2.pkce.enforced: false (and oauth2.pkce.enforced_for_public_clients) in Hydra's configuration", "ory/hydra spec/config.json oauth2.pkce; e2e/hydra TestPKCEEnforced", "v2.3.0"},
			FixClaimsInIDToken: {"the consent app's accept-consent request must put the claims into session.id_token", "ory/hydra oauth2/handler.go getOidcUserInfo; e2e/hydra", "v2.3.0"},
			FixGroupsClaim:     {"the consent app's accept-consent request must put groups into session.id_token (userinfo returns those claims too)", "ory/hydra oauth2/handler.go getOidcUserInfo; e2e/hydra", "v2.3.0"},
			FixClientAuth:      {"hydra update oauth2-client {client} --token-endpoint-auth-method {method} (update replaces the client: repeat its other flags)", "ory/hydra cmd/cmd_update_client.go (Long: \"replaces the entire client\") and cmd/cmd_helper_client.go registerClientFlags (token-endpoint-auth-method, default client_secret_basic) at v2.3.0 (Go module cache); npm passport-hydra README and fbrass/ory-hydra-asp.net-core-consumer-app-poc README (--token-endpoint-auth-method client_secret_post)", "v1.x–v2.3.0"},
			FixRedirectURI:     {"hydra update oauth2-client {client} --redirect-uri <URI> (update replaces the client: repeat its other flags, and its other redirect URIs in the same comma-separated list)", "ory/hydra cmd/cmd_update_client.go (Long: \"replaces the entire client\") and cmd/cmd_helper_client.go registerClientFlags (redirect-uri, a string slice: \"List of allowed OAuth2 Redirect URIs\") at v2.3.0 (Go module cache); run as printed with the real hydra CLI in e2e/hydra TestFixCommandsRun", "v2.3.0"},
			FixClientSecret:    {"hydra get oauth2-client {client} shows the client but never its secret; hydra update oauth2-client {client} --secret <new secret> sets a new one (update replaces the client: repeat its other flags; without --secret it keeps the old secret)", "ory/hydra client/handler.go Get (the secret blanked) and setOAuth2Client (\"If you pass client_secret the secret is used, otherwise the existing secret is used\"), persistence/sql/persister_client.go UpdateClient (an empty secret keeps the stored hash), cmd/cmd_helper_client.go registerClientFlags (secret) at v2.3.0 (Go module cache); run as printed with the real hydra CLI in e2e/hydra TestFixCommandsRun (get shows no secret; the new secret logs in)", "v2.3.0"},
		},
		Facts: []Fact{
			{"issuer", "URLS_SELF_ISSUER, byte for byte (http(s)://<public host>:<port>/ when unset); --host builds https://<host>/ with that trailing slash (use --issuer for another form)", "ory/hydra driver/config/provider.go IssuerURL; e2e/hydra TestProviderAddFlavorHydra", "v2.3.0"},
			{"groups", "none by default: claims come from the consent app's accept-consent session.id_token, which Hydra puts in the ID token and returns from userinfo too", "ory/hydra oauth2/handler.go getOidcUserInfo (userinfo is the ID token's claims); e2e/hydra", "v2.3.0"},
			{"signing", "RS256 (hydra.openid.id-token key set, made on first use)", "discovery id_token_signing_alg_values_supported (testdata/discovery/hydra.json)", "v2.3.0"},
			{"pkce", "supported (S256, plain); enforced only with oauth2.pkce.enforced (or enforced_for_public_clients), and then a request without code_challenge reaches the login and is refused after consent, in the redirect to the client: \"Clients must include a code_challenge…\"", "ory/hydra spec/config.json oauth2.pkce; fosite v0.49.0 handler/pkce/handler.go; e2e/hydra TestPKCEEnforced", "v2.3.0"},
			{"client auth", "per client token_endpoint_auth_method, client_secret_basic when unset; a client is refused any other method", "ory/hydra client/validator.go; e2e/hydra TestPostOnlyClient", "v2.3.0"},
			{"scopes announced", "scopes_supported lists only offline_access, offline and openid (webfinger.oidc_discovery.supported_scope adds more); a client gets any scope its registration allows", "ory/hydra driver/config/provider.go OIDCDiscoverySupportedScope; testdata/discovery/hydra.json", "v2.3.0"},
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
