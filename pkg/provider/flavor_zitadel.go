package provider

import "net/url"

// zitadelRolesClaim is Zitadel's project roles claim: an object keyed by role name, each value an
// object of organisation ID → organisation domain.
const zitadelRolesClaim = "urn:zitadel:iam:org:project:roles"

// Where the console's labels below were read. zitadel/zitadel's own
// console/src/assets/i18n/en.json is in the code index only in 2020 versions, so the labels come
// from two forks that carry the file: netzilo/zitadel at 2d0998f (v2 texts: the app's section
// "Configuration") and cryoforgedcom/zitadel at 1b0e641 (newer texts: "Settings", "Include user's
// profile info in the ID Token"); both have the same OIDC app labels otherwise.
const (
	zitadelConsoleTexts   = "ZITADEL console console/src/assets/i18n/en.json as in netzilo/zitadel at 2d0998f and cryoforgedcom/zitadel at 1b0e641"
	zitadelConsoleVersion = "v2 console (and newer, where named)"
)

// zitadelFlavor is ZITADEL (self-hosted or cloud).
func zitadelFlavor() Flavor {
	return Flavor{
		Name: FlavorZitadel, Title: "ZITADEL",
		IssuerForm:  "https://<instance-domain> (ZITADEL_EXTERNALDOMAIN, or <name>-<id>.zitadel.cloud)",
		issuer:      func(base, _ string, _ bool) string { return base },
		GroupsClaim: zitadelRolesClaim, GroupsScope: "urn:zitadel:iam:org:projects:roles",
		GroupsShape: "an object keyed by role name ({\"admin\": {\"<org-id>\": \"<org-domain>\"}}), not a list",
		RolesClaim:  zitadelRolesClaim,
		GroupsSetup: "roles are sent only with Projects → <project> → General → \"Assert Roles on Authentication\" on",
		SigningAlg:  "RS256", ClaimsInUserinfoOnly: true,
		IDTokenAlgs: []string{"RS256"}, ChallengeMethods: []string{"S256"},
		// The OpenID library ZITADEL builds on checks a Basic or Post app's secret whichever way it
		// comes (zitadel/oidc v3.51.17 pkg/op/token_code.go); only none and private_key_jwt differ.
		AuthMethods:               []string{"client_secret_basic", "client_secret_post"},
		TokenAuthMethodsSupported: []string{"none", "client_secret_basic", "client_secret_post", "private_key_jwt"},
		Fixes: map[FixKey]ProviderFix{
			FixPKCEOptional:    {"Projects → <project> → Applications → <app> (Client Id {client}) → Configuration (Settings in newer consoles) → Authentication Method: Code or POST instead of PKCE (both use the client secret)", zitadelConsoleTexts + " (APP.CONFIGURATION, APP.AUTHMETHOD=Authentication Method, APP.AUTHMETHODS.CODE/PKCE/POST titles Code, PKCE, POST; POST: \"Send client_id and client_secret as part of the form\", PKCE: \"Use a random hash instead of a static client secret\"); PKCE is required only for auth method none: zitadel/oidc v3.51.17 pkg/op/token_code.go", zitadelConsoleVersion},
			FixClaimsInIDToken: {"Projects → <project> → Applications → <app> (Client Id {client}) → Token Settings → User Info inside ID Token: on (newer consoles: Include user's profile info in the ID Token)", "zitadel.com/docs/apis/openidoauth/claims; pub.dev zitadel OIDCConfiguration.idTokenUserinfoAssertion; " + zitadelConsoleTexts + " (APP.TOKEN=Token Settings, APP.OIDC.IDTOKENUSERINFOASSERTION)", "v2"},
			FixGroupsClaim:     {"Projects → <project> → General → Assert Roles on Authentication: on (project_role_assertion; newer consoles: Return user roles during authentication), and request the scope urn:zitadel:iam:org:projects:roles", "docs.rs zitadel 3.4.27 zitadel.project.v1 Project.project_role_assertion (\"if the roles of the user should be added to the token\"); zitadel.com/docs/guides/integrate/retrieve-user-roles; " + zitadelConsoleTexts + " (PROJECT.ROLE.ASSERTION)", "v2"},
			FixGroupsList:      {"the roles claim is an object keyed by role name: add an Action (Actions: a script, then Flows → Complement Token → trigger Pre Userinfo creation, which fills the ID token and userinfo) that sets a groups claim to the list of role keys with api.v1.claims.setClaim, then set groups.claim: groups", "zitadel.com/docs/apis/openidoauth/claims (roles claim shape); " + zitadelConsoleTexts + " (MENU.ACTIONS=Actions; DESCRIPTIONS.ACTIONS.SCRIPTS and FLOWS titles Scripts, Flows: the newer file); zitadel.com/docs/apis/actions/complement-token (Complement Token Flow; triggers Pre Userinfo creation \"(id_token / userinfo / introspection endpoint)\" and Pre access token creation; api.v1.claims.setClaim, keys prefixed urn:zitadel:iam are ignored); zitadel/actions examples/custom_roles.js at 1904e3c (\"Flow: Complement token, Triggers: Pre Userinfo creation, Pre access token creation\"; it notes that ctx.v1.user's grants are null in newer versions and reads the user's authorizations through the API)", "v2 (Actions V1)"},
			FixClientAuth:      {"Projects → <project> → Applications → <app> (Client Id {client}) → Configuration (Settings in newer consoles) → Authentication Method: Code (Basic) or POST (either checks the secret however the app sends it; the app sends {method})", zitadelConsoleTexts + " (APP.AUTHMETHOD=Authentication Method, APP.AUTHMETHODS.CODE/POST titles Code, POST, APP.OIDC.AUTHMETHOD 0 Basic, 1 Post); the behaviour from zitadel/zitadel internal/api/oidc Server.VerifyClient (case OIDCAuthMethodTypeBasic, OIDCAuthMethodTypePost: verifyClientSecret), not pinned: read in a copy the code index gives no commit or path for (its pinned internal/api/oidc/client.go, 0faa5e1, is a 2021 caos/oidc file without it; the Go proxy does not serve zitadel/zitadel)", zitadelConsoleVersion},
			FixRedirectURI:     {"Projects → <project> → Applications → <app> (Client Id {client}) → Redirect Settings → Redirect URIs: add the URI (http:// only with Development Mode on)", zitadelConsoleTexts + " (APP.OIDC.REDIRECTSECTIONTITLE=Redirect Settings, REDIRECT=Redirect URIs, DEVMODE=Development Mode, REDIRECTDESCRIPTIONWEB: \"Redirect URIs must begin with https://. http:// is only valid with enabled development mode.\"); zitadel/zitadel console/src/app/pages/projects/apps/app-detail/app-detail.component.html at 5c235e3 (section Redirect Settings: the Development Mode toggle, then Redirect URIs)", zitadelConsoleVersion},
			FixClientSecret:    {"Projects → <project> → Applications → <app> → Regenerate Client Secret (for the Code and POST methods; the new secret is shown once, in a dialog; the page shows the Client Id)", zitadelConsoleTexts + " (APP.OIDC.REGENERATESECRET=Regenerate Client Secret, CLIENTSECRET_DESCRIPTION: \"it will disappear once the dialog is closed\", APP.OIDC.INFO.CLIENTID=Client Id); zitadel/zitadel console app-detail.component.html at 5c235e3 (Regenerate Client Secret on the OIDC card when the method is Code or POST; the Client Id in the page head)", zitadelConsoleVersion},
		},
		Facts: []Fact{
			{"issuer", "https://<the instance domain the request came to>, no path: taken per request from the Forwarded or X-Zitadel-Forwarded header's host, else the Host header (http only when ExternalSecure is false)", "zitadel/zitadel internal/api/oidc/op.go NewServer: op.IssuerFromForwardedOrHost(\"\", op.WithIssuerFromCustomHeaders(\"forwarded\", \"x-zitadel-forwarded\")), not pinned: read in a v2 copy the code index gives no commit for (its pinned zitadel/zitadel op.go, 445c996, is a 2021 v1 file); a later fork's op.go (Atlas-Tech-Development/zitadel at 28e905a) takes the issuer from the request's domain context instead (IssuerFromContext: http_utils.DomainContext(ctx).Origin(), no path); zitadel/oidc v3.51.17 pkg/op/config.go issuerFromForwardedOrHost and dynamicIssuer (scheme://host + path \"\")", "v2 (not pinned); no path also in a later fork (28e905a)"},
			{"roles", "claim urn:zitadel:iam:org:project:roles, an object keyed by role name; in ID token and userinfo only with the project's \"Assert Roles on Authentication\"", "zitadel.com/docs/apis/openidoauth/claims (claims matrix)", "v2 (docs current in this pass)"},
			{"claims placement", "profile, email, phone, address claims in userinfo; in the ID token only with the app's \"User Info inside ID Token\" (idTokenUserinfoAssertion)", "zitadel.com/docs/apis/openidoauth/claims; pub.dev zitadel OIDCConfiguration.idTokenUserinfoAssertion", "v2"},
			{"scopes", "roles of the client's own project whenever the project's \"Assert Roles on Authentication\" is on; otherwise only roles the scopes ask for: urn:zitadel:iam:org:project:role:<role>, or urn:zitadel:iam:org:projects:roles with the project audience scope urn:zitadel:iam:org:project:id:<project-id>:aud", "zitadel/zitadel internal/api/oidc/userinfo.go prepareRoles (ScopeProjectRolePrefix, ScopeProjectsRoles, domain.AddAudScopeToAudience; projectRoleAssertion puts the client's project in the audience) and assertRoles at 31a7bf5", "v2 with zitadel/oidc v3 (31a7bf5)"},
			{"signing", "RS256: v2's OIDC.SigningKeyAlgorithm default, and discovery lists only the signing key's algorithm; versions with web keys list EdDSA, RS256–RS512 and ES256–ES512 in discovery and sign with the instance's active web key", "zitadel/zitadel cmd/defaults.yaml OIDC.SigningKeyAlgorithm: RS256 at 1c84670; internal/api/oidc/key.go OPStorage.SignatureAlgorithms ([]{key.SignatureAlgorithm()}: the signing key's algorithm only) at 745025d (a v2 file, zitadel/oidc v2); internal/api/oidc/server.go createDiscoveryConfig (IDTokenSigningAlgValuesSupported: supportedSigningAlgs()) at 389051a (web keys, zitadel/oidc v3); the list in supportedWebKeyAlgs not pinned (read in a copy the code index gives no commit for)", "v2 (1c84670, 745025d); web keys at 389051a"},
			{"pkce", "S256 only (code_challenge_methods_supported); required for an app with the PKCE (none) auth method, optional otherwise", "zitadel/oidc v3.51.17 pkg/op/discovery.go CodeChallengeMethods and pkg/op/token_code.go (\"PKCE required\" for AuthMethodNone)", "zitadel/oidc v3 (the library ZITADEL v2 builds on)"},
			{"client auth", "per app: Basic, Post, Private key JWT or none (PKCE); a Basic or Post app's secret is checked whichever way it is sent", "zitadel/oidc v3.51.17 pkg/op/discovery.go AuthMethodsTokenEndpoint and pkg/op/token_code.go (AuthorizeClientIDSecret for both); zitadel/zitadel internal/api/oidc Server.VerifyClient (case OIDCAuthMethodTypeBasic, OIDCAuthMethodTypePost: verifyClientSecret on the secret however it came), not pinned: read in a copy the code index gives no commit or path for (its pinned internal/api/oidc/client.go, 0faa5e1, is a 2021 file without it); cmd/defaults.yaml OIDC.AuthMethodPost: true at 1c84670", "v2 with zitadel/oidc v3"},
		},
		detect: func(d *Discovery, iss, auth, _, ui, _ *url.URL) (string, bool) {
			if hasScopePrefix(d, "urn:zitadel:") {
				return "scopes_supported lists urn:zitadel: scopes", true
			}
			ra, okA := relPath(iss, auth)
			ru, okU := relPath(iss, ui)
			if okA && okU && ra == "/oauth/v2/authorize" && ru == "/oidc/v1/userinfo" {
				return "endpoints /oauth/v2/authorize and /oidc/v1/userinfo", true
			}
			return "", false
		},
	}
}
