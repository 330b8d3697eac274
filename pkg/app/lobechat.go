package app

import (
	"fmt"
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

// LobeHubModelled is the LobeHub 2.x release the 2.x client profile was read from (lobehub/lobehub
// 2.2.19 at 0015eda, client_lobechat.go): the version for a consumer that shows the newest
// generation without a config, such as the flavour matrix (docs/flavors.md).
const LobeHubModelled = "2.2.19"

// LobeChatName names a LobeChat target in messages: its version when the config names one, under
// the product's name at that generation ("LobeChat 1.110", "LobeHub 2.2.19"), else "LobeChat 1.x",
// the generation an unversioned target is taken for.
func LobeChatName(t Target) string {
	switch {
	case t.Version.IsZero():
		return t.Title + " 1.x"
	case IsLobeHub2(t):
		return "LobeHub " + t.Version.String()
	}
	return t.String()
}

// LobeChatGeneration names the generation a LobeChat target runs and its auth library, for
// messages: "LobeChat 1.x (Auth.js)", "LobeHub 2.2.19 (Better Auth)".
func LobeChatGeneration(t Target) string {
	if IsLobeHub2(t) {
		return LobeChatName(t) + " (Better Auth)"
	}
	return LobeChatName(t) + " (Auth.js)"
}

// LobeChatUnversioned names the generation a lobechat config without app.version is taken for,
// for hints that say what removing app.version means: "LobeChat 1.x (Auth.js)".
func LobeChatUnversioned() string {
	i, _ := Lookup(config.AppLobeChat)
	return LobeChatGeneration(Target{Info: i})
}

// LobeChatVersionUnset is what validate says once (SSO093, a note) about a lobechat config without
// app.version: which generation ssoctl takes it for, and what the other would need instead. The two
// generations' callbacks differ (LobeChatCallbackPath) and so do their clients (client_lobechat.go:
// Auth.js sends HTTP Basic, Better Auth the form body), so a guess either way breaks some logins;
// 1.x is kept because every config written before versions were told apart registered 1.x's
// callbacks, and export's default generation is nextauth.
func LobeChatVersionUnset(t Target, providerID string) (message, hint string) {
	v1 := LobeChatCallbackPath(LobeChat1(), providerID)
	v2 := LobeChatCallbackPath(LobeHub2(), providerID)
	message = fmt.Sprintf("app.version is unset, so ssoctl takes this for %s: callbacks at %s, PKCE and HTTP Basic at the token endpoint; LobeHub 2.x (Better Auth) calls back at %s and sends the client secret in the form body",
		LobeChatGeneration(t), v1, v2)
	hint = "set app.version to the version you run (such as \"1.143\" or \"2.2\"); export, validate, the doctor and test-login all follow it"
	return message, hint
}
