package provider

import "net/url"

// pocketIDUI is where the admin screens' labels below are read (message keys in parentheses).
const pocketIDUI = "pocket-id/pocket-id frontend/messages/en.json at d258d95 (v2.14.0-2) and v1.16.0"

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
			FixPKCEOptional: {"OIDC Clients → {client} → PKCE: off (a Public Client always needs PKCE: make it confidential)", pocketIDUI + " (oidc_clients, pkce, public_client); backend/internal/oidc/authorization_service.go validateClientPKCERequirement and provider.go EnforcePKCEForPublicClients at d258d95", "1.16–2.14"},
			FixGroupsClaim:  {"request the groups scope; the claim lists the names of the user's Pocket ID groups (Settings → User Groups)", pocketIDUI + " (user_groups); backend/internal/oidc/claims_service.go (scope groups: group.Name) at d258d95 and backend/internal/service/oidc_service.go at v1.16.0 (8cddcb8)", "1.16–2.14"},
			FixRedirectURI:  {"OIDC Clients → {client} → Callback URLs: add the URI", pocketIDUI + " (callback_urls)", "1.16–2.14"},
			FixClientSecret: {"OIDC Clients → {client} → Client secrets → Add client secret (1.x: Create new client secret, which invalidates the old one)", pocketIDUI + " (client_secrets, add_client_secret; v1.16.0 create_new_client_secret)", "1.16–2.14"},
		},
		Facts: []Fact{
			{"issuer", "the APP_URL; authorization page /authorize, token and userinfo under /api/oidc/", "pocket-id/pocket-id backend/internal/controller/well_known_controller.go computeOIDCConfiguration at 1934efa", "1.x (1934efa)"},
			{"groups", "claim groups with scope groups (scopes_supported and claims_supported list them): group names", "pocket-id/pocket-id backend/internal/controller/well_known_controller.go at 1934efa", "1.x (1934efa)"},
			{"pkce", "optional per client, off for a new client; required for a Public Client and for one with PKCE on, where a request without code_challenge is refused at the authorize endpoint with invalid_request \"This client requires PKCE, but the 'code_challenge' parameter is missing.\"", "pocket-id/pocket-id backend/internal/oidc/authorization_service.go validateClientPKCERequirement and provider.go (EnforcePKCEForPublicClients: true), frontend/src/routes/settings/admin/oidc-clients/oidc-client-form.svelte (pkceEnabled: false for a new client) at d258d95 (v2.14.0-2); backend/internal/service/oidc_service.go (PkceEnabled = IsPublic || PkceEnabled) at v1.16.0 (8cddcb8)", "1.16–2.14"},
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
