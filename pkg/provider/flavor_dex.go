package provider

import "net/url"

// dexFlavor is Dex, the federating OpenID provider.
func dexFlavor() Flavor {
	return Flavor{
		Name: FlavorDex, Title: "Dex",
		IssuerForm:  "the issuer in Dex's config, often https://<host>/dex",
		issuer:      func(base, _ string, _ bool) string { return base },
		GroupsClaim: "groups", GroupsScope: "groups",
		GroupsShape: "group names as the upstream connector reports them (GitHub: org:team)",
		SigningAlg:  "RS256",
		Facts: []Fact{
			{"issuer", "exactly the config's issuer value (a path like /dex is kept)", "unconfirmed", "unconfirmed"},
			{"groups", "claim groups with scope groups, filled by the connector", "unconfirmed", "unconfirmed"},
			{"signing", "RS256 (rotating keys)", "unconfirmed", "unconfirmed"},
			{"pkce", "supported (S256, plain), not required", "unconfirmed", "unconfirmed"},
			{"client auth", "client_secret_basic and client_secret_post", "unconfirmed", "unconfirmed"},
		},
		detect: func(_ *Discovery, iss, auth, token, _, jwks *url.URL) (string, bool) {
			ra, okA := relPath(iss, auth)
			rt, okT := relPath(iss, token)
			rk, okK := relPath(iss, jwks)
			if okA && okT && okK && ra == "/auth" && rt == "/token" && rk == "/keys" {
				return "endpoints <issuer>/auth, /token and /keys", true
			}
			return "", false
		},
	}
}
