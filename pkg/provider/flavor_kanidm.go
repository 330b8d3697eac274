package provider

import (
	"net/url"
	"regexp"
	"sync"
)

// kanidmIssuerPath matches the issuer path of a Kanidm OAuth2 client: /oauth2/openid/<client>.
var kanidmIssuerPath = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/oauth2/openid/[^/]+/?$`) }) // compiled on first use, not at start-up

// kanidmErrorPage is what Kanidm's own error page says for every authorize request it refuses
// (see PKCERefusal below).
const kanidmErrorPage = "Error Code: InvalidState"

// kanidmCLI is where the kanidm CLI's oauth2 subcommands below are defined.
const kanidmCLI = "kanidm/kanidm tools/cli/src/opt/kanidm.rs (clap name) at f72676f (v1.12.0-dev-25), v1.11.1 and v1.7.4"

// kanidmFlavor is Kanidm's OAuth2 resource server integration.
func kanidmFlavor() Flavor {
	return Flavor{
		Name: FlavorKanidm, Title: "Kanidm", IssuerPart: PartClient,
		IssuerForm:  "https://<host>/oauth2/openid/<client>",
		issuer:      func(base, client string, _ bool) string { return base + "/oauth2/openid/" + client },
		GroupsClaim: "groups", GroupsScope: "groups",
		// Scope groups_name: kanidm/kanidm server/lib/src/idm/oauth2.rs extra_claims_for_account
		// (wants_groups_name pushes group.name() into the groups claim) at v1.8.0 (42d0e86); not in v1.7.4.
		GroupsShape: "SPNs (admins@idm.example.com) and group UUIDs; from 1.8 the scope groups_name instead of groups sends short names (admins) in the same groups claim; preferred_username is an SPN too unless prefer-short-username is set",
		SigningAlg:  "ES256", PKCERequired: true,
		IDTokenAlgs: []string{"ES256"}, ChallengeMethods: []string{"S256"},
		// A request without code_challenge is refused before anyone logs in: the authorisation check
		// (kanidm/kanidm server/lib/src/idm/oauth2.rs check_oauth2_authorisation, at f72676f
		// v1.12.0-dev-25 and v1.11.1) tests PKCE right after the client and redirect URI, before it
		// looks for a session. The reason, "No PKCE code challenge was provided with client in
		// enforced PKCE mode", goes only to Kanidm's log: the web view does not redirect an error
		// back to the app but renders its own page, HTTP 200, "An unrecoverable error occurred ...
		// Error Code: InvalidState" (server/core/src/https/views/oauth2.rs oauth2_auth_req, any
		// Oauth2Error but AccessDenied; templates/unrecoverable_error.html; askama_web answers 200),
		// the same page as for an unknown client or an unregistered redirect URI.
		PKCERefusal: kanidmErrorPage, ErrorPage: kanidmErrorPage,
		AuthMethods:               []string{"client_secret_basic", "client_secret_post"},
		TokenAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post"},
		Fixes: map[FixKey]ProviderFix{
			FixSigningKey:    {"kanidm system oauth2 warning-enable-legacy-crypto {client} (signs ID tokens with RS256)", "kanidm_proto::constants::ATTR_OAUTH2_JWT_LEGACY_CRYPTO_ENABLE (rustdoc); " + kanidmCLI + " (warning-enable-legacy-crypto)", "1.7.4–1.12.0-dev"},
			FixPKCEOptional:  {"kanidm system oauth2 warning-insecure-client-disable-pkce {client}", kanidmCLI + " (warning-insecure-client-disable-pkce); kanidmd_lib::prelude::ATTR_OAUTH2_ALLOW_INSECURE_CLIENT_DISABLE_PKCE (rustdoc)", "1.7.4–1.12.0-dev"},
			FixGroupsClaim:   {"kanidm system oauth2 update-scope-map {client} <group> openid profile email groups", kanidmCLI + " (update-scope-map); server/lib/src/idm/oauth2.rs extra_claims_for_account (scope groups)", "1.7.4–1.12.0-dev"},
			FixRedirectURI:   {"kanidm system oauth2 add-redirect-url {client} <URI>", kanidmCLI + " (add-redirect-url)", "1.7.4–1.12.0-dev"},
			FixScopeAllowed:  {"kanidm system oauth2 update-scope-map {client} <group> openid profile email groups (add the scope)", kanidmCLI + " (update-scope-map)", "1.7.4–1.12.0-dev"},
			FixShortUsername: {"kanidm system oauth2 prefer-short-username {client}", "kanidm/kanidm server/lib/src/idm/oauth2.rs (attribute oauth2_prefer_short_username); " + kanidmCLI + " (prefer-short-username)", "1.7.4–1.12.0-dev"},
			FixClientSecret:  {"kanidm system oauth2 show-basic-secret {client}", kanidmCLI + " (show-basic-secret)", "1.7.4–1.12.0-dev"},
		},
		Facts: []Fact{
			{"issuer", "https://<host>/oauth2/openid/<client>: one issuer per OAuth2 client; authorization at /ui/oauth2, token at /oauth2/token, userinfo and JWKS under the issuer", "kanidm/kanidm server/lib/src/idm/oauth2.rs (resource server reload: iss.set_path(\"/oauth2/openid/{client}\"), authorization_endpoint /ui/oauth2, token_endpoint uri::OAUTH2_TOKEN_ENDPOINT, userinfo_endpoint and jwks_uri under the issuer) at f72676f (v1.12.0-dev-25), v1.11.1 (bfb60b5) and v1.7.4 (7f107b6)", "1.7.4–1.12.0-dev"},
			{"signing", "ES256; RS256 only after `kanidm system oauth2 warning-enable-legacy-crypto <client>` (attribute oauth2_jwt_legacy_crypto_enable)", "kanidm/kanidm server/lib/src/idm/oauth2.rs (resource server reload: sign_alg is Rs256 when oauth2_jwt_legacy_crypto_enable is true, else Es256; unwrap_or(false)) and proto/src/constants.rs ATTR_OAUTH2_JWT_LEGACY_CRYPTO_ENABLE at f72676f (v1.12.0-dev-25), v1.11.1 (bfb60b5), v1.8.6 (268c71d) and v1.7.4 (7f107b6)", "1.7.4–1.12.0-dev"},
			{"pkce", "required, S256 only; `kanidm system oauth2 warning-insecure-client-disable-pkce <client>` (attribute oauth2_allow_insecure_client_disable_pkce) turns it off. A request without code_challenge is refused at the authorize endpoint before login, on Kanidm's own page (HTTP 200, \"Error Code: InvalidState\", no redirect back to the app); the reason is only in Kanidm's log", "kanidmd_lib::prelude::ATTR_OAUTH2_ALLOW_INSECURE_CLIENT_DISABLE_PKCE (rustdoc); kanidm/kanidm server/lib/src/idm/oauth2.rs (enable_pkce is the attribute's negation, true when unset; check_oauth2_authorisation: the PKCE check before the session check) and server/core/src/https/views/oauth2.rs oauth2_auth_req (UnrecoverableErrorView, OperationError::InvalidState) at f72676f (v1.12.0-dev-25), v1.11.1 and v1.7.4", "1.7.4–1.12.0-dev"},
			{"groups", "claim groups with scope groups: for each group its UUID and its SPN (name@domain), in the ID token and userinfo; from 1.8 the scopes groups_spn, groups_uuid and groups_name (short names) send one form only", "kanidm/kanidm server/lib/src/idm/oauth2.rs extra_claims_for_account (\"groups implies uuid + spn\"; OAUTH2_SCOPE_GROUPS_NAME pushes group.name()) at f72676f (v1.12.0-dev-25) and v1.11.1 (bfb60b5); v1.7.4 sends [spn, uuid] for scope groups only", "1.7.4–1.12.0-dev"},
			{"username", "preferred_username is the SPN name@domain unless `kanidm system oauth2 prefer-short-username <client>` (attribute oauth2_prefer_short_username, off by default)", "kanidm/kanidm server/lib/src/idm/oauth2.rs (resource server reload: Attribute::OAuth2PreferShortUsername unwrap_or(false); the ID token's and userinfo's preferred_username is the SPN unless it is set) at f72676f (v1.12.0-dev-25), v1.11.1 (bfb60b5) and v1.7.4 (7f107b6)", "1.7.4–1.12.0-dev"},
			{"client auth", "client_secret_basic and client_secret_post: the HTTP Basic header, or else client_id and client_secret from the form body, either accepted for a basic (confidential) client; discovery lists both", "kanidm/kanidm server/lib/src/idm/oauth2.rs get_client_auth, the token endpoint's secret check (OauthRSType::Basic authz_secret) and oauth2_rfc8414_metadata (token_endpoint_auth_methods_supported) at f72676f (v1.12.0-dev-25); get_client_auth also in v1.11.1", "1.11.1–1.12.0-dev"},
		},
		detect: func(_ *Discovery, iss, _, _, _, _ *url.URL) (string, bool) {
			if kanidmIssuerPath().MatchString(iss.Path) {
				return "issuer path /oauth2/openid/<client>", true
			}
			return "", false
		},
	}
}
