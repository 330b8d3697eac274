package provider

import (
	"net/url"
	"regexp"
)

// authentikIssuerPath matches the issuer path of an authentik application: /application/o/<slug>/.
var authentikIssuerPath = regexp.MustCompile(`^/application/o/[^/]+/$`)

// authentikFlavor is authentik's OAuth2/OpenID provider.
func authentikFlavor() Flavor {
	return Flavor{
		Name: FlavorAuthentik, Title: "authentik", IssuerPart: PartSlug,
		IssuerForm: "https://<host>/application/o/<slug>/",
		issuer:     func(base, slug string, _ bool) string { return base + "/application/o/" + slug + "/" },
		// The default "profile" scope mapping sends groups.
		GroupsClaim: "groups", GroupsScope: "profile",
		GroupsShape: "group names (\"authentik Admins\")",
		SigningAlg:  "HS256 with the client secret when no signing key is selected; RS256 with the selected key",
		// No signing key selected: the discovery document lists HS256 only (testdata/discovery/authentik.json).
		IDTokenAlgs: []string{"HS256"}, ChallengeMethods: []string{"plain", "S256"},
		AuthMethods:               []string{"client_secret_basic", "client_secret_post"},
		TokenAuthMethodsSupported: []string{"client_secret_post", "client_secret_basic"},
		Fixes: map[FixKey]ProviderFix{
			FixSigningKey:      {"Applications → Providers → <provider> → Edit → Advanced protocol settings → Signing Key: select a certificate (\"authentik Self-signed Certificate\"), so ID tokens are signed with RS256 and published in the JWKS", "authentik API OAuth2ProviderRequest.signing_key (authentik-client 2024.12.2, docs.rs); issue 16", "2024.2–2026.2"},
			FixClaimsInIDToken: {"Applications → Providers → <provider> → Edit → Advanced protocol settings → Include claims in id_token: on", "authentik API OAuth2ProviderRequest.include_claims_in_id_token (authentik-rust, API 2024.2.1)", "2024.2+"},
			FixGroupsClaim:     {"Applications → Providers → <provider> → Edit → Advanced protocol settings → Scopes: keep \"authentik default OAuth Mapping: OpenID 'profile'\" selected (it sends groups) and request the profile scope", "/work/shared/reference/providers.md (goauthentik/authentik blueprints/system/providers-oauth2.yaml)", "2024.x"},
			FixRedirectURI:     {"Applications → Providers → <provider> → Edit → Redirect URIs/Origins: add the URI (strict, or a regular expression with . and ? escaped)", "/work/shared/reference/providers.md (redirect URIs are regex or strict)", "2024.x"},
			FixScopeAllowed:    {"Applications → Providers → <provider> → Edit → Advanced protocol settings → Scopes: add the scope mapping of the scope", "authentik API OAuth2ProviderRequest.property_mappings (authentik-client 2024.12.2)", "2024.2+"},
			FixClientSecret:    {"Applications → Providers → <provider> → Edit → Client ID and Client Secret (the provider's page shows both)", "authentik API OAuth2ProviderRequest.client_id and client_secret (authentik-client 2026.2.3, docs.rs)", "2024.2–2026.2"},
		},
		Facts: []Fact{
			{"issuer", "https://<host>/application/o/<slug>/, with the trailing slash; the slug is the application's (\"Internal application name, used in URLs\")", "authentik API OAuth2Provider.assigned_application_slug (authentik-client 2024.12.2 on docs.rs); next-auth.js.org/providers/authentik", "2024.2–2025.6"},
			{"groups", "claim groups, a list of group names, from the default scope mapping \"authentik default OAuth Mapping: OpenID 'profile'\"", "/work/shared/reference/userinfo/authentik.json (sample); mapping name unconfirmed", "unconfirmed"},
			{"claims placement", "claims in the ID token unless the provider's include_claims_in_id_token is off", "authentik API OAuth2ProviderRequest.include_claims_in_id_token (authentik-rust, API 2024.2.1)", "2024.2+"},
			{"signing", "HS256 with the client secret when Signing Key is empty (Providers → <name> → Advanced protocol settings → Signing Key); RS256 with a selected key", "issue 16; unconfirmed in this pass", "unconfirmed"},
			{"pkce", "supported, optional", "/work/shared/reference/providers.md (docs.goauthentik.io/providers/oauth2: \"supports PKCE\")", "unconfirmed"},
			{"client auth", "client_secret_basic and client_secret_post", "unconfirmed", "unconfirmed"},
		},
		detect: func(_ *Discovery, iss, auth, _, _, _ *url.URL) (string, bool) {
			if authentikIssuerPath.MatchString(iss.Path) && auth.Host == iss.Host && auth.Path == "/application/o/authorize/" {
				return "issuer path /application/o/<slug>/ and authorization endpoint /application/o/authorize/", true
			}
			return "", false
		},
	}
}
