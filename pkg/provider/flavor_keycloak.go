package provider

import (
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// keycloakRealmPath matches the issuer path of a Keycloak realm, with the /auth prefix of the
// WildFly distribution (before Keycloak 17) or any other --http-relative-path before it.
var keycloakRealmPath = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/realms/[^/]+$`) }) // compiled on first use, not at start-up

// Where the admin console's screens and labels below were read: the React admin console
// (keycloak.v2 theme) in keycloak/keycloak, each file at the commit named (the code index pins
// one version of each), and its English labels.
const (
	keycloakConsole        = "keycloak/keycloak js/apps/admin-ui/src"
	keycloakMessages       = "js/apps/admin-ui/maven-resources/theme/keycloak.v2/admin/messages/messages_en.properties at 002d92e"
	keycloakConsoleVersion = "admin console (keycloak.v2), read at 002d92e"
)

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
		RolesClaim:  "realm_access.roles and resource_access.<client-id>.roles (in the access token only, by default)",
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
			FixGroupsList:       {"Clients → {client} → Client scopes → {client}-dedicated → Mappers → <mapper> → Multivalued: on (Group Membership always sends a list and has no such switch; a User Attribute mapper needs it; the realm and client role mappers have it on by default)", keycloakConsole + ": clients/ClientDetails.tsx at 059a6f8 (tab Client scopes), clients/scopes/ClientScopes.tsx at 02aecba (the row <client>-dedicated links to the dedicated scope), clients/scopes/DedicatedScopes.tsx at 059a6f8 (tabs Mappers, the default, and Scope); " + keycloakMessages + " (clientScopes, dedicatedScopeName={{clientName}}-dedicated, mappers, multivalued.label=Multivalued); services/src/main/java/org/keycloak/protocol/oidc/mappers/GroupMembershipMapper.java at 049a7fa (always a list; properties Token Claim Name, Full group path and the token switches only) and UserRealmRoleMappingMapper.java at 8d3962a (Multivalued, default true)", keycloakConsoleVersion},
			FixClientAuth:       {"Clients → {client} → Credentials → Client Authenticator: Client Id and Secret (accepts HTTP Basic and the form body; where the tab also shows Allowed authentication method, in newer versions, leave it at Any or pick {method}). The Credentials tab shows only while Settings → Capability config → Client authentication is on", keycloakConsole + ": clients/ClientDetails.tsx at 059a6f8 (tab Credentials only for a client that is not public), clients/ClientSettings.tsx at 4982166 (section Capability config) and clients/add/CapabilityConfig.tsx at 07ee13d (switch Client authentication), clients/credentials/Credentials.tsx at 38b6f5c (select Client Authenticator listing the authenticators' display names); " + keycloakMessages + " (credentials, clientAuthenticator=Client Authenticator, capabilityConfig, clientAuthentication=Client authentication, clientSecretAuthenticationAllowedMethod=Allowed authentication method: \"When empty, both Authorization header and request body parameters are allowed\"; the select showing it was seen only in a copy of Credentials.tsx the code index names no repository for); ClientIdAndSecretAuthenticator.getDisplayType (\"Client Id and Secret\") and authenticateClient (Basic header or form body) at c566b46", keycloakConsoleVersion},
			FixRedirectURI:      {"Clients → {client} → Settings → Access settings → Valid redirect URIs: add the URI", keycloakConsole + ": clients/ClientSettings.tsx at 4982166 (tab Settings, sections General settings, Access settings, Capability config, Login settings, Logout settings), clients/add/AccessSettings.tsx at 32a5ec1 (Access settings holds LoginSettings), clients/add/LoginSettings.tsx at 38d0c85 (field redirectUris, shown while Standard flow is on, button Add valid redirect URIs); " + keycloakMessages + " (settings, accessSettings=Access settings, validRedirectUri=Valid redirect URIs, addRedirectUri)", keycloakConsoleVersion},
			FixScopeAllowed:     {"Clients → {client} → Client scopes → Add client scope: tick the scope, then Add → Default (always applied) or Optional (applied when the app requests it)", keycloakConsole + ": clients/scopes/ClientScopes.tsx at 02aecba (toolbar button Add client scope), clients/scopes/AddScopeDialog.tsx at 05eff35 (dialog Add client scopes to <client>, whose Add menu lists the client scope types); " + keycloakMessages + " (addClientScope=Add client scope, addClientScopesTo, add=Add, clientScopeTypes.default=Default, clientScopeTypes.optional=Optional); TokenManager.getRequestedClientScopes (optional scopes only when requested) at 90a8409", keycloakConsoleVersion},
			FixClientSecret:     {"Clients → {client} → Credentials → Client Secret (Client authentication on; Regenerate makes a new one)", "keycloak.org securing apps, client authentication: Client ID and Client Secret (Red Hat build of Keycloak 26.2 guide)", "26.2"},
		},
		Facts: []Fact{
			{"issuer", "https://<host>/realms/<realm>, no trailing slash", "keycloak.org/migration/migrating-to-quarkus (\"/auth removed from the default context path\")", "17+"},
			{"issuer (legacy)", "https://<host>/auth/realms/<realm>; also 17+ started with --http-relative-path /auth", "keycloak.org/migration/migrating-to-quarkus", "<17 (WildFly distribution)"},
			{"groups", "no group claim until an admin adds a Group Membership mapper (Clients → <client> → Client scopes → <client>-dedicated → Add mapper → Group Membership); token claim name is the admin's, \"groups\" by convention", "keycloak.org docs-api GroupMembershipMapper (ID token, access token, userinfo mapper)", "22–26"},
			{"group shape", "full path /admins unless the mapper's \"Full group path\" is off (GroupMembershipMapper.useFullPath)", "keycloak.org docs-api 26.2.0 GroupMembershipMapper.useFullPath", "22–26"},
			// The five facts below were read in keycloak/keycloak at the commits named (the code
			// index pins one version of each file): OIDCLoginProtocolFactory at f7a2410 (before
			// Keycloak 18: no acr scope) and a 26.x copy of it in a fork, Pankraz76/keycloak at
			// 57e18d3 (basic, acr, service-account and organization scopes), agree on the roles
			// and default scopes.
			{"roles", "realm_access.roles and resource_access.<client-id>.roles, from the roles client scope (a default scope: sent without being requested), in the access token only: the realm roles and client roles mappers are made with Add to access token on, Add to ID token and Add to userinfo off", "keycloak/keycloak services/src/main/java/org/keycloak/protocol/oidc/OIDCLoginProtocolFactory.java builtins (UserRealmRoleMappingMapper.create(null, \"realm roles\", \"realm_access.roles\", true, false, true); UserClientRoleMappingMapper \"resource_access.${client_id}.roles\") and addRolesClientScope at f7a2410; mappers/UserRealmRoleMappingMapper.java create (accessToken, idToken, userinfo false) at 8d3962a; the same builtins (UserRealmRoleMappingMapper.create(null, REALM_ROLES, \"realm_access.roles\", true, false, true, true): access token on, ID token off) and addRolesClientScope (a default scope) in a 26.x copy, the fork Pankraz76/keycloak at 57e18d3", "read at f7a2410 (before 18) and in a 26.x fork copy (57e18d3)"},
			{"scopes", "the realm's default client scopes (profile, email, roles, web-origins, and acr and basic in later versions) are applied whether the app requests them or not; address, phone, offline_access and microprofile-jwt are optional, applied only when requested; the client's dedicated scope (with a group mapper) always applies", "keycloak/keycloak services/src/main/java/org/keycloak/protocol/oidc/TokenManager.java getRequestedClientScopes (\"client itself + all default client scopes of client + optional client scopes requested by scope parameter\") at 90a8409; OIDCLoginProtocolFactory.createDefaultClientScopesImpl (addDefaultClientScope(profile, true), (address, false)) at f7a2410", "read at f7a2410 (before 18) and 90a8409 (later)"},
			{"signing", "RS256: the ID token uses the client's ID token signature algorithm (id.token.signed.response.alg), else the realm's default signature algorithm, else RS256; a new realm's default is RS256", "keycloak/keycloak services/src/main/java/org/keycloak/jose/jws/DefaultTokenManager.java signatureAlgorithm(TokenCategory.ID) and getSignatureAlgorithm at d6a800e; server-spi-private/src/main/java/org/keycloak/models/Constants.java DEFAULT_SIGNATURE_ALGORITHM = Algorithm.RS256 at 30faca9", "read at d6a800e and 30faca9 (a version with the acr constants)"},
			{"pkce", "optional: checked only when the client's Proof Key for Code Exchange Code Challenge Method (attribute pkce.code.challenge.method) is set, which a new client leaves empty; then a request without it is refused with invalid_request \"Missing parameter: code_challenge_method\"", "keycloak/keycloak services/src/main/java/org/keycloak/protocol/oidc/endpoints/AuthorizationEndpointChecker.java checkPKCEParams, checkParamsForPkceEnforcedClient and checkParamsForPkceNotEnforcedClient (\"PKCE non-supporting Client\") at bde81bd", "read at bde81bd (a version with pushed authorization requests)"},
			{"client auth", "Client Id and Secret (authenticator client-secret): client_id and client_secret from the HTTP Basic header or from the form body, either accepted, so client_secret_basic and client_secret_post both work", "keycloak/keycloak services/src/main/java/org/keycloak/authentication/authenticators/client/ClientIdAndSecretAuthenticator.java authenticateClient and getProtocolAuthenticatorMethods at c566b46", "read at c566b46 (javax.ws.rs: before 22)"},
		},
		detect: func(d *Discovery, iss, auth, token, _, _ *url.URL) (string, bool) {
			if !keycloakRealmPath().MatchString(strings.TrimSuffix(iss.Path, "/")) {
				return "", false
			}
			if rel, ok := relPath(iss, token); ok && rel == "/protocol/openid-connect/token" {
				return "issuer path /realms/<realm> and token endpoint /protocol/openid-connect/token", true
			}
			return "", false
		},
	}
}
