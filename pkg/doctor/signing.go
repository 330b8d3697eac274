package doctor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// appAlgs is what an app's OpenID Connect client accepts as ID token signature algorithms.
type appAlgs struct {
	// verifier names the app's verifier in messages ("AList's go-oidc").
	verifier string
	algs     []string
	// why says where the list comes from.
	why string
}

// appSigningAlgs says which ID token signature algorithms the app kind accepts for the provider
// type (pkg/app's client profile), given the algorithms the provider's discovery document lists
// (AList's go-oidc takes those); ok is false where the app does not verify the signature
// (InvenTree's django-allauth, LobeChat's Auth.js and Better Auth: the token came from the token
// endpoint over TLS) or reads no ID token (AList's platforms other than OIDC).
func appSigningAlgs(kind, typ string, discovered []string) (appAlgs, bool) {
	t, err := app.Resolve(&config.App{Kind: kind})
	if err != nil {
		return appAlgs{}, false
	}
	c, ok := app.ClientFor(t, typ)
	algs := c.AcceptedAlgs(discovered)
	if !ok || !c.VerifiesSignature || len(algs) == 0 {
		return appAlgs{}, false
	}
	return appAlgs{verifier: c.Verifier, algs: algs, why: c.AlgsWhy}, true
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
	a, ok := appSigningAlgs(appKind, providerType, supported)
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
	f = f.providerSide(provider.FixSigningKey, hint)
	return &f
}

// tokenAlgForApp compares a login's ID token algorithm with what the app accepts: DOC057 for an
// HMAC the app cannot verify (ssoctl verifies it with the client secret, as OIDC Core §10.1
// allows), DOC058 for another algorithm the app does not take; nil when the app accepts it or
// ssoctl does not know. discovered is the discovery document's id_token_signing_alg_values_supported.
func tokenAlgForApp(appKind, providerType, alg string, discovered []string) *Finding {
	a, ok := appSigningAlgs(appKind, providerType, discovered)
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
	f = f.providerSide(provider.FixSigningKey, f.Hint)
	return &f
}

// shortHMACSecret is DOC065 for a login that failed because the ID token is an HMAC keyed with a
// client secret shorter than the hash (login.CheckSecretLength): it says what the app would do with
// such a token, from its client profile (pkg/app): refuse any HMAC (AList's go-oidc, PhotoPrism's
// zitadel/oidc), or take it unverified (InvenTree's django-allauth, LobeChat's Auth.js and Better
// Auth).
func shortHMACSecret(le *login.Error, in Login) Finding {
	alg := ""
	if in.Report != nil && in.Report.IDToken != nil {
		alg = in.Report.IDToken.Header.Alg
	}
	const general = "make the provider sign this client's ID tokens with RS256"
	need := "the hash's size"
	if n := login.HMACKeySize(alg); n > 0 {
		need = fmt.Sprintf("%d bytes", n)
	}
	msg := fmt.Sprintf("the provider signs ID tokens with %s keyed with the client secret, which is %s; %s needs at least %s (RFC 7518 §3.2), and ssoctl's verifier (go-jose) refuses a shorter key",
		first(alg, "an HMAC"), le.Actual, first(alg, "the HMAC"), need)
	hint := fmt.Sprintf("give the client a secret of at least %s at the provider and in the config, or %s", need, general)
	if c, ok := appClientOf(in.App, in.Provider.Type); ok {
		var discovered []string
		if in.Metadata != nil {
			discovered = in.Metadata.IDTokenSigningAlgValuesSupported
		}
		switch {
		case c.VerifiesSignature && !slices.Contains(c.AcceptedAlgs(discovered), alg):
			msg += fmt.Sprintf("; %s refuses HMAC-signed ID tokens whatever the secret (%s)", first(c.Verifier, c.App), c.AlgsWhy)
			hint = general + "; a longer secret alone does not help " + appTitle(in.App.Kind)
		case !c.VerifiesSignature:
			msg += fmt.Sprintf("; %s (%s) does not verify the ID token's signature, so it would log in", appTitle(in.App.Kind), c.Library)
		}
	}
	f := newFinding(CodeShortHMACSecret, "client_secret", msg, hint)
	f.Expected, f.Actual = le.Expected, le.Actual
	f.ExpectedLabel, f.ActualLabel = "HMAC key", "client secret"
	return f.providerSide(provider.FixSigningKey, general)
}
