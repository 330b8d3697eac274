package provider

import "net/url"

// autheliaFlavor is Authelia's OpenID Connect 1.0 provider.
func autheliaFlavor() Flavor {
	return Flavor{
		Name: FlavorAuthelia, Title: "Authelia",
		IssuerForm:  "https://<host> (Authelia's own URL, with its path prefix if any)",
		issuer:      func(base, _ string, _ bool) string { return base },
		GroupsClaim: "groups", GroupsScope: "groups",
		GroupsShape: "group names",
		SigningAlg:  "RS256", ClaimsInUserinfoOnly: true,
		IDTokenAlgs: []string{"RS256"}, ChallengeMethods: []string{"S256"},
		// A client is held to its token_endpoint_auth_method, client_secret_basic when unset.
		AuthMethods:               []string{"client_secret_basic"},
		TokenAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"},
		Fixes: map[FixKey]ProviderFix{
			FixSigningKey:      {"identity_providers.oidc.clients[client_id: {client}].id_token_signed_response_alg: RS256 (its default), with an RSA key in identity_providers.oidc.jwks", "authelia/authelia internal/configuration/schema/identity_providers.go IdentityProvidersOpenIDConnectClient.IDTokenSignedResponseAlg (koanf id_token_signed_response_alg, default RS256) and IdentityProvidersOpenIDConnect.JSONWebKeys (koanf jwks) at v4.39.20 (1b524f7)", "4.39 (v4.39.20)"},
			FixPKCEOptional:    {"identity_providers.oidc.clients[client_id: {client}].require_pkce: false", "github.com/markbeep/AudioBookRequest wiki, OpenID Connect With Authelia (client keys require_pkce, token_endpoint_auth_method)", "4.38+"},
			FixClaimsInIDToken: {"identity_providers.oidc.claims_policies.<policy>.id_token: [preferred_username, email, email_verified, name, groups], and on the client identity_providers.oidc.clients[client_id: {client}].claims_policy: <policy>", "authelia.com/integration/openid-connect/openid-connect-1.0-claims", "4.39+"},
			FixGroupsClaim:     {"identity_providers.oidc.clients[client_id: {client}].scopes: add groups, and request the groups scope", "authelia.com/reference/cli/authelia/authelia_debug_oidc_claims (scope groups)", "4.39+"},
			FixClientAuth:      {"identity_providers.oidc.clients[client_id: {client}].token_endpoint_auth_method: {method}", "github.com/markbeep/AudioBookRequest wiki, OpenID Connect With Authelia", "4.38+"},
			FixRedirectURI:     {"identity_providers.oidc.clients[client_id: {client}].redirect_uris: add the URI", "github.com/markbeep/AudioBookRequest wiki, OpenID Connect With Authelia", "4.38+"},
			FixScopeAllowed:    {"identity_providers.oidc.clients[client_id: {client}].scopes: add the scope", "github.com/markbeep/AudioBookRequest wiki, OpenID Connect With Authelia", "4.38+"},
			FixClientSecret:    {"identity_providers.oidc.clients[client_id: {client}].client_secret holds a digest of the secret: the app needs the plain secret it was made from", "authelia/authelia internal/configuration/schema/identity_providers.go IdentityProvidersOpenIDConnectClient.Secret (*PasswordDigest, koanf client_secret; a $plaintext$ value draws a warning in internal/configuration/validator/identity_providers.go) at v4.39.20 (1b524f7)", "4.39 (v4.39.20)"},
		},
		Facts: []Fact{
			{"issuer", "https://<the host the request came to><the path of server.address>, no trailing slash: built per request from X-Forwarded-Proto and X-Forwarded-Host (Authelia refuses discovery when the scheme is not https or the host matches no session cookie domain)", "authelia/authelia internal/middlewares/authelia_context.go AutheliaCtx.IssuerURL (Path: ctx.BasePath(), the server.address path set by middlewares.StripPath) and internal/handlers/handler_oauth2_oidc_wellknown.go WellKnownOpenIDConfigurationGET (issuer.String()) at 2357203 (v4.39.20-575); IssuerURL also in v4.39.20 (1b524f7)", "4.39 (v4.39.20 and 2357203)"},
			{"claims placement", "the ID token is minimal: claims granted by scopes (profile, email, groups) come from userinfo, not the ID token, unless a claims policy (identity_providers.oidc.claims_policies.<name>.id_token) or the claims parameter puts them there", "authelia.com/integration/openid-connect/openid-connect-1.0-claims", "4.39+ (claims policies)"},
			{"groups", "claim groups with scope groups: group names", "authelia.com/reference/cli/authelia/authelia_debug_oidc_claims (default scopes openid,profile,email,phone,address,groups)", "4.39+"},
			{"signing", "RS256: id_token_signing_alg_values_supported lists RS256", "authelia/authelia internal/oidc/discovery.go NewOpenIDConnectWellKnownConfiguration at 01f7717", "4.37 (01f7717)"},
			{"pkce", "S256 listed (plain only with enable_pkce_plain_challenge); required only for a client with require_pkce: true", "authelia/authelia internal/oidc/discovery.go at 01f7717 (code_challenge_methods_supported); github.com/markbeep/AudioBookRequest wiki, OpenID Connect With Authelia (require_pkce per client)", "4.37+"},
			{"client auth", "per client token_endpoint_auth_method; a confidential client without one is client_secret_basic, and is held to it", "authelia/authelia internal/oidc RegisteredClient.GetTokenEndpointAuthMethod (client_secret_basic when unset and not public; found through the code index, file not pinned); AudioBookRequest wiki (an app sending the form body needs client_secret_post)", "4.38+"},
		},
		detect: func(_ *Discovery, iss, auth, token, _, _ *url.URL) (string, bool) {
			ra, okA := relPath(iss, auth)
			rt, okT := relPath(iss, token)
			if okA && okT && ra == "/api/oidc/authorization" && rt == "/api/oidc/token" {
				return "endpoints /api/oidc/authorization and /api/oidc/token", true
			}
			return "", false
		},
	}
}
