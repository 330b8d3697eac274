package app

import (
	"slices"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// alistClient is the client AList v3 and OpenList v4 run, per platform (sso_login_platform). The
// login is server/handles/ssologin.go, byte-identical in what it sends at AList v3.63.0 (commit
// 843d9dc) and OpenList v4.2.5 (they differ only in import paths, GetApiUrl's argument and the new
// user's role):
//   - OIDC: an oauth2.Config per request (GetOIDCClient) with go-oidc v2's provider.Endpoint(), which
//     sets no AuthStyle, so x/oauth2 auto-detects the client authentication (v0.34.0 in AList,
//     v0.36.0 in OpenList, the same RetrieveToken); AuthCodeURL(state) alone: a random 16-character
//     state bound to the client IP for 5 minutes, no nonce, no PKCE; scopes "openid profile" +
//     sso_extra_scopes split on spaces; Exchange without a verifier; the ID token verified by
//     go-oidc v2 with only ClientID set (so Provider.Verifier takes the discovery document's
//     id_token_signing_alg_values_supported, filtered to RS/ES/PS 256-512, RS256 when none is left;
//     exp checked with no leeway; no nonce compared); the username claim read from the ID token's payload; no userinfo call.
//   - Github, Microsoft, Google, Casdoor: no OAuth library. A hand-built authorize URL to the
//     platform's fixed URL (Casdoor: under sso_endpoint_name) with response_type, redirect_uri,
//     client_id and a fixed scope (Microsoft response_mode=query; Casdoor state = the endpoint; the
//     others no state), then a resty POST of a form with client_id and client_secret in the body
//     (plus code, redirect_uri, scope and, but for Github, grant_type), then the platform's user
//     API with the bearer token, whose id and username fields make the user. No openid scope is
//     requested (Google, Microsoft, Casdoor are OpenID providers, but AList logs in to them as
//     plain OAuth 2.0): no ID token is read or verified, whatever the token response carries.
//   - Dingtalk: the same authorize URL with scope openid and prompt=consent, then a JSON body with
//     clientId and clientSecret to api.dingtalk.com, and the token in x-acs-dingtalk-access-token.
//
// Each platform's URLs and request shapes are alist.go's platforms table (Platform.Login).
//
// The redirect URI is <site_url>/api/auth/sso_callback?method=sso_get_token (or get_sso_id), or
// /api/auth/sso_get_token in compatibility mode (ssoRedirectUri).
func alistClient(t Target, typ string) (Client, bool) {
	a, ok := AListOf(t)
	if !ok {
		return Client{}, false
	}
	// The platform's own name and scope are alist.go's (platforms), the one home of those facts.
	pl, ok := a.Platform(typ)
	if !ok {
		return Client{}, false
	}
	c := Client{
		App: t.String(), Library: "resty form POST", Platform: pl.Value,
		PKCE: PKCENone, Auth: AuthPost, State: "none",
		Redirect:    "<site_url>/api/auth/sso_callback?method=sso_get_token (compatibility mode: /api/auth/sso_get_token)",
		MethodQuery: true,
		Userinfo:    true, Claims: ClaimsPlatformAPI,
		EmailVerified: "not read",
		Source:        "server/handles/ssologin.go, AList v3.63.0 (843d9dc) and OpenList v4.2.5",
	}
	if pl.Scope != "" {
		c.Scopes = []string{pl.Scope}
	}
	if pl.Login != nil {
		c.Plain, c.IDField, c.UsernameField, c.UserAPI = pl.Login, pl.IDField, pl.UsernameField, pl.UserAPI
	}
	switch typ {
	case config.TypeOIDC:
		c.Library = "github.com/coreos/go-oidc v2 + golang.org/x/oauth2"
		c.Auth, c.State = AuthAutoDetect, "random"
		c.Scopes, c.ScopesAppended = slices.Clone(OIDCBaseScopes), true
		c.Userinfo, c.Claims = false, ClaimsIDToken
		// GetOIDCClient: Endpoint: provider.Endpoint(), from NewProvider(sso_endpoint_name).
		c.EndpointsFromDiscovery = true
		// go-oidc v2 (v2.2.1 in AList, v2.3.0 in OpenList): NewProvider keeps the discovery
		// document's algorithms that supportedAlgorithms lists (oidc.go:97, :145), and
		// Provider.Verifier uses them when the config names none (verify.go:110), else RS256
		// (verify.go:310). Both real apps accepted ES256 and refused HS256 (e2e/apps).
		c.VerifiesSignature, c.SigningAlgsFromDiscovery = true, true
		c.SigningAlgs = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"}
		c.Verifier, c.AlgRefusal = t.Title+"'s go-oidc", MsgOIDCBadAlg
		// OIDCLoginCallback checks state, then Exchange(c.Query("code")) without looking at error
		// (ssologin.go:205-213, AList v3.63.0; the same in OpenList v4.2.5); e2e/apps pkce-required.
		c.ExchangesAfterAuthorizeError = true
		c.AlgsWhy = "go-oidc v2 takes the algorithms the discovery document lists, asymmetric ones only, RS256 when it lists none of them"
	case config.TypeMicrosoft:
		c.ResponseMode = "query"
	case config.TypeCasdoor:
		c.State = "the Casdoor endpoint URL"
	case config.TypeDingTalk:
		c.Library = "resty JSON POST"
	}
	return c, true
}
