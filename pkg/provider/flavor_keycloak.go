package provider

import (
	"net/url"
	"regexp"
	"strings"
)

// keycloakRealmPath matches the issuer path of a Keycloak realm, with the /auth prefix of the
// WildFly distribution (before Keycloak 17) or any other --http-relative-path before it.
var keycloakRealmPath = regexp.MustCompile(`/realms/[^/]+$`)

// keycloakFlavor is Keycloak (Quarkus distribution, 17 and later; the WildFly distribution before).
func keycloakFlavor() Flavor {
	return Flavor{
		Name: FlavorKeycloak, Title: "Keycloak", IssuerPart: PartRealm,
		IssuerForm:       "https://<host>/realms/<realm>",
		LegacyIssuerForm: "https://<host>/auth/realms/<realm> (before Keycloak 17)",
		issuer: func(base, realm string, legacy bool) string {
			if legacy {
				return base + "/auth/realms/" + realm
			}
			return base + "/realms/" + realm
		},
		GroupsClaim: "groups", GroupsScope: "",
		GroupsSetup: "groups are sent only after Clients → <client> → Client scopes → <client>-dedicated → Add mapper → By configuration → Group Membership (Token Claim Name groups, Add to userinfo on)",
		GroupsShape: "full paths (/admins, /parent/child) while the Group Membership mapper's \"Full group path\" is on (its default); plain names when off",
		RolesClaim:  "realm_access.roles and resource_access.<client-id>.roles",
		SigningAlg:  "RS256",
		IDTokenAlgs: []string{"PS384", "RS384", "EdDSA", "ES384", "HS256", "HS512", "ES256", "RS256", "HS384", "ES512", "PS256", "PS512", "RS512"}, ChallengeMethods: []string{"plain", "S256"},
		AuthMethods:               []string{"client_secret_basic", "client_secret_post"},
		TokenAuthMethodsSupported: []string{"private_key_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth", "client_secret_jwt"},
		Fixes: map[FixKey]ProviderFix{
			FixSigningKey:       {"Clients → {client} → Advanced → Fine grain OpenID Connect configuration → ID token signature algorithm: RS256", "keycloak.org docs-api OIDCAdvancedConfigWrapper (idTokenSignedResponseAlg)", "23–26"},
			FixPKCEOptional:     {"Clients → {client} → Advanced → Advanced settings → Proof Key for Code Exchange Code Challenge Method: empty (choose nothing)", "keycloak.org docs-api OIDCAdvancedConfigWrapper (pkceCodeChallengeMethod)", "23–26"},
			FixClaimsInIDToken:  {"Client scopes → profile and email (and the groups mapper) → Mappers → <mapper> → Add to ID token: on", "keycloak.org docs-api GroupMembershipMapper (ID token, access token, userinfo switches)", "22–26"},
			FixClaimsInUserinfo: {"Client scopes → profile and email (and the groups mapper) → Mappers → <mapper> → Add to userinfo: on", "keycloak.org docs-api GroupMembershipMapper", "22–26"},
			FixGroupsClaim:      {"Clients → {client} → Client scopes → {client}-dedicated → Add mapper → By configuration → Group Membership: Token Claim Name groups, Add to ID token, access token and userinfo on (Full group path stays on, its default: the group map's keys are paths such as /staff)", "keycloak.org docs-api GroupMembershipMapper", "22–26"},
			FixGroupsList:       {"Clients → {client} → Client scopes → {client}-dedicated → <mapper> → Multivalued: on (Group Membership sends a list; a User Attribute or Role mapper needs the switch)", "unconfirmed", "unconfirmed"},
			FixClientAuth:       {"Clients → {client} → Credentials → Client Authenticator: Client Id and Secret (accepts HTTP Basic and the form body)", "unconfirmed", "unconfirmed"},
			FixRedirectURI:      {"Clients → {client} → Settings → Access settings → Valid redirect URIs: add the URI", "unconfirmed", "unconfirmed"},
			FixScopeAllowed:     {"Clients → {client} → Client scopes → Add client scope: the scope, as Default or Optional", "unconfirmed", "unconfirmed"},
			FixClientSecret:     {"Clients → {client} → Credentials → Client Secret (Client authentication on; Regenerate makes a new one)", "keycloak.org securing apps, client authentication: Client ID and Client Secret (Red Hat build of Keycloak 26.2 guide)", "26.2"},
		},
		Facts: []Fact{
			{"issuer", "https://<host>/realms/<realm>, no trailing slash", "keycloak.org/migration/migrating-to-quarkus (\"/auth removed from the default context path\")", "17+"},
			{"issuer (legacy)", "https://<host>/auth/realms/<realm>; also 17+ started with --http-relative-path /auth", "keycloak.org/migration/migrating-to-quarkus", "<17 (WildFly distribution)"},
			{"groups", "no group claim until an admin adds a Group Membership mapper (Clients → <client> → Client scopes → <client>-dedicated → Add mapper → Group Membership); token claim name is the admin's, \"groups\" by convention", "keycloak.org docs-api GroupMembershipMapper (ID token, access token, userinfo mapper)", "22–26"},
			{"group shape", "full path /admins unless the mapper's \"Full group path\" is off (GroupMembershipMapper.useFullPath)", "keycloak.org docs-api 26.2.0 GroupMembershipMapper.useFullPath", "22–26"},
			{"roles", "realm_access.roles and resource_access.<client-id>.roles, from the built-in roles client scope, in the access token; in ID token/userinfo only when the mapper's switches say so", "unconfirmed (general knowledge of the roles scope's User Realm Role / User Client Role mappers)", "unconfirmed"},
			{"scopes", "openid profile email; the dedicated client scope (with a group mapper) applies without being requested", "unconfirmed", "unconfirmed"},
			{"signing", "RS256 (realm default signature algorithm)", "unconfirmed", "unconfirmed"},
			{"pkce", "optional; per client (Advanced → Proof Key for Code Exchange Code Challenge Method)", "unconfirmed", "unconfirmed"},
			{"client auth", "Client Id and Secret authenticator: client_secret_basic and client_secret_post", "unconfirmed", "unconfirmed"},
		},
		detect: func(d *Discovery, iss, auth, token, _, _ *url.URL) (string, bool) {
			if !keycloakRealmPath.MatchString(strings.TrimSuffix(iss.Path, "/")) {
				return "", false
			}
			if rel, ok := relPath(iss, token); ok && rel == "/protocol/openid-connect/token" {
				return "issuer path /realms/<realm> and token endpoint /protocol/openid-connect/token", true
			}
			return "", false
		},
	}
}
