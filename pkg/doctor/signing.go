package doctor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// appAlgs is what an app's OpenID Connect client accepts as ID token signature algorithms.
type appAlgs struct {
	// verifier names the app's verifier in messages ("AList's go-oidc").
	verifier string
	algs     []string
	// why says where the list comes from.
	why string
}

// photoPrismAlgs are the algorithms PhotoPrism passes to zitadel/oidc's verifier
// (internal/auth/oidc/client.go, rp.WithSupportedSigningAlgorithms, added for EdDSA). Releases
// before that option got zitadel/oidc's default: RS256 alone in v1 and early v3, RS256, ES256 and
// PS256 since zitadel/oidc#606 (2024). No HMAC in any of them.
var photoPrismAlgs = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA"}

// appSigningAlgs says which ID token signature algorithms the app kind accepts for the provider
// type; ok is false where the app does not verify the signature or ssoctl does not know its list:
//   - InvenTree: django-allauth skips the signature of an ID token it fetched from the token
//     endpoint itself (jwtkit.verify_and_decode with verify_signature false), so any algorithm
//     passes;
//   - LobeChat 1.x: Auth.js (@auth/core on oauth4webapi) does not verify the ID token's signature
//     (it came from the token endpoint over TLS) and checks its alg against the provider's
//     id_token_signing_alg_values_supported (RS256 when absent), so whatever the provider
//     announces passes; LobeHub 2.x (Better Auth's generic OAuth plugin) decodes the ID token
//     without checking alg or signature. Nothing to compare either way;
//   - AList's platforms other than OIDC read userinfo, not ID tokens.
func appSigningAlgs(kind, typ string) (appAlgs, bool) {
	switch {
	case kind == config.AppAList && typ == config.TypeOIDC:
		// AList verifies with go-oidc v2 and passes no SupportedSigningAlgs, and go-oidc v2 then
		// accepts RS256 only (alist.md; unlike v3, v2 does not take the discovery document's list).
		return appAlgs{"AList's go-oidc", []string{"RS256"}, "go-oidc v2 accepts RS256 only unless told otherwise, and AList does not tell it"}, true
	case kind == config.AppPhotoPrism:
		return appAlgs{"PhotoPrism's zitadel/oidc", photoPrismAlgs, "PhotoPrism accepts RSA, ECDSA and EdDSA signatures, no HMAC"}, true
	}
	return appAlgs{}, false
}

func isHMACAlg(alg string) bool { return strings.HasPrefix(alg, "HS") }

// signingKeyHint says how to make a provider sign ID tokens with an asymmetric key.
const signingKeyHint = "make the provider sign ID tokens with RS256: authentik: select a signing key in the provider's settings; Keycloak: set the client's ID token signature algorithm (Advanced tab)"

// SigningAlgsForApp is DOC058 when the provider announces no ID token signature algorithm the app
// kind accepts (its id_token_signing_alg_values_supported against the app's verifier): every login
// would pass at the provider and then fail at the app's token check. nil when one matches, when the
// provider announces none (discovery's DSC021 says so), or when ssoctl does not know what the app
// accepts.
func SigningAlgsForApp(appKind, providerType string, supported []string) *Finding {
	a, ok := appSigningAlgs(appKind, providerType)
	if !ok || len(supported) == 0 || slices.ContainsFunc(supported, func(s string) bool { return slices.Contains(a.algs, s) }) {
		return nil
	}
	only := ""
	if len(supported) == 1 {
		only = " only"
	}
	hint := "configure the provider to sign ID tokens with one of " + strings.Join(a.algs, ", ") + " (Keycloak: the client's ID token signature algorithm; authentik: the provider's signing key)"
	if !slices.ContainsFunc(supported, func(s string) bool { return !isHMACAlg(s) }) {
		hint = signingKeyHint
	}
	f := newFinding(CodeSigningAlgForApp, "",
		fmt.Sprintf("the provider signs ID tokens with %s%s (id_token_signing_alg_values_supported), none of which %s accepts (%s): logins would pass at the provider and fail at %s",
			strings.Join(supported, ", "), only, a.verifier, a.why, appTitle(appKind)), hint)
	f.Expected, f.Actual = strings.Join(a.algs, " "), strings.Join(supported, " ")
	f.ExpectedLabel, f.ActualLabel = "app accepts", "provider signs"
	return &f
}

// tokenAlgForApp compares a login's ID token algorithm with what the app accepts: DOC057 for an
// HMAC the app cannot verify (ssoctl verifies it with the client secret, as OIDC Core §10.1
// allows), DOC058 for another algorithm the app does not take; nil when the app accepts it or
// ssoctl does not know.
func tokenAlgForApp(appKind, providerType, alg string) *Finding {
	a, ok := appSigningAlgs(appKind, providerType)
	if !ok || alg == "" || slices.Contains(a.algs, alg) {
		return nil
	}
	var f Finding
	if isHMACAlg(alg) {
		f = newFinding(CodeHMACToken, "",
			fmt.Sprintf("the ID token is signed with %s, keyed with the client secret; %s verifies only with the provider's published keys and will reject it", alg, a.verifier),
			signingKeyHint)
	} else {
		f = newFinding(CodeSigningAlgForApp, "",
			fmt.Sprintf("the ID token is signed with %s, which %s does not accept (%s): the login passed here and would fail at %s", alg, a.verifier, a.why, appTitle(appKind)),
			"configure the provider to sign this client's ID tokens with one of "+strings.Join(a.algs, ", ")+" (Keycloak: the client's ID token signature algorithm)")
	}
	f.Expected, f.Actual = strings.Join(a.algs, " "), alg
	f.ExpectedLabel, f.ActualLabel = "app accepts", "token alg"
	return &f
}
