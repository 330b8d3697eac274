package app

import (
	"slices"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// LobeChat's callbacks. The redirect URI LobeChat sends, after its public URL, for a provider id
// (authentik, github, generic-oidc, ...):
//
//   - LobeChat 1.x (Auth.js; lobehub/lobe-chat src/libs/next-auth, @auth/core 0.37.2): every
//     provider at /api/auth/callback/<id>.
//   - LobeHub 2.x (Better Auth; lobehub/lobehub 09a40cc src/libs/better-auth/sso/providers/*.ts):
//     the providers of type "builtin" are Better Auth's social providers, which call back at
//     <baseURL>/callback/<id> (better-auth 1.6.22 dist/api/routes/sign-in.mjs); every other
//     provider ("generic") goes through the generic OAuth plugin, which calls back at
//     <baseURL>/oauth2/callback/<id> (dist/plugins/generic-oauth/index.mjs). LobeHub's baseURL
//     is the app's URL + /api/auth.

// lobeHubSocialProviders are the ids of LobeHub 2.x's "builtin" providers (apple.ts, github.ts,
// google.ts, microsoft.ts at lobehub/lobehub 09a40cc), Better Auth's social providers.
var lobeHubSocialProviders = []string{"apple", "github", "google", "microsoft"}

// LobeChatCallbackPath is the path, after LobeChat's public URL, of the redirect URI LobeChat at t
// sends for provider id; id may be a placeholder such as "{provider}", which stands for a generic
// provider's id under 2.x. A target whose config names no version keeps LobeChat 1.x's path: it is
// what export writes by default (--generation nextauth), and a callback registered for one
// generation fails under the other, so only app.version (or export's --generation) switches.
func LobeChatCallbackPath(t Target, id string) string {
	if !t.Version.IsZero() && t.AtLeast(lobeHub2) && !slices.Contains(lobeHubSocialProviders, id) {
		return "/api/auth/oauth2/callback/" + id
	}
	return "/api/auth/callback/" + id
}

// LobeHub2 is the target for LobeHub 2.x, the Better Auth generation, for a consumer that knows
// the generation but not the version (export's --generation betterauth).
func LobeHub2() Target {
	i, _ := Lookup(config.AppLobeChat)
	return Target{Info: i, Version: lobeHub2}
}

// LobeChat1 is the target for LobeChat 1.x, the Auth.js generation (export's --generation
// nextauth).
func LobeChat1() Target {
	i, _ := Lookup(config.AppLobeChat)
	return Target{Info: i, Version: Version{1, 0, 0}}
}

// IsLobeHub2 reports whether t is LobeHub 2.x by its configured version: app.version 2 or newer.
// An unversioned target is not (see LobeChatCallbackPath).
func IsLobeHub2(t Target) bool {
	return t.Kind == config.AppLobeChat && !t.Version.IsZero() && t.AtLeast(lobeHub2)
}
