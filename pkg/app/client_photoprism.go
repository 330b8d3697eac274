package app

import (
	"time"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// PhotoPrismSigningAlgs are the algorithms PhotoPrism passes to zitadel/oidc's verifier
// (internal/auth/oidc/client.go, rp.WithSupportedSigningAlgorithms, added for EdDSA). Releases
// before that option got zitadel/oidc's default: RS256 alone in v1 and early v3, RS256, ES256 and
// PS256 since zitadel/oidc#606 (2024; v3.33.1's pkg/oidc/verifier.go, which PhotoPrism pinned at
// 382ffa8). No HMAC in any of them.
var PhotoPrismSigningAlgs = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA"}

// photoPrismClient is PhotoPrism's zitadel/oidc relying party (photoprism/photoprism at 382ffa8,
// build 240915+99, internal/auth/oidc/client.go NewClient; zitadel/oidc v3.33.1 pkg/client/rp):
//   - PKCE: rp.WithPKCE only when the discovery document lists S256 in code_challenge_methods_supported;
//   - client authentication: no rp.WithAuthStyle, so rp's default oauth2.AuthStyleAutoDetect
//     (relying_party.go NewRelyingPartyOIDC) and x/oauth2's Basic-then-body retry; the client is
//     made once at startup, so the style that worked is cached for later logins;
//   - scopes: PHOTOPRISM_OIDC_SCOPES, default "openid email profile address" (pkg/authn/oidc.go
//     OidcDefaultScopes; OidcRequiredScopes "openid email profile" when set empty), replacing;
//   - state: rnd.State, kept in a cookie; no nonce (rp.AuthURLHandler sends none, and the verifier's
//     default nonce function expects none);
//   - the ID token verified by rp (signature, iss, aud, exp with 1 s leeway, iat up to 5 s in the
//     future: rp.WithIssuedAtOffset(5*time.Second)); then userinfo (rp.UserinfoCallback), from
//     which the profile is read;
//   - redirect URI: PHOTOPRISM_SITE_URL + /api/v1/oidc/redirect (redirect_url.go).
func photoPrismClient(t Target, typ string) (Client, bool) {
	if typ != config.TypeOIDC && typ != config.TypeGoogle && typ != config.TypeMicrosoft && typ != config.TypeCasdoor {
		return Client{}, false
	}
	return Client{
		App: t.String(), Library: "github.com/zitadel/oidc/v3 rp",
		PKCE: PKCEIfDiscovered, Auth: AuthAutoDetect,
		Scopes: []string{"openid", "email", "profile", "address"}, ScopesReplaced: true,
		State: "random", Redirect: "<PHOTOPRISM_SITE_URL>/api/v1/oidc/redirect",
		Userinfo: true, Claims: ClaimsBoth,
		VerifiesSignature: true, SigningAlgs: PhotoPrismSigningAlgs, ClockSkew: 5 * time.Second,
		Verifier: "PhotoPrism's zitadel/oidc", AlgsWhy: "PhotoPrism accepts RSA, ECDSA and EdDSA signatures, no HMAC",
		EmailVerified: "an email claim becomes the username (PHOTOPRISM_OIDC_USERNAME=email) only when email_verified is true",
		Source:        "photoprism/photoprism 382ffa8 internal/auth/oidc/client.go; zitadel/oidc v3.33.1 pkg/client/rp",
	}, true
}
