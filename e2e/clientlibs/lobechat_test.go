package clientlibs_test

import "testing"

// lobeChat1 is LobeChat 1.x (1.85.8, lobehub/lobe-chat a46dbf2) with its generic OIDC provider: the
// callback is Auth.js's /api/auth/callback/<provider id> and the scope is fixed in the provider,
// "email openid profile" (src/libs/next-auth/sso-providers/generic-oidc.ts at 6d0e254).
var lobeChat1 = appSpec{
	name: "lobechat1", kind: "lobechat", version: "1.85.8",
	redirectPath: "/api/auth/callback/generic-oidc",
	scopes:       []string{"email", "openid", "profile"},
}

// TestLobeChat1 logs in with @auth/core 0.37.2 configured as LobeChat 1.x configures it (see
// node/authcore.mjs).
func TestLobeChat1(t *testing.T) {
	requireNodeModules(t, "@auth/core")
	testApp(t, lobeChat1, func(t *testing.T, c loginCase) record {
		base := startHarness(t, "node", []string{
			"ISSUER=" + c.issuer(), "CLIENT_ID=" + clientID(lobeChat1, c), "CLIENT_SECRET=" + clientSecret(lobeChat1, c),
		}, "node", "authcore.mjs")
		h := harnessLogin(t, base, c)
		r := record{Login: h.login()}
		if h.OK {
			// LobeChat keeps what its profile() returns: providerAccountId (the account's key) is
			// sub, then the email and the name (name, else username, else email). Auth.js gives the
			// user a random id of its own without a database, so that one is not compared.
			r.User = map[string]any{"id": h.User["providerAccountId"], "email": h.User["email"], "name": h.User["name"]}
		}
		return r
	})
}
