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
		IDTokenAlgs: []string{"RS256"}, ChallengeMethods: []string{"plain", "S256"},
		AuthMethods:               []string{"client_secret_basic", "client_secret_post"},
		TokenAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post", "none"},
		Fixes: map[FixKey]ProviderFix{
			FixPKCEOptional: {"OIDC Clients → {client} → PKCE: off", "unconfirmed", "unconfirmed"},
			FixGroupsClaim:  {"request the groups scope; the claim lists the user's Pocket ID groups (Settings → User Groups)", "unconfirmed", "unconfirmed"},
			FixRedirectURI:  {"OIDC Clients → {client} → Callback URLs: add the URI", "unconfirmed", "unconfirmed"},
			FixClientSecret: {"OIDC Clients → {client} → Create new client secret", "unconfirmed", "unconfirmed"},
		},
		Facts: []Fact{
			{"issuer", "the APP_URL; authorization page /authorize, token and userinfo under /api/oidc/", "pocket-id/pocket-id backend/internal/controller/well_known_controller.go computeOIDCConfiguration at 1934efa", "1.x (1934efa)"},
			{"groups", "claim groups with scope groups (scopes_supported and claims_supported list them): group names", "pocket-id/pocket-id backend/internal/controller/well_known_controller.go at 1934efa", "1.x (1934efa)"},
			{"pkce", "optional per client; public clients use it (\"Public Client\" marks PKCE)", "Home Assistant auth_oidc docs, Pocket ID section (code corpus)", "unconfirmed"},
			{"signing", "the signing key's algorithm (id_token_signing_alg_values_supported from GetKeyAlg): RS256 with the key a new instance generates (RSA 2048); `pocket-id key-rotate --alg` can make it RS384, RS512, ES256, ES384, ES512 or EdDSA", "pocket-id/pocket-id backend/internal/controller/well_known_controller.go at 1934efa (the key's alg); backend/internal/service/jwt_service.go JwtService.generateKey (\"Default is to generate RS256 (RSA-2048) keys\") and backend/internal/cmds/key_rotate.go at d258d95 (v2.14.0-2) and v2.14.0 (5521266)", "1.x–2.14 (1934efa, v2.14.0)"},
			{"client auth", "client_secret_basic, client_secret_post and none (public clients)", "pocket-id/pocket-id backend/internal/controller/well_known_controller.go at 1934efa (token_endpoint_auth_methods_supported)", "1.x (1934efa)"},
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
