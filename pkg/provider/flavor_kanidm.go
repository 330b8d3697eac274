package provider

import (
	"net/url"
	"regexp"
	"sync"
)

// kanidmIssuerPath matches the issuer path of a Kanidm OAuth2 client: /oauth2/openid/<client>.
var kanidmIssuerPath = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/oauth2/openid/[^/]+/?$`) }) // compiled on first use, not at start-up

// kanidmFlavor is Kanidm's OAuth2 resource server integration.
func kanidmFlavor() Flavor {
	return Flavor{
		Name: FlavorKanidm, Title: "Kanidm", IssuerPart: PartClient,
		IssuerForm:  "https://<host>/oauth2/openid/<client>",
		issuer:      func(base, client string, _ bool) string { return base + "/oauth2/openid/" + client },
		GroupsClaim: "groups", GroupsScope: "groups",
		GroupsShape: "SPNs (admins@idm.example.com) and group UUIDs; preferred_username is an SPN too unless prefer-short-username is set",
		SigningAlg:  "ES256", PKCERequired: true,
		Facts: []Fact{
			{"issuer", "https://<host>/oauth2/openid/<client>: one issuer per OAuth2 client", "unconfirmed (Kanidm book, OAuth2 chapter)", "unconfirmed"},
			{"signing", "ES256; RS256 only after `kanidm system oauth2 warning-enable-legacy-crypto <client>` (attribute oauth2_jwt_legacy_crypto_enable)", "kanidm_proto::constants::ATTR_OAUTH2_JWT_LEGACY_CRYPTO_ENABLE (rustdoc)", "1.7.4–1.8.6"},
			{"pkce", "required; `kanidm system oauth2 warning-insecure-client-disable-pkce <client>` (attribute oauth2_allow_insecure_client_disable_pkce) turns it off", "kanidmd_lib::prelude::ATTR_OAUTH2_ALLOW_INSECURE_CLIENT_DISABLE_PKCE (rustdoc); github.com/crocodilestick/Calibre-Web-Automated/discussions/1649", "1.7.4–1.9.0-dev"},
			{"groups", "claim groups with scope groups: SPNs name@domain (and UUIDs)", "issue 16; unconfirmed in this pass", "unconfirmed"},
			{"username", "preferred_username is the SPN name@domain unless `kanidm system oauth2 prefer-short-username <client>`", "issue 16; unconfirmed in this pass", "unconfirmed"},
			{"client auth", "client_secret_basic and client_secret_post", "unconfirmed", "unconfirmed"},
		},
		detect: func(_ *Discovery, iss, _, _, _, _ *url.URL) (string, bool) {
			if kanidmIssuerPath().MatchString(iss.Path) {
				return "issuer path /oauth2/openid/<client>", true
			}
			return "", false
		},
	}
}
