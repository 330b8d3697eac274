package app

import "github.com/ssoctl/ssoctl/pkg/config"

// lobeHub2 is the first version of the Better Auth generation.
var lobeHub2 = Version{2, 0, 0}

// lobeChatClient is LobeChat 1.x's Auth.js client or LobeHub 2.x's Better Auth client, by
// app.version (IsLobeHub2); an unversioned lobechat target is LobeChat 1.x, as its callbacks and
// export are (LobeChatCallbackPath), and validate says so (SSO093).
//
// LobeChat 1.x (lobehub/lobe-chat src/libs/next-auth/sso-providers/*.ts at 158b763 and 207b807;
// next-auth 5 beta on @auth/core and oauth4webapi; e2e/clientlibs runs @auth/core 0.37.2, its pin): every OpenID provider is type "oidc" with
// authorization.params.scope "openid email profile" (fixed), checks ['state','pkce'] (generic-oidc)
// or Auth.js's default ['pkce']: PKCE S256, no nonce; the client authenticates with oauth4webapi's
// default client_secret_basic (no provider sets client.token_endpoint_auth_method); the profile is
// read from the ID token, whose signature is not verified (it came from the token endpoint over
// TLS; its alg is checked against id_token_signing_alg_values_supported); no userinfo call for
// type oidc. Redirect URI: <AUTH_URL>/api/auth/callback/<provider id>.
//
// LobeHub 2.x (lobehub/lobehub 2.2.19 at 0015eda pins better-auth 1.6.22 in package.json overrides;
// src/libs/better-auth/sso/helpers.ts buildOidcConfig at 3e5e61e; providers/*.ts): Better Auth's
// generic OAuth plugin with pkce true, scopes DEFAULT_OIDC_SCOPES "openid email profile" (fixed),
// no authentication option. better-auth 1.6.22 (dist/plugins/generic-oauth/routes.mjs; and
// @better-auth/core 1.6.22 dist/oauth2/validate-authorization-code.mjs): anything but
// authentication "basic" puts client_id and client_secret in the form body; the code_verifier is
// sent when pkce is set; no nonce; the redirect URI is <baseURL>/oauth2/callback/<providerId>
// (baseURL ends in /api/auth); getUserInfo decodes the ID token with jose's decodeJwt (no alg or
// signature check) and uses it when it has sub and email, else GETs userinfo with the bearer
// token; emailVerified is email_verified (false when userinfo lacks it). buildOidcConfig throws
// without a client secret, so no public client.
func lobeChatClient(t Target, typ string) (Client, bool) {
	if typ != config.TypeOIDC {
		return Client{}, false
	}
	if !IsLobeHub2(t) {
		return Client{
			App: LobeChatName(t), Library: "Auth.js (@auth/core on oauth4webapi)",
			PKCE: PKCES256, Auth: AuthBasic,
			Scopes: []string{"openid", "email", "profile"},
			State:  "random", Redirect: "<AUTH_URL>/api/auth/callback/<provider id>",
			Claims:        ClaimsIDToken,
			EmailVerified: "not read",
			Source:        "lobehub/lobe-chat src/libs/next-auth/sso-providers (1.x); @auth/core lib/actions/callback/oauth",
		}, true
	}
	return Client{
		App: LobeChatName(t), Library: "Better Auth generic OAuth",
		PKCE: PKCES256, Auth: AuthPost,
		Scopes: []string{"openid", "email", "profile"},
		State:  "random", Redirect: "<NEXT_PUBLIC_AUTH_URL>/api/auth/oauth2/callback/<provider id>",
		// The ID token's claims; userinfo only when the ID token lacks sub or email (DOC052's note).
		Claims:        ClaimsIDTokenElseUserinfo,
		EmailVerified: "email_verified becomes the user's emailVerified (false when userinfo lacks it)",
		Source:        "lobehub/lobehub 2.2.19 src/libs/better-auth/sso/helpers.ts; better-auth 1.6.22 dist/plugins/generic-oauth/routes.mjs",
	}, true
}
