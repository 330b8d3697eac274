package provider

import "github.com/ssoctl/ssoctl/pkg/config"

// github is plain OAuth 2.0: no ID token, no discovery, fixed endpoints (AList ssologin.go).
func github() Preset {
	return Preset{
		Type:          config.TypeGitHub,
		Title:         "GitHub",
		AuthorizeURL:  "https://github.com/login/oauth/authorize",
		TokenURL:      "https://github.com/login/oauth/access_token",
		UserinfoURL:   "https://api.github.com/user",
		DefaultScopes: []string{"read:user", "user:email"},
		PKCE:          PKCES256,
		ClientAuth:    AuthPost,
		MappingType:   config.TypeGitHub,
		Required:      secretRequired(),
		StableID:      "id",
		Notes: []string{
			"no ID token: identity comes from GET /user; \"login\" can be renamed, \"id\" is permanent",
			"\"email\" in /user is the public profile email and often null; the addresses come from /user/emails and need scope user:email",
			"the token endpoint answers form-encoded unless the request sends Accept: application/json",
			"an OAuth app has one callback URL; redirect URIs must be that URL or a sub-path of it",
		},
		// GitHub Docs, "Authorizing OAuth apps" (redirect URLs): the redirect_uri's host and port
		// must match the callback URL and its path be the callback's or below it.
		OneCallbackURL: true,
	}
}
