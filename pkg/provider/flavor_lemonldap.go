package provider

import "net/url"

// llngManagerSource is where LemonLDAP::NG's manager screens and labels were read.
const llngManagerSource = "Lemonldap/NG/Manager/Build/CTrees.pm (oidcRPMetaDataNode); manager/htdocs/static/languages/en.json"

// llngPortalSource is where LemonLDAP::NG's portal error codes and their words were read.
const llngPortalSource = "Lemonldap/NG/Portal/Main/Constants.pm (PE_* numbers); portal/htdocs/static/languages/en.json (PE<N>)"

// lemonLDAPFlavor is LemonLDAP::NG's OpenID Connect issuer. Facts marked 2.16.1 were read in Debian
// bookworm's packages (lemonldap-ng 2.16.1+ds-deb12u8: /usr/share/perl5/Lemonldap/NG/...) and hold
// against the real portal in e2e/llng. The manager's defaults for a new relying party are in
// Lemonldap/NG/Manager/Build/Attributes.pm of liblemonldap-ng-manager-perl 2.16.1.
func lemonLDAPFlavor() Flavor {
	return Flavor{
		Name: FlavorLemonLDAP, Title: "LemonLDAP::NG",
		// The issuer is the portal URL as configured (oidcServiceMetaDataIssuer || portal,
		// Portal/Issuer/OpenIDConnect.pm "has iss"), and the default portal URL ends with a slash
		// ('portal' => 'http://auth.example.com/', Common/Conf/DefaultValues.pm).
		IssuerForm:  "the portal URL with its trailing slash, https://auth.<domain>/",
		issuer:      func(base, _ string, _ bool) string { return base + "/" },
		GroupsClaim: "groups", GroupsScope: "groups",
		GroupsSetup: "groups are sent only after Manager → OpenID Connect Relying Parties → <rp> → Exported attributes (claims): groups = groups, and Options → Scope → Scope values content: groups = groups",
		GroupsShape: "group names; a list when the user has several groups but a plain string when one (the exported attribute's array mode \"auto\"; set it to \"always\")",
		SigningAlg:  "HS512", ClaimsInUserinfoOnly: true,
		// The discovery document's lists are global, not per relying party (Portal/Issuer/OpenIDConnect.pm
		// metadata, 2.16.1; recorded in testdata/discovery/lemonldap.json).
		IDTokenAlgs:               []string{"none", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512"},
		ChallengeMethods:          []string{"plain", "S256"},
		AuthMethods:               []string{"client_secret_basic", "client_secret_post"},
		TokenAuthMethodsSupported: []string{"client_secret_post", "client_secret_basic"},
		// The manager's screens: the relying party's tree in Lemonldap/NG/Manager/Build/CTrees.pm
		// (oidcRPMetaDataNode) and its labels in manager/htdocs/static/languages/en.json, both of
		// liblemonldap-ng-manager-perl 2.16.1.
		Fixes: map[FixKey]ProviderFix{
			FixSigningKey:      {"Manager → OpenID Connect Relying Parties → {client} → Options → Security → ID Token signature algorithm: RS256", llngManagerSource, "2.16.1"},
			FixPKCEOptional:    {"Manager → OpenID Connect Relying Parties → {client} → Options → Security → Require PKCE: off", llngManagerSource, "2.16.1"},
			FixClaimsInIDToken: {"Manager → OpenID Connect Relying Parties → {client} → Options → Advanced → Force claims to be returned in ID Token: on", llngManagerSource, "2.16.1"},
			FixGroupsClaim:     {"Manager → OpenID Connect Relying Parties → {client} → Exported attributes (claims): groups = groups, and Options → Scope → Scope values content: groups = groups; request scope groups", llngManagerSource, "2.16.1"},
			FixRedirectURI:     {"Manager → OpenID Connect Relying Parties → {client} → Basic → Allowed redirection addresses for login: add the URI (compared exactly, port included)", llngManagerSource, "2.16.1"},
			FixClientSecret:    {"Manager → OpenID Connect Relying Parties → {client} → Basic → Client ID and Client secret", llngManagerSource, "2.16.1"},
		},
		Facts: []Fact{
			{"issuer", "the portal URL as configured, by default with a trailing slash (https://auth.example.com/)",
				"Lemonldap/NG/Portal/Issuer/OpenIDConnect.pm (iss: oidcServiceMetaDataIssuer || portal); Lemonldap/NG/Common/Conf/DefaultValues.pm (portal)", "2.16.1"},
			{"groups", "no groups claim until the RP exports one: Exported attributes groups = groups, Extra claims scope groups = groups; multi-valued session attributes are split on \"; \" into a list only when there are several (array mode auto)",
				"Lemonldap/NG/Portal/Lib/OpenIDConnect.pm (_addAttributeToResponse, _applyType); Common/Conf/DefaultValues.pm (multiValuesSeparator)", "2.16.1"},
			{"signing", "HS512 (signed with the client secret) for a relying party made in the manager; RS256 for one made by dynamic registration; discovery lists none, HS256-512 and RS256-512",
				"Lemonldap/NG/Manager/Build/Attributes.pm (oidcRPMetaDataOptionsIDTokenSignAlg default HS512); Portal/Issuer/OpenIDConnect.pm (registration, metadata)", "2.16.1"},
			{"hmac key", "HS256, HS384 and HS512 are keyed with the relying party's client secret as it is, whatever its length: a secret shorter than the hash (64 bytes for HS512) gives tokens RFC 7518 §3.2 forbids, which go-jose (ssoctl) refuses to verify (DOC065)",
				"Lemonldap/NG/Portal/Lib/OpenIDConnect.pm (createJWT: Digest::SHA hmac_sha512_base64 of the client secret); e2e/llng TestShortHS512Secret", "2.16.1"},
			{"claims placement", "the ID token of the code flow carries only sub, iss, aud, exp, iat, auth_time, acr, azp, at_hash: profile, email and groups come from userinfo unless \"Force claims to be returned in ID Token\" is on (off by default)",
				"Lemonldap/NG/Portal/Issuer/OpenIDConnect.pm (_generateIDToken); Manager/Build/Attributes.pm (oidcRPMetaDataOptionsIDTokenForceClaims default 0)", "2.16.1"},
			{"pkce", "optional per RP (Require PKCE off by default); plain and S256",
				"Manager/Build/Attributes.pm (oidcRPMetaDataOptionsRequirePKCE default 0); Portal/Issuer/OpenIDConnect.pm (metadata)", "2.16.1"},
			{"client auth", "client_secret_basic and client_secret_post, both accepted for every confidential RP",
				"Lemonldap/NG/Portal/Issuer/OpenIDConnect.pm (metadata: token_endpoint_auth_methods_supported); Portal/Lib/OpenIDConnect.pm (checkEndPointAuthenticationCredentials)", "2.16.1"},
			{"redirect URI", "compared as an exact string: a loopback callback must be registered with its port",
				"Lemonldap/NG/Portal/Issuer/OpenIDConnect.pm (isUriAllowedForRP)", "2.16.1"},
			{"scopes_supported", "always openid profile email address phone: a scope of Extra claims (groups) is granted but never listed, so a doctor's \"requested but not announced\" (DOC051) is expected",
				"Lemonldap/NG/Portal/Issuer/OpenIDConnect.pm (metadata: scopes_supported is a fixed list)", "2.16.1"},
			{"consent", "a consent page at a user's first login to each RP unless Bypass consent is on (off by default)",
				"Manager/Build/Attributes.pm (oidcRPMetaDataOptionsBypassConsent default 0)", "2.16.1"},
		},
		// To a request that accepts JSON (ssoctl's pre-flight does), the portal answers its own
		// error code as {"result":0,"error":N} (Portal/Main/Run.pm: 401 without a session, else
		// 400; wantJSON in Common/PSGI/Request.pm); a browser gets the HTML error page with the same
		// code (<span trmsg="N">). The authorize request is checked only for a logged-in user
		// (Portal/Issuer/OpenIDConnect.pm run(), "launched only for authenticated users"), so an
		// anonymous pre-flight gets the login form's 9 whatever the client and redirect URI; only a
		// portal whose web server authenticates every request (Apache, Kerberos, SSL) answers the
		// others before a login. Names from Portal/Main/Constants.pm, words from
		// portal/htdocs/static/languages/en.json, all 2.16.1; checked against the real portal in
		// e2e/llng (TestPreflightReadsPortalErrors).
		PortalErrors: map[string]PortalError{
			"9": {"PE_FIRSTACCESS", "Authentication required", PortalLoginForm, "",
				llngPortalSource + "; Portal/Issuer/OpenIDConnect.pm (run: authenticated users only)", "2.16.1"},
			"107": {"PE_UNKNOWNPARTNER", "This application is not known", PortalUnknownClient, "",
				llngPortalSource + "; Portal/Issuer/OpenIDConnect.pm (run: getRP of client_id)", "2.16.1"},
			"108": {"PE_UNAUTHORIZEDURL", "Unauthorized URL", PortalRedirectURI, "",
				llngPortalSource + "; Portal/Issuer/OpenIDConnect.pm (run: isUriAllowedForRP of redirect_uri)", "2.16.1"},
			"24": {"PE_ERROR", "Error", PortalRefused,
				"LemonLDAP::NG says why only in its log (a missing scope or redirect_uri, a response type or mode it does not allow, a request object it cannot verify): read the portal's log for this request",
				llngPortalSource + "; Portal/Issuer/OpenIDConnect.pm (run)", "2.16.1"},
			"84": {"PE_UNAUTHORIZEDPARTNER", "You're not authorized to access to this host", PortalRefused,
				"the relying party's access rule refuses this user: Manager → OpenID Connect Relying Parties → <rp> → Options → Security → Access rule",
				llngPortalSource + "; Portal/Issuer/OpenIDConnect.pm (run: spRules); " + llngManagerSource, "2.16.1"},
			"90": {"PE_OIDC_SERVICE_NOT_ALLOWED", "Access not granted on OIDC service", PortalRefused,
				"the OpenID Connect issuer's rule refuses this user: Manager → General Parameters → Issuer modules → OpenID Connect → Use rule",
				llngPortalSource + "; Portal/Issuer/OpenIDConnect.pm (run: rule); Lemonldap/NG/Manager/Build/Tree.pm (issuerDBOpenIDConnectRule)", "2.16.1"},
		},
		detect: func(_ *Discovery, iss, auth, token, _, _ *url.URL) (string, bool) {
			ra, okA := relPath(iss, auth)
			rt, okT := relPath(iss, token)
			if okA && okT && ra == "/oauth2/authorize" && rt == "/oauth2/token" {
				return "endpoints /oauth2/authorize and /oauth2/token", true
			}
			return "", false
		},
	}
}
