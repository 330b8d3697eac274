package provider

import (
	"net/url"
	"regexp"
)

// kanidmIssuerPath matches the issuer path of a Kanidm OAuth2 client: /oauth2/openid/<client>.
var kanidmIssuerPath = regexp.MustCompile(`^/oauth2/openid/[^/]+/?$`)

// kanidmFlavor is Kanidm's OAuth2 resource server integration.
func kanidmFlavor() Flavor {
	return Flavor{
		Name: FlavorKanidm, Title: "Kanidm", IssuerPart: PartClient,
		IssuerForm:  "https://<host>/oauth2/openid/<client>",
		issuer:      func(base, client string, _ bool) string { return base + "/oauth2/openid/" + client },
		GroupsClaim: "groups", GroupsScope: "groups",
		GroupsShape: "SPNs (admins@idm.example.com) and group UUIDs; preferred_username is an SPN too unless prefer-short-username is set",
		SigningAlg:  "ES256", PKCERequired: true,
		IDTokenAlgs: []string{"ES256"}, ChallengeMethods: []string{"S256"},
		// A bare invalid_request: the reason, "No PKCE code challenge was provided with client in
		// enforced PKCE mode.", goes only to Kanidm's log (kanidm/kanidm server/lib/src/idm/oauth2.rs,
		// the authorisation check; found through the code index). Whether the browser gets it as an
		// error redirect or on Kanidm's own page is unconfirmed.
		PKCERefusal:               "invalid_request",
		AuthMethods:               []string{"client_secret_basic", "client_secret_post"},
		TokenAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post"},
		Fixes: map[FixKey]ProviderFix{
			FixSigningKey:    {"kanidm system oauth2 warning-enable-legacy-crypto {client} (signs ID tokens with RS256)", "kanidm_proto::constants::ATTR_OAUTH2_JWT_LEGACY_CRYPTO_ENABLE (rustdoc); issue 16", "1.7.4–1.8.6"},
			FixPKCEOptional:  {"kanidm system oauth2 warning-insecure-client-disable-pkce {client}", "github.com/crocodilestick/Calibre-Web-Automated/discussions/1649 (the command, quoted by a user of Kanidm); kanidmd_lib::prelude::ATTR_OAUTH2_ALLOW_INSECURE_CLIENT_DISABLE_PKCE (rustdoc)", "1.7.4–1.9.0-dev"},
			FixGroupsClaim:   {"kanidm system oauth2 update-scope-map {client} <group> openid profile email groups", "a Kanidm OAuth2 integration guide (Gitea: create, add-redirect-url, update-scope-map, warning-insecure-client-disable-pkce, show-basic-secret), found through the code index", "1.x"},
			FixRedirectURI:   {"kanidm system oauth2 add-redirect-url {client} <URI>", "a Kanidm OAuth2 integration guide (Gitea: create, add-redirect-url, update-scope-map, warning-insecure-client-disable-pkce, show-basic-secret), found through the code index", "1.x"},
			FixScopeAllowed:  {"kanidm system oauth2 update-scope-map {client} <group> openid profile email groups (add the scope)", "a Kanidm OAuth2 integration guide (Gitea: create, add-redirect-url, update-scope-map, warning-insecure-client-disable-pkce, show-basic-secret), found through the code index", "1.x"},
			FixShortUsername: {"kanidm system oauth2 prefer-short-username {client}", "kanidm/kanidm server/lib/src/idm/oauth2.rs (attribute oauth2_prefer_short_username); the command's name from issue 16", "1.x"},
			FixClientSecret:  {"kanidm system oauth2 show-basic-secret {client}", "a Kanidm OAuth2 integration guide (Gitea: create, add-redirect-url, update-scope-map, warning-insecure-client-disable-pkce, show-basic-secret), found through the code index", "1.x"},
		},
		Facts: []Fact{
			{"issuer", "https://<host>/oauth2/openid/<client>: one issuer per OAuth2 client; authorization at /ui/oauth2, token at /oauth2/token, userinfo and JWKS under the issuer", "kanidm/kanidm server/lib/src/idm/oauth2.rs (resource server reload: iss, authorization_endpoint, userinfo_endpoint, jwks_uri; found through the code index)", "1.x"},
			{"signing", "ES256; RS256 only after `kanidm system oauth2 warning-enable-legacy-crypto <client>` (attribute oauth2_jwt_legacy_crypto_enable)", "kanidm_proto::constants::ATTR_OAUTH2_JWT_LEGACY_CRYPTO_ENABLE (rustdoc)", "1.7.4–1.8.6"},
			{"pkce", "required; `kanidm system oauth2 warning-insecure-client-disable-pkce <client>` (attribute oauth2_allow_insecure_client_disable_pkce) turns it off", "kanidmd_lib::prelude::ATTR_OAUTH2_ALLOW_INSECURE_CLIENT_DISABLE_PKCE (rustdoc); kanidm/kanidm server/lib/src/idm/oauth2.rs (enable_pkce is the attribute's negation, true when unset); github.com/crocodilestick/Calibre-Web-Automated/discussions/1649", "1.7.4–1.9.0-dev"},
			{"groups", "claim groups with scope groups: SPNs name@domain (and UUIDs)", "issue 16; unconfirmed in this pass", "unconfirmed"},
			{"username", "preferred_username is the SPN name@domain unless `kanidm system oauth2 prefer-short-username <client>` (attribute oauth2_prefer_short_username, off by default)", "kanidm/kanidm server/lib/src/idm/oauth2.rs (oauth2_prefer_short_username unwrap_or(false); found through the code index)", "1.x"},
			{"client auth", "client_secret_basic and client_secret_post", "unconfirmed", "unconfirmed"},
		},
		detect: func(_ *Discovery, iss, _, _, _, _ *url.URL) (string, bool) {
			if kanidmIssuerPath.MatchString(iss.Path) {
				return "issuer path /oauth2/openid/<client>", true
			}
			return "", false
		},
	}
}
