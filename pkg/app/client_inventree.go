package app

import "github.com/ssoctl/ssoctl/pkg/config"

// invenTreeClient is django-allauth 65.18.0's openid_connect provider as InvenTree 1.5.0 configures
// it (InvenTree's src/backend/requirements.txt pin; settings.py sets no PKCE or token auth default,
// so allauth's own apply; /work/shared/apps/python/README.md):
//   - PKCE: SocialApp settings "oauth_pkce_enabled", else SOCIALACCOUNT_PROVIDERS' OAUTH_PKCE_ENABLED,
//     else OAuth2Provider.pkce_enabled_default False (oauth2/provider.py get_pkce_params): none by
//     default, S256 when enabled;
//   - client authentication: settings "token_auth_method" forces client_secret_basic or the form
//     body; without it HTTP Basic only when discovery lists client_secret_basic and not
//     client_secret_post (openid_connect/views.py basic_auth); one request, no retry
//     (oauth2/client.py get_access_token);
//   - scopes: settings "scope" or SCOPE replace the default "openid profile email"
//     (openid_connect/provider.py get_default_scope), joined from a Python set, so in no fixed order
//     (oauth2/client.py get_redirect_url);
//   - state: a random stash id; no nonce;
//   - userinfo: fetched unless "fetch_userinfo" is false; the ID token (fetched over TLS) is decoded
//     without its signature (jwtkit.verify_and_decode with verify_signature False), iss and aud
//     checked; email_verified defaults to False (extract_email_addresses);
//   - redirect URI: <site>/accounts/<provider_id>/login/callback/ (InvenTree's URL prefix ”).
func invenTreeClient(t Target, typ string) (Client, bool) {
	if typ != config.TypeOIDC {
		return Client{}, false
	}
	return Client{
		App: t.String(), Library: "django-allauth 65.18.0 openid_connect",
		PKCE: PKCENone, PKCEChoices: []string{"S256", "none"},
		Auth: AuthDiscoveredPreferPost, AuthChoices: []string{AuthBasic, AuthPost},
		Scopes: []string{"openid", "profile", "email"}, ScopesReplaced: true, ScopeOrderRandom: true,
		State: "random", Redirect: "<site>/accounts/<provider_id>/login/callback/",
		Userinfo: true, Claims: ClaimsBoth,
		EmailVerified: "email_verified missing counts as false: the address is stored unverified",
		Source:        "django-allauth 65.18.0 socialaccount/providers/{oauth2,openid_connect}; InvenTree 1.5.0 settings.py",
	}, true
}
