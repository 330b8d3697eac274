package provider

import (
	"net/url"
	"regexp"
	"sync"
)

// authentikIssuerPath matches the issuer path of an authentik application: /application/o/<slug>/.
var authentikIssuerPath = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/application/o/[^/]+/$`) }) // compiled on first use, not at start-up

// authentikFlavor is authentik's OAuth2/OpenID provider.
func authentikFlavor() Flavor {
	return Flavor{
		Name: FlavorAuthentik, Title: "authentik", IssuerPart: PartSlug,
		IssuerForm: "https://<host>/application/o/<slug>/",
		issuer:     func(base, slug string, _ bool) string { return base + "/application/o/" + slug + "/" },
		// The default "profile" scope mapping sends groups.
		GroupsClaim: "groups", GroupsScope: "profile",
		GroupsShape: "group names (\"authentik Admins\")",
		SigningAlg:  "HS256 with the client secret when no signing key is selected; RS256 with a selected RSA key, ES256 with an EC key",
		// No signing key selected: the discovery document lists HS256 only (testdata/discovery/authentik.json).
		IDTokenAlgs: []string{"HS256"}, ChallengeMethods: []string{"plain", "S256"},
		AuthMethods:               []string{"client_secret_basic", "client_secret_post"},
		TokenAuthMethodsSupported: []string{"client_secret_post", "client_secret_basic"},
		Fixes: map[FixKey]ProviderFix{
			FixSigningKey:      {"Applications → Providers → <provider> → Edit → Advanced protocol settings → Signing Key: select a certificate with an RSA key, so ID tokens are signed with RS256 and published in the JWKS (one with an EC key signs ES256)", "authentik API OAuth2ProviderRequest.signing_key (authentik-client 2024.12.2, docs.rs); goauthentik/authentik authentik/providers/oauth2/models.py OAuth2Provider.get_jwt_key at 4a9b788 (RSA key: RS256, EC key: ES256)", "2024.2–2026.2"},
			FixClaimsInIDToken: {"Applications → Providers → <provider> → Edit → Advanced protocol settings → Include claims in id_token: on", "authentik API OAuth2ProviderRequest.include_claims_in_id_token (authentik-rust, API 2024.2.1)", "2024.2+"},
			FixGroupsClaim:     {"Applications → Providers → <provider> → Edit → Advanced protocol settings → Scopes: keep \"authentik default OAuth Mapping: OpenID 'profile'\" selected (it sends groups) and request the profile scope", "/work/shared/reference/providers.md (goauthentik/authentik blueprints/system/providers-oauth2.yaml)", "2024.x"},
			FixRedirectURI:     {"Applications → Providers → <provider> → Edit → Redirect URIs/Origins: add the URI (strict, or a regular expression with . and ? escaped)", "/work/shared/reference/providers.md (redirect URIs are regex or strict)", "2024.x"},
			FixScopeAllowed:    {"Applications → Providers → <provider> → Edit → Advanced protocol settings → Scopes: add the scope mapping of the scope", "authentik API OAuth2ProviderRequest.property_mappings (authentik-client 2024.12.2)", "2024.2+"},
			FixClientSecret:    {"Applications → Providers → <provider> → Edit → Client ID and Client Secret (the provider's page shows both)", "authentik API OAuth2ProviderRequest.client_id and client_secret (authentik-client 2026.2.3, docs.rs)", "2024.2–2026.2"},
		},
		Facts: []Fact{
			{"issuer", "https://<host>/application/o/<slug>/, with the trailing slash; the slug is the application's (\"Internal application name, used in URLs\")", "authentik API OAuth2Provider.assigned_application_slug (authentik-client 2024.12.2 on docs.rs); next-auth.js.org/providers/authentik", "2024.2–2025.6"},
			{"groups", "claim groups, a list of the user's group names, from the default scope mapping \"authentik default OAuth Mapping: OpenID 'profile'\" (scope profile, with name, given_name, preferred_username and nickname)", "goauthentik/authentik blueprints/system/providers-oauth2.yaml, entry goauthentik.io/providers/oauth2/scope-profile (\"groups\": [group.name for group in request.user.ak_groups.all()]) at 0aada70", "read at 0aada70 (a version with the Application Entitlements mapping)"},
			{"claims placement", "claims in the ID token unless the provider's include_claims_in_id_token is off", "authentik API OAuth2ProviderRequest.include_claims_in_id_token (authentik-rust, API 2024.2.1)", "2024.2+"},
			{"signing", "HS256 with the client secret when Signing Key is empty (Providers → <name> → Advanced protocol settings → Signing Key, a nullable field with no default); RS256 with a selected RSA key, ES256 with an EC key", "goauthentik/authentik authentik/providers/oauth2/models.py OAuth2Provider.get_jwt_key (\"No Certificate at all, assume HS256\": client_secret, HS256; RSAPrivateKey: RS256; EllipticCurvePrivateKey: ES256) and signing_key (null=True) at 4a9b788; the same branches in OAuth2Provider.jwt_key (\"No Certificate at all, assume HS256\", else JWTAlgorithms.from_private_key; signing_key null=True) of a later version with jwt_federation_providers, read in a fork's copy, SAY-5/authentik at b881edd", "read at 4a9b788 and in a later fork copy (b881edd)"},
			{"pkce", "supported, optional: the token endpoint checks a code_verifier against the code's challenge only when the authorize request sent one (later versions also refuse a verifier for a code without a challenge)", "goauthentik/authentik authentik/providers/oauth2/views/token.py TokenParams (\"Validate PKCE parameters\") at 935a136, and the same check keyed on the code's challenge (\"Token request had a code_verifier but code did not have a code challenge\": invalid_grant) in a later version, read in a fork's copy, SAY-5/authentik authentik/providers/oauth2/views/token.py at 38251b9; /work/shared/reference/providers.md (docs.goauthentik.io/providers/oauth2: \"supports PKCE\")", "read at 935a136 and in a later fork copy (38251b9)"},
			{"client auth", "client_secret_basic and client_secret_post: the client ID and secret from the HTTP Basic header, or else from the form body, either accepted", "goauthentik/authentik authentik/providers/oauth2/utils.py extract_client_auth (\"Get client credentials using HTTP Basic Authentication method. Or try getting parameters via POST.\") at 191ee4c", "read at 191ee4c"},
		},
		detect: func(_ *Discovery, iss, auth, _, _, _ *url.URL) (string, bool) {
			if authentikIssuerPath().MatchString(iss.Path) && auth.Host == iss.Host && auth.Path == "/application/o/authorize/" {
				return "issuer path /application/o/<slug>/ and authorization endpoint /application/o/authorize/", true
			}
			return "", false
		},
	}
}
