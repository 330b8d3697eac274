package clientlibs_test

import "testing"

// lobeHub2 is LobeHub 2.x (2.2.19, lobehub/lobehub 0015eda, which pins better-auth 1.6.22) with its
// generic OIDC provider: Better Auth's generic OAuth callback /api/auth/oauth2/callback/<provider
// id>, and buildOidcConfig's default scopes openid email profile (src/libs/better-auth/sso/helpers.ts
// at 3e5e61e).
var lobeHub2 = appSpec{
	name: "lobehub2", kind: "lobechat", version: "2.2.19",
	redirectPath: "/api/auth/oauth2/callback/generic-oidc",
	scopes:       []string{"openid", "email", "profile"},
	// LobeHub sets no `authentication` for its generic OIDC provider and Better Auth then sends
	// client_secret_post only (no admin setting changes it): the client authentication and PKCE
	// cases keep their registration, the token and claims cases register the client for
	// client_secret_post, as an admin of LobeHub must.
	registeredAuth: func(c loginCase) string {
		switch c.name {
		case "pkce-required", "post-only", "basic-only":
			return c.auth
		}
		return "client_secret_post"
	},
}

// TestLobeHub2 logs in with better-auth 1.6.22's generic OAuth plugin configured as LobeHub 2.x
// configures it (see node/betterauth.mjs).
func TestLobeHub2(t *testing.T) {
	requireNodeModules(t, "better-auth")
	testApp(t, lobeHub2, func(t *testing.T, c loginCase) record {
		base := startHarness(t, "node", []string{
			"ISSUER=" + c.issuer(), "CLIENT_ID=" + clientID(lobeHub2, c), "CLIENT_SECRET=" + clientSecret(lobeHub2, c),
		}, "node", "betterauth.mjs")
		h := harnessLogin(t, base, c)
		r := record{Login: h.login()}
		if h.OK {
			// Better Auth stores the account under accountId (sub) and the user's email (lower
			// case), emailVerified and name; the user's own id is a random one of Better Auth's.
			r.User = map[string]any{"id": h.User["accountId"], "email": h.User["email"], "emailVerified": h.User["emailVerified"], "name": h.User["name"]}
		}
		return r
	})
}
